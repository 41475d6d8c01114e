package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartScenarios are the shapes of sweep the charts must draw right, small
// enough to run in a second: a numeric key, node counts spanning decades
// (with a crash to mark), a grid (small multiples), and a categorical key.
var chartScenarios = map[string]string{
	"fanout": "name: fanout\nnodes: 200\ntrials: 4\nsweep:\n  fanout: [1, 2, 4, 8]\n",
	"nodes":  "name: nodes\nfanout: 2\ntrials: 3\nfailures: [{round: 3, crash: 0.1}]\nsweep:\n  nodes: [30, 300, 3000]\n",
	"modes":  "name: modes\ntrials: 3\nsweep:\n  mode: [push, pull]\n  nodes: [50, 500]\n",
	"mode":   "name: mode\nnodes: 100\ntrials: 3\nsweep:\n  mode: [push, pull, pushpull]\n",
}

// probe is what the page's ECharts instances hold, read back with
// getOption: the options as ECharts understood them, not as written.
const probe = `JSON.stringify(Array.prototype.map.call(document.querySelectorAll('[_echarts_instance_]'), function (el) {
  var c = echarts.getInstanceByDom(el), o = c.getOption();
  var extent = function (k) { return c.getModel().getComponent(k, 0).axis.scale.getExtent(); };
  var lg = o.legend && o.legend[0] || {};
  return {id: el.id, chart: el.closest('.echart').id, x: o.xAxis[0].type, y: o.yAxis[0].type,
    xRange: extent('xAxis'), yRange: extent('yAxis'),
    title: (o.title && o.title[0] && o.title[0].text) || '', legendType: lg.type || '',
    legend: (lg.data || []).map(function (d) { return typeof d === 'string' ? d : d.name; }),
    series: o.series.map(function (s) {
      return {type: s.type, name: s.name || '', dashed: !!(s.lineStyle && s.lineStyle.type === 'dashed'), data: s.data,
        marks: (s.markLine && s.markLine.data || []).map(function (d) { return d.name; })};
    })};
}))`

type probed struct {
	ID, Chart, X, Y, Title, LegendType string
	Legend                             []string
	XRange, YRange                     []any
	Series                             []struct {
		Type, Name string
		Dashed     bool
		Data       json.RawMessage
		Marks      []string
	}
}

// errorBars is the data of a panel's error-bar series: custom series of
// [x, mean, lo, hi] items.
func (p probed) errorBars() [][]float64 {
	var out [][]float64
	for _, s := range p.Series {
		var items [][]float64
		if s.Type != "custom" || json.Unmarshal(s.Data, &items) != nil {
			continue
		}
		for _, it := range items {
			if len(it) == 4 {
				out = append(out, it)
			}
		}
	}
	return out
}

// theory tells whether the panel has a dashed or dash-marked series named
// for a theory, listed in its legend.
func (p probed) theory() bool {
	for _, s := range p.Series {
		if strings.Contains(s.Name, "theory") && (s.Dashed || s.Type == "scatter") && contains(p.Legend, s.Name) {
			return true
		}
	}
	return false
}

