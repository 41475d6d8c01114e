// Package merge joins the results of the shards of a sweep (run --shard)
// into the result of the whole sweep. It reads and writes through the
// results package only: the sweep comes from summary.json, never from
// decoding scenario.yaml again.
package merge

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// MergeError is a problem with the directories given to Merge: bad input,
// not a failure of the tool. Each problem names the directories it is
// about. Nothing is written.
type MergeError struct{ Problems []string }

func (e *MergeError) Error() string { return strings.Join(e.Problems, "\n") }

func mergeErrorf(format string, args ...any) *MergeError {
	return &MergeError{Problems: []string{fmt.Sprintf(format, args...)}}
}

// ShardSet is a complete and consistent set of shard results of one
// scenario (the directories run --shard wrote), ready to be merged.
type ShardSet struct {
	Name   string
	shards []*shardDir // by shard index
	points []point     // the whole sweep, in order
	trials bool        // the shards have trials.csv (older ones do not)
	rumors bool        // some have rumors.csv (optional.go)
}

// point is one point of the whole sweep: its ID and its index, which
// says which shard runs it (results.Owner).
type point struct {
	index int
	id    string
}

// shardDir is one shard's results as read from its directory.
type shardDir struct {
	res   *results.ResultDir
	dir   string
	sum   *results.Summary
	man   *results.Manifest
	yaml  []byte
	shard results.Shard
	// by point ID
	points  map[string]results.PointSummary
	timings map[string]results.PointTiming
}

// Merge joins the results of the shards of one scenario into out/<name>/,
// atomically as results.Write does. The summary.json, rounds.csv,
// trials.csv, rumors.csv and replay files it writes are byte for byte
// those of the run without --shard; its manifest.json keeps each shard's
// run and per-point timings. Problems with the input are a *MergeError.
func Merge(out string, dirs []string, command []string) (string, error) {
	set, err := OpenShards(dirs)
	if err != nil {
		return "", err
	}
	defer set.Close()
	return set.Write(out, command)
}

// OpenShards reads shard result directories and checks that they are the
// shards of one scenario, run with the same seed, trials and build, and
// that together they hold every point of its sweep exactly once. A result
// directory of a run without --shard counts as shard 1/1. Close the set
// when done.
func OpenShards(dirs []string) (*ShardSet, error) {
	if len(dirs) == 0 {
		return nil, mergeErrorf("no shard directories to merge")
	}
	opened, problems := openAll(dirs, nil)
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	set, err := openShards(opened)
	if err != nil {
		closeAll(opened)
	}
	return set, err
}

func closeAll(opened []*results.ResultDir) {
	for _, r := range opened {
		r.Close()
	}
}

// Close releases the shards' files.
func (set *ShardSet) Close() {
	for _, sd := range set.shards {
		sd.res.Close()
	}
}

