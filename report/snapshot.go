package report

import (
	"errors"
	"fmt"

	"github.com/gossipbench/gossipbench/experiments"
)

// renderAttempts bounds how often one scenario is rendered again because a
// run replaced its result meanwhile.
const renderAttempts = 10

// renderDir renders one scenario from a snapshot of its directory
// (experiments.OpenResult). A run that replaces the result while the pages
// are written takes away the directory they go to, or leaves pages of the
// old result in the new one; either way the scenario is rendered again,
// from the new result, so what stays describes what is there.
func renderDir(dir string, out *Rendered) (*Result, error) {
	for attempt := 1; ; attempt++ {
		rd, err := experiments.OpenResult(dir)
		if err != nil {
			return nil, classify(err)
		}
		var got Rendered
		r, err := load(rd)
		if err == nil {
			err = renderScenario(r, &got)
		}
		rd.Close()
		if rd.Changed() && attempt < renderAttempts {
			continue
		}
		if err != nil {
			return nil, classify(err)
		}
		out.Scenarios = append(out.Scenarios, got.Scenarios...)
		out.Replays += got.Replays
		out.Charts += got.Charts
		return r, nil
	}
}

// classify makes a result that cannot be used an *InputError (exit 2); the
// rest are failures of report.
func classify(err error) error {
	var re *experiments.ResultError
	if errors.As(err, &re) {
		return &InputError{Err: err}
	}
	return fmt.Errorf("report: %w", err)
}
