package meanfield

import (
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

func TestCovers(t *testing.T) {
	base := engine.Config{Nodes: 1000, Mode: engine.Push, Fanout: 1, MaxRounds: 100, Source: -1}
	with := func(f func(*engine.Config)) engine.Config {
		c := base
		f(&c)
		return c
	}
	crash := func(round int, frac float64, kind engine.FailureKind) func(*engine.Config) {
		return func(c *engine.Config) {
			c.Failures = append(c.Failures, engine.Failure{Round: round, Fraction: frac, Kind: kind})
		}
	}
	for _, c := range []struct {
		name   string
		cfg    engine.Config
		ok     bool
		reason string // a part of the reason
	}{
		{"push", base, true, ""},
		{"pull with loss", with(func(c *engine.Config) { c.Mode, c.Loss = engine.Pull, 0.3 }), true, ""},
		{"pushpull fanout 3", with(func(c *engine.Config) { c.Mode, c.Fanout = engine.PushPull, 3 }), true, ""},
		{"total loss", with(func(c *engine.Config) { c.Loss = 1 }), true, ""},
		{"lockstep real nodes", with(func(c *engine.Config) { c.Net = engine.NetOptions{Interval: time.Second, Latency: time.Millisecond} }), true, ""},
		{"free running", with(func(c *engine.Config) { c.Net = engine.NetOptions{Free: true, Interval: 50 * time.Millisecond} }), false, "free-running"},
		{"free running pull", with(func(c *engine.Config) { c.Mode, c.Net.Free = engine.Pull, true }), false, "interval of time"},
		// Push, fanout 1, no loss: 2^(r-1) informed before round r.
		{"crash 10% at round 4", with(crash(4, 0.1, engine.Crash)), true, ""},
		{"crash 50% at round 6", with(crash(6, 0.5, engine.Crash)), true, ""},                                                                          // 0.5^~31
		{"hang 50% at round 3", with(crash(3, 0.5, engine.Hang)), false, "round 3"},                                                                    // 0.5^~4: 6%
		{"garbage 50% at round 1", with(crash(1, 0.5, engine.Garbage)), false, "50%"},                                                                  // the source alone
		{"crash 5% at round 1", with(crash(1, 0.05, engine.Crash)), false, "5%"},                                                                       // one trial in 20
		{"crash 0.5% at round 1", with(crash(1, 0.005, engine.Crash)), true, ""},                                                                       // one in 200
		{"crash all at round 9", with(crash(9, 1, engine.Crash)), false, "round 9"},                                                                    // nothing is left
		{"crash 40%+40% at round 4", with(func(c *engine.Config) { crash(4, 0.4, engine.Crash)(c); crash(4, 0.4, engine.Hang)(c) }), false, "round 4"}, // 0.8^~8: 17%
		// The second takes 400 of the 600 left, with about 7 informed.
		{"crash 40% at rounds 4 and 5", with(func(c *engine.Config) { crash(4, 0.4, engine.Crash)(c); crash(5, 0.4, engine.Hang)(c) }), false, "round 5"},
		{"crash 40% at rounds 6 and 7", with(func(c *engine.Config) { crash(6, 0.4, engine.Crash)(c); crash(7, 0.4, engine.Hang)(c) }), true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, reason := Covers(c.cfg)
			if ok != c.ok || !strings.Contains(reason, c.reason) || ok != (reason == "") {
				t.Errorf("Covers = %v, %q; want %v with a reason containing %q", ok, reason, c.ok, c.reason)
			}
		})
	}
}
