package node

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

const (
	get  = http.MethodGet
	post = http.MethodPost
	put  = http.MethodPut
)

// ---------------------------------------------------------------------------
// 1. API basics

func TestAPIBasics(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	c := newClient(t)

	var first, again DataResponse
	c.json(post, n.URL()+PathData, DataRequest{Data: "hello"}, &first)
	if first.ID != MessageID("hello") || !first.New {
		t.Fatalf("first POST /data = %+v, want id %s, new", first, MessageID("hello"))
	}
	c.json(post, n.URL()+PathData, DataRequest{Data: "hello"}, &again)
	if again.ID != first.ID || again.New {
		t.Fatalf("second POST /data = %+v, want id %s, not new", again, first.ID)
	}

	s := c.state(n)
	if s.Node != 0 || s.Count != 1 || len(s.Messages) != 1 {
		t.Fatalf("state = %+v, want node 0 with one message", s)
	}
	if m := s.Messages[0]; m.ID != MessageID("hello") || m.Data != "hello" || m.Round != 0 || m.At.IsZero() {
		t.Fatalf("state message = %+v", m)
	}

	ev := c.events(n, 100)
	if len(ev) == 0 || ev[0].Kind != "injected" || ev[0].What != "data" || ev[0].Peer != -1 || ev[0].Info != first.ID {
		t.Fatalf("log = %+v, want an injected event for %s first", ev, first.ID)
	}

	for _, d := range []string{"a", "b", "c"} {
		c.json(post, n.URL()+PathData, DataRequest{Data: d}, nil)
	}
	ev = c.events(n, 2)
	if len(ev) != 2 || ev[0].Info != MessageID("c") || ev[1].Info != MessageID("b") {
		t.Fatalf("log?limit=2 = %+v, want c then b (newest first)", ev)
	}
	var all []Event
	c.json(get, n.URL()+PathLog, nil, &all) // default limit
	if len(all) < 4 || all[0].Info != MessageID("c") {
		t.Fatalf("log without limit = %+v", all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Fatalf("log not newest first at %d: %+v", i, all)
		}
	}

	for _, q := range []string{"abc", "0", "-3", "1.5", "99999999999999999999999", ""} {
		t.Run("limit="+q, func(t *testing.T) {
			r := c.do(get, n.URL()+PathLog+"?limit="+q, nil)
			if q == "" { // empty means the default
				if r.code != http.StatusOK {
					t.Fatalf("limit=: %d %s", r.code, r.body)
				}
				return
			}
			wantError(t, r, http.StatusBadRequest)
		})
	}
}

