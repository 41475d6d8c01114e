package report

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gossipbench/gossipbench/report/chart"
)

// crashScenario crashes half the nodes before the source has told anyone:
// half the trials end there, which the mean-field model cannot show, so it
// declares the configuration uncovered (meanfield.Covers).
var crashScenario = map[string]string{"crash": `name: crash
nodes: 200
trials: 4
replay: {max_nodes: 0}
failures: [{round: 1, crash: 0.5}]
sweep:
  fanout: [1, 2]
`}

// The page says there is no theory, and why, where the line would be; a
// covered scenario's page does not.
func TestNoTheoryPage(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, crashScenario)
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	page := read(t, root, "crash", "index.html")
	for _, id := range []string{"convergence", "sweep", "sweep-messages"} {
		i := strings.Index(page, `id="chart-`+id+`"`)
		if i < 0 {
			t.Fatalf("no %s chart", id)
		}
		html := page[i:]
		html = html[:strings.Index(html, "</div>")]
		if !strings.Contains(html, `<p class="no-theory">`+chart.NoTheoryText+`: the failure at round 1 takes every informed node`) {
			t.Errorf("the %s chart does not say there is no theory, and why", id)
		}
		if strings.Contains(html, `data-name="mean-field theory"`) || strings.Contains(html, `data-name="theory: `) || strings.Contains(html, "mean-field theory (dashed)") {
			t.Errorf("the %s chart still has a theory line or says so", id)
		}
	}
	if covered := read(t, renderSample(t), "sample", "index.html"); strings.Contains(covered, chart.NoTheoryText) ||
		!strings.Contains(covered, `data-name="mean-field theory"`) || !strings.Contains(covered, `data-name="theory: rounds to 99 %"`) {
		t.Error("a covered scenario's page says it has no theory, or has no theory line")
	}
}

// In the browser: the text is shown, and the convergence chart's theory
// series has no value to draw.
func TestNoTheoryInBrowser(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, crashScenario)
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	var text string
	var drawn int
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate("file://"+filepath.Join(root, "crash", "index.html")),
		chromedp.WaitVisible(`#chart-convergence canvas`),
		chromedp.Text(`#chart-convergence p.no-theory`, &text, chromedp.NodeVisible),
		chromedp.Evaluate(`(function () {
  var o = echarts.getInstanceByDom(document.getElementById('convergence-p0')).getOption(), n = 0;
  o.series.forEach(function (s) {
    if (/theory/.test(s.name)) s.data.forEach(function (d) { if (typeof d[1] === 'number') n++; });
  });
  return n;
})()`, &drawn),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, chart.NoTheoryText+": ") || !strings.Contains(text, "round 1") {
		t.Errorf("the convergence chart says %q", text)
	}
	if drawn != 0 {
		t.Errorf("the theory series have %d values to draw", drawn)
	}
	check(t, b)
}
