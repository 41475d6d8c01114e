package topology

import (
	"math"
	"math/bits"

	"github.com/gossipbench/gossipbench/engine"
)

// Bytes is how much memory a trial's graph of t on n nodes takes at its
// peak, for the memory guard: the most that is live at once while Build
// draws it, plus Facts' buffers (4¼ bytes a node), which come before the
// collector has taken back the drawing's scratch, and an eighth more for
// the runtime's rounding. Each term is the generator's own allocations,
// counted from the code; TestBytes measures them. A
// file's edge list belongs to the scenario, not the trial, and is not
// counted here. Zero for the complete graph, which has no lists.
func Bytes(t engine.Topology, n int) int64 {
	if t.IsComplete() || n < 2 {
		return 0
	}
	nodes, k := float64(n), t.Degree
	lists := func(m float64) float64 { return 8*(nodes+1) + 8*m } // Off and Adj
	var m, peak float64
	switch t.Kind {
	case engine.TopologyRing:
		m = nodes * k / 2
		peak = 8*m + lists(m) // the edge list, then the lists
	case engine.TopologyRegular:
		pairing := func(m float64) float64 { return lists(m) + 8*m } // and the points
		m = nodes * k / 2
		peak = pairing(m)
		if k > float64(n/2) { // the complement of an (n-1-d)-regular graph
			inner := nodes * (nodes - 1 - k) / 2
			peak = max(pairing(inner), lists(inner)+lists(m))
		}
	case engine.TopologyErdosRenyi:
		p := t.P
		if p == 0 {
			p = k / (nodes - 1)
		}
		pairs := nodes * (nodes - 1) / 2
		m = min(pairs, pairs*p+4*math.Sqrt(pairs*p*(1-p))+16) // 4 sd above the mean
		peak = lists(m)
	case engine.TopologySmallWorld:
		m = nodes * float64(int(k)/2)
		slots := float64(expectedRewired(m, t.Rewire)*3/2 + 1)
		peak = lists(m) + m/8 + 8*slots // a bit per ring edge, the set of rewired ones
	case engine.TopologyScaleFree:
		half := float64(int(k) / 2)
		m = half*(half+1)/2 + (nodes-half-1)*half
		peak = 8*m + 4*nodes + lists(m) // the edge list (the urn), chose, then the lists
	case engine.TopologyHypercube:
		m = nodes * float64(bits.Len(uint(n))-1) / 2
		peak = 8*m + lists(m)
	case engine.TopologyGrid:
		m = 2 * nodes // at most, and what the edge list is made for
		peak = 8*m + lists(m)
	case engine.TopologyFile:
		m = float64(len(t.Edges))
		peak = lists(m)
	}
	return int64((peak + 4.25*nodes) * 9 / 8)
}
