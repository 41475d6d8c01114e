package chart

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/meanfield"

	"github.com/gossipbench/gossipbench/internal/results"
)

// What the charts read of rumor mongering (stop rules, many rumors,
// budgets, presets; docs/design.md, "Stop rules"), in one place: the
// fields summary.json holds for it, so that the charts below name none.

// mongers says whether a point runs rumor mongering: a stop rule or more
// than one rumor. Its pages then draw the infective and removed nodes and
// the per-rumor charts; wave-1 points are drawn as before.
func mongers(p *results.PointSummary) bool {
	return p.Params.Stop.Rule != "" || p.Params.RumorCount() > 1
}

func anyMongers(sum *results.Summary) bool {
	for i := range sum.Points {
		if mongers(&sum.Points[i]) {
			return true
		}
	}
	return false
}

// rumorsAt is how many rumors are injected by the end of round r: rumor i
// at round i·every.
func rumorsAt(p *results.PointSummary, r int) int {
	n := max(p.Params.Rumors.Count, 1)
	every := p.Params.Rumors.Every
	if every <= 0 {
		return n
	}
	return min(r/every+1, n)
}

// want is, per round of the curve, the node-rumor pairs that would be
// informed if every alive node knew every rumor injected so far: what
// the informed, infective and removed counts are shares of.
func want(p *results.PointSummary) []float64 {
	cv := p.Curve
	out := make([]float64, len(cv.Round))
	for i, r := range cv.Round {
		out[i] = nan
		if i < len(cv.AliveMean) {
			out[i] = cv.AliveMean[i] * float64(rumorsAt(p, r))
		}
	}
	return out
}

// divide is a[i]/b[i], NaN where b[i] is not positive or either is missing.
func divide(a, b []float64) []float64 {
	out := make([]float64, len(b))
	for i := range out {
		out[i] = nan
		if i < len(a) && b[i] > 0 && finite(b[i]) {
			out[i] = a[i] / b[i]
		}
	}
	return out
}

func anyManyRumors(sum *results.Summary) bool {
	for i := range sum.Points {
		if sum.Points[i].Params.RumorCount() > 1 {
			return true
		}
	}
	return false
}

const (
	infectiveName = "infective (still spreading)"
	removedName   = "removed (stopped spreading)"
)

// mongerNote is the convergence chart's note for points that run rumor
// mongering.
func mongerNote(sum *results.Summary) string {
	note := "Mean informed fraction per round (solid), 5th to 95th percentile across trials (band); " +
		"of those, the infective, still spreading (dotted), and the removed, which stopped (faint)"
	if anyManyRumors(sum) {
		note = "Informed node-rumor pairs per round as a fraction of alive nodes × rumors injected so far: " +
			"the mean (solid), 5th to 95th percentile across trials (band); of those, the infective, still spreading (dotted), and the removed (faint)"
	}
	if anyMeanField(sum) {
		note += "; the theory (dashed), named for its model"
	}
	return note + "."
}

// states are a mongering point's infective and removed shares, each a
// legend entry shared by every point.
func (l *layout) states(p *results.PointSummary, col string, x []float64) []Series {
	w := want(p)
	var out []Series
	st := l.trials.States[p.ID]
	if st == nil || !st.Counted {
		return nil
	}
	if inf := divide(st.Infective, w); anyFinite(inf) {
		out = append(out, Series{Name: infectiveName, Kind: Line, Color: col, Dotted: true, X: x, Y: inf})
	}
	if rem := divide(st.Removed, w); anyFinite(rem) {
		out = append(out, Series{Name: removedName, Kind: Line, Color: col, Faint: true, X: x, Y: rem})
	}
	return out
}

// theoryLabel names a point's theory line for its model: the wave-1
// recurrence, or, with a stop rule, the synchronous-round model of rumor
// mongering (meanfield.SourceMonger).
func theoryLabel(p *results.PointSummary) string {
	if p.Params.Stop.Rule == "" {
		return theoryName
	}
	return meanfield.SourceMonger + " (" + p.Params.Stop.Rule + ")"
}

// continuousName is the continuous-time model's line: Demers et al.'s
// residue equation holds in continuous time, where a node informed
// earlier in the same round already counts as knowing, so under
// synchronous rounds it is a model beside the measurement, not a
// prediction of it (../shared/SEMANTICS-WAVE2.md).
const continuousName = "continuous-time residue equation s = e^(−(k+1)(1−s)) (" + meanfield.SourceContinuous + ")"

// continuous is the continuous-time model's informed share per round for
// a point of push with a feedback coin and one rumor on the complete
// graph without failures, the setting the equation is of; nil elsewhere.
// It is the closed-form model of the point's params, as theory_source is
// derived from them (results.PointSummary.TheorySource), not a run.
func continuous(p *results.PointSummary, col string, x []float64) []Series {
	pp := p.Params
	if pp.Stop.Rule != "coin" || !pp.Stop.Feedback || pp.RumorCount() > 1 || pp.Mode != engine.Push ||
		!pp.Topology.IsComplete() || len(pp.Failures) > 0 || len(x) == 0 || pp.Nodes < 2 {
		return nil
	}
	last := int(x[len(x)-1])
	c := meanfield.ContinuousCurve(meanfield.Params{Nodes: pp.Nodes, Mode: pp.Mode, Fanout: pp.Fanout, Loss: pp.Loss,
		Stop: pp.Stop.Engine()}, last)
	ys := make([]float64, len(x))
	for i, r := range x {
		st := meanfield.At(c, int(r))
		ys[i] = nan
		if st.Alive > 0 {
			ys[i] = st.Informed / st.Alive
		}
	}
	return []Series{{Name: continuousName, Kind: Line, Color: col, Dashed: true, Faint: true, Theory: true, X: x, Y: ys}}
}

// roundSeconds is how long a round stands for when every point says the
// same (a preset's GossipInterval); 0 otherwise.
func roundSeconds(sum *results.Summary) float64 {
	secs := -1.0
	for i := range sum.Points {
		s := sum.Points[i].Params.RoundSeconds
		if secs >= 0 && s != secs {
			return 0
		}
		secs = s
	}
	return max(secs, 0)
}

// seconds prints a duration in seconds for people: "200 ms", "1.5 s".
func seconds(s float64) string {
	if s < 1 {
		return FormatNumber(math.Round(s*1e6)/1e3) + " ms"
	}
	return FormatNumber(math.Round(s*1e3)/1e3) + " s"
}

const continuousResidueName = "continuous-time residue equation"

// continuousResidue is the continuous-time equation's residue for a
// feedback coin point (the setting of continuous), false elsewhere.
func continuousResidue(p *results.PointSummary) (float64, bool) {
	pp := p.Params
	if pp.Stop.Rule != "coin" || !pp.Stop.Feedback || pp.RumorCount() > 1 || pp.Mode != engine.Push || !pp.Topology.IsComplete() {
		return 0, false
	}
	s, _, ok := meanfield.ContinuousResidue(pp.Stop.Engine(), pp.Nodes, pp.Loss)
	return s, ok
}
