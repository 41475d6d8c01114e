package node

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// checkNeighbours is what a config's row must be (docs/design.md, "Real
// nodes"): node IDs of this cluster, other than the node's own, each once,
// ascending, as protocol.Lists keeps a row. The sampler picks peers by
// their positions in the row, so an unsorted or repeated row would draw
// other peers than the simulator does, not merely look untidy.
func checkNeighbours(c Config) error {
	row, n := c.Neighbours, len(c.Peers)
	if row == nil {
		return nil // the complete graph
	}
	if len(row) > max(n-1, 0) {
		return fmt.Errorf("neighbours: %d listed, but there are only %d other peers", len(row), max(n-1, 0))
	}
	for k, v := range row {
		switch {
		case v < 0 || int(v) >= n:
			return fmt.Errorf("neighbours[%d]: %d is not a peer (IDs are 0 to %d)", k, v, n-1)
		case int(v) == c.ID:
			return fmt.Errorf("neighbours[%d]: %d is this node itself", k, v)
		case k > 0 && v == row[k-1]:
			return fmt.Errorf("neighbours[%d]: %d is listed twice", k, v)
		case k > 0 && v < row[k-1]:
			return fmt.Errorf("neighbours[%d]: %d after %d; the row must be ascending", k, v, row[k-1])
		}
	}
	return nil
}

// neighbourLocked is whether node from may gossip with this node: any
// node on the complete graph, else one of its row. Call with mu held.
func (n *Node) neighbourLocked(from int) bool {
	return n.cfg.Neighbours == nil || protocol.Joined(n.rules.Graph, int32(n.cfg.ID), int32(from))
}

// rulesOf is the protocol a node of config c carries out: the trial's
// (same seed, same peers, same mode, same graph as far as the node knows
// it: its own row), so that every node, in this process or another, draws
// what the simulator draws for it.
func rulesOf(c Config, mode engine.Mode) *protocol.Rules {
	var g protocol.Graph
	if c.Neighbours != nil {
		g = protocol.OwnRow(len(c.Peers), c.ID, c.Neighbours)
	}
	cfg, _ := engineConfig(c, mode) // Configure has refused a config it cannot read
	return protocol.New(cfg, g)
}
