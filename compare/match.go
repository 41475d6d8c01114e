package compare

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
)

// compareScenario matches points by ID. Either side may be nil: the
// scenario is then listed with its points, not dropped.
func compareScenario(b, n *result, o Options) (Scenario, error) {
	sc := Scenario{Status: Both, Notes: []string{}, Warnings: []string{}, Points: []Point{}}
	switch {
	case b == nil:
		sc.Name, sc.Status, sc.description = n.Summary.Name, OnlyNew, n.Summary.Description
	case n == nil:
		sc.Name, sc.Status, sc.description = b.Summary.Name, OnlyBase, b.Summary.Description
	default:
		sc.Name, sc.description = b.Summary.Name, n.Summary.Description
		sc.Notes, sc.Warnings = scenarioDiffs(b, n)
	}
	sc.Warnings = append(sc.Warnings, shardWarnings(b, n)...)
	for i, r := range []*result{b, n} {
		if r != nil {
			sc.dirs[i] = r.Dir
		}
	}
	var ids []string
	for _, r := range []*result{b, n} {
		if r == nil {
			continue
		}
		for _, p := range r.Summary.Points {
			if !slices.Contains(ids, p.ID) {
				ids = append(ids, p.ID) // BASE's order, then points new in NEW
			}
		}
	}
	for _, id := range ids {
		pt, err := comparePoint(&sc, id, b, n, o)
		if err != nil {
			return sc, err
		}
		sc.Points = append(sc.Points, pt)
	}
	return sc, nil
}

// scenarioDiffs tells what differs between the two runs. Seeds, trials and
// builds differ by design (that is often the point of comparing); a
// different engine or sweep is allowed but may not be what was meant.
func scenarioDiffs(b, n *result) (notes, warnings []string) {
	bs, ns := b.Summary, n.Summary
	notes, warnings = []string{}, []string{}
	change := func(what string, x, y any) string { return sides(what, fmt.Sprint(x), fmt.Sprint(y)) }
	if bs.Name != ns.Name {
		notes = append(notes, change("name", bs.Name, ns.Name))
	}
	switch {
	case len(bs.Points) > 0 && len(ns.Points) > 0:
		// What is not swept is the same at every point: the first tells.
		notes = append(notes, paramDiffs(bs.Points[0].Params, ns.Points[0].Params, false)...)
	case bs.Seed != ns.Seed: // an empty shard's summary still has its seed
		notes = append(notes, change("seed", bs.Seed, ns.Seed))
	}
	if bm, nm := b.Manifest, n.Manifest; bm != nil && nm != nil {
		if bm.Info != nm.Info {
			notes = append(notes, change("build", bm.Info, nm.Info))
		}
		if bm.Host != nm.Host {
			warnings = append(warnings, fmt.Sprintf("different hosts (%s): wall times compare machines as well as code",
				sides("host", hostText(bm.Host), hostText(nm.Host))))
		}
	}
	if bs.Engine != ns.Engine {
		warnings = append(warnings, "engine differs: "+change("engine", bs.Engine, ns.Engine))
	}
	if !slices.Equal(bs.Sweep, ns.Sweep) {
		warnings = append(warnings, "sweep keys differ: "+change("sweep keys", keys(bs.Sweep), keys(ns.Sweep)))
	}
	return notes, warnings
}

// hostText names a host; a merge of shards run on several hosts has none.
func hostText(h results.Host) string {
	if h == (results.Host{}) {
		return "several hosts"
	}
	return fmt.Sprintf("%s, %d CPUs", h.Name, h.CPUs)
}

// shardWarnings: a shard holds only some of the sweep's points, so the
// others would look like points added or removed.
func shardWarnings(b, n *result) []string {
	var out []string
	for _, s := range []struct {
		r           *result
		side, other string
	}{{b, "BASE", "NEW"}, {n, "NEW", "BASE"}} {
		if s.r != nil && s.r.shard != "" {
			out = append(out, fmt.Sprintf("%s is shard %s of the sweep (run --shard): points of other shards show as only in %s; merge the shards first",
				s.side, s.r.shard, s.other))
		}
	}
	return out
}

func keys(k []string) string {
	if len(k) == 0 {
		return "(none)"
	}
	return strings.Join(k, ",")
}

func comparePoint(sc *Scenario, id string, b, n *result, o Options) (Point, error) {
	pt := Point{ID: id, Status: Both, Notes: []string{}, Rows: []Row{}}
	var bp, np *results.PointSummary
	if b != nil {
		bp = b.points[id]
	}
	if n != nil {
		np = n.points[id]
	}
	if bp != nil {
		pt.curves[0] = &bp.Curve
	}
	if np != nil {
		pt.curves[1] = &np.Curve
	}
	switch {
	case bp == nil:
		pt.Status = OnlyNew
	case np == nil:
		pt.Status = OnlyBase
	default:
		pt.Notes = paramDiffs(bp.Params, np.Params, true)
	}
	for _, metric := range Metrics() {
		bs, ns := sample(b, bp, metric), sample(n, np, metric)
		if bs == nil && ns == nil {
			continue
		}
		row := Row{Metric: metric, Base: bs, New: ns, Test: NoTest, Gates: []string{}}
		if bs != nil && ns != nil {
			out, err := test(sc, b, n, id, metric, bs, ns, o)
			if err != nil {
				return pt, err
			}
			row.Test, row.P = out.Test, finite(out.P)
			row.Significant = row.P != nil && *row.P < o.Alpha
			row.P = finite(digits(out.P))
			d := digits(ns.Mean - bs.Mean)
			row.Delta = &d
			if timing(metric) && !wallMatters(bs.Mean, d) {
				row.Significant = false
			}
			row.Worse = row.Significant && worse(metric, d)
			switch {
			case bs.Mean != 0:
				row.DeltaPct = finite(digits(100 * d / math.Abs(bs.Mean)))
			case d == 0:
				row.DeltaPct = &d
			}
		}
		pt.Rows = append(pt.Rows, row)
	}
	return pt, nil
}

