package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/gossipbench/gossipbench/engine"
)

// TrialsScanner reads trials.csv row by row, checking it against
// summary.json as RoundsScanner checks rounds.csv: the header
// (TrialsHeader), every point of the summary in its order with each of its
// trials once in increasing order, swept columns holding the point's
// values, an unmeasured trial with nothing but its seed, values that are
// numbers a metric can have, and, per point, as many measured, converged
// and valued trials as summary.json counts. Errors name the file and line.
type TrialsScanner struct {
	path  string
	cr    *csv.Reader
	sum   *Summary
	pi    int // the point being read, an index in sum.Points
	next  int // its next trial
	count trialCounts
	// missing are the metric columns the file predates, at its end.
	missing int
	padded  []string

	Record []string // the row as read, until the next call of Next
	Point  string
	Trial  int
}

type trialCounts struct {
	measured, converged int
	n                   []int // per metric, the trials with a value
}

// HasTrials says whether the result has trials.csv; results written
// before it was added do not.
func (r *ResultDir) HasTrials() bool { return r.trials != nil }

// ScanTrials starts reading trials.csv from its first row.
func (r *ResultDir) ScanTrials() (*TrialsScanner, error) {
	if err := r.Require(TrialsFile); err != nil {
		return nil, err
	}
	path := filepath.Join(r.Dir, TrialsFile)
	s := &TrialsScanner{path: path, sum: r.Summary, count: trialCounts{n: make([]int, len(Metrics))},
		cr: csv.NewReader(io.NewSectionReader(r.trials, 0, maxTrialsBytes))}
	s.cr.ReuseRecord = true
	want := TrialsHeader(r.Summary.Sweep)
	header, err := readHeader(path, s.cr, want)
	if err != nil {
		return nil, err
	}
	// trials.csv written before the faults' metrics lacks their columns,
	// and one written before the mongering metrics lacks theirs too; they
	// come last: those trials have none of them.
	for _, cut := range []int{len(faultMetrics), len(faultMetrics) + len(mongeringMetrics)} {
		if older := want[:len(want)-cut]; len(header) == len(older) {
			want, s.missing = older, cut
			break
		}
	}
	if err := checkHeader(path, header, want); err != nil {
		return nil, err
	}
	s.cr.FieldsPerRecord = len(want)
	return s, nil
}

// CheckTrials reads trials.csv through, if the result has one.
func (r *ResultDir) CheckTrials() error {
	if !r.HasTrials() {
		return nil
	}
	s, err := r.ScanTrials()
	if err != nil {
		return err
	}
	for {
		ok, err := s.Next()
		if !ok || err != nil {
			return err
		}
	}
}

// CheckRows reads rounds.csv, one trial at a time (EachTrial, calling fn),
// and trials.csv through (CheckTrials), each where the result has it, so
// that every reader refuses the same rows (report, and compare even under
// Welch, which needs neither file). It streams: nothing but one trial is
// held at once.
func (r *ResultDir) CheckRows(fn func(point string, tr *engine.Trace) error) error {
	if r.rounds != nil {
		if err := r.EachTrial(fn); err != nil {
			return err
		}
	}
	return r.CheckTrials()
}

// Line is the line of the row Next read last.
func (s *TrialsScanner) Line() int {
	line, _ := s.cr.FieldPos(0)
	return line
}

