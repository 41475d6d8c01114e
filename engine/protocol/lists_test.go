package protocol

import (
	"math"
	"slices"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// star: node 0 neighbours 1..d, each of them only 0; plus an isolated last
// node. Built by hand, not by engine/topology, so the sampler is tested on
// its own.
func star(d int) *Lists {
	g := &Lists{Off: make([]int64, d+3)}
	for v := 1; v <= d; v++ {
		g.Adj = append(g.Adj, int32(v))
	}
	g.Off[1] = int64(d)
	for v := 1; v <= d; v++ {
		g.Adj = append(g.Adj, 0)
		g.Off[v+1] = g.Off[v] + 1
	}
	g.Off[d+2] = g.Off[d+1]
	return g
}

// A list's sampler picks min(k, degree) distinct neighbours, each with
// probability k/degree (chi-square, as TestPeersUniform for the complete
// graph), in the stamp path too; a leaf always gets its one neighbour and
// an isolated node none.
func TestListPeersUniform(t *testing.T) {
	for _, c := range []struct{ d, k int }{{5, 1}, {9, 3}, {9, 9}, {9, 20}, {60, 40}} {
		g := star(c.d)
		p := g.Sampler()
		counts := make([]float64, c.d+1)
		const draws = 20000
		for i := range draws {
			peers := p.Peers(Seed(3).Draws(i, PurposePeers), 0, c.k)
			if len(peers) != min(c.k, c.d) {
				t.Fatalf("d=%d k=%d: %d peers", c.d, c.k, len(peers))
			}
			seen := map[int32]bool{}
			for _, v := range peers {
				if v < 1 || int(v) > c.d || seen[v] {
					t.Fatalf("d=%d k=%d: bad pick %d in %v", c.d, c.k, v, peers)
				}
				seen[v] = true
				counts[v]++
			}
		}
		if c.k >= c.d {
			continue
		}
		want := float64(draws) * float64(c.k) / float64(c.d)
		chi2 := 0.0
		for _, got := range counts[1:] {
			chi2 += (got - want) * (got - want) / want
		}
		df := float64(c.d - 1)
		if limit := df + 6*math.Sqrt(2*df); chi2 > limit {
			t.Errorf("d=%d k=%d: chi2 = %.1f > %.1f; counts %v", c.d, c.k, chi2, limit, counts)
		}
	}
	g := star(4)
	if got := g.Sampler().Peers(Seed(1).Draws(1, PurposePeers), 2, 3); !slices.Equal(got, []int32{0}) {
		t.Errorf("leaf's peers %v, want [0]", got)
	}
	if got := g.Sampler().Peers(Seed(1).Draws(1, PurposePeers), 5, 3); len(got) != 0 {
		t.Errorf("isolated node's peers %v, want none", got)
	}
}

// The list sampler makes the complete graph's draws: on a graph listing
// every other node as a neighbour it picks exactly the complete graph's
// peers, so one rule, Floyd over the candidates, serves both.
func TestListsDrawAsComplete(t *testing.T) {
	const n = 12
	g := &Lists{Off: make([]int64, n+1)}
	for u := range n {
		for v := range n {
			if v != u {
				g.Adj = append(g.Adj, int32(v))
			}
		}
		g.Off[u+1] = int64(len(g.Adj))
	}
	lists, complete := g.Sampler(), Complete{N: n}.Sampler()
	for r := range 50 {
		d := Seed(5).Draws(r, PurposePeers)
		for u := range n {
			for _, k := range []int{1, 2, 5, n - 1} {
				a := slices.Clone(lists.Peers(d, u, k))
				if b := complete.Peers(d, u, k); !slices.Equal(a, b) {
					t.Fatalf("round %d node %d k %d: lists %v, complete %v", r, u, k, a, b)
				}
			}
		}
	}
}

// A real node knows only its own row; it picks what the whole graph's
// sampler picks for it.
func TestOwnRowPicksAsTheWholeGraph(t *testing.T) {
	g := star(7)
	for u := range g.Nodes() {
		own := OwnRow(g.Nodes(), u, g.Neighbours(u))
		if own.Nodes() != g.Nodes() || own.Degree(u) != g.Degree(u) {
			t.Fatalf("node %d: own row has %d nodes, degree %d", u, own.Nodes(), own.Degree(u))
		}
		for r := range 20 {
			d := Seed(8).Draws(r, PurposePeers)
			a := slices.Clone(g.Sampler().Peers(d, u, 2))
			if b := own.Sampler().Peers(d, u, 2); !slices.Equal(a, b) {
				t.Fatalf("node %d round %d: whole graph %v, own row %v", u, r, a, b)
			}
		}
	}
}

// Reach counts the alive nodes an informed alive node can still get to,
// through alive nodes only.
func TestReach(t *testing.T) {
	g := star(4) // 0-{1,2,3,4}, 5 alone
	r := New(engineConfig(6), g)
	all := func(int) bool { return true }
	is := func(ids ...int) func(int) bool {
		return func(u int) bool { return slices.Contains(ids, u) }
	}
	for _, c := range []struct {
		alive, informed func(int) bool
		want            int
	}{
		{all, is(1), 5},               // the star, not the isolated node
		{all, is(5), 1},               // the isolated node alone
		{all, is(1, 5), 6},            // both parts
		{is(1, 2, 3, 4, 5), is(1), 1}, // the centre is down: the leaf is cut off
		{is(0, 2, 3), is(1), 0},       // the only informed node is down
		{all, is(), 0},
	} {
		if got := r.Reach(c.alive, c.informed); got != c.want {
			t.Errorf("reach %d, want %d", got, c.want)
		}
	}
	cr := New(engineConfig(6), nil)
	if got := cr.Reach(is(0, 1, 2), is(2)); got != 3 {
		t.Errorf("complete graph: reach %d, want the 3 alive", got)
	}
}

func engineConfig(n int) engine.Config { return engine.Config{Nodes: n, Fanout: 1, MaxRounds: 10} }