// sample is one side's statistics for a metric; nil if it has none.
func sample(r *result, p *results.PointSummary, metric string) *Sample {
	if p == nil {
		return nil
	}
	switch metric {
	case Converged:
		if p.Trials == 0 {
			return nil
		}
		frac := float64(p.Converged) / float64(p.Trials)
		count := p.Converged
		s := &Sample{N: p.Trials, Mean: frac, Count: &count}
		if p.Trials > 1 { // sd of the 0/1 outcomes, for the record; the test uses the counts
			s.SD = digits(math.Sqrt(frac * (1 - frac) * float64(p.Trials) / float64(p.Trials-1)))
		}
		s.Mean = digits(frac)
		return s
	case results.WallSeconds:
		st, ok := r.walls[p.ID]
		if !ok || st.N == 0 {
			return nil
		}
		return &Sample{N: st.N, Mean: digits(st.Mean), SD: digits(st.SD)}
	}
	st, ok := p.Metrics[metric]
	if !ok || st.N == 0 {
		return nil
	}
	return &Sample{N: st.N, Mean: digits(st.Mean), SD: digits(st.SD), trials: p.Trials}
}

// digits rounds to 10 significant digits. The report's numbers are then
// the same on every platform (arm64 fuses multiply-adds, amd64 does not)
// and read well in JSON: -0.1, not -0.09999999999999964.
func digits(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 10, 64), 64)
	return y
}

// test picks and runs the test for a row.
func test(sc *Scenario, b, n *result, id, metric string, bs, ns *Sample, o Options) (outcome, error) {
	switch {
	case metric == Converged:
		return proportions(*bs.Count, bs.N, *ns.Count, ns.N), nil
	case o.Test != MannWhitneyU || timing(metric) || graphFact(metric): // rounds.csv holds no times, no graphs
		return welch(*bs, *ns), nil
	}
	var xs [2][]float64
	for i, r := range []*result{b, n} {
		if r.trials == nil {
			return outcome{}, inputErrorf("%s: missing (needed by --test mann-whitney)", filepath.Join(r.Dir, results.RoundsFile))
		}
		xs[i] = r.trials[id][metric]
		if !agrees(xs[i], r.points[id].Metrics[metric]) {
			w := fmt.Sprintf("%s: does not reproduce %s's %s; Welch t used for it",
				filepath.Join(r.Dir, results.RoundsFile), results.SummaryFile, metric)
			if !slices.Contains(sc.Warnings, w) {
				sc.Warnings = append(sc.Warnings, w)
			}
			return welch(*bs, *ns), nil
		}
	}
	return mannWhitney(xs[0], xs[1]), nil
}

// paramDiffs lists the parameters that differ, e.g. "BASE has loss 0, NEW has loss 0.3":
// the swept ones (which may differ point by point) when sweep, else the
// others (the same at every point of a run). Every parameter a scenario
// has is in results.ParamFields, so a new one shows here unasked.
func paramDiffs(a, b results.Params, sweep bool) []string {
	out := []string{}
	bf := results.ParamFields(b)
	for i, f := range results.ParamFields(a) {
		if f.Sweep == sweep && f.Text != bf[i].Text {
			out = append(out, sides(f.Key, f.Text, bf[i].Text))
		}
	}
	return out
}

// sides says what differs naming both sides in full, "BASE has loss 0, NEW
// has loss 0.3": an arrow after a name ("base: loss: 0 → 0.3") read as if
// the name were a side.
func sides(what, base, nw string) string {
	return fmt.Sprintf("BASE has %s %s, NEW has %s %s", what, base, what, nw)
}

// timing says whether a metric is a time, which the machine sets as much
// as the code: wall_seconds and the registry's Machine metrics
// (seconds_per_round). Its changes are counted apart from the others and
// only beyond the floors of wallMatters.
func timing(metric string) bool {
	if metric == results.WallSeconds {
		return true
	}
	m, ok := results.MetricNamed(metric)
	return ok && m.Machine
}

// wallMatters: a wall time change counts only beyond WallFloorSeconds and
// WallFloorPercent of BASE's mean. Memory-engine points take microseconds,
// and thirty trials make a 5 µs wobble "significant" that nobody can act on.
func wallMatters(base, delta float64) bool {
	d := math.Abs(delta)
	return d > WallFloorSeconds && d > WallFloorPercent/100*math.Abs(base)
}

// graphFact says whether a metric is a fact of the trials' graphs, which
// rounds.csv does not hold: its trials read back have none, so the rank
// test has nothing to rank, and Welch's t on summary.json is used.
func graphFact(metric string) bool {
	m, ok := results.MetricNamed(metric)
	return ok && m.Graph
}
