// Package report turns result directories into pages people can read and
// share: results/index.html, a page per scenario with interactive charts
// (go-echarts, with ECharts embedded so pages open offline), a network
// replay per point, and static PNG and SVG charts. It reads only result
// files, never runs an engine, so any earlier result renders again.
package report

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/gossipbench/gossipbench/experiments"
)

// Result is one scenario's results, as read from its directory.
type Result struct {
	Dir      string
	Summary  *experiments.Summary
	Manifest *experiments.Manifest
	Scenario []byte // scenario.yaml as run
	// RoundsToFull holds, per point ID, each converged trial's rounds to
	// full, read from rounds.csv, for distributions.
	RoundsToFull map[string][]float64
}

// Load reads a scenario's results directory. Every error names the file.
func Load(dir string) (*Result, error) {
	sum, err := experiments.ReadSummary(dir)
	if err != nil {
		return nil, err
	}
	man, err := experiments.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	yaml, err := os.ReadFile(filepath.Join(dir, experiments.ScenarioFile))
	if err != nil {
		return nil, err
	}
	r := &Result{Dir: dir, Summary: sum, Manifest: man, Scenario: yaml}
	if r.RoundsToFull, err = readRoundsToFull(filepath.Join(dir, experiments.RoundsFile)); err != nil {
		return nil, err
	}
	return r, nil
}

// FindResults lists the scenario result directories directly under dir
// (those holding a summary.json), sorted by name; dir itself counts if it
// is one.
func FindResults(dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, experiments.SummaryFile)); err == nil {
		return []string{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || e.Name()[0] == '.' {
			continue // .name.tmp-* are runs still being written
		}
		sub := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(sub, experiments.SummaryFile)); err == nil {
			out = append(out, sub)
		}
	}
	sort.Strings(out)
	return out, nil
}

// readRoundsToFull is each trial's rounds to full, per point, read back
// from rounds.csv; trials that never converged are left out.
func readRoundsToFull(path string) (map[string][]float64, error) {
	traces, err := experiments.ReadRounds(path)
	if err != nil {
		return nil, err
	}
	out := map[string][]float64{}
	for id, trials := range traces {
		for _, tr := range trials {
			if r, ok := tr.RoundsTo(1); ok {
				out[id] = append(out[id], float64(r))
			}
		}
	}
	return out, nil
}
