package node

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// A node's server keeps idle connections longer than its clients do, so a
// client never sends a request on a connection the server has just closed.
func TestServerOutlastsIdleClients(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	n.srvMu.Lock()
	idle := n.srv.IdleTimeout
	if idle == 0 {
		idle = n.srv.ReadTimeout // what net/http falls back to
	}
	n.srvMu.Unlock()
	shared := NewSharedTransport(1)
	if idle <= shared.IdleConnTimeout || idle <= ClientIdleTimeout {
		t.Fatalf("server closes idle connections after %v, clients after %v", idle, shared.IdleConnTimeout)
	}
}

// The race the idle timeouts avoid, provoked on purpose: the peer's server
// closes the pooled connection (a tiny IdleTimeout), the sender does not
// notice before it has written its next push on it, and reads EOF. That
// push was never taken; it must be resent on a new connection and
// counted delivered, not failed.
func TestPushOnConnectionClosedByPeerIsResent(t *testing.T) {
	checkLeaks(t)
	peer := New(Options{ID: 1})
	t.Cleanup(func() { peer.Close() })
	states := make(chan http.ConnState, 16)
	srv := &http.Server{Handler: peer.Handler(), IdleTimeout: time.Millisecond,
		ConnState: func(_ net.Conn, s http.ConnState) { states <- s }}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	tr := NewSharedTransport(1)
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return newLateEOFConn(c), nil
	}
	t.Cleanup(tr.CloseIdleConnections)
	sender := New(Options{ID: 0, Transport: tr})
	t.Cleanup(func() { sender.Close() })
	if err := sender.Configure(Config{ID: 0, Peers: []string{"http://127.0.0.1:1", "http://" + ln.Addr().String()},
		Mode: "push", Fanout: 1, RecordEdges: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := sender.Inject("first"); err != nil {
		t.Fatal(err)
	}
	if rep := sender.RunRound(t.Context(), 1); rep.Delivered != 1 {
		t.Fatalf("first push: %+v", rep)
	}
	// The server closes the connection once it is idle.
	for s := range states {
		if s == http.StateClosed {
			break
		}
	}
	if _, err := sender.Inject("second"); err != nil {
		t.Fatal(err)
	}
	rep := sender.RunRound(t.Context(), 2)
	if rep.Failed != 0 || rep.Delivered != 1 {
		t.Fatalf("push on a connection the peer had closed: %+v; log %+v", rep, sender.log.recent(3))
	}
	if _, ok := knows(peer.State(), "second"); !ok {
		t.Fatal("the peer did not get the resent push")
	}
	sender.m.tally.mu.Lock()
	counted := sender.m.tally.byKind[engine.KindPush]
	sender.m.tally.mu.Unlock()
	if counted.Failed != 0 || counted.Sent != 2 {
		t.Fatalf("pushes counted %+v, want 2 sent, none failed", counted)
	}
}

// lateEOFConn hides the end of the connection from its reader until the
// writer has sent its second request, as happens when a server closes an
// idle connection just as the client reuses it.
type lateEOFConn struct {
	net.Conn
	writes    atomic.Int32
	second    chan struct{} // closed by the second Write
	closed    chan struct{}
	closeOnce sync.Once
}

func newLateEOFConn(c net.Conn) *lateEOFConn {
	return &lateEOFConn{Conn: c, second: make(chan struct{}), closed: make(chan struct{})}
}

func (c *lateEOFConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if c.writes.Add(1) == 2 {
		close(c.second)
	}
	return n, err
}

func (c *lateEOFConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if err != nil {
		select {
		case <-c.second:
		case <-c.closed:
		}
	}
	return n, err
}

func (c *lateEOFConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
