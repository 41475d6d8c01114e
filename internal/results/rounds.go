package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
)

// RoundsScanner reads rounds.csv row by row, checking each row against
// summary.json: a known point, its swept columns holding the point's
// values, trials in increasing order (below the point's trials), each
// with rounds 0, 1, 2, ... in consecutive rows, no round beyond the
// point's max_rounds, no count below zero and no node count above the
// point's nodes. Errors name the file and line.
type RoundsScanner struct {
	path   string
	cr     *csv.Reader
	points map[string]*PointSummary
	last   map[string]*[2]int // per point: the last row's trial and round
	sweep  int                // swept columns in the file: 0 in results older than them
	old    bool               // the file predates the mongering columns
	keys   []string
	values map[string][]string // per point, PointValues, read once
	rec    []string
	dir    *ResultDir
	sent   map[string]trialSent // of the replayed trials, kept in dir at the end (replaySent)

	// Record is the row as RoundsHeader(sweep) has it, swept columns
	// included even where the file predates them, until the next call of
	// Next.
	Record []string
	Point  string
	Trial  int
	Row    engine.RoundStats
}

// ScanRounds starts reading rounds.csv from its first row.
func (r *ResultDir) ScanRounds() (*RoundsScanner, error) {
	path := filepath.Join(r.Dir, RoundsFile)
	if err := r.Require(RoundsFile); err != nil {
		return nil, err
	}
	s := &RoundsScanner{path: path, dir: r, sent: map[string]trialSent{}, points: r.points, last: map[string]*[2]int{}, keys: r.Summary.Sweep,
		values: map[string][]string{}, cr: csv.NewReader(io.NewSectionReader(r.rounds, 0, maxRoundsBytes))}
	s.cr.ReuseRecord = true
	want := RoundsHeader(r.Summary.Sweep)
	header, err := readHeader(path, s.cr, want)
	if err != nil {
		return nil, err
	}
	// Older results lack the swept columns (written before them), the
	// fault columns, or those and the mongering ones: the first header
	// that matches is the file's.
	full, older := want, RoundsHeader(nil)
	for _, h := range [][]string{full, older} {
		for _, drop := range []int{0, roundsFaults, roundsFaults + roundsMongering} {
			if c := h[:len(h)-drop]; checkHeader(path, header, c) == nil {
				want, s.old = c, drop > roundsFaults
				if len(h) == len(full) {
					s.sweep = len(r.Summary.Sweep)
				}
				goto found
			}
		}
	}
found:
	if err := checkHeader(path, header, want); err != nil {
		return nil, err
	}
	s.cr.FieldsPerRecord = len(want)
	return s, nil
}

// readHeader reads a CSV file's first row; want, the header the file
// should have, is for the message when there is none.
func readHeader(path string, cr *csv.Reader, want []string) ([]string, error) {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, resultErrorf(path, "empty; its first line is the header %s", strings.Join(want, ","))
	}
	if err != nil {
		return nil, resultErrorf(path, "%w", err)
	}
	return header, nil
}

// checkHeader holds a CSV file's first row to the one it must have.
func checkHeader(path string, header, want []string) error {
	if len(header) != len(want) {
		return resultErrorf(path, "%d columns, want %d (%v)", len(header), len(want), want)
	}
	for i, h := range want {
		if header[i] != h {
			return resultErrorf(path, "column %d is %q, want %q", i+1, header[i], h)
		}
	}
	return nil
}

// checkSwept holds a row's swept columns, cols, to values, those its
// point's ID gives them.
func checkSwept(keys []string, point string, values, cols []string) error {
	for i, v := range values {
		if i < len(cols) && cols[i] != v {
			return fmt.Errorf("%s is %q, but point %s has %s=%s", keys[i], cols[i], point, keys[i], v)
		}
	}
	return nil
}

// Line is the line of the row Next read last.
func (s *RoundsScanner) Line() int {
	line, _ := s.cr.FieldPos(0)
	return line
}

