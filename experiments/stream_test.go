package experiments

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/internal/peakmem"
	"github.com/gossipbench/gossipbench/internal/results"
)

// A streamed run (RunTo) writes the same bytes as keeping every trace and
// writing them after (Run, Summarize, Write), for every -j, although its
// trials end out of order (pull with loss runs for different lengths, so
// later trials overtake earlier ones and go through the spill file); also
// with all a trace can hold besides rows: graph facts, many rumors, and
// faults over time in the replays.
func TestRunToWritesWhatRunWrites(t *testing.T) {
	for _, yaml := range []string{
		"name: stream\nnodes: 300\nmode: pull\nloss: 0.3\ntrials: 40\nreplay: {max_nodes: 300}\nsweep: {fanout: [1, 2]}\n",
		"name: stream\nnodes: 120\nmode: pushpull\nloss: 0.1\ntrials: 12\nreplay: {max_nodes: 300}\ntopology: {kind: ring, degree: 4}\n" +
			"rumors: {count: 3, every: 2}\nstop: {rule: counter, k: 3}\nfailures: [{round: 2, crash: 0.1, recover: 5, keep_state: true}]\n" +
			"partitions: [{round: 3, heal: 7, groups: 2}]\nchurn: {leave: 0.02, join: 0.02, from: 1, until: 10}\nsweep: {fanout: [1, 2]}\n",
	} {
		writesWhatRunWrites(t, yaml)
	}
}

func writesWhatRunWrites(t *testing.T, yaml string) {
	_, want := runAndWrite(t, yaml)
	for _, par := range []int{1, 2, 3} {
		s := mustParse(t, yaml)
		w, err := Runner{Engines: testEngines, Parallel: par}.RunTo(context.Background(), t.TempDir(), s, RunInfo{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{results.SummaryFile, results.RoundsFile, results.TrialsFile, results.ScenarioFile, results.ReplayPath("fanout=1"), results.ReplayPath("fanout=2")} {
			a, _ := os.ReadFile(filepath.Join(want, f))
			b, err := os.ReadFile(filepath.Join(w.Dir, f))
			if err != nil || !bytes.Equal(a, b) || len(a) == 0 {
				t.Errorf("-j %d: %s differs from the kept run's (%v)", par, f, err)
			}
		}
		entries, _ := os.ReadDir(w.Dir)
		for _, e := range entries {
			if e.Name() == spillFile {
				t.Errorf("-j %d: the spill file is left in the result", par)
			}
		}
	}
}

// Memory no longer grows with trials x rounds: ten times the trials of a
// small scenario take far less than ten times the memory when streamed.
// Run, which keeps every trace, is the comparison that shows the test can
// tell.
func TestStreamedRunMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 4,400 trials")
	}
	yaml := func(trials int) string {
		return fmt.Sprintf("name: mem\nnodes: 200\nmode: push\nloss: 0.2\ntrials: %d\nreplay: {max_nodes: 0}\n", trials)
	}
	streamed := func(trials int) uint64 {
		s := mustParse(t, yaml(trials))
		return peakmem.Of(t, func() {
			if _, err := (Runner{Engines: testEngines, Parallel: 2}).RunTo(context.Background(), t.TempDir(), s, RunInfo{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	kept := func(trials int) uint64 {
		s := mustParse(t, yaml(trials))
		return peakmem.Of(t, func() {
			res, err := Runner{Engines: testEngines, Parallel: 2}.Run(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			sum := Summarize(res)
			if _, err := Write(t.TempDir(), res, sum, NewManifest(res, sum, results.Host{}, 2, nil)); err != nil {
				t.Fatal(err)
			}
		})
	}
	s200, s2000 := streamed(200), streamed(2000)
	k200, k2000 := kept(200), kept(2000)
	t.Logf("peak resident set above the start: streamed %d KiB for 200 trials, %d KiB for 2000; kept %d KiB and %d KiB",
		s200>>10, s2000>>10, k200>>10, k2000>>10)
	grow := func(a, b uint64) float64 { return float64(b) / float64(max(a, 1<<20)) }
	if g := grow(s200, s2000); g > 3 {
		t.Errorf("streamed: 10x the trials took %.1fx the memory", g)
	}
	if g := grow(k200, k2000); g < grow(s200, s2000) {
		t.Errorf("keeping every trace grew %.1fx, less than streaming; the measurement cannot tell", g)
	}
}
