package live

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// Live on a ring: GET /api/state draws the graph (its kind, every edge
// once, a place for every node), the gossip runs along its edges only,
// and the config shows the topology, which PUT /api/config may repeat but
// not change.
func TestLiveOnARing(t *testing.T) {
	opts := testOptions(8)
	opts.Topology = engine.Topology{Kind: engine.TopologyRing, Degree: 2}
	s := startLive(t, opts)
	ev := stream(t, s)
	st := state(t, s)
	g := st.Graph
	if g == nil || g.Kind != engine.TopologyRing || len(g.Layout) != 8 || 2*len(st.Layout) != 4*len(g.Layout) {
		t.Fatalf("graph %+v, layout %v: want a ring of 8 placed", g, st.Layout)
	}
	want := [][2]int32{{0, 1}, {0, 7}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}}
	if !slices.Equal(g.Edges, want) {
		t.Errorf("edges %v, want %v", g.Edges, want)
	}
	for i, p := range g.Layout {
		if p[0] < 0 || p[0] > 1 || p[1] < 0 || p[1] > 1 || st.Layout[2*i] != p[0] || st.Layout[2*i+1] != p[1] {
			t.Errorf("node %d placed at %v (flat layout %v)", i, p, st.Layout[2*i:2*i+2])
		}
	}
	if tp := st.Config.Topology; tp == nil || *tp != (topologyBody{Kind: engine.TopologyRing, Degree: 2}) {
		t.Errorf("config's topology %+v", tp)
	}

	var sent messageResponse
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": "round the ring", "node": 0}, &sent)
	edges := 0
	until(t, ev, "the message round the ring", func(e sse) bool {
		if e.name == evGossip {
			var m gossipEvent
			json.Unmarshal(e.data, &m)
			edges++
			if !slices.Contains(want, [2]int32{int32(min(m.From, m.To)), int32(max(m.From, m.To))}) {
				t.Errorf("gossip %d -> %d, not along the ring", m.From, m.To)
			}
		}
		return fullySpread(t, sent.ID)(e)
	})
	if edges == 0 {
		t.Error("no gossip seen")
	}

	// The page may send the whole config back, topology and all.
	var cfg configBody
	mustCall(t, s, http.MethodPut, PathConfig, `{"fanout": 1, "topology": {"kind": "ring", "degree": 2}}`, &cfg)
	if *cfg.Fanout != 1 || cfg.Topology.Kind != engine.TopologyRing {
		t.Errorf("config answered %+v", cfg)
	}
	for _, bad := range []string{`{"topology": {"kind": "ring", "degree": 4}}`, `{"topology": {"kind": "complete"}}`,
		`{"topology": {"kind": "grid"}}`, `{"topology": {"kind": "ring"}}`, `{"topology": {"kind": "ring", "degree": 2, "path": "/etc/passwd"}}`} {
		var e node.ErrorResponse
		if code := call(t, s, http.MethodPut, PathConfig, bad, &e); code != http.StatusBadRequest {
			t.Errorf("config %s: %d, want 400", bad, code)
		} else if !strings.Contains(e.Error, "topology cannot change") && !strings.Contains(e.Error, "unknown object member") {
			t.Errorf("config %s: %q", bad, e.Error)
		}
	}
	if st := state(t, s); st.Config.Topology.Degree != 2 || st.Graph == nil || len(st.Graph.Edges) != 8 {
		t.Errorf("after the refused changes: topology %+v, graph %+v", st.Config.Topology, st.Graph)
	}
}

// On the complete graph the state has no graph: every pair is an edge.
func TestLiveCompleteHasNoGraph(t *testing.T) {
	s := startLive(t, testOptions(3))
	var raw map[string]json.RawMessage
	mustCall(t, s, http.MethodGet, PathState, nil, &raw)
	if _, ok := raw["graph"]; ok {
		t.Errorf("the complete graph's state has a graph: %s", raw["graph"])
	}
	if _, ok := raw["layout"]; !ok {
		t.Error("no layout")
	}
}

// A topology live cannot draw on its node count is refused before any
// node starts, saying which parameter and why.
func TestLiveRefusesBadTopologies(t *testing.T) {
	for _, c := range []struct {
		t    engine.Topology
		n    int
		want string
	}{
		{engine.Topology{Kind: engine.TopologyRing, Degree: 3}, 8, "topology ring: degree: a ring's degree must be even"},
		{engine.Topology{Kind: engine.TopologyHypercube}, 6, "topology hypercube: nodes: a hypercube needs a power of two"},
		{engine.Topology{Kind: "torus"}, 6, `topology torus: kind: unknown topology "torus"`},
	} {
		o := testOptions(c.n)
		o.Topology = c.t
		if err := o.Check(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v on %d nodes: %v, want %q", c.t, c.n, err, c.want)
		}
	}
}
