package experiments

import (
	"context"
	"errors"

	"github.com/gossipbench/gossipbench/internal/results"
)

// RunInfo is what the manifest says of the execution, and a hook.
type RunInfo struct {
	Host     results.Host
	Parallel int
	Command  []string
	// BeforeWrite, if set, is called once every trial has ended, before
	// summary.json and manifest.json are written and the directory is put
	// in place.
	BeforeWrite func()
}

// Written is a run that RunTo put in place.
type Written struct {
	Dir     string
	Run     *Run
	Summary *results.Summary
}

// runFailed marks an error of the run itself, not of writing it.
type runFailed struct{ err error }

func (e runFailed) Error() string { return e.err.Error() }
func (e runFailed) Unwrap() error { return e.err }

// RunTo runs s streaming into a new results directory out/<name>/: the
// trials' rounds and replays are written as trials end, summary.json and
// manifest.json once all have. The directory appears whole or not at all
// (see results.Write): a failed or interrupted run leaves out as it was. extra
// sinks (a progress display) see the same stream.
func (r Runner) RunTo(ctx context.Context, out string, s *Scenario, info RunInfo, extra ...Sink) (*Written, error) {
	run, err := r.Plan(s)
	if err != nil {
		return nil, err
	}
	var sum *results.Summary
	dir, err := results.Write(ctx, out, s.Name, func(o *results.Out) error {
		if err := writeScenario(o, s); err != nil {
			return err
		}
		files, err := newFileSink(o, run)
		if err != nil {
			return err
		}
		z := NewSummarizer(run)
		if err := r.Stream(ctx, run, append([]Sink{files, z}, extra...)...); err != nil {
			files.Close()
			return runFailed{err}
		}
		if err := files.Close(); err != nil {
			return err
		}
		if info.BeforeWrite != nil {
			info.BeforeWrite()
		}
		sum = z.Summary()
		if err := o.Summary(sum); err != nil {
			return err
		}
		return o.Manifest(newManifest(run, sum, z.Timings(), info.Host, info.Parallel, info.Command))
	})
	var rf runFailed
	if errors.As(err, &rf) {
		return nil, rf.err
	}
	if err != nil {
		return nil, err
	}
	return &Written{Dir: dir, Run: run, Summary: sum}, nil
}
