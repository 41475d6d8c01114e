package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/browsertest"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/replay"
)

// browser is headless Chromium with the network off: reports open from
// file:// and need nothing else.
type browser = browsertest.Browser

func newBrowser(t *testing.T) *browser {
	t.Helper()
	return browsertest.Start(t, browsertest.Options{Width: 1280, Height: 900, Timeout: 90 * time.Second, Offline: true, Files: true})
}

// check fails the test on a console error or a request that is not for a
// local file.
func check(t *testing.T, b *browser) { t.Helper(); b.Check(t, "reports must work offline", "file://") }

// TestReportInBrowser opens the index in Chromium, follows a link to a
// scenario page, opens a replay, steps and plays it, and checks that the
// round counter and the node colours change. It saves screenshots.
func TestReportInBrowser(t *testing.T) {
	root := renderSample(t)
	b := newBrowser(t)
	shots := filepath.Join(root, "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	var nCharts int
	var shot []byte
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate("file://"+filepath.Join(root, "index.html")),
		chromedp.WaitVisible(`a.scenario-link`),
		chromedp.Click(`#scenario-sample a.scenario-link`),
		chromedp.WaitVisible(`#chart-convergence canvas`),
		chromedp.Evaluate(`document.querySelectorAll('[_echarts_instance_]').length`, &nCharts),
		chromedp.FullScreenshot(&shot, 80),
	)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(shots, "scenario.jpg"), shot, 0o644)
	if nCharts < 6 {
		t.Errorf("%d interactive charts on the scenario page, want at least 6", nCharts)
	}

	var label0, label2, informed0, informed2, sum0, sum2 string
	var readyMs float64
	err = chromedp.Run(b.Ctx,
		chromedp.Click(`a.replay-link`),
		chromedp.WaitVisible(`body[data-ready="1"]`),
		chromedp.Evaluate(`performance.now()`, &readyMs),
		chromedp.Text(`#round-label`, &label0),
		chromedp.Text(`#informed`, &informed0),
		chromedp.Evaluate(canvasSum, &sum0),
		chromedp.Click(`#forward`),
		chromedp.Click(`#forward`),
		// update() draws synchronously, so once the state says round 2
		// the labels and canvas show it.
		chromedp.Poll(`window.replayState.round === 2`, nil, chromedp.WithPollingTimeout(time.Minute)),
		chromedp.Text(`#round-label`, &label2),
		chromedp.Text(`#informed`, &informed2),
		chromedp.Evaluate(canvasSum, &sum2),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Logged, not asserted: speed is for benchmarks, not for tests that a
	// busy machine would fail.
	t.Logf("1000-node replay drawn %.0f ms after its navigation started", readyMs)
	if label0 == label2 || informed0 == informed2 || sum0 == sum2 {
		t.Errorf("stepping two rounds changed nothing: round %q -> %q, informed %q -> %q, canvas %s -> %s",
			label0, label2, informed0, informed2, sum0, sum2)
	}
	var playing bool
	var round, last int
	err = chromedp.Run(b.Ctx,
		chromedp.Click(`#play`),
		chromedp.Evaluate(`window.replayState.playing`, &playing),
		// Playback moves a round every 800 ms; wait for it to get past
		// round 2, however slow this machine is (the replay has more).
		chromedp.Poll(`window.replayState.round > 2`, nil, chromedp.WithPollingTimeout(time.Minute)),
		chromedp.Evaluate(`window.replayState.round`, &round),
		chromedp.Evaluate(`+document.getElementById('round').max`, &last),
		chromedp.CaptureScreenshot(&shot),
	)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(shots, "replay.png"), shot, 0o644)
	if !playing || round <= 2 || last <= 2 {
		t.Errorf("play: playing %v, round %d of %d", playing, round, last)
	}
	check(t, b)
	if out := os.Getenv("REPORT_SCREENSHOTS"); out != "" {
		copyDir(t, shots, out)
	}
}

// canvasSum is a checksum of the replay canvas's pixels: it changes when
// node colours or edges change.
const canvasSum = `(function () {
  var c = document.getElementById('canvas');
  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  var h = 0;
  for (var i = 0; i < d.length; i += 7) { h = (h * 31 + d[i]) | 0; }
  return String(h);
})()`

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	os.MkdirAll(to, 0o755)
	entries, _ := os.ReadDir(from)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(from, e.Name()))
		os.WriteFile(filepath.Join(to, e.Name()), data, 0o644)
	}
	fmt.Println("screenshots in", to)
}

