package protocol

import (
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// Every call is k distinct peers, never self, and each peer is picked with
// probability k/(n-1): checked with a chi-square bound on the counts.
func TestPeersUniform(t *testing.T) {
	for _, c := range []struct{ n, k, self int }{
		{10, 1, 0}, {10, 3, 9}, {10, 9, 4}, {50, 40, 17}, // 40 > linearScanMax: stamp path
	} {
		p := Complete{N: c.n}.Sampler()
		counts := make([]float64, c.n)
		const draws = 20000
		for i := 0; i < draws; i++ {
			seen := map[int32]bool{}
			for _, v := range p.Peers(Seed(7).Draws(i, PurposePeers), c.self, c.k) {
				if int(v) == c.self || v < 0 || int(v) >= c.n || seen[v] {
					t.Fatalf("n=%d k=%d: bad pick %d", c.n, c.k, v)
				}
				seen[v] = true
				counts[v]++
			}
			if len(seen) != c.k {
				t.Fatalf("n=%d k=%d: %d peers", c.n, c.k, len(seen))
			}
		}
		if c.k == c.n-1 {
			continue // every peer every time: nothing random to test
		}
		want := float64(draws) * float64(c.k) / float64(c.n-1)
		chi2 := 0.0
		for v, got := range counts {
			if v != c.self {
				chi2 += (got - want) * (got - want) / want
			}
		}
		// Chi-square with df = n-2: six sd above its mean is far beyond
		// chance and still catches a biased sampler.
		df := float64(c.n - 2)
		if limit := df + 6*math.Sqrt(2*df); chi2 > limit {
			t.Errorf("n=%d k=%d: chi2 = %.1f > %.1f; counts %v", c.n, c.k, chi2, limit, counts)
		}
	}
}

// A draw depends on its coordinates only: computed in another order, or
// after any number of other draws, it is the same; change any coordinate
// and it changes.
func TestDrawsArePureFunctions(t *testing.T) {
	s := Seed(42)
	want := s.Draws(3, PurposeLoss).Uint64(17, 2)
	for i := 0; i < 1000; i++ {
		s.Draws(i, PurposePeers).Uint64(i, i)
	}
	if got := s.Draws(3, PurposeLoss).Uint64(17, 2); got != want {
		t.Fatalf("draw changed after other draws: %x, then %x", want, got)
	}
	for name, other := range map[string]uint64{
		"seed":    Seed(43).Draws(3, PurposeLoss).Uint64(17, 2),
		"round":   s.Draws(4, PurposeLoss).Uint64(17, 2),
		"purpose": s.Draws(3, PurposeAnswerLoss).Uint64(17, 2),
		"node":    s.Draws(3, PurposeLoss).Uint64(18, 2),
		"index":   s.Draws(3, PurposeLoss).Uint64(17, 3),
	} {
		if other == want {
			t.Errorf("changing the %s left the draw unchanged", name)
		}
	}
}

// The bits of neighbouring counters are independent enough for the
// simulations: each of the 64 bits is set half the time, and a draw's
// bits do not predict the next node's (a serial correlation test).
func TestDrawBitsBalanced(t *testing.T) {
	d := Seed(1).Draws(1, PurposePeers)
	const n = 1 << 16
	var ones [64]int
	agree := 0
	prev := d.Uint64(0, 0)
	for i := 1; i <= n; i++ {
		x := d.Uint64(i, 0)
		for b := 0; b < 64; b++ {
			ones[b] += int(x >> b & 1)
		}
		agree += 64 - popcount(x^prev)
		prev = x
	}
	sd := math.Sqrt(n * 0.25)
	for b, c := range ones {
		if math.Abs(float64(c)-n/2) > 6*sd {
			t.Errorf("bit %d set %d times in %d", b, c, n)
		}
	}
	if mean, sdAgree := float64(64*n)/2, math.Sqrt(64*n*0.25); math.Abs(float64(agree)-mean) > 6*sdAgree {
		t.Errorf("successive draws agree in %d bits, want %.0f ± %.0f", agree, mean, 6*sdAgree)
	}
}

func popcount(x uint64) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
}

// Loss happens with its probability, and 0 and 1 are exact.
func TestChance(t *testing.T) {
	d := Seed(5).Draws(1, PurposeLoss)
	for _, p := range []float64{0, 0.1, 0.5, 1} {
		c, hits := NewChance(p), 0
		const n = 100000
		for i := 0; i < n; i++ {
			if c.Hit(d, i, 0) {
				hits++
			}
		}
		if sd := math.Sqrt(n * p * (1 - p)); math.Abs(float64(hits)-n*p) > 6*sd {
			t.Errorf("p=%v: %d hits in %d", p, hits, n)
		}
	}
}

// Failures take their share from the alive nodes, never the same node
// twice, and two failures in one round take disjoint sets.
func TestFaults(t *testing.T) {
	r := New(engine.Config{Nodes: 100, Seed: 9, Failures: []engine.Failure{
		{Round: 2, Fraction: 0.1}, {Round: 2, Fraction: 0.05, Kind: engine.Hang}, {Round: 3, Fraction: 0.5}}}, nil)
	alive := make([]int32, 0, 90)
	for i := int32(10); i < 100; i++ {
		alive = append(alive, i)
	}
	fs := r.Faults(2, alive)
	if len(fs) != 2 || len(fs[0].Nodes) != 10 || len(fs[1].Nodes) != 5 || fs[1].Kind != engine.Hang {
		t.Fatalf("faults %+v", fs)
	}
	seen := map[int32]bool{}
	for _, f := range fs {
		for _, v := range f.Nodes {
			if v < 10 || seen[v] {
				t.Fatalf("victim %d: not alive or taken twice", v)
			}
			seen[v] = true
		}
	}
	if !r.FaultsAt(3) || r.FaultsAt(4) {
		t.Fatal("FaultsAt")
	}
}

// A trial's seed is a function of the scenario seed, the point and the
// trial number, and each of them changes it.
func TestTrialSeed(t *testing.T) {
	base := TrialSeed(1, "fanout=2", 3)
	if TrialSeed(1, "fanout=2", 3) != base {
		t.Fatal("the same coordinates gave two seeds")
	}
	for name, other := range map[string]Seed{
		"seed": TrialSeed(2, "fanout=2", 3), "point": TrialSeed(1, "fanout=3", 3), "trial": TrialSeed(1, "fanout=2", 4),
	} {
		if other == base {
			t.Errorf("changing the %s left the trial seed unchanged", name)
		}
	}
}
