package results_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

func row(round, informed, newly, alive, infective, removed, rumors int) engine.RoundStats {
	return engine.RoundStats{Round: round, Informed: informed, New: newly, Alive: alive, Infective: infective, Removed: removed, Rumors: rumors}
}

// The mongering metrics of hand-built traces, counted by hand.
func TestMongeringMetricsHandCounted(t *testing.T) {
	// One rumor on 4 nodes under a counter: learnings in round 1 (one
	// node) and round 2 (two), so t_last 2 and t_ave (1+2+2)/3; the
	// last infective node stops at the end of round 4.
	one := &engine.Trace{Rounds: []engine.RoundStats{row(0, 1, 1, 4, 1, 0, 1), row(1, 2, 1, 4, 2, 0, 1),
		row(2, 4, 2, 4, 3, 1, 1), row(3, 4, 0, 4, 1, 3, 1), row(4, 4, 0, 4, 0, 4, 1)}}
	counter := &results.Params{Nodes: 4, MaxRounds: 10, Stop: results.StopParams{Rule: "counter", K: 1}}
	want := map[string]float64{results.RoundsToQuiet: 4, results.LastInformedRound: 2, results.MeanInformedRound: 5.0 / 3}
	checkMetrics(t, "one rumor", results.Trial{Trace: one, Params: counter}, want)

	// Without mongering the point has none of them.
	plain := &results.Params{Nodes: 4, MaxRounds: 10}
	checkMetrics(t, "no mongering", results.Trial{Trace: one, Params: plain}, map[string]float64{})

	// Two rumors on 3 nodes, every 2 rounds: rumor 0 reaches a node in
	// rounds 1 and 2 (1 and 2 rounds after its injection), rumor 1 in
	// rounds 3 and 4 (1 and 2 after round 2); the injections in rounds 0
	// and 2 are no learnings. t_last 4, t_ave (1+2+1+2)/4; quiet at 5.
	per := [][]engine.RumorStats{
		{{Informed: 1, New: 1, Infective: 1}},
		{{Informed: 2, New: 1, Infective: 2}},
		{{Informed: 3, New: 1, Infective: 3}, {Informed: 1, New: 1, Infective: 1}},
		{{Informed: 3, Infective: 2, Removed: 1}, {Informed: 2, New: 1, Infective: 2}},
		{{Informed: 3, Removed: 3}, {Informed: 3, New: 1, Infective: 3}},
		{{Informed: 3, Removed: 3}, {Informed: 3, Removed: 3}},
	}
	many := &engine.Trace{PerRumor: per, RumorSources: []int{0, 2}, Rounds: []engine.RoundStats{
		row(0, 1, 1, 3, 1, 0, 1), row(1, 2, 1, 3, 2, 0, 1), row(2, 4, 2, 3, 4, 0, 2),
		row(3, 5, 1, 3, 4, 1, 2), row(4, 6, 1, 3, 3, 3, 2), row(5, 6, 0, 3, 0, 6, 2)}}
	two := &results.Params{Nodes: 3, MaxRounds: 10, Stop: results.StopParams{Rule: "coin", K: 2}, Rumors: results.RumorsParams{Count: 2, Every: 2}}
	want = map[string]float64{results.RoundsToQuiet: 5, results.LastInformedRound: 4, results.MeanInformedRound: 1.5}
	checkMetrics(t, "two rumors", results.Trial{Trace: many, Params: two}, want)
	// Each reaches all 3 nodes 2 rounds after its injection.
	delay, residue := results.RumorDelays(many, two)
	if len(delay) != 2 || delay[0] != 2 || delay[1] != 2 || residue[0] != 0 || residue[1] != 0 {
		t.Errorf("RumorDelays = %v, %v; want [2 2], [0 0]", delay, residue)
	}
	// Rows without their rumors (rounds.csv alone): the injection of
	// round 2 is still told from the rumors column.
	last, _, n := results.Learnings(&engine.Trace{Rounds: many.Rounds}, two)
	if last != 4 || n != 4 {
		t.Errorf("Learnings from the rows alone: last %d of %d learnings, want 4 of 4", last, n)
	}
	// A rumor that never reaches 99 %.
	short := &engine.Trace{PerRumor: per[:4], Rounds: many.Rounds[:4]}
	delay, residue = results.RumorDelays(short, two)
	if delay[0] != 2 || !math.IsNaN(delay[1]) || math.Abs(residue[1]-1.0/3) > 1e-12 {
		t.Errorf("RumorDelays of a cut trial = %v, %v; want [2 NaN], [0 1/3]", delay, residue)
	}
}

