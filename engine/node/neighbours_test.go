package node

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// A node told its row over PUT /control/config contacts the peers the
// simulator's sampler draws on the whole graph, in slot order: its own
// row is all it needs to draw them (protocol.OwnRow).
func TestRoundFollowsItsRow(t *testing.T) {
	checkLeaks(t)
	const k, fanout, seed = 10, 2, 4
	topo := engine.Topology{Kind: engine.TopologyRing, Degree: 4}
	g, err := topology.Build(topo, k, protocol.Seed(seed))
	if err != nil {
		t.Fatal(err)
	}
	nodes := startNodes(t, k, Options{})
	c := newClient(t)
	for i, n := range nodes {
		c.json(put, n.URL()+PathConfig, Config{ID: i, Peers: urls(nodes), Mode: "pull", Fanout: fanout, Seed: seed,
			RecordEdges: true, Neighbours: g.Neighbours(i)}, nil)
	}
	rules := protocol.New(engine.Config{Nodes: k, Mode: engine.Pull, Fanout: fanout, Seed: seed}, g)
	sampler := rules.Graph.Sampler()
	const self = 6
	seen := map[int32]bool{}
	for r := 1; r <= 12; r++ {
		var want [][4]int32
		for _, p := range sampler.Peers(rules.PeerDraws(r), self, fanout) {
			want = append(want, ed(self, p, engine.KindRequest, engine.Redundant), ed(p, self, engine.KindAnswer, engine.Redundant))
			seen[p] = true
		}
		rep := nodes[self].RunRound(t.Context(), r)
		if !slices.Equal(rep.Edges, want) {
			t.Fatalf("round %d: edges %v, want %v", r, rep.Edges, want)
		}
	}
	// Over twelve rounds the node has met every neighbour and nobody else.
	if want := g.Neighbours(self); len(seen) != len(want) {
		t.Errorf("met %v over 12 rounds, want every one of %v", seen, want)
	}
}

// A node whose row is [] has no neighbour (an isolated node of an edge
// list), which is not the complete graph of an absent row: it sends
// nothing, even in pull, where every node asks.
func TestEmptyRowIsNoNeighbour(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	c := newClient(t)
	c.do(put, nodes[0].URL()+PathConfig, `{"id":0,"peers":["`+nodes[0].URL()+`","`+nodes[1].URL()+`","`+nodes[2].URL()+
		`"],"mode":"pull","fanout":1,"record_edges":true,"neighbours":[]}`)
	if rep := nodes[0].RunRound(t.Context(), 1); rep.Sent != 0 {
		t.Errorf("a node without neighbours sent %d messages: %v", rep.Sent, rep.Edges)
	}
	c.do(put, nodes[0].URL()+PathConfig, `{"id":0,"peers":["`+nodes[0].URL()+`","`+nodes[1].URL()+`","`+nodes[2].URL()+
		`"],"mode":"pull","fanout":1,"record_edges":true,"neighbours":null}`)
	if rep := nodes[0].RunRound(t.Context(), 2); rep.Sent != 2 {
		t.Errorf("a node on the complete graph sent %d messages, want a request and its answer: %v", rep.Sent, rep.Edges)
	}
}

// A hostile row is refused with 400 and leaves the node as it was: still
// serving, with the row it had.
func TestConfigRefusesBadRows(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 5, Options{})
	n, c := nodes[2], newClient(t)
	good := Config{ID: 2, Peers: urls(nodes), Mode: "push", Fanout: 1, RecordEdges: true, Neighbours: []int32{1, 3}}
	c.json(put, n.URL()+PathConfig, good, nil)
	for name, row := range map[string][]int32{
		"out of range":  {1, 5},
		"negative":      {-1, 3},
		"self":          {1, 2},
		"duplicate":     {1, 1, 3},
		"unsorted":      {3, 1},
		"too many":      {0, 1, 3, 4, 4},
		"far too many":  make([]int32, 100),
		"huge id":       {1, 1 << 30},
		"self and more": {0, 1, 2, 3, 4},
	} {
		t.Run(name, func(t *testing.T) {
			bad := good
			bad.Neighbours = row
			wantError(t, c.do(put, n.URL()+PathConfig, bad), 400)
		})
	}
	// Still the good row: an informed node pushes to 1 or 3 only.
	c.json(post, n.URL()+PathData, DataRequest{Data: "x"}, nil)
	for r := 1; r <= 8; r++ {
		for _, e := range n.RunRound(t.Context(), r).Edges {
			if e[1] != 1 && e[1] != 3 {
				t.Fatalf("round %d: pushed to %d, not a neighbour of the row kept", r, e[1])
			}
		}
	}
}

// Gossip from a node that is not a neighbour is refused (403), and
// teaches the node nothing: the rumor travels only along edges.
func TestGossipFromANonNeighbourRefused(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	c := newClient(t)
	c.json(put, nodes[0].URL()+PathConfig, Config{ID: 0, Peers: urls(nodes), Mode: "push", Fanout: 1, Neighbours: []int32{1}}, nil)
	msg := Message{ID: MessageID("m"), Data: "m"}
	push := func(from int) response {
		return c.do(post, nodes[0].URL()+PathGossip, GossipRequest{From: from, Round: 1, Kind: KindPush, Messages: []Message{msg}})
	}
	for _, from := range []int{2, 0, -1, 7} {
		t.Run(fmt.Sprint("from ", from), func(t *testing.T) { wantError(t, push(from), 403) })
	}
	if s := c.state(nodes[0]); s.Count != 0 {
		t.Fatalf("refused gossip taught the node %d messages", s.Count)
	}
	if r := push(1); r.code != 200 {
		t.Fatalf("gossip from a neighbour: %d %s", r.code, r.body)
	}
	if s := c.state(nodes[0]); s.Count != 1 {
		t.Fatalf("a neighbour's push taught the node %d messages, want 1", s.Count)
	}
}
