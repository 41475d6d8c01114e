package experiments

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// The scenarios shipped in scenarios/ are what a new user runs first: each
// must parse, and the classroom one (the replay meant to be followed by eye)
// must run and record its replay.
const shippedDir = "../scenarios"

func TestShippedScenariosParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(shippedDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 16 {
		t.Fatalf("found %d scenarios in %s, want the 16 shipped ones", len(files), shippedDir)
	}
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if s.Description == "" {
			t.Errorf("%s has no description", f)
		}
	}
}

func TestClassroomScenarioRuns(t *testing.T) {
	s, err := Load(filepath.Join(shippedDir, "classroom.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Small enough to follow by eye, the reason it is shipped.
	if s.Nodes > 40 || s.Fanout != 1 || s.Engine != "memory" || s.Replay.MaxNodes < s.Nodes {
		t.Fatalf("classroom: %d nodes, fanout %d, engine %s, replay max_nodes %d; want at most 40 nodes, fanout 1, memory, replay on",
			s.Nodes, s.Fanout, s.Engine, s.Replay.MaxNodes)
	}
	res, err := Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(res)
	if len(sum.Points) != 1 {
		t.Fatalf("%d points, want 1", len(sum.Points))
	}
	p := sum.Points[0]
	if p.Trials != s.Trials || p.Converged != s.Trials {
		t.Errorf("%d of %d trials measured, %d converged; want all to converge", p.Trials, s.Trials, p.Converged)
	}
	if p.Replay == "" {
		t.Error("no replay recorded")
	}
	if p.Theory == nil {
		t.Errorf("no theory: %s", p.NoTheory)
	}
}

// The topology scenarios are what issue 13 asks of them: a degree sweep
// of random regular graphs against the complete graph, and every kind a
// generator draws at one mean degree.
func TestTopologyScenarios(t *testing.T) {
	s, err := Load(filepath.Join(shippedDir, "topology.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != engine.Push || s.Fanout != 1 || !reflect.DeepEqual(s.SweepKeys(), []string{"topology.kind", "topology.degree"}) ||
		!reflect.DeepEqual(s.SweepValues(), [][]string{{"regular", "complete"}, {"3", "4", "8", "16"}}) {
		t.Errorf("topology.yaml: %s, fanout %d, sweep %v %v", s.Mode, s.Fanout, s.SweepKeys(), s.SweepValues())
	}
	s, err = Load(filepath.Join(shippedDir, "topology-kinds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, p := range s.Points() {
		tp := p.Params.Topology
		kinds = append(kinds, tp.Kind)
		if slices.Contains(results.TopologyTakes(tp.Kind), "degree") && tp.Degree != 10 {
			t.Errorf("point %s has degree %v, want 10, the hypercube's on %d nodes", p.ID, tp.Degree, p.Params.Nodes)
		}
	}
	if want := slices.DeleteFunc(slices.Clone(engine.TopologyKinds), func(k string) bool { return k == engine.TopologyFile }); !reflect.DeepEqual(kinds, want) || s.Nodes != 1024 || s.Fanout != 1 {
		t.Errorf("topology-kinds.yaml: kinds %v (want %v), %d nodes, fanout %d", kinds, want, s.Nodes, s.Fanout)
	}
}
