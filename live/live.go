// Package live runs a standing cluster of real, free-running gossip nodes
// (engine/cluster, engine/node) and serves the live page and its API: send
// a message, follow every gossip message as it happens, crash, restart,
// reset and reconfigure the nodes while they run (docs/design.md, "Live").
// It knows nothing of the command line; cmd/gossipbench's live command
// fills Options.
package live

import (
	"context"
	"errors"
	"fmt"
	"github.com/gossipbench/gossipbench/internal/results"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/cluster"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/topology"
	"github.com/gossipbench/gossipbench/internal/outdir"
)

// Options are the cluster live starts and where it serves.
type Options struct {
	Nodes    int
	Mode     engine.Mode
	Fanout   int
	Loss     float64
	Interval time.Duration // each node gossips every Interval, give or take a tenth
	Latency  time.Duration // added to every message
	Timeout  time.Duration // one exchange; 0: engine.DefaultTimeout
	Seed     uint64
	// Topology is the graph the nodes gossip on, drawn once from Seed
	// (zero: the complete graph); each node is told its row.
	Topology  engine.Topology
	Processes bool // one process per node
	// NodeCommand starts a node process (see cluster.Engine.NodeCommand);
	// empty: this executable's "node" subcommand.
	NodeCommand []string
	Listen      string // a loopback HOST:PORT; port 0 picks one
	// PrometheusSD, if set, is a Prometheus file_sd targets file that
	// live writes with the alive nodes and rewrites when one crashes or
	// comes back (docs/prometheus.yml uses it).
	PrometheusSD string
	// Errors is told what goes wrong while following the nodes (a node
	// slow to answer on a busy machine); nil: nobody.
	Errors io.Writer
}

// DefaultInterval is the nodes' gossip interval when none is given: slow
// enough to watch a message spread.
const DefaultInterval = 500 * time.Millisecond

// MaxInterval bounds the interval a user may set: past it nothing seems to
// happen.
const MaxInterval = time.Minute

// config is o as the engine takes it: free running on o's topology.
func (o Options) config() engine.Config {
	return engine.Config{Nodes: o.Nodes, Topology: o.Topology, Mode: o.Mode, Fanout: o.Fanout, Loss: o.Loss, MaxRounds: 1,
		Seed: o.Seed, Source: -1, Net: engine.NetOptions{Free: true, Interval: o.Interval,
			Latency: o.Latency, Timeout: o.Timeout, Processes: o.Processes}}
}

// Check refuses options live cannot run, saying which and why.
func (o Options) Check() error {
	if err := checkParams(o.Nodes, o.Fanout, o.Loss, o.Interval); err != nil {
		return err
	}
	if o.Nodes > engine.MaxHTTPNodes {
		return fmt.Errorf("nodes must be at most %d, got %d", engine.MaxHTTPNodes, o.Nodes)
	}
	if err := topology.Check(o.Topology, o.Nodes); err != nil {
		return fmt.Errorf("topology %s: %w", o.Topology.Kind, err)
	}
	if o.Latency < 0 || o.Timeout < 0 {
		return errors.New("latency and timeout must not be negative")
	}
	_, port, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return fmt.Errorf("listen must be HOST:PORT, got %q", o.Listen)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("listen %s: the port must be from 0 to 65535, got %q", o.Listen, port)
	}
	if !node.Loopback(o.Listen) {
		// The API crashes and reconfigures nodes and has no token: only
		// this machine may reach it (guarded against web pages as nodes are).
		return fmt.Errorf("listen must be a loopback address (127.0.0.1, [::1], localhost), got %q", o.Listen)
	}
	return nil
}

// checkParams is the one check of what a user may set, at start and by
// PUT /api/config.
func checkParams(nodes, fanout int, loss float64, interval time.Duration) error {
	switch {
	case nodes < 2:
		return fmt.Errorf("nodes must be at least 2, got %d", nodes)
	case fanout < 1 || fanout > nodes-1:
		return fmt.Errorf("fanout must be from 1 to %d (nodes-1), got %d", nodes-1, fanout)
	case !(loss >= 0 && loss <= 1):
		return fmt.Errorf("loss must be in [0, 1], got %v", loss)
	case interval < engine.MinInterval || interval > MaxInterval:
		return fmt.Errorf("interval must be from %v to %v, got %v", engine.MinInterval, MaxInterval, interval)
	}
	return nil
}

// Server is a running live cluster and its API.
type Server struct {
	opts Options
	ln   net.Listener
	srv  *http.Server
	hub  *hub

	clMu sync.Mutex // guards c: the cluster is not safe for concurrent use
	c    *cluster.Cluster

	f      *follower   // guarded by clMu
	sd     *outdir.Dir // the file_sd file's directory, nil without one; guarded by clMu
	sdName string

	graph *results.ReplayGraph // the nodes' graph, drawn at the start; nil: complete

	mu sync.Mutex // guards the view below
	v  *view

	stopFollow context.CancelFunc
	followed   chan struct{} // closed when the follower has stopped
}

// Start brings up the nodes, sets them gossiping and starts serving on
// opts.Listen; Run serves until its context ends.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Interval == 0 {
		opts.Interval = DefaultInterval
	}
	if err := opts.Check(); err != nil {
		return nil, err
	}
	var sd *outdir.Dir
	var sdName string
	if opts.PrometheusSD != "" {
		var err error
		if sd, sdName, err = openSD(opts.PrometheusSD); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		closeSD(sd)
		return nil, fmt.Errorf("live: %w", err)
	}
	c, err := cluster.Start(ctx, opts.config(), opts.NodeCommand)
	if err != nil {
		ln.Close()
		closeSD(sd)
		return nil, fmt.Errorf("live: %w", err)
	}
	s := &Server{opts: opts, ln: ln, c: c, hub: newHub(), v: newView(opts.Nodes, c.URLs()),
		f: &follower{after: make([]uint64, opts.Nodes)}, followed: make(chan struct{}), sd: sd, sdName: sdName,
		graph: results.DrawnGraph(opts.Topology.Kind, c.Graph())}
	err = c.StartFree(ctx)
	if err == nil {
		err = s.writeSD()
	}
	if err != nil {
		c.Close()
		ln.Close()
		closeSD(sd)
		return nil, fmt.Errorf("live: starting the nodes: %w", err)
	}
	s.v.config = s.configNow()
	fctx, cancel := context.WithCancel(context.Background())
	s.stopFollow = cancel
	go s.follow(fctx)
	s.srv = &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute,
		MaxHeaderBytes: 16 << 10}
	go s.srv.Serve(ln) // returns when the server is closed
	return s, nil
}

// URL is where the page is served, "http://127.0.0.1:PORT/".
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Run serves until ctx ends, then stops everything: the event streams,
// the server, the follower and every node.
func (s *Server) Run(ctx context.Context) error {
	<-ctx.Done()
	return s.Close()
}

// Close stops serving and stops every node; it returns once all is gone.
func (s *Server) Close() error {
	s.hub.close() // event streams end, so the server can shut down
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if err != nil {
		err = s.srv.Close()
	}
	s.stopFollow()
	<-s.followed
	s.clMu.Lock()
	s.c.Close()
	closeSD(s.sd)
	s.clMu.Unlock()
	return err
}

func closeSD(d *outdir.Dir) {
	if d != nil {
		d.Close()
	}
}
