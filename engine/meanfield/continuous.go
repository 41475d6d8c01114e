package meanfield

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// The continuous-time model of Demers et al. 1987 ("Epidemic algorithms
// for replicated database maintenance", section 1.4, "Complex epidemics"):
// shares s, i, r of susceptible, infective and removed nodes change as
//
//	ds/dt = -s·i,  di/dt = s·i - (1/k)(1-s)·i    (feedback coin)
//
// so di/ds = -(k+1)/k + 1/(k·s), i(s) = (k+1)/k·(1-s) + ln(s)/k, and the
// epidemic ends (i = 0) at the residue s = e^{-(k+1)(1-s)}: k=1 gives
// 0.2032, k=2 0.0595. In continuous time no two events are simultaneous,
// so a node informed a moment ago already counts as knowing; under the
// synchronous rounds gossipbench runs a push to a node informed in the
// same round does not count, and the residue is lower (monger.go). This
// is drawn as the continuous-time model, labelled so, not tested against.
//
// The equation follows from two counts, which is why it holds for more
// rules than the one it was derived for. Every push reaches a uniform
// node, so a node misses all m·n pushes of traffic m with probability
// e^{-q·m} (q = 1 - loss): s = e^{-q·m} (Demers' s = e^{-m}, section 1.4,
// "Push vs. Pull"). And every node that learned (1-s of them) was told
// once and made, before it stopped, on average k counted contacts:
//   - feedback (coin or cumulative counter): k delivered pushes to nodes
//     that knew, besides the one it was told by, so q·m = (k+1)(1-s);
//   - blind (coin or counter): k pushes in all, so m = k(1-s);
//   - transmits: L pushes, m = L(1-s).
// Hence s = e^{-a(1-s)} with a = k+1, q·k or q·L. For a <= 1 the only
// root is s = 1: the rumor dies out (blind coin k=1; Demers' Table 2
// shows s = 0.96 at n = 1000, the few nodes a dying chain reaches). A
// counter with reset has no such count and no closed form; ContinuousCurve
// integrates it.

// SourceContinuous names the continuous-time model where pages draw it.
const SourceContinuous = "continuous time, Demers et al. 1987"

// ContinuousResidue is the residue of the continuous-time model: the
// smallest root of s = e^{-a(1-s)} for the rule's a, and the traffic
// m = -ln(s)/q. ok is false for a rule without the closed form (a counter
// with reset), and for no stop rule.
func ContinuousResidue(st engine.Stop, nodes int, loss float64) (s, m float64, ok bool) {
	q := 1 - loss
	var a float64
	switch {
	case st.Rule == engine.StopTransmits:
		a = q * float64(st.Transmits(nodes))
	case st.Reset || st.Rule == engine.StopNone:
		return 0, 0, false
	case st.Feedback:
		a = float64(st.K + 1)
	default:
		a = q * float64(st.K)
	}
	s = ResidueRoot(a)
	if s == 1 || q == 0 {
		return 1, 0, true
	}
	return s, -math.Log(s) / q, true
}

// ResidueRoot is the smallest root in (0, 1] of s = e^{-a(1-s)}. For
// a > 1 the map s -> e^{-a(1-s)} is increasing and its slope a·s is below
// 1 at that root, so iterating it from 0 climbs to the root; for a <= 1
// the root is 1.
func ResidueRoot(a float64) float64 {
	if a <= 1 {
		return 1
	}
	s := 0.0
	for range 100_000 {
		next := math.Exp(-a * (1 - s))
		if math.Abs(next-s) < 1e-15 {
			return next
		}
		s = next
	}
	return s
}

// ContinuousCurve is the continuous-time model's expected state at the
// end of each round 0..rounds on n nodes, a round being one unit of time
// in which each infective node pushes to f peers: the equations above
// with one class per count for counters (a counted contact moves a node
// up, with reset an uncounted one sends it back to 0), started from one
// infective node. Sent is the round's pushes. Every rule but a counter's
// count has a single class; transmits is a blind counter of L.
func ContinuousCurve(p Params, rounds int) []State {
	n := float64(p.Nodes)
	f := float64(p.Fanout)
	q := 1 - p.Loss
	st := p.Stop
	k := st.K
	if st.Rule == engine.StopTransmits {
		k = st.Transmits(p.Nodes)
	}
	nc := 1
	if st.Rule != engine.StopCoin {
		nc = k
	}
	// y: s, removed, sent, then the classes; all as shares of n.
	y := make([]float64, 3+nc)
	y[0], y[3] = (n-1)/n, 1/n
	deriv := func(y, dy []float64) {
		s := y[0]
		var i float64
		for _, x := range y[3:] {
			i += x
		}
		infect := q * f * s * i
		counted := f // pushes that count, per infective node and unit of time
		if st.Feedback {
			counted = q * f * (1 - s)
		}
		clear(dy)
		dy[0], dy[2] = -infect, f*i
		dy[3] += infect
		for c, x := range y[3:] {
			up := counted * x
			switch {
			case st.Rule == engine.StopCoin:
				dy[1] += up / float64(k)
				dy[3+c] -= up / float64(k)
				continue
			case c+1 == nc:
				dy[1] += up
			default:
				dy[3+c+1] += up
			}
			dy[3+c] -= up
			if st.Reset && c > 0 { // an uncounted push restarts the count
				back := (f - counted) * x
				dy[3+c] -= back
				dy[3] += back
			}
		}
	}
	const steps = 64 // per round: RK4 error far below the model's own
	h := 1.0 / steps
	k1, k2, k3, k4, tmp := make([]float64, len(y)), make([]float64, len(y)), make([]float64, len(y)), make([]float64, len(y)), make([]float64, len(y))
	stage := func(dst, from []float64, w float64) {
		for j := range tmp {
			tmp[j] = y[j] + w*from[j]
		}
		deriv(tmp, dst)
	}
	state := func(sent float64) State {
		var i float64
		for _, x := range y[3:] {
			i += x
		}
		return State{Informed: n * (1 - y[0]), Alive: n, Sent: n * sent, Infective: n * i, Removed: n * y[1]}
	}
	out := []State{state(0)}
	for r := 1; r <= rounds; r++ {
		before := y[2]
		for range steps {
			deriv(y, k1)
			stage(k2, k1, h/2)
			stage(k3, k2, h/2)
			stage(k4, k3, h)
			for j := range y {
				y[j] += h / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
			}
		}
		out = append(out, state(y[2]-before))
		if out[r].Infective < quiet {
			break
		}
	}
	return out
}
