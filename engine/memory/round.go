package memory

import (
	"math/bits"
	"sync"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// worker runs the nodes of bitset words [lo, hi) through a round. Workers
// share the read-only sets (known, alive) and set bits of next atomically;
// which of them sets a bit first does not change any count, for exactly one
// message informs each new node.
type worker struct {
	s      *sim
	lo, hi int
	peers  protocol.Sampler
	tally  protocol.Tally
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
}

func (w *worker) run(r int) {
	s, rules := w.s, w.s.rules
	w.tally.Stats, w.tally.Edges = engine.RoundStats{}, nil // the replay keeps each round's slice
	pushOnly := rules.Mode == engine.Push
	if rules.Fanout == 1 && rules.Loss.Never() && !rules.FaultsEver() {
		if _, ok := rules.Graph.(protocol.Complete); ok && !w.tally.Record {
			w.fast(r, pushOnly)
			return
		}
	}
	d := rules.PeerDraws(r)
	kind, answered := rules.Kind(), rules.Answered()
	for wi := w.lo; wi < w.hi; wi++ {
		word := s.alive[wi]
		if pushOnly {
			word &= s.known[wi]
		}
		for ; word != 0; word &= word - 1 {
			u := wi<<6 | bits.TrailingZeros64(word)
			informed := s.known.has(u)
			carries := rules.Carries(informed)
			for slot, v := range w.peers.Peers(d, u, rules.Fanout) {
				if w.send(int32(u), v, kind, rules.Lost(r, u, slot), carries) && answered {
					w.send(v, int32(u), engine.KindAnswer, rules.AnswerLost(r, u, slot), s.known.has(int(v)))
				}
			}
		}
	}
}

// send classifies one message and reports whether it was delivered.
func (w *worker) send(from, to int32, kind engine.MessageKind, lost, carries bool) bool {
	s := w.s
	failed := !lost && !s.alive.has(int(to))
	knew := true
	if !lost && !failed && carries {
		knew = !s.next.trySet(int(to))
	}
	out := protocol.Classify(lost, failed, carries, knew)
	w.tally.Add(from, to, kind, out)
	return out == engine.Useful || out == engine.Redundant
}

// fast is run for the commonest case, one peer each, no loss and no
// failure, where every message is delivered and only who learns needs
// working out: the same draws and the same rule as run, with the counts
// added up per node instead of per message.
func (w *worker) fast(r int, pushOnly bool) {
	s := w.s
	d := s.rules.PeerDraws(r)
	n := s.n
	var acts, learned int
	for wi := w.lo; wi < w.hi; wi++ {
		know := s.known[wi]
		word := s.alive[wi]
		if pushOnly {
			word &= know
		}
		acts += bits.OnesCount64(word)
		for ; word != 0; word &= word - 1 {
			b := bits.TrailingZeros64(word)
			u := wi<<6 | b
			v := protocol.CompletePeer(d, u, n)
			uKnows := know&(1<<uint(b)) != 0
			vKnows := s.known.has(v)
			switch {
			case uKnows && !vKnows && (pushOnly || s.rules.Mode == engine.PushPull):
				if s.next.trySet(v) {
					learned++
				}
			case vKnows && !uKnows: // pull or push-pull: the answer informs u
				if s.next.trySet(u) {
					learned++
				}
			}
		}
	}
	st := &w.tally.Stats
	st.Sent = acts
	if !pushOnly {
		st.Sent = 2 * acts // every request is delivered and answered
	}
	st.Delivered, st.Useful, st.New = st.Sent, learned, learned
	st.Redundant = st.Delivered - learned
}
