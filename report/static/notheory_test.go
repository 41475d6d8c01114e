package static

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A point the mean-field model does not cover (summary.json's theory and
// curve theory null) gets no dashed line; the legend says there is none.
// The same summary with theory has the line, so the test can fail.
func TestNoTheory(t *testing.T) {
	svg := func(t *testing.T, dir, name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	with := t.TempDir()
	if _, err := Charts(with, fanoutSummary()); err != nil {
		t.Fatal(err)
	}
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].Theory, sum.Points[i].NoTheory = nil, "free-running nodes"
		sum.Points[i].Curve.Theory = nil
	}
	without := t.TempDir()
	if _, err := Charts(without, sum); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{Convergence, Sweep, SweepMessages} {
		w, wo := svg(t, with, name), svg(t, without, name)
		if !strings.Contains(w, "stroke-dasharray") || !strings.Contains(w, "theory") || strings.Contains(w, NoTheory) {
			t.Errorf("%s.svg with theory: no dashed theory line in it", name)
		}
		if strings.Contains(wo, "stroke-dasharray") || strings.Contains(wo, "mean-field theory") || strings.Contains(wo, "theory:") {
			t.Errorf("%s.svg without theory draws or lists a theory line", name)
		}
		if strings.Count(wo, NoTheory) != 1 {
			t.Errorf("%s.svg without theory does not say %q once", name, NoTheory)
		}
	}

	// One point of three uncovered: the line for the others, and a word.
	sum = fanoutSummary()
	sum.Points[1].Theory, sum.Points[1].NoTheory, sum.Points[1].Curve.Theory = nil, "free-running nodes", nil
	some := t.TempDir()
	if _, err := Charts(some, sum); err != nil {
		t.Fatal(err)
	}
	if c := svg(t, some, Convergence); !strings.Contains(c, "mean-field theory") || !strings.Contains(c, "no theory for 1 of 3 points") {
		t.Errorf("convergence.svg with one point of three uncovered does not say so")
	}
}