// wantError checks a 4xx answer: its code and its JSON {"error": ...} body.
func wantError(t *testing.T, r response, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("status %d, want %d; body %s", r.code, code, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var e ErrorResponse
	dec := json.NewDecoder(strings.NewReader(string(r.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error == "" {
		t.Fatalf("body %q is not {\"error\": ...}: %v", r.body, err)
	}
}

// ---------------------------------------------------------------------------
// 2. Bad requests

func TestBadRequests(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	c := newClient(t)
	u := n.URL()
	big := `{"data":"` + strings.Repeat("x", maxBody+10) + `"}`
	msg := Message{ID: MessageID("m"), Data: "m"}
	okConfig := func(edit func(*Config)) Config {
		cfg := Config{ID: 0, Peers: []string{u, "http://127.0.0.1:1"}, Mode: "push", Fanout: 1}
		edit(&cfg)
		return cfg
	}

	tests := []struct {
		name         string
		method, path string
		body         any
		code         int
	}{
		{"malformed JSON", post, PathData, `{"data":`, 400},
		{"not JSON", post, PathData, `data=x`, 400},
		{"wrong type", post, PathData, `{"data":5}`, 400},
		{"unknown field", post, PathData, `{"data":"x","extra":1}`, 400},
		{"two JSON values", post, PathData, `{"data":"a"} {"data":"b"}`, 400},
		{"trailing garbage", post, PathData, `{"data":"a"} x`, 400},
		{"empty data", post, PathData, `{"data":""}`, 400},
		{"missing data", post, PathData, `{}`, 400},
		{"null body", post, PathData, `null`, 400},
		{"no body", post, PathData, nil, 400},
		{"data over MaxMessageSize", post, PathData, DataRequest{Data: strings.Repeat("y", MaxMessageSize+1)}, 400},
		{"data body over 1 MiB", post, PathData, big, 413},
		{"gossip body over 1 MiB", post, PathGossip, `{"kind":"push","messages":[{"id":"x","data":"` + strings.Repeat("x", maxBody) + `"}]}`, 413},
		{"unknown path", get, "/nope", nil, 404},
		{"unknown control path", post, "/control/nope", `{}`, 404},
		{"gossip unknown kind", post, PathGossip, GossipRequest{From: 1, Kind: "shout", Messages: []Message{msg}}, 400},
		{"gossip no kind", post, PathGossip, `{"from":1}`, 400},
		{"gossip id does not match data", post, PathGossip, GossipRequest{From: 1, Round: 1, Kind: KindPush,
			Messages: []Message{{ID: MessageID("other"), Data: "m"}}}, 400},
		{"gossip unknown field", post, PathGossip, `{"kind":"push","evil":true}`, 400},
		{"round 0", post, PathRound, RoundRequest{Round: 0}, 400},
		{"round -1", post, PathRound, RoundRequest{Round: -1}, 400},
		{"start interval 0", post, PathStart, StartRequest{Interval: 0}, 400},
		{"start interval 1ns", post, PathStart, StartRequest{Interval: 1}, 400},
		{"start negative interval", post, PathStart, `{"interval":"-1s"}`, 400},
		{"start jitter 1", post, PathStart, StartRequest{Interval: Duration(time.Second), Jitter: 1}, 400},
		{"start interval not text", post, PathStart, `{"interval":50}`, 400},
		{"crash negative", post, PathCrash, `{"for":"-1s"}`, 400},
		{"crash bad duration", post, PathCrash, `{"for":"soon"}`, 400},
		{"config fanout 0", put, PathConfig, okConfig(func(c *Config) { c.Fanout = 0 }), 400},
		{"config fanout over peers-1", put, PathConfig, okConfig(func(c *Config) { c.Fanout = 2 }), 400},
		{"config unknown mode", put, PathConfig, okConfig(func(c *Config) { c.Mode = "shout" }), 400},
		{"config no mode", put, PathConfig, okConfig(func(c *Config) { c.Mode = "" }), 400},
		{"config loss 2", put, PathConfig, okConfig(func(c *Config) { c.Loss = 2 }), 400},
		{"config loss -0.1", put, PathConfig, okConfig(func(c *Config) { c.Loss = -0.1 }), 400},
		{"config id out of range", put, PathConfig, okConfig(func(c *Config) { c.ID = 2 }), 400},
		{"config negative latency", put, PathConfig, okConfig(func(c *Config) { c.Latency = Duration(-time.Millisecond) }), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, c.do(tt.method, u+tt.path, tt.body), tt.code)
			c.json(get, u+PathState, nil, &State{}) // still serving
		})
	}

	// Wrong method on every endpoint: 405 with Allow.
	endpoints := map[string]string{
		PathData: post, PathState: get, PathLog: get, PathMetrics: get, PathGossip: post,
		PathConfig: put, PathRound: post, PathReset: post, PathCrash: post, PathStart: post, PathStop: post,
	}
	for path, allowed := range endpoints {
		for _, m := range []string{get, post, put, http.MethodDelete, http.MethodPatch} {
			if m == allowed {
				continue
			}
			t.Run(m+" "+path, func(t *testing.T) {
				r := c.do(m, u+path, nil)
				wantError(t, r, http.StatusMethodNotAllowed)
				if got := r.header.Get("Allow"); got != allowed {
					t.Errorf("Allow = %q, want %q", got, allowed)
				}
				c.json(get, u+PathState, nil, &State{})
			})
		}
	}

	// Nothing above changed the node: no message, the config untouched,
	// not crashed, not running.
	if s := c.state(n); s.Count != 0 {
		t.Errorf("bad requests left %d messages", s.Count)
	}
	if refused(n) {
		t.Errorf("node stopped serving")
	}
	// And good requests still work.
	c.json(put, u+PathConfig, okConfig(func(*Config) {}), nil)
	c.json(post, u+PathData, DataRequest{Data: "fine"}, nil)
}

// ---------------------------------------------------------------------------
// 3. Bounded growth

func TestEventLogBounded(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{LogSize: 5})[0]
	c := newClient(t)
	for i := range 50 {
		c.json(post, n.URL()+PathData, DataRequest{Data: fmt.Sprint("event-", i)}, nil)
	}
	ev := c.events(n, 1000)
	if len(ev) != 5 {
		t.Fatalf("log holds %d events, want LogSize 5", len(ev))
	}
	for i, e := range ev {
		if want := MessageID(fmt.Sprint("event-", 49-i)); e.Info != want {
			t.Errorf("event %d = %+v, want the injection of event-%d", i, e, 49-i)
		}
	}
	// The messages themselves are all kept.
	if s := c.state(n); s.Count != 50 {
		t.Errorf("count %d, want 50", s.Count)
	}
	// Reset empties the log and the state.
	c.json(post, n.URL()+PathReset, nil, nil)
	if ev := c.events(n, 1000); len(ev) != 0 {
		t.Errorf("after reset the log holds %+v", ev)
	}
	if s := c.state(n); s.Count != 0 || s.Round != 0 {
		t.Errorf("after reset state = %+v", s)
	}
}

func TestMaxMessages(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{LogSize: 10})[0]
	c := newClient(t)
	for i := range MaxMessages - 1 {
		if _, err := n.Inject(fmt.Sprint("m", i)); err != nil {
			t.Fatalf("inject %d: %v", i, err)
		}
	}
	var resp DataResponse
	c.json(post, n.URL()+PathData, DataRequest{Data: "last"}, &resp) // the MaxMessages-th
	if !resp.New {
		t.Fatalf("message %d not new: %+v", MaxMessages, resp)
	}
	wantError(t, c.do(post, n.URL()+PathData, DataRequest{Data: "one too many"}), http.StatusInsufficientStorage)
	// Known data is still accepted (not new), and gossip cannot add either.
	c.json(post, n.URL()+PathData, DataRequest{Data: "m0"}, &resp)
	if resp.New {
		t.Errorf("known data reported new")
	}
	var gr GossipResponse
	c.json(post, n.URL()+PathGossip, GossipRequest{From: 1, Round: 1, Kind: KindPush,
		Messages: []Message{{ID: MessageID("pushed"), Data: "pushed"}}}, &gr)
	if gr.New != 0 {
		t.Errorf("push to a full node: %+v", gr)
	}
	if _, err := n.Inject("direct"); err == nil {
		t.Errorf("Inject into a full node succeeded")
	}
	if s := n.State(); s.Count != MaxMessages {
		t.Errorf("count %d, want %d", s.Count, MaxMessages)
	}
	if got := c.scrape(n).get(t, MetricKnown); got != MaxMessages {
		t.Errorf("%s = %v, want %d", MetricKnown, got, MaxMessages)
	}
}

