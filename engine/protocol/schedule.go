package protocol

import "github.com/gossipbench/gossipbench/engine"

// Fault is nodes going down at the start of a round, all in one way.
// Failure is its place in Rules.Failures; -1 for churn.
type Fault struct {
	Kind    engine.FailureKind
	Nodes   []int32
	Failure int
}

// Faults are the failures that start in round, in the order the scenario
// lists them. alive are the alive nodes in ascending order; each failure
// takes its share of all nodes from those still alive, uniformly (a
// partial Fisher-Yates shuffle drawn with node = the failure's position in
// the list and index = the victim's number). alive is reordered.
func (r *Rules) Faults(round int, alive []int32) []Fault {
	var out []Fault
	d := r.Seed.Draws(round, PurposeFailure)
	for fi, f := range r.Failures {
		if f.Round != round {
			continue
		}
		k := min(f.CrashCount(r.Graph.Nodes()), len(alive))
		for i := 0; i < k; i++ {
			j := i + int(d.IntN(fi, i, uint64(len(alive)-i)))
			alive[i], alive[j] = alive[j], alive[i]
		}
		out = append(out, Fault{Kind: f.Kind, Nodes: append([]int32(nil), alive[:k]...), Failure: fi})
		alive = alive[k:]
	}
	return out
}

// FaultsAt is whether any failure starts in round: engines skip listing
// the alive nodes in every other round.
func (r *Rules) FaultsAt(round int) bool {
	for _, f := range r.Failures {
		if f.Round == round {
			return true
		}
	}
	return false
}

// FaultsEver is whether the trial has any failure at all.
func (r *Rules) FaultsEver() bool { return len(r.Failures) > 0 }
