package cluster

import (
	"fmt"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
)

// edgeCase is a config at a boundary of the protocol where the two
// executors could part: each must give the simulator's rows exactly, and
// its check says the trace really is at that boundary (a case that missed
// it would pass for nothing).
type edgeCase struct {
	name  string
	cfg   engine.Config
	check func(tr *engine.Trace) error
}

func edgeCases(t *testing.T, mode engine.Mode) []edgeCase {
	base := func(nodes, fanout int, loss float64, maxRounds int) engine.Config {
		return engine.Config{Nodes: nodes, Mode: mode, Fanout: fanout, Loss: loss, MaxRounds: maxRounds,
			Source: -1, Seed: 7, Replay: true, Net: engine.NetOptions{Timeout: exactTimeout}}
	}
	given := base(12, 2, 0.1, 100)
	given.Source = 9
	full := base(6, 5, 0.2, 100) // fanout n-1: every other node, Floyd's draws all taken
	few := base(3, 2, 0.3, 100)
	allLost := base(5, 2, 1, 4)
	short := base(40, 1, 0, 2)
	everyone := base(10, 2, 0, 100)
	// Several failures in one round, the last taking more than remain.
	everyone.Failures = []engine.Failure{{Round: 1, Fraction: 0.5, Kind: engine.Crash},
		{Round: 1, Fraction: 0.3, Kind: engine.Hang}, {Round: 1, Fraction: 1, Kind: engine.Garbage}}
	several := base(30, 2, 0.1, 100)
	several.Failures = []engine.Failure{{Round: 2, Fraction: 0.1, Kind: engine.Crash},
		{Round: 2, Fraction: 0.1, Kind: engine.Garbage}, {Round: 2, Fraction: 0.1, Kind: engine.Crash}}
	noReplay := several
	noReplay.Replay = false
	return []edgeCase{
		{"source given", given, func(tr *engine.Trace) error {
			return want(tr.Source == 9, "source %d", tr.Source)
		}},
		{"fanout n-1", full, func(tr *engine.Trace) error {
			return want(tr.Totals().Lost > 0, "nothing lost")
		}},
		{"fanout 2 of 3 nodes", few, func(tr *engine.Trace) error {
			return want(tr.Totals().Sent > 0, "nothing sent")
		}},
		{"loss 1 to max_rounds", allLost, func(tr *engine.Trace) error {
			f := tr.Final()
			return want(f.Round == 4 && f.Informed == 1 && tr.Totals().Lost == tr.Totals().Sent, "final %+v", f)
		}},
		{"max_rounds before convergence", short, func(tr *engine.Trace) error {
			f := tr.Final()
			return want(f.Round == 2 && f.Informed < f.Alive, "final %+v", f)
		}},
		{"every node fails in round 1", everyone, func(tr *engine.Trace) error {
			f := tr.Final()
			return want(len(tr.Rounds) == 2 && f.Alive == 0 && f.Sent == 0, "final %+v", f)
		}},
		{"several failures in one round", several, func(tr *engine.Trace) error {
			return want(tr.Rounds[2].Alive == 30-9 && tr.Totals().Failed > 0, "round 2 %+v", tr.Rounds[2])
		}},
		{"several failures, no replay", noReplay, func(tr *engine.Trace) error {
			return want(tr.Replay == nil, "a replay")
		}},
		{"the source fails in round 1", sourceFails(t, base(4, 1, 0, 100)), func(tr *engine.Trace) error {
			f := tr.Final()
			return want(len(tr.Rounds) == 2 && f.Informed == 0 && f.Alive == 2, "final %+v", f)
		}},
	}
}

// sourceFails is cfg with half its nodes crashing in round 1, at the
// first seed whose crash takes the source: the trial stops with nodes
// alive and none informed.
func sourceFails(t *testing.T, cfg engine.Config) engine.Config {
	t.Helper()
	cfg.Failures = []engine.Failure{{Round: 1, Fraction: 0.5, Kind: engine.Crash}}
	for cfg.Seed = 1; cfg.Seed < 100; cfg.Seed++ {
		if tr := collect(t, memory.Engine{}, cfg); tr.Replay.CrashedAt[tr.Source] == 1 {
			return cfg
		}
	}
	t.Fatal("no seed below 100 crashes the source")
	return cfg
}

func want(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

// At the protocol's boundaries (a source given, fanout n-1, every message
// lost, max_rounds reached, every node failing, several failures in one
// round, the source failing first) the http engine in lockstep still
// gives exactly the simulator's trace.
func TestExactAtTheBoundaries(t *testing.T) {
	checkNoLeaks(t)
	inEveryMode(t, func(t *testing.T, mode engine.Mode, e *Engine) {
		for _, c := range edgeCases(t, mode) {
			_, wantTr := againstMemory(t, e, c.name, c.cfg)
			if err := c.check(wantTr); err != nil {
				t.Errorf("%s: not the boundary it is named for: %v", c.name, err)
			}
		}
	})
}
