// Package enginetest is the conformance suite for gossipbench engines: the
// round semantics of docs/design.md, "Round semantics", checked on cases small
// enough to count by hand, on a probability that can be worked out by hand,
// and on invariants that hold for any configuration. Every engine's tests
// call Run, so the in-memory simulator and the HTTP cluster are held to the
// same rows.
package enginetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// Options adapts the suite to an engine.
type Options struct {
	// Short runs fewer seeds and trials and smaller clusters, for slow
	// engines. Tolerances widen with the smaller samples, and every check
	// that needs a random event to happen uses enough seeds that missing it
	// has a chance below 1e-6.
	Short bool
	// IgnoreBytes is for engines without wire bytes, which report 0. Without
	// it, every round that delivered something must report Bytes > 0 and
	// every round that sent nothing Bytes == 0. (A lost message never
	// reaches the wire, and a failed one may not.)
	IgnoreBytes bool
}

// Run checks that e keeps the round semantics every engine shares.
func Run(t *testing.T, e engine.Engine, opts Options) {
	t.Helper()
	s := suite{e: e, opts: opts}
	t.Run("TinyCasesByHand", s.tinyCasesByHand)
	t.Run("CrashByHand", s.crashByHand)
	t.Run("TopologyByHand", s.topologyByHand)
	t.Run("MongeringByHand", s.mongeringByHand)
	t.Run("FaultsByHand", s.faultsByHand)
	t.Run("TinyProbabilityByHand", s.tinyProbabilityByHand)
	t.Run("Invariants", s.invariants)
	t.Run("Cancel", s.cancel)
	t.Run("RejectsBadConfig", s.rejectsBadConfig)
}

type suite struct {
	e    engine.Engine
	opts Options
}

// pick is full unless the run is short.
func (s suite) pick(full, short int) int {
	if s.opts.Short {
		return short
	}
	return full
}

func (s suite) run(t *testing.T, cfg engine.Config) *engine.Trace {
	t.Helper()
	tr, err := engine.Collect(t.Context(), s.e, cfg)
	if err != nil {
		t.Fatalf("%+v: %v", cfg, err)
	}
	if tr == nil || len(tr.Rounds) == 0 {
		t.Fatalf("%+v: empty trace", cfg)
	}
	if cfg.Replay && tr.Replay == nil {
		t.Fatalf("%+v: Replay asked for but not recorded", cfg)
	}
	s.checkBytes(t, cfg, tr.Rounds)
	return tr
}

// checkBytes holds engines with wire bytes to them: a round that sent
// something put bytes on the wire, a round that sent nothing did not.
func (s suite) checkBytes(t *testing.T, cfg engine.Config, rounds []engine.RoundStats) {
	t.Helper()
	if s.opts.IgnoreBytes {
		return
	}
	for _, r := range rounds {
		if r.Delivered > 0 && r.Bytes <= 0 || r.Sent == 0 && r.Bytes != 0 {
			t.Fatalf("%+v: round %d sent %d messages in %d bytes", cfg, r.Round, r.Sent, r.Bytes)
		}
	}
}

// noBytes is rows with Bytes zeroed, to compare with expected rows, which
// have none: bytes depend on the wire format and are checked by checkBytes.
func noBytes(rows []engine.RoundStats) []engine.RoundStats {
	out := make([]engine.RoundStats, len(rows))
	for i, r := range rows {
		r.Bytes = 0
		out[i] = r
	}
	return out
}

func equalRows(a, b []engine.RoundStats) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rs builds an expected row; fields not given are zero.
func rs(round, informed, new, alive, sent, delivered, lost, failed, useful, redundant int) engine.RoundStats {
	return engine.RoundStats{Round: round, Informed: informed, New: new, Alive: alive, Sent: sent,
		Delivered: delivered, Lost: lost, Failed: failed, Useful: useful, Redundant: redundant}
}

