// Package report turns result directories into pages people can read and
// share: results/index.html, a page per scenario with interactive charts
// (go-echarts, with ECharts embedded so pages open offline), a network
// replay per point, and static PNG and SVG charts. It reads only result
// files, never runs an engine, so any earlier result renders again.
package report

import (
	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

// Result is one scenario's results, as read from its directory.
type Result struct {
	Dir      string
	Summary  *results.Summary
	Manifest *results.Manifest
	Scenario []byte // scenario.yaml as run
	// RoundsToFull holds, per point ID, each converged trial's rounds to
	// full, read from rounds.csv, for distributions.
	RoundsToFull map[string][]float64
	// Trials is what else the charts take from the trials (chart.Trials):
	// with rumor mongering, the infective and removed counts per round and
	// each rumor's delay to 99 %. Its RoundsToFull is RoundsToFull's.
	Trials    *chart.Trials
	HasTrials bool // trials.csv is there

	files *results.ResultDir // for the replays
}

// load takes what the pages need from an opened result, and checks every
// replay before the first page is written, so a bad file leaves no half
// rendered scenario. Every error names the file.
func load(rd *results.ResultDir) (*Result, error) {
	if err := rd.Require(results.ManifestFile, results.ScenarioFile, results.RoundsFile); err != nil {
		return nil, err
	}
	r := &Result{Dir: rd.Dir, Summary: rd.Summary, Manifest: rd.Manifest, Scenario: rd.Scenario, files: rd}
	r.Trials = chart.NewTrials()
	r.RoundsToFull = r.Trials.RoundsToFull
	points := map[string]*results.PointSummary{}
	for i := range rd.Summary.Points {
		points[rd.Summary.Points[i].ID] = &rd.Summary.Points[i]
	}
	// The pages link trials.csv; a bad one is refused like a bad
	// rounds.csv. Results older than it have none, and render without.
	err := rd.CheckRows(func(id string, tr *engine.Trace) error {
		if p := points[id]; p != nil { // the reader has checked every row's point
			r.Trials.Add(p, tr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.HasTrials = rd.HasTrials()
	for _, p := range rd.Summary.Points {
		if p.Replay != "" {
			if _, err := rd.Replay(p.ID); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}
