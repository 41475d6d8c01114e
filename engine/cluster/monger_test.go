package cluster

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
)

// mongerCases are mongering trials the two engines must agree on exactly:
// every stop rule, with loss and a crash, many rumors, a message budget,
// anti-entropy, and a sparse graph.
func mongerCases() []exactCase2 {
	crash := []engine.Failure{{Round: 2, Fraction: 0.1, Kind: engine.Crash}}
	base := func(name string, seed uint64, stop engine.Stop) exactCase2 {
		return exactCase2{name: name, cfg: engine.Config{Nodes: 30, Fanout: 2, Loss: 0.1, MaxRounds: 60, Source: -1, Seed: seed,
			Failures: crash, Stop: stop, Replay: true, Net: engine.NetOptions{Timeout: exactTimeout}}}
	}
	with := func(c exactCase2, f func(*engine.Config)) exactCase2 { f(&c.cfg); return c }
	return []exactCase2{
		base("counter blind k 2", 41, engine.Stop{Rule: engine.StopCounter, K: 2}),
		base("counter feedback k 1", 42, engine.Stop{Rule: engine.StopCounter, K: 1, Feedback: true}),
		base("counter feedback reset k 2", 43, engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true, Reset: true}),
		base("coin blind k 2", 44, engine.Stop{Rule: engine.StopCoin, K: 2}),
		with(base("coin feedback k 1, crash and garbage", 45, engine.Stop{Rule: engine.StopCoin, K: 1, Feedback: true}),
			func(c *engine.Config) {
				c.Failures = append(c.Failures, engine.Failure{Round: 3, Fraction: 0.1, Kind: engine.Garbage})
			}),
		base("transmits mult 1", 46, engine.Stop{Rule: engine.StopTransmits, Mult: 1}),
		with(base("4 rumors every 2, max_rumors 1, counter feedback k 2", 47, engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true}),
			func(c *engine.Config) {
				c.Rumors, c.Packet = engine.Rumors{Count: 4, Every: 2}, engine.Packet{MaxRumors: 1}
			}),
		with(base("4 rumors every 2, max_rumors 2, transmits mult 2", 48, engine.Stop{Rule: engine.StopTransmits, Mult: 2}),
			func(c *engine.Config) {
				c.Rumors, c.Packet = engine.Rumors{Count: 4, Every: 2}, engine.Packet{MaxRumors: 2}
			}),
		with(base("anti-entropy every 3, coin blind k 1", 49, engine.Stop{Rule: engine.StopCoin, K: 1}),
			func(c *engine.Config) { c.AntiEntropy = engine.AntiEntropy{Every: 3} }),
		with(base("3 rumors, no stop rule, fanout 1", 50, engine.Stop{}),
			func(c *engine.Config) { c.Rumors, c.Fanout = engine.Rumors{Count: 3, Every: 1}, 1 }),
		with(base("regular degree 3: 3 rumors, max_rumors 1, anti-entropy every 2, counter blind k 2", 51, engine.Stop{Rule: engine.StopCounter, K: 2}),
			func(c *engine.Config) {
				c.Topology = engine.Topology{Kind: engine.TopologyRegular, Degree: 3}
				c.Rumors, c.Packet, c.AntiEntropy = engine.Rumors{Count: 3, Every: 2}, engine.Packet{MaxRumors: 1}, engine.AntiEntropy{Every: 2}
			}),
	}
}

type exactCase2 struct {
	name string
	cfg  engine.Config // Mode set per run
}

// With rumor mongering a lockstep trial over http is the simulator's, row
// for row, rumor for rumor and edge for edge, under every stop rule, with
// many rumors, budgets and anti-entropy: the nodes decide with the
// protocol core's rules, and the harness holds each to the core's World.
func TestMongeringExactlyTheMemoryEngine(t *testing.T) {
	checkNoLeaks(t)
	inEveryMode(t, func(t *testing.T, mode engine.Mode, e *Engine) {
		var removed, lost, failed, ae int
		for _, c := range mongerCases() {
			cfg := c.cfg
			cfg.Mode = mode
			got, want := againstMemory(t, e, c.name, cfg)
			if !reflect.DeepEqual(got.PerRumor, want.PerRumor) || !slices.Equal(got.RumorSources, want.RumorSources) {
				t.Errorf("%s: per rumor\nhttp   %v %v\nmemory %v %v", c.name, got.RumorSources, got.PerRumor, want.RumorSources, want.PerRumor)
			}
			if bytesMissing(got) {
				t.Errorf("%s: messages delivered over http and no byte counted", c.name)
			}
			if n := cfg.Rumors.N(); n > 1 && len(want.RumorSources) != n {
				t.Errorf("%s: %d rumors injected of %d", c.name, len(want.RumorSources), n)
			}
			tot := want.Totals()
			removed += tot.Removed
			lost += tot.Lost
			failed += tot.Failed
			if cfg.AntiEntropy.Every > 0 && len(want.Rounds) > cfg.AntiEntropy.Every {
				ae++
			}
		}
		// The same nodes, reused, run the wave-1 protocol again.
		plain := mongerCases()[0].cfg
		plain.Mode, plain.Stop = mode, engine.Stop{}
		for _, d := range traceDiffs(collect(t, e, plain), agreedMemory(t, plain)) {
			t.Errorf("wave 1 after mongering: %s", d)
		}
		if removed == 0 || lost == 0 || failed == 0 || ae < 2 {
			t.Errorf("%d removed, %d lost, %d failed, %d anti-entropy trials: the cases need every one", removed, lost, failed, ae)
		}
	})
}

