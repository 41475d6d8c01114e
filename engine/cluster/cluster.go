// Package cluster is the http engine: it starts real gossip nodes (package
// node) on 127.0.0.1, in this process or one process each, wires them
// together and drives them, either clocking rounds itself (lockstep, with
// exactly the round semantics of docs/design.md, "Round semantics") or
// letting every node gossip on its own timer (free; see "Engines" there).
// Nodes and harness decide nothing on their own: the source, the failures,
// each node's peers and losses and the stop test are the protocol core's
// (engine/protocol), so a lockstep trial gives the simulator's rows.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// Cluster is n running nodes and the harness's view of them.
type Cluster struct {
	cfg     engine.Config
	rules   *protocol.Rules
	epoch   uint64 // numbers the trials, see node.Config.Epoch
	urls    []string
	nodes   []*node.Node // in-process nodes; nil entries in process mode
	procs   *processes
	command []string
	shared  *http.Transport // the in-process nodes' connection pool
	control *http.Client
	token   string // the nodes' control token; process mode only
	logSize int    // the in-process nodes' node.Options.LogSize

	alive    []bool
	informed []bool
	final    []Counters           // counters of failed nodes, read just before they failed
	downKind []engine.FailureKind // how each failed node failed
	flog     *freeLog             // a free-running trial's messages, when it records a replay
}

// controlWorkers bounds concurrent control calls: enough to keep every core
// busy with rounds, few enough to keep file descriptors in check.
const controlWorkers = 64

// Start brings up cfg.Nodes nodes and prepares them for a trial of cfg;
// Close stops them.
func Start(ctx context.Context, cfg engine.Config, nodeCommand []string) (*Cluster, error) {
	return start(ctx, cfg, nodeCommand, 0)
}

// start is Start with the in-process nodes' log size (0: the default); a
// test shrinks it to make the logs drop events.
func start(ctx context.Context, cfg engine.Config, nodeCommand []string, logSize int) (*Cluster, error) {
	n := cfg.Nodes
	c := &Cluster{cfg: cfg, command: nodeCommand, logSize: logSize,
		// One warm control connection per node, reused every round.
		control: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
			MaxIdleConnsPerHost: 1, IdleConnTimeout: node.ClientIdleTimeout}}}
	var err error
	if cfg.Net.Processes {
		c.token, err = newToken()
		if err == nil {
			c.procs, c.urls, err = startProcesses(ctx, n, nodeCommand, c.token)
		}
	} else {
		c.shared = node.NewSharedTransport(idlePerPeer(n))
		c.nodes, c.urls, err = startInProcess(n, c.shared, logSize)
	}
	if err == nil {
		err = c.Prepare(ctx, cfg)
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("http engine: starting %d nodes: %w", n, err)
	}
	return c, nil
}

// Prepare readies a started cluster for a new trial of cfg (same node
// count and process mode): crashed nodes come back, every node forgets what
// it knew and takes cfg's parameters and seed. Reusing a cluster across
// trials spares the machine thousands of connections each trial would
// otherwise open and leave in TIME_WAIT.
func (c *Cluster) Prepare(ctx context.Context, cfg engine.Config) error {
	if cfg.Nodes != len(c.urls) || cfg.Net.Processes != (c.procs != nil) {
		return fmt.Errorf("cluster of %d nodes (processes %v) cannot run %d nodes (processes %v)",
			len(c.urls), c.procs != nil, cfg.Nodes, cfg.Net.Processes)
	}
	if err := c.revive(ctx); err != nil {
		return err
	}
	n := cfg.Nodes
	rules, err := topology.Rules(cfg)
	if err != nil {
		return err
	}
	c.cfg = cfg
	c.rules = rules
	c.alive, c.informed, c.final = make([]bool, n), make([]bool, n), make([]Counters, n)
	c.flog = nil
	c.downKind = make([]engine.FailureKind, n)
	for i := range c.alive {
		c.alive[i] = true
	}
	c.epoch++
	// Configured first, then reset: once a node is in the new epoch it
	// refuses the last trial's late gossip, and the reset clears whatever
	// came in before.
	return c.each(ctx, c.aliveNodes(), func(i int) error {
		if err := c.configure(ctx, i); err != nil {
			return err
		}
		return c.call(ctx, http.MethodPost, i, node.PathReset, nil, nil)
	})
}

