package meanfield

import (
	"fmt"
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// Off the complete graph the recurrence above does not hold (a node's
// neighbours are not a random sample of the informed), and the results
// that exist are asymptotic: the leading term of rounds-to-full for push
// with fanout 1 on two random graphs, with an unknown O(1) (or o(ln n))
// remainder. They are given as the theory's rounds_to_full and nothing
// else, labelled with their source (docs/design.md, "Theory on topologies").

// The sources of the topology results, as summary.json's theory_source
// and the tables name them.
const (
	SourceRegular = "asymptotic, Fountoulakis–Panagiotou"
	SourceGnp     = "asymptotic, Panagiotou–Pérez-Giménez–Sauerwald–Sun"
)

// Source is the source of the theory of a point on kind, for a point that
// has one: "" on the complete graph, whose theory is the mean-field model
// itself (summary.json leaves theory_source out there, as it did before
// topologies).
func Source(kind string) string {
	switch kind {
	case engine.TopologyRegular:
		return SourceRegular
	case engine.TopologyErdosRenyi:
		return SourceGnp
	}
	return ""
}

// RegularSlope is C_d, the constant of push on a random d-regular graph:
// fanout 1 informs every node in (1+o(1))·C_d·ln n rounds, C_d =
// 1/ln(2(1−1/d)) − 1/(d·ln(1−1/d)) (Fountoulakis and Panagiotou 2010,
// "Rumor spreading on random regular graphs and expanders", d ≥ 3). The
// first term is the growth phase: while few know, a newly informed node
// has d−1 uninformed neighbours of d, so each push informs someone with
// probability 1−1/d and the informed count grows by 2(1−1/d) a round. The
// second is the end, where an uninformed node waits for one of its d
// informed neighbours to pick it (each does with probability 1/d). As d
// grows it tends to the complete graph's 1/ln 2 + 1.
func RegularSlope(d float64) float64 {
	return 1/math.Log(2*(1-1/d)) - 1/(d*math.Log(1-1/d))
}

// GnpGamma is γ(c) = c·ln(c/(c−1)): push with fanout 1 on G(n, p) with
// p = c·ln n/n, c > 1, informs every node in log2 n + γ(c)·ln n + o(ln n)
// rounds (Panagiotou, Pérez-Giménez, Sauerwald and Sun 2015, "Randomized
// rumour spreading: the effect of the network topology"). γ tends to 1,
// the complete graph's ln n term, as c grows.
func GnpGamma(c float64) float64 { return c * math.Log(c/(c-1)) }

// GnpC is the c of G(n, p) with p = c·ln n/n for a topology that gives
// the mean degree (p = degree/(n−1)) or p.
func GnpC(t engine.Topology, n int) float64 {
	return t.EdgeP(n) * float64(n) / math.Log(float64(n))
}

// LnSlope is the coefficient of ln n in the leading term of a covered
// topology's rounds-to-full: C_d, or 1/ln 2 + γ(c). ok is false where no
// result is known.
func LnSlope(t engine.Topology, n int) (slope float64, ok bool) {
	switch t.Kind {
	case engine.TopologyRegular:
		if t.Degree >= 3 {
			return RegularSlope(t.Degree), true
		}
	case engine.TopologyErdosRenyi:
		if c := GnpC(t, n); c > 1 {
			return 1/math.Ln2 + GnpGamma(c), true
		}
	}
	return 0, false
}

// coversTopology is Covers off the complete graph: the two results above,
// for push with fanout 1, no loss, no failures, in synchronous rounds;
// everything else has no closed form, and the reason names what is
// missing.
func coversTopology(c engine.Config) (bool, string) {
	kind := c.Topology.Kind
	switch kind {
	case engine.TopologyRegular, engine.TopologyErdosRenyi:
	case engine.TopologyFile:
		return false, "a graph from a file has no theory: it could be anything"
	default:
		return false, fmt.Sprintf("no closed form for gossip on a %s graph: the asymptotic results known are for push on random regular graphs and on G(n, p)", kind)
	}
	switch {
	case c.Net.Free:
		return false, "free-running nodes gossip on their own timers, and the results for " + kind + " graphs count synchronous rounds"
	case c.Mode != engine.Push:
		return false, fmt.Sprintf("no closed form for %v on a %s graph: the known result is for push", c.Mode, kind)
	case c.Fanout != 1:
		return false, fmt.Sprintf("no closed form for fanout %d on a %s graph: the known result is for fanout 1", c.Fanout, kind)
	case c.Loss > 0:
		return false, "no closed form with loss on a " + kind + " graph: the known result has none"
	case len(c.Failures) > 0:
		return false, "no closed form with failures on a " + kind + " graph: the known result has none"
	}
	if _, ok := LnSlope(c.Topology, c.Nodes); !ok {
		if kind == engine.TopologyRegular {
			return false, fmt.Sprintf("the result for random regular graphs needs degree 3 or more, not %g", c.Topology.Degree)
		}
		return false, fmt.Sprintf("the result for G(n, p) needs p = c·ln n/n with c > 1 (connected), and here c = %.2f", GnpC(c.Topology, c.Nodes))
	}
	return true, ""
}

// topologyPrediction is Predict off the complete graph: the leading term
// as rounds_to_full (NaN, so null, where it passes maxRounds), nothing
// else, and no curve (the complete graph's would be wrong, and the results
// say nothing of the rounds before the last).
func topologyPrediction(p Params, maxRounds int) Prediction {
	nan := math.NaN()
	pr := Prediction{RoundsTo50: nan, RoundsTo90: nan, RoundsTo99: nan, RoundsToFull: nan, MessagesPerNode: nan}
	ln := math.Log(float64(p.Nodes))
	if slope, ok := LnSlope(p.Topology, p.Nodes); ok && slope*ln <= float64(maxRounds) {
		pr.RoundsToFull = slope * ln
	}
	return pr
}
