package cluster

import (
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// outcomes counts a round's messages by outcome.
func outcomes(edges []engine.Edge) (n [4]int) {
	for _, e := range edges {
		n[e.Outcome]++
	}
	return n
}

// A free-running replay holds every message the trial counted, each in the
// round whose counts hold it: per round, its messages by outcome are the
// round's useful, redundant, lost and failed counts, with crashes and
// hangs, loss and push-pull's answers. A message dropped anywhere between
// a node's log and the replay fails this test.
func TestFreeRunningReplayHasEveryMessage(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 40, Mode: engine.PushPull, Fanout: 2, Loss: 0.2, MaxRounds: 100, Source: 0, Seed: 3, Replay: true,
		Failures: []engine.Failure{{Round: 2, Fraction: 0.1}, {Round: 3, Fraction: 0.05, Kind: engine.Hang}},
		Net:      engine.NetOptions{Free: true, Interval: 20 * time.Millisecond, Timeout: 200 * time.Millisecond}}
	c, tr := startAndRun(t, cfg)
	rep := tr.Replay
	if len(rep.Edges) != len(tr.Rounds) || len(rep.Unrecorded) != len(tr.Rounds) {
		t.Fatalf("%d rounds, %d rounds of edges, %d of unrecorded counts", len(tr.Rounds), len(rep.Edges), len(rep.Unrecorded))
	}
	var all [4]int
	for r, row := range tr.Rounds {
		got := outcomes(rep.Edges[r])
		want := [4]int{row.Useful, row.Redundant, row.Lost, row.Failed}
		if got != want || rep.Unrecorded[r] != 0 {
			t.Errorf("round %d: messages by outcome %v (and %d unrecorded), counts %v", r, got, rep.Unrecorded[r], want)
		}
		for _, e := range rep.Edges[r] {
			sender := e.From
			if e.Kind == engine.KindAnswer {
				sender = e.To // who started the exchange, and counted it
			}
			if at := rep.CrashedAt[sender]; at >= 0 && int(at) < r {
				t.Errorf("round %d: %+v from node %d, failed in round %d", r, e, sender, at)
			}
			if e.Kind == engine.KindPush {
				t.Errorf("round %d: a push in push-pull: %+v", r, e)
			}
			// Counted, then sampled: the node a useful message informed
			// is informed by the end of its round, or failed by then.
			if to := e.To; e.Outcome == engine.Useful && (rep.FirstInformed[to] < 0 || int(rep.FirstInformed[to]) > r) &&
				(rep.CrashedAt[to] < 0 || int(rep.CrashedAt[to]) > r) {
				t.Errorf("round %d: useful %+v to node %d, informed in round %d", r, e, to, rep.FirstInformed[to])
			}
		}
		for o := range all {
			all[o] += got[o]
		}
	}
	// Each outcome at least once, however slow the machine: on a busy one
	// exchanges time out, and the rumor may reach few nodes in 100 rounds.
	if all[engine.Lost] == 0 || all[engine.Failed] == 0 || all[engine.Useful] == 0 || all[engine.Redundant] == 0 {
		t.Fatalf("the test needs useful, lost and failed messages: %v", all)
	}
	nodes, err := c.Totals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sum := all[0] + all[1] + all[2] + all[3]; float64(sum) != nodes.Sent {
		t.Fatalf("the replay holds %d messages, the nodes counted %v", sum, nodes.Sent)
	}
}

// Nodes whose logs drop events (here a ring of 4 events, fewer than one
// tick's messages) leave messages the harness cannot attribute: every
// round still accounts for all its counted messages, drawn or unrecorded.
func TestFreeRunningReplayCountsWhatItMisses(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 12, Mode: engine.PushPull, Fanout: 3, MaxRounds: 100, Source: 0, Seed: 5, Replay: true,
		Net: engine.NetOptions{Free: true, Interval: 20 * time.Millisecond}}
	c, err := start(t.Context(), cfg, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	tr, err := trial(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	missed, drawn := 0, 0
	for r, row := range tr.Rounds {
		n := len(tr.Replay.Edges[r])
		if u := tr.Replay.Unrecorded[r]; u < 0 || n+u != row.Sent {
			t.Errorf("round %d: %d messages drawn and %d unrecorded, %d sent", r, n, u, row.Sent)
		}
		missed += tr.Replay.Unrecorded[r]
		drawn += n
	}
	if missed == 0 || drawn == 0 {
		t.Fatalf("%d messages drawn, %d unrecorded: a ring of 4 holds fewer than a tick's 6 and should drop some", drawn, missed)
	}
}
