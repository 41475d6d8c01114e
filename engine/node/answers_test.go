package node

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A round whose exchanges outlast the server's write limit (a hung peer,
// waited out for the exchange timeout) still gets its answer to the
// harness: before, the server cut the connection and the harness saw EOF.
func TestLongRoundIsAnswered(t *testing.T) {
	defer func(d time.Duration) { writeTimeout = d }(writeTimeout)
	writeTimeout = 100 * time.Millisecond
	checkLeaks(t)
	nodes := startNodes(t, 2, Options{})
	peers := urls(nodes)
	for i, n := range nodes {
		// The exchange timeout is 3x the write limit, so the round answers
		// after the limit has passed.
		c := Config{ID: i, Peers: peers, Mode: "push", Fanout: 1, Seed: 1, Timeout: Duration(3 * writeTimeout)}
		if err := n.Configure(c); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t)
	c.json(http.MethodPost, nodes[1].URL()+PathFault, FaultRequest{Kind: "hang"}, nil)
	if _, err := nodes[0].Inject("rumor"); err != nil {
		t.Fatal(err)
	}
	var rep RoundReport
	c.json(http.MethodPost, nodes[0].URL()+PathRound, RoundRequest{Round: 1}, &rep)
	if rep.Sent != 1 || rep.Failed != 1 {
		t.Fatalf("round report %+v, want the push to the hung peer sent and failed", rep)
	}
	c.json(http.MethodPost, nodes[1].URL()+PathFault, FaultRequest{Kind: "none"}, nil)
}

// A peer's answer is read as strictly as a request: a wrong-case, unknown
// or repeated member, or invalid UTF-8, makes the exchange failed, not a
// silently repaired delivery.
func TestPeersAnswersAreReadStrictly(t *testing.T) {
	for _, answer := range []string{`{"New": 1}`, `{"new": 1, "extra": 0}`, `{"new": 1, "new": 0}`,
		`{"new": 0, "messages": [{"id": "x", "data": "` + "\xff" + `"}]}`} {
		peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, answer)
		}))
		nodes := startNodes(t, 1, Options{})
		if err := nodes[0].Configure(Config{ID: 0, Peers: []string{nodes[0].URL(), peer.URL}, Mode: "pull", Fanout: 1, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		rep := nodes[0].RunRound(t.Context(), 1)
		peer.Close()
		if rep.Sent != 1 || rep.Failed != 1 {
			t.Errorf("answer %q: round report %+v, want the request failed", answer, rep)
		}
	}
}

// Gossip of another epoch (a trial the harness has moved on from) is
// refused and changes nothing; so is gossip whose sender has given up.
func TestStaleGossipIsRefused(t *testing.T) {
	n := New(Options{})
	t.Cleanup(func() { n.Close() })
	if err := n.Configure(Config{ID: 0, Peers: []string{"http://127.0.0.1:1", "http://127.0.0.1:2"}, Mode: "push", Fanout: 1, Epoch: 2}); err != nil {
		t.Fatal(err)
	}
	msg := Message{ID: MessageID("rumor"), Data: "rumor"}
	post := func(ctx context.Context, epoch uint64) int {
		body, _ := json.Marshal(GossipRequest{From: 1, Round: 1, Kind: KindPush, Messages: []Message{msg}, Epoch: epoch})
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1"+PathGossip, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		n.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := post(t.Context(), 1); code != http.StatusConflict || n.State().Count != 0 {
		t.Fatalf("epoch 1 at a node in epoch 2: %d, %d messages; want 409 and none", code, n.State().Count)
	}
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	if post(gone, 2); n.State().Count != 0 {
		t.Fatalf("gossip whose sender had given up was taken")
	}
	if code := post(t.Context(), 2); code != http.StatusOK || n.State().Count != 1 {
		t.Fatalf("epoch 2: %d, %d messages; want 200 and the message", code, n.State().Count)
	}
}