// Next reads the next row; false at the end of the file, once every
// point's trials have been read.
func (s *TrialsScanner) Next() (bool, error) {
	rec, err := s.cr.Read()
	if errors.Is(err, io.EOF) {
		if len(s.sum.Points) > 0 {
			if err := s.endPoint(); err != nil {
				return false, resultErrorf(s.path, "%w", err)
			}
			if s.pi < len(s.sum.Points)-1 {
				return false, resultErrorf(s.path, "no rows for point %s", s.sum.Points[s.pi+1].ID)
			}
		}
		return false, nil
	}
	if err != nil {
		return false, resultErrorf(s.path, "%w", err)
	}
	bad := func(format string, args ...any) (bool, error) {
		return false, resultErrorf(fmt.Sprintf("%s:%d", s.path, s.Line()), format, args...)
	}
	if len(s.sum.Points) == 0 {
		return bad("point %q is not in %s", rec[0], SummaryFile)
	}
	if p := &s.sum.Points[s.pi]; rec[0] != p.ID {
		if err := s.endPoint(); err != nil {
			return bad("%w", err)
		}
		if s.pi++; s.pi >= len(s.sum.Points) || rec[0] != s.sum.Points[s.pi].ID {
			return bad("point %q: not the next point of %s", rec[0], SummaryFile)
		}
		s.next, s.count = 0, trialCounts{n: make([]int, len(Metrics))}
	}
	p := &s.sum.Points[s.pi]
	k := len(s.sum.Sweep)
	if err := checkSwept(s.sum.Sweep, p.ID, PointValues(p.ID), rec[1:1+k]); err != nil {
		return bad("%w", err)
	}
	lead := rec[1+k:]
	trial, err := strconv.Atoi(lead[0])
	if err != nil || trial != s.next {
		return bad("point %s: trial %q, want %d (every trial once, in order)", p.ID, lead[0], s.next)
	}
	if trial >= p.Trials+p.Unmeasured {
		return bad("point %s: trial %d, but the point ran %d", p.ID, trial, p.Trials+p.Unmeasured)
	}
	if _, err := strconv.ParseUint(lead[1], 10, 64); err != nil {
		return bad("seed %q: not a seed", lead[1])
	}
	values := lead[5:]
	if s.missing > 0 {
		s.padded = append(append(s.padded[:0], values...), make([]string, s.missing)...)
		values = s.padded
	}
	switch lead[2] {
	case "false":
		for i, c := range append([]string{lead[3], lead[4]}, values...) {
			if c != "" {
				return bad("point %s trial %d is unmeasured, but %s is %q", p.ID, trial, TrialsHeader(s.sum.Sweep)[1+k+3+i], c)
			}
		}
	case "true":
		if err := s.measured(p, lead[3], lead[4], values); err != nil {
			return bad("point %s trial %d: %w", p.ID, trial, err)
		}
	default:
		return bad("measured %q: want true or false", lead[2])
	}
	s.next++
	s.Record, s.Point, s.Trial = rec, p.ID, trial
	return true, nil
}

// decimal is the syntax of a metric's value: what strconv.FormatFloat
// writes for a number 0 or more ('g', -1), and what every CSV reader reads
// as that number. strconv.ParseFloat alone also takes hex floats, digits
// with underscores, signs, NaN and Inf, which pandas reads as text.
var decimal = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$`)

// measured checks a measured trial's cells and counts them.
func (s *TrialsScanner) measured(p *PointSummary, converged, rounds string, values []string) error {
	s.count.measured++
	switch converged {
	case "true":
		s.count.converged++
	case "false":
	default:
		return fmt.Errorf("converged %q: want true or false", converged)
	}
	last, err := strconv.Atoi(rounds)
	if err != nil || last < 0 || last > p.Params.MaxRounds {
		return fmt.Errorf("rounds %q: want a round from 0 to max_rounds %d", rounds, p.Params.MaxRounds)
	}
	graph, num := map[string]string{}, map[string]float64{}
	for i, m := range Metrics {
		if m.Name == RoundsToFull && (values[i] != "") != (converged == "true") {
			// A trial converged exactly when every alive node was informed
			// at the end of a round (docs/design.md, "Round semantics").
			return fmt.Errorf("converged is %s, but rounds_to_full is %q", converged, values[i])
		}
		if values[i] == "" {
			continue
		}
		v, err := strconv.ParseFloat(values[i], 64)
		switch {
		case err != nil || !decimal.MatchString(values[i]) || math.IsInf(v, 0):
			return fmt.Errorf("%s %q: want a number, 0 or more, or nothing", m.Name, values[i])
		case m.Share && v > 1:
			return fmt.Errorf("%s %g: it is a share, at most 1", m.Name, v)
		case m.Rounds && (v != math.Trunc(v) || v > float64(p.Params.MaxRounds)):
			return fmt.Errorf("%s %g: want a round from 0 to max_rounds %d", m.Name, v, p.Params.MaxRounds)
		case m.Rounds && v > float64(last):
			return fmt.Errorf("%s %g: after the trial's last round %d", m.Name, v, last)
		}
		s.count.n[i]++
		if m.Graph {
			graph[m.Name], num[m.Name] = values[i], v
		}
	}
	return checkGraphRow(p, graph, num)
}

// endPoint checks that the point being read had every trial, and as many
// measured, converged and valued ones as summary.json says.
func (s *TrialsScanner) endPoint() error {
	p := &s.sum.Points[s.pi]
	c := s.count
	switch {
	case s.next != p.Trials+p.Unmeasured:
		return fmt.Errorf("point %s: %d trials, but the point ran %d", p.ID, s.next, p.Trials+p.Unmeasured)
	case c.measured != p.Trials || c.converged != p.Converged:
		return fmt.Errorf("point %s: %d measured and %d converged trials, but %s has %d and %d",
			p.ID, c.measured, c.converged, SummaryFile, p.Trials, p.Converged)
	}
	for i, m := range Metrics {
		if want := p.Metrics[m.Name].N; c.n[i] != want {
			return fmt.Errorf("point %s: %d trials with %s, but %s counts %d", p.ID, c.n[i], m.Name, SummaryFile, want)
		}
	}
	return nil
}
