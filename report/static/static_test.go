package static

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func ptr(v float64) *float64 { return &v }

func stats(mean, half float64) results.Stats {
	return results.Stats{N: 10, Mean: mean, SD: half, CI95: [2]float64{mean - half, mean + half},
		Min: mean - 2*half, Median: mean, Max: mean + 2*half}
}

// point builds a push point on n nodes that doubles its informed count per
// round (times growth) until everyone knows.
func point(id string, mode engine.Mode, nodes, fanout int, growth float64) results.PointSummary {
	var c results.Curve
	informed := 1.0
	for r := 0; ; r++ {
		c.Round = append(c.Round, r)
		c.InformedMean = append(c.InformedMean, informed)
		c.InformedP05 = append(c.InformedP05, informed*0.8)
		c.InformedP95 = append(c.InformedP95, min(informed*1.2, float64(nodes)))
		c.AliveMean = append(c.AliveMean, float64(nodes))
		sent := 0.0
		if r > 0 {
			sent = c.InformedMean[r-1] * float64(fanout)
		}
		c.SentMean = append(c.SentMean, sent)
		c.DeliveredMean = append(c.DeliveredMean, sent)
		c.RedundantMean = append(c.RedundantMean, sent*float64(r)/10)
		c.Theory = append(c.Theory, min(informed*1.05, float64(nodes)))
		if informed >= float64(nodes) {
			break
		}
		informed = min(informed*growth, float64(nodes))
	}
	full := float64(len(c.Round) - 1)
	return results.PointSummary{
		ID:        id,
		Params:    results.Params{Engine: "memory", Nodes: nodes, Mode: mode, Fanout: fanout, MaxRounds: 50},
		Trials:    10,
		Converged: 10,
		Metrics: map[string]results.Stats{
			results.RoundsTo99:      stats(full-1, 0.4),
			results.RoundsToFull:    stats(full, 0.8),
			results.MessagesPerNode: stats(2*full, 1),
			results.Redundancy:      stats(0.6, 0.05),
		},
		Theory: results.Theory{results.RoundsToFull: ptr(full - 0.3), results.MessagesPerNode: ptr(2*full - 1)},
		Curve:  c,
	}
}

// fanoutSummary is a small single-key sweep.
func fanoutSummary() *results.Summary {
	return &results.Summary{
		Schema: results.SchemaVersion, Name: "fanout", Engine: "memory", Seed: 1,
		Description: "Rounds and messages as fanout grows; push, 100 nodes",
		Sweep:       []string{"fanout"},
		Points: []results.PointSummary{
			point("fanout=1", engine.Push, 100, 1, 2),
			point("fanout=2", engine.Push, 100, 2, 3),
			point("fanout=4", engine.Push, 100, 4, 5),
		},
	}
}

// gridSummary sweeps mode x nodes.
func gridSummary() *results.Summary {
	s := &results.Summary{Schema: results.SchemaVersion, Name: "modes", Engine: "memory", Sweep: []string{"mode", "nodes"}}
	for _, m := range []engine.Mode{engine.Push, engine.PushPull} {
		for _, n := range []int{100, 1000, 10000} {
			g := 2.0
			if m == engine.PushPull {
				g = 3
			}
			s.Points = append(s.Points, point("mode="+string(m)+",nodes="+strconv.Itoa(n), m, n, 1, g))
		}
	}
	return s
}

var allCharts = []string{Convergence, Overhead, Cumulative, Redundancy, Sweep, SweepMessages}

// checkFiles asserts that every named chart exists as a decodable 800x500
// PNG and a well-formed SVG.
func checkFiles(t *testing.T, dir string, names []string) {
	t.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s.png: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 500 {
			t.Errorf("%s.png is %dx%d, want 800x500", name, b.Dx(), b.Dy())
		}
		data, err = os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			t.Fatalf("%s.svg is empty", name)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		root := ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s.svg: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		if root != "svg" {
			t.Errorf("%s.svg: root element %q, want svg", name, root)
		}
	}
}

func TestChartsWritesPNGAndSVG(t *testing.T) {
	dir := t.TempDir()
	names, err := Charts(dir, fanoutSummary())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, allCharts) {
		t.Fatalf("Charts wrote %v, want %v", names, allCharts)
	}
	checkFiles(t, dir, names)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2*len(names) {
		t.Errorf("%d files in the output, want %d", len(entries), 2*len(names))
	}
}

// TestGoldenSVG compares the convergence chart with testdata; run
// go test ./report/static -run Golden -update to accept a change.
func TestGoldenSVG(t *testing.T) {
	dir := t.TempDir()
	if _, err := Charts(dir, fanoutSummary()); err != nil {
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
}

func TestChartsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := Charts(d, gridSummary()); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range allCharts {
		for _, ext := range []string{".png", ".svg"} {
			x, _ := os.ReadFile(filepath.Join(a, name+ext))
			y, _ := os.ReadFile(filepath.Join(b, name+ext))
			if !bytes.Equal(x, y) {
				t.Errorf("%s%s differs between two runs", name, ext)
			}
		}
	}
}

