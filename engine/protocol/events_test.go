package protocol

import (
	"slices"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

func TestChurnCountKeepsTheRateBelowOneNode(t *testing.T) {
	total := 0
	for r := 1; r <= 10; r++ {
		total += engine.ChurnCount(0.03, 10, 1, r) // 0.3 of a node a round
	}
	if total != 3 {
		t.Fatalf("0.3 nodes a round churned %d nodes in 10 rounds, want 3", total)
	}
	for r := 5; r < 9; r++ {
		if got := engine.ChurnCount(0.02, 1000, 5, r); got != 20 {
			t.Fatalf("round %d: %d nodes, want 20", r, got)
		}
	}
}

func TestBoundsRoundAtTheCumulativeEnd(t *testing.T) {
	for _, c := range []struct {
		p    engine.Partition
		m    int
		want []int
	}{
		{engine.Partition{Groups: 2}, 5, []int{3, 5}},
		{engine.Partition{Groups: 3}, 10, []int{3, 7, 10}},
		{engine.Partition{Shares: []float64{0.3, 0.7}}, 10, []int{3, 10}},
		{engine.Partition{Shares: []float64{0.1, 0.2, 0.7}}, 7, []int{1, 2, 7}},
		{engine.Partition{Groups: 4}, 2, []int{1, 1, 2, 2}},
	} {
		if got := c.p.Bounds(c.m); !slices.Equal(got, c.want) {
			t.Errorf("%+v of %d: %v, want %v", c.p, c.m, got, c.want)
		}
	}
}

func schedule(cfg engine.Config) *Schedule {
	if cfg.Fanout == 0 {
		cfg.Fanout, cfg.MaxRounds = 1, 100
	}
	return NewSchedule(New(cfg, nil))
}

func TestRecoveryBringsBackWhomTheFailureTook(t *testing.T) {
	s := schedule(engine.Config{Nodes: 100, Seed: 3, Failures: []engine.Failure{
		{Round: 2, Fraction: 0.1}, {Round: 2, Fraction: 0.3, Recover: 5, KeepState: true}}})
	if ev := s.Begin(1); len(ev.Down)+len(ev.Back) != 0 {
		t.Fatalf("round 1: %+v", ev)
	}
	ev := s.Begin(2)
	if len(ev.Down) != 2 || len(ev.Down[0].Nodes) != 10 || len(ev.Down[1].Nodes) != 30 {
		t.Fatalf("round 2: %+v", ev)
	}
	took := slices.Clone(ev.Down[1].Nodes)
	knows := func(u int) bool { return u == int(took[0]) }
	if !s.KeepsPending(4, knows) || s.KeepsPending(5, knows) {
		t.Fatal("a keep_state recovery at round 5 of a node that knows is pending after round 4 and not after 5")
	}
	if s.KeepsPending(4, func(int) bool { return false }) {
		t.Fatal("a keep_state recovery of nodes that know nothing is pending")
	}
	ev = s.Begin(5)
	var back []int32
	for _, b := range ev.Back {
		if !b.Keep {
			t.Fatalf("%+v comes back empty, but its failure keeps state", b)
		}
		back = append(back, b.Node)
	}
	if !slices.Equal(back, took) {
		t.Fatalf("back %v, took %v", back, took)
	}
	if up := len(s.up()); up != 90 {
		t.Fatalf("%d up after the recovery, want 90 (the first failure is for good)", up)
	}
}

func TestChurnBringsBackOnlyWhomItTook(t *testing.T) {
	s := schedule(engine.Config{Nodes: 200, Seed: 9, Failures: []engine.Failure{{Round: 3, Fraction: 0.1}},
		Churn: engine.Churn{Leave: 0.05, Join: 0.05, From: 1, Until: 8}})
	crashed := map[int32]bool{}
	for r := 1; r <= 9; r++ {
		churned := slices.Clone(s.churned)
		ev := s.Begin(r)
		for _, b := range ev.Back {
			if !churned[b.Node] || b.Keep || crashed[b.Node] {
				t.Fatalf("round %d: %+v came back, but churn had not taken it (or it keeps state)", r, b)
			}
		}
		leaves := 0
		for _, f := range ev.Down {
			if f.Kind != engine.Crash {
				t.Fatalf("round %d: %+v", r, f)
			}
			if r == 3 && len(ev.Down) == 2 && f.Nodes[0] == ev.Down[0].Nodes[0] {
				for _, v := range f.Nodes {
					crashed[v] = true
				}
				continue
			}
			leaves += len(f.Nodes)
		}
		want := 10
		if r >= 8 {
			want = 0
		}
		if leaves != want || r > 1 && r < 8 && len(ev.Back) != 10 {
			t.Fatalf("round %d: %d left and %d came back, want %d and 10", r, leaves, len(ev.Back), want)
		}
	}
}

func TestPartitionSplitsTheAliveEvenly(t *testing.T) {
	cfg := engine.Config{Nodes: 11, Seed: 1, Failures: []engine.Failure{{Round: 1, Fraction: 0.1}},
		Partitions: []engine.Partition{{Round: 2, Heal: 4, Groups: 2, Oneway: true}}}
	s := schedule(cfg)
	s.Begin(1) // one node down
	ev := s.Begin(2)
	if ev.Split == nil || s.Split() != ev.Split {
		t.Fatalf("round 2: %+v", ev)
	}
	size := map[int8]int{}
	for u, g := range ev.Split.Group {
		if s.alive[u] {
			size[g]++
		}
	}
	if size[0] != 5 || size[1] != 5 {
		t.Fatalf("the 10 alive nodes fell in groups of %v", size)
	}
	var a, b int // one node of each group
	for u, g := range ev.Split.Group {
		if g == 0 {
			a = u
		} else {
			b = u
		}
	}
	switch {
	case !s.Cut(a, b) || s.Cut(b, a):
		t.Fatal("one way: group 0 to 1 is cut, 1 to 0 passes")
	case s.Flows(a, b) || !s.Flows(b, a):
		t.Fatal("push: information flows where the message passes")
	}
	s.r.Mode = engine.Pull
	if s.Flows(b, a) || s.Flows(a, b) {
		t.Fatal("pull, one way: no answer crosses, either way")
	}
	s.Begin(3)
	if ev := s.Begin(4); !ev.Healed || s.Split() != nil || s.Cut(a, b) {
		t.Fatalf("round 4 heals: %+v", ev)
	}
}
