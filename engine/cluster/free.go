package cluster

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// DefaultInterval is the free-running gossip interval when none is set.
const DefaultInterval = 50 * time.Millisecond

// freeJitter spreads the nodes' timers, as deployments do, so they do not
// fire in step.
const freeJitter = 0.1

// runFree lets every node gossip on its own timer. Every interval the
// harness reads each node's /metrics for the message counts, then samples
// its /state for who knows the rumor; a round in the trace is one
// interval, and holds what that interval's reads are the first to see.
func (c *Cluster) runFree(ctx context.Context, obs engine.Observer) error {
	interval := c.cfg.Net.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	prevPer, prev, err := c.perNode(ctx)
	if err != nil {
		return fmt.Errorf("http engine: %w", err)
	}
	c.flog = nil
	if c.cfg.Replay {
		c.flog = newFreeLog(prevPer)
	}
	err = c.each(ctx, c.aliveNodes(), func(i int) error {
		return c.call(ctx, http.MethodPost, i, node.PathStart, node.StartRequest{Interval: node.Duration(interval), Jitter: freeJitter}, nil)
	})
	stopped := false
	defer func() {
		if stopped {
			return
		}
		// Stop whoever is still up, even when ctx is done.
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.stopFree(stopCtx, c.aliveNodes())
	}()
	if err != nil {
		return fmt.Errorf("http engine: starting free-running nodes: %w", err)
	}
	t0 := time.Now()
	for r := 1; r <= c.cfg.MaxRounds; r++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(t0.Add(time.Duration(r) * interval))):
		}
		failed, err := c.failAt(ctx, r)
		if err != nil {
			return err
		}
		// Counters first, then who knows: a message counted now informed
		// its receiver before, so the sample sees it (the replay never
		// draws a useful message to a node it shows uninformed).
		per, tot, err := c.perNode(ctx)
		if err != nil {
			return fmt.Errorf("http engine: interval %d: %w", r, err)
		}
		out, err := c.sample(ctx, r)
		if err != nil {
			return fmt.Errorf("http engine: sampling interval %d: %w", r, err)
		}
		if c.cfg.Replay {
			out.Failed = failed
		}
		// Counted again on what this sample knows: the informed nodes
		// failAt counted from were those of the last sample, and an
		// informed node not yet seen there could be cut off from them
		// by this round's failures (lockstep knows who is informed, and
		// counts at the failures alone).
		c.reach()
		st := &out.RoundStats
		last := c.rules.Done(*st)
		if last {
			// Quiet first, then count again: the last counts hold every
			// message of the trial, and none is left half done.
			stopped = true
			if err := c.stopFree(ctx, c.aliveNodes()); err != nil {
				return fmt.Errorf("http engine: stopping free-running nodes: %w", err)
			}
			if per, tot, err = c.perNode(ctx); err != nil {
				return fmt.Errorf("http engine: interval %d: %w", r, err)
			}
			// And who knows, again: the messages just counted may have
			// informed nodes since the sample.
			more, err := c.sample(ctx, r)
			if err != nil {
				return fmt.Errorf("http engine: sampling interval %d: %w", r, err)
			}
			st.New += more.New
			st.Alive, st.Informed = more.Alive, more.RoundStats.Informed
			out.Informed = append(out.Informed, more.Informed...)
		}
		d := tot.Sub(prev)
		prev = tot
		st.Sent, st.Delivered, st.Lost, st.Failed = int(d.Sent), int(d.Delivered), int(d.Lost), int(d.Failed)
		st.Useful, st.Redundant, st.Bytes = int(d.Useful), int(d.Redundant), int64(d.Bytes)
		if c.flog != nil {
			// After the counters: every message they count is logged by now.
			err := c.each(ctx, c.aliveNodes(), func(i int) error { return c.flog.read(ctx, c, i, per[i].Logged) })
			if err == nil {
				out.Edges, out.Unrecorded, err = c.flog.take(per, prevPer)
			}
			if err != nil {
				return fmt.Errorf("http engine: interval %d: reading the messages: %w", r, err)
			}
		}
		prevPer = per
		obs.Round(out)
		if last {
			return nil
		}
	}
	return nil
}

// stopFree ends free running on the listed nodes; each returns once its
// current round is over.
func (c *Cluster) stopFree(ctx context.Context, ids []int) error {
	return c.each(ctx, ids, func(i int) error {
		return c.call(ctx, http.MethodPost, i, node.PathStop, nil, nil)
	})
}

// sample reads every alive node's /state and marks who newly knows the rumor.
func (c *Cluster) sample(ctx context.Context, r int) (engine.Round, error) {
	out := engine.Round{RoundStats: engine.RoundStats{Round: r}}
	st := &out.RoundStats
	var mu sync.Mutex
	err := c.each(ctx, c.aliveNodes(), func(i int) error {
		var s node.State
		if err := c.call(ctx, http.MethodGet, i, node.PathState, nil, &s); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if s.Count > 0 && !c.informed[i] {
			c.informed[i] = true
			st.New++
			if c.cfg.Replay {
				out.Informed = append(out.Informed, int32(i))
			}
		}
		return nil
	})
	st.Alive, st.Informed = c.counts()
	return out, err
}
