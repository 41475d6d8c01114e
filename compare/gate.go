package compare

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Converged is the converged-fraction metric: converged trials / trials.
const Converged = "converged"

// Metrics are the compared metrics, in table order: the per-trial metrics
// of results.Metrics, then the converged fraction and the wall time.
func Metrics() []string { return append(results.MetricNames(), Converged, results.WallSeconds) }

// worse reports whether a change of delta in metric is for the worse:
// up for a cost (rounds, messages, wall time), down for a gain (converged).
func worse(metric string, delta float64) bool {
	if graphFact(metric) { // the graph is what the scenario asked for, not how well gossip did
		return false
	}
	higherIsBetter := metric == Converged
	if m, ok := results.MetricNamed(metric); ok {
		higherIsBetter = m.HigherIsBetter
	}
	return delta != 0 && (delta > 0) != higherIsBetter
}

// Gate is a --fail-on condition: METRIC OP CHANGE, e.g. rounds_to_full>+5%.
// It trips on a significant change of METRIC in OP's direction whose size
// is beyond CHANGE, relative to BASE's mean when CHANGE ends in %, absolute
// otherwise.
type Gate struct {
	Spec      string  `json:"gate"`
	Metric    string  `json:"metric"`
	Up        bool    `json:"-"`         // > (an increase) rather than < (a decrease)
	Threshold float64 `json:"threshold"` // signed, in % when Percent
	Percent   bool    `json:"percent"`
}

// ParseGate reads METRIC>CHANGE or METRIC<CHANGE. CHANGE is a number, in %
// or absolute; a sign, if given, must agree with the operator, and a
// missing one is taken from it: converged<1% is converged<-1%.
func ParseGate(spec string) (Gate, error) {
	s := strings.Join(strings.Fields(spec), "")
	i := strings.IndexAny(s, "<>")
	if i < 0 {
		return Gate{}, fmt.Errorf("gate %q: want METRIC>CHANGE or METRIC<CHANGE, e.g. rounds_to_full>+5%% or rounds_to_99>+0.5", spec)
	}
	g := Gate{Spec: s, Metric: s[:i], Up: s[i] == '>'}
	if !known(g.Metric) {
		return Gate{}, fmt.Errorf("gate %q: unknown metric %q; allowed: %s", spec, g.Metric, strings.Join(Metrics(), ", "))
	}
	m := changeRE.FindStringSubmatch(s[i+1:])
	if m == nil {
		return Gate{}, fmt.Errorf("gate %q: %q is not a change; want a number such as +5%%, -1%% or +0.5", spec, s[i+1:])
	}
	v, _ := strconv.ParseFloat(m[2], 64) // the pattern admits only plain decimals
	g.Percent = m[3] == "%"
	if m[1] != "" && v != 0 && (m[1] == "+") != g.Up {
		return Gate{}, fmt.Errorf("gate %q: the sign of %s contradicts %q; write %s>+X for an increase, %s<-X for a decrease",
			spec, s[i+1:], string(s[i]), g.Metric, g.Metric)
	}
	g.Threshold = v
	if !g.Up {
		g.Threshold = -v
	}
	return g, nil
}

// changeRE is a gate's CHANGE: an optional sign, a plain decimal, an
// optional %. Plain, so that "inf", "NaN" and hex floats are refused.
var changeRE = regexp.MustCompile(`^([+-]?)(\d+(?:\.\d*)?|\.\d+)(%?)$`)

func known(metric string) bool {
	return slices.Contains(Metrics(), metric)
}

// trips reports whether a compared row trips the gate. Only significant
// changes count: a gate must not fail CI on noise. A change from a base
// mean of 0 is beyond any percentage.
func (g Gate) trips(r *Row) bool {
	if r.Metric != g.Metric || !r.Significant || r.Delta == nil {
		return false
	}
	d := *r.Delta
	if g.Up != (d > 0) || d == 0 {
		return false
	}
	if g.Percent {
		if r.DeltaPct == nil {
			return true
		}
		d = *r.DeltaPct
	}
	return math.Abs(d) > math.Abs(g.Threshold)
}

// String is the gate in its canonical form, e.g. rounds_to_full>+5%.
func (g Gate) String() string {
	op := "<"
	if g.Up {
		op = ">"
	}
	unit := ""
	if g.Percent {
		unit = "%"
	}
	return fmt.Sprintf("%s%s%+g%s", g.Metric, op, g.Threshold, unit)
}
