package layout

import "math"

// circle puts node i at angle 2πi/n, node 0 at the top, clockwise:
// consecutive nodes are neighbours on the circle, so a ring's edges are
// its rim and a small-world graph's shortcuts its chords.
func circle(n int) []Point {
	out := make([]Point, n)
	for i := range out {
		a := 2*math.Pi*float64(i)/float64(n) - math.Pi/2
		out[i] = Point{0.5 + 0.45*math.Cos(a), 0.5 + 0.45*math.Sin(a)}
	}
	return out
}

// grid is engine/topology's lattice: ⌊√n⌋ rows filled row by row, node i
// at row i/cols and column i%cols, so every edge is one step across or
// down.
func grid(n int) []Point {
	rows := int(math.Sqrt(float64(n)))
	for rows*rows > n {
		rows--
	}
	for (rows+1)*(rows+1) <= n {
		rows++
	}
	cols := (n + rows - 1) / rows
	out := make([]Point, n)
	for i := range out {
		out[i] = Point{float64(i % cols), float64(i / cols)}
	}
	return fit(out)
}

// hypercube draws the d-cube (n = 2^d) as a 2^a × 2^b board: the low a =
// ⌈d/2⌉ bits give the column and the high bits the row, each in Gray-code
// order, so a one-bit neighbour in the lowest bit of either half is the
// next column or row and every other neighbour is in the same row or
// column: the cube's sub-cubes show as blocks.
func hypercube(n int) []Point {
	d := 0
	for 1<<d < n {
		d++
	}
	a := (d + 1) / 2
	out := make([]Point, n)
	for i := range out {
		x, y := i&(1<<a-1), i>>a
		out[i] = Point{float64(grayRank(x)), float64(grayRank(y))}
	}
	return fit(out)
}

// grayRank is the position of v in the reflected Gray code sequence (the
// inverse of g(k) = k ^ k>>1): consecutive positions differ in one bit.
func grayRank(v int) int {
	k := v
	for s := 1; s < 64; s <<= 1 {
		k ^= k >> s
	}
	return k
}
