package results

import (
	"fmt"
	"math"
	"slices"

	"github.com/gossipbench/gossipbench/engine"
)

// The metrics of rumor mongering (../shared/SEMANTICS-WAVE2.md, "Metrics"):
// only a point that runs it (Params.Mongering) has them, so that the
// summaries and tables of wave-1 points stay as they were. They come last
// in Metrics, after the graph's: trials.csv written before them has the
// same columns without them at its end (TrialsScanner reads both).
const (
	RoundsToQuiet     = "rounds_to_quiet"     // the round at whose end no pair is infective; stop rule only
	LastInformedRound = "last_informed_round" // Demers' t_last
	MeanInformedRound = "mean_informed_round" // Demers' t_ave
	RoundsTo999       = "rounds_to_999"       // 99.9 % of the pairs: what memberlist users tune for
)

var mongeringMetrics = []Metric{
	{Name: RoundsToQuiet, Label: "rounds quiet", Unit: "rounds", Digits: 1, Rounds: true, Mongering: true, Headline: true,
		Of: func(t Trial) (float64, bool) {
			if t.Params.Stop.Rule == "" {
				return 0, false
			}
			r, ok := RoundQuiet(t.Trace, t.Params)
			return float64(r), ok
		}},
	{Name: LastInformedRound, Label: "t_last", Unit: "rounds", Digits: 1, Rounds: true, Mongering: true, Headline: true,
		Of: func(t Trial) (float64, bool) {
			last, _, _ := Learnings(t.Trace, t.Params)
			return float64(last), true
		}},
	{Name: MeanInformedRound, Label: "t_ave", Unit: "rounds after the rumor's injection", Digits: 2, Mongering: true,
		Of: func(t Trial) (float64, bool) {
			_, sum, n := Learnings(t.Trace, t.Params)
			if n == 0 {
				return 0, false
			}
			return sum / float64(n), true
		}},
	func() Metric {
		m := roundsTo(RoundsTo999, "rounds 99.9 %", 0.999, false)
		m.Mongering = true
		return m
	}(),
}

// RoundQuiet is the first round, once every rumor is injected, at whose
// end no node-rumor pair is infective; false if the trial never got there.
func RoundQuiet(tr *engine.Trace, p *Params) (int, bool) {
	last := (p.RumorCount() - 1) * p.Rumors.Every
	for _, r := range tr.Rounds {
		if r.Round >= last && r.Infective == 0 {
			return r.Round, true
		}
	}
	return 0, false
}

// Learnings are the trial's learnings, the injections themselves left
// out: the last round in which someone learned (0 when no one did), the
// sum over learnings of the round learned, counted from the rumor's
// injection, and their number. A rumor is learned by no one but its
// source in its injection round (a node informed in round r acts from
// r+1), so with many rumors a rumor's learnings are its new counts after
// that round (Trace.PerRumor); without them (one rumor, or rows read
// without their rumors) each round's new count less the rumors injected
// in it.
func Learnings(tr *engine.Trace, p *Params) (last int, sum float64, n int) {
	if p.RumorCount() > 1 && len(tr.PerRumor) == len(tr.Rounds) {
		for r, rumors := range tr.PerRumor {
			got := 0
			for i, rs := range rumors {
				at := i * p.Rumors.Every
				if r > at && rs.New > 0 {
					got += rs.New
					sum += float64(rs.New) * float64(r-at)
				}
			}
			if got > 0 {
				last = r
				n += got
			}
		}
		return last, sum, n
	}
	before := 0
	for _, r := range tr.Rounds {
		injected := max(r.Rumors, 1) - before
		before = max(r.Rumors, 1)
		got := r.New - injected
		if r.Round == 0 || got <= 0 {
			continue
		}
		last, n = r.Round, n+got
		sum += float64(got) * float64(r.Round)
	}
	return last, sum, n
}

// RumorDelays are, per rumor of a trial of many (Trace.PerRumor), the
// rounds from its injection to the first round at whose end 99 % of the
// alive nodes knew it (NaN if it never got there), and its residue at the
// end: the share of alive nodes that never learned it.
func RumorDelays(tr *engine.Trace, p *Params) (delay99, residue []float64) {
	c := p.RumorCount()
	if c < 2 || len(tr.PerRumor) != len(tr.Rounds) {
		return nil, nil
	}
	delay99, residue = make([]float64, c), make([]float64, c)
	for i := range c {
		delay99[i], residue[i] = math.NaN(), 1
		at := i * p.Rumors.Every
		for r, rumors := range tr.PerRumor {
			alive := tr.Rounds[r].Alive
			if i < len(rumors) && alive > 0 && float64(rumors[i].Informed) >= 0.99*float64(alive) {
				delay99[i] = float64(r - at)
				break
			}
		}
		final := tr.PerRumor[len(tr.PerRumor)-1]
		if alive := tr.Final().Alive; i < len(final) && alive > 0 {
			residue[i] = float64(alive-final[i].Informed) / float64(alive)
		}
	}
	return delay99, residue
}

