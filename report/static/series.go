package static

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipbench/gossipbench/report/chart"
)

// How series look: widths in points, opacities in [0, 1].
const (
	meanWidth   = 1.8
	faintWidth  = 1.1
	theoryWidth = 1.2
	faintAlpha  = 0.55
	bandAlpha   = 0.16
	boxAlpha    = 0.3
	glyphRadius = 3.6
	capWidth    = 6
	dashHalf    = 10   // half a Dash glyph's length
	slotSpan    = 0.56 // of a category's width, shared by the marks in it
)

var (
	colorWhite = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colorInk   = color.NRGBA{0x22, 0x22, 0x22, 0xff} // text, axes
	colorMuted = rgb(chart.Muted)                    // subtitles, notes, markers
	colorGrid  = color.NRGBA{0xe4, 0xe4, 0xe4, 0xff}
)

// newFigure lays out a chart of the set: a plot per panel, sharing axes.
func newFigure(set chart.Set, ch chart.Chart) *figure {
	f := &figure{title: ch.Title + " — " + set.Name, desc: set.Description, tail: set.Details}
	if ch.Note != "" {
		f.notes = append(f.notes, ch.Note)
	}
	f.notes = append(f.notes, ch.NoTheory...)
	f.cols, f.rows = gridOf(len(ch.Panels))
	boxWidth := vg.Length(40)
	if n := len(ch.X.Ticks); ch.X.Categorical && n > 0 {
		boxWidth = min(boxWidth, Width/vg.Length(f.cols*n)*0.45)
	}
	for i, pn := range ch.Panels {
		ylabel, xlabel := ch.Y.Label, ch.X.Label
		if i%f.cols != 0 {
			ylabel = "" // small multiples: the first column says it
		}
		if i+f.cols < len(ch.Panels) {
			xlabel = "" // and the bottom row
		}
		p := newPlot(pn.Title, xlabel, ylabel)
		sx, sy := scaleOf(ch.X), scaleOf(ch.Y)
		series := make([]chart.Series, len(pn.Series))
		for j, s := range pn.Series {
			series[j] = onAxes(s, sx, sy)
		}
		var bands faultBands
		for _, m := range pn.Markers {
			if m.Band {
				bands = append(bands, chart.Marker{X: sx(m.X), Label: m.Label, Band: true, To: sx(m.To)})
			}
		}
		if len(bands) > 0 {
			p.Add(bands)
		}
		for _, layer := range panelLayers(series, ch.X.Categorical, boxWidth) {
			p.Add(layer...)
		}
		if len(pn.Markers) > 0 {
			ms := make(markers, len(pn.Markers))
			for j, m := range pn.Markers {
				ms[j] = chart.Marker{X: sx(m.X), Label: m.Label, Band: m.Band, To: sx(m.To)}
			}
			p.Add(ms)
		}
		f.plots = append(f.plots, p)
	}
	setAxis(f.plots, func(p *plot.Plot) *plot.Axis { return &p.X }, ch.X, true)
	setAxis(f.plots, func(p *plot.Plot) *plot.Axis { return &p.Y }, ch.Y, false)
	f.legend = legendOf(ch)
	return f
}

// panelLayers are a panel's plotters, from its series on the axes, in
// drawing order: bands, boxes, measured lines, theory lines, error bars,
// then marks on top, so a dashed theory line stays visible where it lies
// on the mean.
func panelLayers(series []chart.Series, categorical bool, boxWidth vg.Length) [][]plot.Plotter {
	layers := make([][]plot.Plotter, 6)
	bands := 0
	for _, s := range series {
		if s.Kind == chart.Band {
			bands++
		}
	}
	offsets := dodge(series, categorical)
	for i, s := range series {
		line := 2
		if s.Theory {
			line = 3
		}
		switch s.Kind {
		case chart.Line:
			layers[line] = append(layers[line], lineSegments(s.X, s.Y, lineStyle(s))...)
		case chart.Band:
			alpha := bandAlpha
			if bands > 6 {
				alpha *= 0.7
			}
			layers[0] = append(layers[0], bandPolygons(s, withAlpha(rgb(s.Color), alpha))...)
		case chart.Box:
			layers[1] = append(layers[1], boxes(s, boxWidth)...)
		case chart.Points:
			xs := make([]float64, len(s.X))
			for j, x := range s.X {
				xs[j] = x + offsets[i]
			}
			if s.Connect {
				layers[line] = append(layers[line], lineSegments(xs, s.Y, lineStyle(s))...)
			}
			bars, marks := points(s, xs)
			layers[4] = append(layers[4], bars...)
			layers[5] = append(layers[5], marks...)
		}
	}
	return layers
}

