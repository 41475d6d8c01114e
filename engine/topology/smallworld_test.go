package topology

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// offRing counts g's edges that are not edges of the ring of degree k.
func offRing(n, k int, g interface {
	Neighbours(int) []int32
}) int {
	off := 0
	for u := range n {
		for _, v := range g.Neighbours(u) {
			if d := (int(v) - u + n) % n; int(v) > u && d > k/2 && n-d > k/2 {
				off++
			}
		}
	}
	return off
}

// With beta = 0 nothing is rewired: the ring itself.
func TestSmallWorldZeroIsRing(t *testing.T) {
	for _, c := range []struct{ n, k int }{{50, 6}, {7, 6}, {10, 2}} {
		g, ring := smallWorld(c.n, c.k, 0, stream(8)), ring(c.n, c.k).lists(c.n)
		if !equal(g, ring) {
			t.Errorf("n=%d k=%d beta=0: not the ring", c.n, c.k)
		}
	}
}

// Each of the n·k/2 ring edges is rewired with probability beta, so the
// edges off the ring are Binomial(n·k/2, beta), less the few rewirings
// that land on a ring edge already rewired away (about k/n of them, a
// hundredth of the spread here). A rewired edge keeps its first end, so
// every node keeps degree >= k/2. The same test rejects beta 10% too high.
func TestSmallWorldRewired(t *testing.T) {
	const n, k = 100_000, 4
	for _, beta := range []float64{0.05, 0.3, 0.9} {
		check := func(b float64) (z float64) {
			g := smallWorld(n, k, b, stream(9))
			simple(t, fmt.Sprint("beta ", b), g, n)
			if g.Edges() != n*k/2 {
				t.Fatalf("beta %v: %d edges, want %d", b, g.Edges(), n*k/2)
			}
			for u := range n {
				if g.Degree(u) < k/2 {
					t.Fatalf("beta %v: node %d kept degree %d < k/2", b, u, g.Degree(u))
				}
			}
			m := float64(n * k / 2)
			return (float64(offRing(n, k, g)) - m*beta) / math.Sqrt(m*beta*(1-beta))
		}
		if z := check(beta); math.Abs(z) > 4 {
			t.Errorf("beta %v: rewired edges %.1f standard deviations from n·k/2·beta", beta, z)
		}
		if z := check(beta * 1.1); math.Abs(z) <= 4 {
			t.Errorf("beta %v: the test passes beta·1.1 (z %.1f)", beta, z)
		}
	}
}

// Dense cases, where the rewiring must dodge many edges and sometimes
// skip a node that neighbours everyone, stay simple with the ring's edge
// count; on the complete ring every rewiring is skipped.
func TestSmallWorldDense(t *testing.T) {
	for _, c := range []struct{ n, k int }{{7, 6}, {8, 6}, {9, 6}, {12, 10}, {5, 2}} {
		s := stream(10)
		for i := range 200 {
			g := smallWorld(c.n, c.k, 1, s)
			what := fmt.Sprintf("n=%d k=%d beta=1 draw %d", c.n, c.k, i)
			simple(t, what, g, c.n)
			if g.Edges() != c.n*c.k/2 {
				t.Fatalf("%s: %d edges", what, g.Edges())
			}
			if c.k == c.n-1 && !equal(g, ring(c.n, c.k).lists(c.n)) {
				t.Fatalf("%s: the complete ring changed", what)
			}
		}
	}
	if g := smallWorld(8, 6, 1, stream(11)); slices.Equal(g.Adj, ring(8, 6).lists(8).Adj) {
		t.Error("n=8 k=6 beta=1: nothing rewired")
	}
}
