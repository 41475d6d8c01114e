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

	b := newBFS(n)
	comp := make([]int32, n) // 0: not yet seen; else the component's number
	for u := range n {
		if comp[u] == 0 {
			f.Components++
			for _, v := range b.run(g, u) {
				comp[v] = int32(f.Components)
			}
		}
	}
	members := b.run(g, source)
	f.SourceComponent = len(members)
	if len(members) <= ExactDiameterMax {
		f.DiameterExact = true
		for _, u := range members {
			b.run(g, int(u))
			f.Diameter = max(f.Diameter, b.ecc)
		}
		return f
	}
	// Double sweep: the node farthest from a start is an end of a long
	// path; its eccentricity bounds the diameter from below.
	start := source
	for range sweeps {
		far := b.run(g, start)
		end := int(far[len(far)-1])
		far = b.run(g, end)
		f.Diameter = max(f.Diameter, b.ecc)
		start = int(far[len(far)/2]) // a node midway, for a different sweep
	}
	return f
}

// bfs is a breadth-first search's buffers, reused across searches.
type bfs struct {
	dist  []int32 // -1 unseen, valid for the nodes of the last run
	queue []int32
	ecc   int // the last run's largest distance
}

func newBFS(n int) *bfs {
	b := &bfs{dist: make([]int32, n), queue: make([]int32, 0, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// run searches from s and returns the nodes reached in the order of their
// distance (the last is farthest); the slice is reused by the next run.
func (b *bfs) run(g *protocol.Lists, s int) []int32 {
	for _, v := range b.queue {
		b.dist[v] = -1
	}
	b.queue = append(b.queue[:0], int32(s))
	b.dist[s] = 0
	for i := 0; i < len(b.queue); i++ {
		u := b.queue[i]
		for _, v := range g.Neighbours(int(u)) {
			if b.dist[v] < 0 {
				b.dist[v] = b.dist[u] + 1
				b.queue = append(b.queue, v)
			}
		}
	}
	b.ecc = int(b.dist[b.queue[len(b.queue)-1]])
	return b.queue
}
