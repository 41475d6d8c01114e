package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

var (
	pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{"count": results.Count, "pairs": pairs}).ParseFS(templateFS, "templates/*.html"))
	css           = mustRead("templates/style.css")
)

// StyleSheet is the CSS of the report's pages, for other pages (compare's)
// to look the same.
func StyleSheet() template.CSS { return css }

func mustRead(name string) template.CSS {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return template.CSS(b)
}

// table is the points of a scenario with their metrics (results.Columns),
// formatted.
type table struct {
	Columns []string
	Rows    []row
}

type row struct {
	ID, Colour string
	Cells      []string
	Converged  string
	Replay     string
}

// HeaderText is a column's label as the pages' tables head it: "rounds
// 50 %" may wrap in a narrow column, but not before its %.
func HeaderText(label string) string { return strings.ReplaceAll(label, " %", "\u00a0%") }

// points tabulates every metric, or the headline ones when short.
func points(sum *results.Summary, replays map[string]string, short bool) table {
	cols := results.Columns(short, sum.Points)
	if !short {
		cols = withTheory(cols, sum.Points)
	}
	t := table{Rows: make([]row, len(sum.Points))}
	colours := chart.Colours(sum)
	for _, c := range cols {
		t.Columns = append(t.Columns, HeaderText(c.Label))
	}
	for i := range sum.Points {
		p := &sum.Points[i]
		r := row{ID: p.ID, Colour: colours[i], Converged: results.ConvergedText(p), Replay: replays[p.ID]}
		for _, c := range cols {
			r.Cells = append(r.Cells, c.Cell(p))
		}
		t.Rows[i] = r
	}
	return t
}

// pairs are a point ID's key=value pairs, which the table may break
// between: "churn.leave=0.005,stop.rule=counter" is too wide for a column.
func pairs(id string) []string { return strings.Split(id, ",") }

// header is what both pages say about a scenario.
type header struct {
	Name, Description, Engine, Date, Duration, Version, Host string
	// Faults are the failures, then each partition and churn once: each
	// its own span of the meta line, which wraps between them.
	Faults []string
	// NPoints, not Points: both pages embed header beside a Points table,
	// which would shadow it and print the table in the header line.
	NPoints, Trials int
	Seed            uint64
}

func newHeader(r *Result) header {
	s, m := r.Summary, r.Manifest
	h := header{Name: s.Name, Description: s.Description, Engine: s.Engine, NPoints: len(s.Points),
		Seed: s.Seed, Trials: m.Trials, Date: m.Start.UTC().Format("2006-01-02 15:04 UTC"),
		Duration: fmt.Sprintf("ran in %.2f s", m.DurationSeconds), Version: m.Info.String()}
	if m.Host.Name != "" {
		h.Host = fmt.Sprintf("%s, %s/%s, %d CPUs", m.Host.Name, m.Host.OS, m.Host.Arch, m.Host.CPUs)
	}
	var fails []string
	for _, f := range s.Failures {
		fails = append(fails, f.String())
	}
	if len(fails) > 0 {
		h.Faults = append(h.Faults, "failures: "+strings.Join(fails, ", "))
	}
	h.Faults = append(h.Faults, faultsText(s)...)
	if m.Start.IsZero() {
		h.Date = "date unknown"
	}
	return h
}

type scenarioPage struct {
	header
	CSS           template.CSS
	Points        table
	Charts        []chartView
	Static        []string
	Reproduce     string
	Command, YAML string
	Files         string // URL of the result's own files, from the page: filesHref
	HasTrials     bool
	// Rumor mongering (monger.go): the memberlist presets the points
	// ran, and times in seconds; empty for points without them.
	Presets     []presetRow
	PresetNotes []string
	Times       *table
}

// writeScenarioPage renders a scenario's page. replays maps point IDs to
// their replay pages; static names the static charts written beside it;
// files is where the result's files are (filesHref).
func writeScenarioPage(w io.Writer, r *Result, replays map[string]string, static []string, files string) error {
	sum := r.Summary
	page := scenarioPage{header: newHeader(r), CSS: css, Points: points(sum, replays, false), Static: static,
		Command: shellCommand(r.Manifest.Command), YAML: string(r.Scenario),
		Reproduce: reproduce(r), Files: files, HasTrials: r.HasTrials,
		Presets: presetRows(sum), PresetNotes: presetNote(sum), Times: timeTable(sum)}
	charts, err := scenarioCharts(r)
	if err != nil {
		return err
	}
	page.Charts = charts
	return pageTemplates.ExecuteTemplate(w, "scenario.html", page)
}

type indexEntry struct {
	header
	Href   string
	Points table
}

type indexPage struct {
	CSS       template.CSS
	Tool      string
	Scenarios []indexEntry
}

func writeIndex(w io.Writer, results []*Result, tool string) error {
	page := indexPage{CSS: css, Tool: tool}
	for _, r := range results {
		page.Scenarios = append(page.Scenarios, indexEntry{header: newHeader(r),
			Href: filepath.ToSlash(filepath.Join(filepath.Base(r.Dir), "index.html")), Points: points(r.Summary, nil, true)})
	}
	return pageTemplates.ExecuteTemplate(w, "index.html", page)
}

// faultsText lists the points' partitions and churn once each, in point
// order: a sweep over heal has one per point.
func faultsText(s *results.Summary) []string {
	var parts []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			parts = append(parts, t)
		}
	}
	for _, p := range s.Points {
		for _, pt := range p.Params.Partitions {
			add(pt.String())
		}
		if ch := p.Params.Churn; ch.On() {
			add(ch.String())
		}
	}
	return parts
}
