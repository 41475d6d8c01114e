package node

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

// mongerWire configures the nodes to monger 2 rumors, push, counter k 1.
func mongerWire(t *testing.T, nodes []*Node) {
	t.Helper()
	for i, n := range nodes {
		c := Config{ID: i, Peers: urls(nodes), Mode: "push", Fanout: 1, Seed: 3, RecordEdges: true,
			Stop: &StopConfig{Rule: "counter", K: 1}, Rumors: &RumorsConfig{Count: 2, Every: 1}}
		if err := n.Configure(c); err != nil {
			t.Fatalf("configure node %d: %v", i, err)
		}
	}
}

// A mongering node refuses configs, injections and gossip that are not
// the protocol's with a 4xx saying why, and keeps working after them.
func TestMongeringRefusesMalformedInput(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	mongerWire(t, nodes)
	cl := newClient(t)
	u := nodes[1].URL()
	peers := urls(nodes)
	for name, body := range map[string]string{
		"unknown rule":       `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"stop":{"rule":"sometimes"}}`,
		"counter k 0":        `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"stop":{"rule":"counter"}}`,
		"reset on coin":      `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"stop":{"rule":"coin","k":2,"reset":true}}`,
		"transmits mult 0":   `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"stop":{"rule":"transmits"}}`,
		"negative rumors":    `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"rumors":{"count":-1,"every":1}}`,
		"too many rumors":    `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"rumors":{"count":5001,"every":1}}`,
		"negative budget":    `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"max_rumors":-1}`,
		"negative AE":        `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"anti_entropy":-2}`,
		"unknown stop field": `{"id":1,"peers":["` + peers[0] + `","` + peers[1] + `"],"mode":"push","fanout":1,"stop":{"rule":"coin","k":2,"p":1}}`,
	} {
		if r := cl.do(http.MethodPut, u+PathConfig, body); r.code != http.StatusBadRequest {
			t.Errorf("config with %s: %d %s, want 400", name, r.code, r.body)
		}
	}
	var resp DataResponse
	cl.json(http.MethodPost, nodes[0].URL()+PathInject, InjectRequest{Rumor: 0, Round: 0}, &resp)
	if !resp.New || resp.ID != MessageID(RumorData(0)) {
		t.Fatalf("inject: %+v", resp)
	}
	for name, c := range map[string]struct {
		path string
		body string
		code int
	}{
		"inject rumor 2 of 2":   {PathInject, `{"rumor":2,"round":0}`, 400},
		"inject rumor -1":       {PathInject, `{"rumor":-1,"round":0}`, 400},
		"inject at round -1":    {PathInject, `{"rumor":1,"round":-1}`, 400},
		"data from a client":    {PathData, `{"data":"hello"}`, 400},
		"free running":          {PathStart, `{"interval":"10ms","jitter":0}`, 409},
		"gossip without slot":   {PathGossip, `{"from":0,"round":1,"kind":"push","messages":[` + rumorJSON(0) + `]}`, 400},
		"gossip of slot 1 of 1": {PathGossip, `{"from":0,"round":1,"kind":"push","slot":1,"messages":[` + rumorJSON(0) + `]}`, 400},
		"gossip of rumor 7":     {PathGossip, `{"from":0,"round":1,"kind":"push","slot":0,"messages":[{"id":"` + MessageID(RumorData(7)) + `","data":"` + RumorData(7) + `","rumor":7}]}`, 400},
		"gossip without rumor":  {PathGossip, `{"from":0,"round":1,"kind":"push","slot":0,"messages":[{"id":"` + MessageID(RumorData(0)) + `","data":"` + RumorData(0) + `"}]}`, 400},
		"rumor 1 with 0's data": {PathGossip, `{"from":0,"round":1,"kind":"push","slot":0,"messages":[{"id":"` + MessageID(RumorData(0)) + `","data":"` + RumorData(0) + `","rumor":1}]}`, 400},
		"a digest of rumor 9":   {PathGossip, `{"from":0,"round":1,"kind":"request","slot":0,"have":[9]}`, 400},
		"gossip of round 0":     {PathGossip, `{"from":0,"round":0,"kind":"push","slot":0}`, 400},
		"gossip from itself":    {PathGossip, `{"from":1,"round":1,"kind":"push","slot":0}`, 400},
		"gossip from node 5":    {PathGossip, `{"from":5,"round":1,"kind":"push","slot":0}`, 400},
		"anti-entropy push":     {PathGossip, `{"from":0,"round":1,"kind":"push","slot":0,"anti_entropy":true}`, 400},
	} {
		if r := cl.do(http.MethodPost, u+c.path, c.body); r.code != c.code {
			t.Errorf("%s: %d %s, want %d", name, r.code, r.body, c.code)
		}
	}
	// The node still works: a lockstep round spreads rumor 0 from node 0
	// to its peer, which then reports holding it.
	rep := nodes[0].RunRound(context.Background(), 1)
	if rep.Round != 1 || rep.Infective != 1 || len(rep.Edges) != 1 || len(rep.Carried) != 1 || len(rep.Carried[0]) != 1 ||
		len(rep.Taught[0]) != 1 {
		t.Fatalf("round 1 at the source: %+v", rep)
	}
	peer := int(rep.Edges[0][1])
	nodes[1].RunRound(context.Background(), 1)
	nodes[2].RunRound(context.Background(), 1)
	for i, n := range nodes {
		rep := n.RunRound(context.Background(), 2)
		// Counter k 1 without feedback: the source's one push removed it.
		want := [2]int{0, 0}
		switch i {
		case 0:
			want = [2]int{0, 1}
		case peer:
			want = [2]int{1, 0}
		}
		if got := [2]int{rep.Infective, rep.Removed}; got != want {
			t.Errorf("node %d at round 2: infective, removed %v, want %v", i, got, want)
		}
	}
	// Gossip of a round a node has ended is refused.
	if r := cl.do(http.MethodPost, u+PathGossip, `{"from":0,"round":1,"kind":"push","slot":0}`); r.code != http.StatusConflict {
		t.Errorf("gossip of round 1 in round 2: %d %s, want 409", r.code, r.body)
	}
}

