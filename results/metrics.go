package results

import "github.com/gossipbench/gossipbench/engine"

// roundsTo are the rounds-to metrics and the fraction of alive nodes each
// waits for.
var roundsTo = []struct {
	metric string
	frac   float64
}{{RoundsTo50, 0.5}, {RoundsTo90, 0.9}, {RoundsTo99, 0.99}, {RoundsToFull, 1}}

// TrialMetrics are one trial's values of the per-trial metrics, named as in
// summary.json: the one place summary.json, report and compare take them
// from (the definitions are engine.Trace's). A rounds-to metric
// is absent when the trial never got there, failed_fraction when it sent
// nothing.
func TrialMetrics(tr *engine.Trace, nodes int) map[string]float64 {
	m := map[string]float64{}
	for _, rt := range roundsTo {
		if r, ok := tr.RoundsTo(rt.frac); ok {
			m[rt.metric] = float64(r)
		}
	}
	m[MessagesPerNode] = tr.MessagesPerNode(nodes)
	m[Redundancy] = tr.Redundancy()
	m[Residue] = tr.Residue()
	if f, ok := tr.FailedFraction(); ok {
		m[FailedFraction] = f
	}
	return m
}
