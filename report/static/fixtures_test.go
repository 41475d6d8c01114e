package static

import (
	"strconv"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

func ptr(v float64) *float64 { return &v }

func stats(mean, half float64) results.Stats {
	return results.Stats{N: 10, Mean: mean, SD: half, CI95: [2]float64{mean - half, mean + half},
		Min: mean - 2*half, Median: mean, Max: mean + 2*half}
}

// point builds a push point on n nodes that doubles its informed count per
// round (times growth) until everyone knows.
func point(id string, mode engine.Mode, nodes, fanout int, growth float64) results.PointSummary {
	var c results.Curve
	informed := 1.0
	for r := 0; ; r++ {
		c.Round = append(c.Round, r)
		c.InformedMean = append(c.InformedMean, informed)
		c.InformedP05 = append(c.InformedP05, informed*0.8)
		c.InformedP95 = append(c.InformedP95, min(informed*1.2, float64(nodes)))
		c.AliveMean = append(c.AliveMean, float64(nodes))
		sent := 0.0
		if r > 0 {
			sent = c.InformedMean[r-1] * float64(fanout)
		}
		c.SentMean = append(c.SentMean, sent)
		c.DeliveredMean = append(c.DeliveredMean, sent)
		c.RedundantMean = append(c.RedundantMean, sent*float64(r)/10)
		c.Theory = append(c.Theory, min(informed*1.05, float64(nodes)))
		if informed >= float64(nodes) {
			break
		}
		informed = min(informed*growth, float64(nodes))
	}
	full := float64(len(c.Round) - 1)
	return results.PointSummary{
		ID:        id,
		Params:    results.Params{Engine: "memory", Nodes: nodes, Mode: mode, Fanout: fanout, MaxRounds: 50},
		Trials:    10,
		Converged: 10,
		Metrics: map[string]results.Stats{
			results.RoundsTo99:      stats(full-1, 0.4),
			results.RoundsToFull:    stats(full, 0.8),
			results.MessagesPerNode: stats(2*full, 1),
			results.Redundancy:      stats(0.6, 0.05),
		},
		Theory: results.Theory{results.RoundsToFull: ptr(full - 0.3), results.MessagesPerNode: ptr(2*full - 1)},
		Curve:  c,
	}
}

// fanoutSummary is a small single-key sweep.
func fanoutSummary() *results.Summary {
	return &results.Summary{
		Schema: results.SchemaVersion, Name: "fanout", Engine: "memory", Seed: 1,
		Description: "Rounds and messages as fanout grows; push, 100 nodes",
		Sweep:       []string{"fanout"},
		Points: []results.PointSummary{
			point("fanout=1", engine.Push, 100, 1, 2),
			point("fanout=2", engine.Push, 100, 2, 3),
			point("fanout=4", engine.Push, 100, 4, 5),
		},
	}
}

// gridSummary sweeps mode x nodes.
func gridSummary() *results.Summary {
	s := &results.Summary{Schema: results.SchemaVersion, Name: "modes", Engine: "memory", Sweep: []string{"mode", "nodes"}}
	for _, m := range []engine.Mode{engine.Push, engine.PushPull} {
		for _, n := range []int{100, 1000, 10000} {
			g := 2.0
			if m == engine.PushPull {
				g = 3
			}
			s.Points = append(s.Points, point("mode="+string(m)+",nodes="+strconv.Itoa(n), m, n, 1, g))
		}
	}
	return s
}
