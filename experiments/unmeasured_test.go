package experiments

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/internal/results"
)

// spoilsTrials is the memory engine, except that the trials with the
// listed seeds could not be measured, as when a node of the http engine
// stops answering the harness.
type spoilsTrials map[uint64]bool

func (sp spoilsTrials) Run(ctx context.Context, cfg engine.Config, obs engine.Observer) error {
	if sp[cfg.Seed] {
		return fmt.Errorf("http engine: node 182 metrics: EOF: %w", engine.ErrUnmeasured)
	}
	return memory.Engine{}.Run(ctx, cfg, obs)
}

// A trial that cannot be measured does not end the scenario: it is left
// out of the statistics, rounds.csv and the replay, counted in
// summary.json and explained in manifest.json.
func TestUnmeasuredTrialIsRecorded(t *testing.T) {
	s := mustParse(t, "name: u\nnodes: 50\nfanout: 2\ntrials: 4\nreplay: {max_nodes: 100}\nsweep: {mode: [push, pull]}\n")
	push := s.Points()[0]
	spoil := spoilsTrials{s.Config(push, 0, false).Seed: true, s.Config(push, 2, false).Seed: true}
	res, err := Runner{Engines: map[string]engine.Engine{"memory": spoil}, Parallel: 2}.Run(context.Background(), s)
	if err != nil {
		t.Fatalf("one spoiled trial ended the scenario: %v", err)
	}
	sum := Summarize(res)
	if p := sum.Points[0]; p.Trials != 2 || p.Unmeasured != 2 || p.Metrics[results.MessagesPerNode].N != 2 || p.Replay != "" {
		t.Fatalf("push point: trials %d, unmeasured %d, metric n %d, replay %q; want 2, 2, 2, none",
			p.Trials, p.Unmeasured, p.Metrics[results.MessagesPerNode].N, p.Replay)
	}
	if p := sum.Points[1]; p.Trials != 4 || p.Unmeasured != 0 || p.Replay == "" {
		t.Fatalf("pull point: trials %d, unmeasured %d, replay %q", p.Trials, p.Unmeasured, p.Replay)
	}
	dir, err := Write(t.TempDir(), res, sum, NewManifest(res, sum, results.Host{}, 2, nil))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, results.RoundsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	trials := map[string]bool{}
	for _, r := range rows[1:] { // point, mode, trial, ...
		if r[0] == push.ID {
			trials[r[2]] = true
		}
	}
	if len(trials) != 2 || !trials["1"] || !trials["3"] {
		t.Fatalf("rounds.csv has push trials %v, want 1 and 3", trials)
	}
	// trials.csv has a row for every trial that ran; an unmeasured one
	// has its seed and nothing else.
	rows = readCSV(t, filepath.Join(dir, results.TrialsFile))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) != 1+8 {
		t.Fatalf("trials.csv has %d rows, want 8 trials", len(rows)-1)
	}
	for tr, r := range rows[1:5] {
		if r[col["point"]] != push.ID || r[col["trial"]] != fmt.Sprint(tr) || r[col["seed"]] != fmt.Sprint(s.Config(push, tr, false).Seed) {
			t.Fatalf("trials.csv row %d: %v", tr+1, r)
		}
		unmeasured := tr == 0 || tr == 2
		if r[col["measured"]] != fmt.Sprint(!unmeasured) {
			t.Errorf("trial %d: measured %q", tr, r[col["measured"]])
		}
		for _, c := range append([]string{"converged", "rounds"}, results.MetricNames()...) {
			if got := r[col[c]]; unmeasured && got != "" || !unmeasured && got == "" && c != results.BytesPerNode &&
				c != results.BytesPerMessage && c != results.SecondsPerRound && c != results.FailedFraction &&
				!strings.HasPrefix(c, "graph_") && // the complete graph has no graph facts
				c != results.RoundsToQuiet && c != results.LastInformedRound && c != results.MeanInformedRound && c != results.RoundsTo999 && // nor mongering
				c != results.RoundsToReconverge && c != results.CutMessages && c != results.CutFraction { // nor faults over time
				t.Errorf("trial %d (unmeasured %v): %s is %q", tr, unmeasured, c, got)
			}
		}
	}
	// The reader takes back what the writer wrote: trial 3 of a point
	// with 2 measured trials is fine when 2 more were unmeasured.
	rd, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	read := 0
	if err := rd.EachTrial(func(string, *engine.Trace) error { read++; return nil }); err != nil || read != 6 {
		t.Fatalf("reading the result back: %d trials, %v", read, err)
	}
	var man struct {
		Points []struct {
			ID         string                    `json:"id"`
			Unmeasured []results.UnmeasuredTrial `json:"unmeasured"`
		} `json:"points"`
	}
	b, err := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if u := man.Points[0].Unmeasured; len(u) != 2 || u[0].Trial != 0 || u[1].Trial != 2 || !strings.Contains(u[0].Error, "metrics: EOF") {
		t.Fatalf("manifest: push point unmeasured %+v", u)
	}
	if u := man.Points[1].Unmeasured; u != nil {
		t.Fatalf("manifest: pull point unmeasured %+v", u)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// A point none of whose trials could be measured has nothing to report:
// the run fails, naming the point and the reason.
func TestNoMeasuredTrialFailsTheRun(t *testing.T) {
	s := mustParse(t, "name: u\nnodes: 50\ntrials: 2\n")
	p := s.Points()[0]
	spoil := spoilsTrials{s.Config(p, 0, false).Seed: true, s.Config(p, 1, false).Seed: true}
	_, err := Runner{Engines: map[string]engine.Engine{"memory": spoil}}.Run(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "no trial could be measured") || !strings.Contains(err.Error(), "metrics: EOF") {
		t.Fatalf("err = %v", err)
	}
}
