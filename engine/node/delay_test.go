package node

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// A message carries the time it entered the cluster: the node that learns
// it by gossip observes the delay since then, the node that took it in
// does not, and an origin a peer made up (in the future, days ago, or
// negative) is not observed.
func TestPropagationDelay(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 2, Options{})
	peers := urls(nodes)
	for i, n := range nodes {
		if err := n.Configure(Config{ID: i, Peers: peers, Mode: "push", Fanout: 1, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t)
	before := time.Now()
	if _, err := nodes[0].Inject("rumor"); err != nil {
		t.Fatal(err)
	}
	var rep RoundReport
	c.json(http.MethodPost, nodes[0].URL()+PathRound, RoundRequest{Round: 1}, &rep)
	elapsed := time.Since(before)
	if rep.Useful != 1 {
		t.Fatalf("round report %+v, want the push to node 1 useful", rep)
	}
	if n := c.scrape(nodes[0]).get(t, MetricDelay+"_count"); n != 0 {
		t.Errorf("the node that took the message in observed %v delays, want none", n)
	}
	m1 := c.scrape(nodes[1])
	if n := m1.get(t, MetricDelay+"_count"); n != 1 {
		t.Fatalf("node 1 observed %v delays, want 1", n)
	}
	if s := m1.get(t, MetricDelay+"_sum"); s <= 0 || s > elapsed.Seconds() {
		t.Errorf("node 1's delay is %v s; the message was injected and pushed within %v", s, elapsed)
	}
	for _, origin := range []int64{time.Now().Add(time.Hour).UnixNano(), time.Now().Add(-48 * time.Hour).UnixNano(), -5} {
		data := fmt.Sprintf("made up %d", origin)
		req := GossipRequest{From: 0, Round: 2, Kind: KindPush, Messages: []Message{{ID: MessageID(data), Data: data, Origin: origin}}}
		if r := c.do(http.MethodPost, nodes[1].URL()+PathGossip, req); r.code != http.StatusOK {
			t.Fatalf("gossip with origin %d: %d %s", origin, r.code, r.body)
		}
	}
	if n := c.scrape(nodes[1]).get(t, MetricDelay+"_count"); n != 1 {
		t.Errorf("node 1 observed %v delays after made-up origins, want still 1", n)
	}
}
