package experiments

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// TestValidEdgeFile: kind file's edges reach the engine config, and the
// scenario as run (Raw) points at the copy a result keeps, so that it
// loads the same scenario from a result directory.
func TestValidEdgeFile(t *testing.T) {
	s := mustLoadValid(t, "edge_file.yaml")
	want := [][2]int32{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 0}, {0, 5}}
	cfg := s.Config(s.Points()[0], 0, false)
	if cfg.Topology.Kind != engine.TopologyFile || !reflect.DeepEqual(cfg.Topology.Edges, want) {
		t.Errorf("Config.Topology = %+v, want kind file with %v", cfg.Topology, want)
	}
	if s.Topology.Path != results.EdgesFile || s.EdgesFrom != "graphs/ring10.edges" {
		t.Errorf("Topology.Path, EdgesFrom = %q, %q", s.Topology.Path, s.EdgesFrom)
	}
	raw := string(s.Raw)
	if !strings.Contains(raw, "path: "+results.EdgesFile) || !strings.Contains(raw, `(the scenario read "graphs/ring10.edges")`) {
		t.Errorf("Raw does not point at the copy:\n%s", raw)
	}
	// Loaded again beside a copy of the edges, the same scenario.
	dir := t.TempDir()
	edges, _ := os.ReadFile("testdata/valid/graphs/ring10.edges")
	os.WriteFile(filepath.Join(dir, results.EdgesFile), edges, 0o644)
	os.WriteFile(filepath.Join(dir, "scenario.yaml"), s.Raw, 0o644)
	again, err := Load(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.edges, s.edges) || !reflect.DeepEqual(again.Points()[0].Params, s.Points()[0].Params) || string(again.Raw) != raw {
		t.Errorf("loaded from the copy: %+v\nRaw:\n%s", again.Points()[0].Params, again.Raw)
	}
}

