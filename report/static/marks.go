package static

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipbench/gossipbench/report/chart"
)

// How a series looks on paper: its line, its marks, its colours.

// lineStyle is how a series' line looks: theory darker and thinner, so it
// shows on the mean it lies on; faint lighter and thinner.
func lineStyle(s chart.Series) draw.LineStyle {
	col, w := rgb(s.Color), vg.Length(meanWidth)
	switch {
	case s.Theory:
		col, w = darker(col), theoryWidth
	case s.Faint:
		col, w = withAlpha(col, faintAlpha), faintWidth
	}
	sty := draw.LineStyle{Color: col, Width: w}
	switch {
	case s.Dashed:
		sty.Dashes = []vg.Length{5, 3}
	case s.Dotted:
		sty.Dashes = []vg.Length{1.5, 2}
	}
	return sty
}

func glyphStyle(s chart.Series) draw.GlyphStyle {
	col := rgb(s.Color)
	if s.Faint {
		col = withAlpha(col, faintAlpha+0.2)
	}
	switch s.Glyph {
	case chart.Square:
		return draw.GlyphStyle{Color: col, Radius: glyphRadius, Shape: outlined{draw.BoxGlyph{}, colorWhite}}
	case chart.Dash:
		return draw.GlyphStyle{Color: col, Radius: dashHalf, Shape: dash{lineStyle(s)}}
	}
	return draw.GlyphStyle{Color: col, Radius: glyphRadius, Shape: outlined{draw.CircleGlyph{}, colorWhite}}
}

// outlined draws a glyph with a thin outline, so marks stand out from
// the lines and bars behind them.
type outlined struct {
	shape   draw.GlyphDrawer
	outline color.Color
}

func (o outlined) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	// The canvas' colour is the caller's: gonum sets it once, to the mark's.
	out := sty
	out.Color, out.Radius = o.outline, sty.Radius+1
	c.SetColor(out.Color)
	o.shape.DrawGlyph(c, out, pt)
	c.SetColor(sty.Color)
	o.shape.DrawGlyph(c, sty, pt)
}

// dash is a horizontal stroke of the glyph's radius either side.
type dash struct{ sty draw.LineStyle }

func (d dash) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.StrokeLine2(d.sty, pt.X-sty.Radius, pt.Y, pt.X+sty.Radius, pt.Y)
}

// loneDash is a short horizontal stroke at a value with no neighbour. It
// has no glyph box: gonum would shrink the data area to fit one.
type loneDash struct {
	at  plotter.XY
	sty draw.LineStyle
}

func (d loneDash) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x, y := trX(d.at.X), trY(d.at.Y)
	if c.Contains(vg.Point{X: x, Y: y}) {
		c.StrokeLine2(d.sty, x-dashHalf, y, x+dashHalf, y)
	}
}

func (d loneDash) DataRange() (xmin, xmax, ymin, ymax float64) {
	return d.at.X, d.at.X, d.at.Y, d.at.Y
}

// markers draws a panel's fault markers over the data: a dotted vertical
// line at each round, labelled along it on a light ground. It has no data
// range: a marker does not stretch the axis, and one off it is not drawn.
type markers []chart.Marker

func (ms markers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := draw.LineStyle{Color: colorMuted, Width: 0.9, Dashes: []vg.Length{1.5, 2.5}}
	ts := textStyle(sans, noteSize, colorMuted)
	ts.Rotation = math.Pi / 2
	ts.XAlign, ts.YAlign = draw.XRight, draw.YTop
	labels := map[float64]string{}
	var xs []float64
	for _, m := range ms {
		if m.Band {
			continue
		}
		if _, ok := labels[m.X]; !ok {
			xs = append(xs, m.X)
			labels[m.X] = m.Label
		} else {
			labels[m.X] += "; " + m.Label
		}
	}
	for _, v := range xs {
		if !finite(v) || v < p.X.Min || v > p.X.Max {
			continue
		}
		x := trX(v)
		c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		label, at := fit(ts, labels[v], (c.Max.Y-c.Min.Y)*0.9), vg.Point{X: x + 2, Y: c.Max.Y - 3}
		c.SetColor(withAlpha(colorWhite, 0.8)) // legible over the lines it crosses
		c.Fill(ts.Rectangle(label).Add(at).Path())
		c.FillText(ts, at, label)
	}
}

// rgb parses the model's "#rrggbb"; anything else is the muted grey.
func rgb(hex string) color.NRGBA {
	if len(hex) == 7 && hex[0] == '#' {
		if v, err := strconv.ParseUint(hex[1:], 16, 32); err == nil {
			return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
		}
	}
	return color.NRGBA{0x66, 0x66, 0x66, 0xff}
}

// darker returns c mixed with 35 % black.
func darker(c color.NRGBA) color.NRGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(float64(v) * 0.65)) }
	return color.NRGBA{f(c.R), f(c.G), f(c.B), c.A}
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(a * 255))
	return c
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// faultBands shades each band marker (a partition, churn) from its start
// to its end, cut to the axis (one that never ends runs to the axis'
// end), and labels it along its top. It is drawn under the data, and has
// no data range, as markers.
type faultBands []chart.Marker

func (ms faultBands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	ts := textStyle(sans, noteSize, colorMuted)
	ts.XAlign, ts.YAlign = draw.XLeft, draw.YTop
	row := 0
	for _, m := range ms {
		lo, hi := math.Max(m.X, p.X.Min), math.Min(m.To, p.X.Max)
		if !m.Band || !finite(lo) || !(hi > lo) {
			continue
		}
		x0, x1 := trX(lo), trX(hi)
		c.SetColor(withAlpha(rgb(chart.FaultBand), chart.FaultBandAlpha*1.6)) // paper shows a light fill lighter than a screen
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}.Path())
		// Bands of one panel label one under another, so that two
		// starting close do not overwrite each other.
		at := vg.Point{X: x0 + 2, Y: c.Max.Y - 3 - vg.Length(row)*(ts.Height("Xg")+1)}
		c.FillText(ts, at, fit(ts, m.Label, c.Max.X-x0-4))
		row++
	}
}
