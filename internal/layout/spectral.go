package layout

import (
	"math"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// spectralIters bounds the power iteration; a sparse product costs O(n+m),
// so even 1000 nodes of degree 8 take a few milliseconds.
const spectralIters = 500

// spectral is Koren's degree-normalised eigenvector layout ("Drawing
// graphs by eigenvectors", 2005): the two leading non-trivial
// eigenvectors of D⁻¹A, found by power iteration on ½(I + D⁻¹A) with each
// vector kept D-orthogonal to the constant one and to the first. Its
// start vectors are fixed functions of the node ids, so it is
// deterministic; a little of the circle is mixed in so that nodes the
// eigenvectors cannot tell apart (a disconnected part) do not coincide.
func spectral(g protocol.Graph) []Point {
	n := g.Nodes()
	deg := make([]float64, n)
	for u := range n {
		deg[u] = float64(max(1, g.Degree(u)))
	}
	var vecs [][]float64
	y := make([]float64, n)
	for dim := range 2 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(splitmix(uint64(i)*2+uint64(dim))>>11)/(1<<53) - 0.5
		}
		for range spectralIters {
			dOrth(x, nil, deg)
			for _, v := range vecs {
				dOrth(x, v, deg)
			}
			for u := range n {
				s := 0.0
				for _, v := range g.Neighbours(u) {
					s += x[v]
				}
				y[u] = 0.5 * (x[u] + s/deg[u])
			}
			norm := 0.0
			for _, v := range y {
				norm += v * v
			}
			norm = math.Sqrt(norm)
			if norm == 0 {
				break
			}
			for i := range x {
				x[i] = y[i] / norm
			}
		}
		vecs = append(vecs, x)
	}
	c := circle(n)
	pts := make([]Point, n)
	sx, sy := spread(vecs[0]), spread(vecs[1])
	for i := range pts {
		pts[i] = Point{vecs[0][i]/sx + 0.05*(c[i].X-0.5), vecs[1][i]/sy + 0.05*(c[i].Y-0.5)}
	}
	return pts
}

// dOrth removes from x its D-projection on v (the constant vector when v
// is nil): x -= (xᵀDv / vᵀDv) v.
func dOrth(x, v, deg []float64) {
	num, den := 0.0, 0.0
	for i := range x {
		vi := 1.0
		if v != nil {
			vi = v[i]
		}
		num += x[i] * deg[i] * vi
		den += vi * deg[i] * vi
	}
	if den == 0 {
		return
	}
	for i := range x {
		vi := 1.0
		if v != nil {
			vi = v[i]
		}
		x[i] -= num / den * vi
	}
}

// spread is the range of x, 1 when it has none.
func spread(x []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi > lo {
		return hi - lo
	}
	return 1
}

// splitmix is SplitMix64's finaliser: fixed, well-mixed start values.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
