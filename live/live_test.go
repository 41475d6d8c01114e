package live

import (
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine/node"
)

// A message sent through the API reaches every node; the events show it
// spreading and /api/state, and the nodes themselves, agree.
func TestMessageSpreads(t *testing.T) {
	checkNoLeaks(t)
	s := startLive(t, testOptions(8))
	ev := stream(t, s)
	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "hello"}, &sent)
	if sent.ID != node.MessageID("hello") || sent.Node != 0 {
		t.Fatalf("answer %+v: want the message's ID, sent to node 0 (the first in turn)", sent)
	}
	gossip := 0
	learned := map[int]bool{}
	until(t, ev, "the message at every node", func(e sse) bool {
		switch e.name {
		case evGossip:
			var g gossipEvent
			json.Unmarshal(e.data, &g)
			if g.From == g.To || g.Kind != "push" {
				t.Errorf("gossip event %+v: want a push between two nodes", g)
			}
			gossip++
		case evLearned:
			var l learnedEvent
			json.Unmarshal(e.data, &l)
			learned[l.Node] = true
		}
		return fullySpread(t, sent.ID)(e)
	})
	if gossip == 0 || len(learned) != 8 {
		t.Errorf("saw %d gossip events and %d nodes learning; want some, and all 8", gossip, len(learned))
	}
	st := state(t, s)
	if len(st.Messages) != 1 {
		t.Fatalf("state has %d messages, want 1", len(st.Messages))
	}
	m := st.Messages[0]
	if m.Informed != 8 || m.FullAt == nil || len(m.Curve) != 8 || m.T100 == nil || *m.T50 > *m.T100 || m.Cost < 7 {
		t.Errorf("message %+v: want 8 informed, full, a curve of 8, t50 <= t100, at least 7 messages", m)
	}
	for _, nd := range st.Nodes {
		if !nd.Alive || !slices.Equal(nd.Known, []string{sent.ID}) {
			t.Errorf("node %+v: want alive, knowing %s", nd, sent.ID)
		}
		// The node itself knows it.
		resp, err := http.Get(nd.URL + node.PathState)
		if err != nil {
			t.Fatal(err)
		}
		var ns node.State
		json.NewDecoder(resp.Body).Decode(&ns)
		resp.Body.Close()
		if ns.Count != 1 || ns.Messages[0].ID != sent.ID {
			t.Errorf("node %d says it knows %+v", nd.ID, ns)
		}
	}
	// Round robin: the next message goes to the next node.
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "second"}, &sent)
	if sent.Node != 1 {
		t.Errorf("second message went to node %d, want 1", sent.Node)
	}
	if len(st.Layout) != 16 {
		t.Errorf("layout of %d numbers, want 16", len(st.Layout))
	}
}

// A crashed node is shown down, cannot be sent to, is not waited for, and
// comes back knowing nothing, then learns what the others know.
func TestCrashAndRestart(t *testing.T) {
	checkNoLeaks(t)
	s := startLive(t, testOptions(6))
	ev := stream(t, s)
	var nd nodeEvent
	mustCall(t, s, http.MethodPost, "/api/nodes/2/crash", nil, &nd)
	if nd.ID != 2 || nd.Alive {
		t.Fatalf("crash answered %+v", nd)
	}
	if code := call(t, s, http.MethodPost, "/api/nodes/2/crash", nil, nil); code != http.StatusConflict {
		t.Errorf("crashing a crashed node: %d, want 409", code)
	}
	if code := call(t, s, http.MethodPost, PathMessages, map[string]any{"data": "x", "node": 2}, nil); code != http.StatusConflict {
		t.Errorf("sending to a crashed node: %d, want 409", code)
	}
	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "while 2 is down"}, &sent)
	until(t, ev, "the message at the 5 alive nodes", fullySpread(t, sent.ID))
	st := state(t, s)
	if st.Nodes[2].Alive || len(st.Nodes[2].Known) != 0 || st.Messages[0].Informed != 5 {
		t.Fatalf("with node 2 down: node %+v, message %+v", st.Nodes[2], st.Messages[0])
	}
	mustCall(t, s, http.MethodPost, "/api/nodes/2/restart", nil, &nd)
	if !nd.Alive {
		t.Fatalf("restart answered %+v", nd)
	}
	until(t, ev, "node 2 learning the message again", func(e sse) bool {
		var l learnedEvent
		json.Unmarshal(e.data, &l)
		return e.name == evLearned && l.Node == 2 && l.Message.ID == sent.ID
	})
	if st := state(t, s); !st.Nodes[2].Alive || st.Messages[0].Informed != 6 {
		t.Errorf("after the restart: node %+v, message %+v", st.Nodes[2], st.Messages[0])
	}
	if code := call(t, s, http.MethodPost, "/api/nodes/2/restart", nil, nil); code != http.StatusConflict {
		t.Errorf("restarting an alive node: %d, want 409", code)
	}
}

