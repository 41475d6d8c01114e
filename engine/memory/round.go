package memory

import (
	"math/bits"
	"sync"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// worker runs the nodes of bitset words [lo, hi) through a round. Alone,
// it marks what it teaches straight in next, in the canonical order, so
// every message is judged exactly as protocol.Classify says. When several
// share a round, each marks its own set (learnt) and they are or-ed into
// next when all are done: a node that two workers both informed counts
// once, and the round's useful messages are the nodes it informed, as
// exactly one message informs each new node whoever sent it.
type worker struct {
	s      *sim
	lo, hi int
	peers  protocol.Sampler
	tally  protocol.Tally
	learnt bitset // what this worker taught; next itself when alone
}

// each runs round r on every worker and waits for all of them.
func (s *sim) each(r int) {
	if len(s.workers) == 1 {
		s.workers[0].run(r)
		return
	}
	var wg sync.WaitGroup
	for _, w := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(r)
		}()
	}
	wg.Wait()
	s.settle()
}

// settle adds what the workers taught to next and recounts the round's
// useful messages as the nodes newly informed.
func (s *sim) settle() {
	learnt := 0
	for i := range s.next {
		was := s.next[i]
		now := was
		for _, w := range s.workers {
			now |= w.learnt[i]
			w.learnt[i] = 0
		}
		s.next[i] = now
		learnt += bits.OnesCount64(now &^ was)
	}
	// Per worker, a message to a node another worker informed too was
	// counted useful; the totals move those to redundant.
	extra := -learnt
	for _, w := range s.workers {
		extra += w.tally.Stats.Useful
	}
	st := &s.workers[0].tally.Stats
	st.Useful -= extra
	st.New -= extra
	st.Redundant += extra
}

func (w *worker) run(r int) {
	s, rules := w.s, w.s.rules
	w.tally.Stats, w.tally.Edges = engine.RoundStats{}, nil // the replay keeps each round's slice
	if rules.Fanout == 1 && rules.Loss.Never() && !rules.FaultsEver() && !w.tally.Record {
		if _, ok := rules.Graph.(protocol.Complete); ok {
			w.fast(r)
			return
		}
	}
	d := rules.PeerDraws(r)
	kind, answered := rules.Kind(), rules.Answered()
	knownOnly := !rules.Acts(false) // push: only the informed act
	for wi := w.lo; wi < w.hi; wi++ {
		word := s.alive[wi]
		if knownOnly {
			word &= s.known[wi]
		}
		for ; word != 0; word &= word - 1 {
			u := wi<<6 | bits.TrailingZeros64(word)
			carries := rules.Carries(s.known.has(u))
			for slot, v := range w.peers.Peers(d, u, rules.Fanout) {
				if w.send(int32(u), v, kind, rules.Lost(r, u, slot), carries) && answered {
					w.send(v, int32(u), engine.KindAnswer, rules.AnswerLost(r, u, slot), s.known.has(int(v)))
				}
			}
		}
	}
}

// send judges one message and reports whether it was delivered.
func (w *worker) send(from, to int32, kind engine.MessageKind, lost, carries bool) bool {
	s := w.s
	failed := !lost && !s.alive.has(int(to))
	knew := true
	if !lost && !failed && carries {
		knew = s.next.has(int(to)) || w.learnt.has(int(to))
		w.learnt.set(int(to))
	}
	out := protocol.Classify(lost, failed, carries, knew)
	w.tally.Add(from, to, kind, out)
	return out == engine.Useful || out == engine.Redundant
}

// fast is run for the commonest case, one peer each, no loss and no
// failure, where every message is delivered and only who learns needs
// working out: the same draws and the same rule as run, without a branch
// on what either node knows (half the time a branch would be mispredicted
// mid-trial), and the counts added up per node instead of per message.
func (w *worker) fast(r int) {
	s := w.s
	d := s.rules.PeerDraws(r)
	n, m := s.n, uint64(s.n-1)
	// 1 where an informed sender's push or request carries the rumor, and
	// where an answer comes back: the core's rules as bit masks, so the
	// loop below has no branch on them.
	push, pull := b2u(s.rules.Carries(true)), b2u(s.rules.Answered())
	knownOnly := !s.rules.Acts(false)
	known, learnt := s.known, w.learnt
	acts := 0
	for wi := w.lo; wi < w.hi; wi++ {
		know := known[wi]
		word := s.alive[wi]
		if knownOnly {
			word &= know
		}
		acts += bits.OnesCount64(word)
		var taught uint64 // the answers' lessons to this word, stored once
		for ; word != 0; word &= word - 1 {
			b := uint(bits.TrailingZeros64(word))
			u := wi<<6 | int(b)
			v, ok := protocol.CompletePeerQuick(d, u, m)
			if !ok {
				v = protocol.CompletePeer(d, u, n)
			}
			uKnows := know >> b & 1
			vKnows := known[v>>6] >> (uint(v) & 63) & 1
			// u teaches v, or v's answer teaches u; who learnt is
			// counted once the round is over.
			learnt[v>>6] |= (uKnows &^ vKnows & push) << (uint(v) & 63)
			taught |= (vKnows &^ uKnows & pull) << b
		}
		learnt[wi] |= taught
	}
	learned := 0
	if len(s.workers) == 1 { // learnt is next: what it holds beyond known is new
		for i, x := range s.next {
			learned += bits.OnesCount64(x &^ known[i])
		}
	} // else settle counts
	st := &w.tally.Stats
	st.Sent = acts
	if pull == 1 {
		st.Sent = 2 * acts // every request is delivered and answered
	}
	st.Delivered, st.Useful, st.New = st.Sent, learned, learned
	st.Redundant = st.Delivered - learned
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
