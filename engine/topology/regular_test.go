package topology

import (
	"fmt"
	"math/bits"
	"testing"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

func stream(seed uint64) *protocol.Stream {
	return protocol.NewStream(protocol.Seed(seed).Draws(0, protocol.PurposeTopology))
}

// The cases where the pairing gets stuck most often, or only the
// complement can work, end, regular, every time.
func TestRegularHardCases(t *testing.T) {
	for _, c := range []struct{ n, d int }{
		{2, 1}, {4, 3}, {6, 5}, {5, 2}, {10, 9}, {4, 2}, {6, 3}, {7, 4}, {8, 5}, {9, 4}, {3, 2}, {5, 4},
	} {
		s := stream(uint64(c.n*100 + c.d))
		for i := range 300 {
			g := regular(c.n, c.d, s)
			what := fmt.Sprintf("n=%d d=%d draw %d", c.n, c.d, i)
			simple(t, what, g, c.n)
			for u := range c.n {
				if g.Degree(u) != c.d {
					t.Fatalf("%s: node %d has degree %d", what, u, g.Degree(u))
				}
			}
		}
	}
}

// class is a cubic graph on 8 nodes up to isomorphism, told apart by its
// triangles, 4-cycles and components: the six classes (five connected,
// and two K4) have six different keys, as the enumeration shows.
func class(adj []uint16) [3]int {
	tri, c4 := 0, 0
	for i := range adj {
		for j := i + 1; j < len(adj); j++ {
			c := bits.OnesCount16(adj[i] & adj[j]) // common neighbours
			c4 += c * (c - 1) / 2                  // each 4-cycle twice, once per diagonal
			if adj[i]>>j&1 == 1 {
				tri += c // each triangle thrice, once per edge
			}
		}
	}
	comps, seen := 0, uint16(0)
	for i := range adj {
		if seen>>i&1 == 0 {
			comps++
			for front := uint16(1) << i; front != 0; {
				seen |= front
				next := uint16(0)
				for v := range adj {
					if front>>v&1 == 1 {
						next |= adj[v]
					}
				}
				front = next &^ seen
			}
		}
	}
	return [3]int{tri / 3, c4 / 2, comps}
}

// enumerate counts the labelled d-regular graphs on n nodes by class,
// by backtracking over the pairs: independent of the generator.
func enumerate(n, d int) map[[3]int]int {
	adj, deg := make([]uint16, n), make([]int, n)
	out := map[[3]int]int{}
	var rec func(u, from int)
	rec = func(u, from int) {
		for u < n && deg[u] == d {
			u, from = u+1, u+2
		}
		if u == n {
			out[class(adj)]++
			return
		}
		for v := from; v < n; v++ {
			if deg[v] < d {
				adj[u], adj[v] = adj[u]|1<<v, adj[v]|1<<u
				deg[u], deg[v] = deg[u]+1, deg[v]+1
				rec(u, v+1)
				adj[u], adj[v] = adj[u]&^(1<<v), adj[v]&^(1<<u)
				deg[u], deg[v] = deg[u]-1, deg[v]-1
			}
		}
	}
	rec(0, 1)
	return out
}

func masks(g *protocol.Lists) []uint16 {
	adj := make([]uint16, g.Nodes())
	for u := range adj {
		for _, v := range g.Neighbours(u) {
			adj[u] |= 1 << v
		}
	}
	return adj
}

// uniformity is the chi-square of draws cubic graphs on 8 nodes from gen
// against the class frequencies of the uniform distribution (df 5), and
// the total variation distance between the two.
func uniformity(t *testing.T, draws int, gen func() *protocol.Lists) (chi2, tv float64) {
	exact := enumerate(8, 3)
	total := 0
	for _, c := range exact {
		total += c
	}
	if len(exact) != 6 || total != 19355 { // OEIS A002829: 19355 labelled cubic graphs on 8 nodes
		t.Fatalf("enumeration: %d labelled graphs in %d classes, want 19355 in 6", total, len(exact))
	}
	got := map[[3]int]int{}
	for range draws {
		got[class(masks(gen()))]++
	}
	for k, c := range exact {
		e := float64(c) / float64(total) * float64(draws)
		o := float64(got[k])
		chi2 += (o - e) * (o - e) / e
		tv += abs(o-e) / float64(draws) / 2
	}
	return chi2, tv
}

func abs(x float64) float64 { return max(x, -x) }

// chi2df5 is the 99.9% point of chi-square with 5 degrees of freedom.
const chi2df5 = 20.52

// The draws are uniform over the labelled graphs, as near as Steger and
// Wormald's pairing comes: it is only asymptotically uniform; at n=8 d=3
// its class frequencies are off by a total variation of about 0.005
// (TestRegularBias), which adds about 2.5e-4·draws to the chi-square's
// mean (5): at 5000 draws 6.3, against a bound of 20.5 that it then
// passes by chance 997 times in 1000. A wrong model, pairing two random
// nodes that have points left instead of two random points, has a
// chi-square near 90 at 5000 draws and fails.
func TestRegularUniform(t *testing.T) {
	const draws = 5000
	s := stream(1)
	chi2, _ := uniformity(t, draws, func() *protocol.Lists { return regular(8, 3, s) })
	if chi2 > chi2df5 {
		t.Errorf("pairing: chi-square %.1f over 6 classes, above %.1f", chi2, chi2df5)
	}
	chi2, _ = uniformity(t, draws, func() *protocol.Lists { return byNodes(8, 3, s) })
	if chi2 <= chi2df5 {
		t.Errorf("pairing by nodes (wrong): chi-square %.1f, not above %.1f", chi2, chi2df5)
	}
}

// The bias of the pairing itself, pinned at a million draws (the noise in
// the total variation is about 0.001).
func TestRegularBias(t *testing.T) {
	if testing.Short() {
		t.Skip("a million draws")
	}
	s := stream(4)
	chi2, tv := uniformity(t, 1_000_000, func() *protocol.Lists { return regular(8, 3, s) })
	t.Logf("n=8 d=3, 10^6 draws: chi-square %.0f (df 5), total variation %.4f", chi2, tv)
	if tv > 0.008 {
		t.Errorf("total variation from uniform %.4f, above 0.008", tv)
	}
}

// byNodes is the wrong model: the pairing with each end drawn as a node
// among those with points left, not as a point. Restarts like regular.
func byNodes(n, d int, s *protocol.Stream) *protocol.Lists {
	for {
		g := &protocol.Lists{Off: make([]int64, n+1), Adj: make([]int32, n*d)}
		for u := range g.Off {
			g.Off[u] = int64(u * d)
		}
		for i := range g.Adj {
			g.Adj[i] = -1
		}
		p := &pairing{g: g, d: d}
		left := make([]int32, n)
		for u := range left {
			left[u] = int32(u)
		}
		for tries := 0; len(left) > 1 && tries < 1000; tries++ {
			u, v := left[s.IntN(uint64(len(left)))], left[s.IntN(uint64(len(left)))]
			fu, adjacent := p.row(u, v)
			if u == v || adjacent {
				continue
			}
			tries = 0
			fv, _ := p.row(v, -1)
			g.Adj[fu], g.Adj[fv] = v, u
			for k := len(left) - 1; k >= 0; k-- {
				if full, _ := p.row(left[k], -1); full < 0 {
					left = append(left[:k], left[k+1:]...)
				}
			}
		}
		if len(left) == 0 {
			return g
		}
	}
}