// RumorSummary is what summary.json says of a point of many rumors: how
// long users wait for a rumor, as a distribution over every rumor of
// every trial, and each rumor's own mean, so that a page shows late
// rumors waiting (docs/design.md, "Many rumors").
type RumorSummary struct {
	// Delay99 is the rounds from a rumor's injection to 99 % of the alive
	// nodes knowing it, over the rumors of all trials that got there;
	// Missed counts those that did not.
	Delay99 Spread `json:"delay_99"`
	Missed  int    `json:"missed"`
	// PerRumor are the rumors in index order.
	PerRumor []RumorPoint `json:"per_rumor"`
}

// Spread is Stats with the 90th percentile, for distributions users read
// by their tail.
type Spread struct {
	Stats
	P90 float64 `json:"p90"`
}

// RumorPoint is one rumor over the point's trials.
type RumorPoint struct {
	Rumor      int   `json:"rumor"`
	InjectedAt int   `json:"injected_at"` // round
	Delay99    Stats `json:"delay_99"`    // over the trials in which it got to 99 %
	Residue    Stats `json:"residue"`     // over every measured trial
}

// DescribeSpread is Describe with the 90th percentile.
func DescribeSpread(xs []float64) Spread {
	sp := Spread{Stats: Describe(xs)}
	if len(xs) > 0 {
		s := append([]float64(nil), xs...)
		slices.Sort(s)
		sp.P90 = Quantile(s, 0.9)
	}
	return sp
}

// checkRumorSummary holds a point's rumor summary to its params: only a
// point of many rumors has one, with every rumor once in order at its
// injection round, delays within the run and residues shares.
func checkRumorSummary(p *PointSummary) error {
	rs := p.Rumors
	if rs == nil {
		return nil
	}
	c := p.Params.RumorCount()
	rounds := Metric{Name: "rumors.delay_99", Rounds: true}
	share := Metric{Name: "rumors.residue", Share: true}
	switch {
	case c < 2:
		return fmt.Errorf("rumors: a summary of many rumors, but the point injects %d", c)
	case len(rs.PerRumor) != c:
		return fmt.Errorf("rumors: %d per_rumor entries for %d rumors", len(rs.PerRumor), c)
	case rs.Missed < 0 || rs.Delay99.N+rs.Missed != c*p.Trials:
		return fmt.Errorf("rumors: %d delays and %d missed, but %d trials of %d rumors", rs.Delay99.N, rs.Missed, p.Trials, c)
	}
	check := func(m Metric, st Stats, n int) error {
		if st.N < 0 || st.N > n || st.SD < 0 {
			return fmt.Errorf("%s has n %d, sd %g", m.Name, st.N, st.SD)
		}
		if m.Rounds && st.N > 0 && st.Max > float64(p.Params.MaxRounds) {
			return fmt.Errorf("%s up to %g rounds, beyond max_rounds %d", m.Name, st.Max, p.Params.MaxRounds)
		}
		return checkStats(m, st)
	}
	if err := check(rounds, rs.Delay99.Stats, c*p.Trials); err != nil {
		return err
	}
	if sp := rs.Delay99; sp.N > 0 && (sp.P90 < sp.Min || sp.P90 > sp.Max) || sp.N == 0 && sp.P90 != 0 {
		return fmt.Errorf("rumors.delay_99: p90 %g outside %g..%g", sp.P90, sp.Min, sp.Max)
	}
	for i, r := range rs.PerRumor {
		if r.Rumor != i || r.InjectedAt != i*p.Params.Rumors.Every {
			return fmt.Errorf("rumors.per_rumor[%d]: rumor %d injected at %d, want %d at %d", i, r.Rumor, r.InjectedAt, i, i*p.Params.Rumors.Every)
		}
		if err := check(rounds, r.Delay99, p.Trials); err != nil {
			return fmt.Errorf("rumors.per_rumor[%d]: %w", i, err)
		}
		if err := check(share, r.Residue, p.Trials); err != nil {
			return fmt.Errorf("rumors.per_rumor[%d]: %w", i, err)
		}
	}
	return nil
}
