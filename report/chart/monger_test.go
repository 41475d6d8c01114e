package chart

import (
	"math"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// mongerPoint is a point of 10 nodes with a stop rule and rumors, whose
// curve has rounds 0..last; its theory is null.
func mongerPoint(id string, rumors, every, last int) results.PointSummary {
	p := results.PointSummary{ID: id, Trials: 2, NoTheory: "none here", Metrics: map[string]results.Stats{},
		Params: results.Params{Nodes: 10, Mode: engine.Push, Fanout: 1, MaxRounds: 50,
			Stop:   results.StopParams{Rule: "counter", K: 1, Feedback: true},
			Rumors: results.RumorsParams{Count: rumors, Every: every}}}
	for r := 0; r <= last; r++ {
		cv := &p.Curve
		cv.Round = append(cv.Round, r)
		cv.AliveMean = append(cv.AliveMean, 10)
		cv.InformedMean = append(cv.InformedMean, float64(2*r+1))
		cv.InformedP05 = append(cv.InformedP05, float64(2*r))
		cv.InformedP95 = append(cv.InformedP95, float64(2*r+2))
		for _, s := range []*[]float64{&cv.SentMean, &cv.DeliveredMean, &cv.RedundantMean} {
			*s = append(*s, 1)
		}
	}
	return p
}

func trace(rows ...[2]int) *engine.Trace {
	tr := &engine.Trace{}
	for r, c := range rows {
		tr.Rounds = append(tr.Rounds, engine.RoundStats{Round: r, Alive: 10, Informed: c[0] + c[1], Infective: c[0], Removed: c[1]})
	}
	return tr
}

// The convergence chart of a stop rule draws the infective (dotted) and
// removed (faint) shares of each point beside the informed one, as the
// mean over trials with a stopped trial held at its final state, each one
// legend entry for every point.
func TestConvergenceDrawsInfectiveAndRemoved(t *testing.T) {
	sum := &results.Summary{Name: "m", Engine: "memory", Points: []results.PointSummary{mongerPoint("base", 0, 0, 3)}}
	tr := NewTrials()
	tr.Add(&sum.Points[0], trace([2]int{1, 0}, [2]int{2, 1}, [2]int{1, 3}, [2]int{0, 5}))
	tr.Add(&sum.Points[0], trace([2]int{1, 0}, [2]int{1, 1})) // stopped after round 1
	c := find(t, ScenarioOf(sum, tr), "convergence")
	var inf, rem *Series
	for i, s := range c.Panels[0].Series {
		switch s.Name {
		case infectiveName:
			inf = &c.Panels[0].Series[i]
		case removedName:
			rem = &c.Panels[0].Series[i]
		}
	}
	if inf == nil || rem == nil || !inf.Dotted || !rem.Faint || inf.Theory || rem.Theory {
		t.Fatalf("infective %+v, removed %+v: want a dotted and a faint measured line", inf, rem)
	}
	// Round 3: trial 0 has (0, 5), trial 1 its final (1, 1).
	wantI, wantR := []float64{1, 1.5, 1, 0.5}, []float64{0, 1, 2, 3}
	for r := range wantI {
		if math.Abs(inf.Y[r]-wantI[r]/10) > 1e-12 || math.Abs(rem.Y[r]-wantR[r]/10) > 1e-12 {
			t.Errorf("round %d: infective %v removed %v, want %v %v", r, inf.Y[r], rem.Y[r], wantI[r]/10, wantR[r]/10)
		}
	}
	if !strings.Contains(c.Note, "dotted") || !strings.HasPrefix(c.Panels[0].Series[0].Name, "informed") {
		t.Errorf("note %q, first series %q: want the states explained and the informed line named", c.Note, c.Panels[0].Series[0].Name)
	}
}

// With many rumors the shares are of the node-rumor pairs injected so
// far, and each rumor's delay to 99 % is counted from its injection:
// rumor 1 (injected at round 2) reaching 99 % at round 5 waited 3.
func TestRumorDelays(t *testing.T) {
	p := mongerPoint("base", 2, 2, 5)
	sum := &results.Summary{Name: "m", Engine: "memory", Points: []results.PointSummary{p}}
	tr := trace([2]int{1, 0}, [2]int{3, 0}, [2]int{10, 1}, [2]int{5, 8}, [2]int{2, 14}, [2]int{0, 20})
	tr.PerRumor = [][]engine.RumorStats{{{Informed: 1}, {}}, {{Informed: 3}, {}}, {{Informed: 10}, {Informed: 1}},
		{{Informed: 10}, {Informed: 3}}, {{Informed: 10}, {Informed: 6}}, {{Informed: 10}, {Informed: 10}}}
	trials := NewTrials()
	trials.Add(&sum.Points[0], tr)
	if d := trials.Delays["base"]; len(d) != 2 || len(d[0]) != 1 || d[0][0] != 2 || len(d[1]) != 1 || d[1][0] != 3 {
		t.Fatalf("delays %v, want [[2] [3]]", d)
	}
	set := ScenarioOf(sum, trials)
	c := find(t, set, "rumor-delays")
	s := c.Panels[0].Series[0]
	if s.Kind != Points || len(s.X) != 2 || s.X[1] != 1 || s.Y[1] != 3 {
		t.Errorf("delays by rumor %+v", s)
	}
	if box := find(t, set, "rumor-delay-spread"); len(box.Panels[0].Series[0].Samples[0]) != 2 {
		t.Errorf("spread %+v, want both rumors' delays", box.Panels[0].Series)
	}
	conv := find(t, set, "convergence")
	// Round 1: one rumor injected, 3+0 pairs of 10; round 2: two, 11 of 20.
	for _, s := range conv.Panels[0].Series {
		if s.Name == infectiveName && (s.Y[1] != 0.3 || s.Y[2] != 0.5) {
			t.Errorf("infective shares %v, want 0.3 at round 1 and 10/20 at round 2", s.Y)
		}
	}
	if !strings.Contains(conv.Y.Label, "pairs") {
		t.Errorf("y axis %q: want it to say the shares are of node-rumor pairs", conv.Y.Label)
	}
}

// A wave-1 summary gets none of the mongering charts.
func TestWaveOneHasNoMongeringCharts(t *testing.T) {
	sum := summary(t, fanoutSweep)
	for _, c := range Scenario(sum, nil).Charts {
		if strings.HasPrefix(c.Name, "rumor-") || c.Name == "sweep-residue" {
			t.Errorf("chart %s on a wave-1 result", c.Name)
		}
	}
}

// A feedback coin point has the continuous-time model beside the
// synchronous one, labelled as the residue equation: its informed share
// levels off at 1 − s with s = e^{−2(1−s)} = 0.203 for k = 1; a counter
// point has none.
func TestContinuousTimeModelOfFeedbackCoin(t *testing.T) {
	p := mongerPoint("base", 0, 0, 60)
	p.Params.Nodes = 1000
	p.Params.Stop = results.StopParams{Rule: "coin", K: 1, Feedback: true}
	counter := mongerPoint("counter", 0, 0, 60)
	sum := &results.Summary{Name: "m", Engine: "memory", Points: []results.PointSummary{p, counter}}
	c := find(t, Scenario(sum, nil), "convergence")
	var got []Series
	for _, s := range c.Panels[0].Series {
		if s.Name == continuousName {
			got = append(got, s)
		}
	}
	if len(got) != 1 || !got[0].Theory || !got[0].Dashed || !strings.Contains(got[0].Name, "continuous-time residue equation") {
		t.Fatalf("continuous-time lines %+v, want one dashed theory line for the coin point", got)
	}
	if end := got[0].Y[len(got[0].Y)-1]; math.Abs(end-(1-0.2032)) > 0.005 {
		t.Errorf("continuous-time model ends at %.4f informed, want 1 − 0.2032", end)
	}
}

// Where summary.json has the rumors' summary, the per-rumor chart reads
// each rumor's delay from it, and without the trials' samples the spread
// is drawn from its median, 90th percentile and extremes.
func TestRumorChartsFromTheSummary(t *testing.T) {
	p := mongerPoint("base", 2, 2, 5)
	p.Rumors = &results.RumorSummary{Delay99: results.Spread{Stats: results.Describe([]float64{2, 3, 9}), P90: 7.8},
		PerRumor: []results.RumorPoint{{Rumor: 0, Delay99: results.Describe([]float64{2})}, {Rumor: 1, InjectedAt: 2, Delay99: results.Describe([]float64{3, 9})}}}
	set := Scenario(&results.Summary{Name: "m", Engine: "memory", Points: []results.PointSummary{p}}, nil)
	if s := find(t, set, "rumor-delays").Panels[0].Series[0]; len(s.Y) != 2 || s.Y[1] != 6 {
		t.Errorf("delays by rumor %+v, want rumor 1's mean 6 from the summary", s)
	}
	sp := find(t, set, "rumor-delay-spread").Panels[0].Series
	if len(sp) != 2 || sp[0].Y[0] != 3 || sp[0].Lo[0] != 2 || sp[0].Hi[0] != 9 || sp[1].Y[0] != 7.8 {
		t.Errorf("spread %+v, want median 3 from 2 to 9 and p90 7.8", sp)
	}
}

// A swept stop-rule limit is the sweep charts' x axis whatever order the
// file swept it in: residue against k, a panel per value of the others.
func TestStopLimitOnTheXAxis(t *testing.T) {
	sum := &results.Summary{Name: "d", Engine: "memory", Sweep: []string{"stop.k", "stop.reset"}}
	for _, k := range []string{"1", "2"} {
		for _, reset := range []string{"false", "true"} {
			p := mongerPoint("stop.k="+k+",stop.reset="+reset, 0, 0, 3)
			p.Metrics[results.Residue] = results.Describe([]float64{0.1, 0.2})
			sum.Points = append(sum.Points, p)
		}
	}
	c := find(t, Scenario(sum, nil), "sweep-residue")
	if c.X.Label != KeyLabel("stop.k") || len(c.Panels) != 2 || c.Panels[0].Title != "stop.reset = false" {
		t.Errorf("x %q, %d panels (first %q): want k on x and a panel per reset", c.X.Label, len(c.Panels), c.Panels[0].Title)
	}
}
