package main

import (
	"context"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/gossipbench/gossipbench/engine/node"
)

// nodeCmd runs one gossip node in this process, the way the http engine
// starts nodes with http.processes: true, and the way to poke at one by hand.
func nodeCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("node", "node [--listen ADDR] [--id N]", stderr)
	listen := fs.String("listen", "127.0.0.1:0", "`ADDR` to listen on; port 0 picks a free one")
	id := fs.Int("id", 0, "this node's number (`N`) in its cluster")
	pos, err := parseArgs(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("node takes no arguments, got %q", pos[0])
	}
	if *id < 0 {
		return usageErrorf("--id must not be negative, got %d", *id)
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return usageErrorf("--listen must be HOST:PORT, got %q", *listen)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := node.Options{ID: *id, ProcessMetrics: true,
		// Crashed for good: go away, so peers see the process gone.
		ExitOnCrash: func() { os.Exit(0) }}
	return node.Serve(ctx, opts, *listen, stdout)
}
