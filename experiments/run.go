package experiments

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Runner runs every point and trial of a scenario.
type Runner struct {
	// Engines maps the names scenarios use to engines. A name a scenario
	// asks for that is missing here fails the run before anything starts.
	Engines map[string]engine.Engine
	// Parallel is how many trials run at once; 0 means one per CPU.
	Parallel int
	// Progress, if set, is called after each trial with the count so far.
	// Calls come from one goroutine at a time.
	Progress func(done, total int)
	// Shard, if set, runs only that shard's points (see Shard.Has); the
	// result records it, so Merge can join the shards later.
	Shard *results.Shard
}

// Result is a finished scenario: every trace of every point, in order.
type Result struct {
	Scenario *Scenario
	Points   []PointResult // every point, or the shard's points, in sweep order
	run      *Run          // what ran, its shard, start and duration
}

// PointResult holds a point's trials in trial order.
type PointResult struct {
	Point  Point
	Traces []*engine.Trace // nil for a trial that could not be measured
	Wall   []time.Duration // engine time per trial
	// Unmeasured are the trials the engine ran but could not measure
	// (engine.ErrUnmeasured), in trial order.
	Unmeasured []results.UnmeasuredTrial
}

// Measured are the point's measured traces, in trial order.
func (pr PointResult) Measured() []*engine.Trace {
	out := make([]*engine.Trace, 0, len(pr.Traces))
	for _, tr := range pr.Traces {
		if tr != nil {
			out = append(out, tr)
		}
	}
	return out
}

// Run executes the scenario and keeps every trace: for tests and callers
// that want the traces themselves. gossipbench run streams instead (see
// Stream and RunTo), keeping only what its sinks need. Results do not
// depend on Parallel: every trial has its own seed and lands in its own
// slot.
func (r Runner) Run(ctx context.Context, s *Scenario) (*Result, error) {
	run, err := r.Plan(s)
	if err != nil {
		return nil, err
	}
	keep := &traceSink{run: run, recs: map[[2]int]*engine.Recorder{}}
	keep.res = &Result{Scenario: s, Points: make([]PointResult, len(run.Points)), run: run}
	for i, p := range run.Points {
		keep.res.Points[i] = PointResult{Point: p, Traces: make([]*engine.Trace, s.Trials), Wall: make([]time.Duration, s.Trials)}
	}
	if err := r.Stream(ctx, run, keep); err != nil {
		return nil, err
	}
	for i := range keep.res.Points {
		pr := &keep.res.Points[i]
		sort.Slice(pr.Unmeasured, func(a, b int) bool { return pr.Unmeasured[a].Trial < pr.Unmeasured[b].Trial })
	}
	return keep.res, nil
}

// traceSink keeps every trial whole, as Run returns them.
type traceSink struct {
	run  *Run
	res  *Result
	recs map[[2]int]*engine.Recorder
}

func (k *traceSink) Record(rec Record) error {
	key := [2]int{rec.Point, rec.Trial}
	r := k.recs[key]
	if r == nil {
		p := k.run.Points[rec.Point]
		replay := rec.Trial == results.ReplayTrial && p.Params.Nodes <= k.run.Scenario.Replay.MaxNodes
		r = engine.NewRecorder(p.Params.Nodes, replay)
		k.recs[key] = r
	}
	r.Round(rec.Round)
	return nil
}

func (k *traceSink) End(e TrialEnd) error {
	key := [2]int{e.Point, e.Trial}
	pr := &k.res.Points[e.Point]
	pr.Wall[e.Trial] = e.Wall
	if e.Unmeasured != nil {
		pr.Unmeasured = append(pr.Unmeasured, results.UnmeasuredTrial{Trial: e.Trial, Error: e.Unmeasured.Error()})
	} else if r := k.recs[key]; r != nil {
		pr.Traces[e.Trial] = &r.Trace
	}
	delete(k.recs, key)
	return nil
}

// CheckEngines reports the first engine a point asks for that engines
// lacks, naming the ones there are.
func (s *Scenario) CheckEngines(engines map[string]engine.Engine) error {
	for _, p := range s.Points() {
		if engines[p.Params.Engine] == nil {
			have := make([]string, 0, len(engines))
			for name := range engines {
				have = append(have, name)
			}
			sort.Strings(have)
			return fmt.Errorf("%s: engine %q is not in this build of gossipbench (it has: %s)",
				s.File, p.Params.Engine, strings.Join(have, ", "))
		}
	}
	return nil
}
