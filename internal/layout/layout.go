// Package layout places a graph's nodes for drawing, so that a picture
// shows the graph's structure: a ring as a ring, a grid as a grid, random
// graphs by force. The replay page and the live page draw what it gives.
package layout

import "github.com/gossipbench/gossipbench/engine/protocol"

// Point is a node's place in the unit square [0, 1]².
type Point struct{ X, Y float64 }

// Of places g's nodes for a topology of kind (engine.TopologyKinds; ""
// and complete: a circle). STUB: a circle for every kind.
func Of(kind string, g protocol.Graph) []Point {
	return circle(g.Nodes())
}
