package live

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/internal/layout"
)

// graphBody is the graph the nodes gossip on, in GET /api/state, for the
// page to draw under the messages (docs/design.md, "Live"): its kind,
// every edge once (u < v, ascending) and where each node goes in the unit
// square. The complete graph has none: every pair is an edge.
type graphBody struct {
	Kind   string       `json:"kind"`
	Edges  [][2]int32   `json:"edges"`
	Layout [][2]float64 `json:"layout"`
}

// newGraphBody describes g, the very graph the cluster told its nodes
// (cluster.Graph); nil for the complete graph.
func newGraphBody(kind string, g protocol.Graph) *graphBody {
	if _, complete := g.(protocol.Complete); complete {
		return nil
	}
	n := g.Nodes()
	b := &graphBody{Kind: kind, Edges: [][2]int32{}, Layout: make([][2]float64, n)}
	for u := range n {
		for _, v := range g.Neighbours(u) {
			if int(v) > u {
				b.Edges = append(b.Edges, [2]int32{int32(u), v})
			}
		}
	}
	for i, p := range layout.Of(kind, g) {
		b.Layout[i] = [2]float64{p.X, p.Y}
	}
	return b
}

// topologyBody is the topology in the config of GET /api/state and the
// config event, and what PUT /api/config may repeat but not change.
type topologyBody struct {
	Kind   string  `json:"kind"`
	Degree float64 `json:"degree,omitempty"`
	P      float64 `json:"p,omitempty"`
	Rewire float64 `json:"rewire,omitempty"`
}

func topologyOf(t engine.Topology) topologyBody {
	kind := t.Kind
	if t.IsComplete() {
		kind = engine.TopologyComplete
	}
	return topologyBody{Kind: kind, Degree: t.Degree, P: t.P, Rewire: t.Rewire}
}

// checkSameTopology refuses a PUT /api/config that would change the
// topology: the graph is drawn once, at the start (see docs/design.md,
// "Live", for why).
func checkSameTopology(now engine.Topology, req *topologyBody) error {
	if req == nil {
		return nil
	}
	cur := topologyOf(now)
	if req.Kind == "" {
		req.Kind = engine.TopologyComplete
	}
	if *req != cur {
		return fmt.Errorf("topology cannot change while live runs (it is %s; the page draws one graph, and the messages spreading run on it): "+
			"restart gossipbench live with --topology, --degree, --p, --rewire", describeTopology(now))
	}
	return nil
}

// describeTopology is t for a person: "ring, degree 4".
func describeTopology(t engine.Topology) string {
	b := topologyOf(t)
	s := b.Kind
	if b.Degree != 0 {
		s += fmt.Sprintf(", degree %v", b.Degree)
	}
	if b.P != 0 {
		s += fmt.Sprintf(", p %v", b.P)
	}
	if t.Kind == engine.TopologySmallWorld {
		s += fmt.Sprintf(", rewire %v", b.Rewire)
	}
	return s
}
