package compare

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Test names, as they appear in the JSON output and (via testLabel) in
// tables.
const (
	Welch          = "welch_t"          // Welch's unequal-variances t-test, from n, mean and sd
	MannWhitneyU   = "mann_whitney_u"   // Mann-Whitney U, normal approximation with tie and continuity correction
	Exact          = "exact"            // both samples constant (sd 0): the means either are equal or are not
	Fisher         = "fisher_exact"     // Fisher's exact test on converged / not converged
	TwoProportionZ = "two_proportion_z" // pooled two-proportion z-test on converged / not converged
	NoTest         = "none"             // too few trials on a side to test anything
)

func testLabel(name string) string {
	switch name {
	case Welch:
		return "Welch t"
	case MannWhitneyU:
		return "Mann-Whitney U"
	case Exact:
		return "exact (sd 0)"
	case Fisher:
		return "Fisher exact"
	case TwoProportionZ:
		return "2-prop z"
	}
	return "-"
}

// Sample is one side's statistics for a metric.
type Sample struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// Count is, for the converged metric, how many trials converged (N is
	// the trial count and Mean the fraction).
	Count *int `json:"count,omitempty"`

	trials int // the point's trial count, to flag rounds means over fewer trials
}

// outcome is what a test says: its name and two-sided p-value. p is NaN
// for NoTest.
type outcome struct {
	Test string
	P    float64
}

// welch tests a difference of means from summary statistics alone, which
// is all summary.json keeps. Welch rather than Student because loss or a
// bigger fanout changes the spread as well as the mean.
func welch(a, b Sample) outcome {
	if a.N < 2 || b.N < 2 {
		return outcome{NoTest, math.NaN()}
	}
	if a.SD == 0 && b.SD == 0 {
		// No spread on either side (common for rounds: every trial took 7):
		// t is 0/0 or ±inf. Equal means cannot differ; unequal ones, with
		// every trial agreeing on each side, are as certain as it gets.
		if a.Mean == b.Mean {
			return outcome{Exact, 1}
		}
		return outcome{Exact, 0}
	}
	va, vb := a.SD*a.SD/float64(a.N), b.SD*b.SD/float64(b.N)
	t := (b.Mean - a.Mean) / math.Sqrt(va+vb)
	// Welch–Satterthwaite degrees of freedom.
	df := (va + vb) * (va + vb) / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	// 2·CDF(-|t|) rather than 2·(1-CDF(|t|)): no cancellation for tiny p.
	p := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(t))
	return outcome{Welch, math.Min(p, 1)}
}

// proportions tests whether the converged fraction moved: Fisher's exact
// test when an expected cell count is below 5 (where the z-test's normal
// approximation is poor, and which includes 30/30 against 30/30), the
// pooled two-proportion z-test otherwise.
func proportions(x1, n1, x2, n2 int) outcome {
	if n1 < 1 || n2 < 1 {
		return outcome{NoTest, math.NaN()}
	}
	total, succ := n1+n2, x1+x2
	for _, e := range []float64{
		float64(n1) * float64(succ) / float64(total), float64(n1) * float64(total-succ) / float64(total),
		float64(n2) * float64(succ) / float64(total), float64(n2) * float64(total-succ) / float64(total),
	} {
		if e < 5 {
			return outcome{Fisher, fisher(x1, n1, x2, n2)}
		}
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	pool := float64(succ) / float64(total)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	z := (p2 - p1) / se
	return outcome{TwoProportionZ, math.Min(2*distuv.UnitNormal.CDF(-math.Abs(z)), 1)}
}

// fisher is the two-sided p-value of Fisher's exact test for the 2x2 table
// [x1, n1-x1; x2, n2-x2]: the total probability, under the hypergeometric
// law with the margins fixed, of tables no more likely than the one seen.
func fisher(x1, n1, x2, n2 int) float64 {
	succ, total := x1+x2, n1+n2
	logP := func(k int) float64 { // P(first row has k successes)
		return logChoose(succ, k) + logChoose(total-succ, n1-k) - logChoose(total, n1)
	}
	observed := logP(x1)
	p := 0.0
	for k := max(0, n1-(total-succ)); k <= min(n1, succ); k++ {
		if lp := logP(k); lp <= observed+1e-7 { // relative tolerance for rounding, as R does
			p += math.Exp(lp)
		}
	}
	return math.Min(p, 1)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
