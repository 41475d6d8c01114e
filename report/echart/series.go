package echart

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

// The ECharts series of each kind of chart.Series.

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// val is v for ECharts: "-", a gap, where not a number.
func val(v float64) any {
	if !finite(v) {
		return "-"
	}
	return math.Round(v*1e6) / 1e6
}

func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return math.NaN()
}

func lineStyle(s chart.Series, width float32) *opts.LineStyle {
	ls := &opts.LineStyle{Color: s.Color, Width: width}
	switch {
	case s.Dashed:
		ls.Type = "dashed"
	case s.Dotted:
		ls.Type = "dotted"
	}
	if s.Faint {
		ls.Opacity = opts.Float(0.55)
	}
	return ls
}

func lineSeries(s chart.Series) charts.SingleSeries {
	data := make([][]any, len(s.X))
	for i, x := range s.X {
		data[i] = []any{val(x), val(at(s.Y, i))}
	}
	width := float32(2)
	if s.Theory {
		width = 1.5
	}
	return charts.SingleSeries{Type: "line", Name: s.Name, Data: data, Symbol: "none", ShowSymbol: opts.Bool(false),
		ItemStyle: &opts.ItemStyle{Color: s.Color}, LineStyle: lineStyle(s, width)}
}

// bandSeries draws a band as a custom series (setup.js fills it): an
// item [x, lo, hi] per round, "-" where either is missing, which breaks
// the band.
func bandSeries(s chart.Series) charts.SingleSeries {
	data := make([][]any, len(s.X))
	for j, x := range s.X {
		lo, hi := at(s.Lo, j), at(s.Hi, j)
		if !finite(lo) || !finite(hi) {
			lo, hi = math.NaN(), math.NaN()
		}
		data[j] = []any{val(x), val(lo), val(hi)}
	}
	return charts.SingleSeries{Type: "custom", Name: s.Name, Data: data,
		Encode: &opts.Encode{X: 0, Y: []int{1, 2}}, ItemStyle: &opts.ItemStyle{Color: s.Color}}
}

// withBand gives a line's data its band's Lo and Hi at the same rounds,
// for the tooltip: [x, y, lo, hi].
func withBand(line charts.SingleSeries, band *chart.Series) {
	data := line.Data.([][]any)
	for i := range data {
		lo, hi := math.NaN(), math.NaN()
		if i < len(band.X) && val(band.X[i]) == data[i][0] {
			lo, hi = at(band.Lo, i), at(band.Hi, i)
		}
		if !finite(lo) || !finite(hi) {
			lo, hi = math.NaN(), math.NaN()
		}
		data[i] = append(data[i], val(lo), val(hi))
	}
}

// pointSeries draws the marks of a Points series, joined when Connect, and
// its error bars as a custom series (setup.js draws them) where Lo and Hi
// are finite.
func pointSeries(s chart.Series) (mean charts.SingleSeries, bars *charts.SingleSeries) {
	data := make([][]any, len(s.X))
	var barData [][]any
	for i, x := range s.X {
		lo, hi := at(s.Lo, i), at(s.Hi, i)
		data[i] = []any{val(x), val(at(s.Y, i)), val(lo), val(hi)}
		if finite(lo) && finite(hi) && finite(at(s.Y, i)) {
			barData = append(barData, data[i])
		}
	}
	symbol, size := [...]string{"circle", "rect", "rect"}[s.Glyph], any(8)
	if s.Glyph == chart.Dash {
		size = []int{18, 3}
	}
	kind := "scatter"
	if s.Connect {
		kind = "line"
	}
	item := &opts.ItemStyle{Color: s.Color}
	if s.Faint {
		item.Opacity = opts.Float(0.7)
	}
	mean = charts.SingleSeries{Type: kind, Name: s.Name, Data: data, Symbol: symbol, SymbolSize: size,
		ShowSymbol: opts.Bool(true), ItemStyle: item, LineStyle: lineStyle(s, 1.5)}
	if len(barData) > 0 {
		bars = &charts.SingleSeries{Type: "custom", Name: s.Name, Data: barData,
			Encode: &opts.Encode{X: 0, Y: []int{1, 2, 3}}, ItemStyle: &opts.ItemStyle{Color: s.Color}}
	}
	return mean, bars
}

