package resultstest

import (
	"context"
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
// will hand it once the decoder reads partitions.
type faultEngine struct{ oneway bool }

func (e faultEngine) Run(ctx context.Context, cfg engine.Config, obs engine.Observer) error {
	p := FaultPartition.Engine()
	p.Oneway = e.oneway
	cfg.Partitions = []engine.Partition{p}
	return memory.Engine{}.Run(ctx, cfg, obs)
}

// WriteFaults runs FaultsYAML with its failure recovering at round 6 and
// the partition (one-way with oneway), on the memory engine, and writes
// it as `gossipbench run` does: real trials, real replays (outages,
// partitions, messages failing across the cut) and the summary with the
// faults' params and metrics. The down, recovering and cut curves, which
// the summarizer does not make yet, are the trials' means, a stopped
// trial counting with its final down count.
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
	res, err := experiments.Runner{Engines: map[string]engine.Engine{"memory": faultEngine{oneway}}}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	for i := range sum.Points {
		faultCurves(&sum.Points[i].Curve, res.Points[i].Traces)
	}
	man := experiments.NewManifest(res, sum, results.Host{Name: "test", OS: "linux", Arch: "amd64", CPUs: 2}, 1, []string{"gossipbench", "run", "faults.yaml"})
	out, err := experiments.Write(dir, res, sum, man)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func faultCurves(c *results.Curve, traces []*engine.Trace) {
	n := len(c.Round)
	c.DownMean, c.RecoveringMean, c.CutMean = make([]float64, n), make([]float64, n), make([]float64, n)
	k := 0.0
	for _, tr := range traces {
		if tr == nil {
			continue
		}
		k++
		for r := range n {
			last := tr.Rounds[min(r, len(tr.Rounds)-1)]
			c.DownMean[r] += float64(last.Down)
			if r < len(tr.Rounds) {
				c.RecoveringMean[r] += float64(last.Recovering)
				c.CutMean[r] += float64(last.Cut)
			}
		}
	}
	for r := range n {
		c.DownMean[r] /= k
		c.RecoveringMean[r] /= k
		c.CutMean[r] /= k
	}
}
