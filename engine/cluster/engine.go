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

	mu   sync.Mutex
	idle map[poolKey][]*Cluster
}

type poolKey struct {
	nodes     int
	processes bool
}

// Run runs one trial. A cluster that fails is stopped, not reused.
func (e *Engine) Run(ctx context.Context, cfg engine.Config) (*engine.Trace, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("http engine: %w", err)
	}
	c, err := e.take(ctx, cfg)
	if err != nil {
		return nil, err
	}
	tr, err := c.Run(ctx)
	if err != nil {
		c.Close()
		return nil, err
	}
	e.put(c)
	return tr, nil
}

func (e *Engine) take(ctx context.Context, cfg engine.Config) (*Cluster, error) {
	key := poolKey{cfg.Nodes, cfg.Net.Processes}
	e.mu.Lock()
	var c *Cluster
	if list := e.idle[key]; len(list) > 0 {
		c, e.idle[key] = list[len(list)-1], list[:len(list)-1]
	}
	e.mu.Unlock()
	if c == nil {
		return Start(ctx, cfg, e.NodeCommand)
	}
	if err := c.Prepare(ctx, cfg); err != nil {
		c.Close()
		return nil, fmt.Errorf("http engine: %w", err)
	}
	return c, nil
}

func (e *Engine) put(c *Cluster) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.idle == nil {
		e.idle = map[poolKey][]*Cluster{}
	}
	key := poolKey{len(c.urls), c.procs != nil}
	e.idle[key] = append(e.idle[key], c)
}

// Close stops every cluster kept for reuse.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, list := range e.idle {
		for _, c := range list {
			c.Close()
		}
	}
	e.idle = nil
	return nil
}