// TestPagesFitTheWindow opens the index and a scenario page in a wide and a
// phone-sized window: nothing may stick out sideways (a wide table scrolls
// in its own box), and on the wide one the points table shows every column,
// replay links included.
func TestPagesFitTheWindow(t *testing.T) {
	root := renderSample(t)
	// A sweep of churn and partitions names each point's faults in the
	// scenario's meta line: long, and it must wrap.
	writeResults(t, root, map[string]string{"faults": "name: faults\nnodes: 50\ntrials: 2\nmode: pushpull\n" +
		"failures: [{round: 2, crash: 0.1, recover: 5}]\npartitions: [{round: 1, heal: 4, groups: [0.3, 0.7], oneway: true}]\n" +
		"churn: {leave: 0.01, join: 0.05, from: 1, until: 40}\nstop: {rule: counter, k: 3}\nsweep: {churn.leave: [0, 0.005, 0.01, 0.02, 0.05], stop.rule: [none, counter]}\n",
		// scenarios/churn.yaml, small: fewer columns, just too many for the plain table.
		"churn": "name: churn\nnodes: 50\ntrials: 2\nmode: push\nmax_rounds: 60\nstop: {rule: counter, k: 3}\n" +
			"churn: {leave: 0.01, join: 0.05, from: 1, until: 40}\nsweep: {churn.leave: [0, 0.005, 0.01, 0.02, 0.05], stop.rule: [none, counter]}\n"})
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	const overflow = `(function () {
  var w = document.documentElement.clientWidth, out = [];
  var clipped = function (e) {
    for (e = e.parentElement; e; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') return true;
    }
    return false;
  };
  document.querySelectorAll('main *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && !clipped(e)) out.push(e.tagName + ' ' + e.textContent.slice(0, 40) + ' ends at ' + Math.round(r.right));
  });
  return out.slice(0, 5);
})()`
	for _, width := range []int64{1280, 420} {
		for _, page := range []string{"index.html", "sample/index.html", "faults/index.html", "churn/index.html"} {
			var out []string
			var tableFits bool
			err := chromedp.Run(b.Ctx,
				chromedp.EmulateViewport(width, 900),
				chromedp.Navigate("file://"+filepath.Join(root, page)),
				chromedp.WaitReady(`table`),
				chromedp.Evaluate(overflow, &out),
				chromedp.Evaluate(`Array.from(document.querySelectorAll('.scroll')).every(function (s) { return s.scrollWidth <= s.clientWidth; })`, &tableFits),
			)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) > 0 {
				t.Errorf("%s at %d px: elements past the window's right edge: %q", page, width, out)
			}
			if width >= 1280 && !tableFits {
				t.Errorf("%s at %d px: a table needs scrolling sideways", page, width)
			}
		}
	}
	check(t, b)
}

// A free-running replay of an older gossipbench records no messages; the
// page says so in the browser instead of "0" and "No messages." beside
// nodes it informed. One of this gossipbench draws its messages, counts
// the unrecorded ones in the round's total and names them.
func TestFreeReplayMessages(t *testing.T) {
	rf := &results.ReplayFile{Schema: results.SchemaVersion, Scenario: "free", Point: "base",
		Params: results.Params{Engine: "http", Nodes: 4, Mode: engine.PushPull, Fanout: 1, MaxRounds: 10,
			HTTP: results.HTTPParams{Drive: "free", Interval: results.Duration(50 * time.Millisecond)}},
		Kinds: engine.KindNames, Outcomes: engine.OutcomeNames, Source: 0,
		FirstInformed: []int32{0, 1, 2, 2}, CrashedAt: []int32{-1, -1, -1, -1},
		Rounds: [][][4]int32{{}, {}, {}}}
	b := newBrowser(t)
	page := func(rf *results.ReplayFile) (sent, kinds string) {
		t.Helper()
		file := filepath.Join(t.TempDir(), "free.html")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := replay.Page(f, rf, "free", ""); err != nil {
			t.Fatal(err)
		}
		f.Close()
		err = chromedp.Run(b.Ctx,
			chromedp.Navigate("file://"+file+"#round=2"),
			chromedp.WaitVisible(`body[data-ready="1"]`),
			chromedp.Text(`#kinds`, &kinds),
			chromedp.Text(`#sent`, &sent),
		)
		if err != nil {
			t.Fatal(err)
		}
		return sent, kinds
	}
	if sent, kinds := page(rf); !strings.Contains(kinds, "not recorded") || sent != "-" {
		t.Errorf("round 2 of an old free-running replay: messages %q, %q; want them marked not recorded", sent, kinds)
	}
	rf.Rounds[2] = [][4]int32{{1, 2, 1, 0}, {2, 1, 2, 1}, {1, 3, 1, 2}}
	rf.Unrecorded = []int{0, 0, 5}
	if sent, kinds := page(rf); sent != "8" || kinds != "2 requests \u00b7 1 answer \u00b7 5 not recorded" {
		t.Errorf("round 2 of a free-running replay: messages %q, %q; want 8, of them 5 not recorded", sent, kinds)
	}
	check(t, b)
}
