package topology

import (
	"slices"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// regular draws a random d-regular graph on n nodes (n·d even, d < n) by
// the pairing model with Steger and Wormald's improvement
// (docs/design.md, "Kinds and generators"): each node holds d points; two
// remaining points are drawn uniformly and joined when they belong to
// different nodes not yet adjacent, else drawn again. When no such pair is
// left the attempt is thrown away and started over. Asymptotically uniform
// for small d, in O(n·d) expected time. The lists are built in place: node
// u's row is Adj[u·d : u·d+d], so the graph costs no more than its lists
// and the points (8 bytes an edge each).
//
// Above d = n/2 nearly every pair must be joined and the pairing stalls;
// there it draws the complement, an (n-1-d)-regular graph (the complement
// of a uniform regular graph is uniform), at the O(n²) a dense graph
// costs anyway.
func regular(n, d int, s *protocol.Stream) *protocol.Lists {
	if d > n/2 {
		return complement(regular(n, n-1-d, s))
	}
	g := &protocol.Lists{Off: make([]int64, n+1), Adj: make([]int32, n*d)}
	for u := range g.Off {
		g.Off[u] = int64(u) * int64(d)
	}
	p := &pairing{g: g, d: d, points: make([]int32, n*d)}
	for !p.attempt(s) {
	}
	for u := range n {
		slices.Sort(g.Neighbours(u))
	}
	return g
}

// pairing is one Steger–Wormald attempt's state. A row's unfilled slots
// hold -1, so the row alone says how far it is filled: one cache line to
// read for the adjacency check and the join, where a separate degree
// array would cost another miss a node (the graph is random: every access
// is a miss).
type pairing struct {
	g      *protocol.Lists
	d      int
	points []int32 // the remaining points, by their node; the first r count
	seen   []int32 // scratch for stuck: the distinct nodes left
}

// attempt pairs every point, or reports false when it got stuck.
func (p *pairing) attempt(s *protocol.Stream) bool {
	for i := range p.g.Adj {
		p.g.Adj[i] = -1
	}
	for i := range p.points {
		p.points[i] = int32(i / p.d)
	}
	misses := 0
	for r := len(p.points); r > 0; {
		i := int(s.IntN(uint64(r)))
		j := int(s.IntN(uint64(r - 1)))
		if j >= i {
			j++
		}
		u, v := p.points[i], p.points[j]
		fill, adjacent := p.row(u, v)
		if u == v || adjacent {
			// Rejections are rare until few points remain; then, once
			// they outnumber the points, make sure a pair is left at all.
			if misses++; misses > r+16 {
				if !p.suitable(r) {
					return false
				}
				misses = 0
			}
			continue
		}
		misses = 0
		p.g.Adj[fill] = v
		fill, _ = p.row(v, -1)
		p.g.Adj[fill] = u
		// Take points i and j out: move the last two into their places,
		// the larger index first so the smaller's filler is still there.
		i, j = max(i, j), min(i, j)
		r--
		p.points[i] = p.points[r]
		r--
		p.points[j] = p.points[r]
	}
	return true
}

// row scans u's row, O(d): where its first free slot is (-1 if none),
// and whether v is in it.
func (p *pairing) row(u, v int32) (fill int, adjacent bool) {
	start := int(u) * p.d
	for i, w := range p.g.Adj[start : start+p.d] {
		switch w {
		case -1:
			return start + i, false
		case v:
			return -1, true
		}
	}
	return -1, false
}

func (p *pairing) adjacent(u, v int32) bool {
	_, a := p.row(u, v)
	return a
}

// suitable says whether two of the first r points could still be joined.
// Every node left has fewer than d neighbours, so when more than d nodes
// are left some two of them are not adjacent; otherwise it tries every
// pair of the at most d nodes: O(r + d³).
func (p *pairing) suitable(r int) bool {
	p.seen = p.seen[:0]
	for _, u := range p.points[:r] {
		if !slices.Contains(p.seen, u) {
			if p.seen = append(p.seen, u); len(p.seen) > p.d {
				return true
			}
		}
	}
	for a, u := range p.seen {
		for _, v := range p.seen[a+1:] {
			if !p.adjacent(u, v) {
				return true
			}
		}
	}
	return false
}

// complement is the graph of the pairs g does not join: O(n²). g's rows
// must be ascending; so are the complement's.
func complement(g *protocol.Lists) *protocol.Lists {
	n := g.Nodes()
	c := &protocol.Lists{Off: make([]int64, n+1)}
	c.Adj = make([]int32, 0, int64(n)*int64(n-1)-int64(len(g.Adj)))
	for u := range n {
		row := g.Neighbours(u)
		for v := range int32(n) {
			if len(row) > 0 && row[0] == v {
				row = row[1:]
			} else if v != int32(u) {
				c.Adj = append(c.Adj, v)
			}
		}
		c.Off[u+1] = int64(len(c.Adj))
	}
	return c
}
