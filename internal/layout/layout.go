// Package layout places a graph's nodes for drawing, so that a picture
// shows the graph's structure: a ring as a ring, a grid as a grid, random
// graphs by force. The replay page and the live page draw what it gives
// (docs/design.md, "Drawing graphs").
//
// Every layout is a pure function of the kind and the graph: no clock, no
// global random source, so the same replay always draws the same picture.
package layout

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// Point is a node's place in the unit square [0, 1]².
type Point struct{ X, Y float64 }

// margin keeps nodes off the square's edges, where a page would clip the
// discs drawn round them.
const margin = 0.05

// Of places g's nodes for a topology of kind (engine.TopologyKinds; ""
// and complete: a circle). Kinds whose structure is known by construction
// are drawn from it (ring and small-world on a circle in node order, grid
// as its lattice, hypercube by its bits); random and file graphs by force.
func Of(kind string, g protocol.Graph) []Point {
	n := g.Nodes()
	switch {
	case n == 0:
		return nil
	case n == 1:
		return []Point{{0.5, 0.5}}
	}
	switch kind {
	case "", engine.TopologyComplete, engine.TopologyRing, engine.TopologySmallWorld:
		// A ring must look like a ring; a small-world graph is a ring
		// whose rewired edges then show as chords.
		return circle(n)
	case engine.TopologyGrid:
		return grid(n)
	case engine.TopologyHypercube:
		if n&(n-1) == 0 {
			return hypercube(n)
		}
	}
	return force(g)
}

// fit scales and centres pts into the square inside the margin, keeping
// their aspect ratio, so a layout's shape survives whatever units it was
// computed in. Coincident points (or one) land in the centre.
func fit(pts []Point) []Point {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	span := max(maxX-minX, maxY-minY)
	scale := 0.0
	if span > 0 {
		scale = (1 - 2*margin) / span
	}
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	for i, p := range pts {
		pts[i] = Point{clamp(0.5 + (p.X-cx)*scale), clamp(0.5 + (p.Y-cy)*scale)}
	}
	return pts
}

// clamp guards [0, 1] against the last bit of rounding.
func clamp(v float64) float64 { return min(1, max(0, v)) }
