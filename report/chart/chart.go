// Package chart describes the charts of a scenario's results once: what
// each shows (its series, axes, units, colours and fault markers), built
// from a results.Summary alone. The scenario page renders the descriptions
// with go-echarts (report/echart), the PNG and SVG files with gonum/plot
// (report/static), and compare's page draws its overlays from here too.
// No renderer decides what a chart shows, so the three cannot drift apart
// (docs/design.md, "Reports").
package chart

import (
	"math"
	"sort"
)

// Kind is how a series is drawn.
type Kind int

const (
	// Line joins (X, Y) in order, broken where Y is NaN.
	Line Kind = iota
	// Band fills the area between Lo and Hi, broken where either is NaN.
	Band
	// Points marks each (X, Y), with an error bar from Lo to Hi where both
	// are finite; Connect also joins the marks with a line.
	Points
	// Box draws, at each X, a box plot of the matching Samples.
	Box
)

// Glyph is the mark of a Points series.
type Glyph int

const (
	Circle Glyph = iota
	Square
	Dash // a short horizontal stroke: a model's value on a categorical axis
)

// Scale is an axis' scale.
type Scale int

const (
	Linear Scale = iota
	Log          // base 10; every value on it is positive
)

// Tick is a labelled position on an axis.
type Tick struct {
	Value float64
	Label string
}

// Axis describes one axis. Min and Max are NaN where the data decide.
type Axis struct {
	Label    string // with its unit, e.g. "fanout (peers contacted per round)"
	Scale    Scale
	Min, Max float64
	Integer  bool   // whole numbers only: rounds, fanout
	Fraction bool   // values are shares in [0, 1]; tooltips print them as percent
	Ticks    []Tick // exactly these ticks (a categorical axis, or few swept values)
	Digits   int    // decimals a tooltip prints
	// Categorical axes hold categories: the values are the indices of
	// Ticks and mean nothing between them.
	Categorical bool
}

// Series is one thing drawn in a panel. Series that share a Name share a
// legend entry, and are shown and hidden together.
type Series struct {
	Name   string
	Kind   Kind
	Color  string // "#rrggbb", from Palette
	Dashed bool
	// Dotted: a second state of the same point beside its main line (the
	// infective nodes of rumor mongering beside the informed ones).
	Dotted  bool
	Faint   bool // a secondary measure, drawn lighter
	Theory  bool // a model's value, not a measurement
	Glyph   Glyph
	Connect bool // Points: join the marks with a line
	X, Y    []float64
	Lo, Hi  []float64   // Band: its edges; Points: the error bar's ends
	Samples [][]float64 // Box: the sample at each X
	// What Lo and Hi are, for tooltips: "95 % CI", "5th–95th percentile".
	Interval string
}

// Marker marks a round where something happened to the cluster: a
// vertical line at X, or, with Band, a shaded span from X to To (a fault
// that stands, a partition or churn; To +Inf: to the axis' end, for one
// that never ends).
type Marker struct {
	X     float64
	Label string // "round 3: 10 % of nodes crash"
	Band  bool
	To    float64
}

// Panel is one plot of a chart. A chart over a grid sweep has one panel
// per value of the sweep's first key (small multiples, sharing axes).
type Panel struct {
	Title   string // empty for a chart's only panel
	Series  []Series
	Markers []Marker
}

// Chart is one chart: its panels share the axes and the legend.
type Chart struct {
	Name        string // the file's base name and the page element's ID
	Title, Note string
	LegendTitle string // what the series names are, e.g. "fanout"
	X, Y        Axis
	Panels      []Panel
	// NoTheory says, for points the model does not cover, that the chart
	// has no theory line and why.
	NoTheory []string
}

// Legend is the chart's legend entries in order: each distinct series
// name once, with the first series of that name; Shared tells whether
// series of that name have different colours (several points' theory
// lines), so a swatch should be neutral. Shared entries come last, after
// the points they stand for ("1, 2, 4, mean-field theory", not "1,
// mean-field theory, 2, 4").
func (c Chart) Legend() []LegendEntry {
	out := c.legend()
	sort.SliceStable(out, func(i, j int) bool { return !out[i].Shared && out[j].Shared })
	return out
}

func (c Chart) legend() []LegendEntry {
	var out []LegendEntry
	at := map[string]int{}
	for _, p := range c.Panels {
		for _, s := range p.Series {
			i, seen := at[s.Name]
			if !seen {
				at[s.Name] = len(out)
				out = append(out, LegendEntry{Name: s.Name, Series: s})
				continue
			}
			if out[i].Series.Color != s.Color {
				out[i].Shared = true
			}
			if out[i].Series.Kind == Band && s.Kind != Band {
				out[i].Band, out[i].Series = true, s // a line with its band
			}
		}
	}
	return out
}

// LegendEntry is one entry of a chart's legend.
type LegendEntry struct {
	Name   string
	Series Series // how the entry's swatch looks
	Shared bool   // the name spans several colours
	Band   bool   // the name also has a band
}

// Palette is the colours series take in order: Tableau 10, distinct,
// colour-blind aware and print friendly.
var Palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
	"#9c755f", "#ff9da7", "#76b7b2", "#edc948", "#bab0ac"}

// Muted is the colour of neutral marks: a single point's lines, swatches
// that stand for several colours.
const Muted = "#666666"

// Colour is the i-th colour of the palette, repeating after ten.
func Colour(i int) string { return Palette[i%len(Palette)] }

var nan = math.NaN()

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