// ---------------------------------------------------------------------------
// 4. Round semantics over real HTTP

type edge = [4]int32

func sortedEdges(e [][4]int32) [][4]int32 {
	out := slices.Clone(e)
	slices.SortFunc(out, func(a, b edge) int {
		for i := range a {
			if a[i] != b[i] {
				return int(a[i] - b[i])
			}
		}
		return 0
	})
	return out
}

func ed(from, to int32, k engine.MessageKind, o engine.Outcome) edge {
	return edge{from, to, int32(k), int32(o)}
}

// checkReport compares the counts of a round report (not bytes, not edges)
// and the invariants every report keeps.
func checkReport(t *testing.T, got, want RoundReport) {
	t.Helper()
	type counts struct{ Round, Sent, Delivered, Lost, Failed, Useful, Redundant int }
	g := counts{got.Round, got.Sent, got.Delivered, got.Lost, got.Failed, got.Useful, got.Redundant}
	w := counts{want.Round, want.Sent, want.Delivered, want.Lost, want.Failed, want.Useful, want.Redundant}
	if g != w {
		t.Errorf("report %+v\nwant   %+v", g, w)
	}
	if got.Sent != got.Delivered+got.Lost+got.Failed || got.Delivered != got.Useful+got.Redundant {
		t.Errorf("report breaks the invariants: %+v", got)
	}
	if got.Edges != nil && len(got.Edges) != got.Sent {
		t.Errorf("report has %d edges for %d messages: %v", len(got.Edges), got.Sent, got.Edges)
	}
	if want.Edges != nil && !slices.Equal(sortedEdges(got.Edges), sortedEdges(want.Edges)) {
		t.Errorf("edges %v\nwant  %v", sortedEdges(got.Edges), sortedEdges(want.Edges))
	}
}

func TestPushRound(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "push", 2, 1)
	c := newClient(t)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "rumor"}, nil)

	rep := nodes[0].RunRound(t.Context(), 1)
	checkReport(t, rep, RoundReport{Round: 1, Sent: 2, Delivered: 2, Useful: 2, Edges: [][4]int32{
		ed(0, 1, engine.KindPush, engine.Useful), ed(0, 2, engine.KindPush, engine.Useful)}})
	if rep.Bytes <= 0 {
		t.Errorf("bytes %d", rep.Bytes)
	}
	for _, n := range nodes[1:] {
		if r, ok := knows(c.state(n), "rumor"); !ok || r != 1 {
			t.Errorf("node %d: knows %v, round %d; want it learned in round 1", n.ID(), ok, r)
		}
	}
	// The receivers logged the push.
	ev := c.events(nodes[1], 10)
	if len(ev) == 0 || ev[0].Kind != "received" || ev[0].What != "push" || ev[0].Peer != 0 || ev[0].Round != 1 {
		t.Errorf("node 1 log = %+v", ev)
	}
	// The same round again only repeats what the peers know.
	checkReport(t, nodes[0].RunRound(t.Context(), 2), RoundReport{Round: 2, Sent: 2, Delivered: 2, Redundant: 2})
}

func TestSnapshotRule(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "push", 2, 1)
	c := newClient(t)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "rumor"}, nil)
	checkReport(t, nodes[0].RunRound(t.Context(), 1), RoundReport{Round: 1, Sent: 2, Delivered: 2, Useful: 2})

	// Node 1 learned the rumor in round 1: it does not push it in round 1
	// (rounds may run in any order), but does in round 2. Over HTTP.
	var rep RoundReport
	c.json(post, nodes[1].URL()+PathRound, RoundRequest{Round: 1}, &rep)
	checkReport(t, rep, RoundReport{Round: 1})
	c.json(post, nodes[1].URL()+PathRound, RoundRequest{Round: 2}, &rep)
	checkReport(t, rep, RoundReport{Round: 2, Sent: 2, Delivered: 2, Redundant: 2, Edges: [][4]int32{
		ed(1, 0, engine.KindPush, engine.Redundant), ed(1, 2, engine.KindPush, engine.Redundant)}})
	if s := c.state(nodes[1]); s.Round != 2 {
		t.Errorf("node 1 state round %d, want 2", s.Round)
	}

	// A node that learns something in round 2 from a push that carries it
	// does not forward it in round 2 either.
	var gr GossipResponse
	c.json(post, nodes[2].URL()+PathGossip, GossipRequest{From: 0, Round: 2, Kind: KindPush,
		Messages: []Message{{ID: MessageID("late"), Data: "late"}}}, &gr)
	if gr.New != 1 {
		t.Fatalf("push of a new message: %+v", gr)
	}
	rep = nodes[2].RunRound(t.Context(), 2) // pushes only "rumor" (round 1)
	checkReport(t, rep, RoundReport{Round: 2, Sent: 2, Delivered: 2, Redundant: 2})
	for _, n := range nodes[:2] {
		if _, ok := knows(c.state(n), "late"); ok {
			t.Errorf("node %d learned in round 2 what node 2 only knew from round 2", n.ID())
		}
	}
	checkReport(t, nodes[2].RunRound(t.Context(), 3), RoundReport{Round: 3, Sent: 2, Delivered: 2, Useful: 2})
}

