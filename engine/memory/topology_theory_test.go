package memory_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/meanfield"
	"github.com/gossipbench/gossipbench/engine/memory"
	"gonum.org/v1/gonum/stat"
)

// Push with fanout 1 on random graphs against the asymptotic results
// (docs/design.md, "Theory on topologies"): rounds to full is
// (1+o(1))·C_d·ln n on random d-regular graphs (Fountoulakis and
// Panagiotou 2010) and log2 n + γ(c)·ln n + o(ln n) on G(n, p) with
// p = c·ln n/n (Panagiotou, Pérez-Giménez, Sauerwald and Sun 2015).
//
// Neither result gives the O(1) term, so the tests do not compare a mean
// with C_d·ln n: they fit the mean rounds to full against ln n over a
// range of sizes and compare the SLOPE, which the constant term does not
// move. The slope's tolerance is z standard errors (z = slopeZ), the
// standard error from the per-size standard errors of the mean (weighted
// least squares). Finite-n caveat: the theorems bound the remainder only
// as o(ln n); a remainder that still changes across the sizes fitted (a
// ln ln n term, or the first rounds' randomness settling) bends the line,
// and the fitted slope is then the theory's only as far as that bend is
// within the tolerance. The -short sizes, 2^8 to 2^12, are where it bends
// most, and their tolerance is wider by the larger standard error of the
// shorter range, not by an allowance of their own; the fit the long run
// gives is stated in docs/design.md.
//
// Each test also rejects the neighbouring model: the fitted slope is
// further than the tolerance from the wrong constant (C_4 for d = 3, the
// complete graph's 1/ln 2 + 1 for d = 8), so the tolerance is tight
// enough to tell them apart.

// slopeZ is the z of the slopes' tolerance: two-sided, a 0.3 % chance of a
// false alarm per slope under the theory, for seeds that are fixed anyway.
const slopeZ = 3

// sizes are the exponents k of n = 2^k a slope is fitted over, with the
// trials run at each, in -short and in the long run. The spread of rounds
// to full does not grow with n, so each size gets as many trials: the big
// graphs cost the most (a trial on 2^20 nodes takes seconds) and pull the
// slope the most.
type slopeSizes struct {
	short, long []int
	m, mShort   int
}

func (s slopeSizes) pick() ([]int, int) {
	if testing.Short() {
		return s.short, s.mShort
	}
	return s.long, s.m
}

type slopeFit struct {
	slope, se float64
	ks        []int
	means     []float64
}

