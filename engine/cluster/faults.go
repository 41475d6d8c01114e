package cluster

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// failAt fails the nodes the protocol core takes down in round r, each as
// its failure says: crashed, hung or answering garbage. It returns them.
func (c *Cluster) failAt(ctx context.Context, r int) ([]int32, error) {
	if !c.rules.FaultsAt(r) {
		return nil, nil
	}
	var up []int32
	for i, a := range c.alive {
		if a {
			up = append(up, int32(i))
		}
	}
	return c.failFaults(ctx, r, c.rules.Faults(r, up))
}

// failFaults carries out the faults the protocol core drew for round r.
func (c *Cluster) failFaults(ctx context.Context, r int, faults []protocol.Fault) ([]int32, error) {
	var down []int32
	for _, f := range faults {
		victims := make([]int, len(f.Nodes))
		for k, v := range f.Nodes {
			victims[k] = int(v)
		}
		if err := c.each(ctx, victims, func(i int) error { return c.fail(ctx, i, f.Kind) }); err != nil {
			return nil, fmt.Errorf("http engine: failing nodes (%v) at round %d: %w", f.Kind, r, err)
		}
		for _, v := range victims {
			c.alive[v] = false
			c.downKind[v] = f.Kind
		}
		if c.procs != nil && f.Kind == engine.Crash {
			c.procs.reap(victims)
		}
		down = append(down, f.Nodes...)
	}
	c.reach()
	return down, nil
}

// fail takes node i down as kind says, its counters read just before.
func (c *Cluster) fail(ctx context.Context, i int, kind engine.FailureKind) error {
	if c.cfg.Net.Free {
		// Silent before it is counted: a failed node sends nothing, and
		// its last counts must hold all it sent.
		if err := c.stopFree(ctx, []int{i}); err != nil {
			return err
		}
	}
	cnt, err := c.counters(ctx, i)
	if err != nil {
		return err
	}
	c.final[i] = cnt
	if c.flog != nil {
		// Its log goes down with it (a process of its own exits).
		if err := c.flog.read(ctx, c, i, cnt.Logged); err != nil {
			return err
		}
	}
	if kind != engine.Crash {
		// The node stays up for the harness, and fails its peers.
		return c.call(ctx, http.MethodPost, i, node.PathFault, node.FaultRequest{Kind: kind.String()}, nil)
	}
	if err := c.call(ctx, http.MethodPost, i, node.PathCrash, node.CrashRequest{}, nil); err != nil {
		return err
	}
	return waitDown(ctx, c.urls[i])
}

// waitDown returns once the node at url refuses connections: a node
// answers its crash request first and goes down just after, and the round
// must not start before it has.
func waitDown(ctx context.Context, url string) error {
	addr := strings.TrimPrefix(url, "http://")
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return nil
		}
		conn.Close()
		if time.Now().After(deadline) {
			return fmt.Errorf("node at %s still accepts connections after its crash", addr)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}