func TestPullRound(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "pull", 2, 1)
	c := newClient(t)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "rumor"}, nil)

	// Node 1 asks 0 and 2: node 0's answer teaches it the rumor. Requests
	// carry nothing, so they count as redundant.
	checkReport(t, nodes[1].RunRound(t.Context(), 1), RoundReport{Round: 1, Sent: 4, Delivered: 4, Useful: 1, Redundant: 3,
		Edges: [][4]int32{
			ed(1, 0, engine.KindRequest, engine.Redundant), ed(0, 1, engine.KindAnswer, engine.Useful),
			ed(1, 2, engine.KindRequest, engine.Redundant), ed(2, 1, engine.KindAnswer, engine.Redundant)}})
	if r, ok := knows(c.state(nodes[1]), "rumor"); !ok || r != 1 {
		t.Fatalf("node 1 knows %v round %d", ok, r)
	}

	// Asked directly: node 1's answer in round 1 carries only what it knew
	// before round 1 (nothing); in round 2 it carries the rumor; a
	// free-running request (round 0) gets everything.
	for _, tt := range []struct{ round, want int }{{1, 0}, {2, 1}, {0, 1}} {
		var gr GossipResponse
		c.json(post, nodes[1].URL()+PathGossip, GossipRequest{From: 2, Round: tt.round, Kind: KindRequest}, &gr)
		if len(gr.Messages) != tt.want || gr.New != 0 {
			t.Errorf("round %d answer %+v, want %d messages", tt.round, gr, tt.want)
		}
	}
	// An asker that already has it gets nothing.
	var gr GossipResponse
	c.json(post, nodes[1].URL()+PathGossip, GossipRequest{From: 2, Round: 2, Kind: KindRequest,
		Digest: []string{MessageID("rumor")}}, &gr)
	if len(gr.Messages) != 0 {
		t.Errorf("answer to an asker that has everything: %+v", gr)
	}

	// With node 0 down, node 2 can only ask node 1: nothing in round 1,
	// the rumor in round 2.
	nodes[0].Crash(0)
	checkReport(t, nodes[2].RunRound(t.Context(), 1), RoundReport{Round: 1, Sent: 3, Delivered: 2, Failed: 1, Redundant: 2,
		Edges: [][4]int32{
			ed(2, 0, engine.KindRequest, engine.Failed),
			ed(2, 1, engine.KindRequest, engine.Redundant), ed(1, 2, engine.KindAnswer, engine.Redundant)}})
	if _, ok := knows(c.state(nodes[2]), "rumor"); ok {
		t.Fatalf("node 2 learned in round 1 what node 1 learned in round 1")
	}
	checkReport(t, nodes[2].RunRound(t.Context(), 2), RoundReport{Round: 2, Sent: 3, Delivered: 2, Failed: 1, Useful: 1, Redundant: 1})
	if r, ok := knows(c.state(nodes[2]), "rumor"); !ok || r != 2 {
		t.Errorf("node 2 knows %v round %d, want round 2", ok, r)
	}
	if err := nodes[0].Recover(); err != nil {
		t.Fatal(err)
	}
}

func TestPushPullRound(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "pushpull", 2, 1)
	c := newClient(t)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "m0"}, nil)
	c.json(post, nodes[1].URL()+PathData, DataRequest{Data: "m1"}, nil)

	// Node 0 exchanges with 1 and 2: its request teaches both m0; node 1's
	// answer teaches it m1; node 2's answer is empty.
	rep := nodes[0].RunRound(t.Context(), 1)
	checkReport(t, rep, RoundReport{Round: 1, Sent: 4, Delivered: 4, Useful: 3, Redundant: 1, Edges: [][4]int32{
		ed(0, 1, engine.KindRequest, engine.Useful), ed(1, 0, engine.KindAnswer, engine.Useful),
		ed(0, 2, engine.KindRequest, engine.Useful), ed(2, 0, engine.KindAnswer, engine.Redundant)}})
	want := map[int][]string{0: {"m0", "m1"}, 1: {"m0", "m1"}, 2: {"m0"}}
	for i, n := range nodes {
		s := c.state(n)
		var got []string
		for _, m := range s.Messages {
			got = append(got, m.Data)
		}
		slices.Sort(got)
		if !slices.Equal(got, want[i]) {
			t.Errorf("node %d knows %v, want %v (the request carries the start-of-round snapshot)", i, got, want[i])
		}
	}

	// Node 2 now runs round 1: its request carries nothing it knew before
	// round 1; node 0 answers with m0 only (m1 came in round 1), node 1 with
	// m1 only (m0 came in round 1).
	rep = nodes[2].RunRound(t.Context(), 1)
	checkReport(t, rep, RoundReport{Round: 1, Sent: 4, Delivered: 4, Useful: 1, Redundant: 3, Edges: [][4]int32{
		ed(2, 0, engine.KindRequest, engine.Redundant), ed(0, 2, engine.KindAnswer, engine.Redundant),
		ed(2, 1, engine.KindRequest, engine.Redundant), ed(1, 2, engine.KindAnswer, engine.Useful)}})
	if r, ok := knows(c.state(nodes[2]), "m1"); !ok || r != 1 {
		t.Errorf("node 2 knows m1 %v round %d", ok, r)
	}
}