// fitRoundsSlope runs push, fanout 1, on topology(n) for each size and fits
// mean rounds to full = a + slope·ln n by weighted least squares, weights
// 1/se² of each mean. Trials whose graph left nodes out of the source's
// component (G(n, p) can be disconnected) are not counted: the results are
// for connected graphs; at most one in ten may be lost so.
func fitRoundsSlope(t *testing.T, ks []int, m int, topology func(n int) engine.Topology) slopeFit {
	t.Helper()
	var xs, ys, ws []float64
	fit := slopeFit{ks: ks}
	for _, k := range ks {
		n := 1 << k
		cfg := engine.Config{Nodes: n, Topology: topology(n), Mode: engine.Push, Fanout: 1, MaxRounds: 1000, Source: -1}
		var rounds []float64
		for i := range m {
			cfg.Seed = uint64(1_000_003*i + 17*k + 5)
			tr, err := engine.Collect(context.Background(), memory.Engine{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Graph == nil {
				t.Fatal("no graph facts in round 0")
			}
			if tr.Graph.SourceComponent < n {
				continue
			}
			r, ok := tr.RoundsTo(1)
			if !ok {
				t.Fatalf("n=2^%d trial %d: did not converge on a connected graph in %d rounds", k, i, cfg.MaxRounds)
			}
			rounds = append(rounds, float64(r))
		}
		if len(rounds) < m*9/10 {
			t.Fatalf("n=2^%d: %d of %d graphs connected", k, len(rounds), m)
		}
		mean, sd := stat.MeanStdDev(rounds, nil)
		se := sd / math.Sqrt(float64(len(rounds)))
		xs, ys, ws = append(xs, math.Log(float64(n))), append(ys, mean), append(ws, 1/(se*se))
		fit.means = append(fit.means, mean)
	}
	// Weighted least squares: slope = Σw(x-x̄)(y-ȳ)/Σw(x-x̄)², with x̄, ȳ
	// weighted means; its variance is 1/Σw(x-x̄)² when the weights are the
	// inverse variances of the ys.
	xbar, ybar := stat.Mean(xs, ws), stat.Mean(ys, ws)
	var sxy, sxx float64
	for i := range xs {
		sxy += ws[i] * (xs[i] - xbar) * (ys[i] - ybar)
		sxx += ws[i] * (xs[i] - xbar) * (xs[i] - xbar)
	}
	fit.slope, fit.se = sxy/sxx, 1/math.Sqrt(sxx)
	return fit
}

func (f slopeFit) String() string {
	return fmt.Sprintf("slope %.3f ± %.3f (se) over n = 2^%d..2^%d, means %.2f", f.slope, f.se, f.ks[0], f.ks[len(f.ks)-1], f.means)
}

// checkSlope compares a fitted slope with the theory's and makes sure it
// tells the wrong model apart.
func checkSlope(t *testing.T, f slopeFit, want float64, wrongName string, wrong float64) {
	t.Helper()
	tol := slopeZ * f.se
	t.Logf("%v; theory %.3f ± %.3f; %s %.3f", f, want, tol, wrongName, wrong)
	if math.Abs(f.slope-want) > tol {
		t.Errorf("%v: theory %.3f ± %.3f (%d se)", f, want, tol, slopeZ)
	}
	if math.Abs(f.slope-wrong) <= tol {
		t.Errorf("%v: as near %s's %.3f as the tolerance %.3f: the test cannot tell the two apart", f, wrongName, wrong, tol)
	}
}

func TestPushOnRandomRegularGraphsFollowsFountoulakisPanagiotou(t *testing.T) {
	complete := 1/math.Ln2 + 1
	c3, c4 := meanfield.RegularSlope(3), meanfield.RegularSlope(4)
	for _, c := range []struct {
		d               float64
		wrongName       string
		wrong           float64
		wrongShortName  string // the short range's wrong model, where the long one's is too near
		wrongShort      float64
		trials, trialsS int
	}{
		// d = 3 and 4 are ~1 apart per ln n, d = 8 and the complete graph
		// 0.28: it needs the most trials, and the short range, whose se
		// is about 0.23, tells it from C_3 only.
		{3, "C_4", c4, "C_4", c4, 6, 20},
		{4, "C_3", c3, "C_3", c3, 6, 20},
		{8, "the complete graph", complete, "C_3", c3, 10, 20},
	} {
		t.Run(fmt.Sprintf("d=%g", c.d), func(t *testing.T) {
			ks, m := slopeSizes{short: []int{10, 11, 12, 13}, long: []int{10, 12, 14, 16, 18, 20}, m: c.trials, mShort: c.trialsS}.pick()
			f := fitRoundsSlope(t, ks, m, func(int) engine.Topology {
				return engine.Topology{Kind: engine.TopologyRegular, Degree: c.d}
			})
			wrongName, wrong := c.wrongName, c.wrong
			if testing.Short() {
				wrongName, wrong = c.wrongShortName, c.wrongShort
			}
			checkSlope(t, f, meanfield.RegularSlope(c.d), wrongName, wrong)
		})
	}
}

// The wrong model for G(n, p) is log2 n alone, γ = 0: the test sees the
// γ(c)·ln n term, the graph's own. It cannot tell c = 2 from c = 4 (0.24
// apart per ln n) or c = 2 from the complete graph (0.39) within this
// budget: the spread of rounds to full on G(n, p) near connectivity is two
// to four times the regular graphs' (nodes of degree 1 or 2 wait for their
// one neighbour to pick them).
func TestPushOnGnpFollowsPanagiotouEtAl(t *testing.T) {
	for _, c := range []float64{2, 4} {
		t.Run(fmt.Sprintf("c=%g", c), func(t *testing.T) {
			if testing.Short() && c == 2 {
				t.Skip("c = 2 spreads too much for the short range to reject anything (se of the slope about 0.7)")
			}
			// Up to 2^16 only: G(n, p) has c·n·ln n/2 edges, drawn anew for
			// every trial, 3 million at 2^18 with c = 4.
			ks, m := slopeSizes{short: []int{10, 11, 12, 13}, long: []int{10, 11, 12, 13, 14, 15, 16}, m: 24, mShort: 20}.pick()
			f := fitRoundsSlope(t, ks, m, func(n int) engine.Topology {
				return engine.Topology{Kind: engine.TopologyErdosRenyi, P: c * math.Log(float64(n)) / float64(n)}
			})
			checkSlope(t, f, 1/math.Ln2+meanfield.GnpGamma(c), "log2 n alone", 1/math.Ln2)
		})
	}
}
