package results

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// The checks below catch what JSON decoding lets through but would make a
// reader crash, allocate without bound, write outside the result or lie:
// names that are paths, arrays of different lengths, rounds beyond the run,
// node IDs beyond the nodes, negative or impossible counts. Every reader
// of results (report, compare, merge) gets them through OpenResult. The
// list is in docs/design.md, "Results schema".

const nameRule = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"

func decodeSummary(path string, data []byte) (*Summary, error) {
	var s Summary
	if err := decodeJSON(path, data, &s); err != nil {
		return nil, err
	}
	if err := checkSummary(&s); err != nil {
		return nil, &ResultError{Path: path, Err: err}
	}
	return &s, nil
}

func checkSummary(s *Summary) error {
	if !ValidName(s.Name) {
		return fmt.Errorf("scenario name %q: must be %s", s.Name, nameRule)
	}
	if !knownEngines(s.Engine) {
		return fmt.Errorf("engine %q: this gossipbench knows %v (joined by + where a scenario sweeps engine)", s.Engine, Engines)
	}
	for i, k := range s.Sweep {
		if !slices.Contains(SweepableKeys, k) || slices.Index(s.Sweep, k) != i {
			return fmt.Errorf("sweep[%d]: %q is not a sweepable key or appears twice", i, k)
		}
	}
	if err := checkFailures("failures", s.Failures, MaxRounds); err != nil {
		return err
	}
	grid, err := checkGrid(s)
	if err != nil {
		return err
	}
	if sh := s.Shard; sh != nil && (sh.Count < 1 || sh.Count > MaxShards || sh.Index < 1 || sh.Index > sh.Count) {
		return fmt.Errorf("invalid shard %d/%d", sh.Index, sh.Count)
	}
	if len(s.Points) > MaxPoints {
		return fmt.Errorf("%d points, more than a sweep may have (%d)", len(s.Points), MaxPoints)
	}
	seen := map[string]bool{}
	for i := range s.Points {
		p := &s.Points[i]
		if !ValidPointID(p.ID) {
			return fmt.Errorf("points[%d]: id %q is not a point ID (\"base\" or key=value,...)", i, p.ID)
		}
		if seen[p.ID] {
			return fmt.Errorf("point %q appears twice", p.ID)
		}
		if grid != nil && !grid[p.ID] {
			return fmt.Errorf("point %q is not in the grid of sweep_values", p.ID)
		}
		seen[p.ID] = true
		if err := checkPointID(s.Sweep, p); err != nil {
			return fmt.Errorf("point %q: %w", p.ID, err)
		}
		if err := checkPoint(p, s.Sweep); err != nil {
			return fmt.Errorf("point %q: %w", p.ID, err)
		}
	}
	return nil
}

// checkGrid checks sweep_values against sweep and returns the grid's
// point IDs; nil when the summary has none (it predates them).
func checkGrid(s *Summary) (map[string]bool, error) {
	if s.SweepValues == nil {
		return nil, nil
	}
	if len(s.SweepValues) != len(s.Sweep) {
		return nil, fmt.Errorf("%d sweep_values lists for %d sweep keys", len(s.SweepValues), len(s.Sweep))
	}
	total := 1
	for i, values := range s.SweepValues {
		for j, v := range values {
			if !pointValue.MatchString(v) || slices.Index(values, v) != j {
				return nil, fmt.Errorf("sweep_values[%d][%d]: %q is not a point ID's value or appears twice", i, j, v)
			}
			if !sweepValueOK(s.Sweep[i], v) {
				return nil, fmt.Errorf("sweep_values[%d][%d]: %q is not a value of %s as point IDs spell it", i, j, v, s.Sweep[i])
			}
		}
		if total *= len(values); total == 0 || total > MaxPoints {
			return nil, fmt.Errorf("sweep_values: an empty list, or a grid of more than %d points", MaxPoints)
		}
	}
	grid := map[string]bool{}
	for _, id := range GridIDs(s.Sweep, s.SweepValues) {
		grid[id] = true
	}
	return grid, nil
}

// knownEngines accepts a summary's engine: one this build knows, or, for a
// scenario that sweeps engine, its values joined by "+" (see Summarize).
func knownEngines(engine string) bool {
	if engine == "" {
		return true
	}
	for _, e := range strings.Split(engine, "+") {
		if !slices.Contains(Engines, e) {
			return false
		}
	}
	return true
}