// ---------------------------------------------------------------------------
// 5. Loss and crashes

func TestLoss(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "push", 2, 1)
	cfg := Config{ID: 0, Peers: urls(nodes), Mode: "push", Fanout: 2, Loss: 1, RecordEdges: true}
	c := newClient(t)
	c.json(put, nodes[0].URL()+PathConfig, cfg, nil)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "rumor"}, nil)

	rep := nodes[0].RunRound(t.Context(), 1)
	checkReport(t, rep, RoundReport{Round: 1, Sent: 2, Lost: 2, Edges: [][4]int32{
		ed(0, 1, engine.KindPush, engine.Lost), ed(0, 2, engine.KindPush, engine.Lost)}})
	if rep.Bytes != 0 {
		t.Errorf("lost pushes put %d bytes on the wire", rep.Bytes)
	}
	m := c.scrape(nodes[0])
	if got := m.get(t, MetricLost, "kind", "push"); got != 2 {
		t.Errorf("lost pushes = %v, want 2", got)
	}
	if got := m.get(t, MetricSent, "kind", "push"); got != 2 {
		t.Errorf("sent pushes = %v, want 2", got)
	}
	if got := m.get(t, MetricDelivered, "kind", "push"); got != 0 {
		t.Errorf("delivered pushes = %v, want 0", got)
	}
	for _, n := range nodes[1:] {
		if s := c.state(n); s.Count != 0 {
			t.Errorf("node %d got a lost message: %+v", n.ID(), s)
		}
	}

	// Loss 1 in pull mode: requests are lost, so no answer is ever sent.
	cfg.Mode = "pull"
	c.json(put, nodes[0].URL()+PathConfig, cfg, nil)
	checkReport(t, nodes[0].RunRound(t.Context(), 2), RoundReport{Round: 2, Sent: 2, Lost: 2})
	if got := c.scrape(nodes[0]).get(t, MetricSent, "kind", "answer"); got != 0 {
		t.Errorf("%v answers counted to lost requests", got)
	}
}

// TestAnswerLoss finds, by trying seeds, a pull round whose request gets
// through and whose answer is lost, and checks how it is counted.
func TestAnswerLoss(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 2, Options{})
	c := newClient(t)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "rumor"}, nil)
	for seed := uint64(1); seed <= 100; seed++ {
		c.json(post, nodes[1].URL()+PathReset, nil, nil)
		cfg := Config{ID: 1, Peers: urls(nodes), Mode: "pull", Fanout: 1, Loss: 0.5, Seed: seed, RecordEdges: true}
		c.json(put, nodes[1].URL()+PathConfig, cfg, nil)
		before := c.scrape(nodes[1]).get(t, MetricSent, "kind", "answer")
		rep := nodes[1].RunRound(t.Context(), 1)
		if rep.Sent != 2 || rep.Lost != 1 {
			continue // the request was lost, or the answer got through
		}
		checkReport(t, rep, RoundReport{Round: 1, Sent: 2, Delivered: 1, Lost: 1, Redundant: 1, Edges: [][4]int32{
			ed(1, 0, engine.KindRequest, engine.Redundant), ed(0, 1, engine.KindAnswer, engine.Lost)}})
		if s := c.state(nodes[1]); s.Count != 0 {
			t.Errorf("node 1 learned from a lost answer: %+v", s)
		}
		if got := c.scrape(nodes[1]).get(t, MetricLost, "kind", "answer"); got != 1 {
			t.Errorf("node 1 lost answers = %v, want 1", got)
		}
		// The asker counts its whole exchange, the answer included.
		if got := c.scrape(nodes[1]).get(t, MetricSent, "kind", "answer"); got != before+1 {
			t.Errorf("answers sent to node 1 %v -> %v, want one more (node 0 did send it)", before, got)
		}
		return
	}
	t.Fatal("no seed in 1..100 gave a delivered request with a lost answer")
}

