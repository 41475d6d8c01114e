package meanfield

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// The synchronous-round model of rumor mongering: push on the complete
// graph, one rumor, a stop rule (docs/design.md, "Stop rules"). It tracks
// the expected number of nodes in each class of the state that decides
// when a node stops (its count, or its age for the rules whose count is
// fixed by the round), and steps it by the rules of a round: every
// decision reads the state at the start of the round, a node that learns
// is infective from the next one with its count at 0, contacts are
// applied at the round's end. Given the expected counts each round is
// exact (a node's f pushes go to f distinct peers, the peers that knew at
// the start of the round are drawn without replacement); what the model
// drops is the randomness of the counts themselves, as Trajectory does.

// SourceMonger names the model in summary.json's theory_source and in the
// tables, so that a stop-rule point's theory is not taken for the
// continuous-time equation of Demers et al. (continuous.go).
const SourceMonger = "mean-field, synchronous rounds"

// Largest state the model tracks: a counter's k classes, transmits' and
// blind counters' ⌈L/f⌉ ages, and the f slots of a round's contacts.
const (
	maxClasses = 10_000
	maxSlots   = 64
)

// quiet is the expected infective count below which the model takes the
// trial as over: the chance that anyone is still infective is then below
// one in a million.
const quiet = 1e-6

// class is one group of infective nodes in the model.
type class struct {
	mass   float64 // expected nodes in the class
	pushes int     // pushes each sends this round
}

// mongerModel is the state of the recurrence at the start of a round.
type mongerModel struct {
	p       Params
	s       float64   // expected susceptible nodes
	removed float64   // expected removed nodes
	in      []float64 // infective nodes by class: count (counter), age (blind counter, transmits), one class (coin)
}

// byAge is whether the rule's state is the node's age: a blind counter
// counts every push, f a round, and transmits counts every transmission,
// so both stop after a fixed number of rounds.
func byAge(s engine.Stop) bool {
	return s.Rule == engine.StopTransmits || s.Rule == engine.StopCounter && !s.Feedback
}

// ages is how many rounds a node spreads under a rule byAge: ⌈k/f⌉ for
// the blind counter, ⌈L/f⌉ for transmits.
func ages(p Params) int {
	if p.Stop.Rule == engine.StopTransmits {
		return ceilDiv(p.Stop.Transmits(p.Nodes), p.Fanout)
	}
	return ceilDiv(p.Stop.K, p.Fanout)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// classes is how many classes the rule's state needs.
func classes(p Params) int {
	switch {
	case byAge(p.Stop):
		return ages(p)
	case p.Stop.Rule == engine.StopCounter:
		return p.Stop.K
	}
	return 1
}

func newMongerModel(p Params) *mongerModel {
	m := &mongerModel{p: p, s: float64(p.Nodes - 1), in: make([]float64, classes(p))}
	m.in[0] = 1
	return m
}

// pushes is how many pushes a node of class j sends in a round: the
// fanout, or what transmits leaves it in its last round.
func (m *mongerModel) pushes(j int) int {
	f := m.p.Fanout
	if m.p.Stop.Rule == engine.StopTransmits {
		return min(f, m.p.Stop.Transmits(m.p.Nodes)-j*f)
	}
	return f
}

func (m *mongerModel) infective() float64 {
	var i float64
	for _, x := range m.in {
		i += x
	}
	return i
}

// step runs one round: it returns the expected new nodes and messages.
func (m *mongerModel) step() (learned, sent float64) {
	n := float64(m.p.Nodes)
	q := 1 - m.p.Loss
	stay := 1.0
	for j, x := range m.in {
		pj := float64(m.pushes(j))
		stay *= math.Pow(1-q*pj/(n-1), x)
		sent += x * pj
	}
	learned = m.s * (1 - stay)
	next := make([]float64, len(m.in))
	if byAge(m.p.Stop) {
		// Every node of age j moves to age j+1; the last age is removed.
		copy(next[1:], m.in[:len(m.in)-1])
		m.removed += m.in[len(m.in)-1]
	} else {
		// Peers that knew at the start of the round, the pusher aside.
		knew := n - m.s - 1
		for c, x := range m.in {
			if x == 0 {
				continue
			}
			out := m.contacts(c, knew)
			for c2, pr := range out[:len(out)-1] {
				next[c2] += x * pr
			}
			m.removed += x * out[len(out)-1]
		}
	}
	next[0] += learned
	m.in = next
	m.s -= learned
	return learned, sent
}

// contacts is the distribution of a node's class at the end of a round
// that it started in class c, with knew of the n-1 other nodes knowing
// the rumor: out[c'] for each class, the last entry for removed. It
// follows the node's f pushes slot by slot, in the order the rules apply
// them: slot t reaches a peer that knew with probability (knew-a)/(n-1-t)
// after a such peers in the earlier slots (f distinct peers), and the push
// counts (feedback) when it is also delivered.
func (m *mongerModel) contacts(c int, knew float64) []float64 {
	st := m.p.Stop
	f := m.p.Fanout
	q := 1 - m.p.Loss
	others := float64(m.p.Nodes - 1)
	nc := len(m.in)
	removed := nc // index of the removed state
	// dist[a][c]: a peers that knew so far, class c (or removed).
	dist := make([][]float64, f+1)
	for a := range dist {
		dist[a] = make([]float64, nc+1)
	}
	dist[0][c] = 1
	next := make([][]float64, f+1)
	for a := range next {
		next[a] = make([]float64, nc+1)
	}
	for t := 0; t < f; t++ {
		for a := 0; a <= t; a++ {
			pk := clamp01((knew - float64(a)) / (others - float64(t)))
			for cl, x := range dist[a] {
				if x == 0 {
					continue
				}
				counted := x * pk * q // knew and delivered
				missed := x * pk * (1 - q)
				fresh := x * (1 - pk) // a peer that did not know
				if !st.Feedback {     // blind: every push counts
					counted, missed, fresh = x, 0, 0
				}
				if cl == removed { // stopping: later contacts change nothing
					next[a+1][cl] += counted + missed
					next[a][cl] += fresh
					continue
				}
				up := cl + 1
				switch {
				case st.Rule == engine.StopCoin:
					next[a+1][removed] += counted / float64(st.K)
					up, counted = cl, counted*(1-1/float64(st.K))
				case up >= st.K:
					up = removed
				}
				next[a+1][up] += counted
				stay := cl // a contact that did not count
				if st.Reset {
					stay = 0
				}
				next[a+1][stay] += missed
				next[a][stay] += fresh
			}
		}
		dist, next = next, dist
		for _, row := range next {
			clear(row)
		}
	}
	out := make([]float64, nc+1)
	for a := range dist {
		for cl, x := range dist[a] {
			out[cl] += x
		}
	}
	return out
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

func (m *mongerModel) state(sent float64) State {
	n := float64(m.p.Nodes)
	i := m.infective()
	return State{Informed: n - m.s, Alive: n, Sent: sent, Infective: i, Removed: m.removed}
}

// MongerTrajectory is Trajectory for a point with a stop rule (push on the
// complete graph, no failures: what Covers lets through): the expected
// state for rounds 0, 1, ... until the expected infective count is below
// quiet (the trial is over) or rounds. At reads any round of it.
func MongerTrajectory(p Params, rounds int) []State {
	m := newMongerModel(p)
	out := []State{m.state(0)}
	for r := 1; r <= rounds; r++ {
		_, sent := m.step()
		out = append(out, m.state(sent))
		if m.infective() < quiet {
			break
		}
	}
	return out
}