func parseWithSets(t *testing.T, yaml string, sets ...string) (*Scenario, error) {
	t.Helper()
	var ss []Set
	for _, text := range sets {
		s, err := ParseSet(text)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	return Parse("test.yaml", []byte(yaml), ss...)
}

// TestTopologySweepAndSet: topology's keys sweep as dotted keys, name
// points so, and --set reaches them one by one or as a sweep.
func TestTopologySweepAndSet(t *testing.T) {
	const base = "name: t\nnodes: 100\ntopology: {kind: regular, degree: 4}\n"
	for _, tt := range []struct {
		name, yaml string
		sets       []string
		ids        []string
		degrees    []float64
	}{
		{"file sweep", base + "sweep:\n  topology.degree: [3, 4, 8]\n", nil,
			[]string{"topology.degree=3", "topology.degree=4", "topology.degree=8"}, []float64{3, 4, 8}},
		{"set one", base, []string{"topology.degree=6"}, []string{"base"}, []float64{6}},
		{"set a list", base, []string{"topology.degree=[3,4]"}, []string{"topology.degree=3", "topology.degree=4"}, []float64{3, 4}},
		{"set sweep.", base, []string{"sweep.topology.degree=[2, 6]"}, []string{"topology.degree=2", "topology.degree=6"}, []float64{2, 6}},
		{"set one over a sweep", base + "sweep:\n  topology.degree: [3, 4, 8]\n", []string{"topology.degree=6"}, []string{"base"}, []float64{6}},
		// A sweep over kinds: each point keeps what its kind takes.
		{"kinds", "name: t\nnodes: 64\ntopology: {degree: 6}\nsweep:\n  topology.kind: [ring, hypercube, complete]\n", nil,
			[]string{"topology.kind=ring", "topology.kind=hypercube", "topology.kind=complete"}, []float64{6, 0, 0}},
		// ... and the swept ones, which its ID names.
		{"kinds and degrees", "name: t\nnodes: 64\nsweep:\n  topology.kind: [ring, complete]\n  topology.degree: [2, 4]\n", nil,
			[]string{"topology.kind=ring,topology.degree=2", "topology.kind=ring,topology.degree=4",
				"topology.kind=complete,topology.degree=2", "topology.kind=complete,topology.degree=4"}, []float64{2, 4, 2, 4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseWithSets(t, tt.yaml, tt.sets...)
			if err != nil {
				t.Fatal(err)
			}
			pts := s.Points()
			if got := pointIDs(pts); !reflect.DeepEqual(got, tt.ids) {
				t.Errorf("point IDs = %q, want %q", got, tt.ids)
			}
			for i, p := range pts {
				if i < len(tt.degrees) && p.Params.Topology.Degree != tt.degrees[i] {
					t.Errorf("point %s: degree %v, want %v", p.ID, p.Params.Topology.Degree, tt.degrees[i])
				}
				if c := s.Config(p, 0, false).Topology; c.Kind != p.Params.Topology.Kind || c.Degree != p.Params.Topology.Degree {
					t.Errorf("point %s: Config.Topology %+v, params %+v", p.ID, c, p.Params.Topology)
				}
			}
		})
	}
	// A --set is checked as the file is, and named.
	_, err := parseWithSets(t, base, "topology.degree=3", "topology.kind=hypercube")
	want := "test.yaml: --set topology.degree=3: topology.degree: kind hypercube takes no degree (it takes no parameters); degree is for ring, regular, erdos-renyi, small-world, scale-free\n" +
		"test.yaml:2: nodes: a hypercube needs a power of two, got 100 (nearest: 64 or 128)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestCheckMemoryCountsTheGraph: the same run fits on the complete graph
// and not on a dense overlay, whose lists the guard counts.
func TestCheckMemoryCountsTheGraph(t *testing.T) {
	const run = "name: g\nnodes: 10000000\ntrials: 2\nreplay: {max_nodes: 0}\n"
	complete := mustParse(t, run)
	dense := mustParse(t, run+"topology: {kind: regular, degree: 256}\n")
	if complete.MemoryEstimate(2) >= dense.MemoryEstimate(2) {
		t.Errorf("estimate %d on the complete graph, %d on a 256-regular graph", complete.MemoryEstimate(2), dense.MemoryEstimate(2))
	}
	const avail = 8 << 30
	if err := complete.CheckMemory(2, avail); err != nil {
		t.Errorf("on the complete graph: %v", err)
	}
	if err := dense.CheckMemory(2, avail); err == nil || !strings.Contains(err.Error(), "topology.degree") {
		t.Errorf("256-regular on 10^7 nodes in 8 GiB: %v", err)
	}
}

// TestEdgeFileTravelsWithTheResult: a run of kind file keeps the edge
// list beside scenario.yaml, and running that scenario.yaml gives the
// same rows.
func TestEdgeFileTravelsWithTheResult(t *testing.T) {
	s := mustLoadValid(t, "edge_file.yaml")
	r := Runner{Engines: testEngines, Parallel: 2}
	first, err := r.RunTo(context.Background(), t.TempDir(), s, RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile(filepath.Join(first.Dir, results.EdgesFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := "# The edge list of scenario edge_file, 11 edges, as read from its topology.path.\n0 1\n1 2\n"; !strings.HasPrefix(string(copied), want) {
		t.Errorf("%s starts\n%.80s\nwant\n%s", results.EdgesFile, copied, want)
	}
	again, err := Load(filepath.Join(first.Dir, results.ScenarioFile))
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.RunTo(context.Background(), t.TempDir(), again, RunInfo{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{results.RoundsFile, results.TrialsFile, results.EdgesFile, results.ScenarioFile} {
		a, _ := os.ReadFile(filepath.Join(first.Dir, f))
		b, _ := os.ReadFile(filepath.Join(second.Dir, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs between the run and the run of its scenario.yaml:\n%s\n---\n%s", f, a, b)
		}
	}
	// The graph ran: on a ring with one chord, never more than 3 informed
	// after round 1 from one source with fanout 1 (push).
	rd, err := results.OpenResult(first.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if p := rd.Summary.Points[0].Params.Topology; p != (results.TopologyParams{Kind: "file", Path: results.EdgesFile}) {
		t.Errorf("summary.json's params.topology = %+v", p)
	}
	edges, err := rd.Edges()
	if err != nil || !reflect.DeepEqual(edges, s.edges) {
		t.Errorf("ResultDir.Edges = %v, %v; want %v", edges, err, s.edges)
	}
}
