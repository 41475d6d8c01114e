package report

import (
	"html/template"

	"github.com/gossipbench/gossipbench/report/chart"
	"github.com/gossipbench/gossipbench/report/echart"
)

// chartView is one interactive chart of a page: what report/chart says it
// shows, drawn by report/echart, which escapes every string from the files.
type chartView struct {
	ID, Title, Note string
	// NoTheory says, for points the mean-field model does not cover, that
	// the chart has no theory line and why.
	NoTheory []string
	HTML     template.HTML
}

// chartHeight is a panel's height: a single chart gets more than each of
// a grid's small multiples.
func chartHeight(c chart.Chart) string {
	if len(c.Panels) > 1 {
		return "300px"
	}
	return "380px"
}

// scenarioCharts draws every chart of a scenario, in chart.Scenario's order.
func scenarioCharts(r *Result) ([]chartView, error) {
	var out []chartView
	for _, c := range chart.ScenarioOf(r.Summary, r.chartTrials()).Charts {
		html, err := echart.Render(c, chartHeight(c))
		if err != nil {
			return nil, err
		}
		out = append(out, chartView{ID: c.Name, Title: c.Title, Note: c.Note, NoTheory: c.NoTheory, HTML: html})
	}
	return out, nil
}

// chartTrials is what the charts take from r's trials, with its
// RoundsToFull (which tests may replace).
func (r *Result) chartTrials() *chart.Trials {
	t := chart.NewTrials()
	if r.Trials != nil {
		*t = *r.Trials
	}
	if r.RoundsToFull != nil {
		t.RoundsToFull = r.RoundsToFull
	}
	return t
}
