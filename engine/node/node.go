package node

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/prometheus/client_golang/prometheus"
)

// Limits on what outside input can make a node hold.
const (
	MaxMessages    = 10_000
	MaxMessageSize = 64 << 10
	// MaxStoreBytes bounds the data a node holds in all: the count alone
	// would let 10,000 messages of 64 KiB take 640 MiB.
	MaxStoreBytes  = 16 << 20
	DefaultLogSize = 1000
)

// Options configure a node before it is started.
type Options struct {
	ID             int
	LogSize        int  // events GET /log keeps; DefaultLogSize if 0
	ProcessMetrics bool // also export Go runtime and process metrics (a node in its own process)
	// ExitOnCrash is called when the node is crashed for good; a node in its
	// own process exits there, so its peers see the process gone.
	ExitOnCrash func()
	// Transport is a connection pool shared with other nodes in this
	// process (see NewSharedTransport); nil gives the node its own.
	Transport *http.Transport
	// ControlToken, if set, must come with every /control/ request as
	// "Authorization: Bearer TOKEN". Listen requires one for an address
	// other than loopback, and with RemotePeers: the controls crash and
	// reconfigure the node.
	ControlToken string
	// Hosts are the names (or name:port) the node answers to besides its
	// loopback names and IPs and the IP a request came in on; any other
	// Host header is refused (see guard).
	Hosts []string
	// RemotePeers lets /control/config name peers beyond this machine;
	// without it every peer is a loopback URL (see checkPeer).
	RemotePeers bool
}

// TokenEnv is the environment variable a node process takes its control
// token from when it is not given one on the command line.
const TokenEnv = "GOSSIPBENCH_TOKEN"

// Node is one gossip node. It is safe for concurrent use.
type Node struct {
	opts  Options
	m     *metrics
	label atomic.Int64 // the ID /metrics labels every series with: the configured one
	log   *eventLog
	http  *httpTransport
	tr    Transport

	mu    sync.Mutex // guards the fields below
	cfg   Config
	mode  engine.Mode
	known map[string]*Known
	order []string // IDs in the order learned
	bytes int      // data held, bounded by MaxStoreBytes
	round int
	// rules are the protocol core's decisions for this node's config:
	// its peers, the loss of its messages, what it sends and answers.
	rules *protocol.Rules
	mg    mongerState // with rumor mongering (see monger.go)

	roundMu sync.Mutex // one round at a time

	srvMu    sync.Mutex // guards the server's life cycle below
	srv      *http.Server
	ln       net.Listener
	addr     string
	closed   bool
	comeBack *time.Timer // a timed crash's recovery
	// afterFunc is time.AfterFunc; a test fires the recovery itself.
	afterFunc func(time.Duration, func()) *time.Timer
	crashed   atomic.Bool
	fault     atomic.Pointer[fault] // nil: working

	freeMu sync.Mutex         // one free-running loop at a time
	free   context.CancelFunc // ends the free-running loop after its current round
	abort  context.CancelFunc // also cuts that round's exchanges short
	freeWG sync.WaitGroup
}

// New makes a node; Listen starts serving.
func New(opts Options) *Node {
	if opts.LogSize <= 0 {
		opts.LogSize = DefaultLogSize
	}
	n := &Node{opts: opts, m: newMetrics(opts.ProcessMetrics), log: newEventLog(opts.LogSize),
		known: map[string]*Known{}, afterFunc: time.AfterFunc}
	n.m.tally.logged = n.log.last
	n.cfg.ID = opts.ID
	n.label.Store(int64(opts.ID))
	n.rules = rulesOf(n.cfg, engine.Push)
	n.http = newHTTPTransport(opts.Transport, n.latency)
	n.tr = n.http
	n.m.known.Set(0)
	return n
}

// Registry is the node's own Prometheus registry.
func (n *Node) Registry() *prometheus.Registry { return n.m.reg }

// ID is the node's number in its cluster.
func (n *Node) ID() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.cfg.ID
}

