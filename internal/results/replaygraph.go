package results

import (
	"fmt"
	"math"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
	"github.com/gossipbench/gossipbench/internal/layout"
)

// ReplayGraph is the overlay a replayed trial ran on, for drawing it
// (docs/design.md, "Results schema"): its kind, every edge once (u < v,
// in order), and where a page draws each node, in the unit square.
// Replays of the complete graph have none: every pair is an edge, and the
// page places the nodes itself.
type ReplayGraph struct {
	Kind   string       `json:"kind"`
	Edges  [][2]int32   `json:"edges"`
	Layout [][2]float64 `json:"layout"`
}

// layoutScale is the resolution layouts are written with: 1/10⁴ of the
// square, far finer than a page draws, and a third of the bytes of full
// precision.
const layoutScale = 1e4

// NewReplayGraph is the graph of the trial with seed on n nodes of
// topology t, laid out by internal/layout; nil for the complete graph.
// It draws the graph as engines do (engine/topology.Build), so it is the
// very graph the trial ran on.
func NewReplayGraph(t engine.Topology, n int, seed uint64) (*ReplayGraph, error) {
	g, err := topology.Build(t, n, protocol.Seed(seed))
	if err != nil || g == nil {
		return nil, err
	}
	return DrawnGraph(t.Kind, g), nil
}

// DrawnGraph is g as a page draws it: every edge once and each node's
// place (internal/layout); nil for the complete graph. The replay and the
// live page both draw what it gives.
func DrawnGraph(kind string, g protocol.Graph) *ReplayGraph {
	if _, complete := g.(protocol.Complete); complete {
		return nil
	}
	n := g.Nodes()
	rg := &ReplayGraph{Kind: kind, Edges: [][2]int32{}, Layout: make([][2]float64, n)}
	for u := range n {
		for _, v := range g.Neighbours(u) {
			if int(v) > u {
				rg.Edges = append(rg.Edges, [2]int32{int32(u), v})
			}
		}
	}
	for i, p := range layout.Of(kind, g) {
		rg.Layout[i] = [2]float64{math.Round(p.X*layoutScale) / layoutScale, math.Round(p.Y*layoutScale) / layoutScale}
	}
	return rg
}

// CheckReplayGraph holds a replay's graph to its point and its messages
// to the graph: the kind is the point's, edges join two different nodes
// of the replay and none is listed twice (so there are at most n(n-1)/2),
// the layout places every node inside the unit square, and every message
// travels along an edge. A replay of the complete graph has no graph.
// Message ends must already be known to lie in 0..n-1.
func CheckReplayGraph(rf *ReplayFile, n int) error {
	kind := rf.Params.Topology.Kind
	complete := rf.Params.Topology.IsComplete()
	rg := rf.Graph
	switch {
	case complete && rg == nil:
		return nil
	case complete:
		return fmt.Errorf("a graph (kind %q) in a replay of the complete graph", rg.Kind)
	case rg == nil:
		return fmt.Errorf("no graph in a replay on topology %s", kind)
	case rg.Kind != kind:
		return fmt.Errorf("graph of kind %q in a replay on topology %s", rg.Kind, kind)
	case len(rg.Layout) != n:
		return fmt.Errorf("graph layout of %d nodes; the replay has %d", len(rg.Layout), n)
	}
	for i, p := range rg.Layout {
		for _, v := range p {
			if !(v >= 0 && v <= 1) { // NaN fails too
				return fmt.Errorf("graph layout[%d] is %v; coordinates are in [0, 1]", i, p)
			}
		}
	}
	// The edges are an edge list like a file's: engine/topology's one
	// rule checks them, and its lists answer "neighbours?" in O(log d),
	// in memory linear in the edges whatever n a hostile replay claims.
	if err := topology.CheckEdges(rg.Edges, n); err != nil {
		return fmt.Errorf("graph %w", err)
	}
	g := topology.FromEdges(rg.Edges, n)
	for r, msgs := range rf.Rounds {
		for i, m := range msgs {
			// checkReplay has held the ends to 0..n-1.
			if !protocol.Joined(g, m[0], m[1]) {
				return fmt.Errorf("rounds[%d][%d]: message %v from node %d to node %d, which are not neighbours in the replay's %s graph",
					r, i, m, m[0], m[1], kind)
			}
		}
	}
	return nil
}