func openShards(opened []*results.ResultDir) (*ShardSet, error) {
	var shards []*shardDir
	var problems []string
	for _, r := range opened {
		sd, err := readShard(r)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		shards = append(shards, sd)
	}
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}

	// Shards of one scenario, one seed, one build.
	ref := shards[0]
	for _, sd := range shards[1:] {
		a, b := ref.dir, sd.dir
		switch {
		case sd.sum.Name != ref.sum.Name:
			problems = append(problems, fmt.Sprintf("different scenarios: %s is %q, %s is %q", a, ref.sum.Name, b, sd.sum.Name))
		case string(sd.yaml) != string(ref.yaml):
			problems = append(problems, fmt.Sprintf("different scenarios: %s and %s differ (both named %q)",
				filepath.Join(a, results.ScenarioFile), filepath.Join(b, results.ScenarioFile), ref.sum.Name))
		}
		if sd.sum.Seed != ref.sum.Seed {
			problems = append(problems, fmt.Sprintf("different seeds: %s has seed %d, %s has seed %d", a, ref.sum.Seed, b, sd.sum.Seed))
		}
		if sd.man.Trials != ref.man.Trials {
			problems = append(problems, fmt.Sprintf("different trials: %s ran %d per point, %s ran %d", a, ref.man.Trials, b, sd.man.Trials))
		}
		if sd.sum.Engine != ref.sum.Engine {
			problems = append(problems, fmt.Sprintf("different engines: %s ran on %s, %s on %s", a, ref.sum.Engine, b, sd.sum.Engine))
		}
		if sd.man.Version != ref.man.Version || sd.man.Commit != ref.man.Commit {
			problems = append(problems, fmt.Sprintf("different builds: %s was run by %q, %s by %q", a, ref.man.Info, b, sd.man.Info))
		}
		if sd.shard.Count != ref.shard.Count {
			problems = append(problems, fmt.Sprintf("different shard counts: %s is shard %s, %s is shard %s", a, ref.shard, b, sd.shard))
		}
	}
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}

	count := ref.shard.Count
	byIndex := make([]*shardDir, count+1)
	for _, sd := range shards {
		if prev := byIndex[sd.shard.Index]; prev != nil {
			problems = append(problems, fmt.Sprintf("duplicate shard %s: %s and %s", sd.shard, prev.dir, sd.dir))
			continue
		}
		byIndex[sd.shard.Index] = sd
	}
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}

	points, problems := grid(shards)
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	want := map[string]point{}
	for _, p := range points {
		want[p.id] = p
	}

	// Every point once, in the shard that runs it, in sweep order.
	seen := map[string]string{} // point ID -> dir
	for _, sd := range shards {
		var got, expect []string
		for _, ps := range sd.sum.Points {
			got = append(got, ps.ID)
			if prev, dup := seen[ps.ID]; dup {
				problems = append(problems, fmt.Sprintf("duplicate point %s: in %s and in %s", ps.ID, prev, sd.dir))
				continue
			}
			seen[ps.ID] = sd.dir
			p, ok := want[ps.ID]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s has point %s, which the sweep of %s does not have", sd.dir, ps.ID, results.ScenarioFile))
			case !sd.shard.Has(p.index):
				problems = append(problems, fmt.Sprintf("%s (shard %s) has point %s, which belongs to shard %d/%d", sd.dir, sd.shard, ps.ID, results.Owner(p.index, count), count))
			}
			if _, ok := sd.timings[ps.ID]; !ok {
				problems = append(problems, fmt.Sprintf("%s has no timing for point %s", filepath.Join(sd.dir, results.ManifestFile), ps.ID))
			}
			if ps.Replay != "" {
				// Checked as report would read it, before anything is copied.
				if _, err := sd.res.Replay(ps.ID); err != nil {
					problems = append(problems, err.Error())
				}
			}
		}
		for _, p := range points {
			if sd.shard.Has(p.index) {
				expect = append(expect, p.id)
			}
		}
		if len(problems) == 0 && strings.Join(got, "\n") != strings.Join(expect, "\n") {
			problems = append(problems, fmt.Sprintf("%s: points out of sweep order: %s, want %s", sd.dir, strings.Join(got, " "), strings.Join(expect, " ")))
		}
	}
	missing := make([][]string, count+1) // point IDs by owning shard
	for _, p := range points {
		if _, ok := seen[p.id]; !ok {
			o := results.Owner(p.index, count)
			missing[o] = append(missing[o], p.id)
		}
	}
	for i := 1; i <= count; i++ {
		switch sd := byIndex[i]; {
		case sd == nil && len(missing[i]) == 0:
			problems = append(problems, fmt.Sprintf("missing shard %d/%d of %s (it has no points, but merge wants every shard)", i, count, ref.sum.Name))
		case sd == nil:
			problems = append(problems, fmt.Sprintf("missing shard %d/%d of %s: points %s", i, count, ref.sum.Name, strings.Join(missing[i], ", ")))
		case len(missing[i]) > 0:
			problems = append(problems, fmt.Sprintf("missing points in %s (shard %d/%d): %s", sd.dir, i, count, strings.Join(missing[i], ", ")))
		}
	}
	problems = append(problems, trialsProblems(shards)...)
	problems = append(problems, rumorsProblems(shards)...)
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	return &ShardSet{Name: ref.sum.Name, shards: byIndex[1:], points: points, trials: ref.res.HasTrials(), rumors: anyRumors(shards)}, nil
}

// grid is the whole sweep, from summary.json's sweep and sweep_values,
// which every shard must give alike (as their scenario.yaml are).
func grid(shards []*shardDir) ([]point, []string) {
	ref := shards[0]
	for _, sd := range shards {
		if sd.sum.SweepValues == nil && len(sd.sum.Sweep) > 0 {
			return nil, []string{fmt.Sprintf("%s has no sweep_values, so the whole sweep is unknown: it was written by an older gossipbench; run the shards again with this one",
				filepath.Join(sd.dir, results.SummaryFile))}
		}
		if !slices.Equal(sd.sum.Sweep, ref.sum.Sweep) || !slices.EqualFunc(sd.sum.SweepValues, ref.sum.SweepValues, slices.Equal) {
			return nil, []string{fmt.Sprintf("different sweeps: %s and %s", filepath.Join(ref.dir, results.SummaryFile), filepath.Join(sd.dir, results.SummaryFile))}
		}
	}
	ids := results.GridIDs(ref.sum.Sweep, ref.sum.SweepValues)
	points := make([]point, len(ids))
	for i, id := range ids {
		points[i] = point{index: i, id: id}
	}
	return points, nil
}

func readShard(r *results.ResultDir) (*shardDir, error) {
	if err := r.Require(results.ManifestFile, results.ScenarioFile, results.RoundsFile); err != nil {
		return nil, notResults(r.Dir, err)
	}
	sd := &shardDir{res: r, dir: r.Dir, sum: r.Summary, man: r.Manifest, yaml: r.Scenario, shard: results.Shard{Index: 1, Count: 1},
		points: map[string]results.PointSummary{}, timings: map[string]results.PointTiming{}}
	if r.Summary.Shard != nil {
		sd.shard = *r.Summary.Shard
	}
	for _, p := range r.Summary.Points {
		sd.points[p.ID] = p
	}
	for _, t := range r.Manifest.Points {
		sd.timings[t.ID] = t
	}
	return sd, nil
}

func notResults(dir string, err error) error {
	var re *results.ResultError
	if errors.As(err, &re) && errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is not a scenario's results directory: no %s", dir, filepath.Base(re.Path))
	}
	return err
}

// Shards names the shard directories in shard order.
func (set *ShardSet) Shards() []string {
	dirs := make([]string, len(set.shards))
	for i, sd := range set.shards {
		dirs[i] = sd.dir
	}
	return dirs
}

// Points are the IDs of the whole sweep's points, in order.
func (set *ShardSet) Points() []string {
	ids := make([]string, len(set.points))
	for i, p := range set.points {
		ids[i] = p.id
	}
	return ids
}
