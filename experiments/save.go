package experiments

import (
	"context"
	"time"

	"github.com/gossipbench/gossipbench/internal/version"
	"github.com/gossipbench/gossipbench/results"
)

// NewManifest describes a finished run.
func NewManifest(res *Result, sum *results.Summary, host results.Host, parallel int, command []string) *results.Manifest {
	m := &results.Manifest{Schema: results.SchemaVersion, Info: version.Get(), Host: host, Name: sum.Name,
		Engine: sum.Engine, Seed: sum.Seed, Trials: res.Scenario.Trials, Parallel: parallel,
		Start: res.Start.UTC().Round(time.Millisecond), DurationSeconds: res.Duration.Seconds(), Command: command,
		Shard: res.Shard}
	for _, pr := range res.Points {
		secs := make([]float64, len(pr.Wall))
		for i, w := range pr.Wall {
			secs[i] = w.Seconds()
		}
		m.Points = append(m.Points, results.PointTiming{ID: pr.Point.ID, WallSeconds: results.Describe(secs), Unmeasured: pr.Unmeasured})
	}
	return m
}

// Write puts a run's results in dir/<name>/ all at once (see results.Write).
func Write(dir string, res *Result, sum *results.Summary, man *results.Manifest) (string, error) {
	return WriteContext(context.Background(), dir, res, sum, man)
}

// WriteContext is Write, abandoned if ctx is cancelled before the result
// is in place.
func WriteContext(ctx context.Context, dir string, res *Result, sum *results.Summary, man *results.Manifest) (string, error) {
	return results.Write(ctx, dir, res.Scenario.Name, func(out *results.Out) error { return writeAll(out, res, sum, man) })
}

func writeAll(out *results.Out, res *Result, sum *results.Summary, man *results.Manifest) error {
	if err := out.Scenario(res.Scenario.Raw); err != nil {
		return err
	}
	if err := out.Summary(sum); err != nil {
		return err
	}
	if err := out.Manifest(man); err != nil {
		return err
	}
	if err := out.Rounds(func(w *results.RoundsWriter) error { return writeRounds(w, res) }); err != nil {
		return err
	}
	for _, pr := range res.Points {
		if tr := pr.Traces[results.ReplayTrial]; tr != nil && tr.Replay != nil {
			if err := out.Replay(results.NewReplayFile(res.Scenario.Name, pr.Point.ID, pr.Point.Params, tr)); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeRounds(w *results.RoundsWriter, res *Result) error {
	for _, pr := range res.Points {
		for trial, tr := range pr.Traces {
			if tr == nil {
				continue // unmeasured: no rows
			}
			for _, r := range tr.Rounds {
				if err := w.Write(pr.Point.ID, trial, r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
