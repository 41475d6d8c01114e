package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

// rekey gives r's trials the hostile IDs ids maps its points' old IDs
// to, returning them. With monger, every point also runs the memberlist
// LAN preset with three rumors and trials that counted infective and
// removed nodes and each rumor's delay, so that the preset's table, the
// times in seconds and the per-rumor charts carry the hostile IDs too.
func rekey(r *Result, ids map[string]string, monger bool) []string {
	full := map[string][]float64{}
	var all []string
	for old, id := range ids {
		full[id] = r.RoundsToFull[old]
		all = append(all, id)
	}
	r.RoundsToFull = full
	if !monger {
		return all
	}
	r.Trials = chart.NewTrials()
	for i := range r.Summary.Points {
		p := &r.Summary.Points[i]
		p.Params.Preset, p.Params.RoundSeconds = "memberlist-lan", 0.2
		p.Params.Stop = results.StopParams{Rule: "transmits", Mult: 4}
		p.Params.Rumors = results.RumorsParams{Count: 3, Every: 1}
		r.Trials.Add(p, mongerTrace(p))
	}
	return all
}

// mongerTrace is a trial of p's curve with half the informed pairs
// infective, whose three rumors reach everyone one round apart.
func mongerTrace(p *results.PointSummary) *engine.Trace {
	tr := &engine.Trace{}
	for r := range p.Curve.Round {
		alive := int(p.Curve.AliveMean[r])
		row := engine.RoundStats{Round: r, Alive: alive, Informed: int(p.Curve.InformedMean[r]), Rumors: min(r+1, 3)}
		row.Infective = row.Informed / 2
		row.Removed = row.Informed - row.Infective
		tr.Rounds = append(tr.Rounds, row)
		var per []engine.RumorStats
		for i := range 3 {
			per = append(per, engine.RumorStats{Informed: min(alive, max(0, r-i)*alive/2)})
		}
		tr.PerRumor = append(tr.PerRumor, per)
	}
	return tr
}

// A point of a preset shows the preset's parameters and its times in
// seconds on its page, and with many rumors the per-rumor charts.
func TestPresetOnThePage(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, map[string]string{"lan": "name: lan\nnodes: 50\ntrials: 3\npreset: memberlist-lan\nmax_rounds: 40\n"})
	rd, err := results.OpenResult(root + "/lan")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	r, err := load(rd)
	if err != nil {
		t.Fatal(err)
	}
	rekey(r, map[string]string{"base": "base"}, true)
	var page bytes.Buffer
	if err := writeScenarioPage(&page, r, nil, nil, ""); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	rounds := r.Summary.Points[0].Metrics[results.RoundsTo99].Mean
	for _, want := range []string{
		"memberlist-lan (GossipNodes 3, RetransmitMult 4, GossipInterval 200ms)",
		"4·⌈log10(50&#43;1)⌉ = 8" /* html/template escapes the + */, "<td>200 ms</td>", `id="times"`, "seconds 99 %",
		fmt.Sprintf("<td>%.2f</td>", rounds*0.2), // a tenth of a 200 ms round
		`id="chart-rumor-delays"`, `id="chart-rumor-delay-spread"`, `id="chart-rumor-curves-0"`, "round (200 ms each)",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// The hostile IDs reach the preset's table, the times in seconds and the
// per-rumor charts as text: nothing runs or becomes markup there either,
// tooltips shown.
func TestHostileIDsInMongeringPages(t *testing.T) {
	root, _ := renderHostile(t)
	b := newBrowser(t)
	var left, presets, times string
	var names string
	var tips int
	err := chromedp.Run(b.Ctx, chromedp.Navigate("file://"+filepath.Join(root, "line", "index.html")),
		chromedp.WaitVisible(`#chart-rumor-delays canvas`), chromedp.WaitVisible(`#chart-rumor-delay-spread canvas`),
		chromedp.WaitVisible(`#chart-rumor-curves-0 canvas`),
		chromedp.Text(`#presets`, &presets), chromedp.Text(`#times`, &times),
		chromedp.Evaluate(showTips, &tips), chromedp.Evaluate(seriesNames, &names), chromedp.Evaluate(injected, &left))
	if err != nil {
		t.Fatal(err)
	}
	if left != `{"xss":null,"imgs":0,"scripts":0}` {
		t.Errorf("injected content ran or became markup: %s", left)
	}
	for what, text := range map[string]string{"presets": presets, "times": times, "series": names} {
		if !strings.Contains(text, "window.xss=") {
			t.Errorf("%s: %q lacks the hostile IDs as text", what, text)
		}
	}
	if !strings.Contains(names, infectiveSeries) {
		t.Errorf("series %s: no infective curve", names)
	}
	check(t, b)
}

const infectiveSeries = "infective (still spreading)"