func TestCrashAndRecover(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "push", 2, 1)
	c := newClient(t)
	c.json(post, nodes[1].URL()+PathData, DataRequest{Data: "before crash"}, nil)
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "rumor"}, nil)

	nodes[1].Crash(0)
	if !refused(nodes[1]) {
		t.Fatalf("crashed node still accepts TCP connections")
	}
	rep := nodes[0].RunRound(t.Context(), 1)
	checkReport(t, rep, RoundReport{Round: 1, Sent: 2, Delivered: 1, Failed: 1, Useful: 1, Edges: [][4]int32{
		ed(0, 1, engine.KindPush, engine.Failed), ed(0, 2, engine.KindPush, engine.Useful)}})
	m := c.scrape(nodes[0])
	if got := m.get(t, MetricFailed, "kind", "push"); got != 1 {
		t.Errorf("failed pushes = %v, want 1", got)
	}
	if ev := c.events(nodes[0], 10); !slices.ContainsFunc(ev, func(e Event) bool { return e.Kind == "failed" && e.Peer == 1 && e.Info != "" }) {
		t.Errorf("no failed event for peer 1 in %+v", ev)
	}
	// A crashed node is silent in its own rounds.
	checkReport(t, nodes[1].RunRound(t.Context(), 2), RoundReport{Round: 2})

	if err := nodes[1].Recover(); err != nil {
		t.Fatal(err)
	}
	s := c.state(nodes[1])
	if _, ok := knows(s, "before crash"); !ok || s.Count != 1 {
		t.Errorf("state after recovery = %+v, want the message from before the crash only", s)
	}
	kinds := []string{}
	for _, e := range c.events(nodes[1], 10) {
		kinds = append(kinds, e.Kind)
	}
	if len(kinds) < 2 || kinds[0] != "recovered" || kinds[1] != "crashed" {
		t.Errorf("log after recovery: %v", kinds)
	}
	// And it takes part again.
	checkReport(t, nodes[0].RunRound(t.Context(), 2), RoundReport{Round: 2, Sent: 2, Delivered: 2, Useful: 1, Redundant: 1})
	if err := nodes[1].Recover(); err != nil { // recovering a running node does nothing
		t.Errorf("second Recover: %v", err)
	}
}

func TestCrashOverHTTP(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	c := newClient(t)
	c.json(post, n.URL()+PathData, DataRequest{Data: "kept"}, nil)
	start := time.Now()
	c.json(post, n.URL()+PathCrash, CrashRequest{For: Duration(200 * time.Millisecond)}, nil)
	if !eventually(time.Second, func() bool { return refused(n) }) {
		t.Fatalf("node still accepts connections after POST /control/crash")
	}
	if !eventually(2*time.Second, func() bool { return !refused(n) }) {
		t.Fatalf("node did not come back within 2s")
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("node came back after %v, before its 200ms crash ended", d)
	}
	var s State
	if !eventually(time.Second, func() bool {
		r, err := c.try(get, n.URL()+PathState, nil)
		return err == nil && r.code == 200 && json.Unmarshal(r.body, &s) == nil
	}) {
		t.Fatalf("GET /state fails after recovery")
	}
	if _, ok := knows(s, "kept"); !ok {
		t.Errorf("state lost in the crash: %+v", s)
	}
}

// ---------------------------------------------------------------------------
// 6. Metrics

