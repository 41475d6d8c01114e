package compare

import (
	"fmt"
	"math"
	"sort"

	"github.com/gossipbench/gossipbench/internal/results"
)

// Options steer a comparison.
type Options struct {
	Alpha float64 // significance level; a change counts when p < Alpha
	// Test is Welch (from summary.json's n, mean and sd) or
	// MannWhitneyU (from rounds.csv's per-trial values, for the
	// metrics it can rebuild; Welch for wall time).
	Test  string
	Gates []Gate
}

// DefaultAlpha is strict on purpose: a report checks ~9 metrics per point,
// so at 0.05 a few "significant" changes would show up by chance alone.
const DefaultAlpha = 0.01

// A wall time change is significant only when the means differ by more
// than both floors as well as p < alpha (see wallMatters).
const (
	WallFloorSeconds = 0.001
	WallFloorPercent = 5.0
)

// Status says on which sides a scenario or point was found.
const (
	Both     = "both"
	OnlyBase = "only_base"
	OnlyNew  = "only_new"
)

// Report is a whole comparison; it is also the --format json output, so its
// field names are a stable interface (see the package doc).
type Report struct {
	Format      int        `json:"format"` // version of this structure
	Base        string     `json:"base"`
	New         string     `json:"new"`
	Alpha       float64    `json:"alpha"`
	Test        string     `json:"test"`
	Verdict     string     `json:"verdict"`
	Significant int        `json:"significant"`      // significant changes, wall time excluded
	WallChanges int        `json:"wall_significant"` // points with a significant wall time change (wall_seconds, seconds_per_round)
	Gates       []GateTrip `json:"gates"`
	Warnings    []string   `json:"warnings"`
	Scenarios   []Scenario `json:"scenarios"`

	// ShowAll makes the text, markdown and HTML tables list every row;
	// by default they list only the rows that changed (Row.Changed) and say
	// how many they hid. JSON always holds every row.
	ShowAll bool `json:"-"`
}

// GateTrip is a gate and the rows that tripped it.
type GateTrip struct {
	Gate
	Tripped []Trip `json:"tripped"`
}

// Trip is one row that tripped a gate.
type Trip struct {
	Scenario string   `json:"scenario"`
	Point    string   `json:"point"`
	Base     float64  `json:"base"` // means
	New      float64  `json:"new"`
	Delta    float64  `json:"delta"`
	DeltaPct *float64 `json:"delta_pct"`
	P        float64  `json:"p"`
	Test     string   `json:"test"`
}

// Scenario is one scenario's comparison.
type Scenario struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"`
	Notes    []string `json:"notes"` // differences in the runs (seed, trials, params)
	Warnings []string `json:"warnings"`
	Points   []Point  `json:"points"`

	description string    // for the HTML page, escaped there
	dirs        [2]string // BASE's and NEW's results directories; "" on a missing side
}

// Point is one sweep point's comparison.
type Point struct {
	ID     string   `json:"id"`
	Status string   `json:"status"`
	Notes  []string `json:"notes"`
	Rows   []Row    `json:"metrics"`

	curves [2]*results.Curve // BASE's and NEW's, for the HTML page; nil on a missing side
}

// Row is one metric of one point.
type Row struct {
	Metric      string   `json:"metric"`
	Base        *Sample  `json:"base"` // nil when that side lacks the metric
	New         *Sample  `json:"new"`
	Delta       *float64 `json:"delta"`     // new mean - base mean
	DeltaPct    *float64 `json:"delta_pct"` // 100·delta/|base mean|; null when base mean is 0
	Test        string   `json:"test"`
	P           *float64 `json:"p"`
	Significant bool     `json:"significant"`
	// Worse: significant, and in the direction the metric is worse in
	// (results.Metric.HigherIsBetter; converged is better higher).
	Worse bool     `json:"worse"`
	Gates []string `json:"gates_tripped"`
}

// Changed is a row worth a reader's eye: a significant change or a
// tripped gate.
func (r *Row) Changed() bool { return r.Significant || len(r.Gates) > 0 }

