package chart

import (
	"math"
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// The per-round charts mark a point's faults from its params: a line at
// a failure and at its recovery, a band over a partition (to its heal)
// and over churn (to the axis' end when it has no until); a panel of
// points without faults has no marks, and the down chart draws only the
// points that take nodes down.
func TestFaultMarksFromParams(t *testing.T) {
	sum := summary(t, "name: f\nnodes: 30\ntrials: 2\nsweep:\n  mode: [push, pull]\n  loss: [0, 0.1]\n")
	for i := range 2 { // the push panel
		p := &sum.Points[i]
		p.Params.Failures = []results.FailureSummary{{Round: 2, Kind: "crash", Fraction: 0.2, Recover: 6, KeepState: true}}
		p.Params.Partitions = []results.PartitionParams{{Round: 3, Heal: 8, Groups: 2}, {Round: 9, Groups: 2, Shares: []float64{0.3, 0.7}, Oneway: true}}
		p.Params.Churn = results.ChurnParams{Leave: 0.02, Join: 0.02, From: 1}
		p.Curve.DownMean = make([]float64, len(p.Curve.Round))
		for r := range p.Curve.DownMean {
			p.Curve.DownMean[r] = 6
		}
	}
	want := []Marker{
		{X: 2, Label: "round 2: 20 % of nodes crash"},
		{X: 6, Label: "round 6: the 20 % from round 2 come back with their state"},
		{X: 3, Band: true, To: 8, Label: "partition 2 groups"},
		{X: 9, Band: true, To: math.Inf(1), Label: "one-way partition 2 groups (30 %, 70 %), never healed"},
		{X: 1, Band: true, To: math.Inf(1), Label: "churn 2 %/round"},
	}
	set := Scenario(sum, nil)
	for _, name := range []string{"convergence", "overhead", "down"} {
		c := find(t, set, name)
		if got := c.Panels[0].Markers; !reflect.DeepEqual(got, want) {
			t.Errorf("%s, the points with faults: marks\n%+v\nwant\n%+v", name, got, want)
		}
		if got := c.Panels[1].Markers; len(got) != 0 {
			t.Errorf("%s, the points without faults: marks %+v", name, got)
		}
	}
	down := find(t, set, "down")
	if len(down.Panels[0].Series) != 2 || len(down.Panels[1].Series) != 0 {
		t.Errorf("the down chart draws %d and %d series, want the 2 points with faults only", len(down.Panels[0].Series), len(down.Panels[1].Series))
	}
	if got := down.Panels[0].Series[0].Y[3]; got != 6 {
		t.Errorf("down at round 3: %v, want down_mean's 6", got)
	}
	if got := churnLabel(results.ChurnParams{Leave: 0.05, Join: 0.01}); got != "churn 5 % leave, 1 % join/round" {
		t.Errorf("churn label %q", got)
	}
	plain := summary(t, "name: p\nnodes: 30\ntrials: 2\n")
	for _, c := range Scenario(plain, nil).Charts {
		for _, p := range c.Panels {
			if len(p.Markers) > 0 || c.Name == "down" {
				t.Errorf("chart %s of a scenario without faults: marks %+v", c.Name, p.Markers)
			}
		}
	}
}
