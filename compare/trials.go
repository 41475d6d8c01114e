package compare

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/gossipbench/gossipbench/experiments"
	"gonum.org/v1/gonum/stat/distuv"
)

// trialSamples are a point's per-trial metric values, rebuilt from
// rounds.csv for rank tests, which need every trial and not just the mean
// and sd summary.json keeps.
type trialSamples map[string][]float64

// trialAcc follows one trial through its rows of rounds.csv.
type trialAcc struct {
	reached                    map[string]float64
	sent, delivered, redundant float64
	informed, alive            int
}

var fractions = []struct {
	metric string
	frac   float64
}{{experiments.RoundsTo50, 0.5}, {experiments.RoundsTo90, 0.9}, {experiments.RoundsTo99, 0.99}, {experiments.RoundsToFull, 1}}

// readTrials rebuilds the per-trial metrics the way experiments computes
// them from engine traces (engine.Trace.RoundsTo, MessagesPerNode,
// Redundancy, Residue). The caller checks the result against summary.json,
// so a drift between the two definitions shows up as a warning, not as a
// wrong p-value.
func readTrials(r *result) (map[string]trialSamples, error) {
	path := filepath.Join(r.Dir, experiments.RoundsFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, inputErrorf("%s: %v (needed by --test mann-whitney)", path, errors.Unwrap(err))
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err != nil {
		return nil, inputErrorf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	names := []string{"trial", "round", "informed", "alive", "sent", "delivered", "redundant"}
	for _, need := range append([]string{"point"}, names...) {
		if _, ok := col[need]; !ok {
			return nil, inputErrorf("%s: no %q column", path, need)
		}
	}
	type key struct {
		point string
		trial int
	}
	accs := map[key]*trialAcc{}
	var order []key
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, inputErrorf("%s: %v", path, err)
		}
		var v [7]int
		for i, name := range names {
			if v[i], err = strconv.Atoi(rec[col[name]]); err != nil {
				return nil, inputErrorf("%s:%d: %s: %v", path, line, name, err)
			}
		}
		k := key{rec[col["point"]], v[0]}
		a := accs[k]
		if a == nil {
			a = &trialAcc{reached: map[string]float64{}}
			accs[k] = a
			order = append(order, k)
		}
		round, informed, alive := v[1], v[2], v[3]
		a.sent += float64(v[4])
		a.delivered += float64(v[5])
		a.redundant += float64(v[6])
		a.informed, a.alive = informed, alive
		for _, fr := range fractions {
			if _, done := a.reached[fr.metric]; done || alive == 0 {
				continue
			}
			if fr.frac >= 1 && informed == alive || fr.frac < 1 && float64(informed) >= fr.frac*float64(alive) {
				a.reached[fr.metric] = float64(round)
			}
		}
	}
	out := map[string]trialSamples{}
	for _, k := range order {
		a := accs[k]
		p := r.points[k.point]
		if p == nil {
			return nil, inputErrorf("%s: point %q is not in %s", path, k.point, experiments.SummaryFile)
		}
		ts := out[k.point]
		if ts == nil {
			ts = trialSamples{}
			out[k.point] = ts
		}
		for _, fr := range fractions {
			if v, ok := a.reached[fr.metric]; ok {
				ts[fr.metric] = append(ts[fr.metric], v)
			}
		}
		ts[experiments.MessagesPerNode] = append(ts[experiments.MessagesPerNode], a.sent/float64(p.Params.Nodes))
		red := 0.0
		if a.delivered > 0 {
			red = a.redundant / a.delivered
		}
		ts[experiments.Redundancy] = append(ts[experiments.Redundancy], red)
		res := 1.0
		if a.alive > 0 {
			res = float64(a.alive-a.informed) / float64(a.alive)
		}
		ts[experiments.Residue] = append(ts[experiments.Residue], res)
	}
	return out, nil
}

// agrees reports whether per-trial values reproduce summary.json's n and
// mean for a metric.
func agrees(xs []float64, st experiments.Stats) bool {
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
