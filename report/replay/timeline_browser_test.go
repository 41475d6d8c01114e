package replay

import (
	"math"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/browsertest"
)

// The timeline (timeline.js) paints the informed curve, the alive under
// faults and the partition's shading, marks the round shown, and takes a
// click or a drag to the round under the pointer: its left end is round
// 0, its right end the last.
func TestTimelineInBrowser(t *testing.T) {
	rf := faultReplay(t, 40, false, engine.Topology{})
	page := writePage(t, t.TempDir(), "timeline", "timeline", rf)
	last := len(rf.Rounds) - 1
	b := browsertest.Start(t, browsertest.Options{Width: 1400, Height: 1000, Timeout: time.Minute, Offline: true})
	// painted is a hash of the timeline's pixels, and how many are not
	// blank.
	const painted = `(function () {
  var c = document.getElementById("timeline"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  var h = 0, k = 0;
  for (var i = 3; i < d.length; i += 4) { if (d[i]) k++; h = (h * 31 + d[i] + d[i - 1] * 7) % 1000000007; }
  return [h, k];
})()`
	var rect box
	var at0, atLast [2]float64
	var r1, r2 int
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate("file://"+page+"#round=0"),
		chromedp.WaitVisible(`body[data-ready="1"]`),
		chromedp.Evaluate(painted, &at0),
		chromedp.Evaluate(`(function () { var r = document.getElementById("timeline").getBoundingClientRect(); return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`, &rect),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The clicks' places are known once the rectangle is.
	err = chromedp.Run(b.Ctx,
		chromedp.MouseClickXY(rect.end(1), rect.mid()),
		chromedp.Evaluate(`window.replayState.round`, &r1),
		chromedp.Evaluate(painted, &atLast),
		chromedp.MouseClickXY(rect.end(0), rect.mid()),
		chromedp.Evaluate(`window.replayState.round`, &r2),
	)
	if err != nil {
		t.Fatal(err)
	}
	if at0[1] < 500 {
		t.Errorf("the timeline has %v painted pixels: not drawn", at0[1])
	}
	if r1 != last || r2 != 0 {
		t.Errorf("a click at the right end went to round %d, at the left end to %d; want %d and 0", r1, r2, last)
	}
	if at0[0] == atLast[0] {
		t.Error("the timeline looks the same at round 0 and at the last: the round is not marked")
	}
	b.Check(t, "replay pages must work offline", "file://")
}

// box is an element's rectangle in CSS pixels.
type box struct{ X, Y, W, H float64 }

// end is the x of the timeline's left end (at 0) or right end (at 1),
// a pixel inside its padding; mid its middle height.
func (b box) end(at float64) float64 { return b.X + 4 + at*(b.W-8) - math.Copysign(1, at-0.5) }
func (b box) mid() float64           { return b.Y + b.H/2 }