// Reset empties every node and the page's view, and the cluster goes on
// working.
func TestReset(t *testing.T) {
	s := startLive(t, testOptions(5))
	ev := stream(t, s)
	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "forget me"}, &sent)
	until(t, ev, "the message everywhere", fullySpread(t, sent.ID))
	mustCall(t, s, http.MethodPost, PathReset, nil, nil)
	until(t, ev, "the reset event", func(e sse) bool { return e.name == evReset })
	st := state(t, s)
	if len(st.Messages) != 0 {
		t.Errorf("messages after reset: %+v", st.Messages)
	}
	for _, nd := range st.Nodes {
		var ns node.State
		resp, err := http.Get(nd.URL + node.PathState)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&ns)
		resp.Body.Close()
		if len(nd.Known) != 0 || ns.Count != 0 {
			t.Errorf("node %d after reset: live says %v, the node %d messages", nd.ID, nd.Known, ns.Count)
		}
	}
	// The same data may be sent again, and spreads again.
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "forget me"}, &sent)
	until(t, ev, "the message everywhere again", fullySpread(t, sent.ID))
}

// The parameters change while the nodes run, and bad ones are refused.
func TestConfig(t *testing.T) {
	s := startLive(t, testOptions(5))
	ev := stream(t, s)
	var cfg configBody
	mustCall(t, s, http.MethodPut, PathConfig, `{"fanout": 3, "mode": "pull", "loss": 0.25, "interval": "30ms"}`, &cfg)
	if *cfg.Fanout != 3 || cfg.Mode.String() != "pull" || *cfg.Loss != 0.25 || time.Duration(*cfg.Interval) != 30*time.Millisecond {
		t.Fatalf("config answered %+v", cfg)
	}
	until(t, ev, "the config event", func(e sse) bool { return e.name == evConfig })
	st := state(t, s)
	if b, _ := json.Marshal(st.Config); string(b) != `{"fanout":3,"mode":"pull","loss":0.25,"interval":"30ms","topology":{"kind":"complete"}}` {
		t.Errorf("state's config %s", b)
	}
	// Pull with loss still spreads, and the gossip now has requests and answers.
	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "pulled"}, &sent)
	kinds := map[string]bool{}
	until(t, ev, "the pulled message everywhere", func(e sse) bool {
		if e.name == evGossip {
			var g gossipEvent
			json.Unmarshal(e.data, &g)
			kinds[g.Kind] = true
		}
		return fullySpread(t, sent.ID)(e)
	})
	if !kinds["request"] || !kinds["answer"] || kinds["push"] {
		t.Errorf("gossip kinds under pull: %v", kinds)
	}
	for _, bad := range []string{`{"fanout": 0}`, `{"fanout": 5}`, `{"mode": "shout"}`, `{"loss": 2}`,
		`{"interval": "0s"}`, `{"interval": 5}`, `{"fan_out": 2}`, `{"fanout": 2} x`, `[]`,
		`{"topology": {"kind": "ring", "degree": 2}}`, `{"topology": {"kind": "complete", "degree": 2}}`, `{"topology": {"kind": "file"}}`} {
		if code := call(t, s, http.MethodPut, PathConfig, bad, nil); code != http.StatusBadRequest {
			t.Errorf("config %s: %d, want 400", bad, code)
		}
	}
	if st := state(t, s); *st.Config.Fanout != 3 {
		t.Errorf("a refused config changed the fanout to %d", *st.Config.Fanout)
	}
}

