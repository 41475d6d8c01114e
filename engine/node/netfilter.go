package node

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// A partition is the network's, not the node's (docs/design.md, "Faults
// over time"): the node's logic is never told of it, its transport (the
// seam between that logic and the network) drops what crosses the cut.
// A harness sets it through PUT /control/partition, as it would set a
// firewall; the node's protocol state does not change.

// PathPartition sets the network's partition as this node's transport
// applies it (PUT, Partition).
const PathPartition = "/control/partition"

// Partition is a cut of the network between groups of nodes: Group[i] is
// node i's group. Two-way, every message between groups is dropped;
// Oneway, only those from group 0 to the others. An empty Group heals.
type Partition struct {
	Group  []int8 `json:"group"`
	Oneway bool   `json:"oneway,omitempty"`
}

// errPartitioned is a message the network dropped at a partition; the
// node counts it failed, as it does a message to a crashed peer.
var errPartitioned = errors.New("the network is partitioned between the nodes")

// ErrAnswerCut says the request of an exchange arrived and was taken, and
// the answer to it was dropped by the network (a one-way partition). The
// exchange's *GossipResponse is then its acknowledgement only (New, Knew,
// Learned): in this model, as in the protocol core's World, a partition
// drops messages, and a push's feedback is part of the push, while an
// answer is a message of its own, whose contents never reach the asker.
var ErrAnswerCut = errors.New("the network dropped the answer")

// cutError is what a dropped request looks like to its sender: a
// connection that could not be made.
func cutError(from, to int, addr string) error {
	return &net.OpError{Op: "dial", Net: "tcp", Addr: fakeAddr(addr),
		Err: fmt.Errorf("node %d to node %d: %w", from, to, errPartitioned)}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

// SetPartition sets the partition the node's exchanges meet (nil or an
// empty Group: none). Idle connections of a pool of its own are closed, so
// that no connection kept alive from before outlives the change; the
// exchanges check the partition themselves in any case.
func (n *Node) SetPartition(p *Partition) error {
	// The transport applies the protocol core's own rule of who the cut
	// drops (engine.Split), on a copy the caller cannot change under it.
	var s *engine.Split
	kind := "healed"
	if p != nil && len(p.Group) > 0 {
		// A table that does not name every peer would leave the pairs it
		// misses silently uncut (Drops reads them as no partition).
		if peers := len(*n.http.peers.Load()); len(p.Group) != peers {
			return fmt.Errorf("group has %d entries, the node knows %d nodes: the table names every node's group", len(p.Group), peers)
		}
		for i, g := range p.Group {
			if g < 0 {
				return fmt.Errorf("group[%d]: %d is not a group", i, g)
			}
		}
		s, kind = &engine.Split{Group: append([]int8(nil), p.Group...), Oneway: p.Oneway}, "partitioned"
	}
	n.http.cut.Store(s)
	if n.http.owned {
		n.http.transport.CloseIdleConnections()
	}
	n.log.add(Event{At: time.Now(), Kind: kind, Peer: -1})
	return nil
}

func (n *Node) handlePartition(w http.ResponseWriter, r *http.Request) {
	var p Partition
	if !decode(w, r, &p) {
		return
	}
	if err := n.SetPartition(&p); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
