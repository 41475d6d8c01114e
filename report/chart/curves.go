package chart

import (
	"math"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Per-round charts: a line per point against the round. Each series has
// its own rounds: a curve ends where its trials did, and is never padded
// (summary.json already holds a stopped trial at its final state).

const (
	theoryName = "mean-field theory"
	percentile = "5th–95th percentile"
)

func roundAxis() Axis {
	return Axis{Label: "round", Min: 0, Max: nan, Integer: true}
}

// roundAxis is the round axis, which says how long a round is where
// every point's round stands for the same time (a memberlist preset's
// GossipInterval), so that rounds read in seconds.
func (l *layout) roundAxis() Axis {
	a := roundAxis()
	if secs := roundSeconds(l.sum); secs > 0 {
		a.Label = "round (" + seconds(secs) + " each)"
	}
	return a
}

func rounds(c results.Curve) []float64 {
	xs := make([]float64, len(c.Round))
	for i, r := range c.Round {
		xs[i] = float64(r)
	}
	return xs
}

// ratio is a[i]/b[i] for each round, NaN where b[i] is 0 or either is
// missing.
func ratio(a, b []float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = nan
		if i < len(a) && i < len(b) && b[i] > 0 {
			out[i] = a[i] / b[i]
		}
	}
	return out
}

func anyFinite(xs []float64) bool {
	for _, x := range xs {
		if finite(x) {
			return true
		}
	}
	return false
}

// perRound builds a chart with a panel per group, from each point's
// series (none: the point is left out); nil when no point has any.
func (l *layout) perRound(c Chart, series func(i int) []Series) *Chart {
	drawn := false
	for _, g := range l.panels {
		p := Panel{Title: g.title, Markers: faultMarkers(l.sum, g.points)}
		for _, i := range g.points {
			s := series(i)
			drawn = drawn || len(s) > 0
			p.Series = append(p.Series, s...)
		}
		c.Panels = append(c.Panels, p)
	}
	if !drawn {
		return nil
	}
	c.LegendTitle = l.legendTitle
	return &c
}

// Convergence is the informed share of alive nodes per round: the mean
// over trials, its 5th–95th percentile band, and the mean-field theory,
// dashed, as one legend entry for every point. A point that runs rumor
// mongering also has its infective (dotted) and removed (faint) shares,
// each one legend entry for every point, and its theory is named for its
// model (theoryLabel); with many rumors the shares are of the node-rumor
// pairs injected so far.
func (l *layout) convergence() *Chart {
	note := "Mean informed fraction of alive nodes per round (solid), 5th to 95th percentile across trials (band), mean-field theory (dashed)."
	if !anyMeanField(l.sum) {
		note = "Mean informed fraction of alive nodes per round (solid), 5th to 95th percentile across trials (band)."
	}
	y := Axis{Label: "informed nodes (fraction of alive)", Min: 0, Max: 1, Fraction: true, Digits: 1}
	if anyMongers(l.sum) {
		note = mongerNote(l.sum)
		y.Label = "nodes (fraction of alive)"
		if anyManyRumors(l.sum) {
			y.Label = "node-rumor pairs (fraction of alive × rumors injected)"
		}
	}
	c := Chart{Name: "convergence", Title: "Spread of the rumor", Note: note, X: l.roundAxis(), Y: y,
		NoTheory: noCurveTheory(l.sum)}
	return l.perRound(c, func(i int) []Series {
		p := &l.sum.Points[i]
		cv := p.Curve
		n := len(cv.Round)
		x, mean := rounds(cv), ratio(cv.InformedMean, cv.AliveMean, n)
		lo, hi := ratio(cv.InformedP05, cv.AliveMean, n), ratio(cv.InformedP95, cv.AliveMean, n)
		th := ratio(cv.Theory, cv.AliveMean, n)
		if mongers(p) {
			w := want(p)
			mean, lo, hi, th = divide(cv.InformedMean, w), divide(cv.InformedP05, w), divide(cv.InformedP95, w), divide(cv.Theory, w)
		}
		if !anyFinite(mean) {
			return nil
		}
		name, col := l.name(i, "mean of "+l.trialCount()), l.colors[i]
		if mongers(p) && l.single() {
			name = "informed, " + name
		}
		out := []Series{
			{Name: name, Kind: Band, Color: col, X: x, Lo: lo, Hi: hi, Interval: percentile},
			{Name: name, Kind: Line, Color: col, X: x, Y: mean},
		}
		if anyFinite(th) && !(mongers(p) && p.Params.RumorCount() > 1) {
			// A model of one rumor is no curve of many: summaries written
			// before the stop-rule model had it for every point.
			out = append(out, Series{Name: theoryLabel(p), Kind: Line, Color: col, Dashed: true, Theory: true, X: x, Y: th})
		}
		if mongers(p) {
			out = append(out, l.states(p, col, x)...)
			out = append(out, continuous(p, col, x)...)
		}
		return out
	})
}

