package experiments

import (
	"math"
	"sort"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/meanfield"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Summarizer is the sink that makes summary.json, and the manifest's
// timings, as trials end. Of an ended trial it keeps its metrics, its wall
// time and its informed count per round (4 bytes a round, for the curve's
// percentiles); of a trial in flight, its rounds.
type Summarizer struct {
	run    *Run
	points []*pointStats
	live   map[[2]int][]engine.RoundStats
	graphs map[[2]int]*engine.GraphFacts // round 0's, until the trial ends
	rumors map[[2]int][][]engine.RumorStats
}

type pointStats struct {
	samples    map[string][]float64
	converged  int
	measured   int
	unmeasured []results.UnmeasuredTrial
	wall       []float64 // seconds, every trial that ran
	replay     bool      // trial ReplayTrial was measured with its replay
	rumors     rumorStats
	// The curve: per measured trial its informed counts, and per round the
	// sums of the counts trials had in that round (exact in float64).
	informed                   [][]int32
	finalAlive                 []int
	alive, sent, deliv, redund []float64
	// Faults over time's: down is held at a stopped trial's last, as alive.
	down, recovering, cut []float64
	finalDown             []int
}

// NewSummarizer summarizes run's trials as they are streamed to it.
func NewSummarizer(run *Run) *Summarizer {
	z := &Summarizer{run: run, live: map[[2]int][]engine.RoundStats{},
		graphs: map[[2]int]*engine.GraphFacts{}, rumors: map[[2]int][][]engine.RumorStats{}}
	for range run.Points {
		z.points = append(z.points, &pointStats{samples: map[string][]float64{}})
	}
	return z
}

func (z *Summarizer) Record(rec Record) error {
	key := [2]int{rec.Point, rec.Trial}
	z.live[key] = append(z.live[key], rec.RoundStats)
	if rec.Graph != nil {
		z.graphs[key] = rec.Graph
	}
	if rec.PerRumor != nil {
		z.rumors[key] = append(z.rumors[key], rec.PerRumor)
	}
	return nil
}

func (z *Summarizer) End(e TrialEnd) error {
	key := [2]int{e.Point, e.Trial}
	rows, graph, rumors := z.live[key], z.graphs[key], z.rumors[key]
	delete(z.live, key)
	delete(z.graphs, key)
	delete(z.rumors, key)
	ps := z.points[e.Point]
	ps.wall = append(ps.wall, e.Wall.Seconds())
	if e.Unmeasured != nil || len(rows) == 0 {
		msg := "no rounds"
		if e.Unmeasured != nil {
			msg = e.Unmeasured.Error()
		}
		ps.unmeasured = append(ps.unmeasured, results.UnmeasuredTrial{Trial: e.Trial, Error: msg})
		return nil
	}
	p := z.run.Points[e.Point]
	tr := &engine.Trace{Rounds: rows, Graph: graph, PerRumor: rumors}
	ps.measured++
	if tr.Converged() {
		ps.converged++
	}
	for name, v := range results.TrialMetrics(results.Trial{Trace: tr, Params: &p.Params, Wall: e.Wall}) {
		ps.samples[name] = append(ps.samples[name], v)
	}
	ps.rumors.add(tr, &p.Params)
	if e.Trial == results.ReplayTrial && p.Params.Nodes <= z.run.Scenario.Replay.MaxNodes {
		ps.replay = true
	}
	informed := make([]int32, len(rows))
	for r, row := range rows {
		informed[r] = int32(row.Informed)
		if r == len(ps.sent) {
			ps.alive, ps.sent = append(ps.alive, 0), append(ps.sent, 0)
			ps.deliv, ps.redund = append(ps.deliv, 0), append(ps.redund, 0)
		}
		ps.alive[r] += float64(row.Alive)
		ps.sent[r] += float64(row.Sent)
		ps.deliv[r] += float64(row.Delivered)
		ps.redund[r] += float64(row.Redundant)
		if r == len(ps.down) {
			ps.down, ps.recovering, ps.cut = append(ps.down, 0), append(ps.recovering, 0), append(ps.cut, 0)
		}
		ps.down[r] += float64(row.Down)
		ps.recovering[r] += float64(row.Recovering)
		ps.cut[r] += float64(row.Cut)
	}
	ps.finalDown = append(ps.finalDown, tr.Final().Down)
	ps.informed = append(ps.informed, informed)
	ps.finalAlive = append(ps.finalAlive, tr.Final().Alive)
	return nil
}

// Summary is summary.json for the trials streamed so far.
func (z *Summarizer) Summary() *results.Summary {
	run, s := z.run, z.run.Scenario
	sum := &results.Summary{Schema: results.SchemaVersion, Name: s.Name, Description: s.Description,
		Engine: s.Engine, Seed: s.Seed, Sweep: s.SweepKeys(), Shard: run.Shard,
		Points: []results.PointSummary{}} // [] rather than null for a shard with no points
	sum.Failures = s.Failures
	if sum.Sweep == nil {
		sum.Sweep = []string{}
	}
	if len(s.Sweep) > 0 {
		sum.SweepValues = s.SweepValues()
	}
	for _, ax := range s.Sweep {
		if ax.Key == "engine" {
			names := make([]string, len(ax.Values))
			for i, v := range ax.Values {
				names[i] = v.Text
			}
			sum.Engine = strings.Join(names, "+")
		}
	}
	for i, p := range run.Points {
		sum.Points = append(sum.Points, z.point(p, z.points[i]))
	}
	return sum
}

// Timings are the manifest's per-point engine times.
func (z *Summarizer) Timings() []results.PointTiming {
	var out []results.PointTiming
	for i, p := range z.run.Points {
		ps := z.points[i]
		um := append([]results.UnmeasuredTrial(nil), ps.unmeasured...)
		sort.Slice(um, func(a, b int) bool { return um[a].Trial < um[b].Trial })
		if len(um) == 0 {
			um = nil
		}
		out = append(out, results.PointTiming{ID: p.ID, WallSeconds: results.Describe(ps.wall), Unmeasured: um})
	}
	return out
}

func (z *Summarizer) point(p Point, ps *pointStats) results.PointSummary {
	out := results.PointSummary{ID: p.ID, Params: p.Params, Trials: ps.measured, Unmeasured: len(ps.unmeasured),
		Converged: ps.converged, Metrics: map[string]results.Stats{}}
	for name, xs := range ps.samples {
		out.Metrics[name] = results.Describe(xs)
	}
	cfg := z.run.Scenario.Config(p, 0, false)
	var theory []meanfield.State
	if ok, reason := meanfield.Covers(cfg); ok {
		pred := meanfield.Predict(meanfield.FromConfig(cfg), cfg.MaxRounds)
		out.Theory = theoryOf(pred)
		theory = pred.Curve
	} else {
		out.NoTheory = reason
	}
	out.Curve = ps.curve(theory, p.Params.FaultsOverTime())
	out.Rumors = ps.rumors.summary(&p.Params)
	if ps.replay {
		out.Replay = results.ReplayPath(p.ID)
	}
	return out
}

// curve takes per-round statistics across trials, holding each trial at its
// final state once it has stopped (and counting no messages for it); theory
// nil leaves the curve's theory null.
func (ps *pointStats) curve(theory []meanfield.State, faults bool) results.Curve {
	c := results.Curve{}
	n := float64(len(ps.informed))
	column := make([]float64, len(ps.informed))
	for r := range ps.sent {
		alive, down, informed := ps.alive[r], ps.down[r], 0.0
		for i, row := range ps.informed {
			v := row[len(row)-1]
			if r < len(row) {
				v = row[r]
			} else {
				alive += float64(ps.finalAlive[i])
				down += float64(ps.finalDown[i])
			}
			column[i] = float64(v)
			informed += float64(v)
		}
		sort.Float64s(column)
		c.Round = append(c.Round, r)
		c.InformedMean = append(c.InformedMean, informed/n)
		c.InformedP05 = append(c.InformedP05, results.Quantile(column, 0.05))
		c.InformedP95 = append(c.InformedP95, results.Quantile(column, 0.95))
		c.AliveMean = append(c.AliveMean, alive/n)
		c.SentMean = append(c.SentMean, ps.sent[r]/n)
		c.DeliveredMean = append(c.DeliveredMean, ps.deliv[r]/n)
		c.RedundantMean = append(c.RedundantMean, ps.redund[r]/n)
		if faults {
			c.DownMean = append(c.DownMean, down/n)
			c.RecoveringMean = append(c.RecoveringMean, ps.recovering[r]/n)
			c.CutMean = append(c.CutMean, ps.cut[r]/n)
		}
		if theory != nil {
			c.Theory = append(c.Theory, meanfield.At(theory, r).Informed)
		}
	}
	return c
}

// Summarize aggregates a finished run into summary.json's form.
func Summarize(res *Result) *results.Summary {
	z := NewSummarizer(res.Run())
	if err := res.Feed(z); err != nil {
		panic(err) // a Summarizer never fails
	}
	return z.Summary()
}

// Run is what a Result ran.
func (res *Result) Run() *Run { return res.run }

// theoryOf is the model's prediction of the metrics it predicts: the one
// place that ties the mean-field model to the metric registry.
func theoryOf(pred meanfield.Prediction) results.Theory {
	th := results.Theory{results.RoundsTo50: num(pred.RoundsTo50), results.RoundsTo90: num(pred.RoundsTo90),
		results.RoundsTo99: num(pred.RoundsTo99), results.RoundsToFull: num(pred.RoundsToFull),
		results.MessagesPerNode: num(pred.MessagesPerNode)}
	if sp := pred.Stop; sp != nil {
		th[results.Residue] = num(sp.Residue)
		// The mongering metrics by their names in summary.json, where
		// the registry has them.
		for name, v := range map[string]float64{"mean_informed_round": sp.MeanInformedRound,
			"last_informed_round": sp.LastInformedRound, "rounds_to_quiet": sp.RoundsToQuiet} {
			if _, ok := results.MetricNamed(name); ok {
				th[name] = num(v)
			}
		}
	}
	return th
}

// num turns NaN and infinities, which JSON cannot hold, into null.
func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
