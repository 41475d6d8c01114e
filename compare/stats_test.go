package compare

import (
	"math"
	"testing"
)

// Reference p-values were computed independently: Welch by integrating
// Student's t density numerically, Fisher by exact enumeration with
// rationals, and agree with R's t.test and fisher.test where R's manual
// gives them (0.1077, 0.4857).
func TestWelchT(t *testing.T) {
	cases := []struct {
		name string
		a, b Sample
		test string
		p    float64
	}{
		{"1..5 vs 2,4,..,10", Sample{N: 5, Mean: 3, SD: math.Sqrt(2.5)}, Sample{N: 5, Mean: 6, SD: math.Sqrt(10)}, Welch, 0.10753119493063312},
		{"rounds", Sample{N: 30, Mean: 6.1, SD: 0.4}, Sample{N: 30, Mean: 6.5, SD: 0.7}, Welch, 0.009235070163323478},
		{"one side constant", Sample{N: 30, Mean: 7}, Sample{N: 20, Mean: 7.3, SD: 0.47}, Welch, 0.010140669766280919},
		{"both constant, equal", Sample{N: 30, Mean: 7}, Sample{N: 30, Mean: 7}, Exact, 1},
		{"both constant, different", Sample{N: 30, Mean: 7}, Sample{N: 30, Mean: 8}, Exact, 0},
		{"one trial", Sample{N: 1, Mean: 7}, Sample{N: 30, Mean: 8, SD: 1}, NoTest, math.NaN()},
		{"identical", Sample{N: 30, Mean: 7, SD: 1}, Sample{N: 30, Mean: 7, SD: 1}, Welch, 1},
	}
	for _, c := range cases {
		got := welch(c.a, c.b)
		if got.Test != c.test || !close(got.P, c.p) {
			t.Errorf("%s: %s p=%.12g, want %s p=%.12g", c.name, got.Test, got.P, c.test, c.p)
		}
		// The test is symmetric.
		if rev := welch(c.b, c.a); !close(rev.P, got.P) {
			t.Errorf("%s: p=%g one way, %g the other", c.name, got.P, rev.P)
		}
	}
	// Tiny p-values keep their precision instead of rounding to 0.
	if p := welch(Sample{N: 30, Mean: 6, SD: 0.3}, Sample{N: 30, Mean: 9, SD: 0.3}).P; p <= 0 || p > 1e-30 {
		t.Errorf("p = %g for a 10-sd shift", p)
	}
}

func TestProportions(t *testing.T) {
	cases := []struct {
		x1, n1, x2, n2 int
		test           string
		p              float64
	}{
		{3, 4, 1, 4, Fisher, 0.4857142857142857},
		{30, 30, 25, 30, Fisher, 0.052185548617305975},
		{30, 30, 30, 30, Fisher, 1},
		{0, 30, 0, 30, Fisher, 1},
		{60, 100, 45, 100, TwoProportionZ, 0.033672068856345876},
		{0, 0, 3, 4, NoTest, math.NaN()},
	}
	for _, c := range cases {
		got := proportions(c.x1, c.n1, c.x2, c.n2)
		if got.Test != c.test || !close(got.P, c.p) {
			t.Errorf("%d/%d vs %d/%d: %s p=%.12g, want %s p=%.12g", c.x1, c.n1, c.x2, c.n2, got.Test, got.P, c.test, c.p)
		}
	}
}

// Reference values from an independent implementation of the same
// normal approximation (tie and continuity corrected, as R's wilcox.test
// with exact=FALSE, correct=TRUE).
func TestMannWhitneyU(t *testing.T) {
	cases := []struct {
		name string
		a, b []float64
		test string
		p    float64
	}{
		{"ties", []float64{6, 6, 7, 7, 7, 8, 6, 7, 7, 6}, []float64{7, 8, 8, 9, 7, 8, 8, 7, 9, 8}, MannWhitneyU, 0.0036754436828884784},
		{"no ties", []float64{1.1, 2.2, 3.3, 4.4, 5.5}, []float64{2.5, 3.5, 6.5, 7.5, 8.5, 9.5}, MannWhitneyU, 0.08283742515880632},
		{"all equal", []float64{7, 7, 7}, []float64{7, 7, 7, 7}, MannWhitneyU, 1},
		{"one trial", []float64{7}, []float64{7, 8}, NoTest, math.NaN()},
	}
	for _, c := range cases {
		got := mannWhitney(c.a, c.b)
		if got.Test != c.test || !close(got.P, c.p) {
			t.Errorf("%s: %s p=%.12g, want %s p=%.12g", c.name, got.Test, got.P, c.test, c.p)
		}
	}
}

func close(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-7*math.Max(want, 1e-12)+1e-12
}
