package static

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/report/chart"
)

// A point the mean-field model does not cover (summary.json's theory and
// curve theory null) gets no dashed line; the chart says there is none,
// and why. The same summary with theory has the line, so the test can
// fail.
func TestNoTheory(t *testing.T) {
	with := fixtureCharts(t, fanoutSummary())
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].Theory, sum.Points[i].NoTheory = nil, "free-running nodes"
		sum.Points[i].Curve.Theory = nil
	}
	without := fixtureCharts(t, sum)
	says := func(d svgDoc, prefix string) int {
		n := 0
		for _, tx := range d.texts {
			if strings.HasPrefix(tx.text, prefix) {
				n++
			}
		}
		return n
	}
	for _, name := range []string{Convergence, Sweep, SweepMessages} {
		w, wo := readSVG(t, filepath.Join(with, name+".svg")), readSVG(t, filepath.Join(without, name+".svg"))
		if w.count("stroke-dasharray:5,3") == 0 || says(w, chart.NoTheoryText) != 0 {
			t.Errorf("%s.svg with theory: no dashed theory line, or says there is none", name)
		}
		if wo.count("stroke-dasharray:5,3") != 0 || says(wo, "theory:") != 0 || wo.has("mean-field theory") {
			t.Errorf("%s.svg without theory draws or lists a theory line", name)
		}
		if says(wo, chart.NoTheoryText+": free-running nodes") != 1 {
			t.Errorf("%s.svg without theory does not say %q once", name, chart.NoTheoryText)
		}
	}

	// One point of three uncovered: the line for the others, and a word.
	sum = fanoutSummary()
	sum.Points[1].Theory, sum.Points[1].NoTheory, sum.Points[1].Curve.Theory = nil, "free-running nodes", nil
	c := readSVG(t, filepath.Join(fixtureCharts(t, sum), Convergence+".svg"))
	if !c.has("mean-field theory") || says(c, chart.NoTheoryText+" (fanout=2)") != 1 {
		t.Errorf("convergence.svg with one point of three uncovered does not say so")
	}
}
