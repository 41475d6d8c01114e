package meanfield

import (
	"fmt"
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// StopPrediction is what the synchronous-round model expects of the
// metrics of rumor mongering (summary.json's names in brackets).
type StopPrediction struct {
	// Residue is the expected share of nodes never informed (residue).
	Residue float64
	// MeanInformedRound is the mean round a node learned in, over the
	// nodes that learned, the source aside (mean_informed_round, Demers'
	// t_ave).
	MeanInformedRound float64
	// LastInformedRound is E[t_last] (last_informed_round), taking the
	// number of nodes that learn in each round as Poisson with the
	// model's mean: t_last >= t with probability 1 - exp(-Σ_{u>=t} new_u).
	LastInformedRound float64
	// RoundsToQuiet is E[the first round at whose end no node is
	// infective] (rounds_to_quiet), taking the infective count as Poisson
	// the same way.
	RoundsToQuiet float64
}

// mongerPrediction is Predict for a point with a stop rule. Trials with a
// stop rule seldom reach every node, and rounds_to_full counts only those
// that do, which the model says nothing about: it is NaN (null).
func mongerPrediction(p Params, maxRounds int) Prediction {
	c := MongerTrajectory(p, maxRounds)
	n := float64(p.Nodes)
	pr := Prediction{RoundsTo50: firstReach(c, 0.5), RoundsTo90: firstReach(c, 0.9), RoundsTo99: firstReach(c, 0.99),
		RoundsToFull: math.NaN(), Curve: c}
	var msgs, learned, weighted float64
	for r := 1; r < len(c); r++ {
		msgs += c[r].Sent
		nw := c[r].Informed - c[r-1].Informed
		learned += nw
		weighted += float64(r) * nw
	}
	pr.MessagesPerNode = msgs / n
	last := c[len(c)-1]
	sp := &StopPrediction{Residue: (last.Alive - last.Informed) / n, MeanInformedRound: math.NaN()}
	if learned > 0 {
		sp.MeanInformedRound = weighted / learned
	}
	// Σ_{t>=1} P(t_last >= t), the tail sums of the new counts from the end.
	tail := 0.0
	for r := len(c) - 1; r >= 1; r-- {
		tail += c[r].Informed - c[r-1].Informed
		sp.LastInformedRound += 1 - math.Exp(-tail)
	}
	// Σ_{t>=0} P(quiet > t): still infective at the end of round t.
	for r := 0; r < len(c); r++ {
		sp.RoundsToQuiet += 1 - math.Exp(-c[r].Infective)
	}
	if last.Infective >= quiet { // cut off by maxRounds
		sp.RoundsToQuiet, sp.LastInformedRound = math.NaN(), math.NaN()
	}
	pr.Stop = sp
	return pr
}

// coversMonger is Covers for a configuration with rumor mongering
// (engine.Config.Mongering): the synchronous-round model above, for push
// on the complete graph with one rumor, loss but no failures, and a stop
// rule whose state it can track. Everything else is refused with the
// reason: no model is better than a wrong curve.
func coversMonger(c engine.Config) (bool, string) {
	p := FromConfig(c)
	switch {
	case c.Stop.Rule == engine.StopNone:
		return false, "no model of many rumors, message budgets or anti-entropy without a stop rule: the model follows one rumor spread forever or by a stop rule"
	case !c.Topology.IsComplete():
		return false, fmt.Sprintf("no model of rumor mongering on a %s graph: the stop-rule model is of the complete graph", c.Topology.Kind)
	case c.Net.Free:
		return false, "free-running nodes gossip on their own timers: a round is an interval of time, not a step every node takes once, and the model counts steps"
	case c.Mode != engine.Push:
		return false, fmt.Sprintf("no stop-rule model for %v: the model (and Demers et al.'s analysis) is of push", c.Mode)
	case c.Rumors.N() > 1:
		return false, "no stop-rule model of many rumors: the model follows one"
	case c.Packet.MaxRumors > 0:
		return false, "no stop-rule model of a message budget: the model follows one rumor"
	case c.AntiEntropy.Every > 0:
		return false, "no stop-rule model with anti-entropy: the model follows rumor mongering alone"
	case len(c.Failures) > 0:
		return false, "no stop-rule model with failures: a crash takes infective nodes of every class, which the model does not follow"
	case c.Fanout > maxSlots:
		return false, fmt.Sprintf("the stop-rule model follows a node's pushes one by one, up to fanout %d, not %d", maxSlots, c.Fanout)
	case classes(p) > maxClasses:
		return false, fmt.Sprintf("the stop-rule model tracks every count a node can have, up to %d, and this rule needs %d", maxClasses, classes(p))
	}
	return true, ""
}

// SourceOf is Source for a point that may have a stop rule: a stop-rule
// point's theory is the synchronous-round model (SourceMonger), whatever
// its graph (Covers refuses every graph but the complete one for it).
func SourceOf(kind string, rule engine.StopRule) string {
	if rule != engine.StopNone {
		return SourceMonger
	}
	return Source(kind)
}
