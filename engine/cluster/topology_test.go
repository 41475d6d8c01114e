package cluster

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// topoCase is a trial on one topology that the two engines must agree on
// exactly; its check says the trace is what the case is named for.
type topoCase struct {
	name  string
	cfg   engine.Config // Mode set per run
	check func(tr *engine.Trace) error
}

// fileEdges is an irregular connected graph on 20 nodes: a star around 0,
// a path from 5 to 19 and one chord, so degrees run from 1 to 6 and some
// are below fanout 3.
func fileEdges() [][2]int32 {
	var e [][2]int32
	for v := int32(1); v <= 5; v++ {
		e = append(e, [2]int32{0, v})
	}
	for v := int32(5); v < 19; v++ {
		e = append(e, [2]int32{v + 1, v}) // either way round: the file's order
	}
	return append(e, [2]int32{12, 3})
}

// splitEdges is a graph on 24 nodes in three parts and four isolated
// nodes: a path 0-9 with a chord, a cycle 10-19 and nodes 20-23 alone.
func splitEdges() [][2]int32 {
	var e [][2]int32
	for v := int32(0); v < 9; v++ {
		e = append(e, [2]int32{v, v + 1})
	}
	e = append(e, [2]int32{0, 5})
	for v := int32(10); v < 20; v++ {
		e = append(e, [2]int32{v, 10 + (v-9)%10})
	}
	return e
}

