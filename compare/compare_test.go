package compare

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/resultstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func options(test string, gates ...string) Options {
	o := Options{Alpha: DefaultAlpha, Test: test}
	for _, spec := range gates {
		g, err := ParseGate(spec)
		if err != nil {
			panic(err)
		}
		o.Gates = append(o.Gates, g)
	}
	return o
}

func row(t *testing.T, rep *Report, scenario, point, metric string) *Row {
	t.Helper()
	for si := range rep.Scenarios {
		for pi := range rep.Scenarios[si].Points {
			pt := &rep.Scenarios[si].Points[pi]
			for ri := range pt.Rows {
				if rep.Scenarios[si].Name == scenario && pt.ID == point && pt.Rows[ri].Metric == metric {
					return &pt.Rows[ri]
				}
			}
		}
	}
	t.Fatalf("no row %s/%s/%s", scenario, point, metric)
	return nil
}

// Runs that differ only in their seed are samples of the same thing: no
// significant change, under either test, and no gate trips. (Wall time is
// left out: it measures this machine's mood as well.) The comparison tests
// m rows (9 metrics, two tests), so "none significant" is asserted at the
// Bonferroni level DefaultAlpha/m: a false alarm among all of them has a
// chance of at most DefaultAlpha, where testing each at DefaultAlpha would
// give 10-20 %. TestSeedOnlyCalibration checks the per-row rate itself.
func TestSeedOnlyIsNoChange(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", false)
	nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 2\n", false)
	tests := []string{Welch, MannWhitneyU}
	m := 0
	for _, test := range tests {
		rep, err := Compare(base, nw, options(test))
		if err != nil {
			t.Fatal(err)
		}
		m += len(testedRows(rep))
	}
	if m < 16 {
		t.Fatalf("%d rows tested, want the 9 metrics under each test", m)
	}
	for _, test := range tests {
		o := options(test, "rounds_to_full>+5%", "messages_per_node>+10%")
		o.Alpha = DefaultAlpha / float64(m)
		rep, err := Compare(base, nw, o)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Significant != 0 || rep.Tripped() != 0 {
			var buf bytes.Buffer
			rep.WriteText(&buf)
			t.Errorf("%s: %d significant changes, %d gates tripped:\n%s", test, rep.Significant, rep.Tripped(), buf.String())
		}
		if notes := rep.Scenarios[0].Notes; len(notes) != 1 || notes[0] != "BASE has seed 1, NEW has seed 2" {
			t.Errorf("notes %q", notes)
		}
		if r := row(t, rep, "demo", "base", "rounds_to_full"); r.Test != test {
			t.Errorf("rounds_to_full tested with %s, want %s", r.Test, test)
		}
	}
}

// testedRows are the rows with a p-value, wall time left out.
func testedRows(rep *Report) []*Row {
	var out []*Row
	for si := range rep.Scenarios {
		for pi := range rep.Scenarios[si].Points {
			for ri, r := range rep.Scenarios[si].Points[pi].Rows {
				if r.P != nil && r.Metric != "wall_seconds" {
					out = append(out, &rep.Scenarios[si].Points[pi].Rows[ri])
				}
			}
		}
	}
	return out
}

// Over many seed pairs, each metric is significant at level a in about a
// fraction a of them: the p-values are honest. With 40 pairs at a = 0.05 a
// metric's count is Binomial(40, 0.05) if the test is calibrated; 8 or more
// has probability 0.0006 (under 0.01 for all 9 metrics together). The
// same counts at a = 0.5 must pass that bound, or the check could not fail.
func TestSeedOnlyCalibration(t *testing.T) {
	const pairs, alpha, bound = 40, 0.05, 8
	for _, test := range []string{Welch, MannWhitneyU} {
		at := map[float64]map[string]int{alpha: {}, 0.5: {}}
		for k := range pairs {
			dir := t.TempDir()
			base := resultstest.Write(t, filepath.Join(dir, "a"), resultstest.Scenario+fmt.Sprintf("seed: %d\n", 2*k+11), false)
			nw := resultstest.Write(t, filepath.Join(dir, "b"), resultstest.Scenario+fmt.Sprintf("seed: %d\n", 2*k+12), false)
			rep, err := Compare(base, nw, options(test))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range testedRows(rep) {
				for a, counts := range at {
					if *r.P < a {
						counts[r.Metric]++
					}
				}
			}
		}
		t.Logf("%s: %v", test, at)
		loose := 0
		for metric, n := range at[alpha] {
			if n >= bound {
				t.Errorf("%s: %s significant at %v in %d of %d seed-only pairs (calibrated: about %v)", test, metric, alpha, n, pairs, alpha*pairs)
			}
		}
		for _, n := range at[0.5] {
			loose = max(loose, n)
		}
		if loose < bound {
			t.Errorf("%s: even at level 0.5 no metric reaches %d of %d pairs: the check cannot fail", test, bound, pairs)
		}
	}
}

