package static

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/report/chart"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var allCharts = []string{Convergence, Overhead, Cumulative, Redundancy, Sweep, SweepMessages}

// samples are rounds to full for every point of sum, as report reads them
// from rounds.csv.
func samples(sum *results.Summary) map[string][]float64 {
	out := map[string][]float64{}
	for i, p := range sum.Points {
		out[p.ID] = []float64{float64(5 + i), float64(6 + i), float64(6 + i), float64(9 + i)}
	}
	return out
}

func TestChartsWritesPNGAndSVG(t *testing.T) {
	dir := t.TempDir()
	sum := fanoutSummary()
	names, err := Charts(dir, sum, samples(sum))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{Convergence, Overhead, Cumulative, Redundancy, Distribution, Sweep, SweepMessages}
	if !slices.Equal(names, want) {
		t.Fatalf("Charts wrote %v, want %v", names, want)
	}
	checkFiles(t, dir, names)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2*len(names) {
		t.Errorf("%d files in the output, want %d", len(entries), 2*len(names))
	}
	// Without samples, no distribution.
	names, err = Charts(t.TempDir(), sum, nil)
	if err != nil || !slices.Equal(names, allCharts) {
		t.Errorf("without samples Charts wrote %v (%v), want %v", names, err, allCharts)
	}
}

// TestGoldenSVG compares the convergence chart with testdata; run
// go test ./report/static -run Golden -update to accept a change. Beside
// the bytes, the golden is read back for what the summary says it must
// show, so a golden accepted by mistake is caught.
func TestGoldenSVG(t *testing.T) {
	dir := t.TempDir()
	sum := fanoutSummary()
	if _, err := Charts(dir, sum, nil); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, Convergence+".svg"))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "convergence.golden.svg")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("convergence.svg differs from %s (%d vs %d bytes); if the change is intended, run with -update", golden, len(got), len(want))
	}

	doc := readSVG(t, golden)
	for _, s := range []string{"Spread of the rumor — fanout", "fanout", "1", "2", "4", "mean-field theory", "round",
		"informed nodes (fraction of alive)", sum.Description + " (memory engine, 10 trials per point)"} {
		if !doc.has(s) {
			t.Errorf("golden convergence.svg has no text %q", s)
		}
	}
	// Three points: each a solid mean line in its colour of Tableau 10,
	// in the plot and in the legend, and a dashed theory line; one more
	// dashed line, grey, for the legend's theory entry.
	for _, c := range []string{"#4E79A7", "#F28E2B", "#59A14F"} {
		if n := doc.count("stroke:"+c+";", "stroke-width:1.8"); n != 2 {
			t.Errorf("%d mean lines in %s, want 2 (plot and legend)", n, c)
		}
	}
	if n := doc.count("stroke-dasharray:5,3"); n != 4 {
		t.Errorf("%d dashed lines, want 3 theory lines and a legend swatch", n)
	}
	if n := doc.count("fill-opacity:0.16"); n != 3 {
		t.Errorf("%d percentile bands, want 3", n)
	}
}

func TestChartsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sum := gridSummary()
	for _, d := range []string{a, b} {
		if _, err := Charts(d, sum, samples(sum)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range append(allCharts, Distribution) {
		for _, ext := range []string{".png", ".svg"} {
			x, _ := os.ReadFile(filepath.Join(a, name+ext))
			y, _ := os.ReadFile(filepath.Join(b, name+ext))
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("%s%s differs between two runs (or is empty)", name, ext)
			}
		}
	}
}

// A grid sweep is small multiples: a panel per mode, each titled, every
// node count in the legend, nodes on a log axis.
func TestGrid(t *testing.T) {
	sum := gridSummary()
	dir := t.TempDir()
	names, err := Charts(dir, sum, samples(sum))
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dir, names)
	for _, name := range names {
		doc := readSVG(t, filepath.Join(dir, name+".svg"))
		for _, s := range []string{"mode = push", "mode = pushpull"} {
			if !doc.has(s) {
				t.Errorf("%s.svg has no panel titled %q", name, s)
			}
		}
		for _, tx := range doc.texts {
			if strings.Contains(tx.text, "more") || strings.Contains(tx.text, "…") {
				t.Errorf("%s.svg cuts its legend or a label: %q", name, tx.text)
			}
		}
	}
	conv := readSVG(t, filepath.Join(dir, Convergence+".svg"))
	for _, s := range []string{"nodes", "100", "1k", "10k", "mean-field theory"} {
		if !conv.has(s) {
			t.Errorf("convergence.svg has no legend entry %q", s)
		}
	}
	// nodes 100, 1000, 10000 on a log axis: the ticks of each panel are
	// evenly spaced (on a linear axis the second would be near the first).
	ticks := readSVG(t, filepath.Join(dir, Sweep+".svg")).xTicks()
	if len(ticks) != 6 {
		t.Fatalf("sweep.svg has %d x ticks %v, want 3 per panel", len(ticks), ticks)
	}
	for p := 0; p < 2; p++ {
		a, b, c := ticks[3*p], ticks[3*p+1], ticks[3*p+2]
		if math.Abs((b-a)-(c-b)) > 0.5 || b-a < 20 {
			t.Errorf("panel %d: x ticks at %v, %v, %v are not evenly spaced: not a log axis", p, a, b, c)
		}
	}
}

