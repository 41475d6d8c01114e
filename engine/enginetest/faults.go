package enginetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// fr is an expected row of a trial with faults over time, one rumor and
// no stop rule: every informed node is infective.
func fr(row engine.RoundStats, down, recovering, cut int) engine.RoundStats {
	row.Infective, row.Rumors = row.Informed, 1
	row.Down, row.Recovering, row.Cut = down, recovering, cut
	return row
}

// Faults over time on cases small enough to count by hand (docs/design.md,
// "Faults over time"): two nodes, so that every peer is forced; where the
// seed decides who fails or which group a node falls in, the case reads
// that from the replay and expects the rows of that branch.
func (s suite) faultsByHand(t *testing.T) {
	two := func(mode engine.Mode) engine.Config {
		return engine.Config{Nodes: 2, Mode: mode, Fanout: 1, MaxRounds: 20, Source: 0, Replay: true}
	}
	r0 := fr(rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), 0, 0, 0)
	learns := fr(rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0), 0, 0, 0) // push: 0 tells 1
	// Either node is down in rounds 2 and 3: the other, which knows,
	// pushes to it and fails; which one it is does not change a row.
	down := func(r int) engine.RoundStats { return fr(rs(r, 1, 0, 1, 1, 0, 0, 1, 0, 0), 1, 0, 0) }
	recover := func(keep bool) engine.Config {
		c := two(engine.Push)
		c.Failures = []engine.Failure{{Round: 2, Fraction: 0.5, Recover: 4, KeepState: keep}}
		return c
	}
	everyone := func(keep bool) engine.Config {
		c := two(engine.Push)
		c.Failures = []engine.Failure{{Round: 1, Fraction: 1, Recover: 3, KeepState: keep}}
		return c
	}
	split := func(mode engine.Mode, heal int, oneway bool) engine.Config {
		c := two(mode)
		c.Partitions = []engine.Partition{{Round: 1, Heal: heal, Groups: 2, Oneway: oneway}}
		return c
	}
	nobody := func(r int) engine.RoundStats { return fr(rs(r, 0, 0, 0, 0, 0, 0, 0, 0, 0), 2, 0, 0) }
	cut := func(r int) engine.RoundStats { return fr(rs(r, 1, 0, 2, 2, 0, 0, 2, 0, 0), 0, 0, 2) }
	cases := []struct {
		name string
		cfg  engine.Config
		want []engine.RoundStats
	}{
		{"a node down in rounds 2-3 comes back empty in round 4, and the other tells it again",
			recover(false), []engine.RoundStats{r0, learns, down(2), down(3), fr(rs(4, 2, 1, 2, 1, 1, 0, 0, 1, 0), 0, 1, 0)}},
		{"the same with keep_state: it comes back knowing, and both push, redundantly",
			recover(true), []engine.RoundStats{r0, learns, down(2), down(3), fr(rs(4, 2, 0, 2, 2, 2, 0, 0, 0, 2), 0, 1, 0)}},
		{"everyone down in round 1, back empty in round 3: nothing can spread, so the trial ends at once",
			everyone(false), []engine.RoundStats{r0, nobody(1)}},
		{"everyone down in round 1, back with its state in round 3: the trial waits for them, and the source goes on",
			everyone(true), []engine.RoundStats{r0, nobody(1), nobody(2), fr(rs(3, 2, 1, 2, 1, 1, 0, 0, 1, 0), 0, 2, 0)}},
		{"push-pull split in two from round 1 to 3: both requests fail across the cut, then the source's request teaches",
			split(engine.PushPull, 3, false), []engine.RoundStats{r0, cut(1), cut(2), fr(rs(3, 2, 1, 2, 4, 4, 0, 0, 1, 3), 0, 0, 0)}},
		{"push split for good: the push fails across the cut, and the source's group knows, so the trial ends",
			split(engine.Push, 0, false), []engine.RoundStats{r0, fr(rs(1, 1, 0, 2, 1, 0, 0, 1, 0, 0), 0, 0, 1)}},
		{"pull split one way for good: whichever node is group 0, its messages fail and the other's request is answered into the cut",
			split(engine.Pull, 0, true), []engine.RoundStats{r0, fr(rs(1, 1, 0, 2, 3, 1, 0, 2, 0, 1), 0, 0, 2)}},
	}
	seeds := uint64(s.pick(10, 3))
	for _, c := range cases {
		s.byHand(t, c.name, c.cfg, c.want, int(seeds), checkFaults)
	}
	t.Run("push-pull split one way: group 0's messages fail, the other's request passes and its answer fails", func(t *testing.T) {
		s.onewayByHand(t, seeds)
	})
	t.Run("churn of one node a round until round 3", func(t *testing.T) { s.churnByHand(t, seeds) })
	t.Run("a blind counter k=1 with keep_state: a node comes back as infective or removed as it went down", func(t *testing.T) {
		s.keepRemovedByHand(t, seeds)
	})
	t.Run("groups of 30 % and 70 %: the source's group knows, the other never", func(t *testing.T) { s.sharesByHand(t, seeds) })
	t.Run("a quiet trial waits for a keep_state node only if it knows a rumor", func(t *testing.T) { s.keepUninformedByHand(t, seeds) })
}

