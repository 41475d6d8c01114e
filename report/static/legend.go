package static

import (
	"fmt"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipbench/gossipbench/report/chart"
)

// legendEntry is a row of the legend: a caption (header) or a series'
// swatch and name.
type legendEntry struct {
	label  string
	header bool
	series chart.Series // how the swatch looks
	band   bool         // a band behind the swatch's line
}

// legendOf is the chart's legend: its title, then Chart.Legend's entries.
// Boxes on a categorical axis are named by its ticks, so they have none.
func legendOf(ch chart.Chart) []legendEntry {
	var out []legendEntry
	for _, e := range ch.Legend() {
		if e.Series.Kind == chart.Box && ch.X.Categorical {
			continue
		}
		s := e.Series
		if e.Shared {
			s.Color = chart.Muted
		}
		out = append(out, legendEntry{label: e.Name, series: s, band: e.Band || s.Kind == chart.Band})
	}
	if len(out) > 0 && ch.LegendTitle != "" {
		out = append([]legendEntry{{label: ch.LegendTitle, header: true}}, out...)
	}
	return out
}

func (f *figure) styles() (label, head text.Style) {
	label = textStyle(sans, legSize, colorInk)
	label.YAlign = draw.YCenter
	head = textStyle(sansBold, legSize, colorInk)
	head.YAlign = draw.YCenter
	return label, head
}

func (f *figure) row() vg.Length { return legSize * 1.6 }

// entryWidth is an entry's width, swatch and all.
func (f *figure) entryWidth(e legendEntry) vg.Length {
	ls, hs := f.styles()
	if e.header {
		return hs.Width(e.label)
	}
	return swatchWidth + swatchGap + ls.Width(e.label)
}

// legendRight is the width of a legend to the right of the plot, or 0
// where it goes below: for several panels, or for more entries than fit
// in a column.
func (f *figure) legendRight(area draw.Canvas) vg.Length {
	if len(f.legend) == 0 || len(f.plots) > 1 {
		return 0
	}
	if vg.Length(len(f.legend))*f.row() > (area.Max.Y-area.Min.Y)*0.85 {
		return 0
	}
	var w vg.Length
	for _, e := range f.legend {
		w = max(w, f.entryWidth(e))
	}
	return min(w, (area.Max.X-area.Min.X)*maxLegend)
}

// legendRows flows the entries into rows of the given width.
func (f *figure) legendRows(width vg.Length) [][]legendEntry {
	var rows [][]legendEntry
	var x vg.Length
	for _, e := range f.legend {
		w := f.entryWidth(e)
		if len(rows) == 0 || x > 0 && x+w > width {
			rows, x = append(rows, nil), 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], e)
		x += w + itemGap
	}
	return rows
}

// drawColumn draws the entries top-down from y in a column at x of width
// w.
func (f *figure) drawColumn(c draw.Canvas, x, w, y vg.Length) {
	for _, e := range f.legend {
		f.drawEntry(c, e, x, y-f.row()/2, w)
		y -= f.row()
	}
}

// drawRows draws rows of entries from y down, as many as fit above
// bottom; the rest are counted.
func (f *figure) drawRows(c draw.Canvas, rows [][]legendEntry, y, bottom vg.Length) {
	ls, _ := f.styles()
	for i, row := range rows {
		if y-2*f.row() < bottom && i < len(rows)-1 {
			n := 0
			for _, r := range rows[i:] {
				n += len(r)
			}
			c.FillText(ls, vg.Point{X: c.Min.X, Y: y - f.row()/2}, fmt.Sprintf("… %d more", n))
			return
		}
		x := c.Min.X
		for _, e := range row {
			w := min(f.entryWidth(e), c.Max.X-x)
			f.drawEntry(c, e, x, y-f.row()/2, w)
			x += w + itemGap
		}
		y -= f.row()
	}
}

// drawEntry draws one entry at x, centred on mid, at most w wide.
func (f *figure) drawEntry(c draw.Canvas, e legendEntry, x, mid, w vg.Length) {
	ls, hs := f.styles()
	if e.header {
		c.FillText(hs, vg.Point{X: x, Y: mid}, fit(hs, e.label, w))
		return
	}
	s := e.series
	x1 := x + swatchWidth
	if e.band {
		box := vg.Rectangle{Min: vg.Point{X: x, Y: mid - f.row()*0.3}, Max: vg.Point{X: x1, Y: mid + f.row()*0.3}}
		c.SetColor(withAlpha(rgb(s.Color), bandAlpha+0.1))
		c.Fill(box.Path())
	}
	switch s.Kind {
	case chart.Line:
		c.StrokeLine2(lineStyle(s), x, mid, x1, mid)
	case chart.Points:
		if s.Connect {
			c.StrokeLine2(lineStyle(s), x, mid, x1, mid)
		}
		c.DrawGlyphNoClip(glyphStyle(s), vg.Point{X: (x + x1) / 2, Y: mid})
	case chart.Box:
		box := vg.Rectangle{Min: vg.Point{X: x + 6, Y: mid - f.row()*0.3}, Max: vg.Point{X: x1 - 6, Y: mid + f.row()*0.3}}
		c.SetColor(withAlpha(rgb(s.Color), boxAlpha))
		c.Fill(box.Path())
		c.SetLineStyle(draw.LineStyle{Color: rgb(s.Color), Width: 1})
		c.Stroke(box.Path())
	}
	c.FillText(ls, vg.Point{X: x1 + swatchGap, Y: mid}, fit(ls, e.label, w-swatchWidth-swatchGap))
}
