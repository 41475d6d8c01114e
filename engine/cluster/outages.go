package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// Faults over time on real nodes (docs/design.md, "Faults over time"):
// the World draws each round's events, the harness carries them out, for
// real, before the round starts. A crashed node's port closes and opens
// again; a hung or garbage node is healed; a node that comes back empty
// forgets everything; a partition is set in the network layer of every
// node (PUT /control/partition), which the nodes' logic never reads.

// errKeepProcesses refuses what a node in a process of its own cannot do:
// its process ends when it crashes, and its states with it.
var errKeepProcesses = errors.New("http engine: keep_state with processes: true is not supported (a crashed node's process exits with its rumor states); run keep_state with in-process nodes")

// refuse says what of cfg this engine cannot run: checked by Engine.Run
// before it starts nodes, and by Cluster.Run for a cluster run on its own.
func refuse(cfg engine.Config) error {
	if cfg.World() && cfg.Net.Free {
		return errMongerFree
	}
	if !cfg.Net.Processes {
		return nil
	}
	for _, f := range cfg.Failures {
		if f.KeepState {
			return errKeepProcesses
		}
	}
	return nil
}

// outages is what the harness keeps of a trial's faults over time.
type outages struct {
	split  *engine.Split // the partition in force, nil when none
	downAt []int         // the round each node last went down in
}

// carryOut does round r's events on the nodes, in the World's order: a
// partition heals, nodes come back, nodes go down, a partition starts.
func (c *Cluster) carryOut(ctx context.Context, w *protocol.World, o *outages, r int, ev protocol.Events) error {
	if ev.Healed {
		o.split = nil
	}
	back := make([]int, len(ev.Back))
	keep := make(map[int]bool, len(ev.Back))
	restarted := false // a crashed node serves again: connections to it are dead
	for k, b := range ev.Back {
		back[k], keep[int(b.Node)] = int(b.Node), b.Keep
		restarted = restarted || c.downKind[b.Node] == engine.Crash
	}
	err := c.each(ctx, back, func(i int) error {
		return c.comeBack(ctx, w, i, keep[i], o.downAt[i], r)
	})
	if restarted {
		c.dropPooled()
	}
	if err != nil {
		return fmt.Errorf("http engine: bringing nodes back at round %d: %w", r, err)
	}
	for _, i := range back {
		c.alive[i] = true
	}
	down, err := c.failFaults(ctx, r, ev.Down)
	if err != nil {
		return err
	}
	for _, v := range down {
		o.downAt[v] = r
	}
	if ev.Split != nil {
		o.split = ev.Split
		if c.shared != nil {
			// No connection kept alive from before the split carries a
			// message across it; the nodes' transports check the
			// partition per exchange in any case.
			c.shared.CloseIdleConnections()
		}
	}
	// Every alive node learns of a change in the network; a node that
	// came back learns of the network as it is now, which may have
	// changed while it was down.
	if len(c.cfg.Partitions) == 0 {
		return nil
	}
	var to []int
	for _, i := range back {
		if c.alive[i] { // not down again at once
			to = append(to, i)
		}
	}
	if ev.Healed || ev.Split != nil {
		to = c.aliveNodes()
	}
	return c.setPartition(ctx, to, o.split, r)
}

// setPartition sets split (nil: none) in the network layer of the listed
// nodes.
func (c *Cluster) setPartition(ctx context.Context, ids []int, split *engine.Split, r int) error {
	var p node.Partition
	if split != nil {
		p = node.Partition{Group: split.Group, Oneway: split.Oneway}
	}
	if err := c.each(ctx, ids, func(i int) error {
		return c.call(ctx, http.MethodPut, i, node.PathPartition, p, nil)
	}); err != nil {
		return fmt.Errorf("http engine: setting the partition at round %d: %w", r, err)
	}
	return nil
}