// onewayByHand: which node falls in group 0 is drawn; the rows of each
// branch are forced.
func (s suite) onewayByHand(t *testing.T, seeds uint64) {
	cfg := engine.Config{Nodes: 2, Mode: engine.PushPull, Fanout: 1, MaxRounds: 20, Source: 0, Replay: true,
		Partitions: []engine.Partition{{Round: 1, Groups: 2, Oneway: true}}}
	r0 := fr(rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), 0, 0, 0)
	seen := map[int8]bool{}
	for seed := uint64(0); seed < seeds+20; seed++ {
		cfg.Seed = seed
		tr := s.run(t, cfg)
		g := tr.Replay.Partitions[0].Group[0]
		seen[g] = true
		// Group 0 = the source: its request and its answer to 1's request
		// fail; 1's request arrives empty. Otherwise the source's request
		// teaches 1, whose answer fails, as does 1's own request.
		want := fr(rs(1, 1, 0, 2, 3, 1, 0, 2, 0, 1), 0, 0, 2)
		if g != 0 {
			want = fr(rs(1, 2, 1, 2, 3, 1, 0, 2, 1, 0), 0, 0, 2)
		}
		if got := noBytes(tr.Rounds); !equalRows(got, []engine.RoundStats{r0, want}) {
			t.Fatalf("seed %d, the source in group %d:\n got %+v\nwant %+v", seed, g, got, []engine.RoundStats{r0, want})
		}
		checkFaults(t, cfg, tr)
	}
	if len(seen) != 2 {
		t.Fatalf("the source fell in groups %v only: the split is not drawn", seen)
	}
}

// churnByHand: two nodes, one leaving each round and the one that left
// coming back the next, until round 3; the push source is node 0.
func (s suite) churnByHand(t *testing.T, seeds uint64) {
	cfg := engine.Config{Nodes: 2, Mode: engine.Push, Fanout: 1, MaxRounds: 20, Source: 0, Replay: true,
		Churn: engine.Churn{Leave: 0.5, Join: 0.5, From: 1, Until: 3}}
	r0 := fr(rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), 0, 0, 0)
	branches := map[string]bool{}
	for seed := uint64(0); seed < seeds+30; seed++ {
		cfg.Seed = seed
		tr := s.run(t, cfg)
		var left []int32 // who left in rounds 1 and 2
		for _, o := range tr.Replay.Outages {
			left = append(left, o.Node)
		}
		var want []engine.RoundStats
		switch {
		case len(left) >= 1 && left[0] == 0: // the source left: nothing alive knows
			want = []engine.RoundStats{r0, fr(rs(1, 0, 0, 1, 0, 0, 0, 0, 0, 0), 1, 0, 0)}
		case len(left) == 2 && left[1] == 0: // 1 left, came back empty, and then the source left
			want = []engine.RoundStats{r0, fr(rs(1, 1, 0, 1, 1, 0, 0, 1, 0, 0), 1, 0, 0), fr(rs(2, 0, 0, 1, 0, 0, 0, 0, 0, 0), 1, 1, 0)}
		case len(left) == 2: // 1 left twice: the source pushes into the void until churn ends
			down := func(r, back int) engine.RoundStats { return fr(rs(r, 1, 0, 1, 1, 0, 0, 1, 0, 0), 1, back, 0) }
			want = []engine.RoundStats{r0, down(1, 0), down(2, 1), down(3, 0)}
		default:
			t.Fatalf("seed %d: outages %+v: churn must take one node in each of rounds 1 and 2", seed, tr.Replay.Outages)
		}
		branches[fmt.Sprint(left)] = true
		if got := noBytes(tr.Rounds); !equalRows(got, want) {
			t.Fatalf("seed %d, left %v:\n got %+v\nwant %+v", seed, left, got, want)
		}
		checkFaults(t, cfg, tr)
	}
	if len(branches) != 3 {
		t.Fatalf("churn took %v only over the seeds: who leaves is not drawn", branches)
	}
}

