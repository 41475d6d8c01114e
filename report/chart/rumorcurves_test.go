package chart

import (
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// perRumorTrace is a trial of 10 alive nodes whose rounds hold, per
// rumor, the informed counts given.
func perRumorTrace(rows ...[]int) *engine.Trace {
	tr := &engine.Trace{}
	for r, informed := range rows {
		var per []engine.RumorStats
		total := 0
		for _, n := range informed {
			per = append(per, engine.RumorStats{Informed: n, Infective: n})
			total += n
		}
		tr.Rounds = append(tr.Rounds, engine.RoundStats{Round: r, Alive: 10, Informed: total, Infective: total, Rumors: len(informed)})
		tr.PerRumor = append(tr.PerRumor, per)
	}
	return tr
}

// Each rumor's curve is its mean over the trials, a trial that stopped
// held at its final counts, and a rumor not yet injected not drawn.
func TestRumorCurvesHoldStoppedTrials(t *testing.T) {
	sum := &results.Summary{Name: "m", Engine: "memory", Points: []results.PointSummary{mongerPoint("base", 2, 1, 2)}}
	tr := NewTrials()
	tr.Add(&sum.Points[0], perRumorTrace([]int{2}, []int{4, 1})) // stopped after round 1
	tr.Add(&sum.Points[0], perRumorTrace([]int{4}, []int{6, 3}, []int{8, 5}))
	c := find(t, ScenarioOf(sum, tr), "rumor-curves-0")
	want := [][]float64{{0.3, 0.5, 0.6}, {math.NaN(), 0.2, 0.3}}
	for i, s := range c.Panels[0].Series {
		for r, w := range want[i] {
			if math.IsNaN(w) != math.IsNaN(s.Y[r]) || (!math.IsNaN(w) && math.Abs(s.Y[r]-w) > 1e-12) {
				t.Errorf("rumor %d round %d: %v, want %v", i, r, s.Y[r], w)
			}
		}
	}
	if got := Sequential(0); got == Sequential(1) {
		t.Errorf("the sequential scale's ends are both %s", got)
	}
}

// A wave-1 point, or one of a single rumor, has no per-rumor curves.
func TestNoRumorCurvesForOneRumor(t *testing.T) {
	wave1 := mongerPoint("wave1", 0, 0, 1)
	wave1.Params.Stop = results.StopParams{}
	for _, p := range []results.PointSummary{mongerPoint("one", 0, 0, 1), wave1} {
		sum := &results.Summary{Name: "m", Engine: "memory", Points: []results.PointSummary{p}}
		tr := NewTrials()
		tr.Add(&sum.Points[0], perRumorTrace([]int{1}, []int{3}))
		for _, c := range ScenarioOf(sum, tr).Charts {
			if len(c.Name) >= 12 && c.Name[:12] == "rumor-curves" {
				t.Errorf("point %s: chart %s", p.ID, c.Name)
			}
		}
	}
}
