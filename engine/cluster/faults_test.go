package cluster

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// faultCases are trials with faults over time the two engines must agree
// on exactly: comebacks empty and with their states, churn with and
// without an end, partitions two-way, one-way, by shares and on a ring.
func faultCases() []exactCase2 {
	base := func(name string, seed uint64, f func(*engine.Config)) exactCase2 {
		c := engine.Config{Nodes: 30, Fanout: 2, Loss: 0.1, MaxRounds: 40, Source: -1, Seed: seed, Replay: true,
			Net: engine.NetOptions{Timeout: exactTimeout}}
		f(&c)
		return exactCase2{name: name, cfg: c}
	}
	return []exactCase2{
		// First: a partition in force when the trial ends, with nodes
		// down then, must not reach the next trial on these nodes.
		base("partition from 2 that never heals, crash 0.2 at 3 and garbage 0.1 at 4", 60, func(c *engine.Config) {
			c.Partitions = []engine.Partition{{Round: 2, Groups: 2}}
			c.Failures = []engine.Failure{{Round: 3, Fraction: 0.2}, {Round: 4, Fraction: 0.1, Kind: engine.Garbage}}
		}),
		base("crash 0.2 at 2, back empty at 5; garbage 0.1 at 3, back with its states at 6", 61, func(c *engine.Config) {
			c.Failures = []engine.Failure{{Round: 2, Fraction: 0.2, Recover: 5},
				{Round: 3, Fraction: 0.1, Kind: engine.Garbage, Recover: 6, KeepState: true}}
		}),
		base("crash 0.3 at 2, back with its states at 6, counter feedback k 2, 2 rumors", 62, func(c *engine.Config) {
			c.Failures = []engine.Failure{{Round: 2, Fraction: 0.3, Recover: 6, KeepState: true}}
			c.Stop = engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true}
			c.Rumors = engine.Rumors{Count: 2, Every: 2}
		}),
		base("crash 0.5 at 1, back with its states at 4, 4 rumors every 1, transmits mult 1", 70, func(c *engine.Config) {
			c.Failures = []engine.Failure{{Round: 1, Fraction: 0.5, Recover: 4, KeepState: true}}
			c.Stop = engine.Stop{Rule: engine.StopTransmits, Mult: 1}
			c.Rumors = engine.Rumors{Count: 4, Every: 1}
		}),
		base("churn 0.05 from 1 until 8", 63, func(c *engine.Config) {
			c.Churn = engine.Churn{Leave: 0.05, Join: 0.05, From: 1, Until: 8}
		}),
		base("churn 0.04 from 2, no end", 64, func(c *engine.Config) {
			c.Churn, c.MaxRounds = engine.Churn{Leave: 0.04, Join: 0.04, From: 2}, 16
		}),
		base("two-way partition 2 to 6", 65, func(c *engine.Config) {
			c.Partitions = []engine.Partition{{Round: 2, Heal: 6, Groups: 2}}
		}),
		base("one-way partition 2 to 7, coin feedback k 2", 66, func(c *engine.Config) {
			c.Partitions = []engine.Partition{{Round: 2, Heal: 7, Groups: 2, Oneway: true}}
			c.Stop = engine.Stop{Rule: engine.StopCoin, K: 2, Feedback: true}
		}),
		base("one-way partition 1 to 6 in 3 groups, anti-entropy every 2, crash at 3 back at 5", 67, func(c *engine.Config) {
			c.Partitions = []engine.Partition{{Round: 1, Heal: 6, Groups: 3, Oneway: true}}
			c.AntiEntropy = engine.AntiEntropy{Every: 2}
			c.Failures = []engine.Failure{{Round: 3, Fraction: 0.1, Recover: 5}}
		}),
		base("partition by shares 0.3 0.7, 1 to 5", 68, func(c *engine.Config) {
			c.Partitions = []engine.Partition{{Round: 1, Heal: 5, Groups: 2, Shares: []float64{0.3, 0.7}}}
		}),
		base("ring degree 4, 3 groups 2 to 8", 69, func(c *engine.Config) {
			c.Topology = engine.Topology{Kind: engine.TopologyRing, Degree: 4}
			c.Partitions = []engine.Partition{{Round: 2, Heal: 8, Groups: 3}}
		}),
	}
}

// With faults over time a lockstep trial over http is the simulator's,
// row for row and edge for edge: the harness carries out every event of
// the World's schedule on the nodes (ports close and open again, nodes
// forget, the network drops what crosses a partition) and holds the nodes
// to the World.
func TestFaultsExactlyTheMemoryEngine(t *testing.T) {
	checkNoLeaks(t)
	inEveryMode(t, func(t *testing.T, mode engine.Mode, e *Engine) {
		var recovering, cut, keep, forgot, relearned, injectedDown int
		for _, c := range faultCases() {
			cfg := c.cfg
			cfg.Mode = mode
			_, want := againstMemory(t, e, c.name, cfg)
			n := 0
			for _, r := range want.Rounds {
				recovering += r.Recovering
				cut += r.Cut
				n += r.Cut + r.Recovering
			}
			if n == 0 {
				t.Errorf("%s: no node came back and no message was cut", c.name)
			}
			for _, o := range want.Replay.Outages {
				if o.Up >= 0 && o.Keep {
					keep++
				} else if o.Up >= 0 {
					forgot++
				}
			}
			relearned += len(want.Replay.Relearned)
			for x, src := range want.RumorSources {
				at := int32(cfg.Rumors.InjectedAt(x))
				for _, o := range want.Replay.Outages {
					if int(o.Node) == src && o.Keep && o.Down <= at && at < o.Up {
						injectedDown++
					}
				}
			}
		}
		if recovering == 0 || cut == 0 || keep == 0 || forgot == 0 || relearned == 0 || injectedDown == 0 {
			t.Errorf("%d comebacks (%d with states, %d empty), %d cut, %d learned again, %d rumors injected at a node "+
				"down that came back with its states: the cases need every one", recovering, keep, forgot, cut, relearned, injectedDown)
		}
		// The same nodes, reused, run a trial without faults again.
		plain := faultCases()[6].cfg
		plain.Mode, plain.Partitions = mode, nil
		for _, d := range traceDiffs(collect(t, e, plain), agreedMemory(t, plain)) {
			t.Errorf("no faults after faults: %s", d)
		}
	})
}
