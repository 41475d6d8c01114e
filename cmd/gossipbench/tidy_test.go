package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// The data files a pandas user loads: every swept key is a column of
// rounds.csv and trials.csv holding the point's value (checked against
// summary.json's params, not against the ID the files are written from),
// and trials.csv's metrics are those rounds.csv gives when recomputed here
// from the definitions in docs/design.md, "Metrics", with empty cells
// where a trial has no value.
func TestTidyDataFiles(t *testing.T) {
	root := t.TempDir()
	yaml := filepath.Join(root, "tidy.yaml")
	// Short runs with loss and a crash: some trials never reach every
	// node, so rounds_to_full has empty cells.
	os.WriteFile(yaml, []byte("name: tidy\nnodes: 40\nfanout: 1\nmax_rounds: 9\ntrials: 12\nseed: 3\n"+
		"failures: [{round: 3, crash: 0.1}]\nsweep:\n  mode: [push, pushpull]\n  loss: [0, 0.25]\n"), 0o644)
	cli(t, "run", "--quiet", "--out", root, yaml)
	dir := filepath.Join(root, "tidy")
	var sum results.Summary
	readJSON(t, filepath.Join(dir, results.SummaryFile), &sum)
	params := map[string]map[string]string{} // point ID -> swept key -> value, from params
	for _, p := range sum.Points {
		params[p.ID] = map[string]string{"mode": p.Params.Mode.String(), "loss": strconv.FormatFloat(p.Params.Loss, 'g', -1, 64)}
	}
	checkSwept := func(file string, header []string, row []string, line int) {
		col := columns(header)
		want := params[row[col["point"]]]
		if want == nil {
			t.Fatalf("%s:%d: point %q is not in summary.json", file, line, row[col["point"]])
		}
		for _, key := range sum.Sweep {
			if i, ok := col[key]; !ok || row[i] != want[key] {
				t.Fatalf("%s:%d: %s column %v holds %q, the point's params %q", file, line, key, ok, row[i], want[key])
			}
		}
	}

	// Recompute each trial from rounds.csv.
	type trial struct {
		point                                      string
		rows                                       [][]float64 // round, informed, alive, sent, delivered, failed, redundant
		sent, delivered, failed, redundant, rounds float64
	}
	var order []string
	trials := map[string]*trial{}
	rounds := readCSVFile(t, filepath.Join(dir, results.RoundsFile))
	rc := columns(rounds[0])
	for i, r := range rounds[1:] {
		checkSwept(results.RoundsFile, rounds[0], r, i+2)
		key := r[rc["point"]] + "/" + r[rc["trial"]]
		tr := trials[key]
		if tr == nil {
			tr = &trial{point: r[rc["point"]]}
			trials[key] = tr
			order = append(order, key)
		}
		var v []float64
		for _, c := range []string{"round", "informed", "alive", "sent", "delivered", "failed", "redundant"} {
			x, err := strconv.ParseFloat(r[rc[c]], 64)
			if err != nil {
				t.Fatal(err)
			}
			v = append(v, x)
		}
		tr.rows = append(tr.rows, v)
		tr.rounds, tr.sent, tr.delivered, tr.failed, tr.redundant = v[0], tr.sent+v[3], tr.delivered+v[4], tr.failed+v[5], tr.redundant+v[6]
	}
	cell := func(x float64, ok bool) string {
		if !ok {
			return ""
		}
		return fmt.Sprint(x)
	}
	roundsTo := func(tr *trial, frac float64) string {
		for _, v := range tr.rows {
			if v[2] > 0 && (frac == 1 && v[1] == v[2] || frac < 1 && v[1] >= frac*v[2]) {
				return fmt.Sprint(v[0])
			}
		}
		return ""
	}

	rows := readCSVFile(t, filepath.Join(dir, results.TrialsFile))
	tc := columns(rows[0])
	if len(rows)-1 != len(sum.Points)*12 || len(order) != len(rows)-1 {
		t.Fatalf("trials.csv has %d rows, rounds.csv %d trials, want %d", len(rows)-1, len(order), len(sum.Points)*12)
	}
	empty, seeds := 0, map[string]bool{}
	for i, r := range rows[1:] {
		line := i + 2
		checkSwept(results.TrialsFile, rows[0], r, line)
		key := r[tc["point"]] + "/" + r[tc["trial"]]
		if key != order[i] {
			t.Fatalf("trials.csv:%d is trial %s, rounds.csv's trial %d is %s", line, key, i, order[i])
		}
		tr := trials[key]
		final := tr.rows[len(tr.rows)-1]
		nodes := 40.0
		converged := final[2] > 0 && final[1] == final[2]
		want := map[string]string{
			"measured": "true", "converged": fmt.Sprint(converged), "rounds": fmt.Sprint(tr.rounds),
			results.RoundsTo50: roundsTo(tr, 0.5), results.RoundsTo90: roundsTo(tr, 0.9),
			results.RoundsTo99: roundsTo(tr, 0.99), results.RoundsToFull: roundsTo(tr, 1),
			results.MessagesPerNode: cell(tr.sent/nodes, true),
			results.Redundancy:      cell(tr.redundant/tr.delivered, tr.delivered > 0),
			results.Residue:         cell((final[2]-final[1])/final[2], true),
			results.FailedFraction:  cell(tr.failed/tr.sent, tr.sent > 0),
			// The memory engine measures no bytes and no time: empty, not 0.
			results.BytesPerNode: "", results.BytesPerMessage: "", results.SecondsPerRound: "",
		}
		if tr.delivered == 0 {
			want[results.Redundancy] = "0"
		}
		for c, w := range want {
			got := r[tc[c]]
			if g, err1 := strconv.ParseFloat(got, 64); err1 == nil {
				if x, err2 := strconv.ParseFloat(w, 64); err2 == nil && math.Abs(g-x) <= 1e-12*math.Max(1, math.Abs(x)) {
					continue
				}
			}
			if got != w {
				t.Errorf("trials.csv:%d (%s): %s is %q, rounds.csv gives %q", line, key, c, got, w)
			}
		}
		if r[tc[results.RoundsToFull]] == "" {
			empty++
		}
		if seeds[r[tc["seed"]]] || r[tc["seed"]] == "" {
			t.Errorf("trials.csv:%d: seed %q is empty or another trial's", line, r[tc["seed"]])
		}
		seeds[r[tc["seed"]]] = true
	}
	if empty == 0 {
		t.Error("every trial reached every node: the test no longer sees an empty cell")
	}
	// Every metric of the registry is a column, so a user never recomputes one.
	for _, m := range results.Metrics {
		if _, ok := tc[m.Name]; !ok {
			t.Errorf("trials.csv has no %s column", m.Name)
		}
	}
}
