package layout

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

func build(t testing.TB, top engine.Topology, n int) protocol.Graph {
	t.Helper()
	g, err := topology.Build(top, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// randomGraph is a fixed-seed graph of about n·d/2 random edges (pairs
// drawn uniformly, loops and repeats dropped), given as an edge file: the
// random kinds' generators are not this package's business.
func randomGraph(t testing.TB, n, d int, seed uint64) protocol.Graph {
	r := rand.New(rand.NewPCG(seed, 0))
	seen := map[[2]int32]bool{}
	var e [][2]int32
	for len(e) < n*d/2 {
		u, v := int32(r.IntN(n)), int32(r.IntN(n))
		if u == v || seen[[2]int32{min(u, v), max(u, v)}] {
			continue
		}
		seen[[2]int32{min(u, v), max(u, v)}] = true
		e = append(e, [2]int32{u, v})
	}
	return build(t, engine.Topology{Kind: engine.TopologyFile, Edges: e}, n)
}

// path is 0-1-2-...-(n-1), shuffled ids, as a file graph.
func path(t testing.TB, n int) protocol.Graph {
	perm := rand.New(rand.NewPCG(3, 0)).Perm(n)
	var e [][2]int32
	for i := 1; i < n; i++ {
		e = append(e, [2]int32{int32(perm[i-1]), int32(perm[i])})
	}
	return build(t, engine.Topology{Kind: engine.TopologyFile, Edges: e}, n)
}

func TestRingOnACircleInOrder(t *testing.T) {
	for _, kind := range []string{engine.TopologyRing, engine.TopologySmallWorld} {
		n := 60
		pts := Of(kind, build(t, engine.Topology{Kind: engine.TopologyRing, Degree: 4}, n))
		r0 := math.Hypot(pts[0].X-0.5, pts[0].Y-0.5)
		prev := math.Atan2(pts[0].Y-0.5, pts[0].X-0.5)
		for i, p := range pts {
			if r := math.Hypot(p.X-0.5, p.Y-0.5); math.Abs(r-r0) > 1e-9 || r < 0.3 {
				t.Fatalf("%s: node %d at radius %g, node 0 at %g", kind, i, r, r0)
			}
			if i == 0 {
				continue
			}
			a := math.Atan2(p.Y-0.5, p.X-0.5)
			step := math.Mod(a-prev+4*math.Pi, 2*math.Pi)
			if math.Abs(step-2*math.Pi/float64(n)) > 1e-9 {
				t.Fatalf("%s: node %d is %g rad on from node %d, want 2π/%d", kind, i, step, i-1, n)
			}
			prev = a
		}
	}
}

func TestGridAligned(t *testing.T) {
	for _, n := range []int{16, 30, 1000} {
		pts := Of(engine.TopologyGrid, build(t, engine.Topology{Kind: engine.TopologyGrid}, n))
		rows := int(math.Sqrt(float64(n)))
		cols := (n + rows - 1) / rows
		for i, p := range pts {
			r, c := i/cols, i%cols
			if c > 0 && (math.Abs(p.Y-pts[i-1].Y) > 1e-12 || p.X <= pts[i-1].X) {
				t.Fatalf("n=%d: node %d at %v, its left neighbour %d at %v", n, i, p, i-1, pts[i-1])
			}
			if r > 0 && (math.Abs(p.X-pts[i-cols].X) > 1e-12 || p.Y <= pts[i-cols].Y) {
				t.Fatalf("n=%d: node %d at %v, the node above it %d at %v", n, i, p, i-cols, pts[i-cols])
			}
		}
		// Even spacing: a square lattice, not stretched.
		if n == 16 && (math.Abs((pts[1].X-pts[0].X)-(pts[4].Y-pts[0].Y)) > 1e-12) {
			t.Errorf("n=16: steps %g across and %g down", pts[1].X-pts[0].X, pts[4].Y-pts[0].Y)
		}
	}
}

// Every edge of the hypercube is axis-parallel on the board (same row or
// same column), and the lowest bit of each half links next-door cells.
func TestHypercubeBoard(t *testing.T) {
	n := 256
	g := build(t, engine.Topology{Kind: engine.TopologyHypercube}, n)
	pts := Of(engine.TopologyHypercube, g)
	seen := map[Point]bool{}
	step := pts[grayInv(1)].X - pts[0].X
	for u, p := range pts {
		if seen[p] {
			t.Fatalf("node %d shares its place %v", u, p)
		}
		seen[p] = true
		for _, v := range g.Neighbours(u) {
			q := pts[v]
			if math.Abs(p.X-q.X) > 1e-12 && math.Abs(p.Y-q.Y) > 1e-12 {
				t.Fatalf("edge %d-%d runs diagonally: %v %v", u, v, p, q)
			}
		}
	}
	if step <= 0 {
		t.Fatalf("nodes 0 and %d: %v %v", grayInv(1), pts[0], pts[grayInv(1)])
	}
}

// grayInv(1) is the node in column 1 of row 0: Gray code 1 = 1.
func grayInv(k int) int { return k ^ k>>1 }

// meanLengths is the mean edge length and the mean distance of random
// pairs of nodes.
func meanLengths(g protocol.Graph, pts []Point) (edge, pair float64) {
	m := 0
	for u := range g.Nodes() {
		for _, v := range g.Neighbours(u) {
			edge += math.Hypot(pts[u].X-pts[v].X, pts[u].Y-pts[v].Y)
			m++
		}
	}
	r := rand.New(rand.NewPCG(9, 9))
	const pairs = 20000
	for range pairs {
		a, b := r.IntN(len(pts)), r.IntN(len(pts))
		pair += math.Hypot(pts[a].X-pts[b].X, pts[a].Y-pts[b].Y)
	}
	return edge / float64(m), pair / pairs
}

// A force layout pulls neighbours together: edges are much shorter than
// the distance between random nodes. A random placement (checked here
// too, so the criterion can fail) has them equal.
func TestForceShortensEdges(t *testing.T) {
	const ratio = 0.6
	for _, c := range []struct {
		name string
		kind string
		g    protocol.Graph
		want float64
	}{
		{"sparse random n=1000", engine.TopologyRegular, randomGraph(t, 1000, 4, 1), ratio},
		{"random n=200", engine.TopologyErdosRenyi, randomGraph(t, 200, 6, 2), ratio},
		{"path n=300", engine.TopologyFile, path(t, 300), 0.1},
	} {
		pts := Of(c.kind, c.g)
		edge, pair := meanLengths(c.g, pts)
		t.Logf("%s: mean edge %.4f, mean pair %.4f (ratio %.3f)", c.name, edge, pair, edge/pair)
		if edge > c.want*pair {
			t.Errorf("%s: mean edge %.4f, mean pair %.4f: want edges below %.2f of pairs", c.name, edge, pair, c.want)
		}
		r := rand.New(rand.NewPCG(5, 5))
		random := make([]Point, len(pts))
		for i := range random {
			random[i] = Point{r.Float64(), r.Float64()}
		}
		if edge, pair := meanLengths(c.g, random); edge <= ratio*pair {
			t.Errorf("%s: a random placement passes too (edge %.4f, pair %.4f)", c.name, edge, pair)
		}
	}
}

func TestEveryKindInTheSquare(t *testing.T) {
	graphs := map[string]protocol.Graph{
		engine.TopologyRing:      build(t, engine.Topology{Kind: engine.TopologyRing, Degree: 2}, 50),
		engine.TopologyGrid:      build(t, engine.Topology{Kind: engine.TopologyGrid}, 50),
		engine.TopologyHypercube: build(t, engine.Topology{Kind: engine.TopologyHypercube}, 64),
		engine.TopologyRegular:   randomGraph(t, 50, 4, 3),
		engine.TopologyScaleFree: randomGraph(t, 50, 2, 4), // with isolated nodes and parts
		engine.TopologyFile:      build(t, engine.Topology{Kind: engine.TopologyFile, Edges: [][2]int32{{0, 1}}}, 5),
		"complete":               protocol.Complete{N: 7},
	}
	for kind, g := range graphs {
		a, b := Of(kind, g), Of(kind, g)
		if len(a) != g.Nodes() {
			t.Fatalf("%s: %d points for %d nodes", kind, len(a), g.Nodes())
		}
		seen := map[Point]int{}
		for i, p := range a {
			if !(p.X >= 0 && p.X <= 1 && p.Y >= 0 && p.Y <= 1) {
				t.Errorf("%s: node %d at %v, outside the unit square", kind, i, p)
			}
			if p != b[i] {
				t.Errorf("%s: node %d at %v, then at %v", kind, i, p, b[i])
			}
			if j, ok := seen[p]; ok {
				t.Errorf("%s: nodes %d and %d both at %v", kind, j, i, p)
			}
			seen[p] = i
		}
	}
	if got := Of(engine.TopologyRegular, build(t, engine.Topology{Kind: engine.TopologyFile}, 1)); len(got) != 1 || got[0] != (Point{0.5, 0.5}) {
		t.Errorf("one node: %v", got)
	}
}

// BenchmarkForce1000 times the force layout at the replay limit, 1000
// nodes, against the same layout with every pair's push summed exactly
// (theta 0) in the same run.
func BenchmarkForce1000(b *testing.B) {
	for _, d := range []int{4, 8} {
		g := randomGraph(b, 1000, d, 1)
		for _, th := range []float64{theta, 0} {
			b.Run(fmt.Sprintf("degree=%d/theta=%g", d, th), func(b *testing.B) {
				for b.Loop() {
					forceTheta(g, th)
				}
			})
		}
	}
}

func BenchmarkSpectral1000(b *testing.B) {
	g := randomGraph(b, 1000, 8, 1)
	for b.Loop() {
		spectral(g)
	}
}

// TestDumpSVG writes SVG drawings of test graphs' layouts to
// $LAYOUT_SVG_OUT, for looking at them; it checks nothing.
func TestDumpSVG(t *testing.T) {
	out := os.Getenv("LAYOUT_SVG_OUT")
	if out == "" {
		t.Skip("set LAYOUT_SVG_OUT to a directory")
	}
	for name, c := range map[string]struct {
		kind string
		g    protocol.Graph
	}{
		"random1000d4": {engine.TopologyRegular, randomGraph(t, 1000, 4, 1)},
		"random1000d8": {engine.TopologyRegular, randomGraph(t, 1000, 8, 1)},
		"random100d4":  {engine.TopologyRegular, randomGraph(t, 100, 4, 1)},
		"path300":      {engine.TopologyFile, path(t, 300)},
		"gridfile400":  {engine.TopologyFile, build(t, engine.Topology{Kind: engine.TopologyGrid}, 400)},
		"hypercube64":  {engine.TopologyHypercube, build(t, engine.Topology{Kind: engine.TopologyHypercube}, 64)},
	} {
		pts := Of(c.kind, c.g)
		var b strings.Builder
		b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" style="background:#fff">`)
		for u := range c.g.Nodes() {
			for _, v := range c.g.Neighbours(u) {
				if int(v) > u {
					fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-width="0.5"/>`, pts[u].X*800, pts[u].Y*800, pts[v].X*800, pts[v].Y*800)
				}
			}
		}
		for _, p := range pts {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="#2563eb"/>`, p.X*800, p.Y*800)
		}
		b.WriteString(`</svg>`)
		if err := os.WriteFile(filepath.Join(out, name+".svg"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
