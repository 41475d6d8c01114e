package memory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// naivePushPull is the reference the engine's speed is measured against:
// push-pull with fanout 1 and no loss, one bool per node, one sequential
// generator, every message counted. It is what anyone would write first.
func naivePushPull(n int, seed uint64) (rounds, sent int) {
	rng := rand.New(rand.NewPCG(seed, seed))
	known, next := make([]bool, n), make([]bool, n)
	next[rng.IntN(n)] = true
	informed := 1
	for informed < n {
		rounds++
		copy(known, next)
		for u := 0; u < n; u++ {
			v := rng.IntN(n - 1)
			if v >= u {
				v++
			}
			sent += 2 // the request and its answer
			if known[u] && !next[v] {
				next[v] = true
				informed++
			}
			if known[v] && !next[u] {
				next[u] = true
				informed++
			}
		}
	}
	return rounds, sent
}

// The reference is a fair one: it takes as many rounds as the engine.
func TestNaiveReferenceAgrees(t *testing.T) {
	const n, trials = 20000, 30
	var naiveRounds, engineRounds int
	for i := 0; i < trials; i++ {
		r, _ := naivePushPull(n, uint64(i))
		naiveRounds += r
		tr, err := engine.Collect(context.Background(), Engine{}, engine.Config{Nodes: n, Mode: engine.PushPull,
			Fanout: 1, MaxRounds: 100, Source: -1, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		engineRounds += tr.Final().Round
	}
	// Rounds to full for push-pull at n = 20,000 vary by about 0.6 around
	// 11; 30 trials each put the means within 0.5 of each other.
	if d := float64(naiveRounds-engineRounds) / trials; d < -0.5 || d > 0.5 {
		t.Fatalf("mean rounds: naive %.2f, engine %.2f", float64(naiveRounds)/trials, float64(engineRounds)/trials)
	}
}

// BenchmarkAgainstNaive times the engine and the naive reference on the
// same trials in the same run, and reports the engine's time as a multiple
// of the reference's (x-naive; below 1 is faster). -j 1 in gossipbench
// terms: one trial at a time; the engine may use every core inside it.
func BenchmarkAgainstNaive(b *testing.B) {
	for _, c := range []struct{ n, trials int }{{1_000_000, 6}, {10_000_000, 1}} {
		for _, workers := range []int{1, 0} {
			b.Run(fmt.Sprintf("pushpull/n=%d/trials=%d/workers=%d", c.n, c.trials, workers), func(b *testing.B) {
				e := Engine{Workers: workers}
				var eng, ref time.Duration
				for i := 0; i < b.N; i++ {
					for t := 0; t < c.trials; t++ {
						seed := uint64(i*c.trials + t)
						start := time.Now()
						if _, err := engine.Collect(context.Background(), e, engine.Config{Nodes: c.n, Mode: engine.PushPull,
							Fanout: 1, MaxRounds: 200, Source: -1, Seed: seed}); err != nil {
							b.Fatal(err)
						}
						mid := time.Now()
						naivePushPull(c.n, seed)
						eng += mid.Sub(start)
						ref += time.Since(mid)
					}
				}
				b.ReportMetric(eng.Seconds()/ref.Seconds(), "x-naive")
				b.ReportMetric(eng.Seconds()/float64(b.N*c.trials), "s/trial")
				b.ReportMetric(ref.Seconds()/float64(b.N*c.trials), "naive-s/trial")
			})
		}
	}
}
