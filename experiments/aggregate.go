package experiments

import (
	"github.com/gossipbench/gossipbench/results"
	"math"
	"sort"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/meanfield"
	"gonum.org/v1/gonum/stat"
)

// Summarize aggregates a finished run into summary.json's form.
func Summarize(res *Result) *results.Summary {
	s := res.Scenario
	sum := &results.Summary{Schema: results.SchemaVersion, Name: s.Name, Description: s.Description,
		Engine: s.Engine, Seed: s.Seed, Sweep: s.SweepKeys(), Shard: res.Shard,
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
	for _, pr := range res.Points {
		sum.Points = append(sum.Points, summarizePoint(s, pr))
	}
	return sum
}

func summarizePoint(s *Scenario, pr PointResult) results.PointSummary {
	p := pr.Point
	traces := pr.Measured()
	ps := results.PointSummary{ID: p.ID, Params: p.Params, Trials: len(traces), Unmeasured: len(pr.Unmeasured), Metrics: map[string]results.Stats{}}
	samples := map[string][]float64{}
	for _, tr := range traces {
		if tr.Converged() {
			ps.Converged++
		}
		for name, v := range results.TrialMetrics(tr, p.Params.Nodes) {
			samples[name] = append(samples[name], v)
		}
	}
	for name, xs := range samples {
		ps.Metrics[name] = results.Describe(xs)
	}

	cfg := s.Config(p, 0, false)
	pred := meanfield.Predict(meanfield.FromConfig(cfg), cfg.MaxRounds)
	ps.Theory = theory(pred)
	ps.Curve = curve(traces, pred.Curve)
	if tr := pr.Traces[results.ReplayTrial]; p.Params.Nodes <= s.Replay.MaxNodes && tr != nil && tr.Replay != nil {
		ps.Replay = results.ReplayPath(p.ID)
	}
	return ps
}

// curve takes per-round statistics across trials, holding each trial at its
// final state once it has stopped.
func curve(traces []*engine.Trace, theory []meanfield.State) results.Curve {
	length := 0
	for _, tr := range traces {
		length = max(length, len(tr.Rounds))
	}
	c := results.Curve{}
	informed := make([]float64, len(traces))
	for r := 0; r < length; r++ {
		var alive, sent, delivered, redundant float64
		for i, tr := range traces {
			row := tr.Final()
			if r < len(tr.Rounds) {
				row = tr.Rounds[r]
				sent += float64(row.Sent)
				delivered += float64(row.Delivered)
				redundant += float64(row.Redundant)
			}
			informed[i] = float64(row.Informed)
			alive += float64(row.Alive)
		}
		n := float64(len(traces))
		sorted := append([]float64(nil), informed...)
		sort.Float64s(sorted)
		c.Round = append(c.Round, r)
		c.InformedMean = append(c.InformedMean, stat.Mean(informed, nil))
		c.InformedP05 = append(c.InformedP05, results.Quantile(sorted, 0.05))
		c.InformedP95 = append(c.InformedP95, results.Quantile(sorted, 0.95))
		c.AliveMean = append(c.AliveMean, alive/n)
		c.SentMean = append(c.SentMean, sent/n)
		c.DeliveredMean = append(c.DeliveredMean, delivered/n)
		c.RedundantMean = append(c.RedundantMean, redundant/n)
		c.Theory = append(c.Theory, meanfield.At(theory, r).Informed)
	}
	return c
}

// theory is the model's prediction of the metrics it predicts: the one
// place that ties the mean-field model to the metric registry.
func theory(pred meanfield.Prediction) results.Theory {
	return results.Theory{results.RoundsTo50: num(pred.RoundsTo50), results.RoundsTo90: num(pred.RoundsTo90),
		results.RoundsTo99: num(pred.RoundsTo99), results.RoundsToFull: num(pred.RoundsToFull),
		results.MessagesPerNode: num(pred.MessagesPerNode)}
}

// num turns NaN and infinities, which JSON cannot hold, into null.
func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