func topoCases() []topoCase {
	base := func(nodes, fanout int, loss float64, t engine.Topology, seed uint64) engine.Config {
		return engine.Config{Nodes: nodes, Topology: t, Fanout: fanout, Loss: loss, MaxRounds: 100,
			Source: -1, Seed: seed, Replay: true, Net: engine.NetOptions{Timeout: exactTimeout}}
	}
	crash := []engine.Failure{{Round: 2, Fraction: 0.1, Kind: engine.Crash}}
	garbage := []engine.Failure{{Round: 3, Fraction: 0.1, Kind: engine.Garbage}}
	with := func(cfg engine.Config, f []engine.Failure) engine.Config { cfg.Failures = f; return cfg }
	split := base(24, 2, 0.1, engine.Topology{Kind: engine.TopologyFile, Edges: splitEdges()}, 31)
	split.Source = 3
	splitCrash := with(split, crash)
	splitCrash.Seed = 32
	alone := split
	alone.Source, alone.Seed = 21, 33
	// Facts has its own tests; here it must merely be this graph's (edges
	// -1, components 0: whatever the draw gave).
	facts := func(nodes, edges, components int) func(tr *engine.Trace) error {
		return func(tr *engine.Trace) error {
			g := tr.Graph
			return want(g != nil && g.Nodes == nodes && (edges < 0 || g.Edges == edges) && (components == 0 || g.Components == components),
				"graph facts %+v", g)
		}
	}
	// A trial on a part of the graph ends when that part knows, long
	// before max_rounds, not converged.
	stopped := func(part int) func(tr *engine.Trace) error {
		return func(tr *engine.Trace) error {
			f := tr.Final()
			return want(f.Round < 100 && f.Informed < f.Alive && f.Informed <= part && tr.Graph != nil && tr.Graph.Components == 6,
				"final %+v, graph %+v", f, tr.Graph)
		}
	}
	connected := func(tr *engine.Trace) error {
		f := tr.Final()
		return want(tr.Graph != nil && tr.Graph.Components == 1 && f.Informed == f.Alive, "final %+v, graph %+v", f, tr.Graph)
	}
	// G(40, p) of mean degree 1 falls apart: the rumor stops in the
	// source's part.
	sparse := func(tr *engine.Trace) error {
		f, g := tr.Final(), tr.Graph
		return want(g != nil && g.Components > 1 && g.SourceComponent < 40 && f.Round < 100 && f.Informed <= g.SourceComponent && f.Informed < f.Alive,
			"final %+v, graph %+v", f, g)
	}
	return []topoCase{
		{"complete, named", with(base(20, 2, 0.1, engine.Topology{Kind: engine.TopologyComplete}, 10), crash), func(tr *engine.Trace) error {
			return want(tr.Graph == nil, "facts of the complete graph %+v", tr.Graph)
		}},
		{"regular degree 3, fanout 2, loss, crash", with(base(30, 2, 0.1, engine.Topology{Kind: engine.TopologyRegular, Degree: 3}, 21), crash), connected},
		{"erdos-renyi degree 4, garbage", with(base(30, 1, 0.1, engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 4}, 22), garbage), facts(30, -1, 0)},
		{"erdos-renyi p 0.25, fanout 3", base(24, 3, 0, engine.Topology{Kind: engine.TopologyErdosRenyi, P: 0.25}, 23), facts(24, -1, 0)},
		{"erdos-renyi degree 1, in parts", with(base(40, 2, 0.1, engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 1}, 24), crash), sparse},
		{"small-world degree 4, rewire 0.3, loss", base(30, 2, 0.1, engine.Topology{Kind: engine.TopologySmallWorld, Degree: 4, Rewire: 0.3}, 25), facts(30, 60, 0)},
		{"scale-free degree 4, crash", with(base(30, 1, 0.1, engine.Topology{Kind: engine.TopologyScaleFree, Degree: 4}, 26), crash), connected},
		{"ring degree 4, fanout 2, loss", base(30, 2, 0.1, engine.Topology{Kind: engine.TopologyRing, Degree: 4}, 11), facts(30, 60, 1)},
		{"ring degree 2, crash", with(base(20, 1, 0, engine.Topology{Kind: engine.TopologyRing, Degree: 2}, 12), crash), facts(20, 20, 1)},
		// 30 nodes: 5 rows of 6, the lattice not square.
		{"grid, crash", with(base(30, 1, 0.1, engine.Topology{Kind: engine.TopologyGrid}, 13), crash), facts(30, 49, 1)},
		{"hypercube, fanout 2, garbage", with(base(32, 2, 0.1, engine.Topology{Kind: engine.TopologyHypercube}, 14), garbage), facts(32, 80, 1)},
		{"file, fanout 3 over degrees 1-6", base(20, 3, 0.1, engine.Topology{Kind: engine.TopologyFile, Edges: fileEdges()}, 15), facts(20, 20, 1)},
		{"file in parts", split, stopped(10)},
		{"file in parts, crash", splitCrash, stopped(10)},
		{"file, source alone", alone, func(tr *engine.Trace) error {
			f := tr.Final()
			return want(f.Round == 1 && f.Informed == 1 && f.Useful == 0, "final %+v", f)
		}},
	}
}

// On every topology a lockstep trial over http is the simulator's, row
// for row and edge for edge, with the same graph facts: the nodes pick
// among the neighbours of their rows as the simulator does, and the
// harness stops a trial on a disconnected graph where the simulator does.
func TestExactlyTheMemoryEngineOnEveryTopology(t *testing.T) {
	checkNoLeaks(t)
	inEveryMode(t, func(t *testing.T, mode engine.Mode, e *Engine) {
		var lost, failed int
		for _, c := range topoCases() {
			cfg := c.cfg
			cfg.Mode = mode
			got, want := againstMemory(t, e, c.name, cfg)
			if !reflect.DeepEqual(got.Graph, want.Graph) {
				t.Errorf("%s: graph facts\nhttp   %+v\nmemory %+v", c.name, got.Graph, want.Graph)
			}
			if err := c.check(want); err != nil {
				t.Errorf("%s: %v", c.name, fmt.Errorf("the case misses its point: %w", err))
			}
			lost += want.Totals().Lost
			failed += want.Totals().Failed
		}
		if lost == 0 || failed == 0 {
			t.Errorf("%d lost, %d failed: the cases need both", lost, failed)
		}
	})
}
