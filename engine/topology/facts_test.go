package topology

import (
	"fmt"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

func path(n int) edges {
	var e edges
	for i := range int32(n - 1) {
		e = append(e, [2]int32{i, i + 1})
	}
	return e
}

// Facts on graphs whose facts are known by hand.
func TestFacts(t *testing.T) {
	star := edges{}
	for i := range int32(9) {
		star = append(star, [2]int32{0, i + 1})
	}
	two := append(path(4), edges{{4, 5}, {5, 6}, {6, 4}}...) // a path 0-3 and a triangle 4-6
	for _, c := range []struct {
		what   string
		g      *protocol.Lists
		source int
		want   engine.GraphFacts
	}{
		{"path of 6", path(6).lists(6), 2, engine.GraphFacts{Nodes: 6, Edges: 5, DegreeMin: 1, DegreeMax: 2, DegreeMean: 10.0 / 6, Components: 1, SourceComponent: 6, Diameter: 5, DiameterExact: true}},
		{"star of 10", star.lists(10), 4, engine.GraphFacts{Nodes: 10, Edges: 9, DegreeMin: 1, DegreeMax: 9, DegreeMean: 1.8, Components: 1, SourceComponent: 10, Diameter: 2, DiameterExact: true}},
		{"cycle of 7", ring(7, 2).lists(7), 0, engine.GraphFacts{Nodes: 7, Edges: 7, DegreeMin: 2, DegreeMax: 2, DegreeMean: 2, Components: 1, SourceComponent: 7, Diameter: 3, DiameterExact: true}},
		{"path and triangle, from the triangle", two.lists(7), 5, engine.GraphFacts{Nodes: 7, Edges: 6, DegreeMin: 1, DegreeMax: 2, DegreeMean: 12.0 / 7, Components: 2, SourceComponent: 3, Diameter: 1, DiameterExact: true}},
		{"path and triangle, from the path", two.lists(7), 0, engine.GraphFacts{Nodes: 7, Edges: 6, DegreeMin: 1, DegreeMax: 2, DegreeMean: 12.0 / 7, Components: 2, SourceComponent: 4, Diameter: 3, DiameterExact: true}},
		{"lone nodes", edges{{1, 2}}.lists(4), 0, engine.GraphFacts{Nodes: 4, Edges: 1, DegreeMin: 0, DegreeMax: 1, DegreeMean: 0.5, Components: 3, SourceComponent: 1, Diameter: 0, DiameterExact: true}},
	} {
		got := *Facts(c.g, c.source)
		want := c.want
		got.DegreeSD, want.DegreeSD = 0, 0 // checked below
		if got != want {
			t.Errorf("%s: facts %+v, want %+v", c.what, got, want)
		}
	}
	// The path's degrees: 1, 2, 2, 2, 2, 1: mean 5/3, variance 2/9.
	if sd := Facts(path(6).lists(6), 0).DegreeSD; abs(sd*sd-2.0/9) > 1e-12 {
		t.Errorf("path of 6: degree sd %v, want √(2/9)", sd)
	}
}

// Above ExactDiameterMax the diameter is the double sweep's bound: exact
// on a tree (the farthest node from anywhere is an end of a longest
// path), a lower bound elsewhere, and never more than the truth.
func TestFactsLarge(t *testing.T) {
	// A spider: three legs of 600, 500 and 400 nodes from a centre.
	var spider edges
	next := int32(1)
	for _, leg := range []int{600, 500, 400} {
		prev := int32(0)
		for range leg {
			spider = append(spider, [2]int32{prev, next})
			prev, next = next, next+1
		}
	}
	n := int(next)
	f := Facts(spider.lists(n), 0)
	if f.DiameterExact || f.Diameter != 1100 || f.SourceComponent != n {
		t.Errorf("spider: diameter %d (exact %v), component %d; want 1100 estimated, %d", f.Diameter, f.DiameterExact, f.SourceComponent, n)
	}
	if f := Facts(path(5000).lists(5000), 2500); f.Diameter != 4999 {
		t.Errorf("path of 5000 from the middle: diameter %d", f.Diameter)
	}
	// A ring of 3000: every node is an end of a diameter (1500).
	if f := Facts(ring(3000, 2).lists(3000), 17); f.Diameter != 1500 || f.DiameterExact {
		t.Errorf("ring of 3000: diameter %d (exact %v), want 1500 estimated", f.Diameter, f.DiameterExact)
	}
	// A random 3-regular graph: the bound is at most the exact diameter
	// and, on such graphs, within one of it.
	g := regular(2000, 3, stream(15))
	est := Facts(g, 0)
	exact := 0
	b := newBFS(g.Nodes())
	for u := range g.Nodes() {
		b.run(g, u)
		exact = max(exact, b.ecc)
	}
	if est.Diameter > exact || est.Diameter < exact-1 {
		t.Errorf("3-regular on 2000: bound %d, exact %d", est.Diameter, exact)
	}
}

// What Facts costs at ExactDiameterMax nodes (the largest exact search)
// and at 1000: a trial's facts should take a few milliseconds at most.
func BenchmarkFacts(b *testing.B) {
	for _, c := range []struct {
		name string
		top  engine.Topology
	}{
		{"regular-8", engine.Topology{Kind: engine.TopologyRegular, Degree: 8}},
		{"regular-3", engine.Topology{Kind: engine.TopologyRegular, Degree: 3}},
		{"ring-2", engine.Topology{Kind: engine.TopologyRing, Degree: 2}},
	} {
		for _, n := range []int{ExactDiameterMax, 1000} {
			g, _ := Build(c.top, n, 1)
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				for b.Loop() {
					Facts(g.(*protocol.Lists), 0)
				}
			})
		}
	}
}
