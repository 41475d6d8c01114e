package experiments

import (
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
	if s.Topology.Path != "graphs/ring10.edges" {
		t.Errorf("Topology.Path = %q", s.Topology.Path)
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
	if !reflect.DeepEqual(again.edges, s.edges) || !reflect.DeepEqual(again.Points()[0].Params, func() results.Params {
		p := s.Points()[0].Params
		p.Topology.Path = results.EdgesFile
		return p
	}()) || string(again.Raw) != raw {
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
