package static

import (
	"fmt"
	"math"

	"github.com/gossipbench/gossipbench/internal/results"
	"gonum.org/v1/plot/vg/draw"
)

// Per-round charts: one line per point against the round.

const (
	meanWidth   = 1.8
	theoryWidth = 1.2
	bandAlpha   = 0.16
)

// curveFigure starts a per-round chart: the plot, its title and subtitle.
func (sc *scene) curveFigure(title, ylabel string) *figure {
	desc, tail := sc.subtitle()
	p := newPlot("round", ylabel)
	p.X.Tick.Marker = intTicks{}
	return &figure{title: title + " — " + sc.sum.Name, desc: desc, tail: tail, plot: p}
}

// pointLegend lists the points with their colours.
func (sc *scene) pointLegend(drawn func(i int) bool) []legendEntry {
	var es []legendEntry
	if len(sc.keys) > 0 {
		es = append(es, header(sc.legendTitle()))
	}
	for i := range sc.sum.Points {
		if !drawn(i) {
			continue
		}
		es = append(es, lineEntry(sc.labels[i], solid(sc.colors[i], meanWidth)))
	}
	return es
}

func rounds(r []int) []float64 {
	xs := make([]float64, len(r))
	for i, v := range r {
		xs[i] = float64(v)
	}
	return xs
}

