package protocol

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

func stopRules(stop engine.Stop) *Rules {
	return New(engine.Config{Nodes: 10, Fanout: 1, MaxRounds: 10, Seed: 7, Source: -1, Stop: stop}, nil)
}

// The counter is cumulative; with reset an uncounted contact starts it
// again, so counted, uncounted, counted with k = 2 removes only without
// reset. Contacts after the removing one change nothing.
func TestCounterReset(t *testing.T) {
	for _, reset := range []bool{false, true} {
		r := stopRules(engine.Stop{Rule: engine.StopCounter, K: 2, Feedback: true, Reset: reset})
		s := RumorState{Learned: 0}
		for slot, counted := range []bool{true, false, true} {
			r.Contact(&s, 1, 0, 0, 0, slot, counted)
		}
		r.Settle(&s)
		if s.Removed == reset {
			t.Fatalf("reset %v: removed %v after counted, uncounted, counted with k=2", reset, s.Removed)
		}
	}
}

// A coin is one draw per contact, keyed by its message: the same contact
// gives the same coin whenever it is applied, and over many contacts the
// share that removes is 1/k.
func TestCoinIsKeyedByContact(t *testing.T) {
	r := stopRules(engine.Stop{Rule: engine.StopCoin, K: 4})
	hits := 0
	const n = 20000
	for sender := range n {
		a, b := RumorState{Learned: 0}, RumorState{Learned: 0}
		r.Contact(&a, 3, 5, 1, sender, 0, true)
		r.Contact(&b, 3, 5, 1, sender, 0, true)
		if a.Stopping != b.Stopping {
			t.Fatal("one contact, two coins")
		}
		if a.Stopping {
			hits++
		}
		c := RumorState{Learned: 0}
		if r.Contact(&c, 3, 5, 1, sender, 0, false); c.Stopping {
			t.Fatal("an uncounted contact tossed a coin")
		}
	}
	// 1/4 of 20000: sd 61, so 5 sd is 306.
	if hits < 5000-306 || hits > 5000+306 {
		t.Fatalf("%d of %d coins removed, want about %d", hits, n, n/4)
	}
}

// transmits: pushes stop at L in slot order, answers may carry what is
// left after the node's own pushes and count at the round's end.
func TestTransmitsLimit(t *testing.T) {
	r := stopRules(engine.Stop{Rule: engine.StopTransmits, Mult: 2}) // L = 2·⌈log10 11⌉ = 4
	if r.Transmits() != 4 {
		t.Fatalf("L = %d, want 4", r.Transmits())
	}
	st := []RumorState{{Learned: 0, Sent: 1}}
	var got []int
	for range 5 {
		got = append(got, len(r.PushCarries(nil, 1, st)))
	}
	if want := []int{1, 1, 1, 0, 0}; !equalInts(got, want) {
		t.Fatalf("pushes carried %v, want %v", got, want)
	}
	if a := r.AnswerCarries(nil, 1, st, func(int) bool { return false }); len(a) != 0 {
		t.Fatal("an answer carried a rumor already sent L times")
	}
	st = []RumorState{{Learned: 0, Sent: 3}}
	for range 3 {
		if a := r.AnswerCarries(nil, 1, st, func(int) bool { return false }); len(a) != 1 {
			t.Fatal("answers of one round see the counts of its start")
		}
	}
	r.Settle(&st[0])
	if st[0].Sent != 6 || !st[0].Removed {
		t.Fatalf("after three answers: %+v", st[0])
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
