package experiments

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
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
	points []Point     // the whole sweep, in order
}

// shardDir is one shard's results as read from its directory.
type shardDir struct {
	res   *ResultDir
	dir   string
	sum   *Summary
	man   *Manifest
	yaml  []byte
	shard Shard
	// by point ID
	points  map[string]PointSummary
	timings map[string]PointTiming
}

// Merge joins the results of the shards of one scenario into out/<name>/,
// atomically as Write does. The summary.json, rounds.csv and replay files
// it writes are byte for byte those of the run without --shard; its
// manifest.json keeps each shard's run and per-point timings. Problems
// with the input are a *MergeError.
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
	results, problems := openAll(dirs, nil)
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	set, err := openShards(results)
	if err != nil {
		closeAll(results)
	}
	return set, err
}

func closeAll(results []*ResultDir) {
	for _, r := range results {
		r.Close()
	}
}

// Close releases the shards' files.
func (set *ShardSet) Close() {
	for _, sd := range set.shards {
		sd.res.Close()
	}
}

func openShards(results []*ResultDir) (*ShardSet, error) {
	var shards []*shardDir
	var problems []string
	for _, r := range results {
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
				filepath.Join(a, ScenarioFile), filepath.Join(b, ScenarioFile), ref.sum.Name))
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

	// The sweep comes from scenario.yaml, the exact input of every shard.
	s, err := Parse(filepath.Join(ref.dir, ScenarioFile), ref.yaml)
	if err != nil {
		return nil, &MergeError{[]string{err.Error()}}
	}
	points := s.Points()
	want := map[string]Point{}
	for _, p := range points {
		want[p.ID] = p
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
				problems = append(problems, fmt.Sprintf("%s has point %s, which the sweep of %s does not have", sd.dir, ps.ID, ScenarioFile))
			case !sd.shard.Has(p):
				problems = append(problems, fmt.Sprintf("%s (shard %s) has point %s, which belongs to shard %d/%d", sd.dir, sd.shard, ps.ID, owner(p, count), count))
			}
			if _, ok := sd.timings[ps.ID]; !ok {
				problems = append(problems, fmt.Sprintf("%s has no timing for point %s", filepath.Join(sd.dir, ManifestFile), ps.ID))
			}
			if ps.Replay != "" {
				// Checked as report would read it, before anything is copied.
				if _, err := sd.res.Replay(ps.ID); err != nil {
					problems = append(problems, err.Error())
				}
			}
		}
		for _, p := range points {
			if sd.shard.Has(p) {
				expect = append(expect, p.ID)
			}
		}
		if len(problems) == 0 && strings.Join(got, "\n") != strings.Join(expect, "\n") {
			problems = append(problems, fmt.Sprintf("%s: points out of sweep order: %s, want %s", sd.dir, strings.Join(got, " "), strings.Join(expect, " ")))
		}
	}
	missing := make([][]string, count+1) // point IDs by owning shard
	for _, p := range points {
		if _, ok := seen[p.ID]; !ok {
			o := owner(p, count)
			missing[o] = append(missing[o], p.ID)
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
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	return &ShardSet{Name: ref.sum.Name, shards: byIndex[1:], points: points}, nil
}

func readShard(r *ResultDir) (*shardDir, error) {
	if err := r.Require(ManifestFile, ScenarioFile, RoundsFile); err != nil {
		return nil, notResults(r.Dir, err)
	}
	sd := &shardDir{res: r, dir: r.Dir, sum: r.Summary, man: r.Manifest, yaml: r.Scenario, shard: Shard{Index: 1, Count: 1},
		points: map[string]PointSummary{}, timings: map[string]PointTiming{}}
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
	var re *ResultError
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

// Points is the whole sweep, in order.
func (set *ShardSet) Points() []Point { return append([]Point(nil), set.points...) }

// Write writes the merged results to out/<name>/ and returns that path.
// command is recorded in manifest.json.
func (set *ShardSet) Write(out string, command []string) (string, error) {
	dir, err := writeAtomically(out, set.Name, func(tmp string) error { return set.writeAll(tmp, command) })
	var re *ResultError
	if errors.As(err, &re) {
		// A bad row of rounds.csv only shows as it is copied.
		return "", &MergeError{Problems: []string{re.Error()}}
	}
	return dir, err
}

// ownerOf is the shard that ran the point.
func (set *ShardSet) ownerOf(p Point) *shardDir { return set.shards[owner(p, len(set.shards))-1] }

func (set *ShardSet) writeAll(dir string, command []string) error {
	ref := set.shards[0]
	if err := writeBytes(filepath.Join(dir, ScenarioFile), ref.yaml); err != nil {
		return err
	}
	sum := *ref.sum
	sum.Shard = nil
	sum.Points = make([]PointSummary, len(set.points))
	for i, p := range set.points {
		sum.Points[i] = set.ownerOf(p).points[p.ID]
	}
	if err := writeJSON(filepath.Join(dir, SummaryFile), &sum); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, ManifestFile), set.manifest(command)); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, RoundsFile), set.writeRounds); err != nil {
		return err
	}
	for i, ps := range sum.Points {
		if ps.Replay == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, ReplayDir), 0o755); err != nil {
			return err
		}
		data, _, err := set.ownerOf(set.points[i]).res.ReplayData(ps.ID)
		if err != nil {
			return err
		}
		if err := writeBytes(filepath.Join(dir, ps.Replay), data); err != nil {
			return err
		}
	}
	return nil
}

