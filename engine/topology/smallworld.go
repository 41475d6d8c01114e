package topology

import (
	"math"
	"math/bits"
	"slices"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// smallWorld draws Watts and Strogatz's graph as networkx's
// watts_strogatz_graph does (docs/design.md, "Kinds and generators"): the
// ring of degree k, then for j = 1 … k/2 and, inside, u = 0 … n-1, with
// probability beta the edge (u, u+j) becomes (u, w), w uniform among the
// nodes that are neither u nor already u's neighbours in the graph as it
// is by then (redrawn until so); skipped when u neighbours everyone.
// O(n·k) expected time while the graph is sparse.
//
// "Already a neighbour" is answered exactly without an adjacency matrix: a
// pair is an edge when it is a ring edge not yet rewired away (a bit per
// ring edge) or one the rewiring made (a set of those alone, about
// beta·n·k/2 of them). An edge the rewiring made is never removed: only
// ring edges are, each when its turn comes, and until then it is there,
// so no rewiring can have made it before.
func smallWorld(n, k int, beta float64, s *protocol.Stream) *protocol.Lists {
	m := float64(n * (k / 2))
	w := &rewiring{n: n, half: k / 2, gone: make([]uint64, (n*(k/2)+63)/64), made: newPairSet(expectedRewired(m, beta))}
	deg := make([]int64, n+1) // deg[u+1], to become the offsets
	for u := range n {
		deg[u+1] = int64(k)
	}
	for j := 1; j <= k/2; j++ {
		for u := range n {
			if s.Float64() >= beta || deg[u+1] >= int64(n-1) {
				continue
			}
			to := int(s.IntN(uint64(n)))
			for to == u || w.edge(u, to) {
				to = int(s.IntN(uint64(n)))
			}
			v := (u + j) % n
			i := w.ring(u, j)
			w.gone[i/64] |= 1 << (i % 64)
			w.made.add(w.key(u, to))
			deg[v+1]--
			deg[to+1]++
		}
	}
	return w.lists(deg)
}

// rewiring is which pairs are edges while smallWorld rewires.
type rewiring struct {
	n, half int
	gone    []uint64 // bit i: ring edge i was rewired away
	made    *pairSet // the edges rewiring made, by key
}

// expectedRewired is how many of m ring edges are rewired, Binomial(m,
// beta), with four standard deviations to spare: what the set of made
// edges is sized for (and Bytes counts).
func expectedRewired(m, beta float64) int {
	return int(m*beta+4*math.Sqrt(m*beta*(1-beta))) + 16
}

// ring is the index of the ring edge (u, u+j mod n), 1 <= j <= k/2.
func (w *rewiring) ring(u, j int) int { return (j-1)*w.n + u }

// key is the pair's number, from 1 (0 marks an empty slot of the set).
func (w *rewiring) key(u, v int) uint64 {
	return uint64(min(u, v))*uint64(w.n) + uint64(max(u, v)) + 1
}

// edge says whether u and v (u != v) are adjacent now.
func (w *rewiring) edge(u, v int) bool {
	if w.made.has(w.key(u, v)) {
		return true
	}
	j := (v - u + w.n) % w.n // v = u+j: a ring edge from u, or from v the other way
	if j > w.half {
		u, j = v, w.n-j
	}
	if j > w.half {
		return false
	}
	i := w.ring(u, j)
	return w.gone[i/64]>>(i%64)&1 == 0
}

// lists builds the final graph: the ring edges left and the ones made,
// deg holding each node's final degree at deg[u+1]. The made edges come
// out of the set in its slots' order; the rows are sorted after.
func (w *rewiring) lists(deg []int64) *protocol.Lists {
	g := &protocol.Lists{Off: deg}
	for u := range w.n {
		g.Off[u+1] += g.Off[u]
	}
	g.Adj = make([]int32, g.Off[w.n])
	add := func(u, v int) {
		g.Adj[g.Off[u]] = int32(v)
		g.Off[u]++
		g.Adj[g.Off[v]] = int32(u)
		g.Off[v]++
	}
	for j := 1; j <= w.half; j++ {
		for u := range w.n {
			if i := w.ring(u, j); w.gone[i/64]>>(i%64)&1 == 0 {
				add(u, (u+j)%w.n)
			}
		}
	}
	for _, key := range w.made.slots {
		if key != 0 {
			add(int((key-1)/uint64(w.n)), int((key-1)%uint64(w.n)))
		}
	}
	unshift(g.Off)
	for u := range w.n {
		slices.Sort(g.Neighbours(u))
	}
	return g
}

// pairSet is a set of nonzero keys by open addressing with linear probing,
// at most 2/3 full: 12 bytes a key, a third of what a Go map takes here
// with its growth (measured), and sized once from the expected count.
type pairSet struct {
	slots []uint64
	count int
}

func newPairSet(expected int) *pairSet {
	return &pairSet{slots: make([]uint64, expected*3/2+1)}
}

// slot is where key's probe starts: a multiplicative hash, reduced to
// the table's size by a multiply-shift (any size, not only powers of two).
func (p *pairSet) slot(key uint64) int {
	hi, _ := bits.Mul64(key*0x9e3779b97f4a7c15, uint64(len(p.slots)))
	return int(hi)
}

func (p *pairSet) has(key uint64) bool {
	for i := p.slot(key); ; i = (i + 1) % len(p.slots) {
		switch p.slots[i] {
		case key:
			return true
		case 0:
			return false
		}
	}
}

// add puts key in, which must not be there yet; past 2/3 full (beyond
// the count it was sized for) the table doubles.
func (p *pairSet) add(key uint64) {
	if 3*(p.count+1) > 2*len(p.slots) {
		old := p.slots
		p.slots, p.count = make([]uint64, 2*len(old)), 0
		for _, k := range old {
			if k != 0 {
				p.add(k)
			}
		}
	}
	i := p.slot(key)
	for p.slots[i] != 0 {
		i = (i + 1) % len(p.slots)
	}
	p.slots[i] = key
	p.count++
}
