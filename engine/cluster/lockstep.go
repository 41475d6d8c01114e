package cluster

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// runLockstep clocks the rounds: every alive node runs round r, the harness
// waits for all of them, judges their reports and only then starts r+1.
// Nodes act on what they knew before r, so running them concurrently keeps
// the synchronous semantics exactly, and every decision is the protocol
// core's: the rows are the simulator's for the same config and seed.
func (c *Cluster) runLockstep(ctx context.Context, obs engine.Observer) error {
	for r := 1; r <= c.cfg.MaxRounds; r++ {
		failed, err := c.failAt(ctx, r)
		if err != nil {
			return err
		}
		actors := c.actors()
		reports := make([]node.RoundReport, len(c.urls))
		err = c.each(ctx, actors, func(i int) error {
			return c.call(ctx, http.MethodPost, i, node.PathRound, node.RoundRequest{Round: r}, &reports[i])
		})
		if err != nil {
			return fmt.Errorf("http engine: round %d: %w", r, err)
		}
		out, err := c.judge(r, actors, reports)
		if err != nil {
			return fmt.Errorf("http engine: round %d: %w", r, err)
		}
		if c.cfg.Replay {
			out.Failed = failed
		}
		obs.Round(out)
		if c.rules.Done(out.RoundStats) {
			return nil
		}
	}
	return nil
}

// actors are the nodes that act in a round, in ascending order: every alive
// node, but in push mode only the informed ones (the others have nothing to
// send, and sparing them the control call halves the harness's traffic
// early on).
func (c *Cluster) actors() []int {
	var out []int
	for i, up := range c.alive {
		if up && c.rules.Acts(c.informed[i]) {
			out = append(out, i)
		}
	}
	return out
}
