package protocol

import (
	"math"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// The rules of each mode, written out by hand from docs/design.md's table
// ("Who acts and what messages carry"), not from the code.
func TestRulesOfEachMode(t *testing.T) {
	for _, c := range []struct {
		mode                       engine.Mode
		actsUninformed             bool
		kind                       engine.MessageKind
		carriesInformed, carriesUn bool
		answered                   bool
	}{
		{engine.Push, false, engine.KindPush, true, true, false},
		{engine.Pull, true, engine.KindRequest, false, false, true},
		{engine.PushPull, true, engine.KindRequest, true, false, true},
	} {
		r := New(engine.Config{Nodes: 10, Mode: c.mode, Fanout: 1, MaxRounds: 5}, nil)
		if !r.Acts(true) || r.Acts(false) != c.actsUninformed || r.Kind() != c.kind ||
			r.Carries(true) != c.carriesInformed || r.Carries(false) != c.carriesUn || r.Answered() != c.answered {
			t.Errorf("%v: acts %v/%v, kind %v, carries %v/%v, answered %v", c.mode, r.Acts(true), r.Acts(false),
				r.Kind(), r.Carries(true), r.Carries(false), r.Answered())
		}
	}
}

// The stop test: every alive node informed (none alive included), none
// informed, or the last round; not before.
func TestDone(t *testing.T) {
	r := New(engine.Config{Nodes: 10, MaxRounds: 5}, nil)
	for _, c := range []struct {
		st   engine.RoundStats
		done bool
	}{
		{engine.RoundStats{Round: 0, Informed: 1, Alive: 10}, false},
		{engine.RoundStats{Round: 4, Informed: 9, Alive: 10}, false},
		{engine.RoundStats{Round: 4, Informed: 10, Alive: 10}, true},
		{engine.RoundStats{Round: 2, Informed: 7, Alive: 7}, true},  // failures took the uninformed
		{engine.RoundStats{Round: 2, Informed: 0, Alive: 6}, true},  // failures took the informed
		{engine.RoundStats{Round: 1, Informed: 0, Alive: 0}, true},  // failures took everyone
		{engine.RoundStats{Round: 5, Informed: 3, Alive: 10}, true}, // max_rounds
	} {
		if got := r.Done(c.st); got != c.done {
			t.Errorf("%+v: done %v, want %v", c.st, got, c.done)
		}
	}
}

// Classify's whole table: lost before failed before delivered; a
// delivered message is useful only if it carries the rumor to a node that
// did not know it.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		lost, failed, carries, knew bool
		want                        engine.Outcome
	}{
		{true, true, true, false, engine.Lost},
		{true, false, true, false, engine.Lost},
		{false, true, true, false, engine.Failed},
		{false, false, true, false, engine.Useful},
		{false, false, true, true, engine.Redundant},
		{false, false, false, false, engine.Redundant},
		{false, false, false, true, engine.Redundant},
	} {
		if got := Classify(c.lost, c.failed, c.carries, c.knew); got != c.want {
			t.Errorf("Classify(lost %v, failed %v, carries %v, knew %v) = %v, want %v",
				c.lost, c.failed, c.carries, c.knew, got, c.want)
		}
	}
}

// A source given is taken as it is; a drawn one is a node, depends on the
// seed, and takes every node over enough seeds.
func TestSource(t *testing.T) {
	if s := New(engine.Config{Nodes: 10, Source: 7, Seed: 3}, nil).Source(); s != 7 {
		t.Fatalf("source given 7, got %d", s)
	}
	seen := map[int]bool{}
	for seed := uint64(0); seed < 200; seed++ {
		s := New(engine.Config{Nodes: 5, Source: -1, Seed: seed}, nil).Source()
		if s < 0 || s >= 5 {
			t.Fatalf("seed %d: source %d is not a node", seed, s)
		}
		seen[s] = true
	}
	if len(seen) != 5 {
		t.Fatalf("200 seeds drew the sources %v only", seen)
	}
}

// IntN is exactly uniform, also where Lemire's multiply-shift must reject:
// for n = 3·2^62 a quarter of the draws are rejected, and without the
// redraw half the values would be multiples of 3 instead of a third.
func TestIntNRedrawsRejected(t *testing.T) {
	const n = 3 << 62
	d := Seed(11).Draws(1, PurposePeers)
	var byRem [3]float64
	const draws = 30000
	for i := 0; i < draws; i++ {
		v := d.IntN(i, 0, n)
		if v >= n {
			t.Fatalf("draw %d: %d not below n", i, v)
		}
		if v != d.IntN(i, 0, n) {
			t.Fatalf("draw %d: not the same twice", i)
		}
		byRem[v%3]++
	}
	sd := math.Sqrt(draws * (1.0 / 3) * (2.0 / 3))
	for rem, got := range byRem {
		if math.Abs(got-draws/3.0) > 6*sd {
			t.Errorf("values ≡ %d mod 3: %.0f of %d, want %.0f ± %.0f", rem, got, draws, draws/3.0, 6*sd)
		}
	}
}