// configure sends node i the cluster's config: its peers, its row of the
// trial's graph and the parameters.
func (c *Cluster) configure(ctx context.Context, i int) error {
	cfg := c.cfg
	return c.call(ctx, http.MethodPut, i, node.PathConfig, node.Config{ID: i, Peers: c.urls,
		Mode: cfg.Mode.String(), Fanout: cfg.Fanout, Loss: cfg.Loss, Latency: node.Duration(cfg.Net.Latency),
		Timeout: node.Duration(cfg.Net.Timeout), Seed: cfg.Seed, RecordEdges: true, Epoch: c.epoch,
		Neighbours: c.row(i), Stop: stopConfig(cfg.Stop), Rumors: rumorsConfig(cfg.Rumors),
		MaxRumors: cfg.Packet.MaxRumors, AntiEntropy: cfg.AntiEntropy.Every, PerRumor: cfg.World()}, nil)
}

// row is node i's neighbours as its config gives them (docs/design.md,
// "Real nodes"): nil on the complete graph, else never nil, for a node
// with no neighbour is told [] and not null, which would be every peer.
func (c *Cluster) row(i int) []int32 {
	row := c.rules.Graph.Neighbours(i)
	if _, complete := c.rules.Graph.(protocol.Complete); !complete && row == nil {
		row = []int32{}
	}
	return row
}

// reach tells the core how many alive nodes the rumor can still get to,
// as the harness knows them (see Rules.Reach): at injection and after
// every round's failures.
func (c *Cluster) reach() {
	c.rules.Reach(func(i int) bool { return c.alive[i] }, func(i int) bool { return c.informed[i] })
}

// revive brings back the nodes the last trial crashed.
func (c *Cluster) revive(ctx context.Context) error {
	revived := false
	defer func() {
		if revived {
			c.dropPooled()
		}
	}()
	for i, up := range c.alive {
		if up || c.downKind[i] != engine.Crash {
			continue // hung and garbage nodes are healed by the reset
		}
		revived = true
		if _, err := c.restart(ctx, i, false); err != nil {
			return err
		}
	}
	return nil
}

// idlePerPeer is how many warm connections the shared pool keeps to each
// node: enough that concurrent senders rarely open new ones (each new one
// ends in TIME_WAIT), few enough for 2 of them per node to stay within
// the file descriptor limit.
func idlePerPeer(n int) int { return max(1, min(4, 4000/n)) }

func startInProcess(n int, shared *http.Transport, logSize int) ([]*node.Node, []string, error) {
	nodes := make([]*node.Node, n)
	urls := make([]string, n)
	for i := range nodes {
		nodes[i] = node.New(node.Options{ID: i, Transport: shared, LogSize: logSize})
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

// Run injects the rumor and drives the trial as cfg.Net says, handing
// each round to obs as it ends.
func (c *Cluster) Run(ctx context.Context, obs engine.Observer) error {
	if err := refuse(c.cfg); err != nil {
		return err
	}
	if c.cfg.World() {
		if err := c.runMonger(ctx, obs); err != nil {
			return unmeasured(ctx, err)
		}
		return nil
	}
	src := c.rules.Source()
	var resp node.DataResponse
	if err := c.call(ctx, http.MethodPost, src, node.PathData, node.DataRequest{Data: Rumor}, &resp); err != nil {
		return unmeasured(ctx, fmt.Errorf("http engine: injecting at node %d: %w", src, err))
	}
	c.informed[src] = true
	c.reach()
	obs.Round(topology.Injection(c.rules.Graph, src))
	var err error
	if c.cfg.Net.Free {
		err = c.runFree(ctx, obs)
	} else {
		err = c.runLockstep(ctx, obs)
	}
	if err != nil {
		return unmeasured(ctx, err)
	}
	return nil
}

// errInconsistent marks what the nodes reported but cannot be: a bug, not a
// trial the machine spoiled.
var errInconsistent = errors.New("inconsistent reports")

// unmeasured marks a trial's error as engine.ErrUnmeasured unless the run
// was stopped or the error is a bug.
func unmeasured(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, errInconsistent) {
		return err
	}
	return fmt.Errorf("%w: %w", engine.ErrUnmeasured, err)
}

// Rumor is the message every trial spreads.
const Rumor = "gossipbench rumor"

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
