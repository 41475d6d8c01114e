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
	"strings"
	"syscall"

	"github.com/gossipbench/gossipbench/engine/node"
)

// nodeCmd runs one gossip node in this process, the way the http engine
// starts nodes with http.processes: true, and the way to poke at one by hand.
func nodeCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("node", "node [--listen ADDR] [--id N] [--token TOKEN] [--allow-host NAME]... [--remote-peers]", stderr)
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
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
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
	err = node.Serve(ctx, opts, *listen, stdout)
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return usageErrorf("--listen %s: not an address of this machine", *listen)
	case errors.As(err, &dns):
		return usageErrorf("--listen %s: %v", *listen, dns)
	}
	return err
}
