package engine

import (
	"fmt"
	"math"
)

// Faults over time (docs/design.md, "Faults over time"): nodes that come
// back (Failure.Recover), partitions that heal, and churn. A trial with
// any of them runs on the protocol core's World in every engine, as
// mongering trials do: a node that comes back empty needs per-node state.

// Partition splits the alive nodes into groups at the start of Round;
// until the start of Heal, every message between groups fails (counted
// Failed and Cut). With Oneway only the messages from group 0 to the
// others fail; the reverse, and messages among the other groups, pass.
type Partition struct {
	Round int // >= 1
	Heal  int // > Round; 0: never heals
	// Groups of equal size (as near as can be), or the groups' shares of
	// the alive nodes when Shares is set (then Groups is len(Shares)).
	Groups int
	Shares []float64
	Oneway bool
}

// MaxGroups bounds a partition's groups: a node's group is an int8.
const MaxGroups = 128

// Active is whether the partition cuts messages in round r.
func (p Partition) Active(r int) bool { return r >= p.Round && (p.Heal == 0 || r < p.Heal) }

// Bounds are where each group ends among m alive nodes shuffled into a
// row: group j is row[Bounds[j-1]:Bounds[j]] (Bounds[-1] being 0). Every
// group's share is rounded at its cumulative end, so that sizes are as
// equal (or as near their shares) as m allows and add up to m.
func (p Partition) Bounds(m int) []int {
	g := p.GroupCount()
	out := make([]int, g)
	sum := 0.0
	for j := range g {
		if p.Shares != nil {
			sum += p.Shares[j]
		} else {
			sum = float64(j+1) / float64(g)
		}
		out[j] = min(m, int(math.Floor(sum*float64(m)+0.5)))
	}
	out[g-1] = m
	return out
}

// GroupCount is how many groups the partition makes.
func (p Partition) GroupCount() int {
	if p.Shares != nil {
		return len(p.Shares)
	}
	return p.Groups
}

// Churn takes a share of the nodes down every round and brings a share of
// those it took back, with no state, from round From until the start of
// round Until (0: to the end of the trial). The counts are those of all
// nodes, rounded on the running total (ChurnCount), so that a rate below
// one node a round still churns at that rate on average.
type Churn struct {
	Leave, Join float64 // shares of all nodes per round, [0, 1)
	From, Until int     // From >= 1 when Leave or Join is set
}

// On is whether the trial churns at all.
func (c Churn) On() bool { return c.Leave > 0 || c.Join > 0 }

// Active is whether round r churns.
func (c Churn) Active(r int) bool {
	return c.On() && r >= c.From && (c.Until == 0 || r < c.Until)
}

// ChurnCount is how many of n nodes a share rate moves in round r of a
// churn that started in round from: the running total round(k·rate·n)
// after k rounds, less the total one round earlier.
func ChurnCount(rate float64, n, from, r int) int {
	total := func(k int) int { return int(math.Floor(float64(k)*rate*float64(n) + 0.5)) }
	k := r - from + 1
	return total(k) - total(k-1)
}

// FaultsOverTime is whether a trial has recoveries, partitions or churn.
func (c Config) FaultsOverTime() bool {
	for _, f := range c.Failures {
		if f.Recover > 0 {
			return true
		}
	}
	return len(c.Partitions) > 0 || c.Churn.On()
}

// World is whether a trial runs on the protocol core's World: it mongers
// rumors, or it has faults over time.
func (c Config) World() bool { return c.Mongering() || c.FaultsOverTime() }

// LastEvent is the last round at whose start a scheduled fault brings a
// node back or heals a partition (0: none): a trial does not stop before
// it, for what it brings back may need informing. Churn without an end
// (or ending after max_rounds) is an event in every round (math.MaxInt).
// A recovery or heal after max_rounds never happens, and is no event: a
// trial must not run to max_rounds waiting for it.
func (c Config) LastEvent() int {
	last := 0
	for _, f := range c.Failures {
		if Happens(f.Recover, c.MaxRounds) {
			last = max(last, f.Recover)
		}
	}
	for _, p := range c.Partitions {
		if Happens(p.Heal, c.MaxRounds) {
			last = max(last, p.Heal)
		}
	}
	if c.Churn.On() {
		if !Happens(c.Churn.Until, c.MaxRounds) {
			return math.MaxInt
		}
		last = max(last, c.Churn.Until)
	}
	return last
}

// Happens is whether an event scheduled at the start of round r (0: none)
// comes in a trial of maxRounds rounds.
func Happens(r, maxRounds int) bool { return r > 0 && r <= maxRounds }

func (c Config) validateFaults() error {
	for _, f := range c.Failures {
		if f.Recover != 0 && f.Recover <= f.Round {
			return fmt.Errorf("failure at round %d: recover must be a later round, got %d", f.Round, f.Recover)
		}
		if f.KeepState && f.Recover == 0 {
			return fmt.Errorf("failure at round %d: keep_state needs recover", f.Round)
		}
	}
	for i, p := range c.Partitions {
		switch {
		case p.Round < 1 || p.Heal != 0 && p.Heal <= p.Round:
			return fmt.Errorf("partition %d: round must be >= 1 and heal a later round (or 0), got %d and %d", i, p.Round, p.Heal)
		case p.Shares == nil && p.Groups < 2 || p.Shares != nil && len(p.Shares) < 2:
			return fmt.Errorf("partition %d: at least 2 groups, got %d", i, p.GroupCount())
		case p.GroupCount() > MaxGroups:
			// A node's group is an int8 (Split.Group): past it groups
			// would wrap into negative indices or merge with group 0.
			return fmt.Errorf("partition %d: at most %d groups, got %d", i, MaxGroups, p.GroupCount())
		}
		sum := 0.0
		for _, s := range p.Shares {
			if !(s > 0 && s < 1) {
				return fmt.Errorf("partition %d: every group's share must be in (0, 1), got %v", i, s)
			}
			sum += s
		}
		if p.Shares != nil && math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("partition %d: the groups' shares must add up to 1, got %v", i, sum)
		}
		if i > 0 && (c.Partitions[i-1].Heal == 0 || p.Round < c.Partitions[i-1].Heal) {
			return fmt.Errorf("partition %d starts at round %d, before partition %d heals: partitions must not overlap", i, p.Round, i-1)
		}
	}
	ch := c.Churn
	switch {
	case !(ch.Leave >= 0 && ch.Leave < 1) || !(ch.Join >= 0 && ch.Join < 1):
		return fmt.Errorf("churn: leave and join must be in [0, 1), got %v and %v", ch.Leave, ch.Join)
	case ch.On() && (ch.From < 1 || ch.Until != 0 && ch.Until <= ch.From):
		return fmt.Errorf("churn: from must be >= 1 and until a later round (or 0), got %d and %d", ch.From, ch.Until)
	}
	return nil
}
