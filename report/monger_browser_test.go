package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// mongerScenarios are real runs of rumor mongering: a sweep of a feedback
// coin's k, and many rumors behind a small budget.
var mongerScenarios = map[string]string{
	"coin": "name: coin\nnodes: 200\nmode: push\nfanout: 1\ntrials: 4\nseed: 3\nmax_rounds: 100\n" +
		"stop: {rule: coin, k: 1, feedback: true}\nsweep:\n  stop.k: [1, 2, 3]\n",
	"queue": "name: queue\nnodes: 100\npreset: memberlist-local\ntrials: 3\nseed: 2\nmax_rounds: 200\n" +
		"rumors: {count: 8, every: 1}\npacket: {max_rumors: 1}\n",
}

// The pages of rumor mongering open offline in Chromium with every chart
// drawn: infective and removed curves, the continuous-time model of the
// feedback coin, the residue against k, each rumor's delay and their
// spread. It saves screenshots where REPORT_SCREENSHOTS says.
func TestMongeringPagesInBrowser(t *testing.T) {
	root := t.TempDir()
	writeResults(t, root, mongerScenarios)
	if _, err := Render(root); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	for name, want := range map[string][]string{
		"coin":  {"chart-convergence", "chart-sweep-residue", "chart-sweep-messages"},
		"queue": {"chart-convergence", "chart-rumor-delays", "chart-rumor-delay-spread", "chart-rumor-curves-0"},
	} {
		var names string
		var shot []byte
		actions := []chromedp.Action{chromedp.Navigate("file://" + filepath.Join(root, name, "index.html"))}
		for _, id := range want {
			actions = append(actions, chromedp.WaitVisible("#"+id+" canvas"))
		}
		actions = append(actions, chromedp.Evaluate(seriesNames, &names), chromedp.FullScreenshot(&shot, 80))
		if err := chromedp.Run(b.Ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		json.Unmarshal([]byte(names), &got)
		all := strings.Join(got, "|")
		for _, s := range []string{infectiveSeries, "removed (stopped spreading)"} {
			if !strings.Contains(all, s) {
				t.Errorf("%s: no series %q among %q", name, s, got)
			}
		}
		if name == "queue" && (!strings.Contains(all, "rumor 0 (first injected)") || !strings.Contains(all, "rumor 7")) {
			t.Errorf("queue: no line per rumor among %q", got)
		}
		if name == "coin" && !strings.Contains(all, "continuous-time residue equation") {
			t.Errorf("coin: no continuous-time model among %q", got)
		}
		if out := os.Getenv("REPORT_SCREENSHOTS"); out != "" {
			os.MkdirAll(out, 0o755)
			os.WriteFile(filepath.Join(out, "monger-"+name+".jpg"), shot, 0o644)
		}
	}
	check(t, b)
}