// Listen starts serving on addr ("127.0.0.1:0" picks a free port).
func (n *Node) Listen(addr string) error {
	n.srvMu.Lock()
	defer n.srvMu.Unlock()
	if n.addr != "" || n.closed {
		return fmt.Errorf("node %d: already listening on %s, or closed", n.opts.ID, n.addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("node %d: %w", n.opts.ID, err)
	}
	// The rule applies to the address bound, not to the name asked for.
	if bound := ln.Addr().String(); n.opts.ControlToken == "" && NeedsToken(bound, n.opts.RemotePeers) {
		ln.Close()
		return fmt.Errorf("node %d: a node listening on %s (%s), or allowed remote peers, needs a control token",
			n.opts.ID, addr, bound)
	}
	n.addr = ln.Addr().String()
	n.serveLocked(ln)
	return nil
}

func (n *Node) serveLocked(ln net.Listener) {
	n.ln = ln
	n.srv = newServer(n.Handler())
	srv := n.srv
	go srv.Serve(ln) // returns when the server is closed
}

// stopServingLocked closes the listener itself as well as the server:
// srv.Close alone misses a listener Serve has not registered yet, and a
// node crashed right after Listen would go on accepting connections.
func (n *Node) stopServingLocked() error {
	if n.comeBack != nil {
		n.comeBack.Stop()
		n.comeBack = nil
	}
	if n.srv == nil {
		return nil
	}
	err := n.srv.Close()
	n.ln.Close()
	n.srv, n.ln = nil, nil
	return err
}

// URL is the node's base URL, "http://127.0.0.1:PORT".
func (n *Node) URL() string {
	n.srvMu.Lock()
	defer n.srvMu.Unlock()
	return "http://" + n.addr
}

// Crash stops serving at once, dropping open connections, so peers see
// real connection errors. With d > 0 the node comes back after d.
func (n *Node) Crash(d time.Duration) {
	n.srvMu.Lock()
	n.stopServingLocked()
	n.crashed.Store(true)
	if d > 0 && !n.closed {
		var t *time.Timer
		t = n.afterFunc(d, func() {
			n.srvMu.Lock()
			defer n.srvMu.Unlock()
			// Stop cannot take back a timer that has fired: whatever
			// disarmed this one since (Close, Crash, Recover) wins.
			if n.comeBack == t {
				_ = n.recoverLocked()
			}
		})
		n.comeBack = t
	}
	n.srvMu.Unlock()
	n.log.add(Event{At: time.Now(), Kind: "crashed", Peer: -1, Info: d.String()})
	if d == 0 && n.opts.ExitOnCrash != nil {
		n.opts.ExitOnCrash()
	}
}

// Recover serves again on the same address, with the state it had.
func (n *Node) Recover() error {
	n.srvMu.Lock()
	defer n.srvMu.Unlock()
	return n.recoverLocked()
}

func (n *Node) recoverLocked() error {
	if n.closed {
		return fmt.Errorf("node %d: recover: the node is closed", n.opts.ID)
	}
	if n.srv != nil || n.addr == "" {
		return nil
	}
	if n.comeBack != nil {
		n.comeBack.Stop()
		n.comeBack = nil
	}
	ln, err := net.Listen("tcp", n.addr)
	if err != nil {
		return fmt.Errorf("node %d: recover: %w", n.opts.ID, err)
	}
	n.serveLocked(ln)
	n.crashed.Store(false)
	n.log.add(Event{At: time.Now(), Kind: "recovered", Peer: -1})
	return nil
}

// fault is a failure of the gossip endpoint other than a crash.
type fault struct {
	kind    engine.FailureKind
	release chan struct{} // closed when the fault ends: hung requests return
	hung    chan struct{} // a slot per request held by a hang, at most maxHung
}

// maxHung bounds the requests a hanging node holds, each a goroutine and a
// connection for as long as its client waits (forever, for a client that
// never gives up). Far more than a cluster's peers send at once.
const maxHung = 64

// Fail makes the node hang or answer garbage on its gossip endpoint, and
// stop gossiping itself; engine.Crash is Crash(0) and not for here.
func (n *Node) Fail(kind engine.FailureKind) error {
	if kind != engine.Hang && kind != engine.Garbage {
		return fmt.Errorf("fault must be hang or garbage, got %v", kind)
	}
	n.Heal()
	n.fault.Store(&fault{kind: kind, release: make(chan struct{}), hung: make(chan struct{}, maxHung)})
	n.log.add(Event{At: time.Now(), Kind: "fault", Peer: -1, Info: kind.String()})
	return nil
}

// Heal ends a fault set by Fail.
func (n *Node) Heal() {
	if f := n.fault.Swap(nil); f != nil {
		close(f.release)
	}
}

// faulty reports whether the node must not act: crashed or failing.
func (n *Node) faulty() bool { return n.crashed.Load() || n.fault.Load() != nil }

// Close stops the node for good: its server, its free-running loop and its
// connections.
func (n *Node) Close() error {
	n.Heal()
	n.abortFree()
	n.srvMu.Lock()
	n.closed = true
	err := n.stopServingLocked()
	n.srvMu.Unlock()
	n.http.close()
	return err
}

// Configure sets the node's peers and protocol parameters.
func (n *Node) Configure(c Config) error {
	mode, err := engine.ParseMode(c.Mode)
	switch {
	case err != nil:
		return err
	case c.ID < 0 || c.ID >= len(c.Peers) && len(c.Peers) > 0:
		return fmt.Errorf("id %d is not an index into %d peers", c.ID, len(c.Peers))
	case c.Fanout < 1 || (len(c.Peers) > 1 && c.Fanout > len(c.Peers)-1):
		return fmt.Errorf("fanout must be from 1 to %d (peers-1), got %d", max(len(c.Peers)-1, 1), c.Fanout)
	case !(c.Loss >= 0 && c.Loss <= 1):
		return fmt.Errorf("loss must be in [0, 1], got %v", c.Loss)
	case c.Latency < 0:
		return errors.New("latency must not be negative")
	case c.Timeout < 0:
		return errors.New("timeout must not be negative")
	}
	for i, p := range c.Peers {
		if err := n.checkPeer(p); err != nil {
			return fmt.Errorf("peers[%d]: %w", i, err)
		}
	}
	if err := checkNeighbours(c); err != nil {
		return err
	}
	if err := checkMongering(c, mode); err != nil {
		return err
	}
	c.Neighbours = slices.Clone(c.Neighbours) // the caller's slice stays the caller's; nil stays nil
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cfg, n.mode = c, mode
	n.label.Store(int64(c.ID))
	n.rules = rulesOf(c, mode)
	n.resetMongerLocked()
	n.http.setPeers(c.Peers)
	n.http.setTimeout(time.Duration(c.Timeout))
	return nil
}

// MessageID names a message by its content.
func MessageID(data string) string {
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:8])
}

