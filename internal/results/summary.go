package results

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// SchemaVersion is the version of summary.json, manifest.json and replay
// files. Readers refuse other versions rather than misread them.
//
// Schema 2: a point's params hold every parameter of the scenario (trials,
// seed, source, failures, replay, http), theory maps metric names to the
// model's values, and summary.json has sweep_values. Schema 1 results
// are refused: their params lack what compare needs to say what differs.
const SchemaVersion = 2

// Summary is summary.json: one entry per sweep point. It depends only on the
// scenario and its seed, never on the machine or -j, so two runs of the same
// scenario give the same bytes; timings live in manifest.json.
type Summary struct {
	Schema      int      `json:"schema"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Engine      string   `json:"engine"`
	Seed        uint64   `json:"seed"`
	Sweep       []string `json:"sweep"`
	// SweepValues are the texts of each swept key's values, in file order,
	// as point IDs spell them: with Sweep they give the whole grid (see
	// GridIDs), which a shard's points alone do not, so merge can tell
	// what is missing. Absent in results written before it was added.
	SweepValues [][]string `json:"sweep_values,omitempty"`
	// Failures are the scenario's planned node failures, so a reader of the
	// results knows why messages failed.
	Failures []FailureSummary `json:"failures,omitempty"`
	// Shard says which shard of the sweep this is (run --shard); absent
	// for a whole run, and for the result of merging the shards.
	Shard  *Shard         `json:"shard,omitempty"`
	Points []PointSummary `json:"points"`
}

// PointSummary aggregates a point's trials.
type PointSummary struct {
	ID     string `json:"id"`
	Params Params `json:"params"`
	Trials int    `json:"trials"` // measured trials: the statistics' base
	// Unmeasured trials ran but could not be measured (see
	// engine.ErrUnmeasured); manifest.json says why.
	Unmeasured int `json:"unmeasured,omitempty"`
	Converged  int `json:"converged"`
	// Metrics maps a metric name (see Metrics) to its
	// statistics over the trials that have a value for it: rounds-to-X only
	// counts trials that reached X. A metric no trial has is left out.
	Metrics map[string]Stats `json:"metrics"`
	// Theory is null where no model covers the point (meanfield.Covers);
	// NoTheory then says why. On the complete graph it is the mean-field
	// model's; off it, an asymptotic leading term of rounds_to_full only,
	// and TheoryFrom names the result.
	Theory   Theory `json:"theory"`
	NoTheory string `json:"no_theory,omitempty"`
	// TheoryFrom is where the theory comes from (meanfield.Source), absent
	// for the mean-field model of the complete graph. It is written as
	// TheorySource derives it from the params, whatever the field holds
	// (see MarshalJSON), and the reader refuses another.
	TheoryFrom string `json:"theory_source,omitempty"`
	Curve      Curve  `json:"curve"`
	// Rumors, for a point of many rumors, are their delays and each
	// one's metrics (RumorSummary); absent elsewhere and in older results.
	Rumors *RumorSummary `json:"rumors,omitempty"`
	Replay string        `json:"replay,omitempty"` // path under the results dir
}

// Stats describe one metric over trials.
type Stats struct {
	N      int        `json:"n"`
	Mean   float64    `json:"mean"`
	SD     float64    `json:"sd"`
	CI95   [2]float64 `json:"ci95"` // Student's t interval for the mean
	Min    float64    `json:"min"`
	Median float64    `json:"median"`
	Max    float64    `json:"max"`
}

// Theory is the mean-field model's prediction for the point: metric name
// to value, null where the model never gets there within max_rounds.
// Only metrics the model predicts are present; a nil Theory (JSON null)
// is a point the model does not cover.
type Theory map[string]*float64

// Curve is the informed count per round across trials. Trials that stopped
// early (converged or stalled) count with their final state in later rounds.
type Curve struct {
	Round         []int     `json:"round"`
	InformedMean  []float64 `json:"informed_mean"`
	InformedP05   []float64 `json:"informed_p05"`
	InformedP95   []float64 `json:"informed_p95"`
	AliveMean     []float64 `json:"alive_mean"`
	SentMean      []float64 `json:"sent_mean"`
	DeliveredMean []float64 `json:"delivered_mean"`
	RedundantMean []float64 `json:"redundant_mean"`
	Theory        []float64 `json:"theory"` // expected informed count, mean-field; null without theory
	// Faults over time: nodes down, nodes that came back at the round's
	// start, messages failed across a partition; absent in older results.
	DownMean       []float64 `json:"down_mean,omitempty"`
	RecoveringMean []float64 `json:"recovering_mean,omitempty"`
	CutMean        []float64 `json:"cut_mean,omitempty"`
}

// Describe computes the statistics of a sample; an empty sample gives N 0.
func Describe(xs []float64) Stats {
	if len(xs) == 0 {
		return Stats{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	st := Stats{N: len(s), Min: s[0], Max: s[len(s)-1], Median: Quantile(s, 0.5)}
	if len(s) == 1 {
		st.Mean = s[0]
		st.CI95 = [2]float64{s[0], s[0]}
		return st
	}
	st.Mean, st.SD = stat.MeanStdDev(s, nil)
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(s) - 1)}.Quantile(0.975) * st.SD / math.Sqrt(float64(len(s)))
	st.CI95 = [2]float64{st.Mean - half, st.Mean + half}
	return st
}

// Quantile of sorted data, interpolating between order statistics (type 7
// of Hyndman and Fan, the default of R and NumPy). gonum's stat.Quantile
// offers types 1 and 4 only, which give a median of 2, not 2.5, for 1 2 3 4.
func Quantile(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// FailureSummary is one planned failure as summary.json lists it.
type FailureSummary struct {
	Round    int     `json:"round"`
	Kind     string  `json:"kind"` // crash, hang or garbage
	Fraction float64 `json:"fraction"`
	// Recover is the round the nodes come back at (0: never), with their
	// state if KeepState.
	Recover   int  `json:"recover,omitempty"`
	KeepState bool `json:"keep_state,omitempty"`
}

// Text is the mean with digits decimals, or "-" when no trial has the
// metric (a missing metric reads as Stats{}).
func (s Stats) Text(digits int) string {
	if s.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.*f", digits, s.Mean)
}

// TextCI is the mean and the half-width of its 95 % interval, "6.1 ±0.2".
func (s Stats) TextCI() string {
	if s.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f ±%.1f", s.Mean, (s.CI95[1]-s.CI95[0])/2)
}

// Metric is the theory's value of a metric; nil where the model has none,
// and on a nil Theory (a point the model does not cover).
func (t Theory) Metric(name string) *float64 { return t[name] }

// TheoryText is a theory value with one decimal, "-" where the model has
// none.
func TheoryText(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *f)
}