func TestNoSweep(t *testing.T) {
	sum := fanoutSummary()
	sum.Sweep = nil
	sum.Points = sum.Points[:1]
	sum.Points[0].ID = "default"
	dir := t.TempDir()
	names, err := Charts(dir, sum, samples(sum))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{Convergence, Overhead, Cumulative, Redundancy, Distribution}
	if !slices.Equal(names, want) {
		t.Fatalf("Charts wrote %v, want %v", names, want)
	}
	checkFiles(t, dir, names)
	if _, err := os.Stat(filepath.Join(dir, Sweep+".png")); !os.IsNotExist(err) {
		t.Errorf("a summary without a sweep got a sweep chart (%v)", err)
	}
	if doc := readSVG(t, filepath.Join(dir, Convergence+".svg")); !doc.has("mean of 10 trials") {
		t.Errorf("a single point's convergence legend does not say what its line is")
	}
}

// Failures are marked: a dotted line at the round, labelled.
func TestFaultMarkers(t *testing.T) {
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].Params.Failures = []results.FailureSummary{{Round: 3, Kind: "crash", Fraction: 0.2}}
	}
	dir := t.TempDir()
	if _, err := Charts(dir, sum, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{Convergence, Overhead} {
		doc := readSVG(t, filepath.Join(dir, name+".svg"))
		if !doc.has("round 3: 20 % of nodes crash") || doc.count("stroke-dasharray:1.5,2.5") != 1 {
			t.Errorf("%s.svg does not mark the crash at round 3 once", name)
		}
	}
	if doc := readSVG(t, filepath.Join(fixtureCharts(t, fanoutSummary()), Convergence+".svg")); doc.count("stroke-dasharray:1.5,2.5") != 0 {
		t.Errorf("a scenario without failures has a marker")
	}
}

func fixtureCharts(t *testing.T, sum *results.Summary) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Charts(dir, sum, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMissingMetric(t *testing.T) {
	sum := fanoutSummary()
	p := &sum.Points[1]
	delete(p.Metrics, results.RoundsToFull) // never converged
	p.Converged = 0
	p.Theory[results.RoundsToFull] = nil
	dir := t.TempDir()
	names, err := Charts(dir, sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dir, names)
	// rounds to 100 %: squares at two points, in the second colour, and
	// their error bars; rounds to 99 % at all three.
	doc := readSVG(t, filepath.Join(dir, Sweep+".svg"))
	if n := doc.count("fill:#F28E2B"); n != 2+1 {
		t.Errorf("%d rounds-to-100 %% marks (and the legend's), want 2+1", n)
	}

	// With every sweep metric missing, the sweep charts are skipped.
	for i := range sum.Points {
		for _, k := range []string{results.RoundsTo99, results.RoundsToFull, results.MessagesPerNode} {
			delete(sum.Points[i].Metrics, k)
		}
		sum.Points[i].Theory = results.Theory{}
	}
	names, err = Charts(t.TempDir(), sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Convergence, Overhead, Cumulative, Redundancy}; !slices.Equal(names, want) {
		t.Errorf("with no sweep metrics Charts wrote %v, want %v", names, want)
	}
}

func TestCategoricalSweep(t *testing.T) {
	sum := &results.Summary{Schema: 1, Name: "modes", Engine: "http", Sweep: []string{"mode"}}
	for _, m := range []engine.Mode{engine.Push, engine.Pull, engine.PushPull} {
		sum.Points = append(sum.Points, point("mode="+string(m), m, 50, 1, 2))
	}
	dir := t.TempDir()
	names, err := Charts(dir, sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, allCharts) {
		t.Fatalf("Charts wrote %v, want %v", names, allCharts)
	}
	doc := readSVG(t, filepath.Join(dir, Sweep+".svg"))
	for _, s := range []string{"push", "pull", "pushpull"} {
		if !doc.has(s) {
			t.Errorf("sweep.svg has no category %q", s)
		}
	}
}

func TestEmpty(t *testing.T) {
	if _, err := Charts(t.TempDir(), nil, nil); err == nil {
		t.Error("a nil summary gave no error")
	}
	if _, err := Charts(t.TempDir(), &results.Summary{Name: "x"}, nil); err == nil {
		t.Error("a summary without points gave no error")
	}
	// Points without curves: no per-round charts, no failure.
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].Curve = results.Curve{}
	}
	names, err := Charts(t.TempDir(), sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Sweep, SweepMessages}; !slices.Equal(names, want) {
		t.Errorf("without curves Charts wrote %v, want %v", names, want)
	}
}

