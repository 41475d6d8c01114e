package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// summary runs a small scenario on the memory engine and reads back the
// summary.json it wrote, as the renderers do.
func summary(t *testing.T, yaml string) *results.Summary {
	t.Helper()
	dir := resultstest.Write(t, t.TempDir(), yaml, true)
	return resultstest.Open(t, dir).Summary
}

func find(t *testing.T, set Set, name string) Chart {
	t.Helper()
	for _, c := range set.Charts {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no chart %q among %d", name, len(set.Charts))
	return Chart{}
}

const fanoutSweep = `name: fanout
nodes: 300
mode: push
trials: 8
seed: 2
failures:
  - {round: 3, crash: 0.1}
sweep:
  fanout: [1, 2, 4]
`

// The convergence chart draws each point's curve from summary.json as it
// is, rounds for rounds: the share informed of the alive, its band, and
// the theory as its own dashed legend entry; the failure is marked.
func TestConvergenceDrawsTheSummary(t *testing.T) {
	sum := summary(t, fanoutSweep)
	c := find(t, Scenario(sum, nil), "convergence")
	if len(c.Panels) != 1 {
		t.Fatalf("%d panels for a one-key sweep, want 1", len(c.Panels))
	}
	p := c.Panels[0]
	colours := map[string]string{}
	for i, pt := range sum.Points {
		label := strconv.Itoa(pt.Params.Fanout)
		var mean, band, theory *Series
		for j := range p.Series {
			s := &p.Series[j]
			switch {
			case s.Name == label && s.Kind == Line:
				mean = s
			case s.Name == label && s.Kind == Band:
				band = s
			case s.Theory && s.Color == Colour(i):
				theory = s
			}
		}
		if mean == nil || band == nil || theory == nil {
			t.Fatalf("point %s: mean %v, band %v, theory %v", pt.ID, mean != nil, band != nil, theory != nil)
		}
		cv := pt.Curve
		if len(mean.X) != len(cv.Round) || len(mean.Y) != len(cv.Round) {
			t.Errorf("point %s: %d x and %d y for %d rounds: a curve is drawn as long as it is", pt.ID, len(mean.X), len(mean.Y), len(cv.Round))
		}
		for r := range cv.Round {
			want := cv.InformedMean[r] / cv.AliveMean[r]
			if mean.X[r] != float64(cv.Round[r]) || math.Abs(mean.Y[r]-want) > 1e-12 {
				t.Fatalf("point %s round %d: (%v, %v), want (%d, %v)", pt.ID, r, mean.X[r], mean.Y[r], cv.Round[r], want)
			}
			if lo, hi := cv.InformedP05[r]/cv.AliveMean[r], cv.InformedP95[r]/cv.AliveMean[r]; band.Lo[r] != lo || band.Hi[r] != hi {
				t.Fatalf("point %s round %d: band %v–%v, want %v–%v", pt.ID, r, band.Lo[r], band.Hi[r], lo, hi)
			}
			if th := cv.Theory[r] / cv.AliveMean[r]; math.Abs(theory.Y[r]-th) > 1e-12 {
				t.Fatalf("point %s round %d: theory %v, want %v", pt.ID, r, theory.Y[r], th)
			}
		}
		if theory.Name != theoryName || !theory.Dashed {
			t.Errorf("theory series %q dashed=%v, want %q dashed", theory.Name, theory.Dashed, theoryName)
		}
		if other, seen := colours[mean.Color]; seen {
			t.Errorf("points %s and %s share colour %s", other, pt.ID, mean.Color)
		}
		colours[mean.Color] = pt.ID
	}
	if len(p.Markers) != 1 || p.Markers[0].X != 3 || !strings.Contains(p.Markers[0].Label, "10 % of nodes crash") {
		t.Errorf("markers %+v, want one at round 3 saying 10 %% crash", p.Markers)
	}
	var theories int
	for _, e := range c.Legend() {
		if e.Name == theoryName {
			theories++
			if !e.Shared {
				t.Errorf("the theory entry stands for %d colours but is not Shared", len(sum.Points))
			}
		}
	}
	if theories != 1 {
		t.Errorf("%d theory legend entries, want 1", theories)
	}
}

// Sweep charts put the swept values on a numeric axis, on a log scale
// where they span decades, categories only where they are not numbers;
// each mean carries its 95 % interval from summary.json.
func TestSweepAxes(t *testing.T) {
	for _, tc := range []struct {
		sweep       string
		scale       Scale
		categorical bool
	}{
		{"fanout: [1, 2, 4]", Linear, false},
		{"loss: [0, 0.1, 0.3]", Linear, false},
		{"nodes: [50, 500, 5000]", Log, false},
		{"mode: [push, pull, pushpull]", Linear, true},
	} {
		t.Run(tc.sweep, func(t *testing.T) {
			sum := summary(t, "name: s\nnodes: 200\nfanout: 2\ntrials: 6\nseed: 4\nsweep:\n  "+tc.sweep+"\n")
			c := find(t, Scenario(sum, nil), "sweep")
			if c.X.Scale != tc.scale || c.X.Categorical != tc.categorical {
				t.Fatalf("x axis scale %v categorical %v, want %v %v", c.X.Scale, c.X.Categorical, tc.scale, tc.categorical)
			}
			key := sum.Sweep[0]
			var means int
			for _, s := range c.Panels[0].Series {
				if s.Kind != Points || s.Theory || s.Glyph == Dash {
					continue
				}
				means++
				if s.Connect == tc.categorical {
					t.Errorf("%s: connect %v on a categorical=%v axis", s.Name, s.Connect, tc.categorical)
				}
				metric := results.RoundsTo99
				if strings.Contains(s.Name, "100") {
					metric = results.RoundsToFull
				}
				for j, x := range s.X {
					if j > 0 && x <= s.X[j-1] {
						t.Errorf("%s: x %v after %v: not in order", s.Name, x, s.X[j-1])
					}
					pt := pointAt(t, sum, key, x, c.X)
					st := pt.Metrics[metric]
					if s.Y[j] != st.Mean || s.Lo[j] != st.CI95[0] || s.Hi[j] != st.CI95[1] {
						t.Errorf("%s at %v: %v [%v, %v], want %v %v", s.Name, x, s.Y[j], s.Lo[j], s.Hi[j], st.Mean, st.CI95)
					}
				}
			}
			if means != 2 {
				t.Errorf("%d mean series, want rounds to 99 %% and to 100 %%", means)
			}
		})
	}
}

// pointAt is the point whose swept value sits at x on the axis.
func pointAt(t *testing.T, sum *results.Summary, key string, x float64, a Axis) results.PointSummary {
	t.Helper()
	want := strconv.FormatFloat(x, 'f', -1, 64)
	if a.Categorical {
		want = a.Ticks[int(x)].Label
	}
	for _, p := range sum.Points {
		if strings.Contains(","+p.ID+",", ","+key+"="+want+",") {
			return p
		}
	}
	t.Fatalf("no point with %s=%s", key, want)
	return results.PointSummary{}
}

// A grid sweep is small multiples: a panel per value of the first key,
// the last key on the x axis, and a point's colour the same in every
// panel it is in.
func TestGridIsSmallMultiples(t *testing.T) {
	sum := summary(t, "name: g\nnodes: 100\nfanout: 2\ntrials: 4\nseed: 5\nsweep:\n  mode: [push, pull, pushpull]\n  loss: [0, 0.1]\n  max_rounds: [30, 60]\n")
	set := Scenario(sum, nil)
	conv := find(t, set, "convergence")
	if len(conv.Panels) != 3 || conv.Panels[1].Title != "mode = pull" {
		t.Fatalf("%d panels, second %q; want 3, \"mode = pull\"", len(conv.Panels), conv.Panels[1].Title)
	}
	colour := map[string]string{}
	for _, p := range conv.Panels {
		names := map[string]bool{}
		for _, s := range p.Series {
			if s.Theory || s.Kind != Line {
				continue
			}
			if names[s.Name] {
				t.Errorf("panel %q: two lines named %q", p.Title, s.Name)
			}
			names[s.Name] = true
			if c, ok := colour[s.Name]; ok && c != s.Color {
				t.Errorf("%q is %s in one panel and %s in another", s.Name, c, s.Color)
			}
			colour[s.Name] = s.Color
		}
		if len(names) != 4 {
			t.Errorf("panel %q: %d lines, want 4 (loss x max_rounds)", p.Title, len(names))
		}
	}
	sw := find(t, set, "sweep")
	if sw.X.Label != KeyLabel("max_rounds") || sw.LegendTitle != "loss" {
		t.Errorf("sweep x %q legend %q, want the last key on x and the middle one in the legend", sw.X.Label, sw.LegendTitle)
	}
}

// Without a sweep a single point's series are named for what they show.
func TestSinglePoint(t *testing.T) {
	sum := summary(t, resultstest.Scenario)
	set := Scenario(sum, map[string][]float64{sum.Points[0].ID: {7, 8, 8, 9}})
	conv := find(t, set, "convergence")
	names := []string{}
	for _, e := range conv.Legend() {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, "|"); got != "mean of 30 trials|"+theoryName {
		t.Errorf("legend %q", got)
	}
	if d := find(t, set, "distribution"); len(d.Panels[0].Series) != 1 || len(d.Panels[0].Series[0].Samples[0]) != 4 {
		t.Errorf("distribution %+v", d.Panels)
	}
	for _, c := range set.Charts {
		if strings.HasPrefix(c.Name, "sweep") {
			t.Errorf("chart %s without a sweep", c.Name)
		}
	}
	if set.Details != "memory engine, 30 trials" {
		t.Errorf("details %q", set.Details)
	}
}
