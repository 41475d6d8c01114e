package results

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
)

// Faults over time (docs/design.md, "Faults over time"): failures that
// recover (FailureSummary.Recover, KeepState), partitions and churn, as
// a point's params hold them. engine/faults.go is what they mean.

// MaxGroups bounds a partition's groups: the engines' bound (a node's
// group is an int8 there and in a replay).
const MaxGroups = engine.MaxGroups

// PartitionParams are one partition as summary.json holds it: Groups is
// always the number of groups; Shares, when set, their shares.
type PartitionParams struct {
	Round  int       `json:"round" sweep:"true"`
	Heal   int       `json:"heal,omitempty" sweep:"true"` // 0: never heals
	Groups int       `json:"groups" sweep:"true"`
	Shares []float64 `json:"shares,omitempty"`
	Oneway bool      `json:"oneway,omitempty"`
}

// PartitionKeys are the keys of a partition a sweep may vary, dotted, when
// the scenario lists exactly one partition.
var PartitionKeys = []string{"partitions.round", "partitions.heal", "partitions.groups"}

// ChurnParams are the churn as summary.json holds it; the zero value is
// no churn.
type ChurnParams struct {
	Leave float64 `json:"leave" sweep:"true"`
	Join  float64 `json:"join" sweep:"true"`
	From  int     `json:"from"`
	Until int     `json:"until,omitempty" sweep:"true"` // 0: never ends
}

// EnginePartitions are the partitions as engines take them.
func EnginePartitions(ps []PartitionParams) []engine.Partition {
	var out []engine.Partition
	for _, p := range ps {
		out = append(out, p.Engine())
	}
	return out
}

// Engine is the partition as engines take it.
func (p PartitionParams) Engine() engine.Partition {
	return engine.Partition{Round: p.Round, Heal: p.Heal, Groups: p.Groups, Shares: p.Shares, Oneway: p.Oneway}
}

// Engine is the churn as engines take it.
func (c ChurnParams) Engine() engine.Churn {
	return engine.Churn{Leave: c.Leave, Join: c.Join, From: c.From, Until: c.Until}
}

// On is whether the point churns.
func (c ChurnParams) On() bool { return c.Leave > 0 || c.Join > 0 }

// FaultsOverTime is whether the point has recoveries, partitions or churn
// (engine.Config.FaultsOverTime).
func (p *Params) FaultsOverTime() bool { return p.engineFaults().FaultsOverTime() }

// World is whether the point's trials run on the protocol core's World
// (engine.Config.World): mongering, or faults over time.
func (p *Params) World() bool { return p.Mongering() || p.FaultsOverTime() }

// LastEvent is the point's last recovery, heal or churn until round
// (engine.Config.LastEvent): 0 without any, math.MaxInt for churn that
// never ends.
func (p *Params) LastEvent() int { return p.engineFaults().LastEvent() }

func (p *Params) engineFaults() engine.Config {
	return engine.Config{Failures: EngineFailures(p.Failures), Partitions: EnginePartitions(p.Partitions), Churn: p.Churn.Engine(), MaxRounds: p.MaxRounds}
}

// checkFaults holds a point's faults over time to what the engines take
// (engine.Config.Validate is the one rule), with rounds within the run
// and groups that a replay can hold.
func checkFaults(p Params) error {
	for i, f := range p.Failures {
		if f.Recover < 0 || f.Recover > MaxRounds {
			return fmt.Errorf("failures[%d].recover %d outside 0..%d", i, f.Recover, MaxRounds)
		}
	}
	for i, q := range p.Partitions {
		switch {
		case q.Round < 1 || q.Round > p.MaxRounds || q.Heal < 0 || q.Heal > MaxRounds:
			return fmt.Errorf("partitions[%d]: round %d outside 1..%d or heal %d outside 0..%d", i, q.Round, p.MaxRounds, q.Heal, MaxRounds)
		case q.Groups < 2 || q.Groups > MaxGroups:
			return fmt.Errorf("partitions[%d].groups %d outside 2..%d", i, q.Groups, MaxGroups)
		case q.Shares != nil && len(q.Shares) != q.Groups:
			return fmt.Errorf("partitions[%d]: %d shares for %d groups", i, len(q.Shares), q.Groups)
		}
	}
	c := p.Churn
	switch {
	case c.From < 0 || c.From > MaxRounds || c.Until < 0 || c.Until > MaxRounds:
		return fmt.Errorf("churn: from %d or until %d outside 0..%d", c.From, c.Until, MaxRounds)
	case !c.On() && c != ChurnParams{}:
		return fmt.Errorf("churn: neither leave nor join, but params set %+v", c)
	}
	cfg := p.engineFaults()
	cfg.Nodes, cfg.Fanout, cfg.MaxRounds, cfg.Source = 2, 1, 1, -1
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("faults over time: %w", err)
	}
	return nil
}

func partitionsText(ps []PartitionParams) string {
	if len(ps) == 0 {
		return "none"
	}
	parts := make([]string, len(ps))
	for i, q := range ps {
		parts[i] = q.String()
	}
	return strings.Join(parts, ", ")
}

// String is the churn as people read it: "churn 2 % leave, 2 % join per
// round from round 0 to the end".
func (c ChurnParams) String() string { return "churn " + c.Rates() }

// Rates is String without its "churn": for a sentence that names it so.
func (c ChurnParams) Rates() string {
	until := "to the end"
	if c.Until > 0 {
		until = fmt.Sprintf("until round %d", c.Until)
	}
	return fmt.Sprintf("%s leave, %s join per round from round %d %s", Percent(c.Leave), Percent(c.Join), c.From, until)
}

// String is the partition as people read it: "2 groups at round 3, heal 8".
func (q PartitionParams) String() string {
	groups := strconv.Itoa(q.Groups) + " groups"
	if q.Shares != nil {
		shares := make([]string, len(q.Shares))
		for i, x := range q.Shares {
			shares[i] = Percent(x)
		}
		groups = "groups of " + strings.Join(shares, ", ")
	}
	if q.Oneway {
		groups += " one-way"
	}
	heal := "never heals"
	if q.Heal > 0 {
		heal = "heal " + strconv.Itoa(q.Heal)
	}
	return fmt.Sprintf("%s at round %d, %s", groups, q.Round, heal)
}