// Cases small enough to count by hand. With two nodes and fanout 1 every
// choice is forced, so the rows hold for any seed.
func (s suite) tinyCasesByHand(t *testing.T) {
	cases := []struct {
		name string
		cfg  engine.Config
		want []engine.RoundStats
	}{
		{"push n=2: one push informs the other node",
			engine.Config{Nodes: 2, Mode: engine.Push, Fanout: 1, MaxRounds: 5, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0)}},
		{"pull n=2: two requests (inform no one), two answers (one carries the rumor)",
			engine.Config{Nodes: 2, Mode: engine.Pull, Fanout: 1, MaxRounds: 5, Source: 1},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 4, 4, 0, 0, 1, 3)}},
		{"pushpull n=2: the source's request informs; the other answer arrives too late to be useful",
			engine.Config{Nodes: 2, Mode: engine.PushPull, Fanout: 1, MaxRounds: 5, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 4, 4, 0, 0, 1, 3)}},
		{"push n=3 fanout 2: both peers in one round",
			engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 2, MaxRounds: 5, Source: 2},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 3, 2, 3, 2, 2, 0, 0, 2, 0)}},
		{"pull n=3 fanout 2: six requests, six answers, two of them useful",
			engine.Config{Nodes: 3, Mode: engine.Pull, Fanout: 2, MaxRounds: 5, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 3, 2, 3, 12, 12, 0, 0, 2, 10)}},
		{"push with loss 1: every push lost, runs to max_rounds",
			engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, Loss: 1, MaxRounds: 3, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 1, 0, 3, 1, 0, 1, 0, 0, 0),
				rs(2, 1, 0, 3, 1, 0, 1, 0, 0, 0), rs(3, 1, 0, 3, 1, 0, 1, 0, 0, 0)}},
		{"pull with loss 1: requests lost, so no answers are sent",
			engine.Config{Nodes: 2, Mode: engine.Pull, Fanout: 1, Loss: 1, MaxRounds: 2, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 1, 0, 2, 2, 0, 2, 0, 0, 0),
				rs(2, 1, 0, 2, 2, 0, 2, 0, 0, 0)}},
	}
	for _, c := range cases {
		s.byHand(t, c.name, c.cfg, c.want, s.pick(20, 5), nil)
	}
}

// byHand runs a tiny case counted by hand as a subtest, under each of
// seeds seeds: every one must give exactly the rows want (bytes aside);
// then check, unless nil, looks at the trace for what else the case
// promises (cfg carries the seed).
func (s suite) byHand(t *testing.T, name string, cfg engine.Config, want []engine.RoundStats, seeds int, check func(t *testing.T, cfg engine.Config, tr *engine.Trace)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		for seed := range uint64(seeds) {
			cfg.Seed = seed
			tr := s.run(t, cfg)
			if got := noBytes(tr.Rounds); !equalRows(got, want) {
				t.Fatalf("seed %d:\n got %+v\nwant %+v", seed, got, want)
			}
			if check != nil {
				check(t, cfg, tr)
			}
		}
	})
}

