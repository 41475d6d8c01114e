package memory

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// BenchmarkRun times whole trials (until every node knows) and reports
// simulated messages per second and heap bytes allocated per node.
func BenchmarkRun(b *testing.B) {
	for _, mode := range []engine.Mode{engine.Push, engine.PushPull} {
		for _, n := range []int{10_000, 1_000_000} {
			b.Run(fmt.Sprintf("%v/n=%d", mode, n), func(b *testing.B) {
				cfg := engine.Config{Nodes: n, Mode: mode, Fanout: 1, MaxRounds: 500, Source: -1}
				var msgs int
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					cfg.Seed = uint64(i)
					tr, err := engine.Collect(context.Background(), Engine{}, cfg)
					if err != nil {
						b.Fatal(err)
					}
					if !tr.Converged() {
						b.Fatal("did not converge")
					}
					msgs += tr.Totals().Sent
				}
				b.StopTimer()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(n), "B/node")
			})
		}
	}
}
