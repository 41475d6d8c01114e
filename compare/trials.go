package compare

import (
	"math"
	"sort"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"gonum.org/v1/gonum/stat/distuv"
)

// trialSamples are a point's per-trial metric values, rebuilt from
// rounds.csv for rank tests, which need every trial and not just the mean
// and sd summary.json keeps.
type trialSamples map[string][]float64

// addTrial keeps a trial's metric values, defined as summary.json's are
// (results.TrialMetrics), as loadResult reads rounds.csv. The caller
// checks them against summary.json, so a result written by another
// version shows up as a warning, not as a wrong p-value.
func (r *result) addTrial(id string, tr *engine.Trace) error {
	p := r.points[id] // the reader checked it is there
	ts := r.trials[id]
	if ts == nil {
		ts = trialSamples{}
		r.trials[id] = ts
	}
	for metric, v := range results.TrialMetrics(results.Trial{Trace: tr, Params: &p.Params}) {
		ts[metric] = append(ts[metric], v)
	}
	return nil
}

// agrees reports whether per-trial values reproduce summary.json's n and
// mean for a metric.
func agrees(xs []float64, st results.Stats) bool {
	if len(xs) != st.N {
		return false
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return len(xs) == 0 || math.Abs(sum/float64(len(xs))-st.Mean) <= 1e-9*math.Max(1, math.Abs(st.Mean))
}

// mannWhitney is the two-sided Mann-Whitney U test with the normal
// approximation, corrected for ties (rounds are small integers, so ties are
// the rule) and for continuity. It asks whether one side's trials tend to
// be larger, which suits skewed, discrete rounds better than a t-test.
func mannWhitney(a, b []float64) outcome {
	n1, n2 := len(a), len(b)
	if n1 < 2 || n2 < 2 {
		return outcome{NoTest, math.NaN()}
	}
	type obs struct {
		v     float64
		first bool
	}
	all := make([]obs, 0, n1+n2)
	for _, v := range a {
		all = append(all, obs{v, true})
	}
	for _, v := range b {
		all = append(all, obs{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	n := float64(n1 + n2)
	var r1, ties float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			if all[k].first {
				r1 += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	u := r1 - float64(n1*(n1+1))/2
	mu := float64(n1*n2) / 2
	variance := float64(n1*n2) / 12 * ((n + 1) - ties/(n*(n-1)))
	if variance <= 0 { // every trial on both sides has the same value
		return outcome{MannWhitneyU, 1}
	}
	z := math.Max(math.Abs(u-mu)-0.5, 0) / math.Sqrt(variance)
	return outcome{MannWhitneyU, math.Min(2*distuv.UnitNormal.CDF(-z), 1)}
}
