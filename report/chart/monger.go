package chart

import (
	"math"

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

// theoryLabel names a point's theory line for its model.
func theoryLabel(p *results.PointSummary) string {
	s := p.Params.Stop
	switch {
	case s.Rule == "":
		return theoryName
	case s.Rule == "coin" && s.Feedback:
		return "continuous-time residue equation s = e^{-(k+1)(1-s)} (feedback coin)"
	}
	return "SIR mean-field (" + s.Rule + ")"
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
