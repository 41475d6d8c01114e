package protocol

import (
	"math/bits"
	"slices"
)

// Graph is who may contact whom: the neighbour-sampler seam. Complete is
// the complete graph; every other overlay (a ring, a random regular
// graph, an edge list) is Lists, drawn by engine/topology, and no engine
// changes for it.
type Graph interface {
	// Nodes is the node count.
	Nodes() int
	// Degree is how many neighbours node u has.
	Degree(u int) int
	// Neighbours are u's neighbours, ascending; nil for the complete
	// graph, whose lists nobody should build.
	Neighbours(u int) []int32
	// Sampler returns scratch space for choosing peers: one per
	// goroutine, for a Graph is shared and read-only.
	Sampler() Sampler
}

// Sampler chooses peers.
type Sampler interface {
	// Peers returns min(k, Degree(u)) distinct neighbours of u, uniformly,
	// drawn from d with node u and indices 0, 1, ... in order. The slice
	// is reused by the next call.
	Peers(d Draws, u, k int) []int32
}

// Joined is whether u and v are neighbours in g: what a harness or a
// reader holds every message to, for the rumor travels only along edges.
func Joined(g Graph, u, v int32) bool {
	if _, ok := g.(Complete); ok {
		return u != v
	}
	_, ok := slices.BinarySearch(g.Neighbours(int(u)), v)
	return ok
}

// Complete is the complete graph on N nodes: every node neighbours every
// other.
type Complete struct{ N int }

func (g Complete) Nodes() int           { return g.N }
func (g Complete) Degree(int) int       { return g.N - 1 }
func (Complete) Neighbours(int) []int32 { return nil }
func (g Complete) Sampler() Sampler     { return &completeSampler{n: g.N} }

// CompletePeer is the one peer of u in draw index 0 on the complete graph
// of n nodes: what completeSampler.Peers returns for k = 1, spelt out so
// that the simulator's inner loop can inline it.
func CompletePeer(d Draws, u, n int) int {
	if v, ok := CompletePeerQuick(d, u, uint64(n-1)); ok {
		return v
	}
	v := int(d.IntN(u, 0, uint64(n-1)))
	return v + int(^uint64(v-u)>>63)
}

// CompletePeerQuick is CompletePeer for m = n-1 without the redraw of a
// rejected draw (about one in 2^64/m), small enough to be inlined: ok is
// false when the draw must be taken from CompletePeer instead.
func CompletePeerQuick(d Draws, u int, m uint64) (v int, ok bool) {
	hi, lo := bits.Mul64(d.Uint64(u, 0), m)
	v = int(hi)
	return v + int(^uint64(v-u)>>63), lo >= m // v+1 from u on, without a branch
}

// completeSampler draws k distinct peers among the n-1 other nodes; the
// candidates are numbered around u.
type completeSampler struct {
	n int
	f floyd
}

func (p *completeSampler) Peers(d Draws, u, k int) []int32 {
	if min(k, p.n-1) == 1 {
		p.f.out = append(p.f.out[:0], int32(CompletePeer(d, u, p.n)))
		return p.f.out
	}
	out := p.f.pick(d, u, k, p.n-1)
	for i, t := range out {
		if int(t) >= u {
			out[i] = t + 1
		}
	}
	return out
}

// floyd draws min(k, m) distinct positions among m candidates with
// Floyd's algorithm: exactly that many draws, whatever k is. The j-th draw
// (index j) is uniform in [0, m-k+j]. Every graph's sampler picks its
// candidates with it, so that the rule "k distinct peers, uniformly, from
// draws 0, 1, ..." is written once.
type floyd struct {
	out []int32
	// For large k a linear "already picked?" scan costs k^2; stamps make
	// it O(1) for 4 bytes per candidate, paid only when k is large.
	stamp []uint32
	epoch uint32
}

const linearScanMax = 32

func (p *floyd) pick(d Draws, u, k, m int) []int32 {
	k = min(k, m)
	out := p.out[:0]
	if k > linearScanMax && len(p.stamp) < m {
		p.stamp = make([]uint32, m)
		p.epoch = 0
	}
	p.epoch++
	if p.epoch == 0 { // wrapped: old stamps could alias
		clear(p.stamp)
		p.epoch = 1
	}
	useStamp := k > linearScanMax
	for i, j := 0, m-k; j < m; i, j = i+1, j+1 {
		t := int32(d.IntN(u, i, uint64(j+1)))
		if p.picked(out, t, useStamp) {
			t = int32(j)
		}
		out = append(out, t)
		if useStamp {
			p.stamp[t] = p.epoch
		}
	}
	p.out = out
	return out
}

func (p *floyd) picked(out []int32, t int32, useStamp bool) bool {
	if useStamp {
		return p.stamp[t] == p.epoch
	}
	for _, o := range out {
		if o == t {
			return true
		}
	}
	return false
}

// Lists is a graph given by its adjacency lists, compressed: node u's
// neighbours are Adj[Off[u]:Off[u+1]], ascending, each edge listed at both
// ends. engine/topology draws every overlay but the complete graph as one.
type Lists struct {
	Off []int64 // len Nodes()+1
	Adj []int32
}

func (g *Lists) Nodes() int               { return len(g.Off) - 1 }
func (g *Lists) Degree(u int) int         { return int(g.Off[u+1] - g.Off[u]) }
func (g *Lists) Neighbours(u int) []int32 { return g.Adj[g.Off[u]:g.Off[u+1]] }
func (g *Lists) Sampler() Sampler         { return &listSampler{g: g} }

// Edges is the number of undirected edges.
func (g *Lists) Edges() int { return len(g.Adj) / 2 }

// OwnRow is the graph as one node of it knows it: n nodes, of which only
// u's neighbours are listed. A real node is told its neighbours and
// nothing else, and picks its peers from them as the simulator does.
func OwnRow(n, u int, row []int32) *Lists {
	g := &Lists{Off: make([]int64, n+1), Adj: row}
	for v := u + 1; v <= n; v++ {
		g.Off[v] = int64(len(row))
	}
	return g
}

type listSampler struct {
	g *Lists
	f floyd
}

func (p *listSampler) Peers(d Draws, u, k int) []int32 {
	row := p.g.Neighbours(u)
	out := p.f.pick(d, u, k, len(row))
	for i, t := range out {
		out[i] = row[t]
	}
	return out
}
