package static

import (
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// A partition is a shaded, labelled band in the SVG; a point without
// faults has none.
func TestFaultBands(t *testing.T) {
	sum := fanoutSummary()
	for i := range sum.Points {
		sum.Points[i].Params.Partitions = []results.PartitionParams{{Round: 2, Heal: 4, Groups: 2}}
	}
	doc := readSVG(t, filepath.Join(fixtureCharts(t, sum), Convergence+".svg"))
	if !doc.has("partition 2 groups") {
		t.Error("convergence.svg does not label the partition")
	}
	fill := "fill:#F49D0A" // chart.FaultBand through vg's premultiplied alpha
	if n := doc.count(fill); n != 1 {
		t.Errorf("convergence.svg has %d bands (%s), want 1", n, fill)
	}
	plain := readSVG(t, filepath.Join(fixtureCharts(t, fanoutSummary()), Convergence+".svg"))
	if plain.count(fill) != 0 {
		t.Error("a scenario without faults has a band")
	}
}
