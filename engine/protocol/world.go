package protocol

import "github.com/gossipbench/gossipbench/engine"

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
	R     *Rules
	N, C  int
	St    []RumorState // node u's state for rumor i is St[u*C+i]
	Alive []bool
	// Record keeps every message as an edge, and who learned, for a replay.
	Record bool

	alive int
	peers Sampler
	// The round's plan, flat (one slice per node would be a million
	// allocations a round): node u's peers are peer[first[u]:first[u+1]],
	// in slot order, and what the push in peer[j] carries is
	// carry[from[j]:from[j+1]].
	first, peer, from, carry []int32
	tally                    Tally
	buf                      []int32
}

// NewWorld is the trial's nodes, all alive and susceptible.
func NewWorld(r *Rules, record bool) *World {
	n, c := r.Graph.Nodes(), r.Rumors.N()
	w := &World{R: r, N: n, C: c, St: make([]RumorState, n*c), Alive: make([]bool, n), Record: record,
		alive: n, peers: r.Graph.Sampler(), first: make([]int32, n+1)}
	for i := range w.St {
		w.St[i] = Susceptible()
	}
	for u := range w.Alive {
		w.Alive[u] = true
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
		w.St[u*w.C+i].Learn(round)
		out.Injected = append(out.Injected, int32(u))
	}
}

// Fail takes the nodes down; to the protocol every kind of failure is the
// same.
func (w *World) Fail(nodes []int32) {
	for _, v := range nodes {
		if w.Alive[v] {
			w.Alive[v] = false
			w.alive--
		}
	}
}

// AliveNodes are the alive nodes, ascending, for Rules.Faults.
func (w *World) AliveNodes() []int32 {
	out := make([]int32, 0, w.alive)
	for u, up := range w.Alive {
		if up {
			out = append(out, int32(u))
		}
	}
	return out
}

// Round runs round r (r >= 1) after the round's failures.
func (w *World) Round(r int) engine.Round {
	out := engine.Round{}
	w.tally.Stats, w.tally.Edges = engine.RoundStats{}, nil
	w.inject(r, &out)
	w.plan(r)
	for u := range w.N {
		for j := w.first[u]; j < w.first[u+1]; j++ {
			w.exchange(r, u, int(j-w.first[u]), int(w.peer[j]), w.carry[w.from[j]:w.from[j+1]])
		}
	}
	if w.R.AE.At(r) {
		w.antiEntropy(r)
	}
	for i := range w.St {
		w.R.Settle(&w.St[i])
	}
	msgs := w.tally.Stats
	w.count(&out, r)
	out.AddMessages(msgs)
	out.Round, out.Edges = r, w.tally.Edges
	return out
}

// plan draws every acting node's peers and what each of its pushes carries.
func (w *World) plan(r int) {
	d := w.R.PeerDraws(r)
	w.peer, w.from, w.carry = w.peer[:0], append(w.from[:0], 0), w.carry[:0]
	for u := range w.N {
		w.first[u] = int32(len(w.peer))
		st := w.Node(u)
		if !w.Alive[u] || !w.R.Acts(w.spreads(st, r)) {
			continue
		}
		w.peer = append(w.peer, w.peers.Peers(d, u, w.R.Fanout)...)
		for range int(int32(len(w.peer)) - w.first[u]) {
			if w.R.Mode != engine.Pull {
				w.carry = w.R.PushCarries(w.carry, r, st)
			}
			w.from = append(w.from, int32(len(w.carry)))
		}
	}
	w.first[w.N] = int32(len(w.peer))
}

// spreads is whether a node has any rumor to spread in round r.
func (w *World) spreads(st []RumorState, r int) bool {
	for i := range st {
		if st[i].Infective(r) {
			return true
		}
	}
	return false
}

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
	case w.R.Stop.Rule != engine.StopNone:
		return st.Infective == 0
	}
	for i := range w.C {
		informed := st.Informed
		if out.PerRumor != nil {
			informed = out.PerRumor[i].Informed
		}
		if informed != 0 && informed != w.reach(i) {
			return false
		}
	}
	return true
}

// reach is how many alive nodes rumor i can get to: those joined to an
// alive node that knows it by a path of alive nodes (see Rules.Reach).
func (w *World) reach(i int) int {
	return reachOf(w.R.Graph, func(u int) bool { return w.Alive[u] }, func(u int) bool { return w.St[u*w.C+i].Known() })
}
