// Package report turns result directories into pages people can read and
// share: results/index.html, a page per scenario with interactive charts
// (go-echarts, with ECharts embedded so pages open offline), a network
// replay per point, and static PNG and SVG charts. It reads only result
// files, never runs an engine, so any earlier result renders again.
package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

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

// readRoundsToFull scans rounds.csv for the first round of each trial in
// which every alive node was informed.
func readRoundsToFull(path string) (map[string][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"point", "trial", "round", "informed", "alive"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: no %q column", path, need)
		}
	}
	type key struct {
		point string
		trial int
	}
	done := map[key]bool{}
	out := map[string][]float64{}
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var v [4]int
		for i, name := range []string{"trial", "round", "informed", "alive"} {
			if v[i], err = strconv.Atoi(rec[col[name]]); err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %w", path, line, name, err)
			}
		}
		k := key{rec[col["point"]], v[0]}
		if !done[k] && v[3] > 0 && v[2] == v[3] {
			done[k] = true
			out[k.point] = append(out[k.point], float64(v[1]))
		}
	}
}
