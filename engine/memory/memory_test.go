package memory

import (
	"context"
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
