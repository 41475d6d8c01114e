package static

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Fonts: Liberation Sans (bundled with gonum/plot, metric-compatible with
// Arial), sized for an 800x500 px image.
var (
	sans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold  = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
	titleSize = vg.Points(13)
	subSize   = vg.Points(9)
	labelSize = vg.Points(10.5)
	tickSize  = vg.Points(9.5)
	legSize   = vg.Points(9)
)

func textStyle(f font.Font, size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// figure is one chart: a title, a subtitle, a plot and a legend to its right.
type figure struct {
	title      string
	desc, tail string // subtitle: the description (shortened to fit) and a tail kept whole
	plot       *plot.Plot
	legend     []legendEntry
}

type entryKind int

const (
	entryLine   entryKind = iota // a line sample, with a glyph if glyph.Radius > 0
	entryBand                    // a translucent box with a line through it
	entryHeader                  // a bold caption
	entryGap                     // half a row of space
)

type legendEntry struct {
	kind  entryKind
	label string
	line  draw.LineStyle
	fill  color.Color
	glyph draw.GlyphStyle
}

func header(label string) legendEntry { return legendEntry{kind: entryHeader, label: label} }
func gap() legendEntry                { return legendEntry{kind: entryGap} }

func lineEntry(label string, line draw.LineStyle) legendEntry {
	return legendEntry{kind: entryLine, label: label, line: line}
}

func glyphEntry(label string, line draw.LineStyle, glyph draw.GlyphStyle) legendEntry {
	return legendEntry{kind: entryLine, label: label, line: line, glyph: glyph}
}

func bandEntry(label string, line draw.LineStyle, fill color.Color) legendEntry {
	return legendEntry{kind: entryBand, label: label, line: line, fill: fill}
}

// Layout, in points.
const (
	margin      = vg.Length(12)
	legendGap   = vg.Length(14) // between the plot and the legend
	swatchWidth = vg.Length(24)
	swatchGap   = vg.Length(6)
	maxLegend   = 0.3 // of the width
)

// draw renders the figure onto c. gonum/plot panics on some bad input (a
// non-positive value on a log axis); that becomes an error.
func (f *figure) draw(c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing %q: %v", f.title, r)
		}
	}()
	c.SetColor(colorWhite)
	c.Fill(c.Rectangle.Path())

	inner := draw.Crop(c, margin, -margin, margin*2/3, -margin)
	ts := textStyle(sansBold, titleSize, colorInk)
	ss := textStyle(sans, subSize, colorMuted)
	top := inner.Max.Y
	inner.FillText(ts, vg.Point{X: inner.Min.X, Y: top}, f.title)
	top -= ts.Height(f.title) + 3
	for _, line := range f.subtitle(ss, inner.Max.X-inner.Min.X) {
		inner.FillText(ss, vg.Point{X: inner.Min.X, Y: top}, line)
		top -= ss.Height(line)
	}
	top -= 10

	lw := f.legendWidth(c.Max.X - c.Min.X)
	area := inner
	area.Max.Y = top
	if lw > 0 {
		area.Max.X -= lw + legendGap
	}
	f.plot.Draw(area)
	if lw > 0 {
		data := f.plot.DataCanvas(area)
		f.drawLegend(inner, area.Max.X+legendGap, lw, data.Max.Y)
	}
	return nil
}

// subtitle sets the description and the tail in one line of the given
// width or, if they need more, two: the description wrapped at a space and
// shortened to fit, the tail whole.
func (f *figure) subtitle(sty text.Style, width vg.Length) []string {
	tail := f.tail
	if f.desc != "" && tail != "" {
		tail = " (" + tail + ")"
	}
	one := f.desc + tail
	if one == "" {
		return nil
	}
	if sty.Width(one) <= width {
		return []string{one}
	}
	words := strings.Fields(f.desc)
	first := ""
	for len(words) > 0 {
		next := strings.TrimSpace(first + " " + words[0])
		if sty.Width(next) > width {
			break
		}
		first, words = next, words[1:]
	}
	if first == "" { // one long word
		return []string{fit(sty, f.desc, width-sty.Width(tail)) + tail}
	}
	rest := strings.Join(words, " ")
	if rest == "" {
		return []string{first, strings.TrimSpace(tail)}
	}
	return []string{first, fit(sty, rest, width-sty.Width(tail)) + tail}
}

