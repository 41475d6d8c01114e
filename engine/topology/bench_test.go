package topology

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/internal/peakmem"
)

// BenchmarkBuild draws each kind at degree 8 (the hypercube and the grid
// have the degree their size gives them) and reports time and bytes
// allocated per edge. "csr" is the baseline in the same run: allocating
// and writing the lists of as many edges, the least any generator must
// do.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, c := range []struct {
			name string
			top  engine.Topology
			n    int
		}{
			{"csr", engine.Topology{Kind: "csr", Degree: 8}, n},
			{"ring", engine.Topology{Kind: engine.TopologyRing, Degree: 8}, n},
			{"regular", engine.Topology{Kind: engine.TopologyRegular, Degree: 8}, n},
			{"erdos-renyi", engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 8}, n},
			{"small-world", engine.Topology{Kind: engine.TopologySmallWorld, Degree: 8, Rewire: 0.2}, n},
			{"scale-free", engine.Topology{Kind: engine.TopologyScaleFree, Degree: 8}, n},
			{"hypercube", engine.Topology{Kind: engine.TopologyHypercube}, 1 << (len(fmt.Sprint(n)) * 10 / 3)}, // 2^17, 2^20
			{"grid", engine.Topology{Kind: engine.TopologyGrid}, n},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, c.n), func(b *testing.B) {
				var edges int
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for i := 0; b.Loop(); i++ {
					edges = draw(b, c.top, c.n, uint64(i)).Edges()
				}
				runtime.ReadMemStats(&after)
				per := float64(b.N) * float64(edges)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/edge")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/edge")
			})
		}
	}
}

// draw builds top, or for the kind "csr" the bare lists of n·degree/2
// edges.
func draw(b *testing.B, top engine.Topology, n int, seed uint64) *protocol.Lists {
	if top.Kind != "csr" {
		g, err := Build(top, n, protocol.Seed(seed))
		if err != nil {
			b.Fatal(err)
		}
		return g.(*protocol.Lists)
	}
	d := int(top.Degree)
	g := &protocol.Lists{Off: make([]int64, n+1), Adj: make([]int32, n*d)}
	for u := range n + 1 {
		g.Off[u] = int64(u * d)
	}
	for i := range g.Adj {
		g.Adj[i] = int32(i % n)
	}
	return g
}

// A random 8-regular graph on 10^7 nodes builds on this machine, and the
// memory it and its facts take stays under Bytes.
func TestRegularTenMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("10^7 nodes, about a gigabyte")
	}
	const n, d = 10_000_000, 8
	top := engine.Topology{Kind: engine.TopologyRegular, Degree: d}
	var build, facts time.Duration
	used := peakmem.Of(t, func() {
		start := time.Now()
		g, err := Build(top, n, 1)
		if err != nil {
			t.Fatal(err)
		}
		build = time.Since(start)
		start = time.Now()
		f := Facts(g.(*protocol.Lists), 0)
		facts = time.Since(start)
		if f.DegreeMin != d || f.DegreeMax != d || f.Edges != n*d/2 {
			t.Errorf("facts %+v", f)
		}
		t.Logf("facts: %d components, diameter >= %d", f.Components, f.Diameter)
		runtime.KeepAlive(g)
	})
	edges := float64(n * d / 2)
	t.Logf("n=%d d=%d: built in %.1f s (%.0f ns/edge), facts in %.1f s; peak %.0f MB = %.1f bytes/edge; Bytes %.0f MB",
		n, d, build.Seconds(), float64(build.Nanoseconds())/edges, facts.Seconds(), float64(used)/1e6, float64(used)/edges, float64(Bytes(top, n))/1e6)
	if used > uint64(Bytes(top, n)) {
		t.Errorf("peak %d bytes, above Bytes %d", used, Bytes(top, n))
	}
}
