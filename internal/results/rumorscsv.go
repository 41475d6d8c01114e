package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/gossipbench/gossipbench/engine"
)

// rumors.csv holds, for the trials of many rumors, each rumor's counts per
// round (engine.Round.PerRumor): point, the swept keys, trial, round,
// rumor, informed, new, infective, removed. A trial's rows follow its
// rounds.csv rows in the same order, one per round and rumor injected by
// then; the file exists only in a result with a point of many rumors.
// The reader holds it to rounds.csv: every round's rumors sum to its row.
const RumorsFile = "rumors.csv"

const maxRumorsBytes = 16 << 30

var rumorsCounts = []string{"round", "rumor", "informed", "new", "infective", "removed"}

// RumorsHeader is the first row of rumors.csv.
func RumorsHeader(sweep []string) []string {
	return append(pointColumns(sweep, "trial"), rumorsCounts...)
}

// AppendRumorRow appends one rumor's counts in one round as rumors.csv
// has them.
func AppendRumorRow(row []string, point string, trial, round, rumor int, rs engine.RumorStats) []string {
	row = append(row, point)
	row = append(row, PointValues(point)...)
	for _, v := range []int{trial, round, rumor, rs.Informed, rs.New, rs.Infective, rs.Removed} {
		row = append(row, strconv.Itoa(v))
	}
	return row
}

// injectedBy is how many of a point's rumors are injected by round r.
func injectedBy(p *Params, r int) int {
	if p.Rumors.Every == 0 {
		return p.RumorCount()
	}
	return min(p.RumorCount(), r/p.Rumors.Every+1)
}

// rumorsReader reads rumors.csv trial by trial beside rounds.csv.
type rumorsReader struct {
	path string
	cr   *csv.Reader
	keys []string // swept
	k    int
	// keep, if set, is given every row as read, once attach has checked it
	// (RumorsScanner).
	keep func(rec []string, line int)
}

func (r *ResultDir) rumorsReader() (*rumorsReader, error) {
	if r.rumors == nil {
		return nil, nil
	}
	path := filepath.Join(r.Dir, RumorsFile)
	rr := &rumorsReader{path: path, keys: r.Summary.Sweep, k: len(r.Summary.Sweep), cr: csv.NewReader(io.NewSectionReader(r.rumors, 0, maxRumorsBytes))}
	want := RumorsHeader(r.Summary.Sweep)
	header, err := readHeader(path, rr.cr, want)
	if err != nil {
		return nil, err
	}
	if err := checkHeader(path, header, want); err != nil {
		return nil, err
	}
	rr.cr.FieldsPerRecord = len(want)
	return rr, nil
}

// attach reads the rows of one trial of point p and sets tr.PerRumor,
// holding them to its rounds; a point of one rumor has none.
func (rr *rumorsReader) attach(p *PointSummary, trial int, tr *engine.Trace) error {
	if p.Params.RumorCount() < 2 {
		return nil
	}
	tr.PerRumor = make([][]engine.RumorStats, len(tr.Rounds))
	for r, row := range tr.Rounds {
		want := injectedBy(&p.Params, r)
		per := make([]engine.RumorStats, want)
		var sum engine.RumorStats
		for i := range want {
			rec, line, err := rr.next()
			if err != nil {
				return err
			}
			bad := func(format string, args ...any) error {
				return resultErrorf(fmt.Sprintf("%s:%d", rr.path, line), format, args...)
			}
			if rec == nil {
				return bad("ends before point %s trial %d round %d rumor %d", p.ID, trial, r, i)
			}
			if rec[0] != p.ID {
				return bad("point %q, want point %s trial %d round %d rumor %d (rows in rounds.csv's order)", rec[0], p.ID, trial, r, i)
			}
			if err := checkSwept(rr.keys, p.ID, PointValues(p.ID), rec[1:1+rr.k]); err != nil {
				return bad("%w", err)
			}
			var v [7]int
			for j, cell := range rec[1+rr.k:] {
				x, err := strconv.Atoi(cell)
				if err != nil || x < 0 {
					return bad("%s %q: want a count, 0 or more", RumorsHeader(nil)[j+1], cell)
				}
				v[j] = x
			}
			if v[0] != trial || v[1] != r || v[2] != i {
				return bad("trial %d round %d rumor %d, want trial %d round %d rumor %d", v[0], v[1], v[2], trial, r, i)
			}
			rs := engine.RumorStats{Informed: v[3], New: v[4], Infective: v[5], Removed: v[6]}
			switch {
			case rs.Informed > row.Alive || rs.New > rs.Informed:
				return bad("informed %d, new %d, alive %d: new ≤ informed ≤ alive", rs.Informed, rs.New, row.Alive)
			case rs.Infective+rs.Removed != rs.Informed:
				return bad("infective %d + removed %d is not informed %d", rs.Infective, rs.Removed, rs.Informed)
			}
			per[i] = rs
			if rr.keep != nil {
				rr.keep(rec, line)
			}
			sum.Informed, sum.New, sum.Infective, sum.Removed = sum.Informed+rs.Informed, sum.New+rs.New, sum.Infective+rs.Infective, sum.Removed+rs.Removed
		}
		if sum != (engine.RumorStats{Informed: row.Informed, New: row.New, Infective: row.Infective, Removed: row.Removed}) {
			return resultErrorf(rr.path, "point %s trial %d round %d: the rumors sum to %+v, but rounds.csv has informed %d, new %d, infective %d, removed %d",
				p.ID, trial, r, sum, row.Informed, row.New, row.Infective, row.Removed)
		}
		tr.PerRumor[r] = per
	}
	return nil
}