// fit shortens s with an ellipsis until it is at most width wide. The
// longest prefix that fits is found by bisection, as a prefix grows no
// narrower with length: text from result files can be megabytes long,
// and measuring it once per character dropped took minutes.
func fit(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	n := sort.Search(len(r), func(k int) bool { return sty.Width(string(r[:k+1])+"…") > width })
	if t := string(r[:n]) + "…"; sty.Width(t) <= width {
		return t
	}
	return ""
}

func (f *figure) legendStyles() (label, head text.Style) {
	label = textStyle(sans, legSize, colorInk)
	label.YAlign = draw.YCenter
	head = textStyle(sansBold, legSize, colorInk)
	head.YAlign = draw.YCenter
	return label, head
}

// legendWidth is the width the legend needs, at most maxLegend of the figure.
func (f *figure) legendWidth(total vg.Length) vg.Length {
	if len(f.legend) == 0 {
		return 0
	}
	ls, hs := f.legendStyles()
	var w vg.Length
	for _, e := range f.legend {
		switch e.kind {
		case entryHeader:
			w = max(w, hs.Width(e.label))
		case entryLine, entryBand:
			w = max(w, swatchWidth+swatchGap+ls.Width(e.label))
		}
	}
	return min(w, total*maxLegend)
}

// drawLegend draws the entries top-down from y in a column at x of width w;
// rows that do not fit become "… n more".
func (f *figure) drawLegend(c draw.Canvas, x, w, y vg.Length) {
	ls, hs := f.legendStyles()
	row := legSize * 1.6
	bottom := c.Min.Y
	for i, e := range f.legend {
		h := row
		if e.kind == entryGap {
			h = row / 2
		}
		if y-h < bottom || (y-2*row < bottom && i < len(f.legend)-1) {
			c.FillText(ls, vg.Point{X: x, Y: y - row/2}, fmt.Sprintf("… %d more", len(f.legend)-i))
			return
		}
		mid := y - row/2
		sx0, sx1 := x, x+swatchWidth
		switch e.kind {
		case entryHeader:
			c.FillText(hs, vg.Point{X: x, Y: mid}, fit(hs, e.label, w))
		case entryBand:
			box := vg.Rectangle{Min: vg.Point{X: sx0, Y: mid - row*0.3}, Max: vg.Point{X: sx1, Y: mid + row*0.3}}
			c.SetColor(e.fill)
			c.Fill(box.Path())
			fallthrough
		case entryLine:
			if e.line.Width > 0 {
				c.StrokeLine2(e.line, sx0, mid, sx1, mid)
			}
			if e.glyph.Radius > 0 && e.glyph.Shape != nil {
				c.DrawGlyphNoClip(e.glyph, vg.Point{X: (sx0 + sx1) / 2, Y: mid})
			}
			c.FillText(ls, vg.Point{X: sx1 + swatchGap, Y: mid}, fit(ls, e.label, w-swatchWidth-swatchGap))
		}
		y -= h
	}
}

// newPlot is a plot with the house style: sans fonts, light grid, no title
// (the figure draws its own).
func newPlot(xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, labelSize)
		ax.Label.TextStyle.Color = colorInk
		ax.Label.Padding = 4
		ax.Tick.Label.Font = font.From(sans, tickSize)
		ax.Tick.Label.Color = colorInk
		ax.Tick.Color = colorMuted
		ax.Tick.Width = 0.6
		ax.Tick.Length = 4
		ax.Color = colorMuted
		ax.Width = 0.6
		ax.Padding = 4
		ax.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: colorGrid, Width: 0.6}
	grid.Horizontal = grid.Vertical
	p.Add(grid)
	return p
}

