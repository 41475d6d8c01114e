package report

import (
	"fmt"
	"strings"
	"testing"
)

// manyPoints is a grid of points/3 loss values by three fanouts on 20
// nodes, two trials each and no replays: the report's work per point
// (pages, interactive and static charts), with little of the engine's.
func manyPoints(points int) string {
	losses := make([]string, points/3)
	for i := range losses {
		losses[i] = fmt.Sprintf("%g", float64(i)/float64(2*len(losses)))
	}
	return fmt.Sprintf("name: many\nnodes: 20\ntrials: 2\nreplay: {max_nodes: 0}\nsweep:\n  loss: [%s]\n  fanout: [1, 2, 3]\n",
		strings.Join(losses, ", "))
}

// BenchmarkRenderPoints renders one scenario of 300 and of 1200 points.
// Render is linear in the points when µs/point is about the same at both
// sizes.
func BenchmarkRenderPoints(b *testing.B) {
	for _, points := range []int{300, 1200} {
		b.Run(fmt.Sprintf("points=%d", points), func(b *testing.B) {
			root := b.TempDir()
			writeResults(b, root, map[string]string{"many": manyPoints(points)})
			for b.Loop() {
				if _, err := Render(root); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*points), "µs/point")
		})
	}
}