// next is the next row and its line; nil at the end.
func (rr *rumorsReader) next() ([]string, int, error) {
	rec, err := rr.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, resultErrorf(rr.path, "%w", err)
	}
	line, _ := rr.cr.FieldPos(0)
	return rec, line, nil
}

// end refuses rows beyond the last trial's.
func (rr *rumorsReader) end() error {
	rec, line, err := rr.next()
	if err != nil {
		return err
	}
	if rec != nil {
		return resultErrorf(fmt.Sprintf("%s:%d", rr.path, line), "a row of point %q beyond the trials rounds.csv has", rec[0])
	}
	return nil
}

// HasRumors says whether the result has rumors.csv: one with a point of
// many rumors does, unless written before the file was added.
func (r *ResultDir) HasRumors() bool { return r.rumors != nil }

// RumorsScanner reads rumors.csv row by row, holding every row to
// rounds.csv as EachTrial does (each trial's rows in rounds.csv's order,
// one per round and rumor injected by then, summing to the round's row,
// nothing beyond the last trial), so that merge refuses what every reader
// refuses. It reads rounds.csv beside it and holds one trial's rows at
// once. Errors name the file and line.
type RumorsScanner struct {
	dir    *ResultDir
	rounds *RoundsScanner
	rr     *rumorsReader
	ahead  bool // rounds holds the first row of the next trial
	done   bool
	rows   [][]string // the trial's rows not yet returned, and their lines
	lines  []int
	line   int

	Record []string // the row as read, until the next call of Next
	Point  string
}

// ScanRumors starts reading rumors.csv from its first row.
func (r *ResultDir) ScanRumors() (*RumorsScanner, error) {
	if err := r.Require(RoundsFile, RumorsFile); err != nil {
		return nil, err
	}
	rounds, err := r.ScanRounds()
	if err != nil {
		return nil, err
	}
	rr, err := r.rumorsReader()
	if err != nil {
		return nil, err
	}
	return &RumorsScanner{dir: r, rounds: rounds, rr: rr}, nil
}

// Line is the line of the row Next read last.
func (s *RumorsScanner) Line() int { return s.line }

// Next reads the next row; false at the end of the file, once rounds.csv
// has no trial left whose rows it lacks.
func (s *RumorsScanner) Next() (bool, error) {
	for len(s.rows) == 0 {
		if s.done {
			return false, nil
		}
		if err := s.trial(); err != nil {
			return false, err
		}
	}
	s.Record, s.line = s.rows[0], s.lines[0]
	s.Point = s.Record[0]
	s.rows, s.lines = s.rows[1:], s.lines[1:]
	return true, nil
}

// trial reads the next trial of rounds.csv and its rows of rumors.csv.
func (s *RumorsScanner) trial() error {
	if !s.ahead {
		ok, err := s.rounds.Next()
		if err != nil {
			return err
		}
		if !ok {
			s.done = true
			return s.rr.end()
		}
	}
	point, trial := s.rounds.Point, s.rounds.Trial
	tr := &engine.Trace{Rounds: []engine.RoundStats{s.rounds.Row}}
	for {
		ok, err := s.rounds.Next()
		if err != nil {
			return err
		}
		if s.ahead = ok; !ok || s.rounds.Row.Round == 0 { // the scanner keeps a trial's rows together
			break
		}
		tr.Rounds = append(tr.Rounds, s.rounds.Row)
	}
	s.rr.keep = func(rec []string, line int) {
		s.rows, s.lines = append(s.rows, rec), append(s.lines, line)
	}
	if err := s.rr.attach(s.dir.points[point], trial, tr); err != nil {
		return err
	}
	if !s.ahead {
		s.done = true
		return s.rr.end()
	}
	return nil
}
