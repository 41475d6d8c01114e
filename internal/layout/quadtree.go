package layout

import "math"

// theta is Barnes and Hut's opening criterion: a cell whose side is less
// than theta times its distance acts as one body at its centre of mass.
// 1 is the usual choice for drawing (the error it makes is a few per cent
// of a push that is itself only a heuristic); 0 sums every pair exactly.
const theta = 1.0

// maxDepth stops splitting cells round coincident points.
const maxDepth = 32

// quad is a Barnes–Hut quadtree over the points of one iteration, kept in
// one slice reused from iteration to iteration.
type quad struct {
	cells []cell
	pts   []Point
	theta float64
}

type cell struct {
	x, y, half float64 // the square: centre and half its side
	mx, my     float64 // sum of the bodies' positions
	mass       float64 // bodies inside
	child      [4]int32
	body       int32 // a leaf's one body; -1 empty or split
	split      bool  // has children
}

func (q *quad) build(pts []Point) {
	q.pts = pts
	minX, minY, maxX, maxY := bounds(pts)
	half := max(maxX-minX, maxY-minY)/2 + 1e-9
	q.cells = q.cells[:0]
	q.newCell((minX+maxX)/2, (minY+maxY)/2, half)
	for i := range pts {
		q.insert(0, int32(i), 0)
	}
}

func (q *quad) newCell(x, y, half float64) int32 {
	q.cells = append(q.cells, cell{x: x, y: y, half: half, child: [4]int32{-1, -1, -1, -1}, body: -1})
	return int32(len(q.cells) - 1)
}

func (q *quad) insert(c, b int32, depth int) {
	for {
		p := q.pts[b]
		cl := &q.cells[c]
		cl.mx += p.X
		cl.my += p.Y
		cl.mass++
		if cl.mass == 1 {
			cl.body = b
			return
		}
		if depth >= maxDepth {
			return // coincident bodies stay lumped in this leaf
		}
		if old := cl.body; old >= 0 {
			cl.body = -1
			q.place(c, old, depth)
		}
		c = q.childFor(c, b)
		depth++
	}
}

// place moves an existing body one level down without counting it again
// in c.
func (q *quad) place(c, b int32, depth int) {
	ch := q.childFor(c, b)
	q.insert(ch, b, depth+1)
}

func (q *quad) childFor(c, b int32) int32 {
	p := q.pts[b]
	cl := q.cells[c]
	i := 0
	x, y, h := cl.x-cl.half/2, cl.y-cl.half/2, cl.half/2
	if p.X >= cl.x {
		i, x = i+1, cl.x+h
	}
	if p.Y >= cl.y {
		i, y = i+2, cl.y+h
	}
	if q.cells[c].child[i] < 0 {
		ch := q.newCell(x, y, h)
		q.cells[c].child[i] = ch
		q.cells[c].split = true
	}
	return q.cells[c].child[i]
}

// repel adds to (fx, fy) the push k²/d of every other body on body b.
func (q *quad) repel(b int, k2 float64, stack []int32) (fx, fy float64, _ []int32) {
	p := q.pts[b]
	stack = append(stack[:0], 0)
	for len(stack) > 0 {
		c := &q.cells[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		if c.mass == 0 || c.body == int32(b) {
			continue
		}
		cx, cy := c.mx/c.mass, c.my/c.mass
		ex, ey := p.X-cx, p.Y-cy
		d2 := ex*ex + ey*ey
		leaf := !c.split
		if leaf || 4*c.half*c.half < q.theta*q.theta*d2 {
			mass := c.mass
			if leaf && c.body < 0 && d2 < 1e-18 {
				// b lumped with others in a deepest leaf: part them
				// along a direction set by b's id.
				a := float64(b) * 2.399963
				ex, ey, d2 = 1e-9*math.Cos(a), 1e-9*math.Sin(a), 1e-18
				mass--
			}
			if d2 < 1e-18 {
				continue
			}
			f := mass * k2 / d2
			fx += ex * f
			fy += ey * f
			continue
		}
		for _, ch := range c.child {
			if ch >= 0 {
				stack = append(stack, ch)
			}
		}
	}
	return fx, fy, stack
}
