package report

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

// tinyRumors is a run of 2 rumors on 4 nodes, 2 trials of 5 rounds; its
// rounds.csv and a hand-written rumors.csv that sums to it (the reader
// holds the two together) replace what the run wrote.
const (
	tinyRumorsYAML = "name: tiny\nnodes: 4\nmode: push\ntrials: 2\nseed: 1\nmax_rounds: 20\n" +
		"stop: {rule: counter, k: 1}\nrumors: {count: 2, every: 1}\n"
	tinyRounds = `point,trial,round,informed,new,alive,sent,delivered,lost,failed,useful,redundant,bytes,infective,removed,rumors
base,0,0,1,1,4,0,0,0,0,0,0,0,1,0,1
base,0,1,3,2,4,1,1,0,0,1,0,0,2,1,2
base,0,2,5,2,4,2,2,0,0,2,0,0,2,3,2
base,0,3,7,2,4,2,2,0,0,2,0,0,2,5,2
base,0,4,7,0,4,1,1,0,0,0,1,0,0,7,2
base,1,0,1,1,4,0,0,0,0,0,0,0,1,0,1
base,1,1,3,2,4,1,1,0,0,1,0,0,2,1,2
base,1,2,5,2,4,2,2,0,0,2,0,0,2,3,2
base,1,3,6,1,4,2,2,0,0,1,1,0,1,5,2
base,1,4,6,0,4,1,1,0,0,0,1,0,0,6,2
`
	tinyRumorsCSV = `point,trial,round,rumor,informed,new,infective,removed
base,0,0,0,1,1,1,0
base,0,1,0,2,1,1,1
base,0,1,1,1,1,1,0
base,0,2,0,3,1,1,2
base,0,2,1,2,1,1,1
base,0,3,0,4,1,1,3
base,0,3,1,3,1,1,2
base,0,4,0,4,0,0,4
base,0,4,1,3,0,0,3
base,1,0,0,1,1,1,0
base,1,1,0,2,1,1,1
base,1,1,1,1,1,1,0
base,1,2,0,3,1,1,2
base,1,2,1,2,1,1,1
base,1,3,0,3,0,0,3
base,1,3,1,3,1,1,2
base,1,4,0,3,0,0,3
base,1,4,1,3,0,0,3
`
)

// The report reads rumors.csv into each rumor's mean informed fraction
// per round, counted by hand: rumor 0 is 1,2,3,4,4 and 1,2,3,3,3 of 4
// nodes; rumor 1, injected at round 1, 1,2,3,3 in both trials.
func TestRumorCurvesFromRumorsCSV(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, map[string]string{"tiny": tinyRumorsYAML})
	dir := filepath.Join(root, "tiny")
	for name, data := range map[string]string{results.RoundsFile: tinyRounds, results.RumorsFile: tinyRumorsCSV} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rd, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	r, err := load(rd)
	if err != nil {
		t.Fatalf("the hand-written files do not read (has the run changed? rewrite them from it): %v", err)
	}
	nan := math.NaN()
	want := [][]float64{{1. / 4, 2. / 4, 3. / 4, 3.5 / 4, 3.5 / 4}, {nan, 1. / 4, 2. / 4, 3. / 4, 3. / 4}}
	var c *chart.Chart
	for _, ch := range chart.ScenarioOf(r.Summary, r.chartTrials()).Charts {
		if ch.Name == "rumor-curves-0" {
			c = &ch
		}
	}
	if c == nil || len(c.Panels) != 1 || len(c.Panels[0].Series) != 2 {
		t.Fatalf("chart %+v: want rumor-curves-0 with a line per rumor", c)
	}
	for i, s := range c.Panels[0].Series {
		if len(s.Y) != len(want[i]) {
			t.Fatalf("rumor %d: %v, want %v", i, s.Y, want[i])
		}
		for k, w := range want[i] {
			if math.IsNaN(w) != math.IsNaN(s.Y[k]) || (!math.IsNaN(w) && math.Abs(s.Y[k]-w) > 1e-12) {
				t.Errorf("rumor %d round %d: %v, want %v", i, k, s.Y[k], w)
			}
		}
	}
	if c.Panels[0].Series[0].Name != "rumor 0 (first injected)" || c.Panels[0].Series[0].Color == c.Panels[0].Series[1].Color {
		t.Errorf("series %q %s and %q %s: want rumor 0 named first injected, each its own colour", c.Panels[0].Series[0].Name,
			c.Panels[0].Series[0].Color, c.Panels[0].Series[1].Name, c.Panels[0].Series[1].Color)
	}
}

// Pages of one rumor, wave-1 or with a stop rule, have no per-rumor
// curves.
func TestNoRumorCurvesOnOneRumorPages(t *testing.T) {
	root := renderSample(t)
	mongers := t.TempDir()
	writeResults(t, mongers, map[string]string{"coin": mongerScenarios["coin"]})
	if _, err := Render(mongers); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{filepath.Join(root, "sample", "index.html"), filepath.Join(root, "grid", "index.html"),
		filepath.Join(mongers, "coin", "index.html")} {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "rumor-curves") {
			t.Errorf("%s has a per-rumor curve", page)
		}
	}
}
