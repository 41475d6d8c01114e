package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/live"
	"gopkg.in/yaml.v3"
)

// liveCmd starts a standing cluster of real nodes and serves the live
// page until interrupted (README, "gossipbench live").
func liveCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("live", "live [flags] [SCENARIO.yaml]", stderr)
	nodes := fs.Int("nodes", 12, "number of nodes (`N`)")
	mode := fs.String("mode", "push", "gossip `MODE`: push, pull or pushpull")
	fanout := fs.Int("fanout", 2, "peers each node contacts per interval (`K`)")
	loss := fs.Float64("loss", 0, "probability (`P`) that any one message is lost")
	interval := fs.Duration("interval", live.DefaultInterval, "each node gossips every `D`, give or take a tenth")
	listen := fs.String("listen", "127.0.0.1:0", "loopback `ADDR` to serve the page on; port 0 picks a free one")
	processes := fs.Bool("processes", false, "run every node in a process of its own")
	seed := fs.Uint64("seed", 1, "`SEED` of the nodes' random draws, and of the graph")
	topo := fs.String("topology", engine.TopologyComplete, "the graph the nodes gossip on: `KIND`, one of "+
		strings.Join(engine.TopologyKinds[:len(engine.TopologyKinds)-1], ", ")+" (file: from a scenario file)")
	degree := fs.Float64("degree", 0, "with --topology: its degree `D` (ring, regular, small-world, scale-free; erdos-renyi: the mean)")
	p := fs.Float64("p", 0, "with --topology erdos-renyi: the edge probability `P`, instead of --degree")
	rewire := fs.Float64("rewire", 0, "with --topology small-world: the probability `B` that an edge's far end moves")
	sd := fs.String("prometheus-sd", "", "write a Prometheus file_sd targets `FILE` with the alive nodes, rewritten as they crash and come back\n(docs/prometheus.yml uses it)")
	var setTexts []string
	fs.Func("set", "set a field of the scenario file: `KEY=VALUE`, as run --set does (mode=push pins a swept mode); repeatable",
		func(text string) error { setTexts = append(setTexts, text); return nil })
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return argsErrorf(fs, "live takes at most one scenario file, got %d arguments", len(pos))
	}
	var sets []experiments.Set
	for _, text := range setTexts {
		set, err := experiments.ParseSet(text)
		if err != nil {
			return usageErrorf("%v", err)
		}
		sets = append(sets, set)
	}
	if len(sets) > 0 && len(pos) == 0 {
		return argsErrorf(fs, "--set sets fields of a scenario file, and none is given")
	}
	opts := live.Options{Listen: *listen, Errors: stderr, PrometheusSD: *sd}
	if len(pos) == 1 {
		if opts, err = liveScenario(pos[0], opts, sets); err != nil {
			return err
		}
	} else {
		opts.Nodes, opts.Fanout, opts.Seed, opts.Interval = *nodes, *fanout, *seed, *interval
	}
	// Flags given win over the file.
	for name, set := range map[string]func(){
		"nodes":     func() { opts.Nodes = *nodes },
		"fanout":    func() { opts.Fanout = *fanout },
		"loss":      func() { opts.Loss = *loss },
		"interval":  func() { opts.Interval = *interval },
		"processes": func() { opts.Processes = *processes },
		"seed":      func() { opts.Seed = *seed },
		"degree":    func() { opts.Topology.Degree = *degree },
		"p":         func() { opts.Topology.P = *p },
		"rewire":    func() { opts.Topology.Rewire = *rewire },
	} {
		if flagSet(fs, name) {
			set()
		}
	}
	if flagSet(fs, "topology") {
		if *topo == engine.TopologyFile {
			return usageErrorf("--topology file: an edge list comes from a scenario file (topology: {kind: file, path: ...}), not a flag")
		}
		// Another kind drops the file's parameters but those flags give.
		opts.Topology = engine.Topology{Kind: *topo, Degree: *degree, P: *p, Rewire: *rewire}
	} else if (flagSet(fs, "degree") || flagSet(fs, "p") || flagSet(fs, "rewire")) && opts.Topology.IsComplete() {
		return argsErrorf(fs, "--degree, --p and --rewire are parameters of a --topology, and none is given")
	}
	if len(pos) == 0 || flagSet(fs, "mode") {
		m, err := engine.ParseMode(*mode)
		if err != nil {
			return usageErrorf("--mode: %v; want push, pull or pushpull", err)
		}
		opts.Mode = m
	}
	if err := opts.Check(); err != nil {
		return usageErrorf("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := live.Start(ctx, opts)
	if errors.Is(err, live.ErrTargetsFile) {
		return usageErrorf("--%v", err)
	}
	if err != nil {
		return err
	}
	how := "in this process"
	if opts.Processes {
		how = "one process each"
	}
	graph := ""
	if t := opts.Topology; !t.IsComplete() {
		graph = " on a " + t.Kind + " graph"
		if t.Degree != 0 {
			graph += fmt.Sprintf(" of degree %v", t.Degree)
		}
	}
	fmt.Fprintf(stdout, "gossipbench live: %d nodes (%s)%s, %s, fanout %d, loss %v, every %v\n",
		opts.Nodes, how, graph, opts.Mode, opts.Fanout, opts.Loss, opts.Interval)
	fmt.Fprintf(stdout, "open %s (Ctrl-C stops every node)\n", s.URL())
	if err := s.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("live: stopping: %w", err)
	}
	fmt.Fprintln(stdout, "gossipbench live: stopped, every node with it")
	return nil
}

// liveScenario takes the fields live uses from a scenario file: one point
// (no sweep), its nodes, mode, fanout, loss, seed and http settings.
func liveScenario(path string, opts live.Options, sets []experiments.Set) (live.Options, error) {
	s, err := experiments.Load(path, sets...)
	if err != nil {
		return opts, err
	}
	if len(s.Sweep) > 0 {
		return opts, usageErrorf("%s: live runs one cluster, and the file sweeps %s; pin it with --set %s=VALUE", path, s.Sweep[0].Key, s.Sweep[0].Key)
	}
	p := s.Params
	opts.Nodes, opts.Mode, opts.Fanout, opts.Loss, opts.Seed = p.Nodes, p.Mode, p.Fanout, p.Loss, p.Seed
	// A scenario's interval defaults to the benchmark's 50ms; live's own
	// default, slow enough to watch, holds unless the file sets one.
	var doc struct {
		HTTP map[string]any `yaml:"http"`
	}
	opts.Interval = live.DefaultInterval
	err = yaml.Unmarshal(s.Raw, &doc)
	if _, given := doc.HTTP["interval"]; err == nil && given {
		opts.Interval = time.Duration(p.HTTP.Interval)
	}
	opts.Latency, opts.Timeout = time.Duration(p.HTTP.Latency), time.Duration(p.HTTP.Timeout)
	opts.Processes = p.HTTP.Processes
	// The topology as the scenario decoder gives it to engines (an edge
	// list read from its file, checked).
	opts.Topology = s.Config(s.Points()[0], 0, false).Topology
	return opts, nil
}
