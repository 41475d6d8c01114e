package results

import "fmt"

// Column is a column of a table of points: a metric's mean, or the
// mean-field model's value of it. The run table and the report's tables
// are made of them, so that a metric added to Metrics shows in all.
type Column struct {
	Label string
	Cell  func(p *PointSummary) string
}

// Columns are the metric columns of a table of points, in Metrics' order:
// every metric, or only the headline ones when short, leaving out those no
// point has (bytes in a memory-engine result): a column of dashes says
// nothing. A full table says which columns carry a confidence interval.
// The graph metrics are one compact column, "graph" (GraphText), in a full
// table of points of which some ran off the complete graph.
func Columns(short bool, points []PointSummary) []Column {
	var cols []Column
	graph := false
	for _, m := range Metrics {
		// Residue is what rumor mongering trades for traffic: a short
		// table of mongering points shows it too.
		headline := m.Headline || m.Name == Residue && anyMongering(points)
		if short && !headline || !anyHas(points, m.Name) {
			continue
		}
		if m.Graph {
			if !graph {
				graph = true
				cols = append(cols, Column{Label: "graph", Cell: GraphText})
			}
			continue
		}
		label := m.Label
		if m.CI && !short {
			label += " (95 % CI)"
		}
		cols = append(cols, Column{Label: label, Cell: func(p *PointSummary) string { return m.Text(p.Metrics[m.Name]) }})
		if m.TheoryLabel != "" && anyTheory(points, m.Name) {
			cols = append(cols, Column{Label: m.TheoryLabel, Cell: func(p *PointSummary) string { return p.TheoryCell(m.Name) }})
		}
	}
	return cols
}

// anyTheory says whether some point has a theory for the metric: a column
// of none (faults over time, a stop rule the model lacks) is left out, as
// the http columns are from a table of memory points.
func anyTheory(points []PointSummary, metric string) bool {
	for i := range points {
		if points[i].Theory[metric] != nil {
			return true
		}
	}
	return false
}

// anyHas says whether some point has a value of the metric.
func anyHas(points []PointSummary, metric string) bool {
	for i := range points {
		if _, ok := points[i].Metrics[metric]; ok {
			return true
		}
	}
	return false
}

// ConvergedText is a point's converged trials out of its trials, "29/30".
func ConvergedText(p *PointSummary) string { return fmt.Sprintf("%d/%d", p.Converged, p.Trials) }

// Count is "1 point", "2 points": tables and pages count points, trials
// and scenarios, often one of them.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// TheoryCell is a point's theory of a metric as a table prints it: the
// value, and after it, off the complete graph, where it comes from, "29.8
// (asymptotic, Fountoulakis–Panagiotou)": the mean-field model's value and
// an asymptotic leading term are not the same kind of number.
func (p *PointSummary) TheoryCell(metric string) string {
	v := p.Theory[metric]
	text := TheoryText(v)
	if src := p.TheorySource(); v != nil && src != "" {
		text += " (" + src + ")"
	}
	return text
}

// anyMongering says whether some point runs rumor mongering.
func anyMongering(points []PointSummary) bool {
	for i := range points {
		if points[i].Params.Mongering() {
			return true
		}
	}
	return false
}