func rumorJSON(i int) string {
	return `{"id":"` + MessageID(RumorData(i)) + `","data":"` + RumorData(i) + `","rumor":` + string(rune('0'+i)) + `}`
}

// An anti-entropy message naming every rumor of the largest config fits
// the body a peer reads, with room to spare.
func TestMongeringLargestMessageFits(t *testing.T) {
	n := New(Options{})
	defer n.Close()
	c := Config{ID: 0, Peers: []string{"http://127.0.0.1:1", "http://127.0.0.1:2"}, Mode: "pushpull", Fanout: 1,
		Rumors: &RumorsConfig{Count: MaxRumors, Every: 1}}
	if err := n.Configure(c); err != nil {
		t.Fatal(err)
	}
	all := make([]int32, MaxRumors)
	for i := range all {
		all[i] = int32(i)
		if _, err := n.InjectRumor(i, 0); err != nil { // with its origin, as a learned rumor is sent
			t.Fatal(err)
		}
	}
	n.mu.Lock()
	msgs := n.messagesLocked(all)
	n.mu.Unlock()
	slot := 0
	body, err := json.Marshal(GossipRequest{From: 1, Round: 1 << 30, Kind: KindRequest, Slot: &slot, Messages: msgs, Have: all, AntiEntropy: true, Epoch: 1 << 60})
	if err != nil {
		t.Fatal(err)
	}
	if len(body) > maxBody*3/4 {
		t.Fatalf("%d bytes for %d rumors, more than 3/4 of the %d a peer reads", len(body), MaxRumors, maxBody)
	}
	t.Logf("%d bytes", len(body))
}
