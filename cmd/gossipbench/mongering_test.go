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

// The mongering metrics reach summary.json, the scenario page and compare
// for a point that runs rumor mongering, and stay out of a wave-1 run's
// table. (Not parallel, as TestOneEntryAddsAMetricEverywhere.)
func TestMongeringMetricsShow(t *testing.T) {
	root := t.TempDir()
	yaml := filepath.Join(root, "monger.yaml")
	os.WriteFile(yaml, []byte("name: monger\nnodes: 40\ntrials: 3\npreset: memberlist-lan\nrumors: {count: 2, every: 1}\n"), 0o644)
	base, branch := filepath.Join(root, "base"), filepath.Join(root, "new")
	table := cli(t, "run", "--out", base, yaml)
	cli(t, "run", "--quiet", "--seed", "8", "--out", branch, yaml)
	cli(t, "report", "--quiet", base)
	compared := cli(t, "compare", "--all", base, branch)
	var sum struct {
		Points []struct {
			Params  results.Params             `json:"params"`
			Metrics map[string]json.RawMessage `json:"metrics"`
			Rumors  *results.RumorSummary      `json:"rumors"`
		} `json:"points"`
	}
	readJSON(t, filepath.Join(base, "monger", results.SummaryFile), &sum)
	p := sum.Points[0]
	if p.Params.Preset != "memberlist-lan" || p.Params.Fanout != 3 || p.Params.Stop.Mult != 4 || p.Params.RoundSeconds != 0.2 {
		t.Errorf("params %+v", p.Params)
	}
	if p.Rumors == nil || len(p.Rumors.PerRumor) != 2 {
		t.Errorf("rumors %+v", p.Rumors)
	}
	page := readFile(t, filepath.Join(base, "monger", "index.html"))
	for _, name := range []string{results.RoundsToQuiet, results.LastInformedRound, results.MeanInformedRound} {
		m, _ := results.MetricNamed(name)
		if _, ok := p.Metrics[name]; !ok {
			t.Errorf("summary.json lacks %s", name)
		}
		if !strings.Contains(page, "<th>"+report.HeaderText(m.Label)) {
			t.Errorf("the scenario page's table lacks %q", m.Label)
		}
		if !strings.Contains(compared, " "+name+" ") {
			t.Errorf("compare's table lacks %s", name)
		}
	}
	for _, label := range []string{"rounds quiet", "t_last", "residue"} {
		if !strings.Contains(table, label) {
			t.Errorf("the run table lacks %q:\n%s", label, table)
		}
	}
	tiny := cli(t, "run", "--out", filepath.Join(root, "tiny"), "testdata/tiny.yaml")
	for _, label := range []string{"rounds quiet", "t_last", "t_ave", "residue"} {
		if strings.Contains(tiny, label) {
			t.Errorf("a wave-1 run's table shows %q:\n%s", label, tiny)
		}
	}
}
