package protocol

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// runWorld runs one trial on the World as the memory engine does and
// returns its last round.
func runWorld(t *testing.T, cfg engine.Config) int {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	w := NewWorld(New(cfg, nil), false)
	w.Start()
	for r := 1; ; r++ {
		w.Begin(r)
		if out := w.Round(r); w.Done(out) {
			return r
		}
	}
}

// An event scheduled after max_rounds never happens: the trial must stop
// as the same trial without it does, not run to max_rounds waiting.
func TestEventsAfterMaxRoundsDoNotHoldTheTrial(t *testing.T) {
	base := engine.Config{Nodes: 20, Mode: engine.Push, Fanout: 2, MaxRounds: 40, Source: 0, Seed: 7}
	for _, c := range []struct {
		name      string
		with, not func(*engine.Config)
	}{
		{"recover", func(c *engine.Config) { c.Failures = []engine.Failure{{Round: 2, Fraction: 0.1, Recover: 100}} },
			func(c *engine.Config) { c.Failures = []engine.Failure{{Round: 2, Fraction: 0.1}} }},
		{"recover keep_state, stop rule", func(c *engine.Config) {
			c.Stop = engine.Stop{Rule: engine.StopCounter, K: 1}
			c.Failures = []engine.Failure{{Round: 2, Fraction: 0.1, Recover: 100, KeepState: true}}
		}, func(c *engine.Config) {
			c.Stop = engine.Stop{Rule: engine.StopCounter, K: 1}
			c.Failures = []engine.Failure{{Round: 2, Fraction: 0.1}}
		}},
		{"heal", func(c *engine.Config) { c.Partitions = []engine.Partition{{Round: 2, Heal: 1000, Groups: 2}} },
			func(c *engine.Config) { c.Partitions = []engine.Partition{{Round: 2, Groups: 2}} }},
	} {
		with, not := base, base
		c.with(&with)
		c.not(&not)
		got, want := runWorld(t, with), runWorld(t, not)
		if want >= base.MaxRounds {
			t.Fatalf("%s: the trial without the event runs to max_rounds: no test", c.name)
		}
		if got != want {
			t.Errorf("%s after max_rounds: the trial stops after round %d, without it after %d", c.name, got, want)
		}
	}
}
