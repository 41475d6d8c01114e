package experiments

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/version"
)

// NewManifest describes a finished run.
func NewManifest(res *Result, sum *results.Summary, host results.Host, parallel int, command []string) *results.Manifest {
	var timings []results.PointTiming
	for _, pr := range res.Points {
		secs := make([]float64, len(pr.Wall))
		for i, w := range pr.Wall {
			secs[i] = w.Seconds()
		}
		timings = append(timings, results.PointTiming{ID: pr.Point.ID, WallSeconds: results.Describe(secs), Unmeasured: pr.Unmeasured})
	}
	return newManifest(res.Run(), sum, timings, host, parallel, command)
}

func newManifest(run *Run, sum *results.Summary, timings []results.PointTiming, host results.Host, parallel int, command []string) *results.Manifest {
	return &results.Manifest{Schema: results.SchemaVersion, Info: version.Get(), Host: host, Name: sum.Name,
		Engine: sum.Engine, Seed: sum.Seed, Trials: run.Scenario.Trials, Parallel: parallel,
		Start: run.Start.UTC().Round(time.Millisecond), DurationSeconds: run.Duration.Seconds(), Command: command,
		Shard: run.Shard, Points: timings}
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
	if err := writeScenario(out, res.Scenario); err != nil {
		return err
	}
	if err := out.Summary(sum); err != nil {
		return err
	}
	if err := out.Manifest(man); err != nil {
		return err
	}
	// The same sink as a streamed run's, fed the traces in order.
	files, err := newFileSink(out, res.Run())
	if err != nil {
		return err
	}
	if err := res.Feed(files); err != nil {
		files.Close()
		return err
	}
	return files.Close()
}

// writeScenario writes scenario.yaml as run and, for kind file, the edge
// list it points at, as read (docs/design.md, "In scenarios and
// results"): a new file of the result being filled, never through a link.
func writeScenario(out *results.Out, s *Scenario) error {
	if err := out.Scenario(s.Raw); err != nil {
		return err
	}
	if s.edges == nil {
		return nil
	}
	f, err := out.Create(results.EdgesFile)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# The edge list of scenario %s, %d edges, as read from its topology.path.\n", s.Name, len(s.edges))
	var line []byte
	for _, e := range s.edges {
		line = strconv.AppendInt(line[:0], int64(e[0]), 10)
		line = append(line, ' ')
		line = strconv.AppendInt(line, int64(e[1]), 10)
		line = append(line, '\n')
		w.Write(line)
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", results.EdgesFile, err)
	}
	return nil
}
