package report

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/echart"
)

// Palette gives sweep point i the colour Palette[i % len]; the static
// charts use the same one, so a point looks the same everywhere.
var Palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

func colour(i int) string { return Palette[i%len(Palette)] }

// chart is one rendered interactive chart: a div and the script that
// draws into it, or the error that kept it from rendering.
type chart struct {
	ID, Title, Note string
	// NoTheory says, for points the mean-field model does not cover, that
	// the chart has no theory line and why.
	NoTheory []string
	HTML     template.HTML
	Err      error
}

// NoTheory is what a page says where the theory line would be for a
// configuration the mean-field model does not cover.
const NoTheory = "No theory for this configuration"

// noTheory words summary.json's no_theory reasons for a chart: once when
// every point has the same, else per group of points.
func noTheory(sum *results.Summary) []string {
	var reasons []string
	ids := map[string][]string{}
	for _, p := range sum.Points {
		if p.Theory != nil {
			continue
		}
		if ids[p.NoTheory] == nil {
			reasons = append(reasons, p.NoTheory)
		}
		ids[p.NoTheory] = append(ids[p.NoTheory], p.ID)
	}
	if len(reasons) == 1 && len(ids[reasons[0]]) == len(sum.Points) {
		return []string{NoTheory + ": " + reasons[0] + "."}
	}
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = fmt.Sprintf("%s (%s): %s.", NoTheory, strings.Join(ids[r], ", "), r)
	}
	return out
}

// anyTheory tells whether some point has a theory.
func anyTheory(sum *results.Summary) bool {
	for _, p := range sum.Points {
		if p.Theory != nil {
			return true
		}
	}
	return false
}

// snippet renders a go-echarts chart as an element and its script. Point
// IDs and sweep keys come from result files, so they go into the options
// only through echart, which escapes them; setup is our own script.
func snippet(id, title, note string, c echart.Chart, setup template.JS) chart {
	html, err := echart.HTML(id, "420px", c, setup)
	return chart{ID: id, Title: title, Note: note, HTML: html, Err: err}
}

func initOpts(id string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "420px"})
}

func commonOpts(id, yName, xName string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		initOpts(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		charts.WithGridOpts(opts.Grid{Top: "48", Left: "64", Right: "32", Bottom: "56"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, NameLocation: "middle", NameGap: 46}),
	}
}

func roundLabels(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

// lineData turns values into chart points; NaN becomes a gap.
func lineData(xs []float64) []opts.LineData {
	out := make([]opts.LineData, len(xs))
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			out[i] = opts.LineData{Value: "-"}
		} else {
			out[i] = opts.LineData{Value: round4(x)}
		}
	}
	return out
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func ratio(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] / b[i]
		if b[i] == 0 {
			out[i] = math.NaN()
		}
	}
	return out
}

func maxLen(sum *results.Summary) int {
	n := 0
	for _, p := range sum.Points {
		n = max(n, len(p.Curve.Round))
	}
	return n
}

// padded extends a curve to n rounds with its last value (a trial that
// stopped keeps its state) or with NaN for per-round counts.
func padded(xs []float64, n int, hold bool) []float64 {
	out := append([]float64(nil), xs...)
	for len(out) < n {
		v := math.NaN()
		if hold && len(xs) > 0 {
			v = xs[len(xs)-1]
		}
		out = append(out, v)
	}
	return out
}

func noSymbol() charts.SeriesOpts {
	return charts.WithLineChartOpts(opts.LineChart{Symbol: "none", ShowSymbol: opts.Bool(false)})
}

// convergence: the informed fraction per round, mean with a p5-p95 band
// and the theory dashed, one colour per point. The four series of a point
// share its name, so its legend entry toggles them together.
// convergenceTooltip lists each point's mean and theory, not its band
// series. Series names are point IDs, so they are escaped for the
// tooltip's HTML.
const convergenceTooltip = template.JS(`option.tooltip.formatter = function (ps) {
    var esc = echarts.format.encodeHTML;
    var pct = function (v) { return typeof v === 'number' ? (100 * v).toFixed(1) + ' %' : '-'; };
    var s = 'round ' + esc(String(ps[0].axisValue));
    for (var i = 0; i < ps.length; i++) {
      var p = ps[i];
      if (p.seriesIndex % 4 === 2) s += '<br/>' + p.marker + esc(p.seriesName) + ': ' + pct(p.value);
      if (p.seriesIndex % 4 === 3 && typeof p.value === 'number') s += ' (theory ' + pct(p.value) + ')';
    }
    return s;
  };`)

