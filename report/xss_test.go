package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/replay"
)

// payloads each set window.xss if they run: breaking out of a script
// element, an element for a tooltip's innerHTML, go-echarts' marker for
// raw code, and an HTML comment that changes how the script is parsed.
var payloads = []string{
	`</script><script>window.xss=1</script>`,
	`<img src=x onerror="window.xss=2">'"` + "\u2028",
	`__f__(window.xss=3)__f__`,
	`<!--<script>`,
}

// hostileKey replaces the sweep key of the single-key scenario. It holds
// no "=" or ",", so the charts still read each point's value of it from
// the point's ID, and show those (the payloads) as series names.
const hostileKey = `fanout</script><script>window.xss++</script>`

// hostileResults writes a line sweep and a grid, then rewrites their
// point IDs (in summary.json and rounds.csv) and the line sweep's key to
// the payloads, as a results directory downloaded from CI could hold
// them. It returns the results root and every hostile ID.
func hostileResults(t *testing.T) (string, []string) {
	t.Helper()
	root := t.TempDir()
	writeResults(t, root, map[string]string{
		"line": "name: line\nnodes: 50\ntrials: 3\nreplay: {max_nodes: 50}\nsweep:\n  fanout: [1, 2, 3, 4]\n",
		"grid": "name: grid\nnodes: 50\ntrials: 3\nsweep:\n  mode: [push, pull]\n  loss: [0, 0.2]\n",
	})
	var all []string
	for _, name := range []string{"line", "grid"} {
		dir := filepath.Join(root, name)
		rd, err := results.OpenResult(dir)
		if err != nil {
			t.Fatal(err)
		}
		sum := rd.Summary
		rd.Close()
		ids := hostileIDs(sum, name == "line")
		for _, id := range ids {
			all = append(all, id)
		}
		data, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, results.SummaryFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		rewriteRounds(t, filepath.Join(dir, results.RoundsFile), ids)
	}
	return root, all
}

// hostileIDs gives sum's points the payloads as IDs (and, with key, its
// sweep key too), returning the new ID of each old one.
func hostileIDs(sum *results.Summary, key bool) map[string]string {
	ids := map[string]string{}
	for i := range sum.Points {
		p := &sum.Points[i]
		id := p.ID + payloads[i%len(payloads)]
		if key {
			id = strings.Replace(id, "fanout", hostileKey, 1)
		}
		ids[p.ID], p.ID = id, id
	}
	if key {
		sum.Sweep = []string{hostileKey}
	}
	return ids
}

// The results reader refuses such IDs (a point ID names a replay file),
// so none of them reaches a page: Render exits 2 naming summary.json and
// writes no page for either scenario.
func TestHostileIDsAreRefused(t *testing.T) {
	root, _ := hostileResults(t)
	out, err := Render(root)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), filepath.Join(root, "line", results.SummaryFile)) ||
		!strings.Contains(err.Error(), filepath.Join(root, "grid", results.SummaryFile)) {
		t.Fatalf("error %v, want an *InputError naming both summaries", err)
	}
	if out == nil || len(out.Scenarios) != 0 {
		t.Fatalf("rendered %+v", out)
	}
	for _, page := range []string{"line/index.html", "grid/index.html"} {
		if _, err := os.Stat(filepath.Join(root, page)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v, want no page", page, err)
		}
	}
}

