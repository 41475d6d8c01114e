package live

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
)

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
