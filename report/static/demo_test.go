package static

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// TestDemo writes every chart of every result directory under
// STATIC_DEMO_IN (default /tmp/sample-results) into STATIC_DEMO_OUT/<name>/,
// for looking at by eye, and the test summaries into STATIC_DEMO_OUT/test-*.
// Without STATIC_DEMO_OUT it is skipped.
func TestDemo(t *testing.T) {
	out := os.Getenv("STATIC_DEMO_OUT")
	if out == "" {
		t.Skip("set STATIC_DEMO_OUT to a directory to write the demo charts")
	}
	in := os.Getenv("STATIC_DEMO_IN")
	if in == "" {
		in = "/tmp/sample-results"
	}
	dirs, err := filepath.Glob(filepath.Join(in, "*", results.SummaryFile))
	if err != nil || len(dirs) == 0 {
		t.Skipf("no %s under %s", results.SummaryFile, in)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		rd, err := results.OpenResult(dir)
		if err != nil {
			t.Fatal(err)
		}
		full := map[string][]float64{}
		err = rd.EachTrial(func(id string, tr *engine.Trace) error {
			if r, ok := tr.RoundsTo(1); ok {
				full[id] = append(full[id], float64(r))
			}
			return nil
		})
		rd.Close()
		if err != nil {
			t.Fatal(err)
		}
		names, err := Charts(filepath.Join(out, filepath.Base(dir)), rd.Summary, full)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v", filepath.Base(dir), names)
	}
	// The test summaries too, for the corner cases.
	noSweep := fanoutSummary()
	noSweep.Sweep, noSweep.Points = nil, noSweep.Points[:1]
	missing := fanoutSummary()
	delete(missing.Points[1].Metrics, results.RoundsToFull)
	missing.Points[1].Theory[results.RoundsToFull] = nil
	panels := &results.Summary{Name: "panels", Engine: "memory", Sweep: []string{"fanout", "nodes"},
		Description: "Five panels in two rows"}
	for f := 1; f <= 5; f++ {
		for _, n := range []int{100, 1000, 10000} {
			panels.Points = append(panels.Points, point(fmt.Sprintf("fanout=%d,nodes=%d", f, n), engine.Push, n, f, float64(f+1)))
		}
	}
	cat := &results.Summary{Name: "categorical", Engine: "memory", Sweep: []string{"mode"}}
	for _, m := range []engine.Mode{engine.Push, engine.Pull, engine.PushPull} {
		cat.Points = append(cat.Points, point("mode="+string(m), m, 50, 1, 2))
	}
	for name, sum := range map[string]*results.Summary{
		"test-panels": panels, "test-categorical": cat,
		"test-fanout": fanoutSummary(), "test-grid": gridSummary(), "test-nosweep": noSweep, "test-missing": missing,
	} {
		if _, err := Charts(filepath.Join(out, name), sum, samples(sum)); err != nil {
			t.Fatal(err)
		}
	}
}
