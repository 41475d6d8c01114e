package merge

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Write writes the merged results to out/<name>/ and returns that path.
// command is recorded in manifest.json.
func (set *ShardSet) Write(out string, command []string) (string, error) {
	if err := CheckOut(out, []*ShardSet{set}); err != nil {
		return "", err
	}
	dir, err := results.Write(context.Background(), out, set.Name, func(o *results.Out) error { return set.writeAll(o, command) })
	var re *results.ResultError
	if errors.As(err, &re) {
		// A bad row of rounds.csv only shows as it is copied.
		return "", &MergeError{Problems: []string{re.Error()}}
	}
	return dir, err
}

// CheckOut refuses an out whose out/<name> of any set overlaps one of the
// shards it reads: inside a shard the merge would be a directory among
// its files, over one it would replace its own input. Check every set
// before writing any, so that a refusal leaves nothing written.
func CheckOut(out string, sets []*ShardSet) error {
	for _, set := range sets {
		target := filepath.Join(out, set.Name)
		for _, sd := range set.shards {
			if outdir.Within(target, sd.dir) || outdir.Within(sd.dir, target) {
				return mergeErrorf("--out %s: the merged %s would go in or over the shard %s, which merge only reads; choose a directory outside it",
					out, target, sd.dir)
			}
		}
	}
	return nil
}

// ownerOf is the shard that ran the point.
func (set *ShardSet) ownerOf(p point) *shardDir {
	return set.shards[results.Owner(p.index, len(set.shards))-1]
}

func (set *ShardSet) writeAll(o *results.Out, command []string) error {
	ref := set.shards[0]
	if err := o.Scenario(ref.yaml); err != nil {
		return err
	}
	sum := *ref.sum
	sum.Shard = nil
	sum.Points = make([]results.PointSummary, len(set.points))
	for i, p := range set.points {
		sum.Points[i] = set.ownerOf(p).points[p.id]
	}
	if err := o.Summary(&sum); err != nil {
		return err
	}
	if err := o.Manifest(set.manifest(command)); err != nil {
		return err
	}
	if err := o.Rounds(sum.Sweep, set.writeRounds); err != nil {
		return err
	}
	if set.trials {
		if err := o.Trials(sum.Sweep, set.writeTrials); err != nil {
			return err
		}
	}
	if set.rumors {
		if err := o.Rumors(sum.Sweep, set.writeRumors); err != nil {
			return err
		}
	}
	for i, ps := range sum.Points {
		if ps.Replay == "" {
			continue
		}
		data, _, err := set.ownerOf(set.points[i]).res.ReplayData(ps.ID)
		if err != nil {
			return err
		}
		if err := o.ReplayBytes(ps.ID, data); err != nil {
			return err
		}
	}
	return nil
}

// manifest describes the merged run: the shards' runs, their per-point
// timings in sweep order, and the merge command. Host and Parallel are
// kept when every shard agrees, and left empty otherwise.
func (set *ShardSet) manifest(command []string) *results.Manifest {
	ref := set.shards[0].man
	m := &results.Manifest{Schema: results.SchemaVersion, Info: ref.Info, Host: ref.Host, Name: ref.Name, Engine: ref.Engine,
		Seed: ref.Seed, Trials: ref.Trials, Parallel: ref.Parallel, Command: command}
	var end time.Time
	for i, sd := range set.shards {
		sm := sd.man
		if sm.Host != m.Host {
			m.Host = results.Host{}
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
		m.Shards = append(m.Shards, results.ShardRun{Dir: sd.dir, Shard: sd.shard, Info: sm.Info, Host: sm.Host,
			Parallel: sm.Parallel, Start: sm.Start, DurationSeconds: sm.DurationSeconds, Command: sm.Command})
	}
	m.DurationSeconds = end.Sub(m.Start).Seconds()
	for _, p := range set.points {
		m.Points = append(m.Points, set.ownerOf(p).timings[p.id])
	}
	return m
}

// writeRounds interleaves the shards' rounds.csv in sweep order. Each
// shard's file holds its points' rows in sweep order, so one pass over
// each file suffices. Every row is checked as it is read (RoundsScanner).
func (set *ShardSet) writeRounds(w *results.RoundsWriter) error {
	readers := make([]*roundsReader, len(set.shards))
	for i, sd := range set.shards {
		s, err := sd.res.ScanRounds()
		if err != nil {
			return err
		}
		readers[i] = &roundsReader{path: filepath.Join(sd.dir, results.RoundsFile), s: s}
	}
	for _, p := range set.points {
		r := readers[results.Owner(p.index, len(set.shards))-1]
		rows := 0
		for {
			rec, err := r.peek()
			if err != nil {
				return err
			}
			if rec == nil || rec[0] != p.id {
				break
			}
			if err := w.WriteRecord(rec); err != nil {
				return err
			}
			r.rec = nil
			rows++
		}
		if rows == 0 {
			return mergeErrorf("%s: no rows for point %s", r.path, p.id)
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
	return nil
}

// writeTrials interleaves the shards' trials.csv in sweep order, as
// writeRounds does rounds.csv. Every row is checked as it is read
// (TrialsScanner), which also holds each shard's file to its summary.json.
func (set *ShardSet) writeTrials(w *results.RoundsWriter) error {
	scanners := make([]rowScanner, len(set.shards))
	for i, sd := range set.shards {
		s, err := sd.res.ScanTrials()
		if err != nil {
			return err
		}
		scanners[i] = trialRows{s}
	}
	return set.interleave(w, results.TrialsFile, scanners)
}

// rowScanner is a shard's file read row by row and checked (TrialsScanner,
// RumorsScanner): what interleave takes rows from.
type rowScanner interface {
	Next() (bool, error)
	Line() int
	Row() (point string, record []string)
}

type trialRows struct{ *results.TrialsScanner }

func (t trialRows) Row() (string, []string) { return t.Point, t.Record }

type rumorRows struct{ *results.RumorsScanner }

func (r rumorRows) Row() (string, []string) { return r.Point, r.Record }

// interleave writes the shards' rows of one file in sweep order: each
// point's rows come from the shard that ran it, and a row left over is out
// of order. A nil scanner is a shard without the file.
func (set *ShardSet) interleave(w *results.RoundsWriter, file string, scanners []rowScanner) error {
	pending := make([]bool, len(set.shards)) // a row read but not yet written
	for _, p := range set.points {
		i := results.Owner(p.index, len(set.shards)) - 1
		s := scanners[i]
		for s != nil {
			if !pending[i] {
				ok, err := s.Next()
				if err != nil {
					return err
				}
				if !ok {
					break
				}
				pending[i] = true
			}
			point, rec := s.Row()
			if point != p.id {
				break
			}
			if err := w.WriteRecord(rec); err != nil {
				return err
			}
			pending[i] = false
		}
	}
	for i, s := range scanners {
		if pending[i] {
			point, _ := s.Row()
			return mergeErrorf("%s:%d: a row for point %s out of sweep order", filepath.Join(set.shards[i].dir, file), s.Line(), point)
		}
	}
	return nil
}

type roundsReader struct {
	path string
	s    *results.RoundsScanner
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
