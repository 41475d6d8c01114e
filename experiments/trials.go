package experiments

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/gossipbench/gossipbench/engine"
)

// roundsTo are the rounds-to metrics and the fraction of alive nodes each
// waits for.
var roundsTo = []struct {
	metric string
	frac   float64
}{{RoundsTo50, 0.5}, {RoundsTo90, 0.9}, {RoundsTo99, 0.99}, {RoundsToFull, 1}}

// TrialMetrics are one trial's values of the per-trial metrics, named as in
// summary.json: the one place summary.json, report and compare take them
// from (the definitions are engine.Trace's). A rounds-to metric
// is absent when the trial never got there, failed_fraction when it sent
// nothing.
func TrialMetrics(tr *engine.Trace, nodes int) map[string]float64 {
	m := map[string]float64{}
	for _, rt := range roundsTo {
		if r, ok := tr.RoundsTo(rt.frac); ok {
			m[rt.metric] = float64(r)
		}
	}
	m[MessagesPerNode] = tr.MessagesPerNode(nodes)
	m[Redundancy] = tr.Redundancy()
	m[Residue] = tr.Residue()
	if f, ok := tr.FailedFraction(); ok {
		m[FailedFraction] = f
	}
	return m
}

// ReadRounds reads rounds.csv back into traces: point ID to its trials, in
// file order, with every round's counts (no replays). Each trial's rounds
// must run 0, 1, 2, ... Errors name the file and line.
func ReadRounds(path string) (map[string][]*engine.Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(header) != len(RoundsHeader) {
		return nil, fmt.Errorf("%s: %d columns, want %d (%v)", path, len(header), len(RoundsHeader), RoundsHeader)
	}
	for i, h := range RoundsHeader {
		if header[i] != h {
			return nil, fmt.Errorf("%s: column %d is %q, want %q", path, i+1, header[i], h)
		}
	}
	out := map[string][]*engine.Trace{}
	lastTrial := map[string]int{}
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var v [12]int64
		for i := range v {
			if v[i], err = strconv.ParseInt(rec[i+1], 10, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %w", path, line, RoundsHeader[i+1], err)
			}
		}
		point, trial, round := rec[0], int(v[0]), int(v[1])
		trials := out[point]
		if last, seen := lastTrial[point]; !seen || trial != last {
			if round != 0 {
				return nil, fmt.Errorf("%s:%d: point %s trial %d starts at round %d, not 0", path, line, point, trial, round)
			}
			trials = append(trials, &engine.Trace{})
			out[point], lastTrial[point] = trials, trial
		}
		tr := trials[len(trials)-1]
		if round != len(tr.Rounds) {
			return nil, fmt.Errorf("%s:%d: point %s trial %d: round %d follows round %d", path, line, point, trial, round, len(tr.Rounds)-1)
		}
		tr.Rounds = append(tr.Rounds, engine.RoundStats{Round: round, Informed: int(v[2]), New: int(v[3]),
			Alive: int(v[4]), Sent: int(v[5]), Delivered: int(v[6]), Lost: int(v[7]), Failed: int(v[8]),
			Useful: int(v[9]), Redundant: int(v[10]), Bytes: v[11]})
	}
}
