package replay

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/internal/browsertest"
	"github.com/gossipbench/gossipbench/internal/results"
)

// topologyReplay runs one push trial of the memory engine on topology t
// and makes its replay file as experiments writes it: the messages the
// engine recorded and the graph results.NewReplayGraph draws again.
func topologyReplay(t *testing.T, t0 engine.Topology, n int) *results.ReplayFile {
	t.Helper()
	cfg := engine.Config{Nodes: n, Mode: engine.Push, Fanout: 2, MaxRounds: 200, Seed: 7, Source: 0, Replay: true, Topology: t0}
	tr, err := engine.Collect(context.Background(), memory.Engine{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := results.Params{Engine: "memory", Nodes: n, Mode: engine.Push, Fanout: 2, MaxRounds: 200,
		Topology: results.TopologyParams{Kind: t0.Kind, Degree: t0.Degree, P: t0.P, Rewire: t0.Rewire}}
	rf := results.NewReplayFile("topology", "kind="+t0.Kind, p, tr)
	if rf.Graph, err = results.NewReplayGraph(t0, n, cfg.Seed); err != nil {
		t.Fatal(err)
	}
	// The reader's check of the graph: every message runs on an edge.
	if err := results.CheckReplayGraph(rf, n); err != nil {
		t.Fatal(err)
	}
	return rf
}

// writePage writes rf's replay page titled title as dir/name.html, for a
// browser to open from file://, and returns its path.
func writePage(t *testing.T, dir, name, title string, rf *results.ReplayFile) string {
	t.Helper()
	f := filepath.Join(dir, name+".html")
	out, err := os.Create(f)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := Page(out, rf, title, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestGraphPageInBrowser opens ring and grid replays in Chromium, offline
// from file://, and checks that the page draws the nodes where the
// replay's layout puts them and every edge of the graph, throws nothing,
// and fits a 420 px phone without scrolling sideways. With
// GRAPH_SHOTS=dir it also saves screenshots at 1400 and 420 px (regular
// and small-world too, once engine/topology draws them).
func TestGraphPageInBrowser(t *testing.T) {
	dir := t.TempDir()
	shots := os.Getenv("GRAPH_SHOTS")
	cases := []struct {
		top engine.Topology
		n   int
	}{
		{engine.Topology{Kind: engine.TopologyRing, Degree: 2}, 60},
		{engine.Topology{Kind: engine.TopologyGrid}, 100},
	}
	if shots != "" {
		cases = append(cases,
			struct {
				top engine.Topology
				n   int
			}{engine.Topology{Kind: engine.TopologyRing, Degree: 4}, 1000},
			struct {
				top engine.Topology
				n   int
			}{engine.Topology{Kind: engine.TopologyHypercube}, 256})
		for _, k := range []engine.Topology{{Kind: engine.TopologyRegular, Degree: 4}, {Kind: engine.TopologySmallWorld, Degree: 4, Rewire: 0.1}} {
			if randomKindsWritten(k) {
				cases = append(cases, struct {
					top engine.Topology
					n   int
				}{k, 200})
			}
		}
	}
	for _, width := range []int{1400, 420} {
		b := browsertest.Start(t, browsertest.Options{Width: width, Height: 900, Timeout: 2 * time.Minute, Offline: true})
		for _, c := range cases {
			rf := topologyReplay(t, c.top, c.n)
			page := writePage(t, dir, rf.Graph.Kind, "topology: "+rf.Point, rf)
			var pos [][2]float64
			var drawn int
			var scrollW, clientW int
			var cutNote bool
			err := chromedp.Run(b.Ctx,
				// A headless window is at least 500 px wide: the phone's
				// width is emulated.
				chromedp.EmulateViewport(int64(width), 900),
				chromedp.Navigate("file://"+page+"#round=3"),
				chromedp.WaitVisible(`body[data-ready="1"]`),
				chromedp.Evaluate(`window.replayState.positions()`, &pos),
				chromedp.Evaluate(`window.replayState.graphEdges`, &drawn),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollW),
				chromedp.Evaluate(`document.documentElement.clientWidth`, &clientW),
				chromedp.Evaluate(`!document.getElementById("note-cut").hidden`, &cutNote),
			)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%s n=%d at %d px", c.top.Kind, c.n, width)
			if cutNote {
				t.Errorf("%s: the note explains messages failed across a partition, and there is none", name)
			}
			if drawn != len(rf.Graph.Edges) {
				t.Errorf("%s: %d edges drawn, the graph has %d", name, drawn, len(rf.Graph.Edges))
			}
			if len(pos) != c.n {
				t.Fatalf("%s: %d positions for %d nodes", name, len(pos), c.n)
			}
			// Centres are rounded to device pixels: a canvas of at least
			// 200 px is off by at most 1/100 of the square.
			worst := 0.0
			for i, p := range pos {
				worst = max(worst, math.Abs(p[0]-rf.Graph.Layout[i][0]), math.Abs(p[1]-rf.Graph.Layout[i][1]))
			}
			if worst > 0.01 {
				t.Errorf("%s: a node drawn %.4f of the square from its place in the layout", name, worst)
			}
			if clientW != width {
				t.Errorf("%s: the window is %d px wide", name, clientW)
			}
			if scrollW > clientW {
				t.Errorf("%s: the page is %d px wide in a %d px window: it scrolls sideways", name, scrollW, clientW)
			}
			if shots != "" {
				var png []byte
				if err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
					t.Fatal(err)
				}
				f := filepath.Join(shots, fmt.Sprintf("%s-%d-%d.png", c.top.Kind, c.n, width))
				if err := os.WriteFile(f, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		b.Check(t, "replay pages must work offline", "file://")
	}
}

// randomKindsWritten is whether engine/topology draws kind t yet (on main
// the random generators panic until they are written).
func randomKindsWritten(t engine.Topology) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_, err := results.NewReplayGraph(t, 20, 1)
	return err == nil
}
