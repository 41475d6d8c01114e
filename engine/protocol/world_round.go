package protocol

import "github.com/gossipbench/gossipbench/engine"

// exchange is node u's message in slot to v, and its answer.
func (w *World) exchange(r, u, slot, v int, carried []int32) {
	kind := w.R.Kind()
	if kind == engine.KindPush && len(carried) == 0 {
		return // transmits: the rumor was sent its L times in the earlier slots
	}
	lost := w.R.Lost(r, u, slot)
	failed := !lost && !w.Alive[v]
	delivered := !lost && !failed
	su, sv := w.Node(u), w.Node(v)
	taught := 0
	for _, i := range carried {
		w.R.Contact(&su[i], r, u, int(i), u, slot, w.R.PushCounted(delivered, sv[i].Knew(r)))
		if delivered && sv[i].Learn(r) {
			taught++
		}
	}
	w.add(u, v, kind, lost, failed, taught)
	if !delivered || !w.R.Answered() {
		return
	}
	for i := range sv {
		if sv[i].Infective(r) {
			w.R.Contact(&sv[i], r, v, i, u, slot, w.R.RequestCounted(su[i].Knew(r)))
		}
	}
	w.buf = w.R.AnswerCarries(w.buf[:0], r, sv, func(i int) bool { return su[i].Knew(r) })
	lost, taught = w.R.AnswerLost(r, u, slot), 0
	for _, i := range w.buf {
		if !lost && su[i].Learn(r) {
			taught++
		}
	}
	w.add(v, u, engine.KindAnswer, lost, false, taught)
}

// antiEntropy is the round's full exchanges: each alive node, by ID, with
// one neighbour, of everything either knew at the start of the round.
func (w *World) antiEntropy(r int) {
	d := w.R.Seed.Draws(r, PurposeAntiEntropy)
	loss, answerLoss := w.R.Seed.Draws(r, PurposeAntiEntropyLoss), w.R.Seed.Draws(r, PurposeAntiEntropyAnswerLoss)
	for u := range w.N {
		if !w.Alive[u] {
			continue
		}
		peers := w.peers.Peers(d, u, 1)
		if len(peers) == 0 {
			continue
		}
		v := int(peers[0])
		lost := w.R.Loss.Hit(loss, u, 0)
		failed := !lost && !w.Alive[v]
		w.add(u, v, engine.KindRequest, lost, failed, w.teach(r, u, v, !lost && !failed))
		if lost || failed {
			continue
		}
		lost = w.R.Loss.Hit(answerLoss, u, 0)
		w.add(v, u, engine.KindAnswer, lost, false, w.teach(r, v, u, !lost))
	}
}

// teach is everything from knew at the start of round r that to learns,
// if the message arrives; it returns how many rumors were new.
func (w *World) teach(r, from, to int, arrives bool) int {
	if !arrives {
		return 0
	}
	sf, st := w.Node(from), w.Node(to)
	n := 0
	for i := range sf {
		if sf[i].Knew(r) && st[i].Learn(r) {
			n++
		}
	}
	return n
}

// add counts one message: useful when it taught a rumor its receiver did
// not know.
func (w *World) add(from, to int, kind engine.MessageKind, lost, failed bool, taught int) {
	w.tally.Add(int32(from), int32(to), kind, Classify(lost, failed, taught > 0, false))
}

// count fills the round's counts of node-rumor pairs over the rumors
// injected by round r, and each rumor's own when there are several.
func (w *World) count(out *engine.Round, r int) {
	st := &out.RoundStats
	st.Alive = w.alive
	if w.C > 1 {
		out.PerRumor = make([]engine.RumorStats, 0, w.C)
	}
	for i := range w.C {
		if w.R.Rumors.InjectedAt(i) > r {
			break
		}
		var rs engine.RumorStats
		for u := range w.N {
			s := &w.St[u*w.C+i]
			if !w.Alive[u] || !s.Known() {
				continue
			}
			rs.Informed++
			if int(s.Learned) == r {
				rs.New++
				if i == 0 && w.Record && r > 0 {
					out.Informed = append(out.Informed, int32(u))
				}
			}
			if s.Removed {
				rs.Removed++
			} else {
				rs.Infective++
			}
		}
		st.Rumors++
		st.Informed += rs.Informed
		st.New += rs.New
		st.Infective += rs.Infective
		st.Removed += rs.Removed
		if out.PerRumor != nil {
			out.PerRumor = append(out.PerRumor, rs)
		}
	}
}
