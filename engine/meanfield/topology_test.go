package meanfield

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// The constants as Fountoulakis and Panagiotou tabulate them (their
// Table 1, three decimals), checked against the formula: a slip in it
// (a sign, 1/d for 1−1/d) moves them by far more than the rounding.
func TestRegularSlopeReproducesThePaper(t *testing.T) {
	for d, want := range map[float64]float64{3: 4.298, 4: 3.335, 8: 2.723} {
		if got := RegularSlope(d); math.Abs(got-want) > 0.0005 {
			t.Errorf("C_%g = %.4f, the paper has %.3f", d, got, want)
		}
	}
	// Both results tend to the complete graph's log2 n + ln n.
	complete := 1/math.Ln2 + 1
	if got := RegularSlope(1e6); math.Abs(got-complete) > 1e-4 {
		t.Errorf("C_d for large d = %.5f, want the complete graph's %.5f", got, complete)
	}
	if got := GnpGamma(1e6); math.Abs(got-1) > 1e-5 {
		t.Errorf("γ(c) for large c = %.6f, want 1", got)
	}
	// γ(2) = 2 ln 2, γ(4) = 4 ln(4/3).
	for c, want := range map[float64]float64{2: 2 * math.Ln2, 4: 4 * math.Log(4.0/3)} {
		if got := GnpGamma(c); math.Abs(got-want) > 1e-12 {
			t.Errorf("γ(%g) = %g, want %g", c, got, want)
		}
	}
}

func TestCoversTopologies(t *testing.T) {
	reg := engine.Topology{Kind: engine.TopologyRegular, Degree: 4}
	base := engine.Config{Nodes: 1 << 12, Topology: reg, Mode: engine.Push, Fanout: 1, MaxRounds: 200, Source: -1}
	with := func(f func(*engine.Config)) engine.Config {
		c := base
		f(&c)
		return c
	}
	lnN := math.Log(float64(base.Nodes))
	for _, c := range []struct {
		name   string
		cfg    engine.Config
		reason string // "" covered, else a part of the reason
	}{
		{"regular push", base, ""},
		{"lockstep real nodes", with(func(c *engine.Config) { c.Net.Interval = time.Second }), ""},
		{"erdos-renyi degree 4 ln n", with(func(c *engine.Config) {
			c.Topology = engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 4 * lnN}
		}), ""},
		{"erdos-renyi p", with(func(c *engine.Config) {
			c.Topology = engine.Topology{Kind: engine.TopologyErdosRenyi, P: 2 * lnN / float64(c.Nodes)}
		}), ""},
		{"erdos-renyi below connectivity", with(func(c *engine.Config) {
			c.Topology = engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 4}
		}), "c > 1"},
		{"regular degree 2", with(func(c *engine.Config) { c.Topology.Degree = 2 }), "degree 3 or more"},
		{"pull", with(func(c *engine.Config) { c.Mode = engine.Pull }), "no closed form for pull"},
		{"pushpull", with(func(c *engine.Config) { c.Mode = engine.PushPull }), "pushpull"},
		{"fanout 2", with(func(c *engine.Config) { c.Fanout = 2 }), "fanout 2"},
		{"loss", with(func(c *engine.Config) { c.Loss = 0.1 }), "loss"},
		{"failures", with(func(c *engine.Config) {
			c.Failures = []engine.Failure{{Round: 50, Fraction: 0.001}}
		}), "failures"},
		{"free running", with(func(c *engine.Config) { c.Net.Free = true }), "free-running"},
		{"ring", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologyRing, Degree: 2} }), "no closed form for gossip on a ring"},
		{"grid", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologyGrid} }), "grid"},
		{"hypercube", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologyHypercube} }), "hypercube"},
		{"small-world", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologySmallWorld, Degree: 4} }), "small-world"},
		{"scale-free", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologyScaleFree, Degree: 4} }), "scale-free"},
		{"file", with(func(c *engine.Config) { c.Topology = engine.Topology{Kind: engine.TopologyFile} }), "file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, reason := Covers(c.cfg)
			if ok != (c.reason == "") || !strings.Contains(reason, c.reason) || ok != (reason == "") {
				t.Errorf("Covers = %v, %q; want covered %v, a reason containing %q", ok, reason, c.reason == "", c.reason)
			}
		})
	}
}

// Off the complete graph the prediction is the leading term and nothing
// else: no curve to draw, no rounds to 50 %, no messages.
func TestPredictOnATopologyIsTheLeadingTermOnly(t *testing.T) {
	n := 1 << 16
	p := Params{Nodes: n, Mode: engine.Push, Fanout: 1, Topology: engine.Topology{Kind: engine.TopologyRegular, Degree: 8}}
	pr := Predict(p, 1000)
	if want := RegularSlope(8) * math.Log(float64(n)); math.Abs(pr.RoundsToFull-want) > 1e-9 {
		t.Errorf("rounds_to_full %g, want C_8 ln n = %g", pr.RoundsToFull, want)
	}
	for name, v := range map[string]float64{"50": pr.RoundsTo50, "90": pr.RoundsTo90, "99": pr.RoundsTo99, "messages": pr.MessagesPerNode} {
		if !math.IsNaN(v) {
			t.Errorf("%s is %g, want none", name, v)
		}
	}
	if pr.Curve != nil {
		t.Errorf("a curve of %d rounds: the complete graph's would be drawn", len(pr.Curve))
	}
	if pr := Predict(p, 20); !math.IsNaN(pr.RoundsToFull) {
		t.Errorf("max_rounds 20: rounds_to_full %g, want none (past max_rounds)", pr.RoundsToFull)
	}
	er := Params{Nodes: n, Mode: engine.Push, Fanout: 1, Topology: engine.Topology{Kind: engine.TopologyErdosRenyi, P: 2 * math.Log(float64(n)) / float64(n)}}
	if got, want := Predict(er, 1000).RoundsToFull, math.Log2(float64(n))+2*math.Ln2*math.Log(float64(n)); math.Abs(got-want) > 1e-9 {
		t.Errorf("G(n, p), c = 2: rounds_to_full %g, want log2 n + γ(2) ln n = %g", got, want)
	}
	if Source(engine.TopologyRegular) == "" || Source(engine.TopologyErdosRenyi) == "" || Source(engine.TopologyComplete) != "" || Source("") != "" {
		t.Error("Source: want a label for regular and erdos-renyi, none for the complete graph")
	}
}
