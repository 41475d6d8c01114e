package experiments

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// The runner streams every trial's rounds, as the engine ends them, to
// sinks: the result files, the summary's statistics, the replay of trial
// 0, a progress display. As vegeta's attack channel feeds its reporters,
// the trials' rounds go through one channel to one goroutine that hands
// them to every sink in turn, so a sink needs no lock and keeps only what
// it needs. Nothing else holds a trial once it has ended.

// Record is one round of one trial.
type Record struct {
	Point int // index in Run.Points
	Trial int
	engine.Round
}

// TrialEnd follows a trial's last record.
type TrialEnd struct {
	Point, Trial int
	Wall         time.Duration // engine time
	// Unmeasured is set when the trial ran but could not be measured
	// (engine.ErrUnmeasured): its records do not count.
	Unmeasured error
}

// Sink takes a run's stream. Calls come from one goroutine, a trial's
// records in round order and then its end; trials interleave. An error
// stops the run.
type Sink interface {
	Record(Record) error
	End(TrialEnd) error
}

// Run describes a run: what ran, when and for how long.
type Run struct {
	Scenario *Scenario
	Points   []Point        // every point, or the shard's points, in sweep order
	Shard    *results.Shard // nil unless the run was one shard
	Start    time.Time
	Duration time.Duration
}

// Plan is the run Stream would make of s, before anything runs: sinks are
// built from it.
func (r Runner) Plan(s *Scenario) (*Run, error) {
	points := s.Points()
	run := &Run{Scenario: s, Points: points}
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
		run.Points, run.Shard = mine, &sh
	}
	if err := s.CheckEngines(r.Engines); err != nil {
		return nil, err
	}
	return run, nil
}

type event struct {
	rec *Record
	end *TrialEnd
}

// Stream runs run's trials (see Plan) and hands their rounds to sinks as
// they come. What the sinks receive does not depend on Parallel, except for
// the order in which trials interleave.
func (r Runner) Stream(ctx context.Context, run *Run, sinks ...Sink) error {
	s := run.Scenario
	points := run.Points
	run.Start = time.Now()
	defer func() { run.Duration = time.Since(run.Start) }()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	workers := r.Parallel
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct{ point, trial int }
	jobs := make(chan job)
	events := make(chan event, 64*workers)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p := points[j.point]
				replay := j.trial == results.ReplayTrial && p.Params.Nodes <= s.Replay.MaxNodes
				cfg := s.Config(p, j.trial, replay)
				obs := engine.ObserverFunc(func(rd engine.Round) {
					if !cfg.World() {
						// Without a stop rule every informed node spreads
						// (engine.RoundStats); the engines' one-bit paths
						// leave the split unfilled, and Down (the nodes
						// not alive: those paths' faults are for good).
						rd.Infective, rd.Removed = rd.RoundStats.Informed, 0
						rd.Down = cfg.Nodes - rd.Alive
					}
					events <- event{rec: &Record{Point: j.point, Trial: j.trial, Round: rd}}
				})
				start := time.Now()
				err := r.Engines[p.Params.Engine].Run(ctx, cfg, obs)
				end := &TrialEnd{Point: j.point, Trial: j.trial, Wall: time.Since(start)}
				if err != nil && (!errors.Is(err, engine.ErrUnmeasured) || ctx.Err() != nil) {
					fail(fmt.Errorf("%s, point %s, trial %d: %w", s.Name, p.ID, j.trial, err))
					continue
				}
				end.Unmeasured = err
				events <- event{end: end}
			}
		}()
	}
	go func() {
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
		close(events)
	}()

	// The one goroutine that feeds the sinks. After a failure it drains
	// the channel so that no trial blocks on it.
	total := len(points) * s.Trials
	done := 0
	unmeasured := map[int][]results.UnmeasuredTrial{}
	measured := map[int]int{}
	broken := false
	if r.Progress != nil {
		r.Progress(0, total) // the total is known before any trial ends
	}
	for ev := range events {
		if broken {
			continue
		}
		var err error
		for _, sk := range sinks {
			if ev.rec != nil {
				err = sk.Record(*ev.rec)
			} else {
				err = sk.End(*ev.end)
			}
			if err != nil {
				break
			}
		}
		if err != nil {
			fail(err)
			broken = true
			continue
		}
		if ev.end == nil {
			continue
		}
		if e := ev.end; e.Unmeasured != nil {
			unmeasured[e.Point] = append(unmeasured[e.Point], results.UnmeasuredTrial{Trial: e.Trial, Error: e.Unmeasured.Error()})
		} else {
			measured[ev.end.Point]++
		}
		done++
		if r.Progress != nil {
			r.Progress(done, total)
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for pi := range points {
		if um := unmeasured[pi]; len(um) > 0 && measured[pi] == 0 {
			sort.Slice(um, func(a, b int) bool { return um[a].Trial < um[b].Trial })
			return fmt.Errorf("%s, point %s: no trial could be measured; trial %d: %s",
				s.Name, points[pi].ID, um[0].Trial, um[0].Error)
		}
	}
	return nil
}
