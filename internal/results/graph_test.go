package results_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/meanfield"
	"github.com/gossipbench/gossipbench/internal/results"
)

// A trial's graph facts are metrics when it has a graph, and absent, not
// 0, when it has none: on the complete graph, and read back from
// rounds.csv, which keeps no graph.
func TestGraphMetricsOnlyWithAGraph(t *testing.T) {
	params := &results.Params{Engine: "memory", Nodes: 10}
	rounds := []engine.RoundStats{{Round: 0, Informed: 1, Alive: 10}, {Round: 1, Informed: 10, Alive: 10, Sent: 1}}
	none := results.TrialMetrics(results.Trial{Trace: &engine.Trace{Rounds: rounds}, Params: params})
	g := &engine.GraphFacts{Nodes: 10, Edges: 12, DegreeMin: 1, DegreeMax: 4, DegreeMean: 2.4, Components: 2, SourceComponent: 8, Diameter: 5}
	with := results.TrialMetrics(results.Trial{Trace: &engine.Trace{Rounds: rounds, Graph: g}, Params: params})
	want := map[string]float64{results.GraphDegreeMean: 2.4, results.GraphDegreeMin: 1, results.GraphDegreeMax: 4,
		results.GraphSourceComponent: 0.8, results.GraphConnected: 0, results.GraphDiameter: 5, results.GraphDiameterExact: 0}
	for name, v := range want {
		if _, ok := none[name]; ok {
			t.Errorf("%s without a graph: %g, want it absent", name, none[name])
		}
		if got, ok := with[name]; !ok || got != v {
			t.Errorf("%s = %g (%v), want %g", name, got, ok, v)
		}
	}
	row := results.AppendTrialRow(nil, "base", 0, 1, &results.Trial{Trace: &engine.Trace{Rounds: rounds}, Params: params})
	header := results.TrialsHeader(nil)
	for name := range want {
		if c := row[slices.Index(header, name)]; c != "" {
			t.Errorf("trials.csv without a graph: %s is %q, want empty", name, c)
		}
	}
}

// topologyYAML is a run of one point without failures; topologyResult
// makes its result into what a run on a random 4-regular graph writes
// (the runner does not run topologies yet: the edit is what it will
// write, and the reader must take it).
const topologyYAML = `
name: graph
nodes: 64
fanout: 1
trials: 3
seed: 9
`

var graphCells = map[string]string{results.GraphDegreeMean: "4", results.GraphDegreeMin: "4", results.GraphDegreeMax: "4",
	results.GraphSourceComponent: "1", results.GraphConnected: "1", results.GraphDiameter: "5", results.GraphDiameterExact: "1"}

func topologyResult(t *testing.T) string {
	dir := writeResult(t, topologyYAML)
	editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) {
		p := point0(m)
		p["params"].(map[string]any)["topology"] = map[string]any{"kind": "regular", "degree": 4, "p": 0, "rewire": 0, "path": ""}
		metrics := p["metrics"].(map[string]any)
		for name, v := range graphCells {
			x := map[string]float64{"4": 4, "1": 1, "5": 5}[v]
			metrics[name] = map[string]any{"n": 3, "mean": x, "sd": 0, "ci95": []any{x, x}, "min": x, "median": x, "max": x}
		}
		p["theory"] = map[string]any{"rounds_to_full": 13.9}
		p["theory_source"] = meanfield.SourceRegular
		p["curve"].(map[string]any)["theory"] = nil
	})
	editTrials(t, dir, func(header []string, row []string) {
		for name, v := range graphCells {
			row[slices.Index(header, name)] = v
		}
	})
	return dir
}

