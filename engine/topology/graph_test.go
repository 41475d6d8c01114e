package topology

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// simple fails t unless g is a simple undirected graph on n nodes in the
// form protocol.Lists promises: offsets from 0 to len(Adj), every row
// strictly ascending (no multi-edge), no node in its own row, every edge
// at both ends.
func simple(t *testing.T, what string, g *protocol.Lists, n int) {
	t.Helper()
	if g.Nodes() != n || g.Off[0] != 0 || g.Off[n] != int64(len(g.Adj)) {
		t.Fatalf("%s: %d nodes, offsets %d…%d over %d entries", what, g.Nodes(), g.Off[0], g.Off[n], len(g.Adj))
	}
	for u := range n {
		row := g.Neighbours(u)
		for i, v := range row {
			switch {
			case v < 0 || int(v) >= n:
				t.Fatalf("%s: node %d lists %d", what, u, v)
			case int(v) == u:
				t.Fatalf("%s: self-loop at %d", what, u)
			case i > 0 && row[i-1] >= v:
				t.Fatalf("%s: row %d not strictly ascending: %v", what, u, row)
			}
			if _, ok := slices.BinarySearch(g.Neighbours(int(v)), int32(u)); !ok {
				t.Fatalf("%s: %d lists %d but not back", what, u, v)
			}
		}
	}
}

func build(t *testing.T, top engine.Topology, n int, seed uint64) *protocol.Lists {
	t.Helper()
	g, err := Build(top, n, protocol.Seed(seed))
	if err != nil {
		t.Fatal(err)
	}
	return g.(*protocol.Lists)
}

func equal(a, b *protocol.Lists) bool {
	return slices.Equal(a.Off, b.Off) && slices.Equal(a.Adj, b.Adj)
}

// Every kind draws a simple graph with the degrees its kind promises, the
// same one for the same seed and, if random, another for another seed.
func TestEveryKind(t *testing.T) {
	file := [][2]int32{{0, 1}, {2, 1}, {3, 0}, {4, 2}, {1, 3}}
	for _, c := range []struct {
		top    engine.Topology
		n      int
		random bool
		degree func(u int) int // nil: not fixed
		edges  int             // -1: not fixed
	}{
		{engine.Topology{Kind: engine.TopologyRing, Degree: 4}, 11, false, func(int) int { return 4 }, 22},
		{engine.Topology{Kind: engine.TopologyRing, Degree: 10}, 11, false, func(int) int { return 10 }, 55},
		{engine.Topology{Kind: engine.TopologyRegular, Degree: 3}, 100, true, func(int) int { return 3 }, 150},
		{engine.Topology{Kind: engine.TopologyRegular, Degree: 8}, 1001, true, func(int) int { return 8 }, 4004},
		{engine.Topology{Kind: engine.TopologyRegular, Degree: 7}, 12, true, func(int) int { return 7 }, 42},
		{engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 6}, 500, true, nil, -1},
		{engine.Topology{Kind: engine.TopologyErdosRenyi, P: 1}, 30, false, func(int) int { return 29 }, 435},
		{engine.Topology{Kind: engine.TopologySmallWorld, Degree: 4, Rewire: 0.3}, 500, true, nil, 1000},
		{engine.Topology{Kind: engine.TopologySmallWorld, Degree: 6, Rewire: 1}, 40, true, nil, 120},
		{engine.Topology{Kind: engine.TopologyScaleFree, Degree: 6}, 500, true, nil, 6 + 496*3},
		{engine.Topology{Kind: engine.TopologyHypercube}, 64, false, func(int) int { return 6 }, 192},
		{engine.Topology{Kind: engine.TopologyGrid}, 12, false, nil, 17}, // 3×4: 3·3 + 2·4
		{engine.Topology{Kind: engine.TopologyFile, Edges: file}, 6, false, nil, 5},
	} {
		what := fmt.Sprintf("%s degree %v p %v rewire %v on %d", c.top.Kind, c.top.Degree, c.top.P, c.top.Rewire, c.n)
		g := build(t, c.top, c.n, 1)
		simple(t, what, g, c.n)
		if c.edges >= 0 && g.Edges() != c.edges {
			t.Errorf("%s: %d edges, want %d", what, g.Edges(), c.edges)
		}
		for u := range c.n {
			if c.degree != nil && g.Degree(u) != c.degree(u) {
				t.Fatalf("%s: node %d has degree %d, want %d", what, u, g.Degree(u), c.degree(u))
			}
		}
		if !equal(g, build(t, c.top, c.n, 1)) {
			t.Errorf("%s: seed 1 drew two different graphs", what)
		}
		if other := build(t, c.top, c.n, 2); equal(g, other) == c.random {
			t.Errorf("%s: seeds 1 and 2 drew the same graph: %v (random kind: %v)", what, equal(g, other), c.random)
		}
	}
}

// Small cases counted by hand: the deterministic kinds and a file.
func TestHandChecked(t *testing.T) {
	rows := func(g *protocol.Lists) [][]int32 {
		var out [][]int32
		for u := range g.Nodes() {
			out = append(out, slices.Clone(g.Neighbours(u)))
		}
		return out
	}
	for _, c := range []struct {
		top  engine.Topology
		n    int
		want [][]int32
	}{
		{engine.Topology{Kind: engine.TopologyRing, Degree: 2}, 5, [][]int32{{1, 4}, {0, 2}, {1, 3}, {2, 4}, {0, 3}}},
		{engine.Topology{Kind: engine.TopologyRing, Degree: 4}, 6, [][]int32{{1, 2, 4, 5}, {0, 2, 3, 5}, {0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5}, {0, 1, 3, 4}}},
		{engine.Topology{Kind: engine.TopologyHypercube}, 8, [][]int32{{1, 2, 4}, {0, 3, 5}, {0, 3, 6}, {1, 2, 7}, {0, 5, 6}, {1, 4, 7}, {2, 4, 7}, {3, 5, 6}}},
		// 5 nodes: rows = 2, cols = 3; 0 1 2 / 3 4.
		{engine.Topology{Kind: engine.TopologyGrid}, 5, [][]int32{{1, 3}, {0, 2, 4}, {1}, {0, 4}, {1, 3}}},
		// 9 nodes: 3×3.
		{engine.Topology{Kind: engine.TopologyGrid}, 9, [][]int32{{1, 3}, {0, 2, 4}, {1, 5}, {0, 4, 6}, {1, 3, 5, 7}, {2, 4, 8}, {3, 7}, {4, 6, 8}, {5, 7}}},
		{engine.Topology{Kind: engine.TopologyFile, Edges: [][2]int32{{3, 0}, {1, 2}, {0, 2}}}, 5, [][]int32{{2, 3}, {2}, {0, 1}, {0}, nil}},
	} {
		g := build(t, c.top, c.n, 1)
		simple(t, c.top.Kind, g, c.n)
		got := rows(g)
		for u := range got {
			if len(got[u]) == 0 {
				got[u] = nil
			}
		}
		if !slices.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("%s on %d: rows %v, want %v", c.top.Kind, c.n, got, c.want)
		}
	}
}
