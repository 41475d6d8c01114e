package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/resultstest"
)

const hostile = `<script>alert(1)</script>`

// sampleScenarios: a line sweep whose description tries to inject a
// script, a grid, and one without a sweep.
var sampleScenarios = map[string]string{
	"sample": `name: sample
description: "` + hostile + ` & friends"
nodes: 1000
fanout: 1
trials: 6
replay: {max_nodes: 1000}
failures: [{round: 4, crash: 0.1}]
sweep:
  fanout: [1, 2, 3]
`,
	"grid": `name: grid
nodes: 100
trials: 4
replay: {max_nodes: 0}
sweep:
  mode: [push, pushpull]
  loss: [0, 0.2]
`,
	"single": `name: single
nodes: 50
mode: pull
trials: 3
`,
}

// renderSample runs the sample scenarios on the memory engine into a
// temporary results dir and renders it.
func renderSample(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeResults(t, root, sampleScenarios)
	out, err := Render(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Scenarios) != 3 || out.Replays != 4 || out.Charts == 0 {
		t.Fatalf("rendered %+v", out)
	}
	return root
}

// writeResults runs scenarios (name to YAML) on the memory engine and
// writes their results under root.
func writeResults(tb testing.TB, root string, scenarios map[string]string) {
	tb.Helper()
	for name, yaml := range scenarios {
		resultstest.WriteFile(tb, root, name+".yaml", yaml, false)
	}
}

func TestRenderWritesEveryPage(t *testing.T) {
	root := renderSample(t)
	for _, f := range []string{"index.html", "assets/echarts.min.js", "assets/VERSIONS",
		"sample/index.html", "sample/replay/fanout=2.html", "sample/charts/convergence.png", "sample/charts/convergence.svg",
		"grid/index.html", "single/index.html"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Error(err)
		}
	}
	index := read(t, root, "index.html")
	for _, want := range []string{`href="sample/index.html"`, `href="grid/index.html"`, "fanout=3", "mode=pushpull,loss=0.2",
		"<span>3 points × 6 trials</span>", "<span>4 points × 4 trials</span>", "<span>1 point × 3 trials</span>", "<span>3 scenarios</span>"} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	page := read(t, root, "sample/index.html")
	for _, want := range []string{`src="../assets/echarts.min.js"`, `id="convergence"`, `id="convergence-p0"`, `id="sweep"`,
		`id="distribution"`, `href="replay/fanout=1.html"`, "gossipbench run --seed 1 --trials 6 --engine memory --out " + root + " " + filepath.Join(root, "sample", "scenario.yaml"),
		"<span>3 points × 6 trials</span>",
		`charts/convergence.svg`} {
		if !strings.Contains(page, want) {
			t.Errorf("sample/index.html lacks %q", want)
		}
	}
	if grid := read(t, root, "grid/index.html"); !strings.Contains(grid, `id="sweep-p1"`) || strings.Contains(grid, `id="sweep-p2"`) {
		t.Error("the grid scenario's sweep chart does not have a panel per mode")
	}
}

// What users wrote is text on the page, never markup.
func TestUserTextIsEscaped(t *testing.T) {
	root := renderSample(t)
	for _, f := range []string{"index.html", "sample/index.html", "sample/replay/fanout=1.html"} {
		page := read(t, root, f)
		if strings.Contains(page, hostile) {
			t.Errorf("%s contains the description's <script> unescaped", f)
		}
	}
	if page := read(t, root, "sample/index.html"); !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends") {
		t.Error("the description is not shown as text")
	}
}

// Pages reference nothing on the network.
func TestPagesAreOffline(t *testing.T) {
	root := renderSample(t)
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		page, _ := os.ReadFile(path)
		for _, bad := range []string{`src="http`, `href="http`, `url(http`, "cdn.", "go-echarts.github.io"} {
			if strings.Contains(string(page), bad) {
				t.Errorf("%s references the network (%s)", path, bad)
			}
		}
		return nil
	})
}

func TestBrokenResultsNameTheFile(t *testing.T) {
	root := renderSample(t)
	bad := filepath.Join(root, "grid", "summary.json")
	if err := os.WriteFile(bad, []byte(`{"schema": 2, "points": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Render(root)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("error %v does not name %s", err, bad)
	}
	// The others still render, and the index lists them.
	if index := read(t, root, "index.html"); !strings.Contains(index, "sample/index.html") || strings.Contains(index, "grid/index.html") {
		t.Error("index.html should list the good scenarios only")
	}
}

func read(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
