package node

import (
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
