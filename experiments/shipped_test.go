package experiments

import (
	"context"
	"path/filepath"
	"testing"
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
	if len(files) < 9 {
		t.Fatalf("found %d scenarios in %s, want the 9 shipped ones", len(files), shippedDir)
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
