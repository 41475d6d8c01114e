package compare

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// setWall gives every point of a result the same made-up wall time.
func setWall(t *testing.T, dir string, mean, sd float64) {
	t.Helper()
	resultstest.EditJSON(t, filepath.Join(dir, results.ManifestFile), func(m map[string]any) {
		for _, p := range m["points"].([]any) {
			w := p.(map[string]any)["wall_seconds"].(map[string]any)
			w["mean"], w["sd"] = mean, sd
		}
	})
}

// Wall time changes count only above both floors, however small p is: a
// 0.4 ms change (+33 %) and a 20 ms change (+2 %) are noise, 10 ms (+100 %)
// is not. The p-values are all tiny, so only the floor tells them apart.
func TestWallFloor(t *testing.T) {
	for _, c := range []struct {
		name         string
		base, nw, sd float64
		want         bool
	}{
		{"sub-millisecond", 0.0012, 0.0016, 1e-5, false},
		{"under 5 percent", 1.0, 1.02, 1e-4, false},
		{"both floors passed", 0.010, 0.020, 1e-5, true},
	} {
		base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", true)
		nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", true)
		setWall(t, base, c.base, c.sd)
		setWall(t, nw, c.nw, c.sd)
		rep, err := Compare(base, nw, options(Welch, "wall_seconds>+1%"))
		if err != nil {
			t.Fatal(err)
		}
		r := row(t, rep, "demo", "base", results.WallSeconds)
		if *r.P >= DefaultAlpha {
			t.Fatalf("%s: p %v; the case needs a tiny p to test the floor", c.name, *r.P)
		}
		if r.Significant != c.want || r.Worse != c.want || (rep.Tripped() == 1) != c.want || (rep.WallChanges == 1) != c.want {
			t.Errorf("%s: significant %v worse %v gates tripped %d wall changes %d, want significant %v",
				c.name, r.Significant, r.Worse, rep.Tripped(), rep.WallChanges, c.want)
		}
	}
}

// setPerRound gives every point a made-up seconds_per_round, and the
// http engine, whose results have it. The trials.csv of the memory run
// has none, so it goes: readers take results without one (older ones).
func setPerRound(t *testing.T, dir string, mean, sd float64) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, results.TrialsFile)); err != nil {
		t.Fatal(err)
	}
	resultstest.EditJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) {
		for _, p := range m["points"].([]any) {
			p.(map[string]any)["params"].(map[string]any)["engine"] = "http"
			p.(map[string]any)["metrics"].(map[string]any)[results.SecondsPerRound] = map[string]any{
				"n": 30, "mean": mean, "sd": sd, "ci95": []float64{mean, mean}, "min": mean - 3*sd, "median": mean, "max": mean + 3*sd}
		}
	})
}

// seconds_per_round is a time the machine sets: its changes are counted
// with wall time, not as significant changes of the protocol, only above
// the floors, and with Welch even when Mann-Whitney is asked for (rounds.csv
// holds no times).
func TestSecondsPerRoundCountsAsWallTime(t *testing.T) {
	for _, c := range []struct {
		name         string
		base, nw, sd float64
		want         bool
	}{
		{"sub-millisecond", 0.0050, 0.0054, 1e-5, false},
		{"both floors passed", 0.010, 0.020, 1e-5, true},
	} {
		base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", true)
		nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", true)
		setPerRound(t, base, c.base, c.sd)
		setPerRound(t, nw, c.nw, c.sd)
		rep, err := Compare(base, nw, options(MannWhitneyU))
		if err != nil {
			t.Fatal(err)
		}
		r := row(t, rep, "demo", "base", results.SecondsPerRound)
		if r.Test != Welch || *r.P >= DefaultAlpha {
			t.Fatalf("%s: test %s, p %v; want Welch with a tiny p", c.name, r.Test, *r.P)
		}
		if r.Significant != c.want || rep.Significant != 0 || (rep.WallChanges == 1) != c.want {
			t.Errorf("%s: significant %v, %d significant changes, %d wall changes; want significant %v counted as wall time",
				c.name, r.Significant, rep.Significant, rep.WallChanges, c.want)
		}
	}
}
