package experiments

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/internal/results"
)

var testEngines = map[string]engine.Engine{"memory": memory.Engine{}}

func mustParse(t *testing.T, yaml string) *Scenario {
	t.Helper()
	s, err := Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const gridYAML = `
name: grid
nodes: 100
fanout: 2
trials: 6
seed: 3
replay: {max_nodes: 100}
sweep:
  mode: [push, pull]
  loss: [0, 0.2]
`

func TestRunnerIsIndependentOfParallelism(t *testing.T) {
	s := mustParse(t, gridYAML)
	var sums []*results.Summary
	for _, par := range []int{1, 2, 5} {
		res, err := Runner{Engines: testEngines, Parallel: par}.Run(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, Summarize(res))
	}
	if !reflect.DeepEqual(sums[0], sums[1]) || !reflect.DeepEqual(sums[0], sums[2]) {
		t.Fatal("summaries differ with -j")
	}
	if got := len(sums[0].Points); got != 4 {
		t.Fatalf("%d points, want 4", got)
	}
}

// Adding a sweep value must leave the other points' trials as they were:
// seeds derive from the point's ID, not its position.
func TestTrialSeedsSurviveNewSweepValues(t *testing.T) {
	a := mustParse(t, "name: a\nnodes: 100\ntrials: 3\nsweep: {fanout: [1, 3]}\n")
	b := mustParse(t, "name: a\nnodes: 100\ntrials: 3\nsweep: {fanout: [1, 2, 3]}\n")
	ra, _ := Runner{Engines: testEngines}.Run(context.Background(), a)
	rb, _ := Runner{Engines: testEngines}.Run(context.Background(), b)
	if !reflect.DeepEqual(ra.Points[1].Traces, rb.Points[2].Traces) {
		t.Fatal("fanout=3 changed when fanout=2 was added")
	}
}

// Trial seeds leave the engine out: in a sweep over engines every engine
// runs the same trials, while every other swept key still tells points apart.
func TestTrialSeedsIgnoreTheEngine(t *testing.T) {
	s := mustParse(t, "name: a\nnodes: 100\ntrials: 3\nsweep: {fanout: [1, 2], engine: [memory, http], loss: [0, 0.1]}\n")
	seeds := map[string]uint64{}
	for _, p := range s.Points() {
		seed := s.Config(p, 1, false).Seed
		want := strings.ReplaceAll(strings.ReplaceAll(p.ID, ",engine=memory", ""), ",engine=http", "")
		if p.SeedID != want {
			t.Errorf("point %s: seed ID %q, want %q", p.ID, p.SeedID, want)
		}
		if old, ok := seeds[p.SeedID]; ok && old != seed {
			t.Errorf("point %s: seed %d, but the other engine's point has %d", p.ID, seed, old)
		}
		seeds[p.SeedID] = seed
	}
	if len(seeds) != 4 {
		t.Errorf("%d distinct seeds over fanout x loss, want 4: %v", len(seeds), seeds)
	}
	if one := mustParse(t, "name: a\nnodes: 100\nsweep: {engine: [memory, http]}\n").Points(); one[0].SeedID != "base" || one[1].SeedID != "base" {
		t.Errorf("an engine-only sweep seeds from %q and %q, want base as without a sweep", one[0].SeedID, one[1].SeedID)
	}
}

func TestRunnerStopsOnCancel(t *testing.T) {
	s := mustParse(t, "name: big\nnodes: 100000\ntrials: 1000\n")
	ctx, cancel := context.WithCancel(context.Background())
	runner := Runner{Engines: testEngines, Parallel: 2, Progress: func(done, total int) {
		if done == 3 {
			cancel()
		}
	}}
	if _, err := runner.Run(ctx, s); err == nil {
		t.Fatal("no error after cancel")
	}
}

func TestRunnerRefusesMissingEngine(t *testing.T) {
	s := mustParse(t, "name: h\nengine: http\nnodes: 10\n")
	if _, err := (Runner{Engines: testEngines}).Run(context.Background(), s); err == nil {
		t.Fatal("ran on an engine it does not have")
	}
}

func TestSummaryCountsOnlyTrialsThatGotThere(t *testing.T) {
	// Heavy loss and few rounds: some trials reach everyone, some do not.
	s := mustParse(t, "name: s\nnodes: 50\nfanout: 3\nmode: pushpull\nloss: 0.5\nmax_rounds: 6\ntrials: 40\n")
	res, err := Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	p := Summarize(res).Points[0]
	converged, reached50 := 0, 0
	for _, tr := range res.Points[0].Traces {
		if tr.Converged() {
			converged++
		}
		if _, ok := tr.RoundsTo(0.5); ok {
			reached50++
		}
	}
	if p.Converged != converged || p.Metrics[results.RoundsToFull].N != converged || p.Metrics[results.RoundsTo50].N != reached50 {
		t.Fatalf("converged %d (summary %d, n %d), reached 50%% %d (n %d)", converged, p.Converged,
			p.Metrics[results.RoundsToFull].N, reached50, p.Metrics[results.RoundsTo50].N)
	}
	if converged == 0 || converged == 40 {
		t.Fatalf("the scenario should leave some trials unconverged and converge others; %d of 40 converged", converged)
	}
	if p.Metrics[results.Residue].N != 40 || p.Metrics[results.Residue].Max == 0 {
		t.Fatalf("residue %+v", p.Metrics[results.Residue])
	}
	if len(p.Curve.Round) != 7 || p.Curve.InformedMean[0] != 1 || len(p.Curve.Theory) != 7 {
		t.Fatalf("curve %+v", p.Curve)
	}
}

func TestWriteReplacesAtomically(t *testing.T) {
	out := t.TempDir()
	s := mustParse(t, gridYAML)
	res, err := Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(out, "grid")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "stale"), []byte("old run"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := Summarize(res)
	dir, err := Write(out, res, sum, NewManifest(res, sum, results.Host{}, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stale")); !os.IsNotExist(err) {
		t.Error("the old result survived inside the new one")
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "grid" {
		t.Errorf("results dir holds %v, want only grid/", entries)
	}
	back := openResult(t, dir).Summary
	if !reflect.DeepEqual(back.Points[0].Metrics, sum.Points[0].Metrics) {
		t.Error("summary.json does not read back as written")
	}
	if _, err := os.Stat(filepath.Join(dir, results.ReplayPath("mode=pull,loss=0.2"))); err != nil {
		t.Error(err)
	}
}

// Failures are listed in summary.json, and the messages they cost counted.
func TestSummarySaysWhatFailed(t *testing.T) {
	s := mustParse(t, "name: f\nnodes: 200\nfanout: 2\ntrials: 5\nfailures: [{round: 2, hang: 0.2}, {round: 3, crash: 0.1}]\n")
	res, err := Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(res)
	want := []results.FailureSummary{{Round: 2, Kind: "hang", Fraction: 0.2}, {Round: 3, Kind: "crash", Fraction: 0.1}}
	if !reflect.DeepEqual(sum.Failures, want) {
		t.Fatalf("failures %+v", sum.Failures)
	}
	if st := sum.Points[0].Metrics[results.FailedFraction]; st.N != 5 || st.Mean <= 0 || st.Mean >= 0.5 {
		t.Fatalf("failed fraction %+v", st)
	}
}

// openResult opens dir and closes it when the test ends.
func openResult(t *testing.T, dir string) *results.ResultDir {
	t.Helper()
	r, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// runAndWrite runs yaml and writes its result under a new directory,
// returning the run too.
func runAndWrite(t *testing.T, yaml string) (*Result, string) {
	t.Helper()
	s := mustParse(t, yaml)
	res, err := Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(res)
	dir, err := Write(t.TempDir(), res, sum, NewManifest(res, sum, results.Host{}, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	return res, dir
}

// editJSON rewrites a JSON file after change has edited its decoded form.
func editJSON(t *testing.T, path string, change func(m map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Progress knows the total from the start, so that a long first trial
// shows "0 of N" rather than nothing to count.
func TestProgressStartsWithTheTotal(t *testing.T) {
	s := mustParse(t, "name: p\nnodes: 50\ntrials: 3\nsweep: {fanout: [1, 2]}\n")
	var calls [][2]int
	runner := Runner{Engines: testEngines, Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
	if _, err := runner.Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 7 || calls[0] != [2]int{0, 6} || calls[6] != [2]int{6, 6} {
		t.Fatalf("progress calls %v, want 0 of 6 first, then one per trial", calls)
	}
}
