package report

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gossipbench/gossipbench/internal/results"
)

// sweepCharts summarise a sweep against its swept values: for one key,
// means with 95 % confidence bars against the key; for a grid, heatmaps.
func sweepCharts(sum *results.Summary) []chart {
	switch len(sum.Sweep) {
	case 0:
		return nil
	case 1:
		key := sum.Sweep[0]
		return []chart{
			lineWithCI("sweep_rounds", "Rounds against "+key, key, "rounds", sum, []metricLine{
				{results.RoundsTo99, "rounds to 99 %", 0},
				{results.RoundsToFull, "rounds to 100 %", 1},
			}),
			lineWithCI("sweep_messages", "Messages per node against "+key, key, "messages per node", sum, []metricLine{
				{results.MessagesPerNode, "messages per node", 2},
			}),
		}
	}
	return []chart{
		heatmap("grid_rounds", "Rounds to 100 % over the grid", sum, results.RoundsToFull),
		heatmap("grid_messages", "Messages per node over the grid", sum, results.MessagesPerNode),
	}
}

// metricLine is a metric drawn on a sweep chart, with the model's value
// where summary.json's theory has one.
type metricLine struct {
	metric, label string
	colour        int
}

// lineWithCI draws each metric's mean as a line, its 95 % interval as a
// box-plot whisker (box and whiskers both span the interval) and the
// theory as a dashed line.
func lineWithCI(id, title, key, yName string, sum *results.Summary, lines []metricLine) chart {
	xs := make([]string, len(sum.Points))
	for i, p := range sum.Points {
		xs[i] = sweepValue(p.ID, key)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(commonOpts(id, yName, key)...)
	line.SetXAxis(xs)
	for _, m := range lines {
		c := colour(m.colour)
		means := make([]float64, len(sum.Points))
		theory := make([]float64, len(sum.Points))
		ci := make([]opts.BoxPlotData, len(sum.Points))
		for i, p := range sum.Points {
			means[i], theory[i] = math.NaN(), math.NaN()
			ci[i] = opts.BoxPlotData{Value: []float64{}}
			if st, ok := p.Metrics[m.metric]; ok && st.N > 0 {
				means[i] = st.Mean
				lo, hi := round4(st.CI95[0]), round4(st.CI95[1])
				ci[i] = opts.BoxPlotData{Value: []float64{lo, lo, round4(st.Mean), hi, hi}}
			}
			if t := p.Theory[m.metric]; t != nil {
				theory[i] = *t
			}
		}
		line.AddSeries(m.label, lineData(means), charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 2}))
		if anyTheory(sum) {
			line.AddSeries(m.label+" (theory)", lineData(theory), noSymbol(), charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
				charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 1.5, Type: "dashed"}))
		}
		box := charts.NewBoxPlot()
		box.AddSeries(m.label, ci, charts.WithItemStyleOpts(opts.ItemStyle{Color: "rgba(0,0,0,0)", BorderColor: c}))
		line.Overlap(box)
	}
	note := "Means (solid, with 95 % confidence intervals as bars) and the mean-field theory (dashed)."
	if !anyTheory(sum) {
		note = "Means (solid, with 95 % confidence intervals as bars)."
	}
	ch := snippet(id, title, note, line, "")
	ch.NoTheory = noTheory(sum)
	return ch
}

// heatmap shows a metric's mean over a two-key grid.
func heatmap(id, title string, sum *results.Summary, metric string) chart {
	k1, k2 := sum.Sweep[0], sum.Sweep[1]
	var ys, xs []string
	index := func(list *[]string, v string) int {
		for i, s := range *list {
			if s == v {
				return i
			}
		}
		*list = append(*list, v)
		return len(*list) - 1
	}
	var data []opts.HeatMapData
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range sum.Points {
		y, x := index(&ys, sweepValue(p.ID, k1)), index(&xs, sweepValue(p.ID, k2))
		st, ok := p.Metrics[metric]
		if !ok || st.N == 0 {
			data = append(data, opts.HeatMapData{Value: [3]any{x, y, "-"}})
			continue
		}
		v := math.Round(st.Mean*100) / 100
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		data = append(data, opts.HeatMapData{Value: [3]any{x, y, v}})
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(initOpts(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Top: "24", Left: "96", Right: "32", Bottom: "96"}),
		charts.WithXAxisOpts(opts.XAxis{Name: k2, Type: "category", Data: xs, NameLocation: "middle", NameGap: 30, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Name: k1, Type: "category", Data: ys, NameLocation: "middle", NameGap: 72, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi),
			Orient: "horizontal", Left: "center", Bottom: "8",
			InRange: &opts.VisualMapInRange{Color: []string{"#f7fbff", "#6baed6", "#08306b"}}}),
	)
	hm.SetXAxis(xs)
	hm.AddSeries(metric, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	return snippet(id, title, "Mean over the trials of each grid point; darker is more.", hm, "")
}
