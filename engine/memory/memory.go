// Package memory is the in-memory simulator: synchronous rounds on the
// complete graph, exactly the semantics of docs/design.md, "Round
// semantics", with one bit per node and per set so that millions of nodes
// fit in a few bytes each.
package memory

import (
	"context"
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
)

// Engine is stateless and safe for concurrent use; each Run owns its buffers.
type Engine struct{}

// Run simulates one trial. The trial ends at the end of the first round in
// which every alive node is informed, or no alive node is (nothing can
// spread any more), or at cfg.MaxRounds.
func (Engine) Run(ctx context.Context, cfg engine.Config) (*engine.Trace, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("memory engine: %w", err)
	}
	s := newSim(cfg)
	s.inject()
	for r := 1; r <= cfg.MaxRounds; r++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.round(r)
		if s.informedAlive == s.aliveCount || s.informedAlive == 0 {
			break
		}
	}
	return s.trace, nil
}

type sim struct {
	cfg   engine.Config
	n     int
	rng   *rng
	loss  chance
	peers peerPicker

	known bitset // informed at the start of the round: every decision reads this
	next  bitset // informed by the end of the round
	alive bitset

	aliveCount, informedAlive int

	st    engine.RoundStats // the round being simulated
	trace *engine.Trace
	edges []engine.Edge // this round's messages, when replaying
}

func newSim(cfg engine.Config) *sim {
	n := cfg.Nodes
	s := &sim{
		cfg:        cfg,
		n:          n,
		rng:        newRNG(cfg.Seed),
		loss:       newChance(cfg.Loss),
		known:      newBitset(n),
		next:       newBitset(n),
		alive:      newBitset(n),
		aliveCount: n,
		trace:      &engine.Trace{Rounds: make([]engine.RoundStats, 0, 64)},
	}
	s.peers = newPeerPicker(n, cfg.Fanout)
	s.alive.setFirst(n)
	if cfg.Replay {
		s.trace.Replay = engine.NewReplay(n)
	}
	return s
}

func (s *sim) inject() {
	src := s.cfg.Source
	if src < 0 {
		src = int(s.rng.intn(uint64(s.n)))
	}
	s.trace.Source = src
	s.next.set(src)
	s.informedAlive = 1
	if rep := s.trace.Replay; rep != nil {
		rep.FirstInformed[src] = 0
	}
	s.trace.Rounds = append(s.trace.Rounds, engine.RoundStats{Informed: 1, New: 1, Alive: s.n})
}

func (s *sim) round(r int) {
	s.st = engine.RoundStats{Round: r}
	s.edges = nil // the replay keeps each round's slice
	for _, f := range s.cfg.Failures {
		if f.Round == r {
			s.crash(r, f.CrashCount(s.n))
		}
	}
	copy(s.known, s.next)

	switch s.cfg.Mode {
	case engine.Push:
		s.known.eachAnd(s.alive, func(u int) {
			for _, v := range s.peers.pick(s.rng, u) {
				s.send(u, int(v), engine.KindPush, true)
			}
		})
	case engine.Pull, engine.PushPull:
		carries := s.cfg.Mode == engine.PushPull
		s.alive.eachAnd(s.alive, func(u int) {
			for _, v := range s.peers.pick(s.rng, u) {
				if s.send(u, int(v), engine.KindRequest, carries && s.known.has(u)) {
					s.send(int(v), u, engine.KindAnswer, s.known.has(int(v)))
				}
			}
		})
	}

	s.informedAlive += s.st.New
	s.st.Informed, s.st.Alive = s.informedAlive, s.aliveCount
	s.trace.Rounds = append(s.trace.Rounds, s.st)
	if rep := s.trace.Replay; rep != nil {
		rep.Edges = append(rep.Edges, s.edges)
	}
}

// send delivers one message and classifies it. carries is whether it holds
// the rumor. It reports whether the message was delivered.
func (s *sim) send(from, to int, kind engine.MessageKind, carries bool) bool {
	s.st.Sent++
	var out engine.Outcome
	switch {
	case s.loss.hit(s.rng):
		s.st.Lost++
		out = engine.Lost
	case !s.alive.has(to):
		s.st.Failed++
		out = engine.Failed
	case carries && !s.next.has(to):
		s.next.set(to)
		s.st.Delivered++
		s.st.Useful++
		s.st.New++
		out = engine.Useful
		if rep := s.trace.Replay; rep != nil {
			rep.FirstInformed[to] = int32(s.st.Round)
		}
	default:
		s.st.Delivered++
		s.st.Redundant++
		out = engine.Redundant
	}
	if s.trace.Replay != nil {
		s.edges = append(s.edges, engine.Edge{From: int32(from), To: int32(to), Kind: kind, Outcome: out})
	}
	return out == engine.Useful || out == engine.Redundant
}

// crash takes k nodes uniformly from the alive ones down for good.
func (s *sim) crash(r, k int) {
	up := make([]int32, 0, s.aliveCount)
	s.alive.eachAnd(s.alive, func(i int) { up = append(up, int32(i)) })
	k = min(k, len(up))
	for i := 0; i < k; i++ { // partial Fisher-Yates: the first k are the victims
		j := i + int(s.rng.intn(uint64(len(up)-i)))
		up[i], up[j] = up[j], up[i]
		v := int(up[i])
		s.alive.clear(v)
		s.aliveCount--
		if s.next.has(v) {
			s.informedAlive--
		}
		if rep := s.trace.Replay; rep != nil {
			rep.CrashedAt[v] = int32(r)
		}
	}
}