// TestChartsInBrowser renders real runs and checks, in Chromium at 1400
// and 420 px, what the charts hold: numeric sweep axes (log for node
// counts), categorical only for categories, error bars around the means, a
// theory series the legend toggles, a panel per value of a grid's first
// key, all titled, and nothing wider than the window.
func TestChartsInBrowser(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, chartScenarios)
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	shots := os.Getenv("REPORT_SCREENSHOTS")
	for _, width := range []int64{1400, 420} {
		for _, name := range []string{"fanout", "nodes", "modes", "mode"} {
			var raw string
			var scrollW int
			var legendOut, shown []string
			err := chromedp.Run(b.Ctx,
				chromedp.EmulateViewport(width, 900),
				chromedp.Navigate("file://"+filepath.Join(root, name, "index.html")),
				chromedp.WaitVisible(`#chart-sweep canvas`),
				chromedp.Evaluate(probe, &raw),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollW),
				chromedp.Evaluate(`Array.prototype.filter.call(document.querySelectorAll('.legend-item'), function (b) {
  var r = b.getBoundingClientRect(); return r.width === 0 || r.right > window.innerWidth; }).map(function (b) { return b.textContent; })`, &legendOut),
				chromedp.Evaluate(`Array.prototype.map.call(document.querySelectorAll('#sweep-legend .legend-item, #convergence-legend .legend-item'), function (b) { return b.textContent.trim(); })`, &shown),
			)
			if err != nil {
				t.Fatalf("%s at %d px: %v", name, width, err)
			}
			var panels []probed
			if err := json.Unmarshal([]byte(raw), &panels); err != nil {
				t.Fatalf("%s: %v\n%s", name, err, raw)
			}
			where := fmt.Sprintf("%s at %d px", name, width)
			if scrollW > int(width) {
				t.Errorf("%s: the page is %d px wide", where, scrollW)
			}
			if len(legendOut) > 0 {
				t.Errorf("%s: legend entries hidden or past the window: %q", where, legendOut)
			}
			if !contains(shown, "theory: rounds to 99 %") || !contains(shown, "mean-field theory") {
				t.Errorf("%s: the legends show %q, want the theory lines among them", where, shown)
			}
			checkCharts(t, where, name, panels)
			if shots != "" {
				saveShots(t, b, shots, fmt.Sprintf("%s-%d", name, width))
			}
		}
	}
	check(t, b)
}

func checkCharts(t *testing.T, where, name string, panels []probed) {
	t.Helper()
	byChart := map[string][]probed{}
	for _, p := range panels {
		byChart[p.Chart] = append(byChart[p.Chart], p)
		if p.LegendType == "scroll" {
			t.Errorf("%s: %s has a paged legend", where, p.ID)
		}
	}
	sweep := byChart["sweep"]
	if len(sweep) == 0 {
		t.Fatalf("%s: no sweep chart; charts %v", where, panels)
	}
	wantX := map[string]string{"fanout": "value", "nodes": "log", "modes": "log", "mode": "category"}[name]
	for _, p := range append(sweep, byChart["sweep-messages"]...) {
		if p.X != wantX {
			t.Errorf("%s: %s has a %q x axis, want %q", where, p.ID, p.X, wantX)
		}
		bars := p.errorBars()
		if len(bars) == 0 {
			t.Errorf("%s: %s has no error bars", where, p.ID)
		}
		for _, e := range bars {
			if !(e[2] <= e[1] && e[1] <= e[3]) {
				t.Errorf("%s: %s: error bar %v does not hold its mean", where, p.ID, e)
			}
		}
		if !p.theory() {
			t.Errorf("%s: %s has no dashed theory series in its legend", where, p.ID)
		}
	}
	for _, p := range byChart["convergence"] {
		if p.X != "value" || !p.theory() {
			t.Errorf("%s: %s: x axis %q, theory %v; want a value axis and a legend entry for the theory", where, p.ID, p.X, p.theory())
		}
	}
	if d := byChart["distribution"]; len(d) == 0 || d[0].X != "category" {
		t.Errorf("%s: the distribution chart's x axis is not categorical: %+v", where, d)
	}
	if name == "modes" {
		for _, c := range []string{"convergence", "sweep", "distribution"} {
			got := byChart[c]
			if len(got) != 2 || got[0].Title != "mode = push" || got[1].Title != "mode = pull" {
				t.Errorf("%s: %s has panels %+v, want one per mode, titled", where, c, got)
				continue
			}
			if c != "distribution" && (fmt.Sprint(got[0].XRange, got[0].YRange) != fmt.Sprint(got[1].XRange, got[1].YRange)) {
				t.Errorf("%s: %s's panels do not share their axes: %v %v, %v %v", where, c, got[0].XRange, got[0].YRange, got[1].XRange, got[1].YRange)
			}
		}
		if r := byChart["sweep"][0].XRange; len(r) != 2 || !(toFloat(r[0]) <= 50 && toFloat(r[1]) >= 500) {
			t.Errorf("%s: the sweep's node axis spans %v, want 50 to 500 inside", where, r)
		}
	}
	if name == "nodes" {
		var marks []string
		for _, s := range byChart["convergence"][0].Series {
			marks = append(marks, s.Marks...)
		}
		if len(marks) != 1 || marks[0] != "round 3: 10 % of nodes crash" {
			t.Errorf("%s: the convergence chart marks %q, want the crash at round 3", where, marks)
		}
	}
}