// keepRemovedByHand: a blind counter k=1 removes node 0 after its push in
// round 1; one of the two is down in rounds 2-3 and comes back as it was.
func (s suite) keepRemovedByHand(t *testing.T, seeds uint64) {
	cfg := engine.Config{Nodes: 2, Mode: engine.Push, Fanout: 1, MaxRounds: 20, Source: 0, Replay: true,
		Stop:     engine.Stop{Rule: engine.StopCounter, K: 1},
		Failures: []engine.Failure{{Round: 2, Fraction: 0.5, Recover: 4, KeepState: true}}}
	head := []engine.RoundStats{stopRow(rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), 1, 0, 0, 0), stopRow(rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0), 1, 1, 0, 0)}
	s.eachVictim(t, cfg, seeds, func(victim int32) []engine.RoundStats {
		// Victim 1, infective: the removed source sends nothing until 1
		// comes back infective and pushes, which removes it. Victim 0,
		// removed: 1 pushes into the void, which removes it (blind), and
		// the trial waits for 0, which comes back removed.
		tail := []engine.RoundStats{stopRow(rs(2, 1, 0, 1, 0, 0, 0, 0, 0, 0), 0, 1, 1, 0), stopRow(rs(3, 1, 0, 1, 0, 0, 0, 0, 0, 0), 0, 1, 1, 0),
			stopRow(rs(4, 2, 0, 2, 1, 1, 0, 0, 0, 1), 0, 2, 0, 1)}
		if victim == 0 {
			tail = []engine.RoundStats{stopRow(rs(2, 1, 0, 1, 1, 0, 0, 1, 0, 0), 0, 1, 1, 0), stopRow(rs(3, 1, 0, 1, 0, 0, 0, 0, 0, 0), 0, 1, 1, 0),
				stopRow(rs(4, 2, 0, 2, 0, 0, 0, 0, 0, 0), 0, 2, 0, 1)}
		}
		return append(slices.Clone(head), tail...)
	})
}

// stopRow is an expected row of a one-rumor trial with a stop rule and
// faults: its infective, removed, down and recovering counts set.
func stopRow(r engine.RoundStats, inf, rem, down, back int) engine.RoundStats {
	r.Infective, r.Removed, r.Rumors, r.Down, r.Recovering = inf, rem, 1, down, back
	return r
}

// eachVictim runs cfg, whose failure takes one of its two nodes, under
// seeds+20 seeds, and holds each trial to the rows want gives for the
// node taken; the seeds must draw both.
func (s suite) eachVictim(t *testing.T, cfg engine.Config, seeds uint64, want func(victim int32) []engine.RoundStats) {
	t.Helper()
	seen := map[int32]bool{}
	for seed := range seeds + 20 {
		cfg.Seed = seed
		tr := s.run(t, cfg)
		victim := tr.Replay.Outages[0].Node
		seen[victim] = true
		if got, w := noBytes(tr.Rounds), want(victim); !equalRows(got, w) {
			t.Fatalf("seed %d, victim %d:\n got %+v\nwant %+v", seed, victim, got, w)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("the failure took %v only: its victim is not drawn", seen)
	}
}

// keepUninformedByHand: a blind counter k=1, one of the two nodes down
// from round 1 to 5 with keep_state. Victim 1 knows nothing: the source's
// push fails, which removes it, and nothing coming back knows a rumor, so
// the trial ends at once. Victim 0, the source, knows: the trial waits for
// it, and it comes back infective and tells 1.
func (s suite) keepUninformedByHand(t *testing.T, seeds uint64) {
	cfg := engine.Config{Nodes: 2, Mode: engine.Push, Fanout: 1, MaxRounds: 20, Source: 0, Replay: true,
		Stop:     engine.Stop{Rule: engine.StopCounter, K: 1},
		Failures: []engine.Failure{{Round: 1, Fraction: 0.5, Recover: 5, KeepState: true}}}
	r0 := stopRow(rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), 1, 0, 0, 0)
	s.eachVictim(t, cfg, seeds, func(victim int32) []engine.RoundStats {
		if victim == 1 {
			return []engine.RoundStats{r0, stopRow(rs(1, 1, 0, 1, 1, 0, 0, 1, 0, 0), 0, 1, 1, 0)}
		}
		want := []engine.RoundStats{r0}
		for r := 1; r <= 4; r++ {
			want = append(want, stopRow(rs(r, 0, 0, 1, 0, 0, 0, 0, 0, 0), 0, 0, 1, 0))
		}
		return append(want, stopRow(rs(5, 2, 1, 2, 1, 1, 0, 0, 1, 0), 1, 1, 0, 1), stopRow(rs(6, 2, 0, 2, 1, 1, 0, 0, 0, 1), 0, 2, 0, 0))
	})
}

