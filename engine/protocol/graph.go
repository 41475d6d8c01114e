package protocol

import "math/bits"

// Graph is who may contact whom: the neighbour-sampler seam. The complete
// graph is the only one so far; an overlay (a ring, a random regular graph,
// an edge list) is another Graph, and no engine changes for it.
type Graph interface {
	// Nodes is the node count.
	Nodes() int
	// Degree is how many neighbours node u has.
	Degree(u int) int
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

// Complete is the complete graph on N nodes: every node neighbours every
// other.
type Complete struct{ N int }

func (g Complete) Nodes() int       { return g.N }
func (g Complete) Degree(int) int   { return g.N - 1 }
func (g Complete) Sampler() Sampler { return &completeSampler{n: g.N} }

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

// completeSampler draws k distinct peers among the n-1 other nodes with
// Floyd's algorithm: exactly k draws, whatever k is. The j-th draw (index
// j) is uniform in [0, n-1-k+j].
type completeSampler struct {
	n   int
	out []int32
	// For large k a linear "already picked?" scan costs k^2; stamps make
	// it O(1) for 4 bytes per node, paid only when k is large.
	stamp []uint32
	epoch uint32
}

const linearScanMax = 32

func (p *completeSampler) Peers(d Draws, u, k int) []int32 {
	m := p.n - 1 // candidates are 0..m-1, mapped around u
	k = min(k, m)
	out := p.out[:0]
	if k == 1 {
		out = append(out, int32(CompletePeer(d, u, p.n)))
		p.out = out
		return out
	}
	if k > linearScanMax && p.stamp == nil {
		p.stamp = make([]uint32, p.n)
	}
	p.epoch++
	if p.epoch == 0 { // wrapped: old stamps could alias
		clear(p.stamp)
		p.epoch = 1
	}
	for i, j := 0, m-k; j < m; i, j = i+1, j+1 {
		t := int32(d.IntN(u, i, uint64(j+1)))
		if p.picked(out, t) {
			t = int32(j)
		}
		out = append(out, t)
		if p.stamp != nil {
			p.stamp[t] = p.epoch
		}
	}
	for i, t := range out {
		if int(t) >= u {
			out[i] = t + 1
		}
	}
	p.out = out
	return out
}

func (p *completeSampler) picked(out []int32, t int32) bool {
	if p.stamp != nil {
		return p.stamp[t] == p.epoch
	}
	for _, o := range out {
		if o == t {
			return true
		}
	}
	return false
}