func TestGrid(t *testing.T) {
	sum := gridSummary()
	dir := t.TempDir()
	names, err := Charts(dir, sum)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, allCharts) {
		t.Fatalf("Charts wrote %v, want %v", names, allCharts)
	}
	checkFiles(t, dir, names)

	sc := newScene(sum)
	if !sc.grid() || !slices.Equal(sc.seriesNames, []string{"push", "pushpull"}) {
		t.Fatalf("series %v, want [push pushpull]", sc.seriesNames)
	}
	if got := sc.labels[4]; got != "pushpull, 1k" {
		t.Errorf("label of point 4 = %q, want %q", got, "pushpull, 1k")
	}
	// Every point has its own colour; a series' points share a hue.
	seen := map[any]bool{}
	for i, c := range sc.colors {
		if seen[c] {
			t.Errorf("point %d shares its colour %v", i, c)
		}
		seen[c] = true
	}
	if sc.colors[1] != sc.seriesColor[0] || sc.colors[4] != sc.seriesColor[1] {
		t.Errorf("the middle value of a series should have the series colour")
	}
	if !logAxis(&sc.keys[1]) {
		t.Errorf("nodes 100..10000 should be on a log axis")
	}
}

func TestNoSweep(t *testing.T) {
	sum := fanoutSummary()
	sum.Sweep = nil
	sum.Points = sum.Points[:1]
	sum.Points[0].ID = "default"
	dir := t.TempDir()
	names, err := Charts(dir, sum)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{Convergence, Overhead, Cumulative, Redundancy}
	if !slices.Equal(names, want) {
		t.Fatalf("Charts wrote %v, want %v", names, want)
	}
	checkFiles(t, dir, names)
	if _, err := os.Stat(filepath.Join(dir, Sweep+".png")); !os.IsNotExist(err) {
		t.Errorf("a summary without a sweep got a sweep chart (%v)", err)
	}
}

func TestMissingMetric(t *testing.T) {
	sum := fanoutSummary()
	p := &sum.Points[1]
	delete(p.Metrics, results.RoundsToFull) // never converged
	p.Converged = 0
	p.Theory[results.RoundsToFull] = nil
	dir := t.TempDir()
	names, err := Charts(dir, sum)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dir, names)

	sc := newScene(sum)
	d := sc.sweepData([]int{0, 1, 2}, roundsToFull, func(i int) float64 { return float64(i) })
	if !slices.Equal(d.points, []int{0, 2}) || len(d.means) != 2 || len(d.theoryX) != 2 {
		t.Fatalf("rounds_to_full drawn for points %v with %d theory values, want points [0 2] and 2", d.points, len(d.theoryX))
	}
	for _, m := range d.means {
		if m.Y == 0 {
			t.Errorf("a missing value was drawn at 0")
		}
	}
	if d := sc.sweepData([]int{0, 1, 2}, roundsTo99, func(i int) float64 { return float64(i) }); len(d.points) != 3 {
		t.Errorf("rounds_to_99 drawn for %v, want all three points", d.points)
	}

	// With the metric missing everywhere there is still a rounds chart (the
	// other metric) and a messages chart; with every sweep metric missing,
	// the sweep charts are skipped.
	for i := range sum.Points {
		for _, k := range []string{results.RoundsTo99, results.RoundsToFull, results.MessagesPerNode} {
			delete(sum.Points[i].Metrics, k)
		}
		sum.Points[i].Theory = results.Theory{}
	}
	names, err = Charts(t.TempDir(), sum)
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
	names, err := Charts(dir, sum)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, allCharts) {
		t.Fatalf("Charts wrote %v, want %v", names, allCharts)
	}
	if sc := newScene(sum); sc.keys[0].numeric || !slices.Equal(sc.keys[0].values, []string{"push", "pull", "pushpull"}) {
		t.Errorf("mode should be categorical with values in order, got %+v", sc.keys[0])
	}
}

func TestEmpty(t *testing.T) {
	if _, err := Charts(t.TempDir(), nil); err == nil {
		t.Error("a nil summary gave no error")
	}
	if _, err := Charts(t.TempDir(), &results.Summary{Name: "x"}); err == nil {
		t.Error("a summary without points gave no error")
	}
	// Points without curves: no per-round charts, no failure.
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].Curve = results.Curve{}
	}
	names, err := Charts(t.TempDir(), sum)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Sweep, SweepMessages}; !slices.Equal(names, want) {
		t.Errorf("without curves Charts wrote %v, want %v", names, want)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.05, "0.05"}, {8, "8"}, {100, "100"}, {1000, "1k"}, {2500, "2.5k"},
		{100000, "100k"}, {1e6, "1M"}, {1234, "1234"}, {0.0001, "0.0001"},
	} {
		if got := formatNumber(c.v); got != c.want {
			t.Errorf("formatNumber(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestIntTicks(t *testing.T) {
	var majors []float64
	for _, tk := range (intTicks{}).Ticks(0, 22) {
		if !tk.IsMinor() {
			majors = append(majors, tk.Value)
		}
	}
	if want := []float64{0, 5, 10, 15, 20}; !slices.Equal(majors, want) {
		t.Errorf("major ticks on 0..22 = %v, want %v", majors, want)
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
	dir := t.TempDir()
	names, err := Charts(dir, sum)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s.svg is not well-formed XML: %v", name, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "script" {
					t.Errorf("%s.svg has a script element", name)
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(a.Name.Local, "on") {
						t.Errorf("%s.svg has an %s attribute", name, a.Name.Local)
					}
				}
			case xml.CharData:
				if strings.Contains(string(tok), "<script>alert(1)") {
					shown++
				}
			}
		}
	}
	if shown == 0 {
		t.Error("no SVG shows the IDs as text")
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
				_, err := Charts(t.TempDir(), sum)
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
