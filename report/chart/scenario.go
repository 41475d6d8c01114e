package chart

import (
	"fmt"
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
	l := newLayout(sum)
	set := Set{Name: sum.Name, Description: sum.Description, Details: l.details()}
	for _, c := range []*Chart{
		l.convergence(), l.overhead(), l.cumulative(), l.redundancy(),
		l.distribution(roundsToFull), l.sweepRounds(), l.sweepMessages(),
	} {
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
	var reasons []string
	ids := map[string][]string{}
	for _, p := range sum.Points {
		if p.Theory != nil {
			continue
		}
		if ids[p.NoTheory] == nil {
			reasons = append(reasons, p.NoTheory)
		}
		ids[p.NoTheory] = append(ids[p.NoTheory], p.ID)
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

func anyTheory(sum *results.Summary) bool {
	for _, p := range sum.Points {
		if p.Theory != nil {
			return true
		}
	}
	return false
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