// Three nodes, push, fanout 1, one crash at round 1. If the crash hits a
// bystander, the source's push reaches the other node or fails at the
// crashed one; if it hits the source, nothing can spread and the trial stops.
// Which node crashes is the trial's randomness, drawn from Config.Seed.
func (s suite) crashByHand(t *testing.T) {
	seen := map[string]int{}
	// Each branch has probability 1/3, so a run of k seeds misses a given
	// one with probability (2/3)^k: 200 seeds see every branch, and the 40
	// of a short run miss one with chance 3*(2/3)^40 < 3e-7.
	seeds := uint64(s.pick(200, 40))
	for seed := uint64(0); seed < seeds; seed++ {
		cfg := engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, MaxRounds: 10, Source: 0, Seed: seed,
			Failures: []engine.Failure{{Round: 1, Fraction: 0.3}}, Replay: true}
		tr := s.run(t, cfg)
		if len(tr.Rounds) < 2 || len(tr.Replay.CrashedAt) != 3 {
			t.Fatalf("seed %d: rounds %+v, crashed at %v", seed, tr.Rounds, tr.Replay.CrashedAt)
		}
		r1 := tr.Rounds[1]
		r1.Bytes = 0
		switch {
		case tr.Replay.CrashedAt[0] == 1: // the source crashed
			seen["source crashed"]++
			if want := rs(1, 0, 0, 2, 0, 0, 0, 0, 0, 0); r1 != want || len(tr.Rounds) != 2 || tr.Converged() || tr.Residue() != 1 {
				t.Fatalf("seed %d: source crashed: rounds %+v", seed, tr.Rounds)
			}
		case r1.Failed == 1: // pushed to the crashed node; the other is reached next round
			seen["push failed"]++
			if want := rs(1, 1, 0, 2, 1, 0, 0, 1, 0, 0); r1 != want {
				t.Fatalf("seed %d: round 1 = %+v, want %+v", seed, r1, want)
			}
		default:
			seen["push delivered"]++
			if want := rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0); r1 != want || !tr.Converged() {
				t.Fatalf("seed %d: round 1 = %+v, want %+v", seed, r1, want)
			}
		}
	}
	if len(seen) != 3 {
		t.Fatalf("branches seen over %d seeds: %v", seeds, seen)
	}
	t.Logf("branches seen over %d seeds: %v", seeds, seen)
}

// Three nodes, push, fanout 1: after round 1 two nodes know, and each
// pushes to one of its two peers, so the third node is reached in round 2
// with probability 1 - (1/2)^2 = 3/4.
func (s suite) tinyProbabilityByHand(t *testing.T) {
	trials := s.pick(4000, 400)
	hits := 0
	for seed := 0; seed < trials; seed++ {
		tr := s.run(t, engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, MaxRounds: 50, Source: -1, Seed: uint64(seed)})
		if r, _ := tr.RoundsTo(1); r == 2 {
			hits++
		}
	}
	// Four binomial standard errors: 0.027 for 4000 trials, 0.087 for 400.
	const want = 0.75
	p := float64(hits) / float64(trials)
	tol := 4 * math.Sqrt(want*(1-want)/float64(trials))
	if math.Abs(p-want) > tol {
		t.Fatalf("P(full at round 2) = %.3f over %d trials, want %.2f ± %.3f", p, trials, want, tol)
	}
	t.Logf("P(full at round 2) = %.3f over %d trials, want %.2f ± %.3f", p, trials, want, tol)
}

// Invariants that hold for any configuration, checked on a spread of them
// through the replay, which records every message.
func (s suite) invariants(t *testing.T) {
	cfgs := []engine.Config{
		{Nodes: 50, Fanout: 1, Loss: 0.2, MaxRounds: 100},
		{Nodes: 200, Fanout: 3, Loss: 0.5, MaxRounds: 100, Failures: []engine.Failure{{Round: 2, Fraction: 0.3}, {Round: 5, Fraction: 0.1}}},
		{Nodes: 64, Fanout: 40, MaxRounds: 100}, // large fanout: the stamp path of the memory engine's peer picker
	}
	if s.opts.Short {
		cfgs = []engine.Config{
			{Nodes: 20, Fanout: 1, Loss: 0.2, MaxRounds: 100},
			{Nodes: 60, Fanout: 3, Loss: 0.5, MaxRounds: 100, Failures: []engine.Failure{{Round: 2, Fraction: 0.3}, {Round: 5, Fraction: 0.1}}},
			{Nodes: 48, Fanout: 40, MaxRounds: 100},
		}
	}
	seeds := uint64(s.pick(10, 3))
	for _, mode := range engine.Modes() {
		for _, cfg := range cfgs {
			cfg.Mode, cfg.Source, cfg.Replay = mode, -1, true
			t.Run(fmt.Sprintf("%v/n=%d/fanout=%d", mode, cfg.Nodes, cfg.Fanout), func(t *testing.T) {
				for seed := uint64(1); seed <= seeds; seed++ {
					cfg.Seed = seed
					checkInvariants(t, cfg, s.run(t, cfg))
				}
			})
		}
	}
}

