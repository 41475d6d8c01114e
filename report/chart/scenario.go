package chart

import (
	"fmt"
	"github.com/gossipbench/gossipbench/engine/meanfield"
	"slices"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Set is the charts of one scenario, in the order a page shows them.
type Set struct {
	Name, Description string
	Details           string // the engine and the trials, e.g. "http engine, 30 trials per point"
	Charts            []Chart
}

// Scenario describes every chart of a scenario's summary. roundsToFull
// maps point IDs to their converged trials' rounds to full, for the
// distribution chart, which is left out without them. A chart no point
// has data for is left out.
func Scenario(sum *results.Summary, roundsToFull map[string][]float64) Set {
	t := NewTrials()
	if roundsToFull != nil {
		t.RoundsToFull = roundsToFull
	}
	return ScenarioOf(sum, t)
}

// ScenarioOf is Scenario with everything the charts take from the
// trials (Trials): with rumor mongering, the infective and removed
// curves and the per-rumor charts too. trials may be nil.
func ScenarioOf(sum *results.Summary, trials *Trials) Set {
	l := newLayout(sum)
	if trials != nil {
		l.trials = trials
	}
	set := Set{Name: sum.Name, Description: sum.Description, Details: l.details()}
	charts := []*Chart{l.convergence(), l.rumorDelays(), l.rumorDelaySpread()}
	charts = append(charts, l.rumorCurves()...)
	charts = append(charts, l.downs(), l.overhead(), l.cumulative(), l.redundancy(),
		l.distribution(l.trials.RoundsToFull), l.sweepRounds(), l.sweepResidue(), l.sweepMessages())
	for _, c := range charts {
		if c != nil {
			set.Charts = append(set.Charts, *c)
		}
	}
	return set
}

// NoTheoryText is what a chart says where the theory line would be, for a
// configuration the mean-field model does not cover.
const NoTheoryText = "No theory for this configuration"

// NoTheory words summary.json's no_theory reasons for a chart: once when
// every point has the same, else per group of points.
func NoTheory(sum *results.Summary) []string {
	return reasonsByPoint(sum, func(p *results.PointSummary) (string, bool) { return p.NoTheory, p.Theory == nil })
}

// noCurveTheory is NoTheory for the charts per round, which draw the
// mean-field curve: a point off the complete graph has none even where it
// has a theory, whose asymptotic result gives rounds to full only.
func noCurveTheory(sum *results.Summary) []string {
	return reasonsByPoint(sum, func(p *results.PointSummary) (string, bool) {
		if src := asymptoticSource(p); src != "" {
			return "the theory here (" + src + ") gives rounds to full only, not the rounds before; the complete graph's curve would be wrong", true
		}
		return p.NoTheory, p.Theory == nil
	})
}

func reasonsByPoint(sum *results.Summary, why func(p *results.PointSummary) (string, bool)) []string {
	var reasons []string
	ids := map[string][]string{}
	for i := range sum.Points {
		p := &sum.Points[i]
		r, none := why(p)
		if !none {
			continue
		}
		if ids[r] == nil {
			reasons = append(reasons, r)
		}
		ids[r] = append(ids[r], p.ID)
	}
	if len(reasons) == 1 && len(ids[reasons[0]]) == len(sum.Points) {
		return []string{NoTheoryText + ": " + reasons[0] + "."}
	}
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = fmt.Sprintf("%s (%s): %s.", NoTheoryText, strings.Join(ids[r], ", "), r)
	}
	return out
}

// anyMeanField says whether some point has the mean-field model's theory
// (on the complete graph): the dashed lines.
func anyMeanField(sum *results.Summary) bool {
	for i := range sum.Points {
		if sum.Points[i].Theory != nil && asymptoticSource(&sum.Points[i]) == "" {
			return true
		}
	}
	return false
}

// asymptoticSources are the sources of the points' asymptotic theories
// (off the complete graph), each once, in point order.
func asymptoticSources(sum *results.Summary) []string {
	var out []string
	for i := range sum.Points {
		if src := asymptoticSource(&sum.Points[i]); src != "" && !slices.Contains(out, src) {
			out = append(out, src)
		}
	}
	return out
}

// Overlay is compare's chart of one point: the informed share of alive
// nodes per round in BASE (dashed) and NEW (solid). Either may be nil.
func Overlay(name string, base, new *results.Curve) Chart {
	c := Chart{Name: name, Title: "Informed fraction, BASE and NEW", X: roundAxis(),
		Y: Axis{Label: "informed fraction", Min: 0, Max: 1, Fraction: true, Digits: 1}}
	var p Panel
	for i, cv := range []*results.Curve{base, new} {
		if cv == nil {
			continue
		}
		s := Series{Name: "BASE", Kind: Line, Color: Colour(0), Dashed: true, X: rounds(*cv),
			Y: ratio(cv.InformedMean, cv.AliveMean, len(cv.Round))}
		if i == 1 {
			s.Name, s.Color, s.Dashed = "NEW", Colour(1), false
		}
		p.Series = append(p.Series, s)
	}
	c.Panels = []Panel{p}
	return c
}

// Colours is each point's colour in the per-round charts, for a table's
// swatches to match the lines.
func Colours(sum *results.Summary) []string { return newLayout(sum).colors }

// asymptoticSource is the source of a point's theory when it is an asymptotic
// result off the complete graph, which has no curve; "" for a model with
// one: the mean-field recurrence, and the synchronous-round model of a
// stop rule (meanfield.SourceMonger), whichever source a summary names.
func asymptoticSource(p *results.PointSummary) string {
	if src := p.TheorySource(); src != meanfield.SourceMonger {
		return src
	}
	return ""
}
