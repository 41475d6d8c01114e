package cluster

import (
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// flaky stands in front of a node and cuts the connection, unanswered,
// of the first `breaks` requests to path (all of them if breaks < 0).
type flaky struct {
	path   string
	breaks int64
	seen   atomic.Int64
	next   http.Handler
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == f.path && (f.breaks < 0 || f.seen.Add(1) <= f.breaks) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	f.next.ServeHTTP(w, r)
}

// putFlaky routes the harness's calls to node i through f.
func putFlaky(t *testing.T, c *Cluster, i int, f *flaky) {
	t.Helper()
	target, err := url.Parse(c.urls[i])
	if err != nil {
		t.Fatal(err)
	}
	// SetURL also sets Host to the node's, as a proxy in front of a node
	// must: the node refuses other Host headers (DNS rebinding).
	f.next = &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(target) }}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: f}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c.urls[i] = "http://" + ln.Addr().String()
}

// A node whose answer to a read of its counters, or to a call that is
// safe to repeat, is cut once: the harness asks again and gets it.
func TestTransientErrorsAreRetried(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, MaxRounds: 10, Source: 0, Seed: 1}
	c, _ := startAndRun(t, cfg)
	metrics := &flaky{path: node.PathMetrics, breaks: 1}
	putFlaky(t, c, 1, metrics)
	if _, err := c.counters(t.Context(), 1); err != nil {
		t.Fatalf("reading counters after one cut answer: %v", err)
	}
	reset := &flaky{path: node.PathReset, breaks: 2}
	putFlaky(t, c, 2, reset)
	if err := c.Prepare(t.Context(), cfg); err != nil {
		t.Fatalf("reset after two cut answers: %v", err)
	}
	if metrics.seen.Load() != 2 || reset.seen.Load() != 3 {
		t.Fatalf("tries: metrics %d, reset %d; want 2 and 3", metrics.seen.Load(), reset.seen.Load())
	}
	// A round is never sent twice: it would run twice.
	round := &flaky{path: node.PathRound, breaks: 1}
	putFlaky(t, c, 0, round)
	if err := c.call(t.Context(), http.MethodPost, 0, node.PathRound, node.RoundRequest{Round: 1}, nil); err == nil || round.seen.Load() != 1 {
		t.Fatalf("a cut round: err %v after %d tries, want an error after 1", err, round.seen.Load())
	}
}

// A free-running trial whose node never lets its counters be read cannot
// be measured, and says so: engine.ErrUnmeasured, not a plain failure.
func TestUnreadableCountersLeaveTheTrialUnmeasured(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 4, Mode: engine.PushPull, Fanout: 1, MaxRounds: 50, Source: 0, Seed: 1,
		Net: engine.NetOptions{Free: true}}
	c, err := Start(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	putFlaky(t, c, 3, &flaky{path: node.PathMetrics, breaks: -1})
	_, err = trial(t.Context(), c)
	if !errors.Is(err, engine.ErrUnmeasured) {
		t.Fatalf("err = %v, want engine.ErrUnmeasured", err)
	}
}

// A healthy node that does not answer in time (here every exchange waits
// out a latency longer than its timeout) has not failed as the protocol
// means it, and may have taken the message all the same: the trial is
// unmeasured, not counted with failed messages nor taken for a bug.
func TestTimedOutHealthyPeerLeavesTheTrialUnmeasured(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 4, Mode: engine.Push, Fanout: 1, MaxRounds: 50, Source: 0, Seed: 1,
		Net: engine.NetOptions{Latency: time.Second, Timeout: time.Millisecond}}
	_, err := runOnce(t.Context(), cfg)
	if !errors.Is(err, engine.ErrUnmeasured) || errors.Is(err, errInconsistent) {
		t.Fatalf("err = %v, want engine.ErrUnmeasured", err)
	}
}
