package live

import (
	"slices"
	"testing"
	"time"
)

// The times to 50/99/100 %, full_at and cost, worked by hand for four
// nodes learning a message at 0, 1, 2 and 3 seconds (reported out of
// order, as samples come in).
func TestViewTimesByHand(t *testing.T) {
	v := newView(4, []string{"a", "b", "c", "d"})
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sec := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	m := &message{ID: "m", SentAt: t0, alive: 4}
	v.messages, v.byID["m"] = append(v.messages, m), m
	v.learned(0, "m", sec(0))
	v.sent(sec(0.5))
	v.learned(2, "m", sec(2))
	v.sent(sec(1.5))
	v.sent(sec(2.5))
	if v.learned(2, "m", sec(2)) != nil {
		t.Error("learning a known message again is news")
	}
	v.learned(1, "m", sec(1))
	if m.T50 == nil || *m.T50 != 1 || m.T99 != nil || m.FullAt != nil || m.Cost != 3 {
		t.Fatalf("three of four: %+v; want t50 1s (the 2nd node), no t99 yet, not full, cost 3 so far", m)
	}
	v.sent(sec(3.5)) // after the last node learned it, but read before it was seen
	v.learned(3, "m", sec(3))
	if !slices.Equal(m.Curve, []float64{0, 1, 2, 3}) || *m.T99 != 3 || *m.T100 != 3 || !m.FullAt.Equal(sec(3)) {
		t.Fatalf("all four: %+v; want the curve 0 1 2 3, t99 = t100 = 3s (ceil(0.99*4) = 4 nodes), full at 3s", m)
	}
	if m.Cost != 3 || m.Informed != 4 {
		t.Errorf("cost %d, informed %d; want 3 (the message at 3.5s came after full) and 4", m.Cost, m.Informed)
	}
	v.sent(sec(2.9)) // read late, sent before full: counted
	v.sent(sec(3.1)) // after: not
	if m.Cost != 4 {
		t.Errorf("cost %d after messages read late, want 4", m.Cost)
	}
	// A crash takes the node's knowledge with it; round robin skips it.
	v.down(1, sec(4))
	if m.Informed != 3 {
		t.Errorf("informed %d after a crash, want 3", m.Informed)
	}
	if got := []int{v.pick(), v.pick(), v.pick(), v.pick()}; !slices.Equal(got, []int{0, 2, 3, 0}) {
		t.Errorf("round robin with node 1 down: %v, want 0 2 3 0", got)
	}
}

// A message every alive node knows once a node that lacked it crashes is
// full at the crash.
func TestViewFullByCrash(t *testing.T) {
	v := newView(3, []string{"a", "b", "c"})
	t0 := time.Now()
	m := &message{ID: "m", SentAt: t0, alive: 3}
	v.messages, v.byID["m"] = append(v.messages, m), m
	v.learned(0, "m", t0)
	v.learned(1, "m", t0.Add(time.Second))
	if changed := v.down(2, t0.Add(2*time.Second)); len(changed) != 1 || m.FullAt == nil {
		t.Fatalf("after node 2 crashed: %+v, changed %d", m, len(changed))
	}
}
