package static

import (
	"fmt"
	"image/color"
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
// Arial), sized for an image 800 px wide.
var (
	sans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold  = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
	titleSize = vg.Points(13)
	subSize   = vg.Points(9)
	labelSize = vg.Points(10.5)
	tickSize  = vg.Points(9.5)
	legSize   = vg.Points(9)
	noteSize  = vg.Points(8.5)
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

// figure is one chart on paper: a title, a subtitle, its panels in a grid,
// a legend to the right of a lone panel or below several, and notes.
type figure struct {
	title      string
	desc, tail string // subtitle: the description (shortened to fit) and a tail kept whole
	plots      []*plot.Plot
	cols, rows int
	legend     []legendEntry
	notes      []string // under everything, each on a line, shortened to fit
}

// Layout, in points.
const (
	margin      = vg.Length(12)
	legendGap   = vg.Length(14) // between the plots and the legend
	swatchWidth = vg.Length(24)
	swatchGap   = vg.Length(6)
	itemGap     = vg.Length(16) // between entries of a legend below
	maxLegend   = 0.3           // of the width, for a legend to the right
	maxBelow    = 0.35          // of the plots' height, for a legend below
)

// gridOf is the columns and rows of n panels: up to three side by side,
// four as two by two.
func gridOf(n int) (cols, rows int) {
	switch {
	case n <= 1:
		return 1, 1
	case n <= 3:
		return n, 1
	case n == 4:
		return 2, 2
	}
	return 3, (n + 2) / 3
}

func (f *figure) height() vg.Length { return Height + vg.Length(f.rows-1)*rowHeight }

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
	width := inner.Max.X - inner.Min.X
	ts := textStyle(sansBold, titleSize, colorInk)
	ss := textStyle(sans, subSize, colorMuted)
	top := inner.Max.Y
	inner.FillText(ts, vg.Point{X: inner.Min.X, Y: top}, fit(ts, f.title, width))
	top -= ts.Height(f.title) + 3
	for _, line := range f.subtitle(ss, width) {
		inner.FillText(ss, vg.Point{X: inner.Min.X, Y: top}, line)
		top -= ss.Height(line)
	}
	top -= 10
	ns := textStyle(sans, noteSize, colorMuted)
	ns.YAlign = draw.YBottom
	bottom := inner.Min.Y
	for i := len(f.notes) - 1; i >= 0; i-- {
		inner.FillText(ns, vg.Point{X: inner.Min.X, Y: bottom}, fit(ns, f.notes[i], width))
		bottom += ns.Height(f.notes[i]) + 1
	}
	if len(f.notes) > 0 {
		bottom += 6
	}

	area := inner
	area.Min.Y, area.Max.Y = bottom, top
	right := f.legendRight(area)
	var rows [][]legendEntry
	switch {
	case right > 0:
		area.Max.X -= right + legendGap
	case len(f.legend) > 0:
		rows = f.legendRows(width)
		h := min(vg.Length(len(rows))*f.row(), (top-bottom)*maxBelow)
		area.Min.Y += h + legendGap/2
	}
	grid := make([][]*plot.Plot, f.rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, f.cols)
		for col := range grid[r] {
			if i := r*f.cols + col; i < len(f.plots) {
				grid[r][col] = f.plots[i]
			}
		}
	}
	tiles := plot.Align(grid, draw.Tiles{Rows: f.rows, Cols: f.cols, PadX: 14, PadY: 10}, area)
	for r := range grid {
		for col, p := range grid[r] {
			if p != nil {
				p.Draw(tiles[r][col])
			}
		}
	}
	if right > 0 {
		data := f.plots[0].DataCanvas(tiles[0][0])
		f.drawColumn(inner, area.Max.X+legendGap, right, data.Max.Y)
	} else if rows != nil {
		f.drawRows(inner, rows, area.Min.Y-legendGap/2, bottom)
	}
	return nil
}

// subtitle sets the description and the tail in one line of the given
// width or, if they need more, two: the description wrapped at a space and
// shortened to fit, the tail whole.
// maxSubtitle is the most of a description a subtitle measures.
const maxSubtitle = 1000

func (f *figure) subtitle(sty text.Style, width vg.Length) []string {
	tail := f.tail
	desc := f.desc
	// Two lines of an 800 px image hold a few hundred characters; measuring
	// more of a description (result files may hold megabytes) only costs.
	if r := []rune(desc); len(r) > maxSubtitle {
		desc = string(r[:maxSubtitle])
	}
	if desc != "" && tail != "" {
		tail = " (" + tail + ")"
	}
	one := desc + tail
	if one == "" {
		return nil
	}
	if sty.Width(one) <= width {
		return []string{one}
	}
	words := strings.Fields(desc)
	first := ""
	for len(words) > 0 {
		next := strings.TrimSpace(first + " " + words[0])
		if sty.Width(next) > width {
			break
		}
		first, words = next, words[1:]
	}
	if first == "" { // one long word
		return []string{fit(sty, desc, width-sty.Width(tail)) + tail}
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

// newPlot is a plot with the house style: sans fonts, light grid, the
// panel's title, if any, small and bold above it.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansBold, labelSize)
	p.Title.TextStyle.Color = colorInk
	p.Title.Padding = 4
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
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: colorGrid, Width: 0.6}
	grid.Horizontal = grid.Vertical
	p.Add(grid)
	return p
}
