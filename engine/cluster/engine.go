package cluster

import (
	"context"
	"fmt"
	"sync"

	"github.com/gossipbench/gossipbench/engine"
)

// Engine runs trials on clusters of real nodes. A cluster outlives its
// trial: the next trial with the same node count and process mode gets it
// back, reset. Close stops the clusters kept for reuse.
type Engine struct {
	// NodeCommand starts one node in its own process (Config.Net.Processes):
	// the program and its arguments, to which the driver adds --listen and
	// --id. Empty: this executable's "node" subcommand.
	NodeCommand []string
	// MaxNodes bounds the nodes alive at once in all this engine's clusters,
	// running or kept for reuse; 0 means DefaultMaxNodes. Trials run in
	// parallel (run -j) would otherwise each bring up a cluster, and two of
	// 2,000 nodes run out of file descriptors: accept fails and messages
	// count as failed although no node is down.
	MaxNodes int

	mu      sync.Mutex
	idle    map[poolKey][]*Cluster
	live    int           // nodes of all clusters, running or idle
	waiting int           // trials waiting for room
	freed   chan struct{} // closed, and replaced, when nodes are given back
	// waited, when set, is called each time a trial starts waiting for
	// room: a test's sync point for a trial blocked inside take.
	waited func()
}

// DefaultMaxNodes is the most nodes an Engine keeps alive at once.
const DefaultMaxNodes = engine.MaxHTTPNodes

type poolKey struct {
	nodes     int
	processes bool
}

// Run runs one trial. A cluster that fails is stopped, not reused.
func (e *Engine) Run(ctx context.Context, cfg engine.Config, obs engine.Observer) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("http engine: %w", err)
	}
	if err := refuse(cfg); err != nil {
		return err
	}
	c, err := e.take(ctx, cfg)
	if err != nil {
		return err
	}
	if err := c.Run(ctx, obs); err != nil {
		e.stop(c)
		return err
	}
	e.put(c)
	return nil
}

func (e *Engine) take(ctx context.Context, cfg engine.Config) (*Cluster, error) {
	key := poolKey{cfg.Nodes, cfg.Net.Processes}
	max := e.MaxNodes
	if max <= 0 {
		max = DefaultMaxNodes
	}
	if cfg.Nodes > max {
		return nil, fmt.Errorf("http engine: %d nodes, more than the %d this process runs at once", cfg.Nodes, max)
	}
	e.mu.Lock()
	for {
		if list := e.idle[key]; len(list) > 0 {
			c := list[len(list)-1]
			e.idle[key] = list[:len(list)-1]
			e.mu.Unlock()
			if err := c.Prepare(ctx, cfg); err != nil {
				e.stop(c)
				return nil, fmt.Errorf("http engine: %w", err)
			}
			return c, nil
		}
		if e.live+cfg.Nodes <= max {
			e.live += cfg.Nodes
			e.mu.Unlock()
			c, err := Start(ctx, cfg, e.NodeCommand)
			if err != nil {
				e.release(cfg.Nodes)
			}
			return c, err
		}
		if c := e.anyIdleLocked(); c != nil { // make room: a cluster of another size
			e.mu.Unlock()
			e.stop(c)
			e.mu.Lock()
			continue
		}
		if e.freed == nil {
			e.freed = make(chan struct{})
		}
		freed := e.freed
		e.waiting++
		waited := e.waited
		e.mu.Unlock()
		if waited != nil {
			waited()
		}
		select {
		case <-freed:
		case <-ctx.Done():
			e.mu.Lock()
			e.waiting--
			e.mu.Unlock()
			return nil, ctx.Err()
		}
		e.mu.Lock()
		e.waiting--
	}
}

// anyIdleLocked takes a cluster kept for reuse out of the pool, if any.
func (e *Engine) anyIdleLocked() *Cluster {
	for key, list := range e.idle {
		if len(list) > 0 {
			e.idle[key] = list[1:]
			return list[0]
		}
	}
	return nil
}

// stop closes a cluster out of the pool and gives its nodes back.
func (e *Engine) stop(c *Cluster) {
	c.Close()
	e.release(len(c.urls))
}

func (e *Engine) release(nodes int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.live -= nodes
	e.wakeLocked()
}

// wakeLocked tells waiting trials to look again.
func (e *Engine) wakeLocked() {
	if e.freed != nil {
		close(e.freed)
		e.freed = nil
	}
}

func (e *Engine) put(c *Cluster) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.idle == nil {
		e.idle = map[poolKey][]*Cluster{}
	}
	key := poolKey{len(c.urls), c.procs != nil}
	e.idle[key] = append(e.idle[key], c)
	e.wakeLocked() // a waiting trial of this size can take it, or stop it to make room
}

// Close stops every cluster kept for reuse.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, list := range e.idle {
		for _, c := range list {
			c.Close()
			e.live -= len(c.urls)
		}
	}
	e.idle = nil
	e.wakeLocked()
	return nil
}
