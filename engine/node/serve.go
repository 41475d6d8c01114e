package node

import (
	"context"
	"fmt"
	"io"
	"net"
)

// Serve runs one node until ctx ends. Once listening it writes one line,
// "gossipbench node ID listening on URL", to ready: a driver that started
// this node as a process reads its address from there.
func Serve(ctx context.Context, opts Options, addr string, ready io.Writer) error {
	if opts.ControlToken == "" && !Loopback(addr) {
		return fmt.Errorf("a node listening on %s, beyond this machine, needs a control token", addr)
	}
	n := New(opts)
	if err := n.Listen(addr); err != nil {
		return err
	}
	defer n.Close()
	if _, err := fmt.Fprintf(ready, "gossipbench node %d listening on %s\n", opts.ID, n.URL()); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// Loopback reports whether addr (host:port) only listens on this machine.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