// line is one measured line per point.
func (l *layout) line(c Chart, y func(cv results.Curve, p results.PointSummary) []float64) *Chart {
	return l.perRound(c, func(i int) []Series {
		p := l.sum.Points[i]
		ys := y(p.Curve, p)
		if !anyFinite(ys) {
			return nil
		}
		return []Series{{Name: l.name(i, "mean of "+l.trialCount()), Kind: Line, Color: l.colors[i], X: rounds(p.Curve), Y: ys}}
	})
}

// overhead is the messages sent per round, on a log axis when the points'
// sizes differ tenfold or more.
func (l *layout) overhead() *Chart {
	y := Axis{Label: "messages sent per round", Min: 0, Max: nan, Digits: 1}
	logY := sizeSpread(l.sum) >= 10
	if logY {
		y = Axis{Label: "messages sent per round (log scale)", Scale: Log, Min: nan, Max: nan, Digits: 1}
	}
	c := Chart{Name: "overhead", Title: "Messages sent per round",
		Note: "Mean messages sent per round: pushes, pull requests and answers.", X: l.roundAxis(), Y: y}
	return l.line(c, func(cv results.Curve, _ results.PointSummary) []float64 {
		ys := make([]float64, len(cv.Round))
		for r := range ys {
			ys[r] = nan
			if r < len(cv.SentMean) && (!logY || cv.SentMean[r] > 0) {
				ys[r] = cv.SentMean[r]
			}
		}
		return ys
	})
}

// cumulative is the messages sent so far, per node.
func (l *layout) cumulative() *Chart {
	c := Chart{Name: "cumulative", Title: "Messages per node, cumulative",
		Note: "Messages sent so far divided by the number of nodes; the last value is messages per node.",
		X:    l.roundAxis(), Y: Axis{Label: "messages sent per node, cumulative", Min: 0, Max: nan, Digits: 2}}
	return l.line(c, func(cv results.Curve, p results.PointSummary) []float64 {
		n := float64(p.Params.Nodes)
		if n <= 0 && len(cv.AliveMean) > 0 {
			n = cv.AliveMean[0]
		}
		if n <= 0 {
			return nil
		}
		ys := make([]float64, len(cv.Round))
		sum := 0.0
		for r := range ys {
			ys[r] = nan
			if r < len(cv.SentMean) {
				sum += cv.SentMean[r]
				ys[r] = sum / n
			}
		}
		return ys
	})
}

// redundancy is the share of delivered messages that informed no one.
func (l *layout) redundancy() *Chart {
	c := Chart{Name: "redundancy", Title: "Redundant deliveries per round",
		Note: "The share of delivered messages that informed no one.",
		X:    l.roundAxis(), Y: Axis{Label: "redundant / delivered messages", Min: 0, Max: 1, Fraction: true, Digits: 1}}
	return l.line(c, func(cv results.Curve, _ results.PointSummary) []float64 {
		return ratio(cv.RedundantMean, cv.DeliveredMean, len(cv.Round))
	})
}

// sizeSpread is the ratio of the largest to the smallest node count.
func sizeSpread(sum *results.Summary) float64 {
	lo, hi := math.Inf(1), 0.0
	for _, p := range sum.Points {
		n := float64(p.Params.Nodes)
		if n > 0 {
			lo, hi = math.Min(lo, n), math.Max(hi, n)
		}
	}
	if hi == 0 {
		return 1
	}
	return hi / lo
}
