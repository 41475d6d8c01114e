package live

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/internal/leaktest"
)

// childEnv marks a child started by the process tests: it runs one node,
// as "gossipbench node" would.
const childEnv = "GOSSIPBENCH_TEST_NODE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		fs := flag.NewFlagSet("node", flag.ExitOnError)
		listen := fs.String("listen", "127.0.0.1:0", "")
		id := fs.Int("id", 0, "")
		fs.Parse(os.Args[1:])
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		opts := node.Options{ID: *id, ProcessMetrics: true, ExitOnCrash: func() { os.Exit(0) },
			ControlToken: os.Getenv(node.TokenEnv)}
		if err := node.Serve(ctx, opts, *listen, os.Stdout); err != nil {
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

// testOptions are a small fast cluster: messages spread in well under a
// second.
func testOptions(n int) Options {
	return Options{Nodes: n, Mode: engine.Push, Fanout: 2, Interval: 20 * time.Millisecond,
		Seed: 1, Listen: "127.0.0.1:0"}
}

// startLive starts a live server that the test's end stops.
func startLive(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// call makes one API request with a JSON body (raw if body is a string)
// and decodes the answer into out (an error's only into a
// *node.ErrorResponse); it returns the status.
func call(t *testing.T, s *Server, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, strings.TrimSuffix(s.URL(), "/")+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	// An error's body is decoded only into an ErrorResponse.
	if _, isErr := out.(*node.ErrorResponse); out != nil && (resp.StatusCode == http.StatusOK || isErr) {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	if resp.StatusCode != http.StatusOK && !json.Valid(data) {
		t.Errorf("%s %s: %s with a body that is not JSON: %q", method, path, resp.Status, data)
	}
	return resp.StatusCode
}

func mustCall(t *testing.T, s *Server, method, path string, body, out any) {
	t.Helper()
	if code := call(t, s, method, path, body, out); code != http.StatusOK {
		t.Fatalf("%s %s: %d", method, path, code)
	}
}

type sse struct {
	name string
	data json.RawMessage
}

// stream follows /api/events; it returns once the stream is open, so
// every event after that reaches it.
func stream(t *testing.T, s *Server) <-chan sse {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(s.URL(), "/")+PathEvents, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && sc.Text() != ": open" {
	}
	ch := make(chan sse, 1<<16)
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); resp.Body.Close(); <-done })
	go func() {
		defer close(done)
		defer close(ch)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = json.RawMessage(strings.TrimPrefix(line, "data: "))
			case line == "" && ev.name != "":
				select {
				case ch <- ev:
				case <-ctx.Done():
					return
				}
				ev = sse{}
			}
		}
	}()
	return ch
}

// until reads events until ok says so, or fails the test at the deadline.
func until(t *testing.T, ch <-chan sse, what string, ok func(sse) bool) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case ev, open := <-ch:
			if !open {
				t.Fatalf("event stream ended waiting for %s", what)
			}
			if ok(ev) {
				return
			}
		case <-deadline.C:
			t.Fatalf("no %s within 30s", what)
		}
	}
}

// fullySpread is the event that says message id reached every alive node.
func fullySpread(t *testing.T, id string) func(sse) bool {
	return func(ev sse) bool {
		var m message
		switch ev.name {
		case evMessage:
			if err := json.Unmarshal(ev.data, &m); err != nil {
				t.Fatal(err)
			}
		case evLearned:
			var l learnedEvent
			if err := json.Unmarshal(ev.data, &l); err != nil {
				t.Fatal(err)
			}
			m = l.Message
		default:
			return false
		}
		return m.ID == id && m.FullAt != nil
	}
}

func state(t *testing.T, s *Server) stateBody {
	t.Helper()
	var st stateBody
	mustCall(t, s, http.MethodGet, PathState, nil, &st)
	return st
}

// checkNoLeaks fails the test if goroutines or open files it started are
// still there a little after it ends (as engine/cluster's tests check).
func checkNoLeaks(t *testing.T) { leaktest.Check(t, 2) }

// children counts this process's child processes still running.
func children(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	me := fmt.Sprint(os.Getpid())
	k := 0
	for _, e := range entries {
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so after the last ')'.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) > 1 && f[1] == me && f[0] != "Z" {
			k++
		}
	}
	return k
}
