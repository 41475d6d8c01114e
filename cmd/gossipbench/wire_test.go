package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report"
)

// onTheWire are the metrics only the http engine measures.
var onTheWire = map[string]bool{results.BytesPerNode: true, results.BytesPerMessage: true, results.SecondsPerRound: true}

// Bytes on the wire and the time a round takes are measured by the http
// engine only: its points have them in summary.json, the run table, the
// page and compare, with values that agree with rounds.csv and
// manifest.json; memory points leave them out, and a memory-only result
// shows no column of dashes for them.
func TestWireMetrics(t *testing.T) {
	root := t.TempDir()
	base, branch, mem := filepath.Join(root, "base"), filepath.Join(root, "new"), filepath.Join(root, "mem")
	table := cli(t, "run", "--out", base, "testdata/engines.yaml")
	cli(t, "run", "--quiet", "--seed", "2", "--out", branch, "testdata/engines.yaml")
	memTable := cli(t, "run", "--out", mem, "testdata/tiny.yaml")
	cli(t, "report", "--quiet", base)
	cli(t, "report", "--quiet", mem)
	compared := cli(t, "compare", "--all", base, branch)

	dir := filepath.Join(base, "engines")
	var sum results.Summary
	readJSON(t, filepath.Join(dir, results.SummaryFile), &sum)
	var man results.Manifest
	readJSON(t, filepath.Join(dir, results.ManifestFile), &man)

	// Per trial, from rounds.csv: bytes and messages sent, and rounds.
	type totals struct{ bytes, sent, rounds float64 }
	byTrial := map[string][]totals{}
	rows := readCSVFile(t, filepath.Join(dir, results.RoundsFile))
	col := columns(rows[0])
	for _, r := range rows[1:] {
		id := r[col["point"]]
		tr, _ := strconv.Atoi(r[col["trial"]])
		for len(byTrial[id]) <= tr {
			byTrial[id] = append(byTrial[id], totals{})
		}
		b, _ := strconv.ParseFloat(r[col["bytes"]], 64)
		s, _ := strconv.ParseFloat(r[col["sent"]], 64)
		rd, _ := strconv.ParseFloat(r[col["round"]], 64)
		byTrial[id][tr].bytes += b
		byTrial[id][tr].sent += s
		byTrial[id][tr].rounds = rd
	}
	for _, p := range sum.Points {
		for name := range onTheWire {
			st, ok := p.Metrics[name]
			if p.Params.Engine == "memory" && ok {
				t.Errorf("%s: memory point has %s %+v; the memory engine measures none", p.ID, name, st)
			}
			if p.Params.Engine == "http" && (!ok || st.N != p.Trials || st.Mean <= 0) {
				t.Errorf("%s: http point has %s %+v, want all %d trials", p.ID, name, st, p.Trials)
			}
		}
		if p.Params.Engine != "http" {
			continue
		}
		var perNode, perMsg float64
		for _, tt := range byTrial[p.ID] {
			perNode += tt.bytes / float64(p.Params.Nodes)
			perMsg += tt.bytes / tt.sent
		}
		n := float64(len(byTrial[p.ID]))
		if got := p.Metrics[results.BytesPerNode].Mean; math.Abs(got-perNode/n) > 1e-9*got {
			t.Errorf("%s: bytes_per_node %g, rounds.csv gives %g", p.ID, got, perNode/n)
		}
		if got := p.Metrics[results.BytesPerMessage].Mean; math.Abs(got-perMsg/n) > 1e-9*got {
			t.Errorf("%s: bytes_per_message %g, rounds.csv gives %g", p.ID, got, perMsg/n)
		}
		// Times live in manifest.json per trial only as statistics:
		// each trial's seconds per round times its rounds is a wall time
		// within their range.
		wall := man.Points[slices.IndexFunc(man.Points, func(pt results.PointTiming) bool { return pt.ID == p.ID })].WallSeconds
		trials := readCSVFile(t, filepath.Join(dir, results.TrialsFile))
		tc := columns(trials[0])
		for _, r := range trials[1:] {
			if r[tc["point"]] != p.ID {
				continue
			}
			spr, err1 := strconv.ParseFloat(r[tc[results.SecondsPerRound]], 64)
			rounds, err2 := strconv.ParseFloat(r[tc["rounds"]], 64)
			if w := spr * rounds; err1 != nil || err2 != nil || w < wall.Min*(1-1e-9) || w > wall.Max*(1+1e-9) {
				t.Errorf("%s trial %s: seconds_per_round %q x %q rounds is outside the wall times %g..%g", p.ID, r[tc["trial"]],
					r[tc[results.SecondsPerRound]], r[tc["rounds"]], wall.Min, wall.Max)
			}
		}
	}

	page := readFile(t, filepath.Join(dir, "index.html"))
	memPage := readFile(t, filepath.Join(mem, "tiny", "index.html"))
	for _, m := range results.Metrics {
		if !onTheWire[m.Name] {
			continue
		}
		if !strings.Contains(table, m.Label) || strings.Contains(memTable, m.Label) {
			t.Errorf("the run table should show %q for http results only:\n%s\n%s", m.Label, table, memTable)
		}
		if !strings.Contains(page, "<th>"+report.HeaderText(m.Label)) || strings.Contains(memPage, "<th>"+report.HeaderText(m.Label)) {
			t.Errorf("the scenario page should show %q for http results only", m.Label)
		}
		if !strings.Contains(compared, " "+m.Name+" ") {
			t.Errorf("compare's table lacks %s:\n%s", m.Name, compared)
		}
	}
	// The memory row of the run table has a dash where the http row has bytes.
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "engine=memory" && !slices.Contains(f, "-") {
			t.Errorf("the memory point's row shows bytes: %s", line)
		}
	}
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func columns(header []string) map[string]int {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	return col
}
