package live

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/cluster"
	"github.com/gossipbench/gossipbench/engine/node"
)

// How often the follower reads the nodes: their logs every tick, every
// node's state every stateEvery ticks (besides the nodes a log shows
// learning), their counters every countersEvery ticks; readWorkers at a
// time, as many as the cluster's own control calls. A tick that takes
// longer than tick (1000 nodes on 2 cores: up to a second) delays the
// next: the page lags, its curves do not (they are the nodes' own times).
const (
	tick          = 100 * time.Millisecond
	stateEvery    = 20
	countersEvery = 10
	readWorkers   = 64
)

// follower is the follower's own memory: per node, the last log event
// read. It is touched under clMu only.
type follower struct {
	after []uint64
}

// follow reads the nodes until ctx ends: the messages they log become
// gossip events, what they learned becomes message events.
func (s *Server) follow(ctx context.Context) {
	defer close(s.followed)
	f := s.f
	t := time.NewTicker(tick)
	defer t.Stop()
	for k := 0; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.clMu.Lock()
		err := s.followOnce(ctx, f, k)
		s.clMu.Unlock()
		if err != nil && ctx.Err() == nil && s.opts.Errors != nil {
			// A node can be slow to answer on a busy machine; the next
			// tick reads on from where this one stopped.
			fmt.Fprintf(s.opts.Errors, "gossipbench live: reading the nodes: %v\n", err)
		}
	}
}

// restarted tells the follower that node i is a new node: its log starts
// again (a new process numbers from 1; a reset in-process node goes on).
func (f *follower) restarted(i int, logged uint64) { f.after[i] = logged }

func (s *Server) followOnce(ctx context.Context, f *follower, k int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	alive := s.aliveNodes()
	learn := make([]bool, s.opts.Nodes)
	if k%stateEvery == 0 {
		for _, i := range alive {
			learn[i] = true
		}
	}
	var mu sync.Mutex
	var events []gossipEvent
	dropped := 0
	err := parallel(alive, func(i int) error {
		evs, gap, err := s.readLog(ctx, i, f.after[i])
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		dropped += gap
		for _, e := range evs {
			f.after[i] = e.Seq
			if e.Kind == "injected" {
				learn[i] = true
			}
			o, ok := e.Outcome.Engine()
			if !ok || e.Peer < 0 || e.Peer >= s.opts.Nodes {
				continue
			}
			g := gossipEvent{At: e.At, From: i, To: e.Peer, Kind: e.What, Outcome: engine.OutcomeNames[o]}
			if e.What == node.LabelAnswer {
				g.From, g.To = e.Peer, i
			}
			if g.Outcome == "useful" {
				learn[g.To] = true
			}
			events = append(events, g)
		}
		return nil
	})
	s.mu.Lock()
	for _, g := range events {
		s.v.sent(g.At)
	}
	s.mu.Unlock()
	for _, g := range events {
		s.hub.publish(evGossip, g)
	}
	if dropped > 0 {
		s.mu.Lock()
		s.v.dropped += dropped
		s.mu.Unlock()
		s.hub.publish(evDropped, map[string]int{"count": dropped})
	}
	var sample []int
	for _, i := range alive {
		if learn[i] {
			sample = append(sample, i)
		}
	}
	if err2 := s.sample(ctx, sample); err == nil {
		err = err2
	}
	if k%countersEvery == 0 {
		if err2 := s.readCounters(ctx, alive); err == nil {
			err = err2
		}
	}
	return err
}

// readLog reads node i's events after seq, page by page, and says how
// many its ring dropped before they were read.
func (s *Server) readLog(ctx context.Context, i int, after uint64) ([]node.Event, int, error) {
	const limit = node.DefaultLogSize
	var out []node.Event
	gap := 0
	for {
		var page []node.Event
		path := fmt.Sprintf("%s?after=%d&limit=%d", node.PathLog, after, limit)
		if err := s.c.Call(ctx, http.MethodGet, i, path, nil, &page); err != nil {
			return out, gap, err
		}
		for _, e := range page {
			if e.Seq <= after {
				return out, gap, fmt.Errorf("node %d log: event %d after %d", i, e.Seq, after)
			}
			gap += int(e.Seq - after - 1) // events, not all of them messages

			after = e.Seq
			out = append(out, e)
		}
		if len(page) < limit {
			return out, gap, nil
		}
	}
}

// sample reads the listed nodes' states and records what they learned.
func (s *Server) sample(ctx context.Context, ids []int) error {
	return parallel(ids, func(i int) error {
		type learnt struct {
			id string
			at time.Time
		}
		var learned []learnt
		after := ""
		for {
			var st node.State
			path := node.PathState + "?limit=" + fmt.Sprint(node.MaxStatePage)
			if after != "" {
				path += "&after=" + url.QueryEscape(after)
			}
			if err := s.c.Call(ctx, http.MethodGet, i, path, nil, &st); err != nil {
				return err
			}
			for _, m := range st.Messages {
				learned = append(learned, learnt{m.ID, m.At})
			}
			if st.Next == "" {
				break
			}
			after = st.Next
		}
		// Published in the order the view counts them, under its lock:
		// nodes are followed in parallel, and one published after the
		// lock would let another node's later news (its message now
		// fully spread) reach the page before it. publish never blocks.
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, l := range learned {
			if m := s.v.learned(i, l.id, l.at); m != nil {
				s.hub.publish(evLearned, learnedOf(m, i, l.at))
			}
		}
		return nil
	})
}

// readCounters reads the listed nodes' /metrics and publishes the sums.
func (s *Server) readCounters(ctx context.Context, ids []int) error {
	per := make([]cluster.Counters, s.opts.Nodes)
	err := parallel(ids, func(i int) error {
		c, err := s.c.Counters(ctx, i)
		per[i] = c
		return err
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	for _, i := range ids {
		s.v.counted(i, per[i])
	}
	body := s.v.countersBody()
	s.mu.Unlock()
	s.hub.publish(evCounters, body)
	return nil
}

// aliveNodes lists the nodes up now; call with clMu held.
func (s *Server) aliveNodes() []int {
	var out []int
	for i := 0; i < s.opts.Nodes; i++ {
		if s.c.Alive(i) {
			out = append(out, i)
		}
	}
	return out
}

// parallel runs f for every id, readWorkers at a time, and returns the
// first error (after all have run).
func parallel(ids []int, f func(i int) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	sem := make(chan struct{}, readWorkers)
	for _, i := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}