func TestMetrics(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "pushpull", 2, 1)
	c := newClient(t)

	r := c.do(get, nodes[0].URL()+PathMetrics, nil)
	if r.code != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %q", r.code, r.header.Get("Content-Type"))
	}
	m := c.scrape(nodes[0])
	for _, name := range []string{MetricSent, MetricDelivered, MetricLost, MetricFailed} {
		for _, k := range []string{LabelPush, LabelRequest, LabelAnswer} {
			if got := m.get(t, name, "kind", k, "node", "0"); got != 0 {
				t.Errorf("%s{kind=%s} starts at %v", name, k, got)
			}
		}
	}
	for _, name := range []string{MetricKnown, MetricRounds} {
		if got := m.get(t, name); got != 0 {
			t.Errorf("%s starts at %v", name, got)
		}
	}

	// The exchange of TestPushPullRound: node 0 knows m0, node 1 knows m1.
	c.json(post, nodes[0].URL()+PathData, DataRequest{Data: "m0"}, nil)
	c.json(post, nodes[1].URL()+PathData, DataRequest{Data: "m1"}, nil)
	rep := nodes[0].RunRound(t.Context(), 1)

	type series struct {
		name string
		kv   []string
		want float64
	}
	// Node 0 counts its whole exchanges: requests to 1 and 2 (both taught
	// them m0), 1's answer (m1, useful) and 2's (empty, redundant). The
	// peers count nothing of them.
	want := map[int][]series{
		0: {
			{MetricSent, []string{"kind", "request"}, 2}, {MetricSent, []string{"kind", "push"}, 0},
			{MetricSent, []string{"kind", "answer"}, 2},
			{MetricDelivered, []string{"kind", "answer"}, 2}, {MetricDelivered, []string{"kind", "request"}, 2},
			{MetricDeliveries, []string{"result", "useful"}, 3}, {MetricDeliveries, []string{"result", "redundant"}, 1},
			{MetricLost, []string{"kind", "request"}, 0}, {MetricFailed, []string{"kind", "request"}, 0},
			{MetricKnown, nil, 2}, {MetricRounds, nil, 1},
			{MetricLatency + "_count", []string{"kind", "request"}, 2},
			{MetricBytes, []string{"direction", "sent"}, -1}, {MetricBytes, []string{"direction", "received"}, -1},
		},
		1: {
			{MetricDelivered, []string{"kind", "request"}, 0}, {MetricSent, []string{"kind", "answer"}, 0},
			{MetricSent, []string{"kind", "request"}, 0},
			{MetricDeliveries, []string{"result", "useful"}, 0}, {MetricDeliveries, []string{"result", "redundant"}, 0},
			{MetricKnown, nil, 2}, {MetricRounds, nil, 0},
		},
		2: {
			{MetricDelivered, []string{"kind", "request"}, 0}, {MetricSent, []string{"kind", "answer"}, 0},
			{MetricDeliveries, []string{"result", "useful"}, 0},
			{MetricKnown, nil, 1}, {MetricRounds, nil, 0},
		},
	}
	for i, ss := range want {
		m := c.scrape(nodes[i])
		for _, s := range ss {
			got := m.get(t, s.name, append(s.kv, "node", fmt.Sprint(i))...)
			if s.want < 0 { // just positive
				if got <= 0 {
					t.Errorf("node %d %s%v = %v, want > 0", i, s.name, s.kv, got)
				}
				continue
			}
			if got != s.want {
				t.Errorf("node %d %s%v = %v, want %v", i, s.name, s.kv, got, s.want)
			}
		}
	}
	m0 := c.scrape(nodes[0])
	if got := m0.get(t, MetricBytes, "direction", "sent") + m0.get(t, MetricBytes, "direction", "received"); got != float64(rep.Bytes) {
		t.Errorf("bytes metric %v, report %d", got, rep.Bytes)
	}

	// Separate registries: a push on node 0 moves node 0's counter only.
	if nodes[0].Registry() == nodes[1].Registry() {
		t.Fatal("two nodes share a registry")
	}
	wire(t, nodes, "push", 2, 1)
	before1 := c.scrape(nodes[1]).get(t, MetricSent, "kind", "push")
	nodes[0].RunRound(t.Context(), 2)
	if got := c.scrape(nodes[0]).get(t, MetricSent, "kind", "push"); got != 2 {
		t.Errorf("node 0 sent pushes = %v, want 2", got)
	}
	if got := c.scrape(nodes[1]).get(t, MetricSent, "kind", "push"); got != before1 {
		t.Errorf("node 1 sent pushes moved from %v to %v with node 0's push", before1, got)
	}
	// Reset keeps the counters (they are Prometheus counters) but zeroes the
	// known gauge.
	c.json(post, nodes[0].URL()+PathReset, nil, nil)
	m0 = c.scrape(nodes[0])
	if m0.get(t, MetricSent, "kind", "push") != 2 || m0.get(t, MetricKnown) != 0 {
		t.Errorf("after reset: sent push %v, known %v", m0.get(t, MetricSent, "kind", "push"), m0.get(t, MetricKnown))
	}
}

// ---------------------------------------------------------------------------
// 7. Free running

func TestFreeRunning(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 5, Options{})
	wire(t, nodes, "pushpull", 1, 7)
	c := newClient(t)
	c.json(post, nodes[3].URL()+PathData, DataRequest{Data: "rumor"}, nil)
	for i, n := range nodes {
		if i%2 == 0 {
			n.Start(20*time.Millisecond, 0.1)
		} else {
			c.json(post, n.URL()+PathStart, StartRequest{Interval: Duration(20 * time.Millisecond), Jitter: 0.1}, nil)
		}
	}
	all := eventually(2*time.Second, func() bool {
		for _, n := range nodes {
			if _, ok := knows(n.State(), "rumor"); !ok {
				return false
			}
		}
		return true
	})
	if !all {
		t.Errorf("not every node knows the rumor after 2s")
	}
	for i, n := range nodes {
		var ok bool
		if i%2 == 0 {
			ok = withTimeout(5*time.Second, n.Stop)
		} else {
			ok = withTimeout(5*time.Second, func() { c.json(post, n.URL()+PathStop, nil, nil) })
		}
		if !ok {
			t.Fatalf("node %d: Stop did not return", i)
		}
	}
	rounds := func() []float64 {
		var out []float64
		for _, n := range nodes {
			out = append(out, c.scrape(n).get(t, MetricRounds))
		}
		return out
	}
	before := rounds()
	for i, r := range before {
		if r < 1 {
			t.Errorf("node %d ran no round", i)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if after := rounds(); !slices.Equal(before, after) {
		t.Errorf("rounds went on after Stop: %v -> %v", before, after)
	}
	for _, n := range nodes {
		n.Stop() // stopping a stopped node is fine
	}
}

// ---------------------------------------------------------------------------
// 8. Concurrency

func TestConcurrentRequests(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{LogSize: 50})
	wire(t, nodes, "push", 2, 1)
	c := newClient(t)
	const workers, requests = 8, 200
	target := nodes[0]

	var wg sync.WaitGroup
	errs := make(chan error, workers*requests)
	for w := range workers {
		wg.Go(func() {
			for i := range requests {
				var r response
				var err error
				data := fmt.Sprintf("w%d-%d", w, i)
				switch i % 5 {
				case 0, 1:
					r, err = c.try(post, target.URL()+PathData, DataRequest{Data: data})
				case 2:
					r, err = c.try(post, target.URL()+PathGossip, GossipRequest{From: 1, Round: i, Kind: KindPush,
						Messages: []Message{{ID: MessageID(data), Data: data}}})
				case 3:
					r, err = c.try(get, target.URL()+PathState, nil)
				case 4:
					r, err = c.try(get, target.URL()+PathLog+"?limit=20", nil)
				}
				if err == nil && r.code != http.StatusOK {
					err = fmt.Errorf("%d %s", r.code, r.body)
				}
				if err != nil {
					errs <- fmt.Errorf("worker %d request %d: %w", w, i, err)
				}
			}
		})
	}
	// Rounds, pulls and scrapes at the same time.
	stop := make(chan struct{})
	var side sync.WaitGroup
	side.Go(func() {
		for r := 1; ; r++ {
			select {
			case <-stop:
				return
			default:
			}
			target.RunRound(t.Context(), r)
			if r%4 == 0 {
				nodes[1].RunRound(t.Context(), r)
			}
		}
	})
	side.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := c.try(get, target.URL()+PathMetrics, nil); err != nil {
				errs <- err
			}
			if _, err := c.try(post, target.URL()+PathGossip, GossipRequest{From: 2, Kind: KindRequest}); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(stop)
	side.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every posted or gossiped message arrived once.
	want := workers * requests * 3 / 5
	if s := c.state(target); s.Count != want {
		t.Errorf("node 0 holds %d messages, want %d", s.Count, want)
	}
	if got := c.scrape(target).get(t, MetricKnown); got != float64(want) {
		t.Errorf("%s = %v, want %d", MetricKnown, got, want)
	}
	if ev := c.events(target, 1000); len(ev) != 50 {
		t.Errorf("log holds %d events, want 50", len(ev))
	}
}