// checkInvariants checks the counts against each other and against the
// replay, and every message of the replay against the round semantics: who
// may send what in a round is decided by the state at its start.
func checkInvariants(t *testing.T, cfg engine.Config, tr *engine.Trace) {
	t.Helper()
	rep := tr.Replay
	if len(rep.Edges) != len(tr.Rounds) {
		t.Fatalf("%+v: %d edge rounds for %d rounds", cfg, len(rep.Edges), len(tr.Rounds))
	}
	if len(rep.FirstInformed) != cfg.Nodes || len(rep.CrashedAt) != cfg.Nodes {
		t.Fatalf("%+v: replay has %d first-informed and %d crashed-at entries for %d nodes",
			cfg, len(rep.FirstInformed), len(rep.CrashedAt), cfg.Nodes)
	}
	if tr.Source < 0 || tr.Source >= cfg.Nodes {
		t.Fatalf("%+v: source %d is not a node", cfg, tr.Source)
	}
	if fi := rep.FirstInformed[tr.Source]; fi != 0 {
		t.Fatalf("%+v: source %d first informed at round %d, want 0", cfg, tr.Source, fi)
	}
	for i, r := range tr.Rounds {
		if r.Round != i || r.Sent != r.Delivered+r.Lost+r.Failed || r.Delivered != r.Useful+r.Redundant || (i > 0 && r.Useful != r.New) {
			t.Fatalf("%+v: round %+v breaks sent = delivered+lost+failed, delivered = useful+redundant, useful = new (after round 0)", cfg, r)
		}
		var byOutcome [4]int
		for _, e := range rep.Edges[i] {
			if e.From == e.To {
				t.Fatalf("%+v: node %d messaged itself", cfg, e.From)
			}
			if int(e.Outcome) >= len(byOutcome) {
				t.Fatalf("%+v: round %d: edge %+v has an unknown outcome", cfg, i, e)
			}
			byOutcome[e.Outcome]++
		}
		if byOutcome != [4]int{r.Useful, r.Redundant, r.Lost, r.Failed} {
			t.Fatalf("%+v: round %d edges %v disagree with %+v", cfg, i, byOutcome, r)
		}
		newHere, alive, informed := 0, 0, 0
		for v, fi := range rep.FirstInformed {
			if int(fi) == i {
				newHere++
			}
			if up(rep, v, i) {
				alive++
				if fi >= 0 && int(fi) <= i {
					informed++
				}
			}
		}
		if newHere != r.New {
			t.Fatalf("%+v: round %d: %d nodes first informed, %d new", cfg, i, newHere, r.New)
		}
		if alive != r.Alive || informed != r.Informed {
			t.Fatalf("%+v: round %d: the replay has %d alive, %d of them informed; the row %+v", cfg, i, alive, informed, r)
		}
		if i > 0 {
			checkMessages(t, cfg, rep, i)
		}
	}
}

// up is whether node v is alive in round r (crashes happen at the start of
// a round, before any message).
func up(rep *engine.Replay, v, r int) bool {
	c := rep.CrashedAt[v]
	return c < 0 || int(c) > r
}

// knew is whether node v was informed at the start of round r.
func knew(rep *engine.Replay, v, r int) bool {
	fi := rep.FirstInformed[v]
	return fi >= 0 && int(fi) < r
}

