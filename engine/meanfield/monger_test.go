package meanfield

import (
	"math"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f ± %g", what, got, want, tol)
	}
}

// The roots of s = e^{-a(1-s)} to 4 digits (Demers et al. quote 0.203 and
// 0.0595), and s = 1 where the rumor dies out.
func TestResidueRoot(t *testing.T) {
	near(t, "a=2", ResidueRoot(2), 0.2032, 5e-5)
	near(t, "a=3", ResidueRoot(3), 0.0595, 5e-5)
	near(t, "a=4", ResidueRoot(4), 0.0198, 5e-5)
	near(t, "a=1", ResidueRoot(1), 1, 0)
	for _, a := range []float64{1.5, 2, 3, 7} {
		s := ResidueRoot(a)
		near(t, "fixed point", s, math.Exp(-a*(1-s)), 1e-12)
	}
}

func TestContinuousResidue(t *testing.T) {
	for _, c := range []struct {
		stop engine.Stop
		loss float64
		s, m float64
	}{
		{engine.Stop{Rule: engine.StopCoin, K: 1, Feedback: true}, 0, 0.2032, 1.5936},
		{engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true}, 0, 0.0595, 2.8214},
		{engine.Stop{Rule: engine.StopCoin, K: 2}, 0, 0.2032, 1.5936}, // blind k is feedback k-1
		{engine.Stop{Rule: engine.StopCoin, K: 1}, 0, 1, 0},
		{engine.Stop{Rule: engine.StopCoin, K: 1, Feedback: true}, 0.5, 0.2032, 2 * 1.5936}, // loss: the same residue for twice the traffic
		{engine.Stop{Rule: engine.StopTransmits, Mult: 1}, 0, 0.0198, 3.9207},               // L = ⌈log10 1001⌉ = 4
	} {
		s, m, ok := ContinuousResidue(c.stop, 1000, c.loss)
		if !ok {
			t.Fatalf("%+v: no closed form", c.stop)
		}
		near(t, c.stop.Rule.String()+" s", s, c.s, 5e-5)
		near(t, c.stop.Rule.String()+" m", m, c.m, 5e-4)
	}
	if _, _, ok := ContinuousResidue(engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true, Reset: true}, 1000, 0); ok {
		t.Error("a counter with reset has no closed form")
	}
}

// The integrated equations end at the root: the curve and the equation
// are the same model.
func TestContinuousCurveEndsAtTheRoot(t *testing.T) {
	for _, st := range []engine.Stop{
		{Rule: engine.StopCoin, K: 1, Feedback: true}, {Rule: engine.StopCounter, K: 3, Feedback: true},
		{Rule: engine.StopCoin, K: 3}, {Rule: engine.StopCounter, K: 2}, {Rule: engine.StopTransmits, Mult: 1},
	} {
		c := ContinuousCurve(Params{Nodes: 1_000_000, Mode: engine.Push, Fanout: 1, Stop: st}, 1000)
		last := c[len(c)-1]
		s, _, _ := ContinuousResidue(st, 1_000_000, 0)
		near(t, st.Rule.String()+" residue of the curve", 1-last.Informed/last.Alive, s, 2e-4)
	}
}

// Rounds 1 and 2 of feedback counter k=1 on 101 nodes, by hand. Round 1:
// the source's push reaches one of 100 nodes, none knew, so it counts
// nothing: 2 infective, 99 susceptible. Round 2: a susceptible node stays
// so with 0.99² = 0.9801, 99·0.0199 = 1.9701 learn; each pusher's peer
// knew with 1/100, so 0.02 are removed.
func TestMongerFirstRoundsByHand(t *testing.T) {
	p := Params{Nodes: 101, Mode: engine.Push, Fanout: 1, Stop: engine.Stop{Rule: engine.StopCounter, K: 1, Feedback: true}}
	c := MongerTrajectory(p, 2)
	near(t, "round 1 informed", c[1].Informed, 2, 1e-12)
	near(t, "round 1 infective", c[1].Infective, 2, 1e-12)
	near(t, "round 1 sent", c[1].Sent, 1, 1e-12)
	near(t, "round 2 informed", c[2].Informed, 2+1.9701, 1e-12)
	near(t, "round 2 removed", c[2].Removed, 0.02, 1e-12)
	near(t, "round 2 infective", c[2].Infective, 2-0.02+1.9701, 1e-12)
	near(t, "round 2 sent", c[2].Sent, 2, 1e-12)
}

// One node's round of two pushes, by hand: 11 nodes, 4 of its 10 peers
// knew, loss 0.5. Slot 1 reaches one that knew with 4/10, slot 2 with 3/9
// after one, 4/9 after none; a push counts (feedback) when it reached one
// that knew and was delivered.
func TestContactsByHand(t *testing.T) {
	both := 0.4 * 3.0 / 9 * 0.25                      // both counted
	one := 0.4*3.0/9*0.5 + (0.4*6.0/9+0.6*4.0/9)*0.5  // exactly one counted
	lastOnly := 0.4*0.5*(3.0/9)*0.5 + 0.6*(4.0/9)*0.5 // slot 1 not counted, slot 2 counted
	for _, c := range []struct {
		stop engine.Stop
		want []float64 // class 0, class 1, removed
	}{
		{engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true}, []float64{1 - both - one, one, both}},
		{engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true, Reset: true}, []float64{1 - both - lastOnly, lastOnly, both}},
		{engine.Stop{Rule: engine.StopCoin, K: 2, Feedback: true}, []float64{1 - one/2 - 3*both/4, one/2 + 3*both/4}},
		{engine.Stop{Rule: engine.StopCoin, K: 2}, []float64{0.25, 0.75}}, // blind: two coins
	} {
		m := newMongerModel(Params{Nodes: 11, Mode: engine.Push, Fanout: 2, Loss: 0.5, Stop: c.stop})
		got := m.contacts(0, 4)
		for i := range c.want {
			near(t, c.stop.Rule.String()+" class", got[i], c.want[i], 1e-12)
		}
	}
}