// ---------------------------------------------------------------------------
// Odds and ends

func TestDurationJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{{`"50ms"`, 50 * time.Millisecond, true}, {`"1h2m"`, time.Hour + 2*time.Minute, true}, {`"0s"`, 0, true},
		{`50`, 0, false}, {`"fast"`, 0, false}, {`null`, 0, false}} {
		var d Duration
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err == nil) != tt.ok || tt.ok && time.Duration(d) != tt.want {
			t.Errorf("%s -> %v, %v", tt.in, time.Duration(d), err)
		}
	}
	b, err := json.Marshal(Duration(1500 * time.Millisecond))
	if err != nil || string(b) != `"1.5s"` {
		t.Errorf("marshal = %s, %v", b, err)
	}
}

func TestConfigure(t *testing.T) {
	n := New(Options{ID: 1})
	defer n.Close()
	peers := []string{"http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3"}
	for _, tt := range []struct {
		name string
		c    Config
		ok   bool
	}{
		{"push", Config{ID: 1, Peers: peers, Mode: "push", Fanout: 2}, true},
		{"push-pull spelling", Config{ID: 1, Peers: peers, Mode: "push-pull", Fanout: 1}, true},
		{"loss 1", Config{ID: 1, Peers: peers, Mode: "pull", Fanout: 1, Loss: 1}, true},
		{"no peers", Config{ID: 0, Mode: "pull", Fanout: 1}, true},
		{"fanout 3 of 2", Config{ID: 1, Peers: peers, Mode: "push", Fanout: 3}, false},
		{"negative id", Config{ID: -1, Peers: peers, Mode: "push", Fanout: 1}, false},
		{"NaN loss", Config{ID: 1, Peers: peers, Mode: "push", Fanout: 1, Loss: nan()}, false},
	} {
		if err := n.Configure(tt.c); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func nan() float64 { var z float64; return z / z }

func TestServe(t *testing.T) {
	checkLeaks(t)
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, Options{ID: 4}, "127.0.0.1:0", pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var id int
	var url string
	if _, err := fmt.Sscanf(line, "gossipbench node %d listening on %s", &id, &url); err != nil || id != 4 ||
		!strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("ready line %q: %v", line, err)
	}
	c := newClient(t)
	var s State
	c.json(get, url+PathState, nil, &s)
	if s.Node != 4 {
		t.Errorf("state node %d, want 4", s.Node)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := c.try(get, url+PathState, nil); err == nil {
		t.Errorf("node still serving after Serve returned")
	}
	if err := Serve(t.Context(), Options{}, "256.0.0.1:0", io.Discard); err == nil {
		t.Errorf("Serve on a bad address succeeded")
	}
}

func TestExitOnCrash(t *testing.T) {
	checkLeaks(t)
	exited := make(chan struct{}, 2)
	n := startNodes(t, 1, Options{ExitOnCrash: func() { exited <- struct{}{} }})[0]
	newClient(t).state(n)          // serving (see TestBugCrashRightAfterListen)
	n.Crash(50 * time.Millisecond) // comes back: no exit
	if !refused(n) {
		t.Fatal("crashed node accepts connections")
	}
	if !eventually(2*time.Second, func() bool { return !refused(n) }) {
		t.Fatal("node did not come back")
	}
	select {
	case <-exited:
		t.Fatal("ExitOnCrash called for a timed crash")
	default:
	}
	n.Crash(0)
	select {
	case <-exited:
	case <-time.After(time.Second):
		t.Fatal("ExitOnCrash not called for a crash for good")
	}
}
