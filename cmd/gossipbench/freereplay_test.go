package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// A real free-running run: trial 0's replay holds, round by round, the
// messages rounds.csv counts for trial 0, by outcome (useful, redundant,
// lost, failed), none unrecorded at this size, with loss and a crash.
func TestFreeRunningReplayMatchesRoundsCSV(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join(dir, "free.yaml")
	yaml := "name: free\nengine: http\nnodes: 12\nmode: pushpull\nfanout: 2\nloss: 0.1\ntrials: 2\nmax_rounds: 60\n" +
		"failures:\n  - {round: 2, crash: 0.1}\nhttp:\n  drive: free\n  interval: 20ms\n"
	if err := os.WriteFile(scenario, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "results")
	if code, _, stderr := gossipbench(t, "run", "--quiet", "--out", out, scenario); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r, err := results.OpenResult(filepath.Join(out, "free"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Summary.Points[0].Unmeasured > 0 {
		t.Skipf("a trial could not be measured on this machine: %+v", r.Summary.Points[0])
	}
	rf, err := r.Replay("base")
	if err != nil {
		t.Fatal(err)
	}
	var rows []engine.RoundStats
	err = r.EachTrial(func(point string, tr *engine.Trace) error {
		if rows == nil {
			rows = tr.Rounds // trial 0, the replay's: trials come in order
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rf.Rounds) != len(rows) || len(rf.Unrecorded) != len(rows) {
		t.Fatalf("rounds.csv has %d rounds of trial 0, the replay %d (and %d unrecorded counts)", len(rows), len(rf.Rounds), len(rf.Unrecorded))
	}
	sent := 0
	for i, row := range rows {
		var got [4]int
		for _, m := range rf.Rounds[i] {
			got[m[3]]++
		}
		if want := [4]int{row.Useful, row.Redundant, row.Lost, row.Failed}; got != want || rf.Unrecorded[i] != 0 {
			t.Errorf("round %d: the replay's messages by outcome %v (%d unrecorded), rounds.csv's %v", i, got, rf.Unrecorded[i], want)
		}
		sent += row.Sent
	}
	if sent == 0 {
		t.Fatal("trial 0 sent nothing")
	}
}
