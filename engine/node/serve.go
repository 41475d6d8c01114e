package node

import (
	"context"
	"fmt"
	"io"
)

// Serve runs one node until ctx ends. Once listening it writes one line,
// "gossipbench node ID listening on URL", to ready: a driver that started
// this node as a process reads its address from there.
func Serve(ctx context.Context, opts Options, addr string, ready io.Writer) error {
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