// editTrials edits every data row of trials.csv.
func editTrials(t *testing.T, dir string, edit func(header, row []string)) {
	path := filepath.Join(dir, results.TrialsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	header := strings.Split(lines[0], ",")
	for i := 1; i < len(lines); i++ {
		row := strings.Split(lines[i], ",")
		edit(header, row)
		lines[i] = strings.Join(row, ",")
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

func TestGraphFactsAndTopologyTheoryAreChecked(t *testing.T) {
	good := topologyResult(t)
	if err := readEverything(good); err != nil {
		t.Fatalf("a result on a regular graph: %v", err)
	}
	summary := func(change func(p map[string]any)) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) { change(point0(m)) })
		}
	}
	stat := func(p map[string]any, name, key string, v float64) {
		p["metrics"].(map[string]any)[name].(map[string]any)[key] = v
	}
	cell := func(name, v string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			editTrials(t, dir, func(header, row []string) { row[slices.Index(header, name)] = v })
		}
	}
	for _, c := range []struct {
		name  string
		spoil func(t *testing.T, dir string)
		file  string
		msg   string
	}{
		{"graph metrics on the complete graph", summary(func(p map[string]any) {
			p["params"].(map[string]any)["topology"].(map[string]any)["kind"] = "complete"
			p["params"].(map[string]any)["topology"].(map[string]any)["degree"] = 0
			delete(p, "theory_source")
		}), results.SummaryFile, "on the complete graph, which has no graph facts"},
		{"source part above 1", summary(func(p map[string]any) { stat(p, results.GraphSourceComponent, "max", 1.5) }),
			results.SummaryFile, "it is a share, at most 1"},
		{"min degree above max", summary(func(p map[string]any) {
			for _, k := range []string{"mean", "min", "median", "max"} {
				stat(p, results.GraphDegreeMin, k, 5)
			}
		}), results.SummaryFile, "want min <= mean <= max"},
		{"more neighbours than nodes", summary(func(p map[string]any) {
			for _, name := range []string{results.GraphDegreeMax} {
				for _, k := range []string{"mean", "min", "median", "max"} {
					stat(p, name, k, 64)
				}
			}
		}), results.SummaryFile, "more neighbours than the 63 other nodes"},
		{"graph metrics of different trials", summary(func(p map[string]any) { stat(p, results.GraphDiameter, "n", 2) }),
			results.SummaryFile, "they come from the same graphs"},
		{"a theory source of another result", summary(func(p map[string]any) { p["theory_source"] = meanfield.SourceGnp }),
			results.SummaryFile, `theory_source "asymptotic, Panagiotou`},
		{"no theory source", summary(func(p map[string]any) { delete(p, "theory_source") }),
			results.SummaryFile, `theory_source "", but the theory of this point is "asymptotic, Fountoulakis–Panagiotou"`},
		{"a theory on a ring", summary(func(p map[string]any) {
			p["params"].(map[string]any)["topology"].(map[string]any)["kind"] = "ring"
			delete(p, "theory_source")
		}), results.SummaryFile, "a theory on a ring graph, for which none is known"},
		{"a rounds-to-50 theory off the complete graph", summary(func(p map[string]any) {
			p["theory"].(map[string]any)["rounds_to_50"] = 6
		}), results.SummaryFile, "the result there gives rounds_to_full only"},
		{"the complete graph's curve off it", summary(func(p map[string]any) {
			c := p["curve"].(map[string]any)
			c["theory"] = c["informed_mean"]
		}), results.SummaryFile, "theory values for a point without theory"},
		{"graph cells on the complete graph", func(t *testing.T, dir string) {
			d := writeResult(t, topologyYAML)
			os.Remove(filepath.Join(dir, results.SummaryFile))
			os.Rename(filepath.Join(d, results.SummaryFile), filepath.Join(dir, results.SummaryFile))
		}, results.TrialsFile, "graph facts on the complete graph, which has none"},
		{"some graph cells", cell(results.GraphDiameter, ""), results.TrialsFile, "6 of the 7 graph metrics"},
		{"a fractional diameter", cell(results.GraphDiameter, "5.5"), results.TrialsFile, "graph_diameter 5.5: want a whole number"},
		{"connected 2", cell(results.GraphConnected, "2"), results.TrialsFile, "graph_connected 2: it is a share"},
		{"min degree above mean", cell(results.GraphDegreeMin, "5"), results.TrialsFile, "degrees: min 5, mean 4, max 4"},
		{"connected with part of the nodes", cell(results.GraphSourceComponent, "0.5"), results.TrialsFile, "connected, but the source's component holds 0.5"},
	} {
		t.Run(c.name, func(t *testing.T) { refused(t, good, c.spoil, readEverything, c.file, c.msg) })
	}
}

