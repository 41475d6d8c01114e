package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"

	"github.com/gossipbench/gossipbench/results"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

var (
	pageTemplates = template.Must(template.ParseFS(templateFS, "templates/*.html"))
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

// row is a sweep point's headline numbers, formatted.
type row struct {
	ID, Colour                                                   string
	R50, R99, R100, Theory, Msgs, Redundancy, Residue, Converged string
	Failed                                                       string
	Replay                                                       string
}

func rows(sum *results.Summary, replays map[string]string) []row {
	out := make([]row, len(sum.Points))
	for i, p := range sum.Points {
		m := p.Metrics
		out[i] = row{ID: p.ID, Colour: colour(i),
			R50: m[results.RoundsTo50].Text(1), R99: m[results.RoundsTo99].Text(1),
			R100: m[results.RoundsToFull].TextCI(), Theory: results.TheoryText(p.Theory.RoundsToFull),
			Msgs: m[results.MessagesPerNode].Text(1), Redundancy: m[results.Redundancy].Text(3),
			Residue: m[results.Residue].Text(4), Converged: fmt.Sprintf("%d/%d", p.Converged, p.Trials),
			Failed: m[results.FailedFraction].Text(3),
			Replay: replays[p.ID]}
	}
	return out
}

// header is what both pages say about a scenario.
type header struct {
	Name, Description, Engine, Date, Duration, Version, Host string
	Failures                                                 string
	Points, Trials                                           int
	Seed                                                     uint64
}

func newHeader(r *Result) header {
	s, m := r.Summary, r.Manifest
	h := header{Name: s.Name, Description: s.Description, Engine: s.Engine, Points: len(s.Points),
		Seed: s.Seed, Trials: m.Trials, Date: m.Start.UTC().Format("2006-01-02 15:04 UTC"),
		Duration: fmt.Sprintf("ran in %.2f s", m.DurationSeconds), Version: m.Info.String()}
	if m.Host.Name != "" {
		h.Host = fmt.Sprintf("%s, %s/%s, %d CPUs", m.Host.Name, m.Host.OS, m.Host.Arch, m.Host.CPUs)
	}
	var fails []string
	for _, f := range s.Failures {
		fails = append(fails, fmt.Sprintf("%s %g%% at round %d", f.Kind, 100*f.Fraction, f.Round))
	}
	if len(fails) > 0 {
		h.Failures = "failures: " + strings.Join(fails, ", ")
	}
	if m.Start.IsZero() {
		h.Date = "date unknown"
	}
	return h
}

type section struct {
	Title, Class string
	Charts       []chart
}

type scenarioPage struct {
	header
	CSS           template.CSS
	Rows          []row
	Sections      []section
	Static        []string
	Reproduce     string
	Command, YAML string
}

// writeScenarioPage renders a scenario's page. replays maps point IDs to
// their replay pages; static names the static charts written beside it.
func writeScenarioPage(w io.Writer, r *Result, replays map[string]string, static []string) error {
	sum := r.Summary
	page := scenarioPage{header: newHeader(r), CSS: css, Rows: rows(sum, replays), Static: static,
		Command: strings.Join(r.Manifest.Command, " "), YAML: string(r.Scenario),
		Reproduce: fmt.Sprintf("gossipbench run --seed %d --trials %d %s", sum.Seed, r.Manifest.Trials,
			filepath.ToSlash(filepath.Join(filepath.Base(r.Dir), results.ScenarioFile)))}
	page.Sections = append(page.Sections, section{Title: "Convergence", Charts: []chart{convergenceChart(sum)}})
	page.Sections = append(page.Sections, section{Title: "Overhead", Class: "grid2", Charts: overheadCharts(sum)})
	if sw := sweepCharts(sum); len(sw) > 0 {
		page.Sections = append(page.Sections, section{Title: "Sweep summary", Class: "grid2", Charts: sw})
	}
	page.Sections = append(page.Sections, section{Title: "Distribution", Charts: []chart{distributionChart(r)}})
	for _, s := range page.Sections {
		for _, c := range s.Charts {
			if c.Err != nil {
				return c.Err
			}
		}
	}
	return pageTemplates.ExecuteTemplate(w, "scenario.html", page)
}

type indexEntry struct {
	header
	Href string
	Rows []row
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
			Href: filepath.ToSlash(filepath.Join(filepath.Base(r.Dir), "index.html")), Rows: rows(r.Summary, nil)})
	}
	return pageTemplates.ExecuteTemplate(w, "index.html", page)
}
