package memory

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/enginetest"
)

func run(t *testing.T, cfg engine.Config) *engine.Trace {
	t.Helper()
	tr, err := engine.Collect(context.Background(), Engine{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// The round semantics every engine shares: hand-counted cases, a hand-worked
// probability, invariants, cancellation and bad configs.
func TestConformance(t *testing.T) {
	enginetest.Run(t, Engine{}, enginetest.Options{IgnoreBytes: true})
}

// The short suite is what slow engines run; its smaller samples and wider
// tolerances must pass at its fixed seeds too.
func TestConformanceShort(t *testing.T) {
	enginetest.Run(t, Engine{}, enginetest.Options{Short: true, IgnoreBytes: true})
}

func TestSameSeedSameTrace(t *testing.T) {
	cfg := engine.Config{Nodes: 500, Mode: engine.PushPull, Fanout: 2, Loss: 0.1, MaxRounds: 100, Source: -1, Seed: 42, Replay: true,
		Failures: []engine.Failure{{Round: 3, Fraction: 0.1}}}
	a, b := run(t, cfg), run(t, cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	cfg.Seed++
	if reflect.DeepEqual(a.Rounds, run(t, cfg).Rounds) {
		t.Fatal("a different seed gave the same rounds")
	}
}

// The rows depend on the draws only: one worker or several, the fast path
// or the one that lists every message (a replay), give the same rows.
func TestRowsIndependentOfWorkersAndReplay(t *testing.T) {
	n := parallelMin + 77 // above the threshold, and not a multiple of 64
	for _, cfg := range []engine.Config{
		{Mode: engine.PushPull, Fanout: 1},
		{Mode: engine.Push, Fanout: 1},
		{Mode: engine.Pull, Fanout: 1},
		{Mode: engine.Push, Fanout: 2, Loss: 0.1, Failures: []engine.Failure{{Round: 3, Fraction: 0.1}}},
		{Mode: engine.Pull, Fanout: 1, Loss: 0.2, Failures: []engine.Failure{{Round: 2, Fraction: 0.3, Kind: engine.Hang}}},
		{Mode: engine.PushPull, Fanout: 3, Loss: 0.05},
		// Several failures in one round, then one that takes every node left.
		{Mode: engine.PushPull, Fanout: 2, Loss: 0.1, Failures: []engine.Failure{{Round: 2, Fraction: 0.1},
			{Round: 2, Fraction: 0.2, Kind: engine.Garbage}, {Round: 4, Fraction: 1}}},
		{Mode: engine.Pull, Fanout: 2, Loss: 1},
	} {
		cfg.Nodes, cfg.MaxRounds, cfg.Source, cfg.Seed = n, 100, -1, 11
		t.Run(fmt.Sprintf("%v/fanout=%d/loss=%v/failures=%d", cfg.Mode, cfg.Fanout, cfg.Loss, len(cfg.Failures)), func(t *testing.T) {
			want := collect(t, Engine{Workers: 1}, cfg)
			for _, w := range []int{2, 3} {
				if got := collect(t, Engine{Workers: w}, cfg); !reflect.DeepEqual(got.Rounds, want.Rounds) {
					t.Fatalf("%d workers:\n%v\none worker:\n%v", w, got.Rounds, want.Rounds)
				}
			}
			cfg.Replay = true
			rep := collect(t, Engine{Workers: 2}, cfg)
			if !reflect.DeepEqual(rep.Rounds, want.Rounds) {
				t.Fatalf("with replay:\n%v\nwithout:\n%v", rep.Rounds, want.Rounds)
			}
			for r, edges := range rep.Replay.Edges {
				if len(edges) != rep.Rounds[r].Sent {
					t.Fatalf("round %d: %d edges for %d messages", r, len(edges), rep.Rounds[r].Sent)
				}
			}
		})
	}
}

func collect(t *testing.T, e Engine, cfg engine.Config) *engine.Trace {
	t.Helper()
	tr, err := engine.Collect(context.Background(), e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
