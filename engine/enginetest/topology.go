package enginetest

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// edgeList is a file topology: the graphs of the cases below are drawn by
// hand, so every choice a node makes among its neighbours is forced.
func edgeList(edges ...[2]int32) engine.Topology {
	return engine.Topology{Kind: engine.TopologyFile, Edges: edges}
}

// Cases on graphs small enough to count by hand (docs/design.md,
// "Topologies"): a node contacts only its neighbours, all of them when it
// has no more than fanout, and a trial on a disconnected graph ends when
// the source's part knows.
func (s suite) topologyByHand(t *testing.T) {
	path4 := edgeList([2]int32{0, 1}, [2]int32{1, 2}, [2]int32{2, 3})
	path3 := edgeList([2]int32{0, 1}, [2]int32{1, 2})
	cases := []struct {
		name string
		cfg  engine.Config
		want []engine.RoundStats
		// facts: nodes, edges, components, source component, diameter
		facts [5]int
	}{
		{"push on the path 0-1-2-3, fanout 2: each node pushes to every neighbour it has",
			engine.Config{Nodes: 4, Topology: path4, Mode: engine.Push, Fanout: 2, MaxRounds: 9, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 4, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 4, 1, 1, 0, 0, 1, 0),
				rs(2, 3, 1, 4, 3, 3, 0, 0, 1, 2), rs(3, 4, 1, 4, 5, 5, 0, 0, 1, 4)},
			[5]int{4, 3, 1, 4, 3}},
		{"pull on the path 0-1-2, fanout 2: four requests and four answers a round, one answer useful",
			engine.Config{Nodes: 3, Topology: path3, Mode: engine.Pull, Fanout: 2, MaxRounds: 9, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 3, 8, 8, 0, 0, 1, 7),
				rs(2, 3, 1, 3, 8, 8, 0, 0, 1, 7)},
			[5]int{3, 2, 1, 3, 2}},
		{"push on the star 0-{1,2,3} from a leaf, fanout 3: the centre reaches both other leaves at once",
			engine.Config{Nodes: 4, Topology: edgeList([2]int32{0, 1}, [2]int32{0, 2}, [2]int32{0, 3}),
				Mode: engine.Push, Fanout: 3, MaxRounds: 9, Source: 1},
			[]engine.RoundStats{rs(0, 1, 1, 4, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 4, 1, 1, 0, 0, 1, 0),
				rs(2, 4, 2, 4, 4, 4, 0, 0, 2, 2)},
			[5]int{4, 3, 1, 4, 2}},
		{"two components 0-1 and 2-3: the trial ends when the source's half knows, not at max_rounds",
			engine.Config{Nodes: 4, Topology: edgeList([2]int32{0, 1}, [2]int32{2, 3}),
				Mode: engine.Push, Fanout: 1, MaxRounds: 50, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 4, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 4, 1, 1, 0, 0, 1, 0)},
			[5]int{4, 2, 2, 2, 1}},
	}
	for _, c := range cases {
		s.byHand(t, c.name, c.cfg, c.want, s.pick(10, 3), func(t *testing.T, cfg engine.Config, tr *engine.Trace) {
			g := tr.Graph
			if g == nil {
				t.Fatalf("seed %d: no graph facts on a topology", cfg.Seed)
			}
			if got := [5]int{g.Nodes, g.Edges, g.Components, g.SourceComponent, g.Diameter}; got != c.facts || !g.DiameterExact {
				t.Fatalf("seed %d: graph facts %+v, want nodes, edges, components, source component, diameter %v (exact)", cfg.Seed, *g, c.facts)
			}
		})
	}
	t.Run("complete graph has no facts", func(t *testing.T) {
		tr := s.run(t, engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, MaxRounds: 9, Source: 0})
		if tr.Graph != nil {
			t.Fatalf("graph facts %+v on the complete graph", *tr.Graph)
		}
	})
	t.Run("a crash cuts the path", s.crashCutsThePath)
}

// The path 0-1-2, push, fanout 1, source 0, one node crashing at round 1.
// The crash of the middle node leaves the source alone in its part: the
// trial ends after that round, unconverged, instead of running on.
func (s suite) crashCutsThePath(t *testing.T) {
	seen := map[string]int{}
	// Each branch has probability 1/3: 40 seeds miss one with chance
	// 3·(2/3)^40 < 3e-7.
	seeds := uint64(s.pick(60, 40))
	for seed := uint64(0); seed < seeds; seed++ {
		cfg := engine.Config{Nodes: 3, Topology: edgeList([2]int32{0, 1}, [2]int32{1, 2}), Mode: engine.Push,
			Fanout: 1, MaxRounds: 50, Source: 0, Seed: seed, Failures: []engine.Failure{{Round: 1, Fraction: 0.3}}, Replay: true}
		tr := s.run(t, cfg)
		rows := noBytes(tr.Rounds)
		var want []engine.RoundStats
		switch {
		case tr.Replay.CrashedAt[0] == 1:
			seen["source"]++
			want = []engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 0, 0, 2, 0, 0, 0, 0, 0, 0)}
		case tr.Replay.CrashedAt[1] == 1:
			seen["middle"]++
			want = []engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 1, 0, 2, 1, 0, 0, 1, 0, 0)}
		default:
			seen["far end"]++
			want = []engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0)}
		}
		if !equalRows(rows, want) {
			t.Fatalf("seed %d (%v crashed at %v):\n got %+v\nwant %+v", seed, seen, tr.Replay.CrashedAt, rows, want)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("branches seen over %d seeds: %v", seeds, seen)
	}
}
