package results_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// ringReplay is a replay of 6 nodes on a ring with the graph
// NewReplayGraph writes for it, and messages along its edges.
func ringReplay(t *testing.T) (*results.ReplayFile, *results.PointSummary) {
	t.Helper()
	p := results.Params{Engine: "memory", Nodes: 6, MaxRounds: 5, Topology: results.TopologyParams{Kind: "ring", Degree: 2}}
	g, err := results.NewReplayGraph(engine.Topology{Kind: "ring", Degree: 2}, 6, 1)
	if err != nil {
		t.Fatal(err)
	}
	rf := &results.ReplayFile{Scenario: "s", Point: "base", Params: p, FirstInformed: []int32{0, 1, -1, -1, -1, 1},
		CrashedAt: []int32{-1, -1, -1, -1, -1, -1}, Rounds: [][][4]int32{{}, {{0, 1, 0, 0}, {0, 5, 0, 0}}, {{1, 0, 0, 1}, {5, 4, 0, 2}}},
		Graph: g}
	return rf, &results.PointSummary{ID: "base", Params: p}
}

func TestNewReplayGraph(t *testing.T) {
	g, err := results.NewReplayGraph(engine.Topology{Kind: "grid"}, 6, 1)
	if err != nil {
		t.Fatal(err)
	}
	// 2 rows of 3: 0-1-2 over 3-4-5.
	want := [][2]int32{{0, 1}, {0, 3}, {1, 2}, {1, 4}, {2, 5}, {3, 4}, {4, 5}}
	if g.Kind != "grid" || len(g.Edges) != len(want) || len(g.Layout) != 6 {
		t.Fatalf("graph %+v, want edges %v", g, want)
	}
	for i, e := range want {
		if g.Edges[i] != e {
			t.Errorf("edges[%d] = %v, want %v", i, g.Edges[i], e)
		}
	}
	if g.Layout[0][1] != g.Layout[2][1] || g.Layout[0][0] != g.Layout[3][0] || g.Layout[3][1] <= g.Layout[0][1] {
		t.Errorf("grid layout %v: rows are not rows", g.Layout)
	}
	if g, err := results.NewReplayGraph(engine.Topology{}, 6, 1); g != nil || err != nil {
		t.Errorf("complete graph: %+v, %v; want none", g, err)
	}
	if _, err := results.NewReplayGraph(engine.Topology{Kind: "hypercube"}, 6, 1); err == nil {
		t.Error("a hypercube of 6 nodes: no error")
	}
	b, _ := json.Marshal(g)
	if !strings.Contains(string(b), `"edges":[[0,1],[0,3]`) {
		t.Errorf("JSON %s", b)
	}
}

// A replay's graph is hostile input: each way a downloaded file can lie
// about it is refused, and so is a message along a non-edge.
func TestReplayGraphIsChecked(t *testing.T) {
	for _, c := range []struct {
		name  string
		spoil func(rf *results.ReplayFile, p *results.PointSummary)
		msg   string // "" for a replay that passes
	}{
		{"as written", func(*results.ReplayFile, *results.PointSummary) {}, ""},
		{"no graph", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph = nil }, "no graph in a replay on topology ring"},
		{"graph on the complete graph", func(rf *results.ReplayFile, p *results.PointSummary) {
			rf.Params.Topology, p.Params.Topology = results.TopologyParams{}, results.TopologyParams{}
		}, "in a replay of the complete graph"},
		{"complete without graph", func(rf *results.ReplayFile, p *results.PointSummary) {
			rf.Params.Topology, p.Params.Topology, rf.Graph = results.TopologyParams{Kind: "complete"}, results.TopologyParams{Kind: "complete"}, nil
		}, ""},
		{"other kind", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Kind = "grid" }, `graph of kind "grid"`},
		{"short layout", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Layout = rf.Graph.Layout[:5] }, "layout of 5 nodes"},
		{"layout outside", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Layout[2][0] = 1.5 }, "layout[2]"},
		{"layout negative", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Layout[2][1] = -0.1 }, "layout[2]"},
		{"layout NaN", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Layout[3][1] = math.NaN() }, "layout[3]"},
		{"layout Inf", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Layout[3][0] = math.Inf(1) }, "layout[3]"},
		{"edge out of range", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Edges[1][1] = 6 }, "edges[1]"},
		{"edge negative", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Edges[1][0] = -1 }, "edges[1]"},
		{"self-loop", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Graph.Edges[2] = [2]int32{3, 3} }, "linked to itself"},
		{"edge twice", func(rf *results.ReplayFile, _ *results.PointSummary) {
			rf.Graph.Edges = append(rf.Graph.Edges, [2]int32{rf.Graph.Edges[0][1], rf.Graph.Edges[0][0]})
		}, "listed twice"},
		{"message along a non-edge", func(rf *results.ReplayFile, _ *results.PointSummary) { rf.Rounds[2][1] = [4]int32{5, 2, 0, 2} }, "rounds[2][1]"},
		{"message along a dropped edge", func(rf *results.ReplayFile, _ *results.PointSummary) {
			var keep [][2]int32
			for _, e := range rf.Graph.Edges {
				if e != [2]int32{0, 5} {
					keep = append(keep, e)
				}
			}
			rf.Graph.Edges = keep
		}, "rounds[1][1]"},
	} {
		rf, p := ringReplay(t)
		c.spoil(rf, p)
		err := results.CheckReplay(rf, p, "s")
		switch {
		case c.msg == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.msg != "" && (err == nil || !strings.Contains(err.Error(), c.msg)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}