// shown are the rows of a point that the tables list, and how many they
// leave out.
func (rep *Report) shown(pt Point) (rows []Row, hidden int) {
	if rep.ShowAll {
		return pt.Rows, 0
	}
	for _, r := range pt.Rows {
		if r.Changed() {
			rows = append(rows, r)
		}
	}
	return rows, len(pt.Rows) - len(rows)
}

// hiddenText says what the tables left out and how to see it.
func hiddenText(n int) string {
	if n == 1 {
		return "1 unchanged row hidden (--all shows every row)"
	}
	return fmt.Sprintf("%d unchanged rows hidden (--all shows every row)", n)
}

// Compare loads BASE and NEW and compares them.
func Compare(basePath, newPath string, o Options) (*Report, error) {
	if o.Alpha <= 0 || o.Alpha >= 1 {
		return nil, fmt.Errorf("alpha must be between 0 and 1, got %g", o.Alpha)
	}
	switch o.Test {
	case "":
		o.Test = Welch
	case Welch, MannWhitneyU:
	default:
		return nil, fmt.Errorf("unknown test %q; want %s or %s", o.Test, Welch, MannWhitneyU)
	}
	base, err := loadSide(basePath, o.Test == MannWhitneyU)
	if err != nil {
		return nil, err
	}
	defer base.close()
	nw, err := loadSide(newPath, o.Test == MannWhitneyU)
	if err != nil {
		return nil, err
	}
	defer nw.close()
	rep := &Report{Format: 1, Base: basePath, New: newPath, Alpha: o.Alpha, Test: o.Test,
		Gates: []GateTrip{}, Warnings: append(base.Warnings, nw.Warnings...), Scenarios: []Scenario{}}
	if rep.Warnings == nil {
		rep.Warnings = []string{}
	}
	for _, pair := range pairs(base, nw) {
		sc, err := compareScenario(pair[0], pair[1], o)
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, sc)
	}
	rep.applyGates(o.Gates)
	rep.Verdict = rep.verdict()
	return rep, nil
}

// pairs matches scenarios by name. Two single scenario directories are
// compared whatever their names (BASE and NEW of one experiment often live
// under different names); a name change is noted by compareScenario.
func pairs(base, nw *side) [][2]*result {
	if base.Single && nw.Single {
		for _, b := range base.Scenarios {
			for _, n := range nw.Scenarios {
				return [][2]*result{{b, n}}
			}
		}
	}
	names := map[string]bool{}
	for n := range base.Scenarios {
		names[n] = true
	}
	for n := range nw.Scenarios {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	out := make([][2]*result, len(sorted))
	for i, n := range sorted {
		out[i] = [2]*result{base.Scenarios[n], nw.Scenarios[n]}
	}
	return out
}

func (rep *Report) applyGates(gates []Gate) {
	for _, g := range gates {
		gt := GateTrip{Gate: g, Tripped: []Trip{}}
		for si := range rep.Scenarios {
			sc := &rep.Scenarios[si]
			for pi := range sc.Points {
				for ri := range sc.Points[pi].Rows {
					r := &sc.Points[pi].Rows[ri]
					if g.trips(r) {
						r.Gates = append(r.Gates, g.Spec)
						gt.Tripped = append(gt.Tripped, Trip{Scenario: sc.Name, Point: sc.Points[pi].ID,
							Base: r.Base.Mean, New: r.New.Mean, Delta: *r.Delta, DeltaPct: r.DeltaPct, P: *r.P, Test: r.Test})
					}
				}
			}
		}
		rep.Gates = append(rep.Gates, gt)
	}
}

// Tripped counts the gates that tripped at least once.
func (rep *Report) Tripped() int {
	n := 0
	for _, g := range rep.Gates {
		if len(g.Tripped) > 0 {
			n++
		}
	}
	return n
}

// finite turns NaN and infinities, which JSON cannot hold, into null.
func finite(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