// Inject adds a message as if a client had posted it.
func (n *Node) Inject(data string) (DataResponse, error) {
	if len(data) == 0 || len(data) > MaxMessageSize {
		return DataResponse{}, fmt.Errorf("data must be 1 to %d bytes, got %d", MaxMessageSize, len(data))
	}
	msg := Message{ID: MessageID(data), Data: data, Origin: time.Now().UnixNano()}
	n.mu.Lock()
	if n.mg.on {
		n.mu.Unlock()
		return DataResponse{}, fmt.Errorf("a mongering node takes its rumors from %s", PathInject)
	}
	added, err := n.mergeLocked([]Message{msg}, n.round, false)
	n.mu.Unlock()
	if err != nil {
		return DataResponse{}, err
	}
	if added > 0 {
		n.log.add(Event{At: time.Now(), Kind: "injected", Peer: -1, What: "data", Info: msg.ID})
	}
	return DataResponse{ID: msg.ID, New: added > 0}, nil
}

// maxDelay bounds the propagation delays a node observes: an origin from
// a peer's clock may be anything, and one absurd value would ruin the
// histogram's sum.
const maxDelay = 24 * time.Hour

// observeDelay records how long message m took to reach this node from
// its origin; not for an origin in the future or too far in the past.
func (n *Node) observeDelay(m Message, now time.Time) {
	if m.Origin <= 0 {
		return
	}
	d := now.Sub(time.Unix(0, m.Origin))
	if d <= 0 || d > maxDelay {
		return
	}
	n.m.delay.Observe(d.Seconds())
}

var errFull = fmt.Errorf("node holds the maximum of %d messages or %d bytes of data", MaxMessages, MaxStoreBytes)

// mergeLocked learns messages in round r and says how many were new. A
// batch with a bad message is refused whole; a full node learns what fits.
// gossip says they came from a peer, so their delays are observed.
func (n *Node) mergeLocked(msgs []Message, r int, gossip bool) (added int, err error) {
	for _, m := range msgs {
		if m.ID != MessageID(m.Data) || len(m.Data) > MaxMessageSize {
			return 0, fmt.Errorf("message %q: id does not match its data, or data too large", m.ID)
		}
	}
	defer func() { n.m.known.Set(float64(len(n.known))) }()
	for _, m := range msgs {
		if _, ok := n.known[m.ID]; ok {
			continue
		}
		if len(n.known) >= MaxMessages || n.bytes+len(m.Data) > MaxStoreBytes {
			return added, errFull
		}
		now := time.Now()
		n.known[m.ID] = &Known{Message: m, Round: r, At: now, pos: len(n.order)}
		if gossip {
			n.observeDelay(m, now)
		}
		n.order = append(n.order, m.ID)
		n.bytes += len(m.Data)
		added++
	}
	return added, nil
}

// snapshotLocked is what the node knew before round r; r = 0 (free
// running) means everything it knows now.
func (n *Node) snapshotLocked(r int) []Message {
	var out []Message
	for _, id := range n.order {
		if k := n.known[id]; r == 0 || k.Round < r {
			out = append(out, k.Message)
		}
	}
	return out
}

// Reset forgets every message and event; counters keep counting, as
// Prometheus counters must.
func (n *Node) Reset() {
	n.Heal()
	n.abortFree()
	n.roundMu.Lock() // not in the middle of a round, which could add messages back
	defer n.roundMu.Unlock()
	n.mu.Lock()
	n.known, n.order, n.round, n.bytes = map[string]*Known{}, nil, 0, 0
	n.resetMongerLocked()
	n.m.known.Set(0)
	n.mu.Unlock()
	n.log.reset()
}

func (n *Node) latency() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return time.Duration(n.cfg.Latency)
}
