package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/internal/leaktest"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		serveChild()
	}
	// Warm up the runtime's network poller (an epoll fd and an eventfd that
	// stay open for the life of the process), so the first test's leak
	// check does not count them.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			c.Close()
		}
		ln.Close()
	}
	os.Exit(m.Run())
}

// checkLeaks fails the test if, after every cleanup registered later (such
// as closing the nodes), a goroutine or descriptor it started is left. Call
// it first in a test, before starting any node.
func checkLeaks(t *testing.T) { leaktest.Check(t, 0) }

// startNodes starts k nodes on free ports and closes them when the test ends.
func startNodes(t *testing.T, k int, opts Options) []*Node {
	t.Helper()
	nodes := make([]*Node, k)
	for i := range nodes {
		o := opts
		o.ID = i
		nodes[i] = New(o)
		if err := nodes[i].Listen("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		n := nodes[i]
		t.Cleanup(func() { _ = n.Close() })
	}
	return nodes
}

// urls lists the nodes' base URLs, indexed by node ID.
func urls(nodes []*Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.URL()
	}
	return out
}

// wire configures every node with the others as peers.
func wire(t *testing.T, nodes []*Node, mode string, fanout int, seed uint64) {
	t.Helper()
	peers := urls(nodes)
	for i, n := range nodes {
		c := Config{ID: i, Peers: peers, Mode: mode, Fanout: fanout, Seed: seed + uint64(i), RecordEdges: true}
		if err := n.Configure(c); err != nil {
			t.Fatalf("configure node %d: %v", i, err)
		}
	}
}

// client is a test HTTP client with its own connection pool, closed when the
// test ends.
type client struct {
	t  *testing.T
	hc *http.Client
}

func newClient(t *testing.T) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, hc: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

type response struct {
	code   int
	header http.Header
	body   []byte
}

// do sends body (raw if []byte or string, JSON otherwise; none if nil) and
// reads the whole answer.
func (c *client) do(method, url string, body any) response {
	c.t.Helper()
	r, err := c.try(method, url, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, url, err)
	}
	return r
}

func (c *client) try(method, url string, body any) (response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return response{}, err
	}
	if method != http.MethodGet { // as the harness does, with a body or not
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{code: resp.StatusCode, header: resp.Header, body: b}, nil
}

// json sends a request that must answer 200 and decodes the answer into out
// (if not nil).
func (c *client) json(method, url string, body, out any) {
	c.t.Helper()
	r := c.do(method, url, body)
	if r.code != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, url, r.code, r.body)
	}
	if ct := r.header.Get("Content-Type"); out != nil && ct != "application/json" {
		c.t.Fatalf("%s %s: Content-Type %q", method, url, ct)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, url, r.body, err)
		}
	}
}

func (c *client) state(n *Node) State {
	c.t.Helper()
	var s State
	c.json(http.MethodGet, n.URL()+PathState, nil, &s)
	return s
}

func (c *client) events(n *Node, limit int) []Event {
	c.t.Helper()
	var ev []Event
	c.json(http.MethodGet, fmt.Sprintf("%s%s?limit=%d", n.URL(), PathLog, limit), nil, &ev)
	return ev
}

// knows reports whether the state holds the message with this data, and the
// round it was learned in.
func knows(s State, data string) (round int, ok bool) {
	for _, m := range s.Messages {
		if m.ID == MessageID(data) {
			return m.Round, m.Data == data
		}
	}
	return 0, false
}

// metricSet is one scrape: series key -> value; keys are
// name{label="value",...} with labels sorted. Histograms contribute
// name_count and name_sum.
type metricSet map[string]float64

func (c *client) scrape(n *Node) metricSet {
	c.t.Helper()
	r := c.do(http.MethodGet, n.URL()+PathMetrics, nil)
	if r.code != http.StatusOK {
		c.t.Fatalf("GET /metrics: %d %s", r.code, r.body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(r.body))
	if err != nil {
		c.t.Fatalf("GET /metrics does not parse: %v\n%s", err, r.body)
	}
	out := metricSet{}
	for name, fam := range fams {
		for _, m := range fam.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", lp.GetName(), lp.GetValue()))
			}
			sort.Strings(labels)
			key := name + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out[key] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out[key] = m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				out[name+"_count{"+strings.Join(labels, ",")+"}"] = float64(m.GetHistogram().GetSampleCount())
				out[name+"_sum{"+strings.Join(labels, ",")+"}"] = m.GetHistogram().GetSampleSum()
			case m.GetUntyped() != nil:
				out[key] = m.GetUntyped().GetValue()
			}
		}
	}
	return out
}

// get is the one series named name whose labels include kv (pairs of name,
// value); it fails the test if there is not exactly one.
func (ms metricSet) get(t *testing.T, name string, kv ...string) float64 {
	t.Helper()
	var found []string
	for key := range ms {
		if !strings.HasPrefix(key, name+"{") {
			continue
		}
		ok := true
		for i := 0; i+1 < len(kv); i += 2 {
			if !strings.Contains(key, fmt.Sprintf("%s=%q", kv[i], kv[i+1])) {
				ok = false
			}
		}
		if ok {
			found = append(found, key)
		}
	}
	if len(found) != 1 {
		t.Fatalf("metric %s %v: want one series, found %v", name, kv, found)
	}
	return ms[found[0]]
}

// refused reports whether a TCP connection to the node's address is refused.
func refused(n *Node) bool {
	addr := strings.TrimPrefix(n.URL(), "http://")
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
		return false
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// eventually polls cond every 10ms until it holds or the timeout passes.
func eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// withTimeout runs f and reports whether it returned within d.
func withTimeout(d time.Duration, f func()) bool {
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
