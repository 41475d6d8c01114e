package memory

import (
	"context"
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

func run(t *testing.T, cfg engine.Config) *engine.Trace {
	t.Helper()
	tr, err := Engine{}.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// rs builds an expected row; fields not given are zero.
func rs(round, informed, new, alive, sent, delivered, lost, failed, useful, redundant int) engine.RoundStats {
	return engine.RoundStats{Round: round, Informed: informed, New: new, Alive: alive, Sent: sent,
		Delivered: delivered, Lost: lost, Failed: failed, Useful: useful, Redundant: redundant}
}

// Cases small enough to count by hand. With two nodes and fanout 1 every
// choice is forced, so the rows hold for any seed.
func TestTinyCasesByHand(t *testing.T) {
	cases := []struct {
		name string
		cfg  engine.Config
		want []engine.RoundStats
	}{
		{"push n=2: one push informs the other node",
			engine.Config{Nodes: 2, Mode: engine.Push, Fanout: 1, MaxRounds: 5, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0)}},
		{"pull n=2: two requests (inform no one), two answers (one carries the rumor)",
			engine.Config{Nodes: 2, Mode: engine.Pull, Fanout: 1, MaxRounds: 5, Source: 1},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 4, 4, 0, 0, 1, 3)}},
		{"pushpull n=2: the source's request informs; the other answer arrives too late to be useful",
			engine.Config{Nodes: 2, Mode: engine.PushPull, Fanout: 1, MaxRounds: 5, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 2, 1, 2, 4, 4, 0, 0, 1, 3)}},
		{"push n=3 fanout 2: both peers in one round",
			engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 2, MaxRounds: 5, Source: 2},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 3, 2, 3, 2, 2, 0, 0, 2, 0)}},
		{"pull n=3 fanout 2: six requests, six answers, two of them useful",
			engine.Config{Nodes: 3, Mode: engine.Pull, Fanout: 2, MaxRounds: 5, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 3, 2, 3, 12, 12, 0, 0, 2, 10)}},
		{"push with loss 1: every push lost, runs to max_rounds",
			engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, Loss: 1, MaxRounds: 3, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), rs(1, 1, 0, 3, 1, 0, 1, 0, 0, 0),
				rs(2, 1, 0, 3, 1, 0, 1, 0, 0, 0), rs(3, 1, 0, 3, 1, 0, 1, 0, 0, 0)}},
		{"pull with loss 1: requests lost, so no answers are sent",
			engine.Config{Nodes: 2, Mode: engine.Pull, Fanout: 1, Loss: 1, MaxRounds: 2, Source: 0},
			[]engine.RoundStats{rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), rs(1, 1, 0, 2, 2, 0, 2, 0, 0, 0),
				rs(2, 1, 0, 2, 2, 0, 2, 0, 0, 0)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for seed := uint64(0); seed < 20; seed++ {
				c.cfg.Seed = seed
				if got := run(t, c.cfg).Rounds; !reflect.DeepEqual(got, c.want) {
					t.Fatalf("seed %d:\n got %+v\nwant %+v", seed, got, c.want)
				}
			}
		})
	}
}

// Three nodes, push, fanout 1, one crash at round 1. If the crash hits a
// bystander, the source's push reaches the other node or fails at the
// crashed one; if it hits the source, nothing can spread and the trial stops.
func TestCrashByHand(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(0); seed < 200; seed++ {
		cfg := engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, MaxRounds: 10, Source: 0, Seed: seed,
			Failures: []engine.Failure{{Round: 1, Crash: 0.3}}, Replay: true}
		tr := run(t, cfg)
		r1 := tr.Rounds[1]
		switch {
		case tr.Replay.CrashedAt[0] == 1: // the source crashed
			seen["source crashed"]++
			if want := rs(1, 0, 0, 2, 0, 0, 0, 0, 0, 0); r1 != want || len(tr.Rounds) != 2 || tr.Converged() || tr.Residue() != 1 {
				t.Fatalf("seed %d: source crashed: rounds %+v", seed, tr.Rounds)
			}
		case r1.Failed == 1: // pushed to the crashed node; the other is reached next round
			seen["push failed"]++
			if want := rs(1, 1, 0, 2, 1, 0, 0, 1, 0, 0); r1 != want {
				t.Fatalf("seed %d: round 1 = %+v, want %+v", seed, r1, want)
			}
		default:
			seen["push delivered"]++
			if want := rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0); r1 != want || !tr.Converged() {
				t.Fatalf("seed %d: round 1 = %+v, want %+v", seed, r1, want)
			}
		}
	}
	// Each branch has probability 1/3; 200 trials see each of them.
	if len(seen) != 3 {
		t.Fatalf("branches seen: %v", seen)
	}
}

