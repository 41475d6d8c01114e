package topology

import (
	"math/bits"
	"slices"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// edges is an undirected edge list, each edge once, in any order.
type edges [][2]int32

// lists compresses e into adjacency lists, each sorted: O(n + m log d)
// time, and nothing beside the lists.
func (e edges) lists(n int) *protocol.Lists {
	g := &protocol.Lists{Off: make([]int64, n+1), Adj: make([]int32, 2*len(e))}
	for _, x := range e {
		g.Off[x[0]+1]++
		g.Off[x[1]+1]++
	}
	for u := range n {
		g.Off[u+1] += g.Off[u]
	}
	for _, x := range e { // Off[u] is row u's cursor, as in erdosRenyi
		g.Adj[g.Off[x[0]]] = x[1]
		g.Off[x[0]]++
		g.Adj[g.Off[x[1]]] = x[0]
		g.Off[x[1]]++
	}
	unshift(g.Off)
	for u := range n {
		slices.Sort(g.Neighbours(u))
	}
	return g
}

// ring links i to i±1 … i±k/2 (mod n).
func ring(n, k int) edges {
	e := make(edges, 0, n*k/2)
	for j := 1; j <= k/2; j++ {
		for i := range n {
			e = append(e, [2]int32{int32(i), int32((i + j) % n)})
		}
	}
	return e
}

// hypercube links nodes that differ in one bit; n is a power of two.
func hypercube(n int) edges {
	e := make(edges, 0, n*(bits.Len(uint(n))-1)/2)
	for i := range n {
		for b := 1; b < n; b <<= 1 {
			if j := i ^ b; j > i {
				e = append(e, [2]int32{int32(i), int32(j)})
			}
		}
	}
	return e
}

// grid is the lattice of ⌊√n⌋ rows, filled row by row (the last one may
// be short), not wrapped: node i sits at row i/cols, column i%cols.
func grid(n int) edges {
	rows := 1
	for (rows+1)*(rows+1) <= n {
		rows++
	}
	cols := (n + rows - 1) / rows
	e := make(edges, 0, 2*n)
	for i := range n {
		if (i+1)%cols != 0 && i+1 < n {
			e = append(e, [2]int32{int32(i), int32(i + 1)})
		}
		if i+cols < n {
			e = append(e, [2]int32{int32(i), int32(i + cols)})
		}
	}
	return e
}

// FromEdges is the graph of an edge list that CheckEdges accepts, for a
// reader that checked it itself (a replay's graph).
func FromEdges(e [][2]int32, n int) *protocol.Lists { return edges(e).lists(n) }
