package node

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// Transport carries one gossip exchange to a peer and brings back its
// answer. It is the seam between the node's logic and the network.
type Transport interface {
	Exchange(ctx context.Context, peer int, req *GossipRequest) (*GossipResponse, error)
}

// Exchange errors mean the message failed: the peer is down, hung or
// answered nonsense. Loss is decided before an exchange starts (the
// protocol core draws it), so a lost message never reaches a Transport.

// DefaultTimeout bounds one exchange unless Config.Timeout says otherwise,
// so a peer that hangs costs a failed message, not a stuck round.
const DefaultTimeout = engine.DefaultTimeout

// ClientIdleTimeout is how long a client of nodes (a node's own pool, the
// harness) keeps an idle connection; a node's server keeps one longer (see
// newServer), so it is always the client that closes an idle connection.
const ClientIdleTimeout = 30 * time.Second

// maxBody bounds every body a node reads, as server and as client.
const maxBody = 1 << 20

// httpTransport sends gossip over HTTP: latency injected on the sending
// side, bytes counted on the wire for this node.
type httpTransport struct {
	client    *http.Client
	transport *http.Transport
	owned     bool // closed by this node, not shared
	peers     atomic.Pointer[[]string]
	timeout   atomic.Int64                 // time.Duration
	seq       atomic.Uint64                // numbers exchanges for their Idempotency-Key
	cut       atomic.Pointer[engine.Split] // the network's partition (see SetPartition), nil: none
	bytes     byteCounter
}

// byteCounter is what one node's exchanges put on the wire.
type byteCounter struct{ in, out atomic.Int64 }

// NewSharedTransport is a connection pool that many in-process nodes can
// share. With a pool per node, a thousand nodes talking to random peers
// either churn through a new connection per message or run out of file
// descriptors; sharing keeps a few warm connections per peer, like a
// service mesh's sidecar would. Bytes are still counted per node: each
// connection is charged to the node whose request holds it.
func NewSharedTransport(idlePerHost int) *http.Transport {
	dialer := &net.Dialer{Timeout: 2 * time.Second}
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: c}, nil
		},
		MaxIdleConnsPerHost: idlePerHost,
		IdleConnTimeout:     ClientIdleTimeout,
		DisableCompression:  true,
	}
}

func newHTTPTransport(shared *http.Transport, latency func() time.Duration) *httpTransport {
	t := &httpTransport{transport: shared}
	if shared == nil {
		// A node of its own keeps a small pool: its peers are random.
		t.transport, t.owned = NewSharedTransport(1), true
		t.transport.MaxIdleConns = 16
	}
	// No client-wide timeout: each exchange carries its own (setTimeout).
	// A redirect is not followed: it would take the node's messages to an
	// address that checkPeer never saw.
	t.client = &http.Client{Transport: &slowRoundTripper{next: t.transport, latency: latency},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t.setTimeout(0)
	empty := []string{}
	t.peers.Store(&empty)
	return t
}

func (t *httpTransport) setPeers(peers []string) { t.peers.Store(&peers) }

// setTimeout is called with the node's lock held, between rounds.
func (t *httpTransport) setTimeout(d time.Duration) {
	if d <= 0 {
		d = DefaultTimeout
	}
	t.timeout.Store(int64(d))
}

func (t *httpTransport) Exchange(ctx context.Context, peer int, req *GossipRequest) (*GossipResponse, error) {
	peers := *t.peers.Load()
	if peer < 0 || peer >= len(peers) {
		return nil, fmt.Errorf("no peer %d", peer)
	}
	// The partition is checked per exchange, not when a connection is
	// dialed: connections are pooled, and one kept alive from before the
	// split, or dialed by another node sharing the pool, must not carry a
	// message across it.
	cut := t.cut.Load()
	if cut.Drops(req.From, peer) {
		return nil, cutError(req.From, peer, peers[peer])
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	if d := time.Duration(t.timeout.Load()); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	// Charge the connection's bytes to this node for as long as this
	// exchange holds it (HTTP/1.1 carries one exchange at a time).
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if cc, ok := info.Conn.(*countingConn); ok {
			cc.owner.Store(&t.bytes)
		}
	}})
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, peers[peer]+PathGossip, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	// Taking a gossip message twice changes nothing (known messages are
	// skipped), so it may be repeated. Saying so lets net/http resend it on
	// a fresh connection when a pooled one turns out dead before any byte
	// of the answer: a peer that closed an idle connection as the request
	// went out has not failed. net/http resends only idempotent requests.
	hreq.Header.Set("Idempotency-Key", fmt.Sprintf("%d-%d", req.From, t.seq.Add(1)))
	resp, err := t.client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		return nil, fmt.Errorf("peer %d answered %s", peer, resp.Status)
	}
	var out GossipResponse
	if err := strictJSON(io.LimitReader(resp.Body, maxBody), &out); err != nil {
		return nil, fmt.Errorf("peer %d: bad answer: %w", peer, err)
	}
	if req.Kind == KindRequest && cut.Drops(peer, req.From) {
		// The request was taken; the answer does not cross back.
		out.Messages = nil
		return &out, fmt.Errorf("node %d to node %d: %w", peer, req.From, ErrAnswerCut)
	}
	return &out, nil
}

func (t *httpTransport) close() {
	if t.owned {
		t.transport.CloseIdleConnections()
	}
}

// slowRoundTripper injects the scenario's latency on the sending side: a
// request waits before it goes out.
type slowRoundTripper struct {
	next    http.RoundTripper
	latency func() time.Duration
}

func (f *slowRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	fail := func(err error) (*http.Response, error) {
		if r.Body != nil {
			r.Body.Close() // RoundTrip must close the body, also on errors
		}
		return nil, err
	}
	if d := f.latency(); d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return fail(r.Context().Err())
		}
	}
	return f.next.RoundTrip(r)
}

// countingConn counts the bytes a connection carries for its current owner.
type countingConn struct {
	net.Conn
	owner atomic.Pointer[byteCounter]
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if o := c.owner.Load(); o != nil {
		o.in.Add(int64(n))
	}
	return n, err
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if o := c.owner.Load(); o != nil {
		o.out.Add(int64(n))
	}
	return n, err
}
