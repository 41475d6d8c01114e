package merge_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/merge"
)

// A sweep with every fault over time merges to the unsharded run's bytes:
// rounds.csv's fault columns, the fault metrics, the curves' fault means
// and the replays' outages, partitions and relearnings go through.
func TestMergeFaultsGivesTheUnshardedBytes(t *testing.T) {
	s := mustParse(t, `
name: faults
nodes: 60
fanout: 2
mode: pushpull
trials: 3
max_rounds: 40
failures: [{round: 2, crash: 0.2, recover: 5, keep_state: true}, {round: 3, hang: 0.1, recover: 8}]
partitions: [{round: 3, heal: 7, groups: [0.4, 0.6], oneway: true}]
churn: {leave: 0.02, join: 0.02, until: 10}
sweep:
  partitions.heal: [6, 9]
`)
	root := t.TempDir()
	whole := writeRun(t, s, nil, filepath.Join(root, "whole"))
	dirs := []string{writeRun(t, s, &results.Shard{Index: 2, Count: 2}, filepath.Join(root, "2")),
		writeRun(t, s, &results.Shard{Index: 1, Count: 2}, filepath.Join(root, "1"))}
	merged, err := merge.Merge(filepath.Join(root, "merged"), dirs, []string{"merge"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{results.SummaryFile, results.RoundsFile, results.TrialsFile,
		results.ReplayPath("partitions.heal=6"), results.ReplayPath("partitions.heal=9")} {
		a, err1 := os.ReadFile(filepath.Join(whole, f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the unsharded run's", f)
		}
		if f == results.ReplayPath("partitions.heal=6") && (!strings.Contains(string(a), `"outages":`) || !strings.Contains(string(a), `"oneway":true,"group":`)) {
			t.Errorf("%s has no outages or partitions", f)
		}
	}
}
