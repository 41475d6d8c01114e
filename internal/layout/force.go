package layout

import (
	"math"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// Force-layout constants (docs/design.md, "Drawing graphs"). Iterations
// and the starting temperature were chosen by looking at regular,
// Erdős–Rényi and scale-free replays of 100 and 1000 nodes: fewer left
// 1000-node graphs visibly tangled, more changed nothing one could see.
const (
	forceIters = 150
	startTemp  = 0.06 // the largest step, in units of the square, cooled linearly to 0
	// gravity pulls every node towards the centre with a force of gravity
	// times its distance. The pushes of n nodes (k²/d each, k² = 1/n) add
	// up to 1/r outside a disc of them, and to r/R² inside a disc of
	// radius R; both balance the pull at R = 1/√gravity, so the graph and
	// anything flung off it (an isolated node) settle within a disc of
	// radius 0.5: the square, whatever n.
	gravity = 4
)

// force is Fruchterman and Reingold's spring embedder (1991) in the unit
// square, every node pushing every other, the pushes summed by Barnes and
// Hut's quadtree so that an iteration costs O(n log n + m), not O(n²).
// (Their grid variant, pushes only within 2k, collapses an expander such
// as a random regular graph into a dense blob, and was slower for it.) It
// starts from the spectral layout, which already shows a graph's
// large-scale shape, and a pull to the centre keeps the parts of a
// disconnected graph on the page.
func force(g protocol.Graph) []Point { return forceTheta(g, theta) }

// forceTheta is force with Barnes–Hut's opening criterion theta (0: every
// pair summed exactly, the benchmarks' baseline).
func forceTheta(g protocol.Graph, theta float64) []Point {
	n := g.Nodes()
	pos := fit(spectral(g))
	k := math.Sqrt(1 / float64(n))
	dx, dy := make([]float64, n), make([]float64, n)
	tree := quad{theta: theta}
	var stack []int32
	for it := range forceIters {
		// Repulsion, k²/d from every other node, by Barnes–Hut.
		tree.build(pos)
		for i := range pos {
			dx[i], dy[i], stack = tree.repel(i, k*k, stack)
		}
		// Attraction, d²/k along every edge.
		for u := range n {
			for _, v := range g.Neighbours(u) {
				if int(v) <= u {
					continue
				}
				ex, ey := pos[u].X-pos[v].X, pos[u].Y-pos[v].Y
				d := math.Sqrt(ex*ex + ey*ey)
				f := d / k // (d²/k) · (e/d)
				dx[u] -= ex * f
				dy[u] -= ey * f
				dx[v] += ex * f
				dy[v] += ey * f
			}
		}
		t := startTemp * (1 - float64(it)/forceIters)
		for i := range pos {
			dx[i] -= gravity * (pos[i].X - 0.5)
			dy[i] -= gravity * (pos[i].Y - 0.5)
			d := math.Sqrt(dx[i]*dx[i] + dy[i]*dy[i])
			if d > 0 {
				s := min(d, t) / d
				pos[i].X += dx[i] * s
				pos[i].Y += dy[i] * s
			}
		}
	}
	return fit(pos)
}

func bounds(pts []Point) (minX, minY, maxX, maxY float64) {
	minX, minY = math.Inf(1), math.Inf(1)
	maxX, maxY = math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	return
}
