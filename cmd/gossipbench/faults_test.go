package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report"
)

// The metrics of faults over time reach summary.json, the scenario page,
// compare and the run table for a point with a partition, and a point
// without faults over time has none of them.
func TestFaultMetricsShow(t *testing.T) {
	root := t.TempDir()
	yaml := filepath.Join(root, "split.yaml")
	os.WriteFile(yaml, []byte("name: split\nnodes: 60\ntrials: 4\nmode: pushpull\nmax_rounds: 40\n"+
		"partitions: [{round: 2, heal: 6, groups: 2}]\nsweep:\n  partitions.heal: [4, 8]\n"), 0o644)
	plain := filepath.Join(root, "plain.yaml")
	os.WriteFile(plain, []byte("name: plain\nnodes: 60\ntrials: 2\nfailures: [{round: 2, crash: 0.1}]\n"), 0o644)
	base, branch := filepath.Join(root, "base"), filepath.Join(root, "new")
	table := cli(t, "run", "--out", base, yaml)
	cli(t, "run", "--quiet", "--out", base, plain)
	cli(t, "run", "--quiet", "--seed", "8", "--out", branch, yaml)
	cli(t, "report", "--quiet", base)
	compared := cli(t, "compare", "--all", base, branch)
	type summary struct {
		Points []struct {
			Metrics map[string]json.RawMessage `json:"metrics"`
			Curve   results.Curve              `json:"curve"`
		} `json:"points"`
	}
	var sum, none summary
	readJSON(t, filepath.Join(base, "split", results.SummaryFile), &sum)
	readJSON(t, filepath.Join(base, "plain", results.SummaryFile), &none)
	page := readFile(t, filepath.Join(base, "split", "index.html"))
	for _, name := range []string{results.RoundsToReconverge, results.CutMessages, results.CutFraction} {
		m, _ := results.MetricNamed(name)
		if _, ok := sum.Points[0].Metrics[name]; !ok {
			t.Errorf("summary.json lacks %s", name)
		}
		if _, ok := none.Points[0].Metrics[name]; ok {
			t.Errorf("a point without faults over time has %s", name)
		}
		if !strings.Contains(page, "<th>"+report.HeaderText(m.Label)) {
			t.Errorf("the scenario page's table lacks %q", m.Label)
		}
		if !strings.Contains(compared, " "+name+" ") {
			t.Errorf("compare's table lacks %s", name)
		}
	}
	if !strings.Contains(table, "rounds reconverge") {
		t.Errorf("the run table lacks rounds reconverge:\n%s", table)
	}
	c := sum.Points[0].Curve
	if len(c.CutMean) != len(c.Round) || len(c.DownMean) != len(c.Round) || c.CutMean[2] == 0 || c.CutMean[len(c.CutMean)-1] != 0 {
		t.Errorf("the curve's cut_mean %v: messages cut from round 2 until the heal, none after", c.CutMean)
	}
	if none.Points[0].Curve.CutMean != nil {
		t.Errorf("a point without faults over time has fault curves")
	}
}