// renderHostile renders pages for results that got past the reader with
// the payloads in their IDs, as if its checks had a hole: the escaping of
// every page must hold on its own. The replay page carries a hostile ID
// in its title.
func renderHostile(t *testing.T) (string, []string) {
	t.Helper()
	root := t.TempDir()
	writeResults(t, root, map[string]string{
		"line": "name: line\nnodes: 50\ntrials: 3\nreplay: {max_nodes: 50}\nsweep:\n  fanout: [1, 2, 3, 4]\n",
		"grid": "name: grid\nnodes: 50\ntrials: 3\nsweep:\n  mode: [push, pull]\n  loss: [0, 0.2]\n",
	})
	d, err := outdir.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var loaded []*Result
	var all []string
	for _, name := range []string{"line", "grid"} {
		rd, err := results.OpenResult(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		r, err := load(rd)
		if err != nil {
			t.Fatal(err)
		}
		if name == "line" {
			rf, err := rd.Replay("fanout=1")
			if err != nil {
				t.Fatal(err)
			}
			var page bytes.Buffer
			if err := replay.Page(&page, rf, "line: fanout=1"+payloads[0]+payloads[1], "../index.html"); err != nil {
				t.Fatal(err)
			}
			if err := d.Stage("line/replay/fanout=1.html", page.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		for i := range r.Summary.Points {
			r.Summary.Points[i].Replay = "" // replays are looked up by the IDs the reader checked
		}
		ids := hostileIDs(r.Summary, name == "line")
		all = append(all, rekey(r, ids, name == "line")...)
		if err := renderScenario(d, r, &Rendered{}); err != nil {
			t.Fatal(err)
		}
		loaded = append(loaded, r)
	}
	if err := commit(d, loaded); err != nil {
		t.Fatal(err)
	}
	return root, all
}

// showTips opens every chart's tooltip, which ECharts fills as HTML.
const showTips = `(function () {
  var n = 0;
  document.querySelectorAll('[_echarts_instance_]').forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    c.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
    n++;
  });
  return n;
})()`

// seriesNames lists the series names of every chart on the page.
const seriesNames = `JSON.stringify(Array.prototype.concat.apply([], Array.prototype.map.call(
  document.querySelectorAll('[_echarts_instance_]'), function (el) {
    return echarts.getInstanceByDom(el).getOption().series.map(function (s) { return s.name; });
  })))`

// tooltipText is the text of every tooltip ECharts shows: the divs it
// adds beside each chart's canvas.
const tooltipText = `Array.prototype.map.call(document.querySelectorAll('[_echarts_instance_] > div:not(:first-child)'),
  function (d) { return d.innerText; }).join('\n')`

// injected is what the payloads leave if they run or become markup.
const injected = `JSON.stringify({xss: window.xss === undefined ? null : String(window.xss),
  imgs: document.querySelectorAll('img').length,
  scripts: Array.prototype.filter.call(document.scripts, function (s) { return /^\s*window\.xss/.test(s.text); }).length})`

// TestHostileIDsInBrowser renders results whose point IDs and sweep key
// carry script and markup, opens every page in Chromium, shows every
// chart's tooltip, and checks that nothing ran or became an element, and
// that the charts show the IDs as they are.
func TestHostileIDsInBrowser(t *testing.T) {
	root, all := renderHostile(t)
	ids := all[:0:0]
	for _, id := range all {
		if strings.Contains(id, hostileKey) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	b := newBrowser(t)
	pages := []string{"index.html", "line/index.html", "grid/index.html", "line/replay/fanout=1.html"}
	const clean = `{"xss":null,"imgs":0,"scripts":0}`
	for _, page := range pages {
		var left, text string
		err := chromedp.Run(b.Ctx, chromedp.Navigate("file://"+filepath.Join(root, page)), chromedp.WaitReady("body"),
			chromedp.Evaluate(injected, &left), chromedp.Evaluate(`document.body.innerText`, &text))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if left != clean {
			t.Errorf("%s: injected content ran or became markup: %s", page, left)
			continue
		}
		if page != "line/replay/fanout=1.html" && !strings.Contains(text, "window.xss=") {
			t.Errorf("%s does not show the IDs as text", page)
		}
		if !strings.HasSuffix(page, "/index.html") {
			continue
		}
		var tips int
		var names, tipText string
		err = chromedp.Run(b.Ctx, chromedp.WaitVisible(`#chart-convergence canvas`),
			chromedp.Evaluate(showTips, &tips),
			chromedp.Evaluate(seriesNames, &names),
			chromedp.Evaluate(tooltipText, &tipText),
			chromedp.Evaluate(injected, &left))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if left != clean {
			t.Errorf("%s: with tooltips shown, injected content ran or became markup: %s", page, left)
		}
		if tips < 6 {
			t.Errorf("%s: %d chart panels, want at least 6", page, tips)
		}
		// The line sweep's series are named for the points' values of the
		// hostile key, read from the hostile IDs (the grid's come from
		// the points' parameters).
		if page == "line/index.html" {
			if !strings.Contains(tipText, "window.xss=") || !strings.Contains(text, hostileKey) {
				t.Errorf("%s: tooltips say %q; want the values in them, and the key on the page, as text", page, tipText)
			}
			var got []string
			json.Unmarshal([]byte(names), &got)
			for _, id := range ids[:4] {
				if value := strings.TrimSpace(strings.SplitN(id, "=", 2)[1]); !contains(got, value) {
					t.Errorf("%s: no series is named %q; series %q", page, value, got)
				}
			}
		}
	}
	check(t, b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func rewriteRounds(t *testing.T, path string, ids map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		row[0] = ids[row[0]]
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.WriteAll(rows)
	if err := out.Close(); err != nil || w.Error() != nil {
		t.Fatal(err, w.Error())
	}
}
