package protocol

import "github.com/gossipbench/gossipbench/engine"

// exchange is node u's message in slot to v, and its answer.
func (w *World) exchange(r, u, slot, v int, carried []int32) {
	kind := w.R.Kind()
	if kind == engine.KindPush && len(carried) == 0 {
		return // transmits: the rumor was sent its L times in the earlier slots
	}
	lost := w.R.Lost(r, u, slot)
	cut := !lost && w.Cut(u, v)
	failed := cut || !lost && !w.Alive[v]
	delivered := !lost && !failed
	su := w.Node(u)
	taught := 0
	for _, i := range carried {
		w.R.Contact(&su[i], r, u, int(i), u, slot, w.R.PushCounted(delivered, w.knew.has(int(i)*w.N+v)))
		if delivered && w.learn(v, int(i), r) {
			taught++
		}
	}
	w.add(u, v, kind, lost, failed, cut, taught, carried)
	if !delivered || !w.R.Answered() {
		return
	}
	w.buf = w.buf[:0]
	if w.spreads(v) { // else no contact and an empty answer: spare the node's states
		sv := w.Node(v)
		for i := range sv {
			if w.spreading.has(i*w.N + v) {
				w.R.Contact(&sv[i], r, v, i, u, slot, w.R.RequestCounted(w.knew.has(i*w.N+u)))
			}
		}
		w.buf = w.R.AnswerCarries(w.buf, r, sv, func(i int) bool { return w.knew.has(i*w.N + u) })
	}
	lost, taught = w.R.AnswerLost(r, u, slot), 0
	cut = !lost && w.Cut(v, u) // a one-way partition lets the request through, not the answer
	for _, i := range w.buf {
		if !lost && !cut && w.learn(u, int(i), r) {
			taught++
		}
	}
	w.add(v, u, engine.KindAnswer, lost, cut, cut, taught, w.buf)
}

// antiEntropy is the round's full exchanges: each alive node, by ID, with
// one neighbour, of everything either knew at the start of the round.
func (w *World) antiEntropy(r int) {
	for u := range w.N {
		if !w.Alive[u] {
			continue
		}
		v, ok := w.R.AntiEntropyPeer(w.peers, r, u)
		if !ok {
			continue
		}
		lost := w.R.AntiEntropyLost(r, u)
		cut := !lost && w.Cut(u, v)
		failed := cut || !lost && !w.Alive[v]
		w.add(u, v, engine.KindRequest, lost, failed, cut, w.teach(r, u, v, !lost && !failed), w.knewAll(r, u))
		if lost || failed {
			continue
		}
		lost = w.R.AntiEntropyAnswerLost(r, u)
		cut = !lost && w.Cut(v, u)
		w.add(v, u, engine.KindAnswer, lost, cut, cut, w.teach(r, v, u, !lost && !cut), w.knewAll(r, v))
	}
}

// teach is everything from knew at the start of round r that to learns,
// if the message arrives; it returns how many rumors were new.
func (w *World) teach(r, from, to int, arrives bool) int {
	if !arrives {
		return 0
	}
	n := 0
	for i := range w.C {
		if w.knew.has(i*w.N+from) && w.learn(to, i, r) {
			n++
		}
	}
	return n
}

// knewAll is what an anti-entropy message of u carries in round r, for Watch:
// every rumor u knew at the start of the round.
func (w *World) knewAll(r, u int) []int32 {
	if w.Watch == nil {
		return nil
	}
	var out []int32
	for i, s := range w.Node(u) {
		if s.Knew(r) {
			out = append(out, int32(i))
		}
	}
	return out
}

// add counts one message: useful when it taught a rumor its receiver did
// not know; cut when a partition failed it.
func (w *World) add(from, to int, kind engine.MessageKind, lost, failed, cut bool, taught int, carried []int32) {
	out := Classify(lost, failed, taught > 0, false)
	w.tally.Add(int32(from), int32(to), kind, out)
	if cut {
		w.tally.Stats.Cut++
	}
	if w.Watch != nil {
		w.Watch(from, to, kind, out, carried)
	}
}

// count fills the round's counts of node-rumor pairs over the rumors
// injected by round r, and each rumor's own when there are several.
func (w *World) count(out *engine.Round, r int) {
	st := &out.RoundStats
	st.Alive, st.Down = w.alive, w.N-w.alive
	if w.C > 1 {
		out.PerRumor = make([]engine.RumorStats, 0, w.C)
	}
	for i := range w.C {
		if w.R.Rumors.InjectedAt(i) > r {
			break
		}
		rs := w.counts[i]
		w.counts[i].New = 0
		st.Rumors++
		st.Informed += rs.Informed
		st.New += rs.New
		st.Infective += rs.Infective
		st.Removed += rs.Removed
		if out.PerRumor != nil {
			out.PerRumor = append(out.PerRumor, rs)
		}
	}
	if w.Record && r > 0 {
		out.Informed, w.learnt = w.learnt, nil
	}
}

// learn is node u learning rumor i in round r, if it is new to u. The
// bits say who knows what without reading a node's state: a push to a
// random peer would otherwise miss the cache on every message.
func (w *World) learn(u, i, r int) bool {
	b := i*w.N + u
	if w.know.has(b) {
		return false
	}
	w.know.set(b)
	w.St[u*w.C+i].Learn(r)
	if !w.Alive[u] {
		return true // a rumor injected at a node that is down
	}
	w.spread.set(b)
	c := &w.counts[i]
	c.Informed++
	c.Infective++
	c.New++
	if i == 0 && w.Record && r > 0 {
		w.learnt = append(w.learnt, int32(u))
	}
	return true
}
