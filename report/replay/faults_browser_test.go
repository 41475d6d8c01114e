package replay

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/browsertest"
	"github.com/gossipbench/gossipbench/internal/results"
)

// TestFaultPageInBrowser opens replays of a crash that comes back and a
// partition that heals in Chromium, offline from file://, on the complete
// graph and on a ring: inside the partition each group is drawn in its
// own column, left to right (on the ring the ring's layout squeezed into
// it), and after the heal every node is back at its place; in every
// round a node is drawn down exactly while an outage holds it
// (down <= r < up). With FAULT_SHOTS=dir it saves screenshots.
func TestFaultPageInBrowser(t *testing.T) {
	dir, shots := t.TempDir(), os.Getenv("FAULT_SHOTS")
	b := browsertest.Start(t, browsertest.Options{Width: 1400, Height: 1000, Timeout: 2 * time.Minute, Offline: true})
	for _, c := range []struct {
		name string
		top  engine.Topology
	}{{"complete", engine.Topology{}}, {"ring", engine.Topology{Kind: engine.TopologyRing, Degree: 2}}} {
		rf := faultReplay(t, 40, false, c.top)
		page := writePage(t, dir, c.name, "faults: "+c.name, rf)
		home := Layout(40)
		if rf.Graph != nil {
			home = make([]Point, 40)
			for i, p := range rf.Graph.Layout {
				home[i] = Point{p[0], p[1]}
			}
		}
		if len(rf.Relearned) == 0 && rf.Graph == nil { // on the ring the rumor has reached few by the crash
			t.Fatalf("%s: no node learned again after coming back empty: the rule of relearning is not exercised", c.name)
		}
		group := rf.Partitions[0].Group
		last := len(rf.Rounds) - 1
		for r := 0; r <= last; r++ {
			var pos [][2]float64
			var states []int
			var cutNote bool
			err := chromedp.Run(b.Ctx,
				chromedp.Navigate(fmt.Sprintf("file://%s#round=%d", page, r)),
				chromedp.WaitVisible(`body[data-ready="1"]`),
				chromedp.Evaluate(`window.replayState.positions()`, &pos),
				chromedp.Evaluate(`window.replayState.nodeStates()`, &states),
				chromedp.Evaluate(`!document.getElementById("note-cut").hidden`, &cutNote),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !cutNote {
				t.Errorf("%s round %d: the note does not explain messages failed across the partition", c.name, r)
			}
			split := r >= 3 && r < 8
			for u, p := range pos {
				want := home[u]
				if split && rf.Graph != nil {
					want.X = (float64(group[u]) + 0.06 + 0.88*want.X) / 2
				}
				switch {
				case split && rf.Graph == nil && (p[0] < float64(group[u])/2-0.01 || p[0] > float64(group[u]+1)/2+0.01):
					t.Errorf("%s round %d: node %d of group %d at x %.3f, outside its half", c.name, r, u, group[u], p[0])
				case (!split || rf.Graph != nil) && (math.Abs(p[0]-want.X) > 0.01 || math.Abs(p[1]-want.Y) > 0.01):
					t.Errorf("%s round %d: node %d at %.3f, want %.3f", c.name, r, u, p, want)
				}
			}
			for u, st := range states {
				if want := stateAt(rf, u, r); st != want {
					t.Errorf("%s round %d: node %d drawn in state %d, want %d (0 not informed, 1 informed, 2 newly, 3 down)", c.name, r, u, st, want)
				}
			}
			if split {
				// By round informed, too, each group keeps to its column.
				err := chromedp.Run(b.Ctx,
					chromedp.Navigate(fmt.Sprintf("file://%s#round=%d&arrange=order", page, r)),
					chromedp.Reload(),
					chromedp.WaitVisible(`body[data-ready="1"]`),
					chromedp.Evaluate(`window.replayState.positions()`, &pos),
				)
				if err != nil {
					t.Fatal(err)
				}
				for u, p := range pos {
					if p[0] < float64(group[u])/2-0.01 || p[0] > float64(group[u]+1)/2+0.01 {
						t.Errorf("%s round %d, by round informed: node %d of group %d at x %.3f, outside its half", c.name, r, u, group[u], p[0])
					}
				}
			}
			if shots != "" && (r == 4 || r == last) {
				var png []byte
				if err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(shots, fmt.Sprintf("faults-%s-round%d.png", c.name, r)), png, 0o644)
			}
		}
	}
	b.Check(t, "replay pages must work offline", "file://")
}

// stateAt is node u's state in round r by the brief's rule: down while
// an outage holds it; else informed iff it learned at or before r (first
// or again) and no empty comeback lies after that learning, up to r;
// newly informed if that learning is in r.
func stateAt(rf *results.ReplayFile, u, r int) int {
	if downAt(rf, u, r) {
		return 3
	}
	learned := -1
	if f := int(rf.FirstInformed[u]); f >= 0 && f <= r {
		learned = f
	}
	for _, l := range rf.Relearned {
		if int(l[0]) == u && int(l[1]) <= r {
			learned = max(learned, int(l[1]))
		}
	}
	if learned < 0 {
		return 0
	}
	for _, o := range rf.ReplayOutages() {
		if int(o.Node) == u && !o.Keep && o.Up >= 0 && int(o.Up) > learned && int(o.Up) <= r {
			return 0
		}
	}
	if learned == r {
		return 2
	}
	return 1
}

// downAt is whether an outage of rf holds node u down in round r.
func downAt(rf *results.ReplayFile, u, r int) bool {
	for _, o := range rf.ReplayOutages() {
		if int(o.Node) == u && int(o.Down) <= r && (o.Up < 0 || r < int(o.Up)) {
			return true
		}
	}
	return false
}
