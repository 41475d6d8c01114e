package compare

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"

	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/report"
	"github.com/gossipbench/gossipbench/report/assets"
	"github.com/gossipbench/gossipbench/report/chart"
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
// and NEW solid (chart.Overlay). Chart IDs are numbered and series names
// are ours; the point ID is the title, which the page template escapes.
func curveChart(id string, pt Point) (htmlChart, error) {
	html, err := echart.Render(chart.Overlay(id, pt.curves[0], pt.curves[1]), "300px")
	return htmlChart{Title: pt.ID, HTML: html}, err
}
