package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// nodeCmd runs one gossip node in this process, the way the http engine
// starts nodes with http.processes: true, and the way to poke at one by hand.
func nodeCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("node", "node [--listen ADDR] [--id N] [--token TOKEN] [--allow-host NAME]... [--remote-peers]\n"+
		"       [--peers URL,URL,... [--neighbours ID,ID,...] [--mode MODE] [--fanout K] [--interval D] [--start]]", stderr)
	listen := fs.String("listen", "127.0.0.1:0", "`ADDR` to listen on; port 0 picks a free one")
	id := fs.Int("id", 0, "this node's number (`N`) in its cluster")
	token := fs.String("token", os.Getenv(node.TokenEnv),
		"`TOKEN` the /control/ endpoints require (Authorization: Bearer TOKEN); needed, and generated if empty, "+
			"when --listen is not a loopback address or with --remote-peers (default $GOSSIPBENCH_TOKEN)")
	var hosts []string
	fs.Func("allow-host", "also answer requests whose Host is `NAME` (or NAME:PORT); repeatable", func(s string) error {
		if s == "" || strings.ContainsAny(s, "/ ") {
			return fmt.Errorf("want a host name, got %q", s)
		}
		hosts = append(hosts, s)
		return nil
	})
	remote := fs.Bool("remote-peers", false, "let /control/config name peers on other machines (needs a token)")
	peers := fs.String("peers", "", "wire the node by hand: every node's base `URL`, comma-separated, in ID order (this node's is the --id-th)")
	var neighbours []int32
	fs.Func("neighbours", "with --peers: the `IDs` (ascending, comma-separated) this node gossips with, its row of the graph; default every peer", func(s string) error {
		neighbours = []int32{}
		for _, f := range strings.Split(s, ",") {
			v, err := strconv.ParseInt(strings.TrimSpace(f), 10, 32)
			if err != nil {
				return fmt.Errorf("want node IDs such as 1,4,7, got %q", f)
			}
			neighbours = append(neighbours, int32(v))
		}
		return nil
	})
	mode := fs.String("mode", "push", "with --peers: gossip `MODE`, push, pull or pushpull")
	fanout := fs.Int("fanout", 2, "with --peers: peers contacted per interval (`K`)")
	interval := fs.Duration("interval", 500*time.Millisecond, "with --start: gossip every `D`, give or take a tenth")
	start := fs.Bool("start", false, "with --peers: start gossiping on the node's own timer at once")
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	var cfg *node.Config
	var startReq *node.StartRequest
	if *peers != "" {
		cfg = &node.Config{ID: *id, Peers: strings.Split(*peers, ","), Mode: *mode, Fanout: *fanout, Neighbours: neighbours}
	} else {
		for _, f := range []string{"mode", "fanout", "interval", "start", "neighbours"} {
			if flagSet(fs, f) {
				return argsErrorf(fs, "--%s wires the node by hand, and needs --peers", f)
			}
		}
	}
	if *start {
		if *interval < engine.MinInterval {
			return usageErrorf("--interval must be at least %v, got %v", engine.MinInterval, *interval)
		}
		startReq = &node.StartRequest{Interval: node.Duration(*interval), Jitter: 0.1}
	} else if flagSet(fs, "interval") {
		return argsErrorf(fs, "--interval is the gossip interval of --start, which is not given")
	}
	if len(pos) > 0 {
		return argsErrorf(fs, "node takes no arguments, got %q", pos[0])
	}
	if *id < 0 {
		return usageErrorf("--id must not be negative, got %d", *id)
	}
	if _, port, err := net.SplitHostPort(*listen); err != nil {
		return usageErrorf("--listen must be HOST:PORT, got %q", *listen)
	} else if _, err := net.LookupPort("tcp", port); err != nil {
		return usageErrorf("--listen %s: the port must be from 0 to 65535, got %q", *listen, port)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *token == "" && node.NeedsToken(*listen, *remote) {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		*token = hex.EncodeToString(b)
		fmt.Fprintf(stderr, "gossipbench node: %s or its peers reach beyond this machine; control token: %s\n", *listen, *token)
	}
	opts := node.Options{ID: *id, ProcessMetrics: true, ControlToken: *token, Hosts: hosts, RemotePeers: *remote,
		// Crashed for good: go away, so peers see the process gone.
		ExitOnCrash: func() { os.Exit(0) }}
	err = node.ServeWith(ctx, opts, *listen, stdout, cfg, startReq)
	var dns *net.DNSError
	switch {
	case errors.Is(err, node.ErrConfig):
		return usageErrorf("--peers, --neighbours, --mode, --fanout: %v", err)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return usageErrorf("--listen %s: not an address of this machine", *listen)
	case errors.As(err, &dns):
		return usageErrorf("--listen %s: %v", *listen, dns)
	}
	return err
}
