package protocol

import (
	"math/bits"
	"unsafe"

	"github.com/gossipbench/gossipbench/engine"
)

// World is one trial's nodes with their state per rumor, and a round as
// the protocol runs it when rumors are mongered (Rules.Mongering): the
// simulator runs its trials with it, and the harness of real nodes runs
// it beside them to judge their reports, so the two cannot disagree on a
// rule. The order of a round (docs/design.md, "Stop rules"):
//
//  1. every acting node plans its pushes, slot by slot (PushCarries);
//  2. the messages in the canonical order: senders by ID, slots in order,
//     a request before its answer; contacts are applied as they happen;
//  3. anti-entropy exchanges, nodes by ID;
//  4. every state is settled (Settle) and the round counted.
type World struct {
	R    *Rules
	N, C int
	St   []RumorState // node u's state for rumor i is St[u*C+i]
	// Alive is who is up: the Schedule's own view, which only Begin
	// changes (read-only for everyone else).
	Alive []bool
	// Record keeps every message as an edge, and who learned, for a replay.
	Record bool
	// Watch, when set, sees every message as it is counted, with the
	// rumors it carried (what its sender put in it, lost or not): the
	// harness of real nodes holds each node's reports to them. carried
	// is the World's until the call returns.
	Watch func(from, to int, kind engine.MessageKind, out engine.Outcome, carried []int32)

	alive int
	peers Sampler
	// The round's plan, flat (one slice per node would be a million
	// allocations a round): actor a is node actors[a], its peers are
	// peer[first[a]:first[a+1]] in slot order, and what the push to
	// peer[j] carries is carry[from[j]:from[j+1]].
	actors, first, peer, from, carry []int32
	tally                            Tally
	// Bit i*N+u of know says whether node u knows rumor i now, of knew
	// whether it did at the start of the round, of spread whether it
	// spreads it (infective) now, of spreading at the start of the round.
	// A round touches the states of the nodes it concerns only: the
	// bits answer the rest.
	know, knew, spread, spreading bitmap
	// The alive nodes' counts per rumor, kept as states change; fresh
	// are the round's learnings, and learnt rumor 0's learners (replay).
	counts  []engine.RumorStats
	learnt  []int32
	reaches []int // per rumor, -1 until computed again (Done)
	buf     []int32
	sched   *Schedule
	ev      Events // the round's, from Begin
}

// NewWorld is the trial's nodes, all alive and susceptible.
func NewWorld(r *Rules, record bool) *World {
	n, c := r.Graph.Nodes(), r.Rumors.N()
	sched := NewSchedule(r)
	w := &World{R: r, N: n, C: c, St: make([]RumorState, n*c), Alive: sched.alive, Record: record,
		alive: n, peers: r.Graph.Sampler(), know: newBits(n * c), knew: newBits(n * c),
		spread: newBits(n * c), spreading: newBits(n * c), counts: make([]engine.RumorStats, c), reaches: make([]int, c),
		sched: sched}
	for i := range w.St {
		w.St[i] = Susceptible()
	}
	w.tally.Record = record
	return w
}

// Node is node u's states, by rumor.
func (w *World) Node(u int) []RumorState { return w.St[u*w.C : (u+1)*w.C] }

// Start is round 0: the rumors injected at round 0 start at their nodes.
func (w *World) Start() engine.Round {
	out := engine.Round{}
	w.inject(0, &out)
	w.count(&out, 0)
	out.Informed = append(out.Informed, out.Injected[0]) // rumor 0 starts at round 0
	return out
}

func (w *World) inject(round int, out *engine.Round) {
	for i := range w.C {
		if w.R.Rumors.InjectedAt(i) != round {
			continue
		}
		u := w.R.RumorSource(i)
		w.learn(u, i, round)
		w.reaches[i] = -1
		out.Injected = append(out.Injected, int32(u))
	}
}