// sharesByHand: ten nodes, each pushing to all nine others, split 3/7 for
// good in round 1: the source tells its own group in round 1 and its
// pushes to the other group fail; the other group never learns.
func (s suite) sharesByHand(t *testing.T, seeds uint64) {
	cfg := engine.Config{Nodes: 10, Mode: engine.Push, Fanout: 9, MaxRounds: 20, Source: 0, Replay: true,
		Partitions: []engine.Partition{{Round: 1, Shares: []float64{0.3, 0.7}}}}
	for seed := range seeds {
		cfg.Seed = seed
		tr := s.run(t, cfg)
		group := tr.Replay.Partitions[0].Group
		size := [2]int{}
		for _, g := range group {
			size[g]++
		}
		own := size[group[0]]
		r1 := tr.Rounds[1]
		switch {
		case size != [2]int{3, 7}:
			t.Fatalf("seed %d: groups of %v, want 3 and 7", seed, size)
		case r1.Useful != own-1 || r1.Cut != 10-own || r1.Failed != 10-own:
			t.Fatalf("seed %d: the source's group has %d nodes, round 1 %+v", seed, own, r1)
		case tr.Final().Informed != own || len(tr.Rounds) != 2:
			t.Fatalf("seed %d: the source's group has %d nodes, rounds %+v", seed, own, tr.Rounds)
		}
		checkFaults(t, cfg, tr)
	}
}

// checkFaults holds every message of a trial with faults to the replay's
// outages and partitions: only up nodes send, a failed message went to a
// down node or across the cut, and the row's Cut counts the latter.
func checkFaults(t *testing.T, cfg engine.Config, tr *engine.Trace) {
	t.Helper()
	rep := tr.Replay
	for _, p := range rep.Partitions {
		if len(p.Group) != cfg.Nodes {
			t.Fatalf("%+v: a partition's table names %d nodes of %d", cfg, len(p.Group), cfg.Nodes)
		}
	}
	for r, row := range tr.Rounds {
		if row.Down != cfg.Nodes-row.Alive || row.Cut > row.Failed || row.Sent != row.Delivered+row.Lost+row.Failed {
			t.Fatalf("%+v: round %+v: down is not nodes-alive, cut exceeds failed, or the messages do not add up", cfg, row)
		}
		cut := 0
		for _, e := range rep.Edges[r] {
			if !upAt(rep, int(e.From), r) {
				t.Fatalf("%+v: round %d: node %d is down but sent %+v", cfg, r, e.From, e)
			}
			across := cutAt(rep, int(e.From), int(e.To), r)
			if across && e.Outcome != engine.Lost {
				cut++
			}
			if e.Outcome == engine.Failed && !across && upAt(rep, int(e.To), r) {
				t.Fatalf("%+v: round %d: %+v failed, but node %d is up and no partition stands between them", cfg, r, e, e.To)
			}
			if (e.Outcome == engine.Useful || e.Outcome == engine.Redundant) && (across || !upAt(rep, int(e.To), r)) {
				t.Fatalf("%+v: round %d: %+v was delivered across the cut or to a node that is down", cfg, r, e)
			}
		}
		if cut != row.Cut {
			t.Fatalf("%+v: round %d: %d messages across the cut in the replay, the row says %d", cfg, r, cut, row.Cut)
		}
	}
}

// upAt is whether node v is up in round r by the replay's outages.
func upAt(rep *engine.Replay, v, r int) bool {
	for _, o := range rep.Outages {
		if int(o.Node) == v && int(o.Down) <= r && (o.Up < 0 || r < int(o.Up)) {
			return false
		}
	}
	return true
}

// cutAt is whether a partition standing in round r drops messages from u
// to v.
func cutAt(rep *engine.Replay, u, v, r int) bool {
	for _, p := range rep.Partitions {
		if int(p.Round) <= r && (p.Heal == 0 || r < int(p.Heal)) && p.Drops(u, v) {
			return true
		}
	}
	return false
}