// manifest describes the merged run: the shards' runs, their per-point
// timings in sweep order, and the merge command. Host and Parallel are
// kept when every shard agrees, and left empty otherwise.
func (set *ShardSet) manifest(command []string) *Manifest {
	ref := set.shards[0].man
	m := &Manifest{Schema: SchemaVersion, Info: ref.Info, Host: ref.Host, Name: ref.Name, Engine: ref.Engine,
		Seed: ref.Seed, Trials: ref.Trials, Parallel: ref.Parallel, Command: command}
	var end time.Time
	for i, sd := range set.shards {
		sm := sd.man
		if sm.Host != m.Host {
			m.Host = Host{}
		}
		if sm.Parallel != m.Parallel {
			m.Parallel = 0
		}
		if i == 0 || sm.Start.Before(m.Start) {
			m.Start = sm.Start
		}
		if e := sm.Start.Add(time.Duration(sm.DurationSeconds * float64(time.Second))); e.After(end) {
			end = e
		}
		m.Shards = append(m.Shards, ShardRun{Dir: sd.dir, Shard: sd.shard, Info: sm.Info, Host: sm.Host,
			Parallel: sm.Parallel, Start: sm.Start, DurationSeconds: sm.DurationSeconds, Command: sm.Command})
	}
	m.DurationSeconds = end.Sub(m.Start).Seconds()
	for _, p := range set.points {
		m.Points = append(m.Points, set.ownerOf(p).timings[p.ID])
	}
	return m
}

// writeRounds interleaves the shards' rounds.csv in sweep order. Each
// shard's file holds its points' rows in sweep order, so one pass over
// each file suffices. Every row is checked as it is read (RoundsScanner).
func (set *ShardSet) writeRounds(w *bufio.Writer) error {
	readers := make([]*roundsReader, len(set.shards))
	for i, sd := range set.shards {
		s, err := sd.res.ScanRounds()
		if err != nil {
			return err
		}
		readers[i] = &roundsReader{path: filepath.Join(sd.dir, RoundsFile), s: s}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(RoundsHeader); err != nil {
		return err
	}
	for _, p := range set.points {
		r := readers[owner(p, len(set.shards))-1]
		rows := 0
		for {
			rec, err := r.peek()
			if err != nil {
				return err
			}
			if rec == nil || rec[0] != p.ID {
				break
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
			r.rec = nil
			rows++
		}
		if rows == 0 {
			return mergeErrorf("%s: no rows for point %s", r.path, p.ID)
		}
	}
	for _, r := range readers {
		rec, err := r.peek()
		if err != nil {
			return err
		}
		if rec != nil {
			return mergeErrorf("%s:%d: a row for point %s out of sweep order", r.path, r.s.Line(), rec[0])
		}
	}
	cw.Flush()
	return cw.Error()
}

type roundsReader struct {
	path string
	s    *RoundsScanner
	rec  []string // the row read but not yet written; nil if none
	eof  bool
}

// peek returns the next row without consuming it; nil at the end.
func (r *roundsReader) peek() ([]string, error) {
	if r.rec != nil || r.eof {
		return r.rec, nil
	}
	ok, err := r.s.Next()
	if err != nil {
		return nil, err
	}
	if !ok {
		r.eof = true
		return nil, nil
	}
	r.rec = r.s.Record
	return r.rec, nil
}

// OpenShardSets reads what was given to merge. Each argument is one
// scenario's shard results, or a directory holding several (the --out
// directory of run --shard). When every argument is a scenario's results
// they must be the shards of that one scenario; when some are directories
// of results, the scenarios found are grouped by name and each group is
// merged on its own. Every group is checked before the first is written,
// and every problem found is reported.
func OpenShardSets(args []string) ([]*ShardSet, error) {
	if len(args) == 0 {
		return nil, mergeErrorf("no shard directories to merge")
	}
	var dirs []string
	var problems []string
	grouped := false
	for _, arg := range args {
		if st, err := os.Stat(arg); err != nil || !st.IsDir() {
			problems = append(problems, fmt.Sprintf("%s is not a directory", arg))
			continue
		}
		found, single, err := FindResults(arg)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case len(found) == 0:
			problems = append(problems, fmt.Sprintf("%s holds no results (no %s in it or in a directory in it)", arg, SummaryFile))
		}
		dirs = append(dirs, found...)
		grouped = grouped || !single
	}
	results, problems := openAll(dirs, problems)
	if len(problems) > 0 {
		return nil, &MergeError{problems}
	}
	groups := [][]*ResultDir{results}
	if grouped {
		groups = nil
		at := map[string]int{}
		for _, r := range results {
			i, ok := at[r.Summary.Name]
			if !ok {
				i = len(groups)
				at[r.Summary.Name] = i
				groups = append(groups, nil)
			}
			groups[i] = append(groups[i], r)
		}
	}
	var sets []*ShardSet
	for _, g := range groups {
		set, err := openShards(g)
		var me *MergeError
		switch {
		case errors.As(err, &me):
			problems = append(problems, me.Problems...)
		case err != nil:
			closeAll(results)
			return nil, err
		default:
			sets = append(sets, set)
		}
	}
	if len(problems) > 0 {
		closeAll(results)
		return nil, &MergeError{problems}
	}
	return sets, nil
}

// openAll opens every result of dirs, adding a problem for each that
// cannot be read to problems; when there are any, it closes what it opened.
func openAll(dirs []string, problems []string) ([]*ResultDir, []string) {
	var results []*ResultDir
	for _, dir := range dirs {
		r, err := OpenResult(dir)
		if err != nil {
			problems = append(problems, notResults(dir, err).Error())
			continue
		}
		results = append(results, r)
	}
	if len(problems) > 0 {
		closeAll(results)
		return nil, problems
	}
	return results, nil
}
