package results

import (
	"fmt"
	"math"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
)

// Faults over time (docs/design.md, "Faults over time") as result files
// hold them: a point's partitions and churn, its metrics, and the
// replay's outages and partitions. The rules of what a valid fault is are
// engine.Config's (Validate); these checks add only what a file can get
// wrong beyond them (rounds past the run, groups past the params).

// PartitionParams is one partition as summary.json lists it.
type PartitionParams struct {
	Round  int       `json:"round"`
	Heal   int       `json:"heal,omitempty"` // 0: never heals
	Groups int       `json:"groups"`         // always the number of groups
	Shares []float64 `json:"shares,omitempty"`
	Oneway bool      `json:"oneway,omitempty"`
}

// ChurnParams is churn as summary.json holds it; absent: none.
type ChurnParams struct {
	Leave float64 `json:"leave"`
	Join  float64 `json:"join"`
	From  int     `json:"from"`
	Until int     `json:"until,omitempty"` // 0: to the end of the trial
}

// Engine is the partition as engines take it.
func (p PartitionParams) Engine() engine.Partition {
	out := engine.Partition{Round: p.Round, Heal: p.Heal, Groups: p.Groups, Oneway: p.Oneway}
	if len(p.Shares) > 0 {
		out.Shares = p.Shares
	}
	return out
}

// Engine is the churn as engines take it.
func (c ChurnParams) Engine() engine.Churn {
	return engine.Churn{Leave: c.Leave, Join: c.Join, From: c.From, Until: c.Until}
}

// String is the partition as people read it: "partition 2 groups, rounds 5 to 12".
func (p PartitionParams) String() string {
	s := "partition"
	if p.Oneway {
		s = "one-way partition"
	}
	s += fmt.Sprintf(" %d groups", p.Groups)
	if len(p.Shares) > 0 {
		parts := make([]string, len(p.Shares))
		for i, x := range p.Shares {
			parts[i] = fmt.Sprintf("%g %%", 100*x)
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if p.Heal > 0 {
		return s + fmt.Sprintf(" from round %d, healed at round %d", p.Round, p.Heal)
	}
	return s + fmt.Sprintf(" from round %d, never healed", p.Round)
}

// faultsConfig is the point's faults as an engine.Config, for the
// engine's own rules (Validate, LastEvent, FaultsOverTime).
func (p *Params) faultsConfig() engine.Config {
	c := engine.Config{Nodes: max(p.Nodes, 2), Fanout: 1, MaxRounds: max(p.MaxRounds, 1),
		Failures: EngineFailures(p.Failures), Churn: p.Churn.Engine()}
	for _, pt := range p.Partitions {
		c.Partitions = append(c.Partitions, pt.Engine())
	}
	return c
}

// FaultsOverTime says whether the point has recoveries, partitions or churn.
func (p *Params) FaultsOverTime() bool { return p.faultsConfig().FaultsOverTime() }

// Reconverge is E of rounds_to_reconverge: the point's last heal,
// recovery or churn until; false where it has none (churn without an
// end has none either).
func (p *Params) Reconverge() (int, bool) {
	e := p.faultsConfig().LastEvent()
	return e, e > 0 && e != math.MaxInt
}

// checkFaults holds a point's faults over time to the engine's rules and
// to the run's rounds.
func checkFaults(p Params) error {
	c := p.faultsConfig()
	c.Source = 0
	if err := c.Validate(); err != nil {
		return fmt.Errorf("faults: %w", err)
	}
	for i, f := range p.Failures {
		if f.Recover > p.MaxRounds {
			return fmt.Errorf("failures[%d]: recover %d beyond max_rounds %d", i, f.Recover, p.MaxRounds)
		}
	}
	for i, pt := range p.Partitions {
		switch {
		case pt.Round > p.MaxRounds || pt.Heal > p.MaxRounds:
			return fmt.Errorf("partitions[%d]: rounds %d..%d beyond max_rounds %d", i, pt.Round, pt.Heal, p.MaxRounds)
		case pt.Groups < 2 || pt.Groups > MaxGroups || len(pt.Shares) > 0 && len(pt.Shares) != pt.Groups:
			return fmt.Errorf("partitions[%d]: %d groups, %d shares (groups 2..%d, shares none or one per group)", i, pt.Groups, len(pt.Shares), MaxGroups)
		}
	}
	if ch := p.Churn; ch.From > p.MaxRounds || ch.Until > p.MaxRounds || !ch.Engine().On() && ch != (ChurnParams{}) {
		return fmt.Errorf("churn %+v: rounds beyond max_rounds %d, or set without leave or join", ch, p.MaxRounds)
	}
	return nil
}

// MaxGroups bounds a partition's groups: a replay holds a node's group in
// an int8.
const MaxGroups = 127

// Metric names of faults over time.
const (
	RoundsToReconverge = "rounds_to_reconverge"
	CutMessages        = "cut_messages"
	CutFraction        = "cut_fraction"
)

var faultMetrics = []Metric{
	{Name: RoundsToReconverge, Label: "rounds to reconverge", Unit: "rounds after the last heal or recovery",
		Digits: 1, Rounds: true, Headline: true, Faults: true, Of: roundsToReconverge},
	{Name: CutMessages, Label: "cut msgs", Unit: "messages failed across a partition", Digits: 1, Faults: true,
		Of: func(t Trial) (float64, bool) { return float64(t.Totals().Cut), len(t.Params.Partitions) > 0 }},
	{Name: CutFraction, Label: "cut share", Unit: "share of sent messages failed across a partition", Digits: 3,
		Share: true, Faults: true, Of: func(t Trial) (float64, bool) {
			tot := t.Totals()
			return float64(tot.Cut) / float64(max(tot.Sent, 1)), len(t.Params.Partitions) > 0 && tot.Sent > 0
		}},
}

// roundsToReconverge is, with E the point's Reconverge, the first round r
// >= E-1 at whose end every alive node knows every injected rumor, as
// r - (E-1); none when the trial never gets there.
func roundsToReconverge(t Trial) (float64, bool) {
	e, ok := t.Params.Reconverge()
	if !ok {
		return 0, false
	}
	for r := max(e-1, 0); r < len(t.Rounds); r++ {
		if s := t.Rounds[r]; s.Informed >= s.Want() {
			return float64(r - (e - 1)), true
		}
	}
	return 0, false
}

// checkFaultCurve checks the curves of faults over time: absent (older
// results) or one value a round, down and recovering counts of nodes.
func checkFaultCurve(c *Curve, nodes float64) error {
	n := len(c.Round)
	for _, a := range []struct {
		name string
		v    []float64
		max  float64
	}{{"down_mean", c.DownMean, nodes}, {"recovering_mean", c.RecoveringMean, nodes}, {"cut_mean", c.CutMean, math.Inf(1)}} {
		if a.v == nil {
			continue
		}
		if len(a.v) != n {
			return fmt.Errorf("curve: %d rounds but %d %s values", n, len(a.v), a.name)
		}
		for r, x := range a.v {
			if !(x >= 0 && x <= a.max) {
				return fmt.Errorf("curve: %s %g at round %d, outside 0..%g", a.name, x, r, a.max)
			}
		}
	}
	return nil
}