// A curve with a missing value is drawn with a gap there, not a line to
// 0; a value between two gaps gets a dash of its own.
func TestLineBreaksAtNaN(t *testing.T) {
	nan := math.NaN()
	got := lineSegments([]float64{0, 1, 2, 3, 4, 5}, []float64{1, 2, nan, 3, nan, 4}, lineStyle(chart.Series{}))
	if len(got) != 3 {
		t.Fatalf("%d pieces, want a line and two dashes", len(got))
	}
	for i, want := range []string{"*plotter.Line", "static.loneDash", "static.loneDash"} {
		if g := fmt.Sprintf("%T", got[i]); g != want {
			t.Errorf("piece %d is %s, want %s", i, g, want)
		}
	}
	// End to end: a redundancy curve with a hole has two line pieces.
	sum := fanoutSummary()
	sum.Sweep, sum.Points = nil, sum.Points[:1]
	c := &sum.Points[0].Curve
	c.DeliveredMean[2] = 0 // no deliveries: no share
	doc := readSVG(t, filepath.Join(fixtureCharts(t, sum), Redundancy+".svg"))
	if n := doc.count("stroke:#4E79A7;", "stroke-width:1.8"); n != 3 {
		t.Errorf("%d line pieces for a curve with one hole, want 2 and the legend's", n)
	}
}

func TestTicks(t *testing.T) {
	var majors []float64
	for _, tk := range (intTicks{}).Ticks(0, 22) {
		if !tk.IsMinor() {
			majors = append(majors, tk.Value)
		}
	}
	if want := []float64{0, 5, 10, 15, 20}; !slices.Equal(majors, want) {
		t.Errorf("major ticks on 0..22 = %v, want %v", majors, want)
	}
	var labels []string
	for _, tk := range (logTicks{}).Ticks(0, 3) { // log10 of 1..1000
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"1", "10", "100", "1k"}; !slices.Equal(labels, want) {
		t.Errorf("log ticks on 1..1000 labelled %v, want %v", labels, want)
	}
}

// Point IDs and the sweep key come from result files and are drawn as
// SVG text: they stay text, however they are made.
func TestSVGEscapesHostileText(t *testing.T) {
	const evil = `</text><script>alert(1)</script><text onload="alert(2)">&`
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].ID += evil
	}
	sum.Sweep = []string{"fanout" + evil}
	sum.Description = evil
	dir := t.TempDir()
	names, err := Charts(dir, sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, name := range names {
		raw, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("<script")) || bytes.Contains(raw, []byte(`onload="`)) {
			t.Errorf("%s.svg has markup from the input", name)
		}
		for _, tx := range readSVG(t, filepath.Join(dir, name+".svg")).texts {
			if strings.Contains(tx.text, "<script>alert(1)") {
				shown++
			}
		}
	}
	if shown == 0 {
		t.Error("no SVG shows the hostile text as text")
	}
}

// A description is free text of any length in a downloaded summary.json.
// Fitting it into a subtitle shortened it one character at a time and
// measured it whole each time: 3 MB kept report busy for many minutes.
// Here 1 MB, as one long word and as many words, must draw in well under
// the deadline (a second or so on a busy machine).
func TestLongDescriptionIsFitQuickly(t *testing.T) {
	for name, desc := range map[string]string{
		"one word":   strings.Repeat("x", 1<<20),
		"many words": strings.Repeat("word ", 1<<18),
	} {
		t.Run(name, func(t *testing.T) {
			sum := fanoutSummary()
			sum.Description = desc
			done := make(chan error, 1)
			go func() {
				_, err := Charts(t.TempDir(), sum, nil)
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("charts of a 1 MB description still drawing after 60 s")
			}
		})
	}
}
