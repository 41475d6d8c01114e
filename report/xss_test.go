package report

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gossipbench/gossipbench/experiments"
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

// hostileKey replaces the sweep key of the single-key scenario.
const hostileKey = `fanout</script><script>window.xss=5</script>`

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
		sum, err := experiments.ReadSummary(dir)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for i := range sum.Points {
			p := &sum.Points[i]
			id := p.ID + payloads[i%len(payloads)]
			if name == "line" {
				id = strings.Replace(id, "fanout", hostileKey, 1)
			}
			ids[p.ID], p.ID = id, id
			all = append(all, id)
		}
		if name == "line" {
			sum.Sweep = []string{hostileKey}
		}
		data, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, experiments.SummaryFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		rewriteRounds(t, filepath.Join(dir, experiments.RoundsFile), ids)
	}
	return root, all
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
const injected = `JSON.stringify({xss: window.xss === undefined ? null : window.xss,
  imgs: document.querySelectorAll('img').length,
  scripts: Array.prototype.filter.call(document.scripts, function (s) { return /^\s*window\.xss/.test(s.text); }).length})`

// TestHostileIDsInBrowser renders results whose point IDs and sweep key
// carry script and markup, opens every page in Chromium, shows every
// chart's tooltip, and checks that nothing ran or became an element, and
// that the charts show the IDs as they are.
func TestHostileIDsInBrowser(t *testing.T) {
	root, ids := hostileResults(t)
	out, err := Render(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Scenarios) != 2 || out.Replays == 0 {
		t.Fatalf("rendered %+v", out)
	}
	b := newBrowser(t)
	pages := []string{"index.html", "line/index.html", "grid/index.html", "line/replay/fanout=1.html"}
	const clean = `{"xss":null,"imgs":0,"scripts":0}`
	for _, page := range pages {
		var left, text string
		err := chromedp.Run(b.ctx, chromedp.Navigate("file://"+filepath.Join(root, page)), chromedp.WaitReady("body"),
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
		err = chromedp.Run(b.ctx, chromedp.WaitVisible(`#chart-convergence canvas`),
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
		if tips < 6 || !strings.Contains(tipText, "window.xss=") {
			t.Errorf("%s: %d charts, tooltips say %q; want the IDs shown as text", page, tips, tipText)
		}
		if page == "line/index.html" {
			var got []string
			json.Unmarshal([]byte(names), &got)
			for _, id := range ids[:4] {
				if !contains(got, id) {
					t.Errorf("%s: no series is named %q; series %q", page, id, got)
				}
			}
		}
	}
	b.check(t)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
