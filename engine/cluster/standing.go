package cluster

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// A standing cluster is one that no trial drives: it is started with
// Start, set free running with StartFree, and then crashed, restarted,
// reset and reconfigured node by node as a user asks (gossipbench live;
// see docs/design.md, "Live"). These methods are its controls. Like the
// rest of Cluster they are not safe for concurrent use: a caller that
// reads nodes while another goroutine crashes one holds its own lock.

// Call sends one control or API request to node i (a node.Path* path,
// with its query) and decodes its JSON answer into out (nil: ignored).
func (c *Cluster) Call(ctx context.Context, method string, i int, path string, body, out any) error {
	return c.call(ctx, method, i, path, body, out)
}

// Counters reads node i's message counters from its /metrics.
func (c *Cluster) Counters(ctx context.Context, i int) (Counters, error) { return c.counters(ctx, i) }

// Alive reports whether node i is up (not crashed by CrashNode).
func (c *Cluster) Alive(i int) bool { return c.alive[i] }

// Config is the parameters the nodes run with now.
func (c *Cluster) Config() engine.Config { return c.cfg }

// StartFree sets every alive node gossiping on its own timer, every
// c.Config().Net.Interval (DefaultInterval if 0); a node already free
// running starts over with it.
func (c *Cluster) StartFree(ctx context.Context) error {
	return c.startFree(ctx, c.aliveNodes())
}

func (c *Cluster) startFree(ctx context.Context, ids []int) error {
	interval := c.cfg.Net.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	return c.each(ctx, ids, func(i int) error {
		return c.call(ctx, http.MethodPost, i, node.PathStart, node.StartRequest{Interval: node.Duration(interval), Jitter: freeJitter}, nil)
	})
}

// StopFree ends every alive node's free running, each once its current
// round is over, its exchanges answered or timed out.
func (c *Cluster) StopFree(ctx context.Context) error { return c.stopFree(ctx, c.aliveNodes()) }

// CrashNode crashes node i until RestartNode: it stops gossiping, its
// counters are read (Totals goes on counting them), and its server goes
// down, or its process exits.
func (c *Cluster) CrashNode(ctx context.Context, i int) error {
	if i < 0 || i >= len(c.urls) || !c.alive[i] {
		return fmt.Errorf("node %d is not an alive node of this cluster", i)
	}
	if err := c.fail(ctx, i, engine.Crash); err != nil {
		return fmt.Errorf("crashing node %d: %w", i, err)
	}
	c.alive[i], c.downKind[i] = false, engine.Crash
	if c.procs != nil {
		c.procs.reap([]int{i})
	}
	return nil
}

// RestartNode brings crashed node i back as a node that knows nothing (as
// a restarted process does), with the cluster's config, free running if
// free is set. Its address may change (a new process listens on a new
// port), so every alive node is told the peers again.
func (c *Cluster) RestartNode(ctx context.Context, i int, free bool) error {
	if i < 0 || i >= len(c.urls) || c.alive[i] {
		return fmt.Errorf("node %d is not a crashed node of this cluster", i)
	}
	old := c.urls[i]
	if _, err := c.restart(ctx, i, false); err != nil {
		return err
	}
	c.dropPooled()
	c.alive[i] = true
	if err := c.configure(ctx, i); err != nil {
		return fmt.Errorf("restarting node %d: %w", i, err)
	}
	if err := c.call(ctx, http.MethodPost, i, node.PathReset, nil, nil); err != nil {
		return fmt.Errorf("restarting node %d: %w", i, err)
	}
	if c.urls[i] != old {
		if err := c.each(ctx, c.aliveNodes(), func(j int) error { return c.configure(ctx, j) }); err != nil {
			return fmt.Errorf("telling the nodes node %d's new address: %w", i, err)
		}
	}
	if free {
		return c.startFree(ctx, []int{i})
	}
	return nil
}

// Reconfigure gives every alive node cfg's mode, fanout, loss, interval
// and topology (the node count and process mode stay), without
// forgetting what they know; free running nodes start over with the new
// interval when free is set. A new topology is drawn from cfg's seed and
// every alive node told its new row (a crashed one is told at its
// restart); with free set every node is quiet while the rows change, so
// none gossips along an edge its peer no longer has.
func (c *Cluster) Reconfigure(ctx context.Context, cfg engine.Config, free bool) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if cfg.Nodes != len(c.urls) || cfg.Net.Processes != (c.procs != nil) {
		return fmt.Errorf("cluster of %d nodes cannot take a config of %d nodes", len(c.urls), cfg.Nodes)
	}
	if free {
		// Quiet first: a node told to start over mid-round would cut that
		// round's exchanges short, and a message cut short can inform its
		// receiver uncounted.
		if err := c.StopFree(ctx); err != nil {
			return err
		}
	}
	rules, err := topology.Rules(cfg)
	if err != nil {
		return err
	}
	c.cfg, c.rules = cfg, rules
	if err := c.each(ctx, c.aliveNodes(), func(i int) error { return c.configure(ctx, i) }); err != nil {
		return err
	}
	if free {
		return c.StartFree(ctx)
	}
	return nil
}

// ResetNodes makes every alive node forget what it knows (counters keep
// counting), then sets them free running again when free is set: a reset
// also ends a node's free running. Every node is quiet before any forgets:
// one still gossiping would hand the forgotten messages back to a node
// already reset.
func (c *Cluster) ResetNodes(ctx context.Context, free bool) error {
	if err := c.StopFree(ctx); err != nil {
		return err
	}
	err := c.each(ctx, c.aliveNodes(), func(i int) error {
		return c.call(ctx, http.MethodPost, i, node.PathReset, nil, nil)
	})
	if err == nil && free {
		err = c.StartFree(ctx)
	}
	return err
}

// Final is crashed node i's counters as read just before it crashed.
func (c *Cluster) Final(i int) Counters { return c.final[i] }

// StopNode ends node i's free running once its current round is over,
// its exchanges answered or timed out: quiet, so that its log holds all
// it sent (CrashNode stops it too).
func (c *Cluster) StopNode(ctx context.Context, i int) error { return c.stopFree(ctx, []int{i}) }

// Graph is the graph the nodes gossip on now, each told its row of it:
// protocol.Complete, or the *protocol.Lists drawn from the config's
// topology and seed.
func (c *Cluster) Graph() protocol.Graph { return c.rules.Graph }
