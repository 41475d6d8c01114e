// Package memory is the in-memory executor of the protocol core
// (engine/protocol): synchronous rounds with one bit per node and per set,
// so that a hundred million nodes fit in a few bytes each. It decides
// nothing itself; see docs/design.md, "Round semantics".
package memory

import (
	"context"
	"fmt"
	"runtime"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// Engine is safe for concurrent use; each Run owns its buffers.
type Engine struct {
	// Workers is how many goroutines share one trial's rounds; 0 means
	// GOMAXPROCS. The draws do not depend on who makes them, so the
	// rows are the same for any value.
	Workers int
}

// MaxWorkers bounds the workers of one trial: each keeps a bit per node of
// its own, and beyond a few cores the round's end, which merges them,
// costs what more workers save.
const MaxWorkers = 8

// parallelMin is the node count from which a round is split among
// workers: below it, starting them costs more than they save.
const parallelMin = 1 << 15

// Run simulates one trial, handing each round to obs as it ends.
func (e Engine) Run(ctx context.Context, cfg engine.Config, obs engine.Observer) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("memory engine: %w", err)
	}
	rules, err := topology.Rules(cfg)
	if err != nil {
		return fmt.Errorf("memory engine: %w", err)
	}
	if cfg.World() {
		return monger(ctx, cfg, rules, obs)
	}
	s := newSim(cfg, rules, e.workers(cfg))
	src := s.rules.Source()
	s.next.set(src)
	s.informedAlive = 1
	s.reach()
	obs.Round(topology.Injection(rules.Graph, src))
	for r := 1; r <= cfg.MaxRounds; r++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		out := s.round(r)
		obs.Round(out)
		if s.rules.Done(out.RoundStats) {
			break
		}
	}
	return nil
}

func (e Engine) workers(cfg engine.Config) int {
	w := e.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	if cfg.Replay || cfg.Nodes < parallelMin {
		return 1 // replay edges are listed in the canonical order
	}
	return min(w, MaxWorkers)
}

type sim struct {
	rules   *protocol.Rules
	n       int
	replay  bool
	workers []*worker

	known bitset // informed at the start of the round: every decision reads this
	next  bitset // informed by the end of the round
	alive bitset

	aliveCount, informedAlive int
}

func newSim(cfg engine.Config, rules *protocol.Rules, workers int) *sim {
	n := cfg.Nodes
	s := &sim{
		rules:      rules,
		n:          n,
		replay:     cfg.Replay,
		known:      newBitset(n),
		next:       newBitset(n),
		alive:      newBitset(n),
		aliveCount: n,
	}
	s.alive.setFirst(n)
	// Each worker takes a contiguous run of whole bitset words.
	words := len(s.alive)
	per := (words + workers - 1) / workers
	for lo := 0; lo < words; lo += per {
		s.workers = append(s.workers, &worker{s: s, lo: lo, hi: min(lo+per, words),
			peers: s.rules.Graph.Sampler(), tally: protocol.Tally{Record: cfg.Replay}})
	}
	for _, w := range s.workers {
		w.learnt = s.next
		if len(s.workers) > 1 {
			w.learnt = newBitset(n)
		}
	}
	return s
}

// round runs round r and returns its record.
func (s *sim) round(r int) engine.Round {
	out := engine.Round{RoundStats: engine.RoundStats{Round: r}}
	if s.rules.FaultsAt(r) {
		out.Failed = s.fail(r)
		if !s.replay {
			out.Failed = nil
		}
	}
	copy(s.known, s.next)
	s.each(r)
	st := &out.RoundStats
	for _, w := range s.workers {
		st.AddMessages(w.tally.Stats)
		st.New += w.tally.Stats.New
		if s.replay {
			out.Edges = append(out.Edges, w.tally.Edges...)
		}
	}
	if s.replay {
		for _, e := range out.Edges {
			if e.Outcome == engine.Useful {
				out.Informed = append(out.Informed, e.To)
			}
		}
	}
	s.informedAlive += st.New
	st.Informed, st.Alive = s.informedAlive, s.aliveCount
	return out
}

// fail takes down this round's victims, as the core chooses them.
func (s *sim) fail(r int) []int32 {
	up := make([]int32, 0, s.aliveCount)
	s.alive.eachAnd(s.alive, func(i int) { up = append(up, int32(i)) })
	var down []int32
	for _, f := range s.rules.Faults(r, up) {
		// To the protocol every kind is the same: the node neither acts
		// nor answers, and messages to it fail.
		for _, v := range f.Nodes {
			s.alive.clear(int(v))
			s.aliveCount--
			if s.next.has(int(v)) {
				s.informedAlive--
			}
		}
		down = append(down, f.Nodes...)
	}
	s.reach()
	return down
}

// reach tells the core how many alive nodes the rumor can still get to.
func (s *sim) reach() {
	s.rules.Reach(s.alive.has, s.next.has)
}
