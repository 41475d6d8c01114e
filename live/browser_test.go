package live

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gossipbench/gossipbench/internal/browsertest"
)

// browser is headless Chromium, as report's tests start it, with the
// network on: the page talks to the live server.
type browser = browsertest.Browser

func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	return browsertest.Start(t, browsertest.Options{Width: width, Height: height, Timeout: 2 * time.Minute})
}

// check fails the test on a console error or a request anywhere but the
// live server: the page works with no network.
func check(t *testing.T, b *browser, origin string) {
	t.Helper()
	b.Check(t, "it must need nothing but the live server", origin)
}

// waitJS polls a JavaScript condition until it holds; the browser's
// context bounds it.
func waitJS(cond string) chromedp.Action {
	return chromedp.Poll(cond, nil, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second))
}

// shotDir is where screenshots go: $LIVE_SCREENSHOTS, or the test's
// temporary directory.
func shotDir(t *testing.T) string {
	if d := os.Getenv("LIVE_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}

// The page, driven as a user would: send a message through the box, see
// every node informed and its curve reach 100 %, crash a node by clicking
// it, reset.
func TestPageInBrowser(t *testing.T) {
	o := testOptions(12)
	o.Interval = 50 * time.Millisecond
	s := startLive(t, o)
	b := newBrowser(t, 1400, 900)
	shots := shotDir(t)
	origin := strings.TrimSuffix(s.URL(), "/")
	var shot []byte
	var last float64
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL()),
		waitJS(`document.getElementById("status").textContent.startsWith("connected")`),
		chromedp.SetValue(`#send-text`, "hello from the page", chromedp.ByID),
		chromedp.Click(`#send`, chromedp.ByID),
		// Every node informed on the graph, the table says 12 and a time to 100 %.
		waitJS(`window.live.informed() === 12`),
		waitJS(`(function () { var r = document.querySelector("#messages-body tr.msg");
			return r !== null && r.children[3].textContent === "12 ✓" && r.children[6].textContent !== "–"; })()`),
		// The chart's curve reaches all 12 nodes.
		waitJS(`(function () { var s = echarts.getInstanceByDom(document.getElementById("chart")).getOption().series;
			return s.length === 1 && s[0].data.length === 12; })()`),
		chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart")).getOption().series[0].data[11][1]`, &last),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatal(err)
	}
	writeShot(t, shots, "live-1400.png", shot)
	if last != 12 {
		t.Errorf("the curve ends at %v nodes, want 12", last)
	}
	if st := state(t, s); len(st.Messages) != 1 || st.Messages[0].Data != "hello from the page" || st.Messages[0].Informed != 12 {
		t.Fatalf("the server's state: %+v", st.Messages)
	}

	// Message data is text, however it looks.
	hostile := `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`
	mustCall(t, s, http.MethodPost, PathMessages, map[string]any{"data": hostile}, nil)
	var cell string
	var pwned bool
	err = chromedp.Run(b.Ctx,
		waitJS(`document.querySelectorAll("#messages-body tr.msg").length === 2`),
		// One evaluation, not a query and then a read: the table is built
		// again on every event, and a row read after it was replaced is "".
		chromedp.Evaluate(`document.querySelector("#messages-body tr.msg td.data").textContent`, &cell),
		chromedp.Evaluate(`window.pwned !== undefined || document.querySelector("#messages img, #messages script") !== null`, &pwned),
	)
	if err != nil {
		t.Fatal(err)
	}
	if pwned || cell != hostile {
		t.Errorf("hostile data shown as %q, ran or made elements: %v", cell, pwned)
	}

	// Click node 5, crash it.
	var xy []float64
	var rect []float64
	err = chromedp.Run(b.Ctx,
		chromedp.Evaluate(`window.live.nodeXY(5)`, &xy),
		chromedp.Evaluate(`(function () { var r = document.getElementById("canvas").getBoundingClientRect(); return [r.left, r.top]; })()`, &rect),
	)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Run(b.Ctx,
		chromedp.MouseClickXY(rect[0]+xy[0], rect[1]+xy[1]),
		chromedp.WaitVisible(`#nodebox`, chromedp.ByID),
		waitJS(`document.getElementById("nb-title").textContent === "node 5"`),
		chromedp.Click(`#nb-crash`, chromedp.ByID),
		waitJS(`window.live.alive(5) === false && document.getElementById("nb-state").textContent === "crashed"`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if st := state(t, s); st.Nodes[5].Alive {
		t.Errorf("node 5 is alive on the server after the page crashed it")
	}
	// Reset clears it all, on the page and on the server.
	err = chromedp.Run(b.Ctx,
		chromedp.Click(`#reset`, chromedp.ByID),
		waitJS(`document.querySelector("#messages-body tr.empty") !== null && window.live.selected() === null`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if st := state(t, s); len(st.Messages) != 0 {
		t.Errorf("messages after the page's reset: %+v", st.Messages)
	}
	// The cluster's controls change the nodes' config.
	err = chromedp.Run(b.Ctx,
		chromedp.SetValue(`#cfg-mode`, "pushpull", chromedp.ByID),
		chromedp.SetValue(`#cfg-fanout`, "3", chromedp.ByID),
		chromedp.Click(`#cfg-apply`, chromedp.ByID),
		waitJS(`document.getElementById("status").textContent === "config applied"`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if c := state(t, s).Config; *c.Fanout != 3 || c.Mode.String() != "pushpull" {
		t.Errorf("config after the page's Apply: fanout %d, mode %v", *c.Fanout, c.Mode)
	}
	// Narrow: the same page on a phone.
	err = chromedp.Run(b.Ctx,
		chromedp.EmulateViewport(420, 900),
		chromedp.SetValue(`#send-text`, "on a phone", chromedp.ByID),
		chromedp.Click(`#send`, chromedp.ByID),
		waitJS(`window.live.informed() === 11`),
		waitJS(`(function () { var r = document.querySelector("#messages-body tr.msg");
			return r !== null && r.children[3].textContent === "11 ✓"; })()`),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatal(err)
	}
	writeShot(t, shots, "live-420.png", shot)
	check(t, b, origin)
}

func writeShot(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", filepath.Join(dir, name))
}

// The page's frame rate while a message spreads through 100 and 1000
// nodes (figures for the README; the bound only catches a page that
// stalls).
func TestPageFrameRate(t *testing.T) {
	if testing.Short() {
		t.Skip("measures for seconds")
	}
	for _, nodes := range []int{100, 1000} {
		t.Run(fmt.Sprint(nodes), func(t *testing.T) {
			o := testOptions(nodes)
			o.Interval = 500 * time.Millisecond
			s := startLive(t, o)
			b := newBrowser(t, 1400, 900)
			var m struct {
				FPS, DrawMs, Events, Gossip float64
			}
			var shot []byte
			err := chromedp.Run(b.Ctx,
				chromedp.Navigate(s.URL()),
				waitJS(`document.getElementById("status").textContent.startsWith("connected")`),
				chromedp.SetValue(`#send-text`, "frame rate", chromedp.ByID),
				chromedp.Click(`#send`, chromedp.ByID),
				waitJS(`window.live.informed() > 1`),
				// Frames over 4 s of wall time, while it spreads.
				chromedp.Evaluate(`new Promise(function (done) {
					var s = window.liveStats, f0 = s.frames, d0 = s.drawMs, e0 = s.events, g0 = s.gossip, t0 = performance.now();
					setTimeout(function () {
						var dt = (performance.now() - t0) / 1000, frames = s.frames - f0;
						done({FPS: frames / dt, DrawMs: (s.drawMs - d0) / Math.max(frames, 1),
							Events: (s.events - e0) / dt, Gossip: (s.gossip - g0) / dt});
					}, 4000);
				})`, &m, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
				chromedp.FullScreenshot(&shot, 100),
			)
			if err != nil {
				t.Fatal(err)
			}
			writeShot(t, shotDir(t), fmt.Sprintf("live-%d-nodes.png", nodes), shot)
			t.Logf("%d nodes: %.1f frames/s, %.2f ms drawing a frame, %.0f events/s (%.0f gossip/s)", nodes, m.FPS, m.DrawMs, m.Events, m.Gossip)
			if m.FPS < 5 {
				t.Errorf("%.1f frames/s: the page stalls", m.FPS)
			}
			check(t, b, strings.TrimSuffix(s.URL(), "/"))
		})
	}
}
