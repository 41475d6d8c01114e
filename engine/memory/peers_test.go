package memory

import (
	"math"
	"testing"
)

// Every draw is k distinct peers, never self, and each peer is picked with
// probability k/(n-1): checked with a chi-square bound on the counts.
func TestPeerPickerUniform(t *testing.T) {
	for _, c := range []struct{ n, k, self int }{
		{10, 1, 0}, {10, 3, 9}, {10, 9, 4}, {50, 40, 17}, // 40 > linearScanMax: stamp path
	} {
		r := newRNG(7)
		p := newPeerPicker(c.n, c.k)
		counts := make([]float64, c.n)
		const draws = 20000
		for i := 0; i < draws; i++ {
			seen := map[int32]bool{}
			for _, v := range p.pick(r, c.self) {
				if int(v) == c.self || v < 0 || int(v) >= c.n || seen[v] {
					t.Fatalf("n=%d k=%d: bad pick %v", c.n, c.k, p.out)
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
		// Chi-square with df = n-2; mean df, sd sqrt(2 df). Six sd above the
		// mean is far beyond chance and still catches a biased picker.
		df := float64(c.n - 2)
		if limit := df + 6*math.Sqrt(2*df); chi2 > limit {
			t.Errorf("n=%d k=%d: chi2 = %.1f > %.1f; counts %v", c.n, c.k, chi2, limit, counts)
		}
	}
}

func TestIntnUniformSmall(t *testing.T) {
	r := newRNG(1)
	var counts [3]int
	for i := 0; i < 30000; i++ {
		counts[r.intn(3)]++
	}
	for v, c := range counts {
		if c < 9500 || c > 10500 { // sd is about 82
			t.Fatalf("value %d drawn %d times of 30000", v, c)
		}
	}
}
