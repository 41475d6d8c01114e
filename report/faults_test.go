package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// A result with faults over time renders through the one reader: its
// page tabulates the faults' metrics beside the others and marks the
// faults on its charts, the static files draw the nodes down, and each
// replay page carries its outages and partition.
func TestFaultResultRenders(t *testing.T) {
	root := t.TempDir()
	dir := resultstest.WriteFaults(t, filepath.Join(root, "results"), true)
	if _, err := Render(filepath.Join(root, "results")); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<th>rounds reconverge", "<th>cut msgs", "<th>cut share", "Nodes down per round",
		"one-way partition 2 groups", "2 groups one-way at round 3, heal 8", "round 6: the 20 % from round 2 come back empty", `"markArea"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the scenario page lacks %q", want)
		}
	}
	for _, f := range []string{"charts/down.svg", "charts/down.png", "charts/convergence.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	replay, err := os.ReadFile(filepath.Join(dir, "replay", "loss=0.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"partitions":[{"round":3,"heal":8,"oneway":true,"groups":2`, "one-way: messages from group 0 to the others fail"} {
		if !strings.Contains(string(replay), want) {
			t.Errorf("the replay page lacks %q", want)
		}
	}
}