// Begin starts round r (r >= 1) with its scheduled events, drawn by the
// World's Schedule (which has already set Alive) and applied to the
// nodes' states and counts, in the events' order; the engine carries them
// out on its own (real nodes) and then runs Round.
func (w *World) Begin(r int) Events {
	w.ev = w.sched.Begin(r)
	for _, b := range w.ev.Back {
		w.revive(int(b.Node), b.Keep)
	}
	for _, f := range w.ev.Down {
		w.fail(f.Nodes)
	}
	if w.ev.Healed || w.ev.Split != nil || len(w.ev.Back)+len(w.ev.Down) > 0 {
		for i := range w.reaches {
			w.reaches[i] = -1 // who can reach whom changed
		}
	}
	return w.ev
}

// Cut is whether the partition in force drops a message from u to v.
func (w *World) Cut(u, v int) bool { return w.sched.Cut(u, v) }

// revive counts node u back: with the rumors it knew, in the states it
// had them in, or with none.
func (w *World) revive(u int, keep bool) {
	w.alive++
	for i := range w.C {
		b := i*w.N + u
		if !w.know.has(b) {
			continue
		}
		if !keep {
			w.know.clear(b)
			w.St[u*w.C+i] = Susceptible()
			continue
		}
		c := &w.counts[i]
		c.Informed++
		if w.St[u*w.C+i].Removed {
			c.Removed++
		} else {
			w.spread.set(b)
			c.Infective++
		}
	}
}

// fail counts the nodes down; to the protocol every kind of failure is
// the same.
func (w *World) fail(nodes []int32) {
	for _, v := range nodes {
		w.alive--
		for i := range w.C {
			b := i*w.N + int(v)
			if !w.know.has(b) {
				continue
			}
			c := &w.counts[i]
			c.Informed--
			if w.spread.has(b) {
				c.Infective--
				w.spread.clear(b)
			} else {
				c.Removed--
			}
		}
	}
}

// Round runs round r (r >= 1) after its Begin. Its record names the nodes
// that went down and came back at its start, and the partition that
// started (engines drop them unless they record a replay).
func (w *World) Round(r int) engine.Round {
	out := engine.Round{Split: w.ev.Split}
	for _, b := range w.ev.Back {
		out.Recovered = append(out.Recovered, b.Node)
		if !b.Keep {
			out.Forgot = append(out.Forgot, b.Node)
		}
	}
	for _, f := range w.ev.Down {
		out.Failed = append(out.Failed, f.Nodes...)
	}
	out.Recovering = len(w.ev.Back)
	w.ev = Events{}
	w.tally.Stats, w.tally.Edges = engine.RoundStats{}, nil
	copy(w.knew, w.know)
	copy(w.spreading, w.spread)
	w.inject(r, &out)
	w.plan(r)
	for a, u := range w.actors {
		for j := w.first[a]; j < w.first[a+1]; j++ {
			w.exchange(r, int(u), int(j-w.first[a]), int(w.peer[j]), w.carry[w.from[j]:w.from[j+1]])
		}
	}
	if w.R.AE.At(r) {
		w.antiEntropy(r)
	}
	w.settle()
	msgs := w.tally.Stats
	w.count(&out, r)
	out.AddMessages(msgs)
	out.Round, out.Edges = r, w.tally.Edges
	return out
}

// settle ends the round for every state that spread in it: no other
// state can have changed but by learning.
func (w *World) settle() {
	for wi, word := range w.spreading {
		for ; word != 0; word &= word - 1 {
			b := wi<<6 | bits.TrailingZeros64(word)
			i, u := b/w.N, b%w.N
			s := &w.St[u*w.C+i]
			if w.R.Settle(s); s.Removed && w.spread.has(b) {
				w.spread.clear(b)
				w.counts[i].Infective--
				w.counts[i].Removed++
			}
		}
	}
}