// theory_source is written as the params select it, whatever the field
// held, and left out for the complete graph's model.
func TestTheorySourceIsWrittenFromTheParams(t *testing.T) {
	full := 13.9
	p := results.PointSummary{ID: "base", Theory: results.Theory{results.RoundsToFull: &full}, TheoryFrom: "made up"}
	p.Params.Topology.Kind = engine.TopologyErdosRenyi
	data, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"theory_source":"`+meanfield.SourceGnp+`"`) {
		t.Errorf("erdos-renyi: %s, want theory_source %q", data, meanfield.SourceGnp)
	}
	if got := p.TheoryCell(results.RoundsToFull); got != "13.9 ("+meanfield.SourceGnp+")" {
		t.Errorf("table cell %q", got)
	}
	p.Params.Topology.Kind = engine.TopologyComplete
	if data, _ := p.MarshalJSON(); strings.Contains(string(data), "theory_source") {
		t.Errorf("complete graph: %s, want no theory_source", data)
	}
	if got := p.TheoryCell(results.RoundsToFull); got != "13.9" {
		t.Errorf("complete graph: table cell %q, want the value alone", got)
	}
}

// A full table shows the graph facts in one compact column, and the
// theory with its source; a table of complete-graph points has no graph
// column, and the short tables (run table, index) have neither.
func TestGraphColumn(t *testing.T) {
	st := func(mean, lo, hi float64) results.Stats {
		return results.Stats{N: 4, Mean: mean, Min: lo, Median: mean, Max: hi}
	}
	full := 29.8
	reg := results.PointSummary{ID: "kind=regular", Metrics: map[string]results.Stats{
		results.RoundsToFull:    st(30, 28, 33),
		results.GraphDegreeMean: st(2.5, 2.5, 2.5), results.GraphDegreeMin: st(1, 1, 1), results.GraphDegreeMax: st(6, 5, 7),
		results.GraphSourceComponent: st(0.995, 0.98, 1), results.GraphConnected: st(0.75, 0, 1),
		results.GraphDiameter: st(12.25, 11, 14), results.GraphDiameterExact: st(0, 0, 0),
	}, Theory: results.Theory{results.RoundsToFull: &full}}
	reg.Params.Topology.Kind = "regular"
	complete := results.PointSummary{ID: "kind=complete", Metrics: map[string]results.Stats{results.RoundsToFull: st(20, 18, 22)}}
	cells := map[string]string{}
	for _, c := range results.Columns(false, []results.PointSummary{reg, complete}) {
		cells[c.Label] = c.Cell(&reg) + " | " + c.Cell(&complete)
	}
	if want := "deg 2.5 (1–7), 3/4 connected (source part 0.995), diameter ≥12.2 | -"; cells["graph"] != want {
		t.Errorf("graph column %q, want %q", cells["graph"], want)
	}
	if want := "29.8 (" + meanfield.SourceRegular + ") | -"; cells["theory 100 %"] != want {
		t.Errorf("theory column %q, want %q", cells["theory 100 %"], want)
	}
	for label := range cells {
		if strings.HasPrefix(label, "mean degree") || strings.HasPrefix(label, "diameter") {
			t.Errorf("a column %q of its own: the graph facts are one column", label)
		}
	}
	for _, c := range results.Columns(false, []results.PointSummary{complete}) {
		if c.Label == "graph" {
			t.Error("a graph column for complete-graph points only")
		}
	}
	for _, c := range results.Columns(true, []results.PointSummary{reg}) {
		if c.Label == "graph" {
			t.Error("a graph column in the short table")
		}
	}
}