// Next reads the next row; false at the end of the file.
func (s *RoundsScanner) Next() (bool, error) {
	rec, err := s.cr.Read()
	if errors.Is(err, io.EOF) {
		s.dir.keepSent(s.sent)
		return false, nil
	}
	if err != nil {
		return false, resultErrorf(s.path, "%w", err)
	}
	line := s.Line()
	bad := func(format string, args ...any) (bool, error) {
		return false, resultErrorf(fmt.Sprintf("%s:%d", s.path, line), format, args...)
	}
	counts := rec[1+s.sweep:] // trial, round, informed, ...
	var v [18]int64
	for i := range v {
		if i >= len(counts) { // an older file: see roundsMongering, roundsFaults
			if i <= 12 {
				v[12] = v[2]
			}
			break
		}
		if v[i], err = strconv.ParseInt(counts[i], 10, 64); err != nil {
			return bad("%s: %w", RoundsHeader(nil)[i+1], err)
		}
		if v[i] < 0 {
			return bad("%s is %d; counts are never negative", RoundsHeader(nil)[i+1], v[i])
		}
	}
	point, trial, round := rec[0], v[0], v[1]
	p := s.points[point]
	if p == nil {
		return bad("point %q is not in %s", point, SummaryFile)
	}
	values, ok := s.values[point]
	if !ok {
		values = PointValues(point)
		s.values[point] = values
	}
	if err := checkSwept(s.keys, point, values, rec[1:1+s.sweep]); err != nil {
		return bad("%w", err)
	}
	// Unmeasured trials have no rows but keep their numbers: the rows
	// name trials below measured + unmeasured.
	if ran := int64(p.Trials) + int64(p.Unmeasured); trial >= ran || round > int64(p.Params.MaxRounds) {
		return bad("point %s trial %d round %d: the point ran %d trials of at most %d rounds", point, trial, round, ran, p.Params.MaxRounds)
	}
	if v[4] > int64(p.Params.Nodes) {
		return bad("alive is %d; point %s has %d nodes", v[4], point, p.Params.Nodes)
	}
	// The counts every engine keeps (docs/design.md, "Round semantics");
	// with many rumors, informed, new, infective and removed count
	// node-rumor pairs over the rumors injected so far (engine.RoundStats).
	informed, newly, alive, sent, delivered, lost, failed, useful, redundant := v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]
	infective, removed, rumors := v[12], v[13], v[14]
	down, recovering, cut := v[15], v[16], v[17]
	switch {
	case down > int64(p.Params.Nodes) || recovering > int64(p.Params.Nodes):
		return bad("down %d, recovering %d; point %s has %d nodes", down, recovering, point, p.Params.Nodes)
	case cut > failed:
		return bad("cut %d is more than failed %d: messages cut by a partition are counted failed", cut, failed)
	case (down > 0 || recovering > 0 || cut > 0) && !p.Params.FaultsOverTime() && len(p.Params.Failures) == 0:
		return bad("down %d, recovering %d, cut %d, but point %s has no faults", down, recovering, cut, point)
	case cut > 0 && len(p.Params.Partitions) == 0:
		return bad("cut is %d, but point %s has no partitions", cut, point)
	case rumors > int64(p.Params.RumorCount()):
		return bad("rumors is %d; point %s injects %d", rumors, point, p.Params.RumorCount())
	case informed > alive*max(rumors, 1) || newly > informed:
		return bad("informed %d, new %d, alive %d, rumors %d: new ≤ informed ≤ alive·rumors", informed, newly, alive, max(rumors, 1))
	case infective+removed != informed:
		return bad("infective %d + removed %d is not informed %d", infective, removed, informed)
	case removed > 0 && p.Params.Stop.Rule == "":
		return bad("removed is %d, but point %s has no stop rule", removed, point)
	case sent != delivered+lost+failed:
		return bad("sent %d is not delivered %d + lost %d + failed %d", sent, delivered, lost, failed)
	case delivered != useful+redundant:
		return bad("delivered %d is not useful %d + redundant %d", delivered, useful, redundant)
	}
	last := s.last[point]
	switch {
	case last == nil || int(trial) != last[0]:
		if last != nil && int(trial) < last[0] {
			return bad("point %s: trial %d follows trial %d", point, trial, last[0])
		}
		if round != 0 {
			return bad("point %s trial %d starts at round %d, not 0", point, trial, round)
		}
		s.last[point] = &[2]int{int(trial), 0}
	case point != s.Point:
		return bad("point %s trial %d round %d: the trial's rows are not together (a row of point %s comes between)", point, trial, round, s.Point)
	case int(round) != last[1]+1:
		return bad("point %s trial %d: round %d follows round %d", point, trial, round, last[1])
	default:
		last[1] = int(round)
	}
	s.Record, s.Point, s.Trial = rec, point, int(trial)
	if s.sweep != len(s.keys) {
		s.rec = append(append(append(s.rec[:0], point), values...), counts...)
		s.Record = s.rec
	}
	s.Row = engine.RoundStats{Round: int(round), Informed: int(v[2]), New: int(v[3]), Alive: int(v[4]),
		Sent: int(v[5]), Delivered: int(v[6]), Lost: int(v[7]), Failed: int(v[8]), Useful: int(v[9]),
		Redundant: int(v[10]), Bytes: v[11], Infective: int(v[12]), Removed: int(v[13]), Rumors: int(v[14]),
		Down: int(down), Recovering: int(recovering), Cut: int(cut)}
	s.note()
	return true, nil
}

// EachTrial reads rounds.csv one trial at a time, calling fn with each
// trial's every round (no replay), in file order. Only one trial is held
// at once: the file may be far larger than what its readers keep of it.
func (r *ResultDir) EachTrial(fn func(point string, tr *engine.Trace) error) error {
	s, err := r.ScanRounds()
	if err != nil {
		return err
	}
	rumors, err := r.rumorsReader()
	if err != nil {
		return err
	}
	var point string
	var trial int
	var tr *engine.Trace
	for {
		ok, err := s.Next()
		if err != nil {
			return err
		}
		if (!ok || s.Row.Round == 0) && tr != nil {
			if rumors != nil {
				if err := rumors.attach(r.points[point], trial, tr); err != nil {
					return err
				}
			}
			if err := fn(point, tr); err != nil {
				return err
			}
		}
		if !ok {
			if rumors != nil {
				return rumors.end()
			}
			return nil
		}
		if s.Row.Round == 0 { // the scanner keeps a trial's rows together
			point, trial, tr = s.Point, s.Trial, &engine.Trace{}
		}
		tr.Rounds = append(tr.Rounds, s.Row)
	}
}

// Rounds reads rounds.csv into traces: point ID to its trials, in file
// order, with every round's counts (no replays). It holds the whole file;
// EachTrial does not.
func (r *ResultDir) Rounds() (map[string][]*engine.Trace, error) {
	out := map[string][]*engine.Trace{}
	err := r.EachTrial(func(point string, tr *engine.Trace) error {
		out[point] = append(out[point], tr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