// plan lists the acting nodes, ascending, their peers and what each of
// their pushes carries.
func (w *World) plan(r int) {
	d := w.R.PeerDraws(r)
	w.actors, w.first = w.actors[:0], w.first[:0]
	w.peer, w.from, w.carry = w.peer[:0], append(w.from[:0], 0), w.carry[:0]
	for u := range w.N {
		if !w.Alive[u] || !w.R.Acts(w.spreads(u)) {
			continue
		}
		w.actors = append(w.actors, int32(u))
		w.first = append(w.first, int32(len(w.peer)))
		w.peer = append(w.peer, w.peers.Peers(d, u, w.R.Fanout)...)
		st := w.Node(u)
		for range len(w.peer) - int(w.first[len(w.first)-1]) {
			w.carry = w.R.SlotCarries(w.carry, r, st)
			w.from = append(w.from, int32(len(w.carry)))
		}
	}
	w.first = append(w.first, int32(len(w.peer)))
}

// knowsAny is whether node u knows a rumor, up or down.
func (w *World) knowsAny(u int) bool { return w.know.anyRumor(u, w.N, w.C) }

// spreads is whether node u has a rumor to spread this round.
func (w *World) spreads(u int) bool { return w.spreading.anyRumor(u, w.N, w.C) }

// Done is whether the trial stops after round out: at max_rounds; never
// before the last rumor is injected; with a stop rule when no node is
// infective any more; without one when every rumor is known by every
// alive node it can reach, or by none.
func (w *World) Done(out engine.Round) bool {
	st := out.RoundStats
	switch {
	case st.Round >= w.R.MaxRounds:
		return true
	case st.Round < w.R.Rumors.Last():
		return false
	case st.Round < w.R.lastEvent:
		// Something is still to come back or heal: the trial goes on
		// unless nothing alive spreads and nothing coming back could.
		return st.Infective == 0 && !w.sched.KeepsPending(st.Round, w.knowsAny)
	case w.R.Stop.Rule != engine.StopNone:
		return st.Infective == 0
	}
	for i := range w.C {
		informed := st.Informed
		if out.PerRumor != nil {
			informed = out.PerRumor[i].Informed
		}
		if informed == 0 {
			continue
		}
		if w.reaches[i] < 0 {
			w.reaches[i] = w.reach(i)
		}
		if informed != w.reaches[i] {
			return false
		}
	}
	return true
}

// reach is how many alive nodes rumor i can get to: those joined to an
// alive node that knows it by a path of alive nodes (see Rules.Reach).
func (w *World) reach(i int) int {
	alive, knows := func(u int) bool { return w.Alive[u] }, func(u int) bool { return w.know.has(i*w.N + u) }
	if sp := w.sched.Split(); sp != nil {
		return reachSplit(w.R.Graph, alive, knows, w.sched)
	}
	return reachOf(w.R.Graph, alive, knows)
}

type bitmap []uint64

func newBits(n int) bitmap      { return make(bitmap, (n+63)/64) }
func (b bitmap) has(i int) bool { return b[i>>6]>>(uint(i)&63)&1 == 1 }
func (b bitmap) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitmap) clear(i int)    { b[i>>6] &^= 1 << (uint(i) & 63) }

// anyRumor is whether node u's bit is set for some rumor of c, in rows
// of n nodes (bit i*n+u).
func (b bitmap) anyRumor(u, n, c int) bool {
	for i := range c {
		if b.has(i*n + u) {
			return true
		}
	}
	return false
}

// WorldBytes bounds what a World of n nodes, c rumors and fanout f holds:
// a state per node and rumor, four bits per pair, and the round's plan in
// slices that grow by appending (twice their length), with every push
// carrying every rumor at worst. The memory guard counts it per trial.
func WorldBytes(n, c, f int) int64 {
	pairs := int64(n) * int64(c)
	plan := 2 * 4 * int64(n) * (2 + 2*int64(f) + int64(f)*int64(c))
	return pairs*int64(unsafe.Sizeof(RumorState{})) + pairs/2 + int64(n) + plan
}
