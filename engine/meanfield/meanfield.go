// Package meanfield gives the theory line: the expected number of informed
// nodes per round from the mean-field recurrence, which replaces the random
// informed count by its expectation at every step.
//
// For an uninformed alive node v at the start of a round with I informed
// alive nodes, A alive nodes, n nodes, fanout f and delivery probability
// q = 1 - loss:
//
//	push:      P(v stays uninformed) = (1 - q·f/(n-1))^I
//	pull:      P(v stays uninformed) ≈ (1 - q²·I/(n-1))^f
//	pushpull:  the product of the two
//
// Push is exact given I (each informed node picks v with probability
// f/(n-1), independently of the others). Pull treats v's f distinct picks as
// independent, an O(f/n) approximation; a pull needs both the request and
// the answer delivered, hence q².
package meanfield

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// Params are the parts of an engine.Config the model depends on.
type Params struct {
	Nodes    int
	Mode     engine.Mode
	Fanout   int
	Loss     float64
	Failures []engine.Failure
	Topology engine.Topology // the complete graph when zero
	// Stop is the stop rule (monger.go); the zero value spreads forever.
	Stop engine.Stop
}

// FromConfig takes the model's parameters from a run configuration.
func FromConfig(c engine.Config) Params {
	return Params{Nodes: c.Nodes, Mode: c.Mode, Fanout: c.Fanout, Loss: c.Loss, Failures: c.Failures, Topology: c.Topology, Stop: c.Stop}
}

// State is the expected state at the end of a round.
type State struct {
	Informed float64 // informed and alive
	Alive    float64
	Sent     float64 // messages sent during the round
	// Infective and Removed split Informed by whether the node still
	// spreads (monger.go); without a stop rule every informed node does.
	Infective, Removed float64
}

// Curve returns the expected state for rounds 0..rounds, every round
// spelled out; Trajectory is the same without the repetition.
func Curve(p Params, rounds int) []State {
	c := Trajectory(p, rounds)
	for len(c) <= rounds {
		c = append(c, c[len(c)-1])
	}
	return c
}

// Trajectory returns the expected state for rounds 0, 1, ... up to rounds,
// stopping early once it has settled: when the next round would repeat the
// last to the bit and no failure is left to come, every later round does
// too. At reads any round of it. Settling takes a few dozen rounds for most
// points, so the cost does not grow with max_rounds.
func Trajectory(p Params, rounds int) []State {
	n := float64(p.Nodes)
	f := float64(p.Fanout)
	q := 1 - p.Loss
	lastFailure := 0
	for _, fl := range p.Failures {
		lastFailure = max(lastFailure, fl.Round)
	}
	st := State{Informed: 1, Alive: n, Infective: 1}
	out := []State{st}
	for r := 1; r <= rounds; r++ {
		for _, fl := range p.Failures {
			if fl.Round == r && st.Alive > 0 {
				k := math.Min(float64(fl.CrashCount(p.Nodes)), st.Alive)
				st.Informed *= (st.Alive - k) / st.Alive
				st.Alive -= k
			}
		}
		I, A := st.Informed, st.Alive
		stay := 1.0
		if p.Mode == engine.Push || p.Mode == engine.PushPull {
			stay *= math.Pow(1-q*f/(n-1), I)
		}
		if p.Mode == engine.Pull || p.Mode == engine.PushPull {
			stay *= math.Pow(1-q*q*I/(n-1), f)
		}
		if p.Mode == engine.Push {
			st.Sent = I * f
		} else {
			// Every alive node sends f requests; those that reach an alive
			// peer are answered.
			st.Sent = A * f * (1 + q*(A-1)/(n-1))
		}
		st.Informed = I + (A-I)*(1-stay)
		st.Infective = st.Informed
		if r > lastFailure && st == out[len(out)-1] {
			break
		}
		out = append(out, st)
	}
	return out
}

// At is round r of a trajectory, later rounds repeating its last state.
func At(c []State, r int) State { return c[min(r, len(c)-1)] }

// Prediction is what the model expects of a trial limited to maxRounds.
type Prediction struct {
	// RoundsTo50, 90, 99 are the first rounds whose expected informed count
	// reaches that fraction of the alive nodes; NaN if none does.
	RoundsTo50, RoundsTo90, RoundsTo99 float64
	// RoundsToFull is E[min(T, maxRounds)] for the first round T at which no
	// node is left, taking the number of uninformed nodes as Poisson:
	// P(T > t) ≈ 1 - exp(-U_t) with U_t the expected uninformed count. This
	// is what gives push its log2 n + ln n shape.
	RoundsToFull float64
	// MessagesPerNode is the expected number of messages sent until the
	// trial stops, over the node count.
	MessagesPerNode float64
	// Curve is the Trajectory the prediction was made from; nil off the
	// complete graph, where the recurrence does not hold.
	Curve []State
	// Stop is the prediction of the rumor-mongering metrics, for a point
	// with a stop rule (monger.go); nil without one.
	Stop *StopPrediction
}

// Predict runs the recurrence for up to maxRounds rounds. Off the
// complete graph it gives the asymptotic rounds_to_full of a point Covers
// covers and nothing else, with no curve (see topologyPrediction).
func Predict(p Params, maxRounds int) Prediction {
	if p.Stop.Rule != engine.StopNone {
		return mongerPrediction(p, maxRounds)
	}
	if !p.Topology.IsComplete() {
		return topologyPrediction(p, maxRounds)
	}
	c := Trajectory(p, maxRounds)
	pr := Prediction{RoundsTo50: firstReach(c, 0.5), RoundsTo90: firstReach(c, 0.9), RoundsTo99: firstReach(c, 0.99), Curve: c}
	var msgs float64
	last := len(c) - 1
	for t := 0; t < min(maxRounds, last); t++ {
		running := 1 - math.Exp(-(c[t].Alive - c[t].Informed)) // P(T > t)
		pr.RoundsToFull += running
		msgs += running * c[t+1].Sent
	}
	if k := float64(maxRounds - last); k > 0 { // settled: the same term every round
		running := 1 - math.Exp(-(c[last].Alive - c[last].Informed))
		pr.RoundsToFull += k * running
		msgs += k * running * c[last].Sent
	}
	pr.MessagesPerNode = msgs / float64(p.Nodes)
	return pr
}

func firstReach(c []State, frac float64) float64 {
	for r, s := range c {
		if s.Alive > 0 && s.Informed >= frac*s.Alive {
			return float64(r)
		}
	}
	return math.NaN()
}
