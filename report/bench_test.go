package report

import "testing"

// BenchmarkRender renders a small results directory: the three sample
// scenarios (a 1000-node line sweep with replays, a grid, a single point),
// that is three scenario pages, four replay pages, static PNG and SVG
// charts and the index. It reports scenarios rendered per second.
func BenchmarkRender(b *testing.B) {
	root := b.TempDir()
	writeResults(b, root, sampleScenarios)
	pages := 0
	for b.Loop() {
		out, err := Render(root)
		if err != nil {
			b.Fatal(err)
		}
		pages += len(out.Scenarios)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "scenarios/s")
}
