package cluster

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// runLockstep clocks the rounds: every alive node runs round r, the harness
// waits for all of them, adds up their reports and only then starts r+1.
// Nodes act on what they knew before r, so running them concurrently keeps
// the synchronous semantics exactly.
func (c *Cluster) runLockstep(ctx context.Context, tr *engine.Trace) error {
	for r := 1; r <= c.cfg.MaxRounds; r++ {
		if err := c.failAt(ctx, r, tr); err != nil {
			return err
		}
		st := engine.RoundStats{Round: r}
		var edges []engine.Edge
		var mu sync.Mutex
		err := c.each(ctx, c.actors(), func(i int) error {
			var rep node.RoundReport
			if err := c.call(ctx, http.MethodPost, i, node.PathRound, node.RoundRequest{Round: r}, &rep); err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			st.AddMessages(engine.RoundStats{Sent: rep.Sent, Delivered: rep.Delivered, Lost: rep.Lost,
				Failed: rep.Failed, Useful: rep.Useful, Redundant: rep.Redundant, Bytes: rep.Bytes})
			for _, e := range rep.Edges {
				edges = append(edges, engine.Edge{From: e[0], To: e[1], Kind: engine.MessageKind(e[2]), Outcome: engine.Outcome(e[3])})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("http engine: round %d: %w", r, err)
		}
		for _, e := range edges {
			if e.Outcome != engine.Useful {
				continue
			}
			if c.informed[e.To] {
				return fmt.Errorf("http engine: round %d: node %d was informed twice: %w", r, e.To, errInconsistent)
			}
			c.informed[e.To] = true
			st.New++
			if tr.Replay != nil {
				tr.Replay.FirstInformed[e.To] = int32(r)
			}
		}
		st.Alive, st.Informed = c.counts()
		tr.Rounds = append(tr.Rounds, st)
		if tr.Replay != nil {
			tr.Replay.Edges = append(tr.Replay.Edges, edges)
		}
		if st.Informed == st.Alive || st.Informed == 0 {
			return nil
		}
	}
	return nil
}

// actors are the nodes that act in a round: every alive node, but in push
// mode only the informed ones (the others have nothing to send, and
// sparing them the control call halves the harness's traffic early on).
func (c *Cluster) actors() []int {
	up := c.aliveNodes()
	if c.cfg.Mode != engine.Push {
		return up
	}
	var out []int
	for _, i := range up {
		if c.informed[i] {
			out = append(out, i)
		}
	}
	return out
}