// Three nodes, push, fanout 1: after round 1 two nodes know, and each
// pushes to one of its two peers, so the third node is reached in round 2
// with probability 1 - (1/2)^2 = 3/4.
func TestTinyProbabilityByHand(t *testing.T) {
	const trials = 4000
	hits := 0
	for seed := uint64(0); seed < trials; seed++ {
		tr := run(t, engine.Config{Nodes: 3, Mode: engine.Push, Fanout: 1, MaxRounds: 50, Source: -1, Seed: seed})
		if r, _ := tr.RoundsTo(1); r == 2 {
			hits++
		}
	}
	p := float64(hits) / trials
	se := 0.433 / 63.2 // sqrt(0.75*0.25)/sqrt(4000)
	if p < 0.75-4*se || p > 0.75+4*se {
		t.Fatalf("P(full at round 2) = %.3f, want 0.75 ± %.3f", p, 4*se)
	}
}

// Invariants that hold for any configuration, checked on a spread of them.
func TestInvariants(t *testing.T) {
	for _, mode := range engine.Modes() {
		for _, cfg := range []engine.Config{
			{Nodes: 50, Fanout: 1, Loss: 0.2, MaxRounds: 100},
			{Nodes: 200, Fanout: 3, Loss: 0.5, MaxRounds: 100, Failures: []engine.Failure{{Round: 2, Crash: 0.3}, {Round: 5, Crash: 0.1}}},
			{Nodes: 64, Fanout: 40, MaxRounds: 100}, // large fanout: the stamp path of the peer picker
		} {
			cfg.Mode, cfg.Source, cfg.Replay = mode, -1, true
			for seed := uint64(1); seed <= 10; seed++ {
				cfg.Seed = seed
				checkInvariants(t, cfg, run(t, cfg))
			}
		}
	}
}

func checkInvariants(t *testing.T, cfg engine.Config, tr *engine.Trace) {
	t.Helper()
	rep := tr.Replay
	if len(rep.Edges) != len(tr.Rounds) {
		t.Fatalf("%v: %d edge rounds for %d rounds", cfg, len(rep.Edges), len(tr.Rounds))
	}
	for i, r := range tr.Rounds {
		if r.Round != i || r.Sent != r.Delivered+r.Lost+r.Failed || r.Delivered != r.Useful+r.Redundant || (i > 0 && r.Useful != r.New) {
			t.Fatalf("%v: round %+v breaks sent = delivered+lost+failed, delivered = useful+redundant, useful = new (after round 0)", cfg, r)
		}
		var byOutcome [4]int
		for _, e := range rep.Edges[i] {
			byOutcome[e.Outcome]++
			if e.From == e.To {
				t.Fatalf("%v: node %d messaged itself", cfg, e.From)
			}
		}
		if byOutcome != [4]int{r.Useful, r.Redundant, r.Lost, r.Failed} {
			t.Fatalf("%v: round %d edges %v disagree with %+v", cfg, i, byOutcome, r)
		}
		newHere := 0
		for _, fi := range rep.FirstInformed {
			if int(fi) == i {
				newHere++
			}
		}
		if newHere != r.New {
			t.Fatalf("%v: round %d: %d nodes first informed, %d new", cfg, i, newHere, r.New)
		}
	}
}

func TestSameSeedSameTrace(t *testing.T) {
	cfg := engine.Config{Nodes: 500, Mode: engine.PushPull, Fanout: 2, Loss: 0.1, MaxRounds: 100, Source: -1, Seed: 42, Replay: true,
		Failures: []engine.Failure{{Round: 3, Crash: 0.1}}}
	a, b := run(t, cfg), run(t, cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	cfg.Seed++
	if reflect.DeepEqual(a.Rounds, run(t, cfg).Rounds) {
		t.Fatal("a different seed gave the same rounds")
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Engine{}.Run(ctx, engine.Config{Nodes: 10, Fanout: 1, MaxRounds: 10, Source: -1})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRejectsBadConfig(t *testing.T) {
	for _, cfg := range []engine.Config{
		{Nodes: 1, Fanout: 1, MaxRounds: 1},
		{Nodes: 3, Fanout: 3, MaxRounds: 1},
		{Nodes: 3, Fanout: 1, MaxRounds: 0},
		{Nodes: 3, Fanout: 1, MaxRounds: 1, Loss: 1.5},
		{Nodes: 3, Fanout: 1, MaxRounds: 1, Source: 3},
	} {
		if _, err := (Engine{}).Run(context.Background(), cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
