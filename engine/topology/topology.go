// Package topology draws the overlay graphs gossip runs on: from a
// scenario's engine.Topology and a trial's seed, the same graph on every
// engine (the semantics: docs/design.md, "Topologies"). It also checks a
// topology against a node count, the one place that says what each kind
// allows, and works out the facts of a graph that results report.
package topology

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// Check says whether t can be drawn on n nodes; its error names the
// parameter and what it allows, for the scenario decoder to place.
func Check(t engine.Topology, n int) error {
	integral := func(what string, lo, hi int) error {
		d := t.Degree
		if d != math.Trunc(d) || d < float64(lo) || d > float64(hi) {
			return fmt.Errorf("degree: %s must be an integer from %d to %d, got %v", what, lo, hi, d)
		}
		return nil
	}
	switch t.Kind {
	case "", engine.TopologyComplete:
	case engine.TopologyRing:
		if err := integral("a ring's degree", 2, n-1); err != nil {
			return err
		}
		if int(t.Degree)%2 != 0 {
			return fmt.Errorf("degree: a ring's degree must be even (i±1 … i±k/2), got %v", t.Degree)
		}
	case engine.TopologyRegular:
		if err := integral("a regular graph's degree", 1, n-1); err != nil {
			return err
		}
		if n*int(t.Degree)%2 != 0 {
			return fmt.Errorf("degree: nodes·degree must be even for a regular graph (every edge has two ends), got %d·%v", n, t.Degree)
		}
	case engine.TopologyErdosRenyi:
		switch {
		case t.Degree != 0 && t.P != 0:
			return fmt.Errorf("p: give degree (the mean) or p for erdos-renyi, not both")
		case t.Degree == 0 && t.P == 0:
			return fmt.Errorf("degree: missing; erdos-renyi needs degree (the mean, above 0 and at most nodes-1) or p (in (0, 1])")
		case t.P != 0 && !(t.P > 0 && t.P <= 1):
			return fmt.Errorf("p: must be in (0, 1], got %v", t.P)
		case t.Degree != 0 && !(t.Degree > 0 && t.Degree <= float64(n-1)):
			return fmt.Errorf("degree: erdos-renyi's mean degree must be above 0 and at most %d (nodes-1), got %v", n-1, t.Degree)
		}
	case engine.TopologySmallWorld:
		if err := integral("a small-world graph's degree", 2, n-1); err != nil {
			return err
		}
		if int(t.Degree)%2 != 0 {
			return fmt.Errorf("degree: a small-world graph's degree must be even (the ring it rewires), got %v", t.Degree)
		}
		if !(t.Rewire >= 0 && t.Rewire <= 1) {
			return fmt.Errorf("rewire: must be in [0, 1], got %v", t.Rewire)
		}
	case engine.TopologyScaleFree:
		if err := integral("a scale-free graph's degree (2m)", 2, n-1); err != nil {
			return err
		}
		if int(t.Degree)%2 != 0 {
			return fmt.Errorf("degree: a scale-free graph's degree must be even (2m: each new node brings m edges), got %v", t.Degree)
		}
	case engine.TopologyHypercube:
		if bits.OnesCount(uint(n)) != 1 {
			return fmt.Errorf("nodes: a hypercube needs a power of two, got %d (nearest: %d or %d)", n, 1<<(bits.Len(uint(n))-1), 1<<bits.Len(uint(n)))
		}
	case engine.TopologyGrid:
	case engine.TopologyFile:
		return CheckEdges(t.Edges, n)
	default:
		return fmt.Errorf("kind: unknown topology %q", t.Kind)
	}
	return nil
}

// CheckEdges is what an edge list must be on n nodes: both ends in
// [0, n), no node linked to itself, no edge twice (in either
// orientation). The file reader checks each line as it reads it, with
// the line; this is the engines' and the replay reader's word.
func CheckEdges(edges [][2]int32, n int) error {
	seen := make(map[[2]int32]bool, len(edges))
	for i, e := range edges {
		u, v := min(e[0], e[1]), max(e[0], e[1])
		switch {
		case u < 0 || int(v) >= n:
			return fmt.Errorf("edges[%d] is %v; nodes are 0..%d", i, e, n-1)
		case u == v:
			return fmt.Errorf("edges[%d] is %v, a node linked to itself", i, e)
		case seen[[2]int32{u, v}]:
			return fmt.Errorf("edges[%d] is %v, listed twice", i, e)
		}
		seen[[2]int32{u, v}] = true
	}
	return nil
}

// Build draws trial seed's graph of t on n nodes: nil for the complete
// graph (protocol.New's default), which nobody should list. Random kinds
// draw from seed's PurposeTopology stream only, so the graph is the same
// on every engine and changes with nothing else in the trial.
func Build(t engine.Topology, n int, seed protocol.Seed) (protocol.Graph, error) {
	if err := Check(t, n); err != nil {
		return nil, fmt.Errorf("topology %s on %d nodes: %w", t.Kind, n, err)
	}
	if t.IsComplete() {
		return nil, nil
	}
	s := protocol.NewStream(seed.Draws(0, protocol.PurposeTopology))
	var e edges
	switch t.Kind {
	case engine.TopologyRing:
		e = ring(n, int(t.Degree))
	case engine.TopologyHypercube:
		e = hypercube(n)
	case engine.TopologyGrid:
		e = grid(n)
	case engine.TopologyFile:
		e = edges(t.Edges)
	case engine.TopologyRegular: // the random kinds build their lists as they draw
		return regular(n, int(t.Degree), s), nil
	case engine.TopologyErdosRenyi:
		return erdosRenyi(n, t.EdgeP(n), s), nil
	case engine.TopologySmallWorld:
		return smallWorld(n, int(t.Degree), t.Rewire, s), nil
	case engine.TopologyScaleFree:
		return scaleFree(n, int(t.Degree)/2, s), nil
	}
	return e.lists(n), nil
}

// Rules are the protocol of trial cfg on its graph: what the simulator and
// the harness of real nodes both judge a trial by.
func Rules(cfg engine.Config) (*protocol.Rules, error) {
	g, err := Build(cfg.Topology, cfg.Nodes, protocol.Seed(cfg.Seed))
	if err != nil {
		return nil, err
	}
	return protocol.New(cfg, g), nil
}