// boxSeries is a panel's boxes as one boxplot series, a box per category
// (ECharts sets the boxes of several series side by side), each in its
// series' colour; n is the sample size per category.
func boxSeries(boxes []chart.Series, categories int) (charts.SingleSeries, []int) {
	data := make([]any, categories)
	n := make([]int, categories)
	for i := range data {
		data[i] = map[string]any{"value": []any{}}
	}
	for _, s := range boxes {
		for j, x := range s.X {
			k := int(x)
			if k < 0 || k >= categories || j >= len(s.Samples) || len(s.Samples[j]) == 0 {
				continue
			}
			xs := append([]float64(nil), s.Samples[j]...)
			sort.Float64s(xs)
			q := func(p float64) any { return val(results.Quantile(xs, p)) }
			data[k] = map[string]any{"name": s.Name, "value": []any{val(xs[0]), q(0.25), q(0.5), q(0.75), val(xs[len(xs)-1])},
				"itemStyle": map[string]any{"color": translucent(s.Color, 0.2), "borderColor": s.Color}}
			n[k] = len(xs)
		}
	}
	return charts.SingleSeries{Type: "boxplot", Data: data, BarMaxWidth: "48"}, n
}

// markerSeries draws the markers as labelled vertical lines, and the
// bands (partitions, churn) as shaded areas labelled at their top, in a
// series of their own that the legend does not list, so they are always
// shown. A band that never ends runs to the axis' end ("max").
func markerSeries(ms []chart.Marker) charts.SingleSeries {
	var lines, areas []any
	for _, m := range ms {
		if !m.Band {
			lines = append(lines, map[string]any{"name": m.Label, "xAxis": val(m.X)})
			continue
		}
		var to any = "max"
		if finite(m.To) {
			to = val(m.To)
		}
		areas = append(areas, []any{map[string]any{"name": m.Label, "xAxis": val(m.X)}, map[string]any{"xAxis": to}})
	}
	s := charts.SingleSeries{Type: "line", Data: [][]any{}}
	if len(lines) > 0 {
		s.MarkLines = &opts.MarkLines{Data: lines,
			MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideEndTop", Color: "#555"},
				LineStyle: &opts.LineStyle{Color: "#888", Type: "dashed", Width: 1}}}
	}
	if len(areas) > 0 {
		s.MarkAreas = &opts.MarkAreas{Data: areas, MarkAreaStyle: opts.MarkAreaStyle{
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideTopLeft", Color: "#555"},
			ItemStyle: &opts.ItemStyle{Color: translucent(chart.FaultBand, chart.FaultBandAlpha)}}}
	}
	return s
}

// translucent is a "#rrggbb" colour at the given opacity, as CSS rgba.
func translucent(hex string, a float64) string {
	var r, g, b int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return hex
	}
	return fmt.Sprintf("rgba(%d,%d,%d,%g)", r, g, b, a)
}

// rangeSeries holds, unseen, the corners of every panel's data, so that
// ECharts gives small multiples the same axes: each panel's extent is
// then the union's, and rounds to the same ticks.
func rangeSeries(c chart.Chart) *charts.SingleSeries {
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	ok := func(a chart.Axis, v float64) bool { return finite(v) && (a.Scale != chart.Log || v > 0) }
	add := func(x float64, ys ...float64) {
		if ok(c.X, x) {
			xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
		}
		for _, y := range ys {
			if ok(c.Y, y) {
				ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
			}
		}
	}
	for _, p := range c.Panels {
		for _, s := range p.Series {
			for i, x := range s.X {
				add(x, at(s.Y, i), at(s.Lo, i), at(s.Hi, i))
				if i < len(s.Samples) {
					add(x, s.Samples[i]...)
				}
			}
		}
	}
	if !finite(xlo) || !finite(ylo) {
		return nil
	}
	return &charts.SingleSeries{Type: "scatter", Data: [][]any{{val(xlo), val(ylo)}, {val(xhi), val(yhi)}},
		SymbolSize: 0, Symbol: "none"}
}
