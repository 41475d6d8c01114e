package topology

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/peakmem"
)

// Bytes holds what drawing a graph and its facts take, measured as the
// rise of the resident set's high-water mark (internal/peakmem), and is
// not more than twice that: an honest estimate, not just a large one.
func TestBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("graphs of 10^6 edges, measured one by one")
	}
	const n = 200_000
	for _, c := range []struct {
		top engine.Topology
		n   int
	}{
		{engine.Topology{Kind: engine.TopologyRing, Degree: 8}, n},
		{engine.Topology{Kind: engine.TopologyRegular, Degree: 8}, n},
		{engine.Topology{Kind: engine.TopologyRegular, Degree: 1990}, 2000}, // the complement
		{engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 8}, n},
		{engine.Topology{Kind: engine.TopologySmallWorld, Degree: 8, Rewire: 0.2}, n},
		{engine.Topology{Kind: engine.TopologySmallWorld, Degree: 8, Rewire: 1}, n},
		{engine.Topology{Kind: engine.TopologyScaleFree, Degree: 8}, n},
		{engine.Topology{Kind: engine.TopologyHypercube}, 1 << 17},
		{engine.Topology{Kind: engine.TopologyGrid}, n},
	} {
		what := fmt.Sprintf("%s degree %v rewire %v on %d", c.top.Kind, c.top.Degree, c.top.Rewire, c.n)
		var edges int
		used := peakmem.Of(t, func() {
			g := build(t, c.top, c.n, 1)
			edges = g.Edges()
			Facts(g, 0)
			runtime.KeepAlive(g)
		})
		bytes := Bytes(c.top, c.n)
		t.Logf("%s: %d edges, peak %.1f MB (%.1f bytes/edge), Bytes %.1f MB", what, edges, float64(used)/1e6, float64(used)/float64(edges), float64(bytes)/1e6)
		if uint64(bytes) < used || uint64(bytes) > 2*used {
			t.Errorf("%s: Bytes %d, measured %d: not within [1, 2] times", what, bytes, used)
		}
	}
	if Bytes(engine.Topology{}, n) != 0 {
		t.Error("the complete graph has no lists to count")
	}
}
