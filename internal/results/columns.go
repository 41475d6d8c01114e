package results

import (
	"strconv"
	"strings"
)

// rounds.csv and trials.csv are tidy: besides the point's ID, each has a
// column per swept key holding the point's value of it, so that a table
// library groups and plots by parameter without parsing IDs
// (docs/design.md, "rounds.csv" and "trials.csv"). Both files spell the
// columns the same way, here.

// roundsCounts are rounds.csv's columns after the trial number.
var roundsCounts = []string{"round", "informed", "new", "alive", "sent",
	"delivered", "lost", "failed", "useful", "redundant", "bytes", "infective", "removed", "rumors",
	"down", "recovering", "cut"}

// roundsMongering are the last columns of roundsCounts, which rounds.csv
// written before rumor mongering lacks: its rows read as infective =
// informed, removed 0, rumors 0 (one rumor), which is what they were.
const roundsMongering = 3

// roundsFaults are the columns after them, which rounds.csv written
// before faults over time lacks: its rows read as down, recovering and
// cut 0 (engine.RoundStats).
const roundsFaults = 3

// RoundsHeader is the first row of rounds.csv for a scenario sweeping
// sweep: point, the swept keys, trial, then the counts. Results written
// before the swept columns have RoundsHeader(nil) whatever the sweep.
func RoundsHeader(sweep []string) []string {
	return append(pointColumns(sweep, "trial"), roundsCounts...)
}

// trialsLead are trials.csv's columns after the trial number, before the
// metrics.
var trialsLead = []string{"seed", "measured", "converged", "rounds"}

// TrialsHeader is the first row of trials.csv: point, the swept keys,
// trial, seed, measured, converged, rounds, then every metric of Metrics
// by name.
func TrialsHeader(sweep []string) []string {
	return append(append(pointColumns(sweep, "trial"), trialsLead...), MetricNames()...)
}

func pointColumns(sweep []string, then ...string) []string {
	cols := append([]string{"point"}, sweep...)
	return append(cols, then...)
}

// PointValues are the values a point ID gives its swept keys, in order:
// "mode=push,nodes=100" gives push and 100, base nothing. The reader has
// checked that the IDs of a summary are their points' own.
func PointValues(id string) []string {
	if id == "base" {
		return nil
	}
	pairs := strings.Split(id, ",")
	for i, pair := range pairs {
		_, pairs[i], _ = strings.Cut(pair, "=")
	}
	return pairs
}

// AppendTrialRow appends a trial as trials.csv has it (TrialsHeader) to
// row: the one place that spells a row out. t is nil for a trial that
// ran but could not be measured: its cells but the seed are empty, as
// are those of metrics the trial has no value for.
func AppendTrialRow(row []string, point string, trial int, seed uint64, t *Trial) []string {
	row = append(row, point)
	row = append(row, PointValues(point)...)
	row = append(row, strconv.Itoa(trial), strconv.FormatUint(seed, 10))
	if t == nil {
		row = append(row, "false", "", "")
		for range Metrics {
			row = append(row, "")
		}
		return row
	}
	row = append(row, "true", strconv.FormatBool(t.Converged()), strconv.Itoa(t.Final().Round))
	for _, m := range Metrics {
		v, ok := m.Value(*t)
		if !ok {
			row = append(row, "")
			continue
		}
		row = append(row, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return row
}
