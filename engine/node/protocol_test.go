package node

import (
	"math"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// A node contacts the peers the protocol core draws for it, in slot order,
// and loses the requests and answers the core says are lost (the answer's
// loss drawn by the asker): what the simulator does for the same node,
// round and seed.
func TestRoundFollowsTheProtocol(t *testing.T) {
	checkLeaks(t)
	const k, fanout, seed, loss = 6, 2, 9, 0.5
	nodes := startNodes(t, k, Options{})
	for i, n := range nodes {
		if err := n.Configure(Config{ID: i, Peers: urls(nodes), Mode: "pull", Fanout: fanout, Loss: loss, Seed: seed, RecordEdges: true}); err != nil {
			t.Fatal(err)
		}
	}
	rules := protocol.New(engine.Config{Nodes: k, Mode: engine.Pull, Fanout: fanout, Loss: loss, Seed: seed}, nil)
	sampler := rules.Graph.Sampler()
	const self = 3
	lostRequests, lostAnswers := 0, 0
	for r := 1; r <= 12; r++ {
		var want [][4]int32
		for slot, p := range sampler.Peers(rules.PeerDraws(r), self, fanout) {
			if rules.Lost(r, self, slot) {
				want = append(want, ed(self, p, engine.KindRequest, engine.Lost))
				lostRequests++
				continue
			}
			want = append(want, ed(self, p, engine.KindRequest, engine.Redundant))
			if rules.AnswerLost(r, self, slot) {
				want = append(want, ed(p, self, engine.KindAnswer, engine.Lost))
				lostAnswers++
			} else {
				want = append(want, ed(p, self, engine.KindAnswer, engine.Redundant)) // nobody knows anything
			}
		}
		rep := nodes[self].RunRound(t.Context(), r)
		if len(rep.Edges) != len(want) {
			t.Fatalf("round %d: edges %v, want %v", r, rep.Edges, want)
		}
		for i := range want {
			if rep.Edges[i] != want[i] {
				t.Fatalf("round %d: edges %v, want %v", r, rep.Edges, want)
			}
		}
	}
	if lostRequests == 0 || lostAnswers == 0 {
		t.Fatalf("%d requests and %d answers lost: the test needs both", lostRequests, lostAnswers)
	}
}

// A free-running node's waits are drawn from the protocol's timer stream:
// the same for the same seed, tick and node, different for another, within
// ±jitter of the interval and centred on it.
func TestFreeWaitsAreDrawn(t *testing.T) {
	const interval, jitter = 100 * time.Millisecond, 0.1
	seed := protocol.Seed(5)
	var sum float64
	const ticks = 4000
	for tick := 1; tick <= ticks; tick++ {
		w := freeWait(seed, tick, 7, interval, jitter)
		if w != freeWait(seed, tick, 7, interval, jitter) {
			t.Fatal("the same draw gave two waits")
		}
		if w < 90*time.Millisecond || w > 110*time.Millisecond {
			t.Fatalf("tick %d: wait %v outside 100ms ± 10%%", tick, w)
		}
		sum += float64(w)
	}
	if freeWait(seed, 1, 7, interval, jitter) == freeWait(seed, 1, 8, interval, jitter) &&
		freeWait(seed, 2, 7, interval, jitter) == freeWait(seed, 2, 8, interval, jitter) {
		t.Error("two nodes wait alike")
	}
	// The mean of uniform waits on [90, 110] ms: sd 5.77 ms / sqrt(ticks).
	if mean, sd := sum/ticks, float64(interval)*jitter/math.Sqrt(3)/math.Sqrt(ticks); math.Abs(mean-float64(interval)) > 6*sd {
		t.Errorf("mean wait %v, want 100ms", time.Duration(mean))
	}
}