// ratio is a[i]/b[i] for i < n, NaN where b[i] is 0 or either is missing.
func ratio(a, b []float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
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

// convergenceChart: the informed share of alive nodes per round, the mean
// over trials with its 5-95th percentile band, and the mean-field theory.
func convergenceChart(sc *scene) *figure {
	fig := sc.curveFigure("Spread of the rumor", "informed nodes (fraction of alive)")
	p := fig.plot
	type curve struct{ x, mean, lo, hi, theory []float64 }
	curves := make([]*curve, len(sc.sum.Points))
	for i, pt := range sc.sum.Points {
		c := pt.Curve
		n := len(c.Round)
		cv := &curve{
			x:      rounds(c.Round),
			mean:   ratio(c.InformedMean, c.AliveMean, n),
			lo:     ratio(c.InformedP05, c.AliveMean, n),
			hi:     ratio(c.InformedP95, c.AliveMean, n),
			theory: ratio(c.Theory, c.AliveMean, n),
		}
		if anyFinite(cv.mean) {
			curves[i] = cv
		}
	}
	drawn := func(i int) bool { return curves[i] != nil }
	if !anyOf(len(curves), drawn) {
		return nil
	}
	// Bands first, then means, then theory: a darker dashed line that stays
	// visible where it lies on the mean.
	alpha := bandAlpha
	if len(curves) > 6 {
		alpha = bandAlpha * 0.7
	}
	for i, cv := range curves {
		if cv != nil {
			addBand(p, cv.x, cv.lo, cv.hi, withAlpha(sc.colors[i], alpha))
		}
	}
	for i, cv := range curves {
		if cv != nil {
			addLine(p, cv.x, cv.mean, solid(sc.colors[i], meanWidth))
		}
	}
	for i, cv := range curves {
		if cv != nil {
			addLine(p, cv.x, cv.theory, dashed(darker(sc.colors[i]), theoryWidth))
		}
	}
	p.X.Min = 0
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = labelTicks([]float64{0, 0.25, 0.5, 0.75, 1}, []string{"0", "0.25", "0.5", "0.75", "1"})

	ink := colorMuted
	if len(sc.sum.Points) == 1 {
		ink = sc.colors[0]
	} else {
		fig.legend = append(sc.pointLegend(drawn), gap())
	}
	fig.legend = append(fig.legend,
		lineEntry(fmt.Sprintf("mean of %s", trialsText(sc)), solid(ink, meanWidth)),
		bandEntry("5th–95th percentile", draw.LineStyle{}, withAlpha(ink, bandAlpha+0.1)),
	)
	fig.legend = append(fig.legend, sc.theoryLegend("mean-field theory", dashed(ink, theoryWidth))...)
	return fig
}

// theoryLegend is what the legend says of the theory: its line, and, for
// points the mean-field model does not cover (summary.json's no_theory),
// that they have none, rather than a line nobody drew.
func (sc *scene) theoryLegend(label string, line draw.LineStyle) []legendEntry {
	without := 0
	for _, p := range sc.sum.Points {
		if p.Theory == nil {
			without++
		}
	}
	n := len(sc.sum.Points)
	switch {
	case without == n:
		return []legendEntry{lineEntry(NoTheory, draw.LineStyle{})}
	case without > 0:
		return []legendEntry{lineEntry(label, line), lineEntry(fmt.Sprintf("no theory for %d of %d points", without, n), draw.LineStyle{})}
	}
	return []legendEntry{lineEntry(label, line)}
}

// trialsText is "trials" or "30 trials" when every point ran as many.
func trialsText(sc *scene) string {
	n := -1
	for _, p := range sc.sum.Points {
		if n == -1 {
			n = p.Trials
		} else if n != p.Trials {
			return "trials"
		}
	}
	if n > 1 {
		return fmt.Sprintf("%d trials", n)
	}
	return "trials"
}

// overheadChart: messages sent per round, on a log axis when the points'
// sizes differ tenfold or more.
func overheadChart(sc *scene) *figure {
	logY := sizeSpread(sc) >= 10
	ylabel := "messages sent per round"
	if logY {
		ylabel += " (log scale)"
	}
	fig := sc.curveFigure("Messages sent per round", ylabel)
	p := fig.plot
	drawn := sc.meanLines(fig, func(c results.Curve, _ int) []float64 {
		y := make([]float64, len(c.Round))
		for r := range y {
			y[r] = math.NaN()
			switch {
			case r >= len(c.SentMean):
			case !logY:
				y[r] = c.SentMean[r]
			case c.SentMean[r] > 0: // log10 on a linear axis, see logTicks
				y[r] = math.Log10(c.SentMean[r])
			}
		}
		return y
	})
	if !drawn {
		return nil
	}
	p.X.Min = 0
	if logY {
		p.Y.Tick.Marker = logTicks{}
		p.Y.Min, p.Y.Max = math.Floor(p.Y.Min), math.Ceil(p.Y.Max)
	} else {
		p.Y.Min = 0
		p.Y.Max *= 1.04
	}
	return fig
}

// meanLines draws, per point, the per-round line y makes of its curve (nil
// or all NaN: nothing to draw), and the legend for the points drawn. It
// reports whether any point had a line.
func (sc *scene) meanLines(fig *figure, y func(c results.Curve, nodes int) []float64) bool {
	ys := make([][]float64, len(sc.sum.Points))
	for i, pt := range sc.sum.Points {
		if line := y(pt.Curve, pt.Params.Nodes); anyFinite(line) {
			ys[i] = line
		}
	}
	drawn := func(i int) bool { return ys[i] != nil }
	if !anyOf(len(ys), drawn) {
		return false
	}
	for i, line := range ys {
		if line != nil {
			addLine(fig.plot, rounds(sc.sum.Points[i].Curve.Round), line, solid(sc.colors[i], meanWidth))
		}
	}
	fig.legend = sc.curveLegend(drawn, "mean of "+trialsText(sc))
	return true
}

// curveLegend lists the points, or for a single point says what its line is.
func (sc *scene) curveLegend(drawn func(int) bool, single string) []legendEntry {
	if len(sc.sum.Points) == 1 {
		return []legendEntry{lineEntry(single, solid(sc.colors[0], meanWidth))}
	}
	return sc.pointLegend(drawn)
}

// cumulativeChart: messages sent so far, per node.
func cumulativeChart(sc *scene) *figure {
	fig := sc.curveFigure("Messages per node, cumulative", "messages sent per node, cumulative")
	p := fig.plot
	drawn := sc.meanLines(fig, func(c results.Curve, nodes int) []float64 {
		n := float64(nodes)
		if n <= 0 && len(c.AliveMean) > 0 {
			n = c.AliveMean[0]
		}
		if n <= 0 {
			return nil
		}
		y := make([]float64, len(c.Round))
		sum := 0.0
		for r := range y {
			if r >= len(c.SentMean) {
				y[r] = math.NaN()
				continue
			}
			sum += c.SentMean[r]
			y[r] = sum / n
		}
		return y
	})
	if !drawn {
		return nil
	}
	p.X.Min, p.Y.Min = 0, 0
	p.Y.Max *= 1.04
	return fig
}

// redundancyChart: the share of delivered messages that informed no one.
func redundancyChart(sc *scene) *figure {
	fig := sc.curveFigure("Redundant deliveries per round", "redundant / delivered messages")
	p := fig.plot
	drawn := sc.meanLines(fig, func(c results.Curve, _ int) []float64 {
		return ratio(c.RedundantMean, c.DeliveredMean, len(c.Round))
	})
	if !drawn {
		return nil
	}
	// A share: up to 1, from 0 or from the tenth below the lowest value
	// when all are high, as they are for pull and push-pull.
	p.X.Min = 0
	p.Y.Min, p.Y.Max = math.Max(0, math.Floor(p.Y.Min*10)/10), 1
	return fig
}

// sizeSpread is the ratio of the largest to the smallest node count.
func sizeSpread(sc *scene) float64 {
	lo, hi := math.Inf(1), 0.0
	for _, p := range sc.sum.Points {
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

func anyOf(n int, f func(int) bool) bool {
	for i := range n {
		if f(i) {
			return true
		}
	}
	return false
}