// Loss slows the epidemic: rounds go up, significantly, and the gate trips.
func TestLossIsSignificant(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", false)
	nw := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\nloss: 0.3\n", false)
	for _, test := range []string{Welch, MannWhitneyU} {
		rep, err := Compare(base, nw, options(test, "rounds_to_full>+5%", "converged<-1%"))
		if err != nil {
			t.Fatal(err)
		}
		r := row(t, rep, "demo", "base", "rounds_to_full")
		if !r.Significant || *r.Delta <= 0 || *r.P >= 0.001 {
			t.Errorf("%s: rounds_to_full delta %v p %v significant %v", test, *r.Delta, *r.P, r.Significant)
		}
		if len(rep.Gates[0].Tripped) != 1 || len(rep.Gates[1].Tripped) != 0 || rep.Tripped() != 1 {
			t.Errorf("%s: gates %+v", test, rep.Gates)
		}
		if len(r.Gates) != 1 || r.Gates[0] != "rounds_to_full>+5%" {
			t.Errorf("row gates %q", r.Gates)
		}
		if notes := rep.Scenarios[0].Points[0].Notes; len(notes) != 1 || notes[0] != "BASE has loss 0, NEW has loss 0.3" {
			t.Errorf("point notes %q", notes)
		}
	}
}

// Points and scenarios on one side only are listed, not dropped; different
// sweeps are compared with a warning.
func TestOneSided(t *testing.T) {
	baseRoot, newRoot := t.TempDir(), t.TempDir()
	resultstest.Write(t, baseRoot, resultstest.Scenario+"sweep: {fanout: [1, 2]}\n", false)
	resultstest.Write(t, baseRoot, strings.Replace(resultstest.Scenario, "demo", "gone", 1), false)
	resultstest.Write(t, newRoot, resultstest.Scenario+"sweep: {fanout: [2, 3]}\n", false)
	resultstest.Write(t, newRoot, strings.Replace(resultstest.Scenario, "demo", "fresh", 1)+"sweep: {loss: [0, 0.1]}\n", false)
	rep, err := Compare(baseRoot, newRoot, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, sc := range rep.Scenarios {
		got[sc.Name] = sc.Status
		for _, pt := range sc.Points {
			got[sc.Name+"/"+pt.ID] = pt.Status
		}
	}
	want := map[string]string{"demo": Both, "demo/fanout=1": OnlyBase, "demo/fanout=2": Both, "demo/fanout=3": OnlyNew,
		"gone": OnlyBase, "gone/base": OnlyBase, "fresh": OnlyNew, "fresh/loss=0": OnlyNew, "fresh/loss=0.1": OnlyNew}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	for _, s := range []string{"1 scenario only in BASE", "1 point only in BASE", "1 scenario only in NEW", "1 point only in NEW"} {
		if !strings.Contains(rep.Verdict, s) {
			t.Errorf("verdict %q lacks %q", rep.Verdict, s)
		}
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	for _, s := range []string{"fanout=1  (only in BASE)", "fanout=3  (only in NEW)", "== gone (only in BASE)", "== fresh (only in NEW)", "  loss=0.1\n"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, text.String())
		}
	}

	// A different sweep is allowed, with a warning.
	other := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"sweep: {mode: [pushpull]}\n", false)
	rep, err = Compare(filepath.Join(baseRoot, "demo"), other, options(Welch))
	if err != nil {
		t.Fatal(err)
	}
	if w := rep.Scenarios[0].Warnings; len(w) != 1 || w[0] != "sweep keys differ: BASE has sweep keys fanout, NEW has sweep keys mode" {
		t.Errorf("warnings %q", w)
	}
}

// The golden files pin the three formats. Wall times are made up so the
// output is the same on every run; -update rewrites them.
func TestGolden(t *testing.T) {
	root := t.TempDir()
	base := resultstest.Write(t, filepath.Join(root, "main"), resultstest.Scenario+"seed: 1\nsweep: {fanout: [1, 2]}\n", true)
	nw := resultstest.Write(t, filepath.Join(root, "branch"), resultstest.Scenario+"seed: 2\nloss: 0.2\nsweep: {fanout: [2, 3]}\n", true)
	rep, err := Compare(base, nw, options(Welch, "rounds_to_full>+5%", "messages_per_node>+50%"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		file  string
		all   bool
		write func(*Report, *bytes.Buffer) error
	}{
		{"golden.txt", false, func(r *Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"golden-all.txt", true, func(r *Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"golden.md", false, func(r *Report, b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"golden.json", false, func(r *Report, b *bytes.Buffer) error { return r.WriteJSON(b) }},
	} {
		rep.ShowAll = f.all
		var buf bytes.Buffer
		if err := f.write(rep, &buf); err != nil {
			t.Fatal(err)
		}
		got := strings.ReplaceAll(buf.String(), root, "$TMP")
		path := filepath.Join("testdata", f.file)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs (go test ./compare -update rewrites it); got:\n%s", path, got)
		}
	}
}
