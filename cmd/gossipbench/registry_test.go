package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report"
)

// A metric is defined once, in results.Metrics: one added there, and
// nowhere else, reaches summary.json, the run table, the report's pages
// and compare, as every registered metric does. (Not parallel: it edits
// the registry for its duration.)
func TestOneEntryAddsAMetricEverywhere(t *testing.T) {
	saved := results.Metrics
	t.Cleanup(func() { results.Metrics = saved })
	results.Metrics = append(slices.Clip(saved), results.Metric{
		Name: "sent_per_round", Label: "sent/round", Unit: "messages", Digits: 2, Headline: true,
		Of: func(t results.Trial) (float64, bool) {
			return float64(t.Totals().Sent) / float64(len(t.Rounds)), true
		},
	})

	root := t.TempDir()
	yaml := filepath.Join(root, "tiny.yaml")
	raw, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(yaml, raw, 0o644)
	base, branch := filepath.Join(root, "base"), filepath.Join(root, "new")
	table := cli(t, "run", "--out", base, yaml)
	cli(t, "run", "--quiet", "--seed", "8", "--out", branch, yaml)
	cli(t, "report", "--quiet", base)
	compared := cli(t, "compare", "--all", base, branch) // every row, changed or not

	var sum struct {
		Points []struct {
			Metrics map[string]json.RawMessage `json:"metrics"`
		} `json:"points"`
	}
	readJSON(t, filepath.Join(base, "tiny", results.SummaryFile), &sum)
	page := readFile(t, filepath.Join(base, "tiny", "index.html"))
	index := readFile(t, filepath.Join(base, "index.html"))
	for _, m := range results.Metrics {
		if onTheWire[m.Name] { // tiny runs on the memory engine: TestWireMetrics
			continue
		}
		if strings.HasPrefix(m.Name, "graph_") { // tiny runs on the complete graph, which has no graph facts
			continue
		}
		if m.Mongering { // tiny spreads forever: TestMongeringMetricsShow
			continue
		}
		if m.Faults { // tiny has no faults over time: TestFaultMetricsShow
			continue
		}
		if _, ok := sum.Points[0].Metrics[m.Name]; !ok {
			t.Errorf("summary.json lacks %s", m.Name)
		}
		if !strings.Contains(page, "<th>"+report.HeaderText(m.Label)) {
			t.Errorf("the scenario page's table lacks %q", m.Label)
		}
		if !strings.Contains(compared, " "+m.Name+" ") {
			t.Errorf("compare's table lacks %s", m.Name)
		}
		if !m.Headline {
			continue
		}
		if !strings.Contains(table, m.Label) {
			t.Errorf("the run table lacks %q:\n%s", m.Label, table)
		}
		if !strings.Contains(index, "<th>"+report.HeaderText(m.Label)) {
			t.Errorf("the index's table lacks %q", m.Label)
		}
	}
}

// Every parameter of a scenario (results.Params, the one definition)
// reaches summary.json's params, and compare names those that differ,
// http and replay settings included.
func TestEveryParamReachesSummaryAndCompare(t *testing.T) {
	root := t.TempDir()
	scenario := func(extra string) string {
		path := filepath.Join(root, "s.yaml")
		// Faults over time set so that summary.json holds their params,
		// which it leaves out for points without them.
		os.WriteFile(path, []byte("name: p\nnodes: 60\nfanout: 2\ntrials: 3\nfailures: [{round: 2, hang: 0.1}]\n"+
			"partitions: [{round: 2, heal: 4, groups: 2}]\nchurn: {leave: 0.02, join: 0.02, until: 5}\n"+extra), 0o644)
		return path
	}
	base, branch := filepath.Join(root, "base"), filepath.Join(root, "new")
	cli(t, "run", "--quiet", "--out", base, scenario(""))
	cli(t, "run", "--quiet", "--out", branch, scenario("http: {latency: 5ms, timeout: 2s}\nreplay: {max_nodes: 10}\nsource: 3\n"))

	var sum struct {
		Points []struct {
			Params map[string]any `json:"params"`
		} `json:"points"`
	}
	readJSON(t, filepath.Join(base, "p", results.SummaryFile), &sum)
	for _, f := range results.ParamFields(results.Params{}) {
		var v any = sum.Points[0].Params
		for _, k := range strings.Split(f.Key, ".") {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		if v == nil {
			t.Errorf("summary.json's params lack %s", f.Key)
		}
	}
	compared := cli(t, "compare", base, branch)
	for _, want := range []string{"BASE has http.latency 0s, NEW has http.latency 5ms", "BASE has http.timeout 5s, NEW has http.timeout 2s",
		"BASE has replay.max_nodes 1000, NEW has replay.max_nodes 10", "BASE has source -1, NEW has source 3"} {
		if !strings.Contains(compared, "note: "+want) {
			t.Errorf("compare does not note %q:\n%s", want, compared)
		}
	}
}

// cli runs a command in-process and returns its stdout, failing on a
// non-zero exit.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := gossipbench(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	return stdout
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
