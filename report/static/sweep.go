package static

import (
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Sweep charts: a metric's mean with its 95% confidence interval against
// the swept value. The last swept key is the x axis; with several keys,
// every combination of the others is a series (one line per value of the
// first key, for two).

// metricSpec is one metric drawn on a sweep chart.
type metricSpec struct {
	key         string // in PointSummary.Metrics
	label       string
	glyph       draw.GlyphDrawer
	width       vg.Length
	neutral     color.NRGBA // line colour without series
	faint       bool        // a secondary metric: with series, its line is translucent
	theory      bool        // whether the model has the metric
	theoryLabel string
}

var (
	roundsTo99 = metricSpec{key: results.RoundsTo99, label: "rounds to inform 99%",
		glyph: draw.CircleGlyph{}, width: 1.1, neutral: color.NRGBA{0x9a, 0x9a, 0x9a, 0xff}, faint: true}
	roundsToFull = metricSpec{key: results.RoundsToFull, label: "rounds to inform all",
		glyph: draw.BoxGlyph{}, width: 1.8, neutral: color.NRGBA{0x44, 0x44, 0x44, 0xff},
		theory:      true,
		theoryLabel: "theory: rounds to inform all"}
	messagesPerNode = metricSpec{key: results.MessagesPerNode, label: "messages per node",
		glyph: draw.BoxGlyph{}, width: 1.8, neutral: color.NRGBA{0x44, 0x44, 0x44, 0xff},
		theory:      true,
		theoryLabel: "theory: messages per node"}
)

func sweepRoundsChart(sc *scene) *figure {
	fig := sc.sweepChart("Rounds to spread the rumor", "rounds", []metricSpec{roundsTo99, roundsToFull})
	if fig != nil {
		fig.plot.Y.Tick.Marker = intTicks{}
	}
	return fig
}

func sweepMessagesChart(sc *scene) *figure {
	return sc.sweepChart("Messages per node until the end of the run", "messages sent per node", []metricSpec{messagesPerNode})
}

// Marker sizes, in points.
const (
	glyphRadius = 3.6
	capWidth    = 6
	slotSpan    = 0.56 // of a category's width, shared by its markers
)

// metricValue is a point's statistics for a metric, if any trial had one.
func metricValue(p results.PointSummary, key string) (results.Stats, bool) {
	st, ok := p.Metrics[key]
	if !ok || st.N == 0 || !finite(st.Mean) {
		return st, false
	}
	return st, true
}

func (sc *scene) sweepChart(title, ylabel string, metrics []metricSpec) *figure {
	if len(sc.keys) == 0 {
		return nil
	}
	pts := sc.sum.Points
	xk := &sc.keys[len(sc.keys)-1]
	categorical := !xk.numeric
	logX := !categorical && logAxis(xk)

	// Series: lists of point indices, ordered along x.
	nSeries := 1
	if sc.grid() {
		nSeries = len(sc.seriesNames)
	}
	series := make([][]int, nSeries)
	for i := range pts {
		s := 0
		if sc.grid() {
			s = sc.series[i]
		}
		series[s] = append(series[s], i)
	}
	xOf := func(i int) float64 {
		if categorical {
			return float64(xk.index[xk.text[i]])
		}
		if logX { // log10 on a linear axis, see logTicks
			return math.Log10(xk.numbers[xk.text[i]])
		}
		return xk.numbers[xk.text[i]]
	}
	for _, idx := range series {
		sort.SliceStable(idx, func(a, b int) bool { return xOf(idx[a]) < xOf(idx[b]) })
	}

	desc, tail := sc.subtitle()
	p := newPlot(axisLabel(xk.name, logX), ylabel)
	fig := &figure{title: title + " — " + sc.sum.Name, desc: desc, tail: tail, plot: p}

	slots := nSeries * len(metrics)
	slotWidth := slotSpan / float64(slots)
	found := false
	// Theory lines first, then error bars and lines, markers on top.
	var lines, bars, marks []plot.Plotter
	for s, idx := range series {
		for mi, m := range metrics {
			lineColor := m.neutral
			if sc.grid() {
				lineColor = sc.seriesColor[s]
				if m.faint {
					lineColor = withAlpha(lineColor, 0.55)
				}
			}
			off := 0.0
			if categorical {
				off = (float64(s*len(metrics)+mi) - float64(slots-1)/2) * slotWidth
			}
			d := sc.sweepData(idx, m, func(i int) float64 { return xOf(i) + off })
			xys, errs, tx, ty := d.means, d.errs, d.theoryX, d.theoryY
			if len(tx) > 0 {
				found = true
				if categorical {
					// A short dash across each marker: categories are not a line.
					for j := range tx {
						lines = append(lines, &plotter.Line{
							XYs:       plotter.XYs{{X: tx[j] - slotWidth*0.45, Y: ty[j]}, {X: tx[j] + slotWidth*0.45, Y: ty[j]}},
							LineStyle: dashed(lineColor, theoryWidth),
						})
					}
				} else {
					lines = append(lines, lineSegments(d.lineX, d.lineTheory, dashed(lineColor, theoryWidth))...)
					// A theory value with no neighbour gets a short dash.
					for j := range d.lineTheory {
						if finite(d.lineTheory[j]) && !neighbour(d.lineTheory, j) {
							lines = append(lines, dashMark(d.lineX[j], d.lineTheory[j], lineColor))
						}
					}
				}
			}
			if len(xys) == 0 {
				continue
			}
			found = true
			if !categorical {
				lines = append(lines, lineSegments(d.lineX, d.lineY, solid(lineColor, m.width))...)
			}
			eb := &plotter.YErrorBars{XYs: xys, YErrors: errs, LineStyle: solid(lineColor, 1), CapWidth: capWidth}
			bars = append(bars, eb)
			sct := &plotter.Scatter{XYs: xys}
			glyph := m.glyph
			sct.GlyphStyleFunc = func(j int) draw.GlyphStyle {
				return draw.GlyphStyle{Color: sc.colors[d.points[j]], Radius: glyphRadius, Shape: outlined{glyph, colorWhite}}
			}
			marks = append(marks, sct)
		}
	}
	if !found {
		return nil
	}
	p.Add(lines...)
	p.Add(bars...)
	p.Add(marks...)

	// Axes.
	p.Y.Min = 0
	p.Y.Max *= 1.04
	if p.Y.Max <= 0 {
		p.Y.Max = 1
	}
	switch {
	case categorical:
		pos := make([]float64, len(xk.values))
		for j := range pos {
			pos[j] = float64(j)
		}
		p.X.Tick.Marker = labelTicks(pos, xk.values)
		p.X.Min, p.X.Max = -0.5, float64(len(xk.values))-0.5
	default:
		vals := make([]float64, 0, len(xk.values))
		for _, t := range xk.values {
			vals = append(vals, xk.numbers[t])
		}
		sort.Float64s(vals)
		pos := make([]float64, len(vals))
		labels := make([]string, len(vals))
		for j, v := range vals {
			pos[j], labels[j] = v, formatNumber(v)
			if logX {
				pos[j] = math.Log10(v)
			}
		}
		lo, hi := pos[0], pos[len(pos)-1]
		span := hi - lo
		if span == 0 {
			span = math.Max(math.Abs(hi), 1)
		}
		p.X.Min, p.X.Max = lo-span*0.05, hi+span*0.05
		switch {
		case len(vals) <= 12:
			p.X.Tick.Marker = labelTicks(pos, labels)
		case logX:
			p.X.Tick.Marker = logTicks{}
		}
	}

	// Legend: the series (grids), then what the marks and lines mean.
	if sc.grid() {
		names := make([]string, len(sc.keys)-1)
		for j, k := range sc.keys[:len(sc.keys)-1] {
			names[j] = k.name
		}
		fig.legend = append(fig.legend, header(strings.Join(names, ", ")))
		for s, name := range sc.seriesNames {
			fig.legend = append(fig.legend, lineEntry(name, solid(sc.seriesColor[s], 1.8)))
		}
		fig.legend = append(fig.legend, gap())
	}
	fig.legend = append(fig.legend, header("mean ± 95% CI"))
	for _, m := range metrics {
		line := solid(m.neutral, m.width)
		if categorical {
			line = draw.LineStyle{}
		}
		fig.legend = append(fig.legend, glyphEntry(m.label, line,
			draw.GlyphStyle{Color: colorMuted, Radius: glyphRadius, Shape: outlined{m.glyph, colorWhite}}))
	}
	said := false // "no theory" once, however many metrics have one
	for _, m := range metrics {
		if m.theory {
			for _, e := range sc.theoryLegend(m.theoryLabel, dashed(colorMuted, theoryWidth)) {
				if e.line.Width == 0 && said {
					continue
				}
				said = said || e.line.Width == 0
				fig.legend = append(fig.legend, e)
			}
		}
	}
	return fig
}

// sweepData is what a sweep chart draws for one metric of one series: the
// means with their confidence intervals and the theory values, at x(i) for
// point i. Points without the metric, or without a theory value, are left
// out, never drawn at 0.
type sweepData struct {
	means            plotter.XYs
	errs             plotter.YErrors // below and above the mean
	points           []int           // the point of each mean
	theoryX, theoryY []float64
	// The lines, one value per point of the series, NaN where it has none,
	// so a line breaks there rather than bridging the gap.
	lineX, lineY, lineTheory []float64
}

func (sc *scene) sweepData(idx []int, m metricSpec, x func(int) float64) sweepData {
	var d sweepData
	for _, i := range idx {
		p := sc.sum.Points[i]
		d.lineX = append(d.lineX, x(i))
		d.lineY = append(d.lineY, math.NaN())
		d.lineTheory = append(d.lineTheory, math.NaN())
		if st, ok := metricValue(p, m.key); ok {
			d.lineY[len(d.lineY)-1] = st.Mean
			lo, hi := st.Mean-st.CI95[0], st.CI95[1]-st.Mean
			if !finite(lo) || !finite(hi) || lo < 0 || hi < 0 {
				lo, hi = 0, 0 // no interval rather than a wrong one
			}
			d.means = append(d.means, plotter.XY{X: x(i), Y: st.Mean})
			d.errs = append(d.errs, struct{ Low, High float64 }{lo, hi})
			d.points = append(d.points, i)
		}
		if m.theory {
			if v := p.Theory.Metric(m.key); v != nil && finite(*v) {
				d.theoryX, d.theoryY = append(d.theoryX, x(i)), append(d.theoryY, *v)
				d.lineTheory[len(d.lineTheory)-1] = *v
			}
		}
	}
	return d
}

// neighbour tells whether ys[j] has a finite value next to it.
func neighbour(ys []float64, j int) bool {
	return j > 0 && finite(ys[j-1]) || j+1 < len(ys) && finite(ys[j+1])
}

// dashMark marks a lone theory value with a short dashed line.
func dashMark(x, y float64, c color.Color) plot.Plotter {
	return dash{x: x, y: y, sty: dashed(c, theoryWidth), half: 12}
}

// dash is a horizontal line of fixed length centred on a data point.
type dash struct {
	x, y float64
	sty  draw.LineStyle
	half vg.Length
}

func (d dash) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x, y := trX(d.x), trY(d.y)
	c.StrokeLine2(d.sty, x-d.half, y, x+d.half, y)
}