// Bad requests get a 4xx with a JSON error, and the server goes on.
func TestBadRequests(t *testing.T) {
	s := startLive(t, testOptions(3))
	big := `{"data": "` + strings.Repeat("a", 2<<20) + `"}`
	for _, c := range []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodPost, PathMessages, `{"data": ""}`, 400},
		{http.MethodPost, PathMessages, `{"data": "x", "node": 3}`, 400},
		{http.MethodPost, PathMessages, `{"data": "x", "node": -1}`, 400},
		{http.MethodPost, PathMessages, `{"data": 5}`, 400},
		{http.MethodPost, PathMessages, `{"data": "x", "extra": 1}`, 400},
		{http.MethodPost, PathMessages, `not json`, 400},
		{http.MethodPost, PathMessages, big, 413},
		{http.MethodGet, PathMessages, nil, 405},
		{http.MethodPost, PathState, nil, 405},
		{http.MethodPost, "/api/nodes/3/crash", nil, 404},
		{http.MethodPost, "/api/nodes/x/restart", nil, 404},
		{http.MethodPost, "/api/nodes/0/explode", nil, 404},
		{http.MethodGet, "/api/nothing", nil, 404},
		{http.MethodGet, "/nothing.html", nil, 404},
	} {
		if code := call(t, s, c.method, c.path, c.body, nil); code != c.want {
			t.Errorf("%s %s %.40v: %d, want %d", c.method, c.path, c.body, code, c.want)
		}
	}
	// A body not declared JSON: what a page can send without asking.
	resp, err := http.Post(strings.TrimSuffix(s.URL(), "/")+PathMessages, "text/plain", strings.NewReader(`{"data":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain message: %s, want 415", resp.Status)
	}
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "still working"}, nil)
	if st := state(t, s); len(st.Messages) != 1 {
		t.Errorf("after the bad requests: %d messages, want the 1 good one", len(st.Messages))
	}
}

// A web page on another origin cannot drive the cluster, and a request
// naming another host (DNS rebinding) is refused, by the nodes' guard.
func TestCrossOriginAndForeignHost(t *testing.T) {
	s := startLive(t, testOptions(3))
	url := strings.TrimSuffix(s.URL(), "/")
	do := func(method, path string, set func(*http.Request)) int {
		req, _ := http.NewRequestWithContext(t.Context(), method, url+path, strings.NewReader(`{"data":"evil"}`))
		req.Header.Set("Content-Type", "application/json")
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	crossSite := func(r *http.Request) {
		r.Header.Set("Origin", "http://evil.example")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	for _, path := range []string{PathMessages, PathReset, "/api/nodes/0/crash"} {
		if code := do(http.MethodPost, path, crossSite); code != http.StatusForbidden {
			t.Errorf("cross-origin POST %s: %d, want 403", path, code)
		}
	}
	if code := do(http.MethodGet, PathState, func(r *http.Request) { r.Host = "evil.example:" + strings.Split(url, ":")[2] }); code != http.StatusForbidden {
		t.Errorf("GET with a foreign Host: %d, want 403", code)
	}
	if code := do(http.MethodPost, PathMessages, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-origin") }); code != http.StatusOK {
		t.Errorf("same-origin POST: %d, want 200", code)
	}
	if st := state(t, s); len(st.Messages) != 1 || !st.Nodes[0].Alive {
		t.Errorf("the refused requests changed the state: %+v", st)
	}
}

// Live refuses to listen beyond this machine: its API has no token.
func TestListenLoopbackOnly(t *testing.T) {
	o := testOptions(3)
	o.Listen = "0.0.0.0:0"
	if _, err := Start(t.Context(), o); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("listen 0.0.0.0: %v, want refused", err)
	}
}

// One process per node: a message spreads, a crashed node's process goes
// and a restart starts a new one, and stopping leaves no process behind.
func TestProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	checkNoLeaks(t)
	t.Setenv(childEnv, "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(4)
	o.Processes, o.NodeCommand = true, []string{exe}
	s := startLive(t, o)
	ev := stream(t, s)
	mustCall(t, s, http.MethodPost, "/api/nodes/1/crash", nil, nil)
	mustCall(t, s, http.MethodPost, "/api/nodes/1/restart", nil, nil)
	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "across processes"}, &sent)
	until(t, ev, "the message at every node", fullySpread(t, sent.ID))
	s.Close()
	if code := children(t); code != 0 {
		t.Errorf("%d node processes left after Close", code)
	}
}