// healAll ends any partition at a trial's end in every node's network
// layer, down nodes' too (a node down at a heal still holds the table):
// the next trial on these nodes must not meet it. A hung or garbage node still answers its control endpoints; a
// crashed one in this process is told directly, and one in a process of
// its own comes back as a new process, with no partition.
func (c *Cluster) healAll(ctx context.Context) error {
	var up []int
	for i, alive := range c.alive {
		switch {
		case alive || c.downKind[i] != engine.Crash:
			up = append(up, i)
		case c.nodes != nil:
			if err := c.nodes[i].SetPartition(nil); err != nil {
				return err
			}
		}
	}
	return c.setPartition(ctx, up, nil, 0)
}

// comeBack brings node i, down since round since, back at the start of
// round r: with the rumor states it had (keep) or with none. A crashed
// node serves again on its own address (its peers know no other); a hung
// or garbage one is healed.
func (c *Cluster) comeBack(ctx context.Context, w *protocol.World, i int, keep bool, since, r int) error {
	fresh := false
	if c.downKind[i] == engine.Crash {
		var err error
		if fresh, err = c.restart(ctx, i, true); err != nil {
			return err
		}
	}
	switch {
	case fresh: // a new process, configured: it knows nothing
	case keep && c.downKind[i] != engine.Crash:
		if err := c.call(ctx, http.MethodPost, i, node.PathFault, node.FaultRequest{Kind: "none"}, nil); err != nil {
			return err
		}
	case !keep:
		// Forgets every rumor and its counters (and ends a fault).
		if err := c.call(ctx, http.MethodPost, i, node.PathReset, nil, nil); err != nil {
			return err
		}
	}
	if !keep {
		return nil
	}
	// A rumor injected at the node while it was down is the node's in the
	// World, which it keeps: the harness skipped it then. Nothing else
	// reaches a down node, so what the World has it learn while down is
	// exactly those.
	for x, s := range w.Node(i) {
		if at := int(s.Learned); at >= since && at < r {
			var resp node.DataResponse
			if err := c.call(ctx, http.MethodPost, i, node.PathInject, node.InjectRequest{Rumor: x, Round: at}, &resp); err != nil {
				return fmt.Errorf("injecting rumor %d at node %d, which was down: %w", x, i, err)
			}
		}
	}
	return nil
}

// dropPooled closes the harness's idle connections, and those of the
// in-process nodes' shared pool, after nodes were restarted: pooled
// connections to a crashed node are dead, and one the pool has not yet
// seen closed would fail the next call that is not safe to resend (a
// round) rather than be retried. Nodes of their own processes resend
// their exchanges over a fresh one (they carry an Idempotency-Key).
func (c *Cluster) dropPooled() {
	c.control.CloseIdleConnections()
	if c.shared != nil {
		c.shared.CloseIdleConnections()
	}
}

// restart serves crashed node i again: the in-process node with the state
// it had, or a new process (fresh), configured for the trial when it comes
// back during one. During a trial (own) it must be on its own address, for
// its peers know no other: one taken meanwhile fails the trial. Between
// trials it takes a new one then (in process, a new node in its place).
// Its callers drop the pooled connections after (dropPooled), once for
// all the nodes they restart.
func (c *Cluster) restart(ctx context.Context, i int, own bool) (fresh bool, err error) {
	if c.procs != nil {
		listen := "127.0.0.1:0"
		if own {
			listen = strings.TrimPrefix(c.urls[i], "http://")
		}
		url, err := c.procs.startAt(ctx, i, c.procs.command, listen)
		switch {
		case err != nil:
			return true, fmt.Errorf("restarting node %d: %w", i, err)
		case !own:
			c.urls[i] = url
			return true, nil
		case url != c.urls[i]:
			return true, fmt.Errorf("node %d came back on %s, not on its own %s", i, url, c.urls[i])
		}
		return true, c.configure(ctx, i)
	}
	err = c.nodes[i].Recover()
	switch {
	case err == nil:
	case own:
		return false, fmt.Errorf("node %d cannot serve on its port again: %w", i, err)
	default:
		c.nodes[i].Close()
		c.nodes[i] = node.New(node.Options{ID: i, Transport: c.shared, LogSize: c.logSize})
		if err := c.nodes[i].Listen("127.0.0.1:0"); err != nil {
			return false, fmt.Errorf("restarting node %d: %w", i, err)
		}
		c.urls[i] = c.nodes[i].URL()
	}
	return false, nil
}