func convergenceChart(sum *results.Summary) chart {
	n := maxLen(sum)
	line := charts.NewLine()
	line.SetGlobalOptions(commonOpts("convergence", "informed fraction of alive nodes", "round")...)
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: "informed fraction of alive nodes",
		NameLocation: "middle", NameGap: 46, Min: 0, Max: 1}))
	line.SetXAxis(roundLabels(n))
	for i, p := range sum.Points {
		c := colour(i)
		alive := padded(p.Curve.AliveMean, n, true)
		lo := ratio(padded(p.Curve.InformedP05, n, true), alive)
		hi := ratio(padded(p.Curve.InformedP95, n, true), alive)
		width := make([]float64, n)
		for r := range width {
			width[r] = hi[r] - lo[r]
		}
		stack := fmt.Sprintf("band%d", i)
		item := charts.WithItemStyleOpts(opts.ItemStyle{Color: c})
		line.AddSeries(p.ID, lineData(lo), noSymbol(), item,
			charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: "none", ShowSymbol: opts.Bool(false)}),
			charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)}))
		line.AddSeries(p.ID, lineData(width), noSymbol(), item,
			charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: "none", ShowSymbol: opts.Bool(false)}),
			charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Color: c, Opacity: opts.Float(0.18)}))
		line.AddSeries(p.ID, lineData(ratio(padded(p.Curve.InformedMean, n, true), alive)), noSymbol(), item,
			charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 2}))
		line.AddSeries(p.ID, lineData(ratio(padded(p.Curve.Theory, n, true), alive)), noSymbol(), item,
			charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 1.5, Type: "dashed"}))
	}
	note := "Mean informed fraction per round (solid), 5th to 95th percentile across trials (band), mean-field theory (dashed). Click a legend entry to hide or show a point."
	if !anyTheory(sum) {
		note = "Mean informed fraction per round (solid), 5th to 95th percentile across trials (band). Click a legend entry to hide or show a point."
	}
	c := snippet("convergence", "Convergence", note, line, convergenceTooltip)
	c.NoTheory = noTheory(sum)
	return c
}

// overheadCharts: messages per round, cumulative messages per node, and
// redundancy per round.
func overheadCharts(sum *results.Summary) []chart {
	n := maxLen(sum)
	perRound := charts.NewLine()
	perRound.SetGlobalOptions(commonOpts("messages", "messages per round (mean)", "round")...)
	perRound.SetXAxis(roundLabels(n))
	cumulative := charts.NewLine()
	cumulative.SetGlobalOptions(commonOpts("cumulative", "messages per node, cumulative", "round")...)
	cumulative.SetXAxis(roundLabels(n))
	redundancy := charts.NewLine()
	redundancy.SetGlobalOptions(commonOpts("redundancy", "redundant / delivered", "round")...)
	redundancy.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: "redundant / delivered",
		NameLocation: "middle", NameGap: 46, Min: 0, Max: 1}))
	redundancy.SetXAxis(roundLabels(n))
	for i, p := range sum.Points {
		style := []charts.SeriesOpts{noSymbol(), charts.WithItemStyleOpts(opts.ItemStyle{Color: colour(i)}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colour(i), Width: 2})}
		sent := p.Curve.SentMean
		perRound.AddSeries(p.ID, lineData(padded(sent, n, false)), style...)
		cum := make([]float64, len(sent))
		total := 0.0
		for r, s := range sent {
			total += s
			cum[r] = total / float64(p.Params.Nodes)
		}
		cumulative.AddSeries(p.ID, lineData(padded(cum, n, true)), style...)
		redundancy.AddSeries(p.ID, lineData(padded(ratio(p.Curve.RedundantMean, p.Curve.DeliveredMean), n, false)), style...)
	}
	return []chart{
		snippet("messages", "Messages per round", "Mean messages sent per round: pushes, pull requests and answers.", perRound, ""),
		snippet("cumulative", "Cumulative messages per node", "Messages sent so far divided by the number of nodes; the last value is messages per node.", cumulative, ""),
		snippet("redundancy", "Redundancy per round", "The share of delivered messages that informed no one.", redundancy, ""),
	}
}

// quartiles of a sample for a boxplot: min, Q1, median, Q3, max.
func quartiles(xs []float64) []float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	q := func(p float64) float64 { return results.Quantile(s, p) }
	return []float64{s[0], q(0.25), q(0.5), q(0.75), s[len(s)-1]}
}

// distributionChart: rounds to full per point across its converged trials.
func distributionChart(r *Result) chart {
	box := charts.NewBoxPlot()
	box.SetGlobalOptions(commonOpts("distribution", "rounds to full", "sweep point")...)
	box.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	var ids []string
	var data []opts.BoxPlotData
	for _, p := range r.Summary.Points {
		ids = append(ids, p.ID)
		if xs := r.RoundsToFull[p.ID]; len(xs) > 0 {
			data = append(data, opts.BoxPlotData{Name: p.ID, Value: quartiles(xs)})
		} else {
			data = append(data, opts.BoxPlotData{Name: p.ID, Value: []float64{}})
		}
	}
	box.SetXAxis(ids)
	box.AddSeries("rounds to full", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dfe8f3", BorderColor: Palette[0]}))
	return snippet("distribution", "Distribution of rounds to full",
		"Across the trials that converged: minimum, quartiles and maximum.", box, "")
}

// sweepValue is the value a point takes on a swept key, from its ID.
func sweepValue(id, key string) string {
	for _, kv := range strings.Split(id, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
