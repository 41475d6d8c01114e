package meanfield

import (
	"fmt"
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// MaxExtinction is the largest chance, by the model's own estimate, that a
// failure takes every informed node at once, for a configuration to count
// as covered. The recurrence carries only the expected informed count: a
// trial whose rumor died with its last informed node ends there, which no
// expectation shows (a crash of half the nodes at round 1 leaves the mean
// curve at half, the model's at all). Below one trial in a hundred the
// difference is within what the theory tests allow.
const MaxExtinction = 0.01

// Covers reports whether the mean-field model describes trials of c, and
// if not, why, in words for a reader of the results. The model covers
// synchronous rounds on the complete graph in every mode, with any fanout
// and loss, and failures of any kind (to the protocol every kind is the
// same) unless one can end the rumor (see MaxExtinction). It does not
// cover free-running nodes: each gossips on its own timer, so a round is
// an interval of time and not a step every node takes once. Off the
// complete graph it covers only what coversTopology says, with the
// asymptotic results of topology.go, not with the recurrence. With rumor
// mongering it covers what coversMonger says, with the stop-rule model.
// It covers no faults over time: its failures are for good.
func Covers(c engine.Config) (ok bool, reason string) {
	if c.FaultsOverTime() {
		return false, "the model has nodes fail for good; it follows no node that comes back, no partition and no churn (faults over time)"
	}
	if c.Mongering() {
		return coversMonger(c)
	}
	if !c.Topology.IsComplete() {
		return coversTopology(c)
	}
	if c.Net.Free {
		return false, "free-running nodes gossip on their own timers: a round is an interval of time, not a step every node takes once, and the model counts steps"
	}
	if c.Mode > engine.PushPull {
		return false, fmt.Sprintf("the model knows push, pull and pushpull, not %v", c.Mode)
	}
	if r, p := worstExtinction(FromConfig(c)); p > MaxExtinction {
		return false, fmt.Sprintf("the failure at round %d takes every informed node in about %.0f%% of trials, which ends the rumor there; the model follows only the expected informed count and cannot show that", r, 100*p)
	}
	return true, ""
}

// worstExtinction is the failure most likely to take every informed node,
// and that chance, (k/A)^I for k of A alive nodes failing with I informed
// just before: each informed node is among the k with probability k/A,
// nearly independently. I is the model's expectation, which understates
// the chance when few nodes know; the bound is meant for the early rounds
// where that matters only when it is large anyway.
func worstExtinction(p Params) (round int, chance float64) {
	last := 0
	for _, f := range p.Failures {
		last = max(last, f.Round)
	}
	if last == 0 {
		return 0, 0
	}
	// Trajectory applies round r's failures before its gossip, so its
	// state at r-1 is the one just before them. Two failures in one round
	// count together.
	c := Curve(p, last)
	taken := map[int]float64{}
	for _, f := range p.Failures {
		taken[f.Round] += float64(f.CrashCount(p.Nodes))
	}
	for r, k := range taken {
		st := c[r-1]
		ch := 1.0
		if st.Alive > 0 && k < st.Alive {
			ch = math.Pow(k/st.Alive, st.Informed)
		}
		if ch > chance || ch == chance && r < round {
			round, chance = r, ch
		}
	}
	return round, chance
}
