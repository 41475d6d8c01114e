package report

import (
	"fmt"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

// What a scenario page says of rumor mongering besides the points table
// and the charts: a memberlist preset's parameters, and the times in
// seconds where a round stands for a time. Every string here is a file's
// and reaches the page through html/template.

// presetRow is one point's memberlist parameters as it ran them: the
// preset's values, or the file's where it changed one.
type presetRow struct {
	ID, Colour, Preset                           string
	GossipNodes, RetransmitMult, Limit, Interval string
}

// presetRows are the points that name a preset; nil when none does.
func presetRows(sum *results.Summary) []presetRow {
	colours := chart.Colours(sum)
	var out []presetRow
	for i := range sum.Points {
		p := &sum.Points[i]
		if p.Params.Preset == "" {
			continue
		}
		r := presetRow{ID: p.ID, Colour: colours[i], Preset: p.Params.Preset, GossipNodes: fmt.Sprint(p.Params.Fanout),
			RetransmitMult: "-", Limit: "-", Interval: "-"}
		if st := p.Params.Stop; st.Rule == "transmits" {
			r.RetransmitMult = fmt.Sprint(st.Mult)
			r.Limit = fmt.Sprintf("%d·⌈log10(%d+1)⌉ = %d", st.Mult, p.Params.Nodes, st.Engine().Transmits(p.Params.Nodes))
		}
		if s := p.Params.RoundSeconds; s > 0 {
			r.Interval = secondsText(s)
		}
		out = append(out, r)
	}
	return out
}

// presetNote lists each preset the points name with its defaults, once.
func presetNote(sum *results.Summary) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range sum.Points {
		if name := p.Params.Preset; name != "" && !seen[name] {
			seen[name] = true
			if pr, ok := results.PresetNamed(name); ok {
				out = append(out, pr.Text())
			}
		}
	}
	return out
}

// timeTable is the metrics counted in rounds, in seconds (the mean ×
// the point's round length), for the points whose round stands for a
// time; nil when none does.
func timeTable(sum *results.Summary) *table {
	var ms []results.Metric
	for _, m := range results.Metrics {
		if strings.HasPrefix(m.Unit, "rounds") && anyMetric(sum, m.Name) {
			ms = append(ms, m)
		}
	}
	colours := chart.Colours(sum)
	t := &table{}
	for _, m := range ms {
		t.Columns = append(t.Columns, "seconds "+strings.TrimPrefix(m.Label, "rounds "))
	}
	for i := range sum.Points {
		p := &sum.Points[i]
		if p.Params.RoundSeconds <= 0 {
			continue
		}
		r := row{ID: p.ID, Colour: colours[i], Converged: results.ConvergedText(p)}
		for _, m := range ms {
			st, ok := p.Metrics[m.Name]
			secs, _ := p.Params.Seconds(st.Mean)
			cell := "-"
			if ok && st.N > 0 {
				cell = fmt.Sprintf("%.*f", secondsDigits(p.Params.RoundSeconds), secs)
			}
			r.Cells = append(r.Cells, cell)
		}
		t.Rows = append(t.Rows, r)
	}
	if len(t.Rows) == 0 || len(ms) == 0 {
		return nil
	}
	return t
}

// secondsDigits are the decimals a time in seconds is worth: a tenth of
// a round.
func secondsDigits(round float64) int {
	d := 0
	for step := round / 10; step < 1 && d < 6; step *= 10 {
		d++
	}
	return d
}

func secondsText(s float64) string {
	if s < 1 {
		return chart.FormatNumber(s*1e3) + " ms"
	}
	return chart.FormatNumber(s) + " s"
}

func anyMetric(sum *results.Summary, name string) bool {
	for _, p := range sum.Points {
		if st, ok := p.Metrics[name]; ok && st.N > 0 {
			return true
		}
	}
	return false
}

// theoryBeside are the metrics whose theory the points table shows beside
// the measured mean for rumor mongering, where results.Columns does not
// already: the residue and the traffic the SIR models predict.
var theoryBeside = map[string]string{results.Residue: "theory residue", results.MessagesPerNode: "theory msgs/node"}

// withTheory adds, after the columns of theoryBeside's metrics, the
// theory's value of each, where some point that runs rumor mongering has
// one; wave-1 tables stay as they were.
func withTheory(cols []results.Column, points []results.PointSummary) []results.Column {
	var out []results.Column
	for _, c := range cols {
		out = append(out, c)
		for _, m := range results.Metrics {
			label, ok := theoryBeside[m.Name]
			if !ok || m.Label != c.Label || m.TheoryLabel != "" || !anyMongeringTheory(points, m.Name) {
				continue
			}
			out = append(out, results.Column{Label: label, Cell: func(p *results.PointSummary) string {
				v := p.Theory.Metric(m.Name)
				if v == nil {
					return "-"
				}
				text := fmt.Sprintf("%.*f", m.Digits, *v)
				if src := p.TheorySource(); src != "" {
					text += " (" + src + ")"
				}
				return text
			}})
		}
	}
	return out
}

func anyMongeringTheory(points []results.PointSummary, metric string) bool {
	for i := range points {
		p := &points[i]
		if p.Params.Mongering() && p.Theory.Metric(metric) != nil {
			return true
		}
	}
	return false
}
