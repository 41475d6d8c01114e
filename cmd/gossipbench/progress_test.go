package main

import (
	"strings"
	"testing"
	"time"
)

// lineWriter hands each line written to it to the test.
type lineWriter chan string

func (w lineWriter) Write(b []byte) (int, error) {
	w <- string(b)
	return len(b), nil
}

// The progress line for logs: one line per tick, with trials done of the
// total and the time left at the pace so far; none after finish. The clock
// and the ticks are the test's.
func TestProgressLine(t *testing.T) {
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	now := start
	tick := make(chan time.Time)
	out := make(lineWriter, 1)
	p := newProgressLine(out, "demo", func() time.Time { return now }, tick)

	for _, c := range []struct {
		elapsed     time.Duration
		done, total int
		want        string
	}{
		{5 * time.Second, 0, 400, "demo: 0/400 trials (0%), 5s elapsed, time left unknown\n"},
		{10 * time.Second, 100, 400, "demo: 100/400 trials (25%), 10s elapsed, about 30s left\n"},
		{90 * time.Second, 300, 400, "demo: 300/400 trials (75%), 1m30s elapsed, about 30s left\n"},
		{95 * time.Second, 400, 400, "demo: 400/400 trials (100%), 1m35s elapsed, about 0s left\n"},
	} {
		now = start.Add(c.elapsed)
		p.update(c.done, c.total)
		tick <- now
		if got := <-out; got != c.want {
			t.Errorf("at %v with %d/%d: %q, want %q", c.elapsed, c.done, c.total, got, c.want)
		}
	}
	p.finish()
	p.finish() // twice is fine
	select {
	case tick <- now:
		t.Error("the line still takes ticks after finish")
	default:
	}
	if len(out) != 0 {
		t.Errorf("printed after finish: %q", <-out)
	}
}

// --quiet silences progress; a log (not a terminal) gets the line, which
// prints at a tick.
func TestChooseProgress(t *testing.T) {
	tick := make(chan time.Time)
	out := make(lineWriter, 1)
	if p, ok := chooseProgress(true, out, "demo", tick).(noProgress); !ok {
		t.Errorf("--quiet shows %T", p)
	}
	p, ok := chooseProgress(false, out, "demo", tick).(*progressLine)
	if !ok {
		t.Fatalf("a log gets %T, want a progress line", p)
	}
	p.update(1, 4)
	tick <- time.Now()
	if line := <-out; !strings.HasPrefix(line, "demo: 1/4 trials (25%)") {
		t.Errorf("line %q", line)
	}
	p.finish()
}
