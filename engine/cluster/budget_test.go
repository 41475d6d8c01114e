package cluster

import (
	"context"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// Trials run in parallel each take a cluster; the engine keeps the nodes
// alive at once within MaxNodes (two clusters of 2,000 ran a process out
// of file descriptors): a trial that would pass it waits for a cluster to
// come back, and an idle cluster of another size is stopped to make room.
func TestEngineBoundsLiveNodes(t *testing.T) {
	checkNoLeaks(t)
	waiting := make(chan struct{}, 1)
	e := &Engine{MaxNodes: 30, waited: func() {
		select {
		case waiting <- struct{}{}:
		default: // told once is enough
		}
	}}
	defer e.Close()
	ctx := context.Background()
	cfg := engine.Config{Nodes: 20, Mode: engine.Push, Fanout: 1, MaxRounds: 5, Source: -1}
	first, err := e.take(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	second := make(chan *Cluster, 1)
	go func() {
		c, err := e.take(ctx, cfg)
		if err != nil {
			t.Error(err)
		}
		second <- c
	}()
	select {
	case <-waiting: // the second trial is blocked inside take
	case c := <-second:
		e.put(c)
		t.Fatalf("a second cluster of 20 came up beside the first, past MaxNodes 30")
	}
	if e.state() != [2]int{20, 1} {
		t.Fatalf("a second cluster of 20 came up beside the first (live, waiting = %v), past MaxNodes 30", e.state())
	}
	e.put(first)
	e.put(<-second) // the first, reused
	if got := e.state(); got != [2]int{20, 0} {
		t.Fatalf("live, waiting = %v after the second trial reused the first cluster; want [20 0]", got)
	}
	bigger := cfg
	bigger.Nodes = 25
	c, err := e.take(ctx, bigger)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.state(); got != [2]int{25, 0} {
		t.Errorf("live, waiting = %v; want the idle cluster of 20 stopped for the 25", got)
	}
	e.put(c)
}

func (e *Engine) state() [2]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return [2]int{e.live, e.waiting}
}
