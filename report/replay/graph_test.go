package replay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// graphTiny is tiny() on an edge list holding its messages' edges and
// one more (1-3).
func graphTiny(t *testing.T) *results.ReplayFile {
	rf := tiny()
	rf.Params.Topology = results.TopologyParams{Kind: "file", Path: "g.txt"}
	g, err := results.NewReplayGraph(engine.Topology{Kind: "file", Edges: [][2]int32{{0, 1}, {2, 0}, {0, 3}, {2, 4}, {1, 3}}}, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	rf.Graph = g
	return rf
}

func TestPageGraph(t *testing.T) {
	rf := graphTiny(t)
	page := render(t, rf, "file", "")
	var d pageData
	if err := json.Unmarshal([]byte(dataBlock.FindStringSubmatch(page)[1]), &d); err != nil {
		t.Fatal(err)
	}
	if d.Graph == nil || d.Graph.Kind != "file" || len(d.Graph.Edges) != 10 {
		t.Fatalf("graph %+v, want the file's 5 edges", d.Graph)
	}
	for i, e := range rf.Graph.Edges {
		if d.Graph.Edges[2*i] != e[0] || d.Graph.Edges[2*i+1] != e[1] {
			t.Errorf("edge %d: %v on the page, %v in the file", i, d.Graph.Edges[2*i:2*i+2], e)
		}
	}
	for i, p := range rf.Graph.Layout {
		if x, y := float64(d.Pos[2*i])/posScale, float64(d.Pos[2*i+1])/posScale; abs(x-p[0]) > 1e-4 || abs(y-p[1]) > 1e-4 {
			t.Errorf("node %d at (%g, %g) on the page, %v in the layout", i, x, y, p)
		}
	}
	if len(d.Spiral) != 10 || d.Spiral[0] != scaled(Layout(5))[0] {
		t.Errorf("spiral %v, want the sunflower for arranging by round", d.Spiral)
	}
	if !strings.Contains(page, "<dt>topology</dt><dd>file, 5 edges</dd>") {
		t.Error("the header does not name the topology")
	}
	// Without a graph (the complete graph) the page is as it was.
	d0, err := newPageData(tiny())
	if err != nil {
		t.Fatal(err)
	}
	if d0.Graph != nil || d0.Spiral != nil || strings.Contains(render(t, tiny(), "t", ""), "<dt>topology</dt>") {
		t.Errorf("a complete-graph replay got a graph: %+v", d0.Graph)
	}
}

func abs(v float64) float64 { return max(v, -v) }

// A page is never drawn from a graph its messages do not run on.
func TestPageRefusesBadGraphs(t *testing.T) {
	for name, spoil := range map[string]func(*results.ReplayFile){
		"message off the graph": func(rf *results.ReplayFile) { rf.Rounds[2][0] = [4]int32{0, 4, 0, 0} },
		"no graph":              func(rf *results.ReplayFile) { rf.Graph = nil },
		"short layout":          func(rf *results.ReplayFile) { rf.Graph.Layout = rf.Graph.Layout[:4] },
		"edge outside":          func(rf *results.ReplayFile) { rf.Graph.Edges[0][1] = 5 },
	} {
		rf := graphTiny(t)
		spoil(rf)
		if _, err := newPageData(rf); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := newPageData(graphTiny(t)); err != nil {
		t.Errorf("the ring replay itself: %v", err)
	}
}
