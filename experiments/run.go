package experiments

import (
	"context"
	"errors"
	"fmt"
	"github.com/gossipbench/gossipbench/results"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
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
	// Shard, if set, runs only that shard's points (see results.Shard.Has); the
	// result records it, so Merge can join the shards later.
	Shard *results.Shard
}

// Result is a finished scenario: every trace of every point, in order.
type Result struct {
	Scenario *Scenario
	Points   []PointResult  // every point, or the shard's points, in sweep order
	Shard    *results.Shard // nil unless the run was one shard
	Start    time.Time
	Duration time.Duration
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

// Run executes the scenario. Results do not depend on Parallel: every trial
// has its own seed and lands in its own slot.
func (r Runner) Run(ctx context.Context, s *Scenario) (*Result, error) {
	points := s.Points()
	var shard *results.Shard
	if r.Shard != nil {
		sh := *r.Shard
		if sh.Count < 1 || sh.Index < 1 || sh.Index > sh.Count {
			return nil, fmt.Errorf("%s: invalid shard %d/%d", s.File, sh.Index, sh.Count)
		}
		var mine []Point
		for _, p := range points {
			if sh.Has(p.Index) {
				mine = append(mine, p)
			}
		}
		points, shard = mine, &sh
	}
	if err := s.CheckEngines(r.Engines); err != nil {
		return nil, err
	}
	res := &Result{Scenario: s, Points: make([]PointResult, len(points)), Shard: shard, Start: time.Now()}
	type job struct{ point, trial int }
	jobs := make(chan job)
	for i, p := range points {
		res.Points[i] = PointResult{Point: p, Traces: make([]*engine.Trace, s.Trials), Wall: make([]time.Duration, s.Trials)}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		wg       sync.WaitGroup
	)
	workers := r.Parallel
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p := points[j.point]
				replay := j.trial == results.ReplayTrial && p.Params.Nodes <= s.Replay.MaxNodes
				start := time.Now()
				tr, err := engine.Collect(ctx, r.Engines[p.Params.Engine], s.Config(p, j.trial, replay))
				wall := time.Since(start)
				mu.Lock()
				pr := &res.Points[j.point]
				switch {
				case err != nil && (!errors.Is(err, engine.ErrUnmeasured) || ctx.Err() != nil):
					if firstErr == nil {
						firstErr = fmt.Errorf("%s, point %s, trial %d: %w", s.Name, p.ID, j.trial, err)
					}
					cancel()
				default:
					if err != nil {
						pr.Unmeasured = append(pr.Unmeasured, results.UnmeasuredTrial{Trial: j.trial, Error: err.Error()})
					} else {
						pr.Traces[j.trial] = tr
					}
					pr.Wall[j.trial] = wall
					done++
					if r.Progress != nil {
						r.Progress(done, len(points)*s.Trials)
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for pi := range points {
		for t := 0; t < s.Trials; t++ {
			select {
			case jobs <- job{pi, t}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	res.Duration = time.Since(res.Start)
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range res.Points {
		pr := &res.Points[i]
		if len(pr.Unmeasured) == 0 {
			continue
		}
		sort.Slice(pr.Unmeasured, func(a, b int) bool { return pr.Unmeasured[a].Trial < pr.Unmeasured[b].Trial })
		if len(pr.Unmeasured) == len(pr.Traces) {
			return nil, fmt.Errorf("%s, point %s: no trial could be measured; trial %d: %s",
				s.Name, pr.Point.ID, pr.Unmeasured[0].Trial, pr.Unmeasured[0].Error)
		}
	}
	return res, nil
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