// checkMessages holds the messages of round r to docs/design.md, "Round
// semantics": push: every alive node informed at the start of the round
// pushes to fanout distinct peers; pull and pushpull: every alive node sends
// fanout requests to distinct peers, and every delivered request, and only
// those, is answered.
// A message informs someone only if its sender knew at the start of the
// round (a pull request never does); a failed message went to a crashed node.
func checkMessages(t *testing.T, cfg engine.Config, rep *engine.Replay, r int) {
	t.Helper()
	type pair struct{ from, to int32 }
	contacts := map[int32]map[int32]bool{} // pushes or requests, by sender
	delivered := map[pair]int{}            // requests, by sender and receiver
	answered := map[pair]int{}             // answers, by the request's sender and receiver
	wantKind := engine.KindRequest
	if cfg.Mode == engine.Push {
		wantKind = engine.KindPush
	}
	for _, e := range rep.Edges[r] {
		from, to := int(e.From), int(e.To)
		if from < 0 || from >= cfg.Nodes || to < 0 || to >= cfg.Nodes {
			t.Fatalf("%+v: round %d: edge %+v names a node out of range", cfg, r, e)
		}
		if !up(rep, from, r) {
			t.Fatalf("%+v: round %d: crashed node %d sent %+v", cfg, r, from, e)
		}
		switch e.Outcome {
		case engine.Useful:
			if !knew(rep, from, r) || int(rep.FirstInformed[to]) != r || cfg.Mode == engine.Pull && e.Kind == engine.KindRequest {
				t.Fatalf("%+v: round %d: useful %+v, but the sender was first informed at round %d and the receiver at %d",
					cfg, r, e, rep.FirstInformed[from], rep.FirstInformed[to])
			}
		case engine.Failed:
			if up(rep, to, r) {
				t.Fatalf("%+v: round %d: %+v failed, but node %d is alive", cfg, r, e, to)
			}
		}
		switch {
		case e.Kind == wantKind:
			if e.Kind == engine.KindPush && !knew(rep, from, r) {
				t.Fatalf("%+v: round %d: node %d pushed, but was first informed at round %d", cfg, r, from, rep.FirstInformed[from])
			}
			if contacts[e.From] == nil {
				contacts[e.From] = map[int32]bool{}
			}
			if contacts[e.From][e.To] {
				t.Fatalf("%+v: round %d: node %d contacted node %d twice", cfg, r, from, to)
			}
			contacts[e.From][e.To] = true
			if e.Kind == engine.KindRequest && (e.Outcome == engine.Useful || e.Outcome == engine.Redundant) {
				delivered[pair{e.From, e.To}]++
			}
		case e.Kind == engine.KindAnswer && cfg.Mode != engine.Push:
			answered[pair{e.To, e.From}]++
		default:
			t.Fatalf("%+v: round %d: %v message %+v", cfg, r, cfg.Mode, e)
		}
	}
	for v := 0; v < cfg.Nodes; v++ {
		sends := up(rep, v, r) && (cfg.Mode != engine.Push || knew(rep, v, r))
		if got := len(contacts[int32(v)]); sends && got != cfg.Fanout || !sends && got != 0 {
			t.Fatalf("%+v: round %d: node %d (first informed %d, crashed %d) contacted %d peers",
				cfg, r, v, rep.FirstInformed[v], rep.CrashedAt[v], got)
		}
	}
	if len(answered) != len(delivered) {
		t.Fatalf("%+v: round %d: %d requests delivered, %d answered", cfg, r, len(delivered), len(answered))
	}
	for p, n := range delivered {
		if answered[p] != n {
			t.Fatalf("%+v: round %d: request %d->%d delivered %d times, answered %d times", cfg, r, p.from, p.to, n, answered[p])
		}
	}
}

// A cancelled context stops the trial with an error that says so.
func (s suite) cancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.e.Run(ctx, engine.Config{Nodes: 10, Fanout: 1, MaxRounds: 10, Source: -1}, engine.ObserverFunc(func(engine.Round) {}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one wrapping context.Canceled", err)
	}
}

func (s suite) rejectsBadConfig(t *testing.T) {
	for _, cfg := range []engine.Config{
		{Nodes: 1, Fanout: 1, MaxRounds: 1},
		{Nodes: 3, Fanout: 3, MaxRounds: 1},
		{Nodes: 3, Fanout: 1, MaxRounds: 0},
		{Nodes: 3, Fanout: 1, MaxRounds: 1, Loss: 1.5},
		{Nodes: 3, Fanout: 1, MaxRounds: 1, Source: 3},
	} {
		if _, err := engine.Collect(t.Context(), s.e, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
