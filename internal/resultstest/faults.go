package resultstest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// FaultsYAML is the scenario WriteFaults runs: 40 nodes in push-pull at
// fanout 1, a crash of 20 % at round 2, a sweep of loss, replays. The
// faults over time are added by WriteFaults (the decoder does not read
// them yet); the comment says what they are, as scenario.yaml shows it.
const FaultsYAML = `name: faults
description: a crash that comes back and a partition that heals
# failures[0].recover: 6, partitions: [{round: 3, heal: 8, groups: 2}] (set by the test)
nodes: 40
mode: pushpull
fanout: 1
trials: 8
seed: 5
replay: {max_nodes: 40}
failures: [{round: 2, crash: 0.2}]
sweep:
  loss: [0, 0.1]
`

// FaultPartition is the partition of WriteFaults' points.
var FaultPartition = results.PartitionParams{Round: 3, Heal: 8, Groups: 2}

// faultEngine is the memory engine with FaultPartition: what the runner
// will hand it once the decoder reads partitions. It keeps every trial's
// rounds by seed, for the curves the summarizer does not make yet.
type faultEngine struct {
	oneway bool
	mu     *sync.Mutex
	rounds map[uint64][]engine.RoundStats
}

func (e faultEngine) Run(ctx context.Context, cfg engine.Config, obs engine.Observer) error {
	p := FaultPartition.Engine()
	p.Oneway = e.oneway
	cfg.Partitions = []engine.Partition{p}
	var rows []engine.RoundStats
	err := memory.Engine{}.Run(ctx, cfg, engine.ObserverFunc(func(r engine.Round) {
		rows = append(rows, r.RoundStats)
		obs.Round(r)
	}))
	e.mu.Lock()
	e.rounds[cfg.Seed] = rows
	e.mu.Unlock()
	return err
}

// WriteFaults runs FaultsYAML with its failure recovering at round 6 and
// the partition (one-way with oneway), on the memory engine, streaming
// into the result as `gossipbench run` does: real trials, real replays
// (outages, partitions, messages failing across the cut) and the summary
// with the faults' params and metrics. The down, recovering and cut
// curves, which the summarizer does not make yet, are the trials' means
// (a stopped trial counting with its final down count), set into
// summary.json after.
func WriteFaults(t testing.TB, dir string, oneway bool) string {
	t.Helper()
	s, err := experiments.Parse("faults.yaml", []byte(FaultsYAML))
	if err != nil {
		t.Fatal(err)
	}
	part := FaultPartition
	part.Oneway = oneway
	s.Failures[0].Recover = 6
	s.Partitions = []results.PartitionParams{part}
	eng := faultEngine{oneway: oneway, mu: &sync.Mutex{}, rounds: map[uint64][]engine.RoundStats{}}
	w, err := experiments.Runner{Engines: map[string]engine.Engine{"memory": eng}}.RunTo(context.Background(), dir, s,
		experiments.RunInfo{Host: results.Host{Name: "test", OS: "linux", Arch: "amd64", CPUs: 2}, Parallel: 1,
			Command: []string{"gossipbench", "run", "faults.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	curves := map[string]results.Curve{}
	for _, p := range s.Points() {
		var traces [][]engine.RoundStats
		for trial := range s.Trials {
			traces = append(traces, eng.rounds[s.TrialSeed(p, trial)])
		}
		for _, sp := range w.Summary.Points {
			if sp.ID == p.ID {
				c := sp.Curve
				faultCurves(&c, traces)
				curves[p.ID] = c
			}
		}
	}
	EditJSON(t, filepath.Join(w.Dir, results.SummaryFile), func(m map[string]any) {
		for _, pt := range m["points"].([]any) {
			p := pt.(map[string]any)
			c, cv := curves[p["id"].(string)], p["curve"].(map[string]any)
			cv["down_mean"], cv["recovering_mean"], cv["cut_mean"] = c.DownMean, c.RecoveringMean, c.CutMean
		}
	})
	return w.Dir
}

func faultCurves(c *results.Curve, traces [][]engine.RoundStats) {
	n := len(c.Round)
	c.DownMean, c.RecoveringMean, c.CutMean = make([]float64, n), make([]float64, n), make([]float64, n)
	for _, rows := range traces {
		for r := range n {
			last := rows[min(r, len(rows)-1)]
			c.DownMean[r] += float64(last.Down)
			if r < len(rows) {
				c.RecoveringMean[r] += float64(last.Recovering)
				c.CutMean[r] += float64(last.Cut)
			}
		}
	}
	for r := range n {
		k := float64(len(traces))
		c.DownMean[r] /= k
		c.RecoveringMean[r] /= k
		c.CutMean[r] /= k
	}
}
