package topology

import (
	"math"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// erdosRenyi draws G(n, p): each of the n(n-1)/2 pairs is an edge with
// probability p, independently. Batagelj and Brandes's geometric skipping
// (docs/design.md, "Kinds and generators") walks the pairs (v, w), w < v,
// in order and jumps over the gaps between edges, each gap one draw:
// O(n + m) time. It walks twice from the same point of s, first to count
// the degrees, then to fill the rows, so that nothing but the lists is
// held; the pairs come in order, so every row comes out ascending.
func erdosRenyi(n int, p float64, s *protocol.Stream) *protocol.Lists {
	g := &protocol.Lists{Off: make([]int64, n+1)}
	count := *s
	skipPairs(n, p, &count, func(v, w int32) {
		g.Off[v+1]++
		g.Off[w+1]++
	})
	for u := range n {
		g.Off[u+1] += g.Off[u]
	}
	g.Adj = make([]int32, g.Off[n])
	skipPairs(n, p, s, func(v, w int32) { // Off[u] is row u's cursor
		g.Adj[g.Off[v]] = w
		g.Off[v]++
		g.Adj[g.Off[w]] = v
		g.Off[w]++
	})
	unshift(g.Off)
	return g
}

// skipPairs calls edge for every pair the geometric skips land on.
func skipPairs(n int, p float64, s *protocol.Stream, edge func(v, w int32)) {
	if p >= 1 {
		for v := range int32(n) {
			for w := range v {
				edge(v, w)
			}
		}
		return
	}
	lq := math.Log1p(-p)
	limit := float64(n) * float64(n) // a skip past every pair ends the walk
	v, w := int64(1), int64(-1)
	for v < int64(n) {
		skip := math.Floor(math.Log1p(-s.Float64()) / lq)
		if skip >= limit {
			return
		}
		w += 1 + int64(skip)
		for w >= v && v < int64(n) {
			w -= v
			v++
		}
		if v < int64(n) {
			edge(int32(v), int32(w))
		}
	}
}

// unshift undoes the filling's cursors: after it Off[u] had moved to the
// end of row u, which is where row u+1 starts.
func unshift(off []int64) {
	copy(off[1:], off[:len(off)-1])
	off[0] = 0
}