func (c exactCase2) String() string { return fmt.Sprintf("%s %+v", c.name, c.cfg) }

// Mongering nodes in processes of their own take their rules from the
// config's JSON and give the simulator's trial, a crash included.
func TestMongeringProcessPerNode(t *testing.T) {
	t.Setenv(childEnv, "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.Config{Nodes: 12, Mode: engine.PushPull, Fanout: 2, Loss: 0.1, MaxRounds: 40, Source: -1, Seed: 9,
		Failures: []engine.Failure{{Round: 2, Fraction: 0.25}}, Stop: engine.Stop{Rule: engine.StopCoin, K: 2, Feedback: true},
		Rumors: engine.Rumors{Count: 3, Every: 1}, Packet: engine.Packet{MaxRumors: 2}, AntiEntropy: engine.AntiEntropy{Every: 2},
		Net: engine.NetOptions{Processes: true, Timeout: exactTimeout}, Replay: true}
	e := &Engine{NodeCommand: []string{exe}}
	defer e.Close()
	got := collect(t, e, cfg)
	want := collect(t, memory.Engine{}, cfg)
	for _, d := range traceDiffs(got, want) {
		t.Error(d)
	}
	if f := got.Final(); f.Alive != 9 || f.Rumors != 3 || len(got.Rounds) < 4 {
		t.Errorf("final round %+v after %d rounds: want 9 alive and 3 rumors", f, len(got.Rounds)-1)
	}
	if !reflect.DeepEqual(got.PerRumor, want.PerRumor) {
		t.Errorf("per rumor\nhttp   %v\nmemory %v", got.PerRumor, want.PerRumor)
	}
}

// Free running does not monger yet: such a trial is refused, not run
// with another protocol.
func TestMongeringFreeRunningIsRefused(t *testing.T) {
	cfg := engine.Config{Nodes: 4, Mode: engine.Push, Fanout: 1, MaxRounds: 10, Source: 0, Seed: 1,
		Stop: engine.Stop{Rule: engine.StopCounter, K: 1}, Net: engine.NetOptions{Free: true, Interval: 10 * time.Millisecond}}
	e := &Engine{}
	defer e.Close()
	if _, err := engine.Collect(t.Context(), e, cfg); !errors.Is(err, errMongerFree) {
		t.Fatalf("free running with a stop rule: %v", err)
	}
}

// At a few hundred nodes, where many messages of a round reach one node
// at once and arrive in any order, every rule still gives the
// simulator's trial (not in -short).
func TestMongeringExactlyAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("hundreds of nodes per rule")
	}
	checkNoLeaks(t)
	e := &Engine{}
	defer e.Close()
	for k, c := range mongerCases() {
		for _, mode := range engine.Modes() {
			cfg := c.cfg
			cfg.Mode, cfg.Nodes, cfg.Fanout, cfg.Seed = mode, 300, 3, cfg.Seed+1000
			if cfg.Topology.Kind != engine.TopologyComplete {
				cfg.Topology.Degree = 4
			}
			start := time.Now()
			got := collect(t, e, cfg)
			t.Logf("%s, %v: %d rounds over http in %v", c.name, mode, len(got.Rounds)-1, time.Since(start).Round(time.Millisecond))
			want := collect(t, memory.Engine{}, cfg)
			for _, d := range traceDiffs(got, want) {
				t.Errorf("%d %s %v: %s", k, c.name, mode, d)
			}
			if !reflect.DeepEqual(got.PerRumor, want.PerRumor) {
				t.Errorf("%s %v: per rumor differs", c.name, mode)
			}
		}
	}
}

// Mongering nodes count their messages in Prometheus as the harness does:
// the same messages sent, delivered, lost and failed, and bytes. Which
// delivered ones were useful is the nodes' view: with many rumors a
// message that arrived first may teach one rumor where the canonical
// order credits another message with both, so only their sum is held.
func TestMongeringPrometheusCounters(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 40, Mode: engine.PushPull, Fanout: 2, Loss: 0.2, MaxRounds: 50, Source: -1, Seed: 5,
		Failures: []engine.Failure{{Round: 2, Fraction: 0.1}}, Stop: engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true},
		Rumors: engine.Rumors{Count: 3, Every: 1}, AntiEntropy: engine.AntiEntropy{Every: 2}}
	c, tr := startAndRun(t, cfg)
	got, err := c.Totals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := tr.Totals()
	if want.Failed == 0 || want.Lost == 0 {
		t.Fatalf("the test needs lost and failed messages: %+v", want)
	}
	if got.Sent != float64(want.Sent) || got.Delivered != float64(want.Delivered) || got.Lost != float64(want.Lost) ||
		got.Failed != float64(want.Failed) || got.Useful+got.Redundant != float64(want.Delivered) || got.Bytes != float64(want.Bytes) {
		t.Fatalf("Prometheus %+v\nharness %+v", got, want)
	}
}
