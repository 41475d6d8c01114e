package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// faultMarkers marks the points' faults on the round axis, once per
// distinct one (a sweep's points mostly share them): a line at each
// failure's round and at its recovery, a band over each partition from
// its round to its heal and over churn from its first round to its
// until. They come from the points' params alone, so a chart of a point
// without faults has none.
func faultMarkers(sum *results.Summary, idx []int) []Marker {
	var out []Marker
	seen := map[string]bool{}
	add := func(m Marker) {
		key := fmt.Sprint(m.X, m.Band, m.To, m.Label)
		if !seen[key] {
			seen[key] = true
			out = append(out, m)
		}
	}
	for _, i := range idx {
		p := &sum.Points[i].Params
		for _, f := range p.Failures {
			add(Marker{X: float64(f.Round), Label: fmt.Sprintf("round %d: %s of nodes %s", f.Round, percent(f.Fraction), failVerb(f.Kind))})
			if f.Recover > 0 {
				how := "empty"
				if f.KeepState {
					how = "with their state"
				}
				add(Marker{X: float64(f.Recover), Label: fmt.Sprintf("round %d: the %s from round %d come back %s", f.Recover, percent(f.Fraction), f.Round, how)})
			}
		}
		for _, pt := range p.Partitions {
			add(Marker{X: float64(pt.Round), Band: true, To: until(pt.Heal), Label: partitionLabel(pt)})
		}
		if ch := p.Churn; ch.On() {
			add(Marker{X: float64(ch.From), Band: true, To: until(ch.Until), Label: churnLabel(ch)})
		}
	}
	return out
}

// until is the end of a band: the round a fault ends at its start, or
// the axis' end for one that never ends (0).
func until(r int) float64 {
	if r == 0 {
		return math.Inf(1)
	}
	return float64(r)
}

// partitionLabel is "partition 2 groups", "one-way partition 2 groups
// (30 %, 70 %)", with "never healed" for one without a heal.
func partitionLabel(p results.PartitionParams) string {
	s := fmt.Sprintf("partition %d groups", p.Groups)
	if p.Oneway {
		s = "one-way " + s
	}
	if len(p.Shares) > 0 {
		parts := make([]string, len(p.Shares))
		for i, x := range p.Shares {
			parts[i] = percent(x)
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if p.Heal == 0 {
		s += ", never healed"
	}
	return s
}

// churnLabel is "churn 2 %/round", or its two rates where they differ.
func churnLabel(c results.ChurnParams) string {
	if c.Leave == c.Join {
		return "churn " + percent(c.Leave) + "/round"
	}
	return "churn " + percent(c.Leave) + " leave, " + percent(c.Join) + " join/round"
}

// downs is the nodes down per round, for the points that have faults that
// take nodes down and the curve of them (down_mean); nil where none has.
func (l *layout) downs() *Chart {
	c := Chart{Name: "down", Title: "Nodes down per round",
		Note: "Mean nodes down at the end of each round: crashed, hung or answering garbage, and churned out; shaded: partitions and churn.",
		X:    l.roundAxis(), Y: Axis{Label: "nodes down (mean of trials)", Min: 0, Max: nan, Digits: 1}}
	return l.line(c, func(cv results.Curve, p results.PointSummary) []float64 {
		if len(p.Params.Failures) == 0 && p.Params.Churn.Leave == 0 || len(cv.DownMean) == 0 {
			return nil
		}
		ys := make([]float64, len(cv.Round))
		for r := range ys {
			ys[r] = nan
			if r < len(cv.DownMean) {
				ys[r] = cv.DownMean[r]
			}
		}
		return ys
	})
}

// FaultBand is the colour of a fault's band (a partition, churn), filled
// at FaultBandAlpha: light enough that the curves over it read as before.
const (
	FaultBand      = "#f59e0b"
	FaultBandAlpha = 0.13
)