// Under transmits every informed node sends exactly L pushes, and under a
// blind counter f·⌈k/f⌉: the model's traffic is that per informed node.
func TestMongerTrafficPerInformedNode(t *testing.T) {
	for _, c := range []struct {
		stop   engine.Stop
		fanout int
		each   float64
	}{
		{engine.Stop{Rule: engine.StopTransmits, Mult: 4}, 3, 0}, // L = 4·⌈log10 1001⌉ = 16, ⌈16/3⌉ = 6 rounds
		{engine.Stop{Rule: engine.StopCounter, K: 5}, 2, 6},
	} {
		p := Params{Nodes: 1000, Mode: engine.Push, Fanout: c.fanout, Loss: 0.1, Stop: c.stop}
		if c.stop.Rule == engine.StopTransmits {
			c.each = float64(c.stop.Transmits(1000))
		}
		pr := Predict(p, 1000)
		last := pr.Curve[len(pr.Curve)-1]
		near(t, c.stop.Rule.String()+" messages per informed node", pr.MessagesPerNode*1000/last.Informed, c.each, 1e-4)
		for r, st := range pr.Curve {
			if math.Abs(st.Infective+st.Removed-st.Informed) > 1e-9 {
				t.Fatalf("round %d: %v infective + %v removed != %v informed", r, st.Infective, st.Removed, st.Informed)
			}
		}
	}
}

func TestMongerPrediction(t *testing.T) {
	pr := Predict(Params{Nodes: 1000, Mode: engine.Push, Fanout: 1, Stop: engine.Stop{Rule: engine.StopCounter, K: 1, Feedback: true}}, 200)
	if pr.Stop == nil || !math.IsNaN(pr.RoundsToFull) {
		t.Fatalf("a stop rule's prediction: %+v", pr)
	}
	// s = e^{-m·n/(n-1)}: every push reaches a uniform node of n-1.
	near(t, "residue against traffic", pr.Stop.Residue, math.Exp(-pr.MessagesPerNode*1000/999), 0.01)
	if Predict(Params{Nodes: 1000, Mode: engine.Push, Fanout: 1}, 200).Stop != nil {
		t.Error("no stop rule, but a stop prediction")
	}
	cut := Predict(Params{Nodes: 1000, Mode: engine.Push, Fanout: 1, Stop: engine.Stop{Rule: engine.StopCounter, K: 1, Feedback: true}}, 5)
	if !math.IsNaN(cut.Stop.RoundsToQuiet) {
		t.Errorf("5 rounds cannot reach quiet: %+v", cut.Stop)
	}
}

func TestCoversMonger(t *testing.T) {
	base := engine.Config{Nodes: 1000, Mode: engine.Push, Fanout: 1, MaxRounds: 100, Source: -1,
		Stop: engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true}}
	with := func(f func(*engine.Config)) engine.Config {
		c := base
		f(&c)
		return c
	}
	for _, c := range []struct {
		name   string
		cfg    engine.Config
		reason string // "" when covered
	}{
		{"push counter", base, ""},
		{"loss", with(func(c *engine.Config) { c.Loss = 0.3 }), ""},
		{"transmits", with(func(c *engine.Config) { c.Stop = engine.Stop{Rule: engine.StopTransmits, Mult: 4}; c.Fanout = 3 }), ""},
		{"pull", with(func(c *engine.Config) { c.Mode = engine.Pull }), "pull"},
		{"regular graph", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologyRegular, Degree: 3} }), "regular"},
		{"many rumors", with(func(c *engine.Config) { c.Rumors = engine.Rumors{Count: 3, Every: 1} }), "many rumors"},
		{"budget", with(func(c *engine.Config) { c.Packet.MaxRumors = 2 }), "budget"},
		{"anti-entropy", with(func(c *engine.Config) { c.AntiEntropy.Every = 5 }), "anti-entropy"},
		{"no stop rule", with(func(c *engine.Config) { c.Stop = engine.Stop{}; c.AntiEntropy.Every = 5 }), "without a stop rule"},
		{"failures", with(func(c *engine.Config) { c.Failures = []engine.Failure{{Round: 20, Fraction: 0.001}} }), "failures"},
		{"huge k", with(func(c *engine.Config) { c.Stop.K = 1_000_000 }), "1000000"},
	} {
		ok, reason := Covers(c.cfg)
		if ok != (c.reason == "") || !strings.Contains(reason, c.reason) {
			t.Errorf("%s: Covers = %v, %q; want a reason containing %q", c.name, ok, reason, c.reason)
		}
	}
}

func TestSourceOf(t *testing.T) {
	if SourceOf("", engine.StopCounter) != SourceMonger || SourceOf(engine.TopologyRegular, engine.StopNone) != SourceRegular || SourceOf("", engine.StopNone) != "" {
		t.Error("SourceOf names the wrong model")
	}
}
