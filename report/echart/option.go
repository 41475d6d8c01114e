package echart

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gossipbench/gossipbench/report/chart"
)

// spec is what setup.js draws: the options of every panel, as data, and
// what its formatters need to know about the axes and the series.
type spec struct {
	Group  string      `json:"group"`
	X      axisMeta    `json:"x"`
	Y      axisMeta    `json:"y"`
	Panels []panelSpec `json:"panels"`
}

type panelSpec struct {
	ID     string         `json:"id"`
	Option map[string]any `json:"option"`
	Series []seriesMeta   `json:"series"` // per series of Option, in order
}

type axisMeta struct {
	Name        string     `json:"name"` // the label without its unit, for tooltips
	Categorical bool       `json:"categorical"`
	Fraction    bool       `json:"fraction"`
	Log         bool       `json:"log"`
	Digits      int        `json:"digits"`
	Ticks       []tickMeta `json:"ticks"`
}

type tickMeta struct {
	Value float64 `json:"value"`
	Label string  `json:"label"`
}

// seriesMeta tells setup.js what a series is. Role is "line", "points",
// "bar" (error bars), "band", "box", "marker" or "range" (see rangeSeries); a line or points series'
// data are [x, y, lo, hi], and Interval says what lo and hi are.
type seriesMeta struct {
	Role     string `json:"role"`
	Name     string `json:"name"`
	Interval string `json:"interval,omitempty"`
	N        []int  `json:"n,omitempty"` // box: trials per box, by category
}

func axisInfo(a chart.Axis) axisMeta {
	m := axisMeta{Name: a.Label, Categorical: a.Categorical, Fraction: a.Fraction, Log: a.Scale == chart.Log,
		Digits: a.Digits, Ticks: []tickMeta{}}
	if i := strings.Index(m.Name, " ("); i > 0 {
		m.Name = m.Name[:i]
	}
	for _, t := range a.Ticks {
		m.Ticks = append(m.Ticks, tickMeta{t.Value, t.Label})
	}
	return m
}

func build(c chart.Chart) (spec, error) {
	sp := spec{Group: c.Name, X: axisInfo(c.X), Y: axisInfo(c.Y)}
	names := []string{}
	for _, e := range c.Legend() {
		names = append(names, e.Name)
	}
	var shared *charts.SingleSeries
	if len(c.Panels) > 1 {
		shared = rangeSeries(c)
	}
	for i, p := range c.Panels {
		ps, err := panel(c, p, names, shared)
		if err != nil {
			return sp, fmt.Errorf("panel %d: %w", i, err)
		}
		ps.ID = fmt.Sprintf("%s-p%d", c.Name, i)
		sp.Panels = append(sp.Panels, ps)
	}
	return sp, nil
}

// panel is one panel's go-echarts options. The legend is hidden (the page
// draws its own, which wraps and never pages) but holds the selection
// that the page's legend toggles.
func panel(c chart.Chart, p chart.Panel, legendNames []string, shared *charts.SingleSeries) (panelSpec, error) {
	top := 40 // the y axis' name sits above the axis, clear of its labels
	if p.Title != "" {
		top += 22
	}
	trigger := "axis"
	line := charts.NewLine()
	var meta []seriesMeta
	var boxes []chart.Series
	bands := map[string]*chart.Series{} // a line's band: same name and colour
	for i, s := range p.Series {
		if s.Kind == chart.Band {
			bands[s.Name+"\x00"+s.Color] = &p.Series[i]
		}
	}
	for _, s := range p.Series {
		key := s.Name + "\x00" + s.Color
		switch s.Kind {
		case chart.Line:
			ls, m := lineSeries(s), seriesMeta{Role: "line", Name: tipName(c, s)}
			if b := bands[key]; b != nil {
				withBand(ls, b)
				m.Interval = b.Interval
			}
			line.MultiSeries = append(line.MultiSeries, ls)
			meta = append(meta, m)
		case chart.Band:
			line.MultiSeries = append(line.MultiSeries, bandSeries(s))
			meta = append(meta, seriesMeta{Role: "band", Name: s.Name})
		case chart.Points:
			mean, bars := pointSeries(s)
			line.MultiSeries = append(line.MultiSeries, mean)
			meta = append(meta, seriesMeta{Role: "points", Name: tipName(c, s), Interval: s.Interval})
			if bars != nil {
				line.MultiSeries = append(line.MultiSeries, *bars)
				meta = append(meta, seriesMeta{Role: "bar", Name: s.Name})
			}
		case chart.Box:
			boxes = append(boxes, s)
		}
	}
	if len(boxes) > 0 {
		trigger = "item"
		bs, n := boxSeries(boxes, len(c.X.Ticks))
		line.MultiSeries = append(line.MultiSeries, bs)
		meta = append(meta, seriesMeta{Role: "box", N: n})
	}
	if len(p.Markers) > 0 {
		line.MultiSeries = append(line.MultiSeries, markerSeries(p.Markers))
		meta = append(meta, seriesMeta{Role: "marker"})
	}
	if shared != nil {
		line.MultiSeries = append(line.MultiSeries, *shared)
		meta = append(meta, seriesMeta{Role: "range"})
	}
	global := []charts.GlobalOpts{
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false), Data: legendNames}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithGridOpts(opts.Grid{Top: fmt.Sprint(top), Left: "14", Right: "24", Bottom: "34", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(xAxis(c.X)),
		charts.WithYAxisOpts(yAxis(c.Y)),
	}
	if p.Title != "" {
		global = append(global, charts.WithTitleOpts(opts.Title{Title: p.Title, Left: "center", Top: "0",
			TitleStyle: &opts.TextStyle{FontSize: 13}}))
	}
	line.SetGlobalOptions(global...)
	if c.X.Categorical {
		labels := make([]string, len(c.X.Ticks))
		for i, t := range c.X.Ticks {
			labels[i] = t.Label
		}
		line.SetXAxis(labels)
	}
	line.Validate()
	return panelSpec{Option: line.JSON(), Series: meta}, nil
}

// tipName is how a tooltip names a series: a point's label says which key
// it is a value of ("fanout = 2"), the legend's title having said it once.
func tipName(c chart.Chart, s chart.Series) string {
	if c.LegendTitle == "" || s.Theory {
		return s.Name
	}
	return c.LegendTitle + " = " + s.Name
}

func axisType(a chart.Axis) string {
	switch {
	case a.Categorical:
		return "category"
	case a.Scale == chart.Log:
		return "log"
	}
	return "value"
}

// bound is an axis end for ECharts: nil (the data decide) where NaN, and
// on a log axis where not positive.
func bound(a chart.Axis, v float64) any {
	if !finite(v) || a.Scale == chart.Log && v <= 0 {
		return nil
	}
	return v
}

func xAxis(a chart.Axis) opts.XAxis {
	x := opts.XAxis{Type: axisType(a), Name: a.Label, NameLocation: "middle", NameGap: 30,
		Min: bound(a, a.Min), Max: bound(a, a.Max), SplitLine: &opts.SplitLine{Show: opts.Bool(!a.Categorical)}}
	if a.Integer && !a.Categorical && a.Scale != chart.Log {
		x.MinInterval = 1
	}
	return x
}

func yAxis(a chart.Axis) opts.YAxis {
	y := opts.YAxis{Type: axisType(a), Name: a.Label, NameLocation: "end", NameGap: 14,
		Min: bound(a, a.Min), Max: bound(a, a.Max)}
	if a.Integer && a.Scale != chart.Log {
		y.MinInterval = 1
	}
	return y
}
