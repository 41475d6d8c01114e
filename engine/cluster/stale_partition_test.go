package cluster

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// A node that crashes while a partition stands still holds the partition's
// table when the partition heals (only alive nodes are told). The trial
// ends healed, with the node down; the next trial on the same nodes brings
// it back, and it must not cut its messages by a table of the last trial.
func TestNoPartitionOutlivesItsTrialInANodeDownAtTheHeal(t *testing.T) {
	checkNoLeaks(t)
	e := &Engine{}
	defer e.Close()
	cfg := engine.Config{Nodes: 8, Mode: engine.Push, Fanout: 2, MaxRounds: 30, Source: 0, Seed: 5, Replay: true,
		Failures:   []engine.Failure{{Round: 3, Fraction: 0.5}},
		Partitions: []engine.Partition{{Round: 2, Heal: 5, Groups: 2}}, Net: engine.NetOptions{Timeout: exactTimeout}}
	for _, d := range traceDiffs(collect(t, e, cfg), agreedMemory(t, cfg)) {
		t.Fatalf("the trial with the partition: %s", d)
	}
	plain := engine.Config{Nodes: 8, Mode: engine.Push, Fanout: 2, MaxRounds: 30, Source: -1, Replay: true,
		Net: engine.NetOptions{Timeout: exactTimeout}}
	for seed := range uint64(4) {
		plain.Seed = seed
		for _, d := range traceDiffs(collect(t, e, plain), agreedMemory(t, plain)) {
			t.Fatalf("seed %d, after a trial whose partition healed while nodes were down: %s", seed, d)
		}
	}
}
