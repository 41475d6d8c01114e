package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// A graph that cannot fit is refused before anything runs: exit 2,
// nothing written, the message naming the topology's degree. (On the
// complete graph a million nodes fit: scenarios/scale.yaml runs them.)
func TestRunRefusesAGraphThatCannotFit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dense.yaml")
	os.WriteFile(path, []byte("name: dense\nnodes: 1000000\ntrials: 1\nreplay: {max_nodes: 0}\ntopology: {kind: regular, degree: 100000}\n"), 0o644)
	out := filepath.Join(dir, "results")
	code, stdout, stderr := gossipbench(t, "run", "--quiet", "--out", out, path)
	if code != exitBadUser || stdout != "" || !strings.Contains(stderr, "dense.yaml needs about") || !strings.Contains(stderr, "topology.degree") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
}

// --set reaches topology's keys, one value or a sweep, and the copy of
// the scenario in the result runs again to the same rows.
func TestRunSetsTopology(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ring.yaml")
	os.WriteFile(path, []byte("name: ring\nnodes: 30\ntrials: 3\ntopology: {kind: ring, degree: 2}\n"), 0o644)
	first, second := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	cli(t, "run", "--quiet", "--out", first, "--set", "topology.degree=[4, 6]", path)
	var sum struct {
		Points []struct {
			ID     string `json:"id"`
			Params struct {
				Topology results.TopologyParams `json:"topology"`
			} `json:"params"`
		} `json:"points"`
	}
	readJSON(t, filepath.Join(first, "ring", results.SummaryFile), &sum)
	if len(sum.Points) != 2 || sum.Points[1].ID != "topology.degree=6" || sum.Points[1].Params.Topology != (results.TopologyParams{Kind: "ring", Degree: 6}) {
		t.Fatalf("points %+v", sum.Points)
	}
	cli(t, "run", "--quiet", "--out", second, filepath.Join(first, "ring", results.ScenarioFile))
	a, _ := os.ReadFile(filepath.Join(first, "ring", results.RoundsFile))
	b, _ := os.ReadFile(filepath.Join(second, "ring", results.RoundsFile))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("rounds.csv of the copy's run differs")
	}
	code, _, stderr := gossipbench(t, "run", "--quiet", "--out", second, "--set", "topology.degree=3", path)
	if want := "--set topology.degree=3: topology.degree: a ring's degree must be even"; code != exitBadUser || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}