// dodge shifts the marks of a categorical axis apart, each measured
// series into a slot of its own and a theory series into the slot of the
// measured one before it, so marks at one category do not hide each other.
func dodge(series []chart.Series, categorical bool) []float64 {
	off := make([]float64, len(series))
	if !categorical {
		return off
	}
	slot := make([]int, len(series))
	n := 0
	for i, s := range series {
		if s.Kind != chart.Points {
			continue
		}
		if !s.Theory || n == 0 {
			n++
		}
		slot[i] = n - 1
	}
	if n < 2 {
		return off
	}
	w := slotSpan / float64(n)
	for i, s := range series {
		if s.Kind == chart.Points {
			off[i] = (float64(slot[i]) - float64(n-1)/2) * w
		}
	}
	return off
}

// lineSegments are the lines through (xs[i], ys[i]), broken wherever a
// value is NaN, so missing data leaves a gap rather than a drop to 0. A
// lone value between gaps gets a short dash.
func lineSegments(xs, ys []float64, sty draw.LineStyle) []plot.Plotter {
	var out []plot.Plotter
	var seg plotter.XYs
	flush := func() {
		switch len(seg) {
		case 0:
		case 1:
			out = append(out, loneDash{seg[0], sty})
		default:
			out = append(out, &plotter.Line{XYs: seg, LineStyle: sty})
		}
		seg = nil
	}
	for i := range xs {
		if i >= len(ys) || !finite(xs[i]) || !finite(ys[i]) {
			flush()
			continue
		}
		seg = append(seg, plotter.XY{X: xs[i], Y: ys[i]})
	}
	flush()
	return out
}

// bandPolygons are the translucent areas between Lo and Hi, broken at NaN.
func bandPolygons(s chart.Series, fill color.Color) []plot.Plotter {
	var out []plot.Plotter
	var top, bot plotter.XYs
	flush := func() {
		if len(top) >= 2 {
			ring := append(plotter.XYs{}, bot...)
			for i := len(top) - 1; i >= 0; i-- {
				ring = append(ring, top[i])
			}
			out = append(out, &plotter.Polygon{XYs: []plotter.XYs{ring}, Color: fill})
		}
		top, bot = nil, nil
	}
	for i, x := range s.X {
		if i >= len(s.Lo) || i >= len(s.Hi) || !finite(x) || !finite(s.Lo[i]) || !finite(s.Hi[i]) {
			flush()
			continue
		}
		bot = append(bot, plotter.XY{X: x, Y: s.Lo[i]})
		top = append(top, plotter.XY{X: x, Y: s.Hi[i]})
	}
	flush()
	return out
}

// points are a Points series' error bars, where Lo and Hi are finite, and
// its marks, at xs.
func points(s chart.Series, xs []float64) (bars, marks []plot.Plotter) {
	var at, withBar plotter.XYs
	var errs plotter.YErrors
	for j := range xs {
		if j >= len(s.Y) || !finite(xs[j]) || !finite(s.Y[j]) {
			continue
		}
		xy := plotter.XY{X: xs[j], Y: s.Y[j]}
		at = append(at, xy)
		if j < len(s.Lo) && j < len(s.Hi) && finite(s.Lo[j]) && finite(s.Hi[j]) {
			withBar = append(withBar, xy)
			errs = append(errs, struct{ Low, High float64 }{s.Y[j] - s.Lo[j], s.Hi[j] - s.Y[j]})
		}
	}
	if len(withBar) > 0 {
		sty := lineStyle(s)
		sty.Width, sty.Dashes = 1, nil
		bars = append(bars, &plotter.YErrorBars{XYs: withBar, YErrors: errs, LineStyle: sty, CapWidth: capWidth})
	}
	if len(at) > 0 {
		marks = append(marks, &plotter.Scatter{XYs: at, GlyphStyle: glyphStyle(s)})
	}
	return bars, marks
}

// boxes are a Box series' box plots: quartiles, and whiskers to the
// minimum and maximum (chart's note says so), not Tukey's fences.
func boxes(s chart.Series, width vg.Length) []plot.Plotter {
	var out []plot.Plotter
	col := rgb(s.Color)
	for i, x := range s.X {
		if i >= len(s.Samples) {
			break
		}
		var vs plotter.Values
		for _, v := range s.Samples[i] {
			if finite(v) {
				vs = append(vs, v)
			}
		}
		b, err := plotter.NewBoxPlot(width, x, vs)
		if err != nil || len(vs) == 0 {
			continue
		}
		b.AdjLow, b.AdjHigh, b.Outside = b.Min, b.Max, nil
		b.FillColor = withAlpha(col, boxAlpha)
		b.BoxStyle = draw.LineStyle{Color: col, Width: 1.2}
		b.WhiskerStyle = b.BoxStyle
		b.MedianStyle = draw.LineStyle{Color: darker(col), Width: 2}
		out = append(out, b)
	}
	return out
}
