package report

import (
	"errors"
	"fmt"

	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/results"
)

// renderAttempts bounds how often the report is rendered again because a
// run replaced a result while it was read or its pages were put in place.
// A scenario's pages live in its result directory, so a swap takes away
// the directory they are staged in (the commit fails) or leaves pages of
// the old result in the new one; either way the report is rendered again,
// from the new result, so what stays describes what is there. Rendering
// is idempotent, so doing it again is always safe. Render holds the runs'
// lock (results.HoldResults), so this only happens where the results
// cannot be locked, or with a writer that takes no lock.
const renderAttempts = 10

// renderDir stages one scenario's pages in d from a snapshot of its
// directory (results.OpenResult), and returns the snapshot, so that
// the caller can tell whether it was replaced. What a failed attempt
// staged is rolled back.
func renderDir(d *outdir.Dir, dir string, out *Rendered) (*Result, *results.ResultDir, error) {
	rd, err := results.OpenResult(dir)
	if err != nil {
		return nil, nil, classify(err)
	}
	defer rd.Close()
	mark := d.Mark()
	var got Rendered
	r, err := load(rd)
	if err == nil {
		err = renderScenario(d, r, &got)
	}
	if err != nil {
		d.Rollback(mark)
		return nil, rd, classify(err)
	}
	out.Scenarios = append(out.Scenarios, got.Scenarios...)
	out.Replays += got.Replays
	out.Charts += got.Charts
	return r, rd, nil
}

// replaced reports whether a run has replaced any of the results read.
func replaced(read []*results.ResultDir) bool {
	for _, rd := range read {
		if rd.Changed() {
			return true
		}
	}
	return false
}

// classify makes a result that cannot be used, or what is planted in it
// in the way of report's files (a symlink, a file where a directory goes),
// an *InputError (exit 2); the rest are failures of report.
func classify(err error) error {
	var re *results.ResultError
	if errors.As(err, &re) || outdir.InTheWay(err) {
		return &InputError{Err: err}
	}
	return fmt.Errorf("report: %w", err)
}
