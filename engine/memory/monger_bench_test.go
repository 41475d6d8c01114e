package memory

import (
	"context"
	"fmt"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// BenchmarkMonger measures the mongering path (protocol.World) against
// the bit path on the same wave-1 trial, in the same run: the baseline
// says what per-rumor state costs. The stop-rule cases are what users run
// it for: Demers' feedback counter and memberlist's transmit limit at
// scale.
func BenchmarkMonger(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		wave1 := engine.Config{Nodes: n, Mode: engine.Push, Fanout: 1, MaxRounds: 500, Source: -1}
		b.Run(fmt.Sprintf("baseline-bits/n=%d", n), func(b *testing.B) { benchTrials(b, wave1, false) })
		b.Run(fmt.Sprintf("world-no-stop/n=%d", n), func(b *testing.B) { benchTrials(b, wave1, true) })
		counter := wave1
		counter.Stop = engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true}
		b.Run(fmt.Sprintf("counter-feedback-k2/n=%d", n), func(b *testing.B) { benchTrials(b, counter, true) })
		transmits := wave1
		transmits.Fanout, transmits.Stop = 3, engine.Stop{Rule: engine.StopTransmits, Mult: 4}
		b.Run(fmt.Sprintf("transmits-lan/n=%d", n), func(b *testing.B) { benchTrials(b, transmits, true) })
	}
}

func benchTrials(b *testing.B, cfg engine.Config, world bool) {
	var rounds int
	for i := 0; i < b.N; i++ {
		cfg.Seed = uint64(i)
		rec := engine.NewRecorder(cfg.Nodes, false)
		var err error
		if world {
			var rules, rerr = topology.Rules(cfg)
			if rerr != nil {
				b.Fatal(rerr)
			}
			err = monger(context.Background(), cfg, rules, rec)
		} else {
			err = Engine{}.Run(context.Background(), cfg, rec)
		}
		if err != nil {
			b.Fatal(err)
		}
		rounds += len(rec.Trace.Rounds) - 1
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rounds)/float64(cfg.Nodes), "ns/node-round")
}

// BenchmarkFaults measures faults over time on the World against the
// World without them, in the same run: what drawing and applying a
// round's events costs at scale. Churn draws two shuffles of the alive
// nodes each round; a partition tests every message against the cut.
func BenchmarkFaults(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		base := engine.Config{Nodes: n, Mode: engine.PushPull, Fanout: 1, MaxRounds: 60, Source: -1,
			Failures: []engine.Failure{{Round: 2, Fraction: 0.1}}}
		b.Run(fmt.Sprintf("baseline-world-crash/n=%d", n), func(b *testing.B) { benchTrials(b, base, true) })
		recovery := base
		recovery.Failures = []engine.Failure{{Round: 2, Fraction: 0.1, Recover: 8}}
		b.Run(fmt.Sprintf("recover/n=%d", n), func(b *testing.B) { benchTrials(b, recovery, true) })
		split := base
		split.Partitions = []engine.Partition{{Round: 1, Heal: 10, Groups: 2}}
		b.Run(fmt.Sprintf("partition/n=%d", n), func(b *testing.B) { benchTrials(b, split, true) })
		churn := base
		churn.Churn = engine.Churn{Leave: 0.01, Join: 0.01, From: 1, Until: 30}
		b.Run(fmt.Sprintf("churn-1pct/n=%d", n), func(b *testing.B) { benchTrials(b, churn, true) })
	}
}
