package topology

import (
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine/protocol"
	"gonum.org/v1/gonum/stat/distuv"
)

// edgeCounts are the edge counts of trials graphs from gen, with their
// mean and sample variance.
func edgeCounts(trials int, gen func() *protocol.Lists) (mean, variance float64) {
	var sum, sq float64
	for range trials {
		m := float64(gen().Edges())
		sum += m
		sq += m * m
	}
	mean = sum / float64(trials)
	return mean, (sq - sum*mean) / float64(trials-1)
}

// The edge count is Binomial(N, p), N = n(n-1)/2: its mean within 4
// standard errors and its variance within 4 standard errors of the
// sample variance (sd ≈ var·√(2/(T-1))). The same test rejects G(n, p)
// with p 5% too high (the mean) and G(n, M), the same mean with no
// spread (the variance).
func TestErdosEdgeCount(t *testing.T) {
	const n, p, trials = 200, 0.05, 400
	pairs := float64(n * (n - 1) / 2)
	wantMean, wantVar := pairs*p, pairs*p*(1-p)
	check := func(what string, gen func() *protocol.Lists) bool {
		mean, variance := edgeCounts(trials, gen)
		zMean := (mean - wantMean) / math.Sqrt(wantVar/trials)
		zVar := (variance/wantVar - 1) / math.Sqrt(2.0/(trials-1))
		t.Logf("%s: mean %.1f (want %.1f, z %.1f), variance %.0f (want %.0f, z %.1f)", what, mean, wantMean, zMean, variance, wantVar, zVar)
		return math.Abs(zMean) < 4 && math.Abs(zVar) < 4
	}
	s := stream(5)
	if !check("G(n,p)", func() *protocol.Lists { return erdosRenyi(n, p, s) }) {
		t.Error("G(n,p): edge count is not Binomial(n(n-1)/2, p)")
	}
	if check("G(n,1.05p) (wrong)", func() *protocol.Lists { return erdosRenyi(n, 1.05*p, s) }) {
		t.Error("the test passes G(n, 1.05p)")
	}
	if check("G(n,M) (wrong)", func() *protocol.Lists { return fixedEdges(n, int(wantMean), s) }) {
		t.Error("the test passes G(n, M)")
	}
}

// fixedEdges is G(n, M): M distinct pairs, uniformly.
func fixedEdges(n, m int, s *protocol.Stream) *protocol.Lists {
	seen := map[[2]int32]bool{}
	var e edges
	for len(e) < m {
		u, v := int32(s.IntN(uint64(n))), int32(s.IntN(uint64(n)))
		if u != v && !seen[[2]int32{min(u, v), max(u, v)}] {
			seen[[2]int32{min(u, v), max(u, v)}] = true
			e = append(e, [2]int32{u, v})
		}
	}
	return e.lists(n)
}

// degreeFit is the chi-square of the degrees of trials graphs from gen
// against Binomial(n-1, p), the bins with fewer than 5 expected pooled
// into their neighbours, and the 99.9% point for its degrees of freedom.
func degreeFit(n int, p float64, trials int, gen func() *protocol.Lists) (chi2, bound float64) {
	count := make([]float64, n)
	for range trials {
		g := gen()
		for u := range n {
			count[g.Degree(u)]++
		}
	}
	b := distuv.Binomial{N: float64(n - 1), P: p}
	total := float64(n * trials)
	bins := 0
	var o, e float64
	for k := range n {
		o += count[k]
		e += b.Prob(float64(k)) * total
		if e >= 5 && (k == n-1 || b.Survival(float64(k))*total >= 5) {
			chi2 += (o - e) * (o - e) / e
			o, e, bins = 0, 0, bins+1
		}
	}
	chi2 += (o - e) * (o - e) / max(e, 1e-9) // the tail's remainder
	return chi2, distuv.ChiSquared{K: float64(bins - 1)}.Quantile(0.999)
}

// Every node's degree is Binomial(n-1, p): the pooled degrees of many
// graphs fit it; a random regular graph of the same (integral) mean
// degree, or G(n, 1.1p), does not. The degrees within one graph add up to
// twice its edges, a dependence too weak to matter at this size.
func TestErdosDegrees(t *testing.T) {
	const n, p, trials = 400, 0.02, 100 // mean degree 7.98
	s := stream(6)
	if chi2, bound := degreeFit(n, p, trials, func() *protocol.Lists { return erdosRenyi(n, p, s) }); chi2 > bound {
		t.Errorf("G(n,p): degree chi-square %.1f above %.1f", chi2, bound)
	} else {
		t.Logf("G(n,p): degree chi-square %.1f, bound %.1f", chi2, bound)
	}
	for what, gen := range map[string]func() *protocol.Lists{
		"8-regular": func() *protocol.Lists { return regular(n, 8, s) },
		"G(n,1.1p)": func() *protocol.Lists { return erdosRenyi(n, 1.1*p, s) },
	} {
		if chi2, bound := degreeFit(n, p, trials, gen); chi2 <= bound {
			t.Errorf("%s (wrong) passes: degree chi-square %.1f, bound %.1f", what, chi2, bound)
		}
	}
}

// p = 1 is the complete graph, and a p so small that the first skip
// passes every pair is the empty one.
func TestErdosExtremes(t *testing.T) {
	g := erdosRenyi(50, 1, stream(7))
	simple(t, "p=1", g, 50)
	if g.Edges() != 50*49/2 {
		t.Errorf("p=1: %d edges", g.Edges())
	}
	if g := erdosRenyi(50, 1e-300, stream(7)); g.Edges() != 0 {
		t.Errorf("p=1e-300: %d edges", g.Edges())
	}
}
