package enginetest

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// mr is an expected row of a mongering trial: rs and the split of the
// informed pairs into infective and removed, over rumors injected.
func mr(row engine.RoundStats, infective, removed, rumors int) engine.RoundStats {
	row.Infective, row.Removed, row.Rumors = infective, removed, rumors
	return row
}

// Stop rules, many rumors, budgets and anti-entropy on cases small
// enough to count by hand (docs/design.md, "Stop rules"): two nodes, or a
// path whose ends have one neighbour each, so that every choice is forced.
func (s suite) mongeringByHand(t *testing.T) {
	two := func(mode engine.Mode, stop engine.Stop) engine.Config {
		return engine.Config{Nodes: 2, Mode: mode, Fanout: 1, MaxRounds: 20, Source: 0, Stop: stop}
	}
	r0 := mr(rs(0, 1, 1, 2, 0, 0, 0, 0, 0, 0), 1, 0, 1)
	learns := rs(1, 2, 1, 2, 1, 1, 0, 0, 1, 0) // round 1 of push on two nodes: 0 tells 1
	manyRumors := two(engine.Push, engine.Stop{})
	manyRumors.Rumors = engine.Rumors{Count: 2, Every: 1}
	budget := manyRumors
	budget.Packet.MaxRumors = 1
	ae := two(engine.Push, engine.Stop{Rule: engine.StopCounter, K: 1})
	ae.AntiEntropy.Every = 1
	path := engine.Config{Nodes: 3, Topology: edgeList([2]int32{0, 1}, [2]int32{1, 2}), Mode: engine.Push,
		Fanout: 2, MaxRounds: 20, Source: 1, Stop: engine.Stop{Rule: engine.StopTransmits, Mult: 1}}
	// Pull on the path 0-1-2 with fanout 2: every node asks all its
	// neighbours, so the centre's contacts come from 0 then 2, in that
	// order, every round: 2's first request (it did not know) breaks the
	// centre's run of counted contacts, which reset starts again from.
	pullPath := func(reset bool) engine.Config {
		return engine.Config{Nodes: 3, Topology: edgeList([2]int32{0, 1}, [2]int32{1, 2}), Mode: engine.Pull,
			Fanout: 2, MaxRounds: 20, Source: 0, Stop: engine.Stop{Rule: engine.StopCounter, K: 3, Feedback: true, Reset: reset}}
	}
	pathRows := func(inf3, rem3 int) []engine.RoundStats {
		quiet := func(r, inf, rem int) engine.RoundStats { return mr(rs(r, 3, 0, 3, 8, 8, 0, 0, 0, 8), inf, rem, 1) }
		return []engine.RoundStats{mr(rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), 1, 0, 1), mr(rs(1, 2, 1, 3, 8, 8, 0, 0, 1, 7), 2, 0, 1),
			mr(rs(2, 3, 1, 3, 8, 8, 0, 0, 1, 7), 3, 0, 1), quiet(3, inf3, rem3), quiet(4, 1, 2), quiet(5, 0, 3)}
	}
	cases := []struct {
		name string
		cfg  engine.Config
		want []engine.RoundStats
	}{
		{"blind counter k=2: every push counts, each node stops after its second",
			two(engine.Push, engine.Stop{Rule: engine.StopCounter, K: 2}),
			[]engine.RoundStats{r0, mr(learns, 2, 0, 1), mr(rs(2, 2, 0, 2, 2, 2, 0, 0, 0, 2), 1, 1, 1),
				mr(rs(3, 2, 0, 2, 1, 1, 0, 0, 0, 1), 0, 2, 1)}},
		{"feedback counter k=1: the push that informed does not count, the next ones do",
			two(engine.Push, engine.Stop{Rule: engine.StopCounter, K: 1, Feedback: true}),
			[]engine.RoundStats{r0, mr(learns, 2, 0, 1), mr(rs(2, 2, 0, 2, 2, 2, 0, 0, 0, 2), 0, 2, 1)}},
		{"blind coin k=1: a coin of probability 1 removes at the first push",
			two(engine.Push, engine.Stop{Rule: engine.StopCoin, K: 1}),
			[]engine.RoundStats{r0, mr(learns, 1, 1, 1), mr(rs(2, 2, 0, 2, 1, 1, 0, 0, 0, 1), 0, 2, 1)}},
		{"feedback coin k=1 in pull: a request counts at the answerer when the asker already knew",
			two(engine.Pull, engine.Stop{Rule: engine.StopCoin, K: 1, Feedback: true}),
			[]engine.RoundStats{r0, mr(rs(1, 2, 1, 2, 4, 4, 0, 0, 1, 3), 2, 0, 1),
				mr(rs(2, 2, 0, 2, 4, 4, 0, 0, 0, 4), 0, 2, 1)}},
		{"transmits mult 1 on the path 0-1-2 from the centre: L=1, so one leaf of two is told, once",
			path,
			[]engine.RoundStats{mr(rs(0, 1, 1, 3, 0, 0, 0, 0, 0, 0), 1, 0, 1), mr(rs(1, 2, 1, 3, 1, 1, 0, 0, 1, 0), 1, 1, 1),
				mr(rs(2, 2, 0, 3, 1, 1, 0, 0, 0, 1), 0, 2, 1)}},
		{"feedback counter k=3 in pull on a path, cumulative: the centre's third counted request removes it in round 3",
			pullPath(false), pathRows(2, 1)},
		{"the same with reset: 2's uncounted request in round 2 restarted the centre's count, so it lasts a round longer",
			pullPath(true), pathRows(3, 0)},
		{"transmits mult 1 in pull: an answer is a transmission even to an asker that knew, so pull goes quiet",
			two(engine.Pull, engine.Stop{Rule: engine.StopTransmits, Mult: 1}),
			[]engine.RoundStats{r0, mr(rs(1, 2, 1, 2, 4, 4, 0, 0, 1, 3), 1, 1, 1), mr(rs(2, 2, 0, 2, 4, 4, 0, 0, 0, 4), 0, 2, 1)}},
		{"two rumors a round apart, no stop: counts are of node-rumor pairs; rumor 1, injected in round 1, moves in round 2",
			manyRumors,
			[]engine.RoundStats{r0, mr(rs(1, 3, 2, 2, 1, 1, 0, 0, 1, 0), 3, 0, 2), mr(rs(2, 4, 1, 2, 2, 2, 0, 0, 1, 1), 4, 0, 2)}},
		{"a budget of one rumor a message: the newest of two untransmitted goes first",
			budget,
			[]engine.RoundStats{r0, mr(rs(1, 3, 2, 2, 1, 1, 0, 0, 1, 0), 3, 0, 2), mr(rs(2, 4, 1, 2, 2, 2, 0, 0, 1, 1), 4, 0, 2)}},
		{"anti-entropy every round beside a blind counter k=1: a request and an answer per node, never a contact",
			ae,
			[]engine.RoundStats{r0, mr(rs(1, 2, 1, 2, 5, 5, 0, 0, 1, 4), 1, 1, 1), mr(rs(2, 2, 0, 2, 5, 5, 0, 0, 0, 5), 0, 2, 1)}},
	}
	for _, c := range cases {
		s.byHand(t, c.name, c.cfg, c.want, s.pick(10, 3), nil)
	}
}
