package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Serve runs one node until ctx ends. Once listening it writes one line,
// "gossipbench node ID listening on URL", to ready: a driver that started
// this node as a process reads its address from there.
func Serve(ctx context.Context, opts Options, addr string, ready io.Writer) error {
	return ServeWith(ctx, opts, addr, ready, nil, nil)
}

// ErrConfig is wrapped by ServeWith's error for a config the node refuses.
var ErrConfig = errors.New("bad node config")

// ServeWith is Serve for a node wired by hand: configured with cfg before
// it listens (nil: wait for PUT /control/config), and gossiping on its own
// timer once it listens if start is set. cfg.ID must be opts.ID, the ID
// the node's metrics are labelled with.
func ServeWith(ctx context.Context, opts Options, addr string, ready io.Writer, cfg *Config, start *StartRequest) error {
	n := New(opts)
	if cfg != nil {
		if cfg.ID != opts.ID {
			return fmt.Errorf("%w: id %d, but the node is %d", ErrConfig, cfg.ID, opts.ID)
		}
		if err := n.Configure(*cfg); err != nil {
			return fmt.Errorf("%w: %w", ErrConfig, err)
		}
	}
	if err := n.Listen(addr); err != nil {
		return err
	}
	defer n.Close()
	if start != nil {
		n.Start(time.Duration(start.Interval), start.Jitter)
	}
	if _, err := fmt.Fprintf(ready, "gossipbench node %d listening on %s\n", opts.ID, n.URL()); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// NeedsToken is the rule for the control token: a node that listens beyond
// this machine, or may be told to gossip beyond it, can be reconfigured from
// other machines or aimed at them, so its controls need one. Every loopback
// address (127.0.0.0/8, ::1) is as private as 127.0.0.1: other machines
// cannot reach it, and web pages on this one are kept out by guard.
func NeedsToken(addr string, remotePeers bool) bool { return remotePeers || !Loopback(addr) }

// Loopback reports whether addr (host:port) only listens on this machine.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && loopbackHost(host)
}

// loopbackHost reports whether host (no port) is a loopback IP or localhost.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serverIdleTimeout is how long a node keeps an idle connection open. It
// must be longer than ClientIdleTimeout: a server that closes an idle
// connection first races the client, which may just be sending a request
// on it and gets an EOF it cannot tell from a node that is down (without
// it, net/http falls back to ReadTimeout, 10 s, against clients' 30 s).
const serverIdleTimeout = 4 * ClientIdleTimeout

// writeTimeout bounds how long a node takes to answer a request, from its
// end; a variable so that a test can shorten it. A round answers later than
// this on purpose (see handleRound).
var writeTimeout = 10 * time.Second

// newServer is a node's HTTP server: time limits on reading requests and
// writing answers, so a client that stalls costs a connection for a while,
// not for ever.
func newServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: writeTimeout,
		IdleTimeout: serverIdleTimeout, MaxHeaderBytes: 16 << 10}
}