func checkMetrics(t *testing.T, name string, tr results.Trial, want map[string]float64) {
	t.Helper()
	got := results.TrialMetrics(tr)
	for _, m := range []string{results.RoundsToQuiet, results.LastInformedRound, results.MeanInformedRound} {
		w, wantOK := want[m]
		g, ok := got[m]
		if ok != wantOK || math.Abs(g-w) > 1e-12 {
			t.Errorf("%s: %s = %v (%v), want %v (%v)", name, m, g, ok, w, wantOK)
		}
	}
}

// rounds.csv and trials.csv written before the mongering columns still
// read: their rows are of one rumor spread forever.
func TestOlderRoundsAndTrialsStillRead(t *testing.T) {
	dir := writeResult(t, hostileYAML)
	dropColumns(t, dir, results.RoundsFile, 6, ",bytes")                // infective, removed, rumors, down, recovering, cut
	dropColumns(t, dir, results.TrialsFile, 7, ",graph_diameter_exact") // the mongering metrics and the faults'
	everyRow(t, dir, func(row engine.RoundStats) {
		if row.Infective != row.Informed || row.Removed != 0 || row.Rumors != 0 {
			t.Fatalf("an older row reads as %+v", row)
		}
	})
}

// dropColumns cuts the last cut columns of a result's file, as one written
// before them lacks them, and checks that its header then ends in last.
func dropColumns(t *testing.T, dir, name string, cut int, last string) {
	t.Helper()
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i, l := range lines {
		f := strings.Split(l, ",")
		lines[i] = strings.Join(f[:len(f)-cut], ",")
	}
	if !strings.HasSuffix(lines[0], last) {
		t.Fatalf("%s header after cutting %d columns: %s", name, cut, lines[0])
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// everyRow reads the result in dir and hands check each of its rows; there
// must be some, and the trials must check against them.
func everyRow(t *testing.T, dir string, check func(engine.RoundStats)) {
	t.Helper()
	r := openResult(t, dir)
	traces, err := r.Rounds()
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, trs := range traces {
		for _, tr := range trs {
			for _, row := range tr.Rounds {
				rows++
				check(row)
			}
		}
	}
	if rows == 0 {
		t.Fatal("no rows")
	}
	if err := r.CheckTrials(); err != nil {
		t.Fatal(err)
	}
}

// A mongering result spoilt in its params or its rumors' summary is
// refused, naming what is wrong.
func TestHostileMongeringSummary(t *testing.T) {
	const yaml = "name: hostile\nnodes: 30\ntrials: 2\nstop: {rule: counter, k: 4}\nrumors: {count: 3, every: 1}\n"
	for _, tt := range []struct {
		name   string
		change func(p map[string]any)
		want   string
	}{
		{"unknown rule", func(p map[string]any) { params(p)["stop"].(map[string]any)["rule"] = "gossip" }, `stop.rule "gossip"`},
		{"mult for a counter", func(p map[string]any) { params(p)["stop"].(map[string]any)["mult"] = 3 }, "rule counter takes [k feedback reset]"},
		{"k zero", func(p map[string]any) { params(p)["stop"].(map[string]any)["k"] = 0 }, "stop.k 0 outside 1..1000000"},
		{"too many rumors", func(p map[string]any) { params(p)["rumors"].(map[string]any)["count"] = 1e6 }, "rumors: count 1000000"},
		{"unknown preset", func(p map[string]any) { params(p)["preset"] = "consul" }, `preset "consul"`},
		{"negative round", func(p map[string]any) { params(p)["round_seconds"] = -1 }, "round_seconds -1"},
		{"metrics without mongering", func(p map[string]any) {
			params(p)["stop"] = map[string]any{"rule": "", "k": 0, "feedback": false, "reset": false, "mult": 0}
			params(p)["rumors"] = map[string]any{"count": 0, "every": 0}
			delete(p, "rumors")
		}, "is rumor mongering's; the point runs none"},
		{"a rumor out of place", func(p map[string]any) { perRumor(p)[1].(map[string]any)["injected_at"] = 5 }, "rumors.per_rumor[1]: rumor 1 injected at 5, want 1 at 1"},
		{"a rumor missing", func(p map[string]any) {
			r := p["rumors"].(map[string]any)
			r["per_rumor"] = r["per_rumor"].([]any)[:2]
		}, "rumors: 2 per_rumor entries for 3 rumors"},
		{"missed negative", func(p map[string]any) { p["rumors"].(map[string]any)["missed"] = -1 }, "delays and -1 missed"},
		{"p90 beyond the max", func(p map[string]any) { p["rumors"].(map[string]any)["delay_99"].(map[string]any)["p90"] = 1e9 }, "p90 1e+09 outside"},
		{"residue above 1", func(p map[string]any) {
			res := perRumor(p)[0].(map[string]any)["residue"].(map[string]any)
			res["max"], res["median"], res["mean"] = 2, 2, 2
		}, "it is a share"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeResult(t, yaml)
			path := filepath.Join(dir, results.SummaryFile)
			data, _ := os.ReadFile(path)
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			tt.change(point0(m))
			data, _ = json.Marshal(m)
			os.WriteFile(path, data, 0o644)
			_, err := results.OpenResult(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func params(p map[string]any) map[string]any { return p["params"].(map[string]any) }
func perRumor(p map[string]any) []any {
	return p["rumors"].(map[string]any)["per_rumor"].([]any)
}

// rumors.csv spoilt is refused with its line, as rounds.csv is.
func TestHostileRumorsFile(t *testing.T) {
	const yaml = "name: hostile\nnodes: 30\ntrials: 2\nstop: {rule: counter, k: 4}\nrumors: {count: 3, every: 1}\n"
	for _, tt := range []struct {
		name   string
		change func(lines []string) []string
		want   string
	}{
		{"a count changed", func(l []string) []string { l[3] = cut(l[3], 4) + ",5,0,5,0"; return l }, "the rumors sum to"},
		{"a negative count", func(l []string) []string { l[1] = cut(l[1], 4) + ",-1,0,0,0"; return l }, `informed "-1": want a count`},
		{"infective and removed not informed", func(l []string) []string { l[1] = cut(l[1], 4) + ",1,1,0,0"; return l }, "infective 0 + removed 0 is not informed 1"},
		{"a row missing", func(l []string) []string { return append(l[:2], l[3:]...) }, "want trial 0 round 1 rumor 0"},
		{"a row too many", func(l []string) []string { return append(l, l[len(l)-1]) }, "beyond the trials rounds.csv has"},
		{"the wrong rumor", func(l []string) []string {
			f := strings.Split(l[2], ",")
			f[3] = "1"
			l[2] = strings.Join(f, ",")
			return l
		}, "rumor 1, want trial 0 round 1 rumor 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeResult(t, yaml)
			path := filepath.Join(dir, results.RumorsFile)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines := tt.change(strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"))
			os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
			_, err = openResult(t, dir).Rounds()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one containing %q naming %s", err, tt.want, path)
			}
		})
	}
	// A symlink in its place is refused as every result file is.
	dir := writeResult(t, yaml)
	path := filepath.Join(dir, results.RumorsFile)
	os.Remove(path)
	os.Symlink(filepath.Join(dir, results.RoundsFile), path)
	if _, err := results.OpenResult(dir); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a symlinked rumors.csv: error %v", err)
	}
}

// cut keeps a CSV row's first n cells.
func cut(row string, n int) string { return strings.Join(strings.Split(row, ",")[:n], ",") }