// saveShots writes a screenshot of each chart of the page into dir.
func saveShots(t *testing.T, b *browser, dir, prefix string) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	var ids []string
	if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`Array.prototype.map.call(document.querySelectorAll('.chart'), function (c) { return c.id; })`, &ids)); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		var png []byte
		if err := chromedp.Run(b.Ctx, chromedp.ScrollIntoView("#"+id), chromedp.Screenshot("#"+id, &png)); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, prefix+"-"+id+".png"), png, 0o644)
	}
}

func toFloat(v any) float64 {
	f, _ := v.(float64)
	return f
}

// tipOf shows the tooltip of a panel's first series at its first item and
// returns its text.
func tipOf(panel string, series int) string {
	return fmt.Sprintf(`(function () {
  var el = document.getElementById(%q), c = echarts.getInstanceByDom(el);
  c.dispatchAction({ type: 'showTip', seriesIndex: %d, dataIndex: 0 });
  return Array.prototype.map.call(el.querySelectorAll(':scope > div:not(:first-child)'), function (d) { return d.innerText; }).join('\n');
})()`, panel, series)
}

// Tooltips round, and say what each number is; a legend entry hides its
// series in every panel.
func TestChartTooltipsAndLegend(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, map[string]string{"fanout": chartScenarios["fanout"], "modes": chartScenarios["modes"]})
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	var sweepTip, convTip, boxTip string
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate("file://"+filepath.Join(root, "fanout", "index.html")),
		chromedp.WaitVisible(`#chart-sweep canvas`),
		chromedp.Evaluate(tipOf("sweep-p0", 0), &sweepTip),
		chromedp.Evaluate(tipOf("convergence-p0", 1), &convTip),
		chromedp.Evaluate(tipOf("distribution-p0", 0), &boxTip),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, tip, want string }{
		{"sweep", sweepTip, `(?s)^fanout 1\n.*rounds to 99 %: \d+\.\d \(95 % CI \d+\.\d–\d+\.\d\)\n.*theory: rounds to 99 %: \d+\.\d\n`},
		{"convergence", convTip, `(?s)^round 0\nfanout = 1: \d+\.\d % \(5th–95th percentile \d+\.\d %–\d+\.\d %\)\nmean-field theory: \d+\.\d %`},
		{"distribution", boxTip, `(?s)^1\nmin \d+\.\d, Q1 \d+\.\d, median \d+\.\d, Q3 \d+\.\d, max \d+\.\d\n4 converged trials`},
	} {
		if !regexp.MustCompile(c.want).MatchString(c.tip) {
			t.Errorf("the %s tooltip says %q, want it to match %s", c.what, c.tip, c.want)
		}
	}
	const name = "rounds to 99 %"
	var hidden []bool
	err = chromedp.Run(b.Ctx,
		chromedp.Navigate("file://"+filepath.Join(root, "modes", "index.html")),
		chromedp.WaitVisible(`#chart-sweep canvas`),
		chromedp.Click(`#sweep-legend button[data-name="`+name+`"]`),
		chromedp.Evaluate(`Array.prototype.map.call(document.querySelectorAll('#sweep [_echarts_instance_]'), function (el) {
  return echarts.getInstanceByDom(el).getOption().legend[0].selected[`+fmt.Sprintf("%q", name)+`] === false; })`, &hidden),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(hidden) != 2 || !hidden[0] || !hidden[1] {
		t.Errorf("after a click on %q in the legend, the panels hide it: %v; want every panel", name, hidden)
	}
	// The charts follow the window: narrowed to a phone's, every canvas
	// shrinks to fit it.
	err = chromedp.Run(b.Ctx, chromedp.EmulateViewport(420, 900),
		chromedp.Poll(`Array.prototype.every.call(document.querySelectorAll('.echart canvas'), function (c) {
  return c.getBoundingClientRect().right <= window.innerWidth; })`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Errorf("narrowed to 420 px, the charts stay wider: %v", err)
	}
	check(t, b)
}
