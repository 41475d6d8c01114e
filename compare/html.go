package compare

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report"
	"github.com/gossipbench/gossipbench/report/assets"
	"github.com/gossipbench/gossipbench/report/echart"
)

//go:embed templates/page.html
var pageFS embed.FS

// html/template escapes everything that came from files: names,
// descriptions, point IDs, paths.
var page = template.Must(template.ParseFS(pageFS, "templates/page.html"))

type htmlRow struct {
	Class, Point, Metric string
	Cells
}

type htmlChart struct {
	Title string
	HTML  template.HTML // from echart, which escapes the options
}

type htmlScenario struct {
	Name, Status, Description string
	Notes, Warnings           []string
	Reports                   []htmlLink // BASE's and NEW's scenario pages
	Rows                      []htmlRow
	Hidden                    string // what the table left out, if anything
	Charts                    []htmlChart
}

type htmlGate struct {
	Text    string
	Tripped bool
}

// WriteHTML writes a self-contained page to path: per point, the informed
// curves of BASE and NEW overlaid, and the table. ECharts is inlined, so
// the page opens offline and nothing but path is written (path's directory
// is the user's choice, and may hold anything). A symlink at path is
// replaced, not written through.
func (rep *Report) WriteHTML(path string) error {
	data := struct {
		CSS                               template.CSS
		ECharts                           template.JS
		Verdict, Base, New, Tests, Legend string
		Alpha                             float64
		Warnings                          []string
		Gates                             []htmlGate
		Scenarios                         []htmlScenario
	}{CSS: report.StyleSheet(), ECharts: template.JS(assets.ECharts()), Verdict: rep.Verdict, Base: rep.Base, New: rep.New, Tests: rep.testsText(), Legend: Legend,
		Alpha: rep.Alpha, Warnings: rep.Warnings}
	for _, g := range rep.Gates {
		if len(g.Tripped) == 0 {
			data.Gates = append(data.Gates, htmlGate{Text: g.Spec + ": not tripped"})
		}
		for _, t := range g.Tripped {
			data.Gates = append(data.Gates, htmlGate{Text: g.Spec + ": TRIPPED at " + tripText(t), Tripped: true})
		}
	}
	chartN := 0
	for _, sc := range rep.Scenarios {
		hs := htmlScenario{Name: sc.Name, Status: statusText(sc.Status), Description: sc.description,
			Notes: append(sc.Notes, sc.pointNotes()...), Warnings: sc.Warnings}
		for i, side := range []string{"BASE", "NEW"} {
			if sc.dirs[i] != "" {
				hs.Reports = append(hs.Reports, reportLink(path, side, sc.dirs[i]))
			}
		}
		hidden := 0
		for _, pt := range sc.Points {
			if pt.Status != Both {
				hs.Rows = append(hs.Rows, htmlRow{Point: pt.ID, Metric: statusText(pt.Status)})
			}
			rows, h := rep.shown(pt)
			hidden += h
			for i, r := range rows {
				if pt.Status != Both {
					break
				}
				hr := htmlRow{Metric: r.Metric, Cells: r.cells()}
				if i == 0 {
					hr.Point = pt.ID
				}
				if r.Significant {
					hr.Class = "sig"
				}
				if len(r.Gates) > 0 {
					hr.Class = "sig gate"
				}
				if r.Worse {
					hr.Class += " worse"
				}
				hs.Rows = append(hs.Rows, hr)
			}
			ch, err := curveChart(fmt.Sprintf("cmp%d", chartN), pt)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			hs.Charts = append(hs.Charts, ch)
			chartN++
		}
		if hidden > 0 {
			hs.Hidden = hiddenText(hidden)
		}
		data.Scenarios = append(data.Scenarios, hs)
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return outdir.WriteFile(path, buf.Bytes())
}

// curveChart overlays a point's informed fraction per round, BASE dashed
// and NEW solid. Chart IDs are numbered and series names are ours; the
// point ID is the title, which the page template escapes.
func curveChart(id string, pt Point) (htmlChart, error) {
	n := 0
	for _, c := range pt.curves {
		if c != nil {
			n = max(n, len(c.InformedMean))
		}
	}
	rounds := make([]string, n)
	for i := range rounds {
		rounds[i] = strconv.Itoa(i)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Top: "36", Left: "56", Right: "24", Bottom: "48"}),
		charts.WithXAxisOpts(opts.XAxis{Name: "round", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Name: "informed fraction", NameLocation: "middle", NameGap: 40, Min: 0, Max: 1}),
	)
	line.SetXAxis(rounds)
	for i, c := range pt.curves {
		if c == nil {
			continue
		}
		name, style := "BASE", "dashed"
		if i == 1 {
			name, style = "NEW", "solid"
		}
		colour := report.Palette[i]
		line.AddSeries(name, fraction(c, n),
			charts.WithLineChartOpts(opts.LineChart{Symbol: "none", ShowSymbol: opts.Bool(false)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colour, Width: 2, Type: style}))
	}
	html, err := echart.HTML(id, "300px", line, "")
	return htmlChart{Title: pt.ID, HTML: html}, err
}

// fraction is informed/alive per round, held at its last value up to n
// rounds: a trial that stopped keeps its final state.
func fraction(c *results.Curve, n int) []opts.LineData {
	out := make([]opts.LineData, n)
	last := any("-")
	for r := range out {
		if r < len(c.InformedMean) && r < len(c.AliveMean) && c.AliveMean[r] > 0 {
			last = math.Round(c.InformedMean[r]/c.AliveMean[r]*1e4) / 1e4
		}
		out[r] = opts.LineData{Value: last}
	}
	return out
}
