// Package cluster is the http engine: it starts real gossip nodes (package
// node) on 127.0.0.1, in this process or one process each, wires them
// together and drives them, either clocking rounds itself (lockstep, with
// exactly the round semantics of DESIGN.md) or letting every node gossip on
// its own timer (free).
package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// Engine runs each trial on a fresh cluster of real nodes.
type Engine struct {
	// NodeCommand starts one node in its own process (Config.Net.Processes):
	// the program and its arguments, to which the driver adds --listen and
	// --id. Empty: this executable's "node" subcommand.
	NodeCommand []string
}

// Run starts a cluster, runs one trial and stops every node, whatever
// happens.
func (e Engine) Run(ctx context.Context, cfg engine.Config) (*engine.Trace, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("http engine: %w", err)
	}
	c, err := Start(ctx, cfg, e.NodeCommand)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.Run(ctx)
}

// Cluster is n running nodes and the harness's view of them.
type Cluster struct {
	cfg     engine.Config
	rng     *rand.Rand
	urls    []string
	nodes   []*node.Node // in-process nodes; nil entries in process mode
	procs   *processes
	shared  *http.Transport // the in-process nodes' connection pool
	control *http.Client

	alive    []bool
	informed []bool
	final    []Counters // counters of crashed nodes, read just before the crash
}

// controlWorkers bounds concurrent control calls: enough to keep every core
// busy with rounds, few enough to keep file descriptors in check.
const controlWorkers = 64

// Start brings up cfg.Nodes nodes and configures them; Close stops them.
func Start(ctx context.Context, cfg engine.Config, nodeCommand []string) (*Cluster, error) {
	n := cfg.Nodes
	c := &Cluster{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		alive: make([]bool, n), informed: make([]bool, n), final: make([]Counters, n),
		// One warm control connection per node, reused every round.
		control: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
			MaxIdleConnsPerHost: 1, IdleConnTimeout: 30 * time.Second}}}
	var err error
	if cfg.Net.Processes {
		c.procs, c.urls, err = startProcesses(ctx, n, nodeCommand)
	} else {
		c.shared = node.NewSharedTransport(1)
		c.nodes, c.urls, err = startInProcess(n, c.shared)
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("http engine: starting %d nodes: %w", n, err)
	}
	for i := range c.alive {
		c.alive[i] = true
	}
	err = c.each(ctx, c.aliveNodes(), func(i int) error {
		return c.call(ctx, http.MethodPut, i, node.PathConfig, node.Config{ID: i, Peers: c.urls,
			Mode: cfg.Mode.String(), Fanout: cfg.Fanout, Loss: cfg.Loss, Latency: node.Duration(cfg.Net.Latency),
			Seed: cfg.Seed, RecordEdges: true}, nil)
	})
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("http engine: configuring nodes: %w", err)
	}
	return c, nil
}

func startInProcess(n int, shared *http.Transport) ([]*node.Node, []string, error) {
	nodes := make([]*node.Node, n)
	urls := make([]string, n)
	for i := range nodes {
		nodes[i] = node.New(node.Options{ID: i, Transport: shared})
		if err := nodes[i].Listen("127.0.0.1:0"); err != nil {
			return nodes, urls, err
		}
		urls[i] = nodes[i].URL()
	}
	return nodes, urls, nil
}

// URLs are the nodes' base URLs, by node ID.
func (c *Cluster) URLs() []string { return c.urls }

// Close stops every node and closes every connection; it is safe to call
// more than once.
func (c *Cluster) Close() {
	for _, nd := range c.nodes {
		if nd != nil {
			nd.Close()
		}
	}
	c.nodes = nil
	if c.shared != nil {
		c.shared.CloseIdleConnections()
	}
	if c.procs != nil {
		c.procs.stop()
		c.procs = nil
	}
	c.control.CloseIdleConnections()
}

// Run injects the rumor and drives the trial as cfg.Net says.
func (c *Cluster) Run(ctx context.Context) (*engine.Trace, error) {
	src := c.cfg.Source
	if src < 0 {
		src = c.rng.IntN(c.cfg.Nodes)
	}
	tr := &engine.Trace{Source: src}
	if c.cfg.Replay {
		tr.Replay = engine.NewReplay(c.cfg.Nodes)
		tr.Replay.FirstInformed[src] = 0
	}
	var resp node.DataResponse
	if err := c.call(ctx, http.MethodPost, src, node.PathData, node.DataRequest{Data: Rumor}, &resp); err != nil {
		return nil, fmt.Errorf("http engine: injecting at node %d: %w", src, err)
	}
	c.informed[src] = true
	tr.Rounds = append(tr.Rounds, engine.RoundStats{Informed: 1, New: 1, Alive: c.cfg.Nodes})
	var err error
	if c.cfg.Net.Free {
		err = c.runFree(ctx, tr)
	} else {
		err = c.runLockstep(ctx, tr)
	}
	if err != nil {
		return nil, err
	}
	return tr, nil
}

// Rumor is the message every trial spreads.
const Rumor = "gossipbench rumor"

// crashAt crashes this round's share of the alive nodes, chosen the way the
// memory engine chooses them.
func (c *Cluster) crashAt(ctx context.Context, r int, tr *engine.Trace) error {
	for _, f := range c.cfg.Failures {
		if f.Round != r {
			continue
		}
		up := c.aliveNodes()
		k := min(f.CrashCount(c.cfg.Nodes), len(up))
		for i := 0; i < k; i++ {
			j := i + c.rng.IntN(len(up)-i)
			up[i], up[j] = up[j], up[i]
		}
		victims := up[:k]
		if err := c.each(ctx, victims, func(i int) error {
			cnt, err := c.counters(ctx, i)
			if err != nil {
				return err
			}
			c.final[i] = cnt
			return c.call(ctx, http.MethodPost, i, node.PathCrash, node.CrashRequest{}, nil)
		}); err != nil {
			return fmt.Errorf("http engine: crashing nodes at round %d: %w", r, err)
		}
		for _, v := range victims {
			c.alive[v] = false
			if tr.Replay != nil {
				tr.Replay.CrashedAt[v] = int32(r)
			}
		}
		if c.procs != nil {
			c.procs.reap(victims)
		}
	}
	return nil
}

func (c *Cluster) aliveNodes() []int {
	var out []int
	for i, a := range c.alive {
		if a {
			out = append(out, i)
		}
	}
	return out
}

func (c *Cluster) counts() (alive, informed int) {
	for i, a := range c.alive {
		if a {
			alive++
			if c.informed[i] {
				informed++
			}
		}
	}
	return alive, informed
}

// each runs f for every listed node, controlWorkers at a time, and returns
// the first error.
func (c *Cluster) each(ctx context.Context, ids []int, f func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for w := 0; w < min(controlWorkers, len(ids)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := f(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for _, i := range ids {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// call sends a control request to node i and decodes its JSON answer.
func (c *Cluster) call(ctx context.Context, method string, i int, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.urls[i]+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.control.Do(req)
	if err != nil {
		return fmt.Errorf("node %d %s: %w", i, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("node %d %s: %w", i, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("node %d %s: %s: %s", i, path, resp.Status, bytes.TrimSpace(data))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("node %d %s: bad answer: %w", i, path, err)
	}
	return nil
}
