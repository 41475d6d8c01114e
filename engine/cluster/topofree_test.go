package cluster

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// Free running on a topology: every node picks among its neighbours on
// its own timer, so every message of the replay runs along an edge, and
// the trial converges on a connected graph; on one in parts it stops when
// the source's part knows (Reach counted on what the samples saw).
func TestFreeRunningOnATopology(t *testing.T) {
	checkNoLeaks(t)
	e := &Engine{}
	defer e.Close()
	for _, c := range []struct {
		name string
		topo engine.Topology
		part int // nodes the rumor can reach
	}{
		{"grid", engine.Topology{Kind: engine.TopologyGrid}, 24},
		{"file in parts", engine.Topology{Kind: engine.TopologyFile, Edges: splitEdges()}, 10},
	} {
		cfg := engine.Config{Nodes: 24, Topology: c.topo, Mode: engine.PushPull, Fanout: 1, MaxRounds: 500, Seed: 5, Source: 3,
			Replay: true, Net: engine.NetOptions{Free: true, Interval: 10 * time.Millisecond, Timeout: exactTimeout}}
		tr := collect(t, e, cfg)
		g, err := topology.Build(c.topo, cfg.Nodes, protocol.Seed(cfg.Seed))
		if err != nil {
			t.Fatal(err)
		}
		f := tr.Final()
		if f.Informed != c.part || f.Round >= cfg.MaxRounds || tr.Graph == nil || tr.Graph.SourceComponent != c.part {
			t.Errorf("%s: final %+v, graph %+v: want the %d nodes of the source's part informed before max_rounds", c.name, f, tr.Graph, c.part)
		}
		edges := 0
		for _, round := range tr.Replay.Edges {
			for _, m := range round {
				edges++
				if !slices.Contains(g.Neighbours(int(m.From)), m.To) {
					t.Fatalf("%s: message %+v is not along an edge", c.name, m)
				}
			}
		}
		if edges == 0 {
			t.Errorf("%s: no message recorded", c.name)
		}
	}
}

// A standing cluster takes a topology, and a new one by Reconfigure: each
// node gossips with the neighbours of its row, and after the change with
// those of its new row.
func TestStandingOnATopology(t *testing.T) {
	checkNoLeaks(t)
	ctx := t.Context()
	cfg := engine.Config{Nodes: 8, Topology: engine.Topology{Kind: engine.TopologyRing, Degree: 2}, Mode: engine.Push, Fanout: 2,
		MaxRounds: 1, Seed: 1, Source: -1, Net: engine.NetOptions{Free: true, Interval: 10 * time.Millisecond}}
	c, err := Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartFree(ctx); err != nil {
		t.Fatal(err)
	}
	spread := func(data string) {
		t.Helper()
		if err := c.Call(ctx, http.MethodPost, 0, node.PathData, node.DataRequest{Data: data}, nil); err != nil {
			t.Fatal(err)
		}
		for i := range cfg.Nodes {
			waitKnown(t, c, i, 1)
		}
		if err := c.StopFree(ctx); err != nil {
			t.Fatal(err)
		}
		sent := 0
		for i := range cfg.Nodes {
			var events []node.Event
			if err := c.Call(ctx, http.MethodGet, i, node.PathLog+"?limit=1000", nil, &events); err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.Kind == "sent" || e.Kind == "lost" || e.Kind == "failed" { // its own messages
					sent++
					if !slices.Contains(c.Graph().Neighbours(i), int32(e.Peer)) {
						t.Errorf("%s: node %d sent to %d, not of its row %v", c.Config().Topology.Kind, i, e.Peer, c.Graph().Neighbours(i))
					}
				}
			}
		}
		if sent == 0 {
			t.Errorf("%s: nothing sent", c.Config().Topology.Kind)
		}
	}
	spread("on the ring")
	if err := c.ResetNodes(ctx, true); err != nil {
		t.Fatal(err)
	}
	cfg.Topology = engine.Topology{Kind: engine.TopologyHypercube}
	if err := c.Reconfigure(ctx, cfg, true); err != nil {
		t.Fatal(err)
	}
	if c.Graph().Degree(0) != 3 {
		t.Fatalf("after the change node 0 has %d neighbours, want the hypercube's 3", c.Graph().Degree(0))
	}
	spread("on the hypercube")
	bad := cfg
	bad.Topology = engine.Topology{Kind: engine.TopologyRing, Degree: 3}
	if err := c.Reconfigure(ctx, bad, true); err == nil || c.Config().Topology.Kind != engine.TopologyHypercube {
		t.Errorf("an odd ring degree: %v, topology now %+v", err, c.Config().Topology)
	}
}
