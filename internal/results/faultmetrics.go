package results

import (
	"math"

	"github.com/gossipbench/gossipbench/engine"
)

// The metrics of faults over time (docs/design.md, "Faults over time"):
// only a point with faults over time (Params.FaultsOverTime) has them.
// They come last in Metrics: trials.csv written before them has the same
// columns without them at its end (TrialsScanner reads it).
const (
	RoundsToReconverge = "rounds_to_reconverge" // after the last recovery, heal or churn until
	CutMessages        = "cut_messages"         // messages failed across a partition, per trial
	CutFraction        = "cut_fraction"         // cut / sent
)

var faultMetrics = []Metric{
	{Name: RoundsToReconverge, Label: "rounds reconverge", Unit: "rounds after the last fault event", Digits: 1, Rounds: true, Faults: true, Headline: true,
		Of: func(t Trial) (float64, bool) {
			r, ok := Reconverged(t.Trace.Rounds, t.Params.LastEvent())
			return float64(r), ok
		}},
	{Name: CutMessages, Label: "cut msgs", Unit: "messages failed across a partition", Digits: 1, Faults: true,
		Of: func(t Trial) (float64, bool) {
			if len(t.Params.Partitions) == 0 {
				return 0, false
			}
			return float64(cutTotal(t)), true
		}},
	{Name: CutFraction, Label: "cut share", Unit: "share of sent messages failed across a partition", Digits: 3, Share: true, Faults: true,
		Of: func(t Trial) (float64, bool) {
			sent := t.Totals().Sent
			if len(t.Params.Partitions) == 0 || sent == 0 {
				return 0, false
			}
			return float64(cutTotal(t)) / float64(sent), true
		}},
}

func cutTotal(t Trial) int {
	cut := 0
	for _, r := range t.Trace.Rounds {
		cut += r.Cut
	}
	return cut
}

// Reconverged is how many rounds after E-1 a trial's alive nodes all knew
// every rumor injected: the first round r >= E-1 at whose end they did
// gives r-(E-1), E being the point's last event (Params.LastEvent; round
// E-1 is the last before it). False for a point without such an E (none,
// or churn that never ends) and for a trial that never re-converged.
func Reconverged(rounds []engine.RoundStats, last int) (int, bool) {
	if last <= 0 || last == math.MaxInt {
		return 0, false
	}
	for _, r := range rounds {
		if r.Round >= last-1 && r.Alive > 0 && r.Informed == r.Want() {
			return r.Round - (last - 1), true
		}
	}
	return 0, false
}