func (d dash) DataRange() (xmin, xmax, ymin, ymax float64) { return d.x, d.x, d.y, d.y }

// logAxis tells whether a numeric key reads better on a log axis: node
// counts, or any positive values spanning two decades.
func logAxis(k *sweepKey) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range k.numbers {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo <= 0 || len(k.values) < 2 {
		return false
	}
	return k.name == "nodes" && hi/lo >= 10 || hi/lo >= 100
}

// axisLabel names a swept key with its unit.
func axisLabel(key string, log bool) string {
	s, ok := map[string]string{
		"fanout":     "fanout (peers contacted per round)",
		"loss":       "message loss probability",
		"nodes":      "nodes",
		"mode":       "gossip mode",
		"engine":     "engine",
		"max_rounds": "round limit (rounds)",
	}[key]
	if !ok {
		s = key
	}
	if log {
		s += " (log scale)"
	}
	return s
}

// outlined draws a glyph with a thin outline, so markers stand out from
// the lines and bars behind them.
type outlined struct {
	shape   draw.GlyphDrawer
	outline color.Color
}

func (o outlined) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	// The outline: the same shape, a little larger, in the outline colour.
	out := sty
	out.Color = o.outline
	out.Radius = sty.Radius + 1
	o.shape.DrawGlyph(c, out, pt)
	o.shape.DrawGlyph(c, sty, pt)
}
