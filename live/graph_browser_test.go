package live

import (
	"math"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gossipbench/gossipbench/engine"
)

// The page of a live cluster on a topology draws its graph: every node
// where the state's layout puts it, every edge of the graph under the
// gossip; a message sent through the page reaches every node of the ring.
// On the complete graph it draws no edges at all.
func TestPageDrawsTheGraph(t *testing.T) {
	for _, top := range []engine.Topology{{Kind: engine.TopologyRing, Degree: 2}, {Kind: engine.TopologyGrid}, {}} {
		o := testOptions(16)
		o.Topology = top
		s := startLive(t, o)
		st := state(t, s)
		b := newBrowser(t, 1400, 900)
		var pos [][2]float64
		var drawn int
		var shot []byte
		err := chromedp.Run(b.Ctx,
			chromedp.Navigate(s.URL()),
			waitJS(`document.getElementById("status").textContent.startsWith("connected")`),
			chromedp.Evaluate(`window.live.positions()`, &pos),
			chromedp.Evaluate(`window.live.graphEdges()`, &drawn),
		)
		if err != nil {
			t.Fatal(err)
		}
		name := top.Kind
		if top.IsComplete() {
			if st.Graph != nil || drawn != 0 {
				t.Errorf("complete graph: graph %v in the state, %d edges drawn", st.Graph, drawn)
			}
			b.Check(t, "it must need nothing but the live server", s.URL()[:len(s.URL())-1])
			continue
		}
		if st.Graph == nil || drawn != len(st.Graph.Edges) {
			t.Fatalf("%s: %d edges drawn; the state's graph: %+v", name, drawn, st.Graph)
		}
		worst := 0.0
		for i, p := range pos {
			worst = max(worst, math.Abs(p[0]-st.Graph.Layout[i][0]), math.Abs(p[1]-st.Graph.Layout[i][1]))
		}
		if len(pos) != 16 || worst > 0.01 {
			t.Errorf("%s: %d nodes drawn, one %.4f of the square from its place in the layout", name, len(pos), worst)
		}
		err = chromedp.Run(b.Ctx,
			chromedp.SetValue(`#send-text`, "along the edges", chromedp.ByID),
			chromedp.Click(`#send`, chromedp.ByID),
			waitJS(`window.live.informed() === 16`),
			chromedp.FullScreenshot(&shot, 100))
		if err != nil {
			t.Fatal(err)
		}
		writeShot(t, shotDir(t), "live-"+name+"-1400.png", shot)
		b.Check(t, "it must need nothing but the live server", s.URL()[:len(s.URL())-1])
	}
}