// Line styles.
func solid(c color.Color, width vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: width}
}

func dashed(c color.Color, width vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: width, Dashes: []vg.Length{5, 3}}
}

// addLine adds the polyline through (xs[i], ys[i]), broken wherever a
// value is NaN, so missing data leaves a gap rather than a drop to 0.
func addLine(p *plot.Plot, xs, ys []float64, sty draw.LineStyle) {
	for _, l := range lineSegments(xs, ys, sty) {
		p.Add(l)
	}
}

// lineSegments are the lines through (xs[i], ys[i]), broken at NaN; a lone
// point between gaps has no line.
func lineSegments(xs, ys []float64, sty draw.LineStyle) []plot.Plotter {
	var out []plot.Plotter
	var seg plotter.XYs
	flush := func() {
		if len(seg) >= 2 {
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

// addBand adds the translucent area between lo and hi, broken at NaN.
func addBand(p *plot.Plot, xs, lo, hi []float64, fill color.Color) {
	var top, bot plotter.XYs
	flush := func() {
		if len(top) >= 2 {
			ring := make(plotter.XYs, 0, 2*len(top))
			ring = append(ring, bot...)
			for i := len(top) - 1; i >= 0; i-- {
				ring = append(ring, top[i])
			}
			p.Add(&plotter.Polygon{XYs: []plotter.XYs{ring}, Color: fill})
		}
		top, bot = nil, nil
	}
	for i := range xs {
		if i >= len(lo) || i >= len(hi) || !finite(xs[i]) || !finite(lo[i]) || !finite(hi[i]) {
			flush()
			continue
		}
		bot = append(bot, plotter.XY{X: xs[i], Y: lo[i]})
		top = append(top, plotter.XY{X: xs[i], Y: hi[i]})
	}
	flush()
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Tickers.

// niceTicks are gonum's default ticks with compact labels (1k, 2.5M).
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = formatNumber(cleanZero(ts[i].Value))
		}
	}
	return ts
}

// intTicks mark whole numbers only (rounds, fanout), at a step of 1, 2 or
// 5 times a power of ten giving 4 to 10 labels, with minor ticks between.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: math.Round(lo), Label: formatNumber(cleanZero(math.Round(lo)))}}
	}
	step := intStep(hi - lo)
	// Minor ticks halfway, where that is a whole number.
	minor := step / 2
	if minor != math.Trunc(minor) {
		minor = 0
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: formatNumber(cleanZero(v))})
	}
	if minor > 0 {
		for v := math.Ceil(lo/minor) * minor; v <= hi+1e-9; v += minor {
			if math.Mod(v, step) != 0 {
				ts = append(ts, plot.Tick{Value: v})
			}
		}
	}
	return ts
}

// intStep is the smallest of 1, 2, 5, 10, 20, 50, ... that cuts span into
// at most 8 steps.
func intStep(span float64) float64 {
	for e := 0.0; e < 15; e++ {
		for _, m := range []float64{1, 2, 5} {
			if s := m * math.Pow(10, e); span/s <= 8 {
				return s
			}
		}
	}
	return math.Pow(10, math.Ceil(math.Log10(span/8)))
}

// logTicks mark powers of ten on an axis that holds log10 of the data,
// with minor ticks at 2..9 times them.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	var ts []plot.Tick
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		for m := 1.0; m < 10; m++ {
			v := e + math.Log10(m)
			if v < lo-1e-9 || v > hi+1e-9 {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = formatNumber(math.Pow(10, e))
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// cleanZero turns -0 and float noise around 0 into 0.
func cleanZero(v float64) float64 {
	if math.Abs(v) < 1e-12 {
		return 0
	}
	return v
}

// labelTicks put a labelled tick at each of the given positions.
func labelTicks(values []float64, labels []string) plot.ConstantTicks {
	ts := make(plot.ConstantTicks, len(values))
	for i := range values {
		ts[i] = plot.Tick{Value: values[i], Label: labels[i]}
	}
	return ts
}