func checkParams(p Params, sweep []string) error {
	switch {
	case !slices.Contains(Engines, p.Engine):
		return fmt.Errorf("engine %q: this gossipbench knows %v", p.Engine, Engines)
	case p.Nodes < 2 || p.Nodes > MaxNodes:
		return fmt.Errorf("nodes %d outside 2..%d", p.Nodes, MaxNodes)
	case p.Fanout < 1 || p.Fanout >= p.Nodes:
		return fmt.Errorf("fanout %d outside 1..%d", p.Fanout, p.Nodes-1)
	case !(p.Loss >= 0 && p.Loss <= 1):
		return fmt.Errorf("loss %g outside 0..1", p.Loss)
	case p.MaxRounds < 1 || p.MaxRounds > MaxRounds:
		return fmt.Errorf("max_rounds %d outside 1..%d", p.MaxRounds, MaxRounds)
	case p.Trials < 1 || p.Trials > MaxTrials:
		return fmt.Errorf("trials %d outside 1..%d", p.Trials, MaxTrials)
	case p.Source < -1 || p.Source >= p.Nodes:
		return fmt.Errorf("source %d outside -1..%d", p.Source, p.Nodes-1)
	case p.Replay.MaxNodes < 0 || p.Replay.MaxNodes > MaxReplay:
		return fmt.Errorf("replay.max_nodes %d outside 0..%d", p.Replay.MaxNodes, MaxReplay)
	case !slices.Contains(Drives, p.HTTP.Drive):
		return fmt.Errorf("http.drive %q: one of %v", p.HTTP.Drive, Drives)
	case p.HTTP.Interval < 0 || p.HTTP.Latency < 0 || p.HTTP.Timeout < 0:
		return fmt.Errorf("http durations %s, %s, %s: never negative", p.HTTP.Interval, p.HTTP.Latency, p.HTTP.Timeout)
	}
	if err := checkTopology(p.Topology, p.Nodes, sweep); err != nil {
		return err
	}
	if err := checkMongering(p, sweep); err != nil {
		return err
	}
	if err := checkFailures("failures", p.Failures, p.MaxRounds); err != nil {
		return err
	}
	return checkFaults(p)
}

// checkTopology holds a point's topology to what a scenario may give:
// a known kind (none, in results older than topologies: complete) with
// the parameters it takes and no others but swept ones (a sweep over
// kinds and degrees has complete points with a degree in their ID),
// which topology.Check accepts on the point's nodes; kind file's path names the copy beside scenario.yaml
// and nothing else (a path is opened by whoever reads the edges).
func checkTopology(t TopologyParams, nodes int, sweep []string) error {
	switch {
	case t.Kind != "" && !slices.Contains(engine.TopologyKinds, t.Kind):
		return fmt.Errorf("topology.kind %q: one of %v", t.Kind, engine.TopologyKinds)
	case t != t.Only(SweptTopology(sweep)...):
		return fmt.Errorf("topology: kind %s takes %v, but params set others (%+v)", t.Kind, TopologyTakes(t.Kind), t)
	case t.Kind == engine.TopologyFile && t.Path != EdgesFile:
		return fmt.Errorf("topology.path %q: a result's edge list is its copy, %q", t.Path, EdgesFile)
	}
	if err := topology.Check(t.Engine(nil), nodes); err != nil {
		return fmt.Errorf("topology.%w", err)
	}
	return nil
}

// checkFailures holds planned failures to the kinds there are, rounds
// within the run and fractions of the nodes.
func checkFailures(field string, fs []FailureSummary, maxRounds int) error {
	for i, f := range fs {
		if !slices.Contains(engine.FailureKinds, f.Kind) || f.Round < 1 || f.Round > maxRounds || !(f.Fraction > 0 && f.Fraction <= 1) {
			return fmt.Errorf("%s[%d]: kind %q at round %d, fraction %g", field, i, f.Kind, f.Round, f.Fraction)
		}
	}
	return nil
}

func checkPoint(p *PointSummary, sweep []string) error {
	if err := checkParams(p.Params, sweep); err != nil {
		return err
	}
	if p.Trials < 0 || p.Trials > MaxTrials || p.Converged < 0 || p.Converged > p.Trials {
		return fmt.Errorf("%d converged of %d trials", p.Converged, p.Trials)
	}
	if p.Unmeasured < 0 || p.Trials+p.Unmeasured != p.Params.Trials {
		return fmt.Errorf("%d unmeasured trials besides %d measured, but params asked for %d", p.Unmeasured, p.Trials, p.Params.Trials)
	}
	rounds := float64(p.Params.MaxRounds)
	for name, st := range p.Metrics {
		m, ok := MetricNamed(name)
		if !ok {
			return fmt.Errorf("unknown metric %q", name)
		}
		if m.Wire && !p.Params.OnTheWire() {
			return fmt.Errorf("metric %s is the http engine's; engine %q has none", name, p.Params.Engine)
		}
		if m.Mongering && !p.Params.Mongering() {
			return fmt.Errorf("metric %s is rumor mongering's; the point runs none", name)
		}
		if m.Faults && !p.Params.FaultsOverTime() {
			return fmt.Errorf("metric %s is of faults over time; the point has none", name)
		}
		if st.N < 0 || st.N > p.Trials || st.SD < 0 {
			return fmt.Errorf("metric %s has n %d, sd %g", name, st.N, st.SD)
		}
		if m.Rounds && st.N > 0 && (st.Min < 0 || st.Max > rounds) {
			return fmt.Errorf("metric %s from %g to %g rounds, outside 0..%d", name, st.Min, st.Max, p.Params.MaxRounds)
		}
		if err := checkStats(m, st); err != nil {
			return err
		}
	}
	if err := checkRumorSummary(p); err != nil {
		return err
	}
	if err := checkGraphStats(p); err != nil {
		return err
	}
	if err := checkTheory(p); err != nil {
		return err
	}
	for name, v := range p.Theory {
		m, ok := MetricNamed(name)
		switch {
		case !ok:
			return fmt.Errorf("theory of unknown metric %q", name)
		case v != nil && (*v < 0 || m.Rounds && *v > rounds):
			return fmt.Errorf("theory %s %g, outside 0..%d", name, *v, p.Params.MaxRounds)
		case v != nil && m.Share && *v > 1:
			return fmt.Errorf("theory %s %g, outside 0..1: it is a share", name, *v)
		}
	}
	if p.Replay != "" && p.Replay != ReplayPath(p.ID) {
		return fmt.Errorf("replay %q, want %q", p.Replay, ReplayPath(p.ID))
	}
	// Off the complete graph no theory has a curve (checkTheory).
	return checkCurve(&p.Curve, p.Params, p.Theory != nil && p.Params.Topology.IsComplete())
}

