package topology

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// ExactDiameterMax is the largest source component whose diameter Facts
// computes exactly, by a breadth-first search from every node of it
// (O(n·m)); above it the diameter is the double-sweep lower bound, which
// is exact on trees and within one on most random graphs. Facts runs
// every trial, so the exact search must stay cheap beside the trial: at
// 256 nodes of degree 8 it takes about 2 ms on this machine, at 1024 it
// took 24 ms (BenchmarkFacts); the sweeps at 1000 nodes take 0.1 ms.
const ExactDiameterMax = 256

// sweeps is how many double sweeps the estimate takes the best of.
const sweeps = 2

// Facts are g's degree summary, components and diameter around source.
func Facts(g *protocol.Lists, source int) *engine.GraphFacts {
	n := g.Nodes()
	f := &engine.GraphFacts{Nodes: n, Edges: g.Edges(), DegreeMin: math.MaxInt}
	var sum, sq float64
	for u := range n {
		d := g.Degree(u)
		f.DegreeMin, f.DegreeMax = min(f.DegreeMin, d), max(f.DegreeMax, d)
		sum += float64(d)
		sq += float64(d) * float64(d)
	}
	f.DegreeMean = sum / float64(n)
	f.DegreeSD = math.Sqrt(max(sq/float64(n)-f.DegreeMean*f.DegreeMean, 0))

	// The source's search first: its component, and the first sweep's
	// start. Then the other components, each node marked done once.
	b := newBFS(n)
	done := make([]uint64, (n+63)/64)
	members := b.run(g, source)
	f.SourceComponent, f.Components = len(members), 1
	far := int(members[len(members)-1])
	for _, v := range members {
		done[v/64] |= 1 << (v % 64)
	}
	for u := range n {
		if done[u/64]>>(u%64)&1 == 0 {
			f.Components++
			for _, v := range b.run(g, u) {
				done[v/64] |= 1 << (v % 64)
			}
		}
	}
	if f.SourceComponent <= ExactDiameterMax {
		f.DiameterExact = true
		members = append([]int32(nil), b.run(g, source)...)
		for _, u := range members {
			b.run(g, int(u))
			f.Diameter = max(f.Diameter, b.ecc)
		}
		return f
	}
	// Double sweep: the node farthest from a start is an end of a long
	// path; its eccentricity bounds the diameter from below.
	for sweep := range sweeps {
		reached := b.run(g, far)
		f.Diameter = max(f.Diameter, b.ecc)
		if sweep+1 < sweeps { // a node midway, for a different sweep
			reached = b.run(g, int(reached[len(reached)/2]))
			far = int(reached[len(reached)-1])
		}
	}
	return f
}

// bfs is a breadth-first search's buffers, reused across searches. It
// marks the nodes it has reached in a bitmap, an eighth of a byte a node
// (a large graph's bitmap stays in cache where an array of distances
// would miss on nearly every edge), and tells distances by the levels of
// its queue.
type bfs struct {
	seen  []uint64 // the last run's nodes
	queue []int32
	ecc   int // the last run's largest distance
}

func newBFS(n int) *bfs {
	return &bfs{seen: make([]uint64, (n+63)/64), queue: make([]int32, 0, n)}
}

// run searches from s and returns the nodes reached in the order of their
// distance (the last is farthest); the slice is reused by the next run.
func (b *bfs) run(g *protocol.Lists, s int) []int32 {
	for _, v := range b.queue {
		b.seen[v/64] &^= 1 << (v % 64)
	}
	b.queue = append(b.queue[:0], int32(s))
	b.seen[s/64] |= 1 << (s % 64)
	b.ecc = 0
	for i, level := 0, 1; i < len(b.queue); i++ {
		if i == level { // the nodes before i were all one level nearer
			b.ecc++
			level = len(b.queue)
		}
		for _, v := range g.Neighbours(int(b.queue[i])) {
			if b.seen[v/64]>>(v%64)&1 == 0 {
				b.seen[v/64] |= 1 << (v % 64)
				b.queue = append(b.queue, v)
			}
		}
	}
	return b.queue
}

// Injection is round 0 as every engine reports it: the source informed,
// every node alive, and off the complete graph the facts of the graph.
func Injection(g protocol.Graph, source int) engine.Round {
	r := engine.Round{RoundStats: engine.RoundStats{Informed: 1, New: 1, Alive: g.Nodes()}, Informed: []int32{int32(source)}}
	if l, ok := g.(*protocol.Lists); ok {
		r.Graph = Facts(l, source)
	}
	return r
}