// checkStats refuses statistics no sample has: every metric is a count or
// a share, so never negative, shares are at most 1, and the mean and median
// lie between the minimum and the maximum (up to rounding: the mean of
// equal values can differ from them in the last digit).
func checkStats(m Metric, st Stats) error {
	name := m.Name
	if st.N == 0 {
		return nil
	}
	slack := 1e-9 * math.Max(1, math.Max(math.Abs(st.Min), math.Abs(st.Max)))
	switch {
	case st.Min < 0:
		return fmt.Errorf("metric %s has minimum %g; it is never negative", name, st.Min)
	case m.Share && st.Max > 1:
		return fmt.Errorf("metric %s has maximum %g; it is a share, at most 1", name, st.Max)
	case st.Min > st.Max || st.Mean < st.Min-slack || st.Mean > st.Max+slack || st.Median < st.Min || st.Median > st.Max:
		return fmt.Errorf("metric %s has mean %g and median %g outside its minimum %g and maximum %g",
			name, st.Mean, st.Median, st.Min, st.Max)
	}
	return nil
}

func checkCurve(c *Curve, p Params, theory bool) error {
	n := len(c.Round)
	if n > p.MaxRounds+1 {
		return fmt.Errorf("curve of %d rounds, more than max_rounds %d allows", n, p.MaxRounds)
	}
	nodes := float64(p.Nodes)
	// With many rumors the informed counts are of node-rumor pairs
	// (engine.RoundStats).
	pairs := nodes * float64(p.RumorCount())
	for _, a := range []struct {
		name string
		v    []float64
		max  float64
	}{
		{"informed_mean", c.InformedMean, pairs}, {"informed_p05", c.InformedP05, pairs},
		{"informed_p95", c.InformedP95, pairs}, {"alive_mean", c.AliveMean, nodes},
		// The model is a recurrence in floating point, a little above nodes at times.
		{"theory", c.Theory, -1},
		{"sent_mean", c.SentMean, -1}, {"delivered_mean", c.DeliveredMean, -1}, {"redundant_mean", c.RedundantMean, -1},
	} {
		if a.name == "theory" && !theory {
			if len(a.v) != 0 {
				return fmt.Errorf("curve: %d theory values for a point without theory", len(a.v))
			}
			continue
		}
		if len(a.v) != n {
			return fmt.Errorf("curve: %d rounds but %d %s values", n, len(a.v), a.name)
		}
		for r, x := range a.v {
			if x < 0 || a.max >= 0 && x > a.max {
				return fmt.Errorf("curve: %s %g at round %d, outside 0..%g", a.name, x, r, max(a.max, 0))
			}
		}
	}
	for i, r := range c.Round {
		if r != i {
			return fmt.Errorf("curve: round[%d] is %d", i, r)
		}
	}
	return checkFaultCurve(c, nodes)
}

func decodeManifest(path string, data []byte, sum *Summary) (*Manifest, error) {
	var m Manifest
	if err := decodeJSON(path, data, &m); err != nil {
		return nil, err
	}
	bad := func(format string, args ...any) (*Manifest, error) { return nil, resultErrorf(path, format, args...) }
	switch {
	case m.Name != sum.Name:
		return bad("scenario %q, but %s is of %q", m.Name, SummaryFile, sum.Name)
	case m.Trials < 0 || m.Trials > MaxTrials || m.Parallel < 0:
		return bad("%d trials, -j %d", m.Trials, m.Parallel)
	}
	for i, pt := range m.Points {
		if !ValidPointID(pt.ID) || pt.WallSeconds.N < 0 || pt.WallSeconds.SD < 0 {
			return bad("points[%d]: id %q, wall_seconds n %d, sd %g", i, pt.ID, pt.WallSeconds.N, pt.WallSeconds.SD)
		}
	}
	return &m, nil
}
