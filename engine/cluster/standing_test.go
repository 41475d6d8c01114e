package cluster

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// A standing cluster: a node crashed, its port taken meanwhile, comes
// back on another port knowing nothing, every node is told its new
// address, and a message then reaches it; a reset makes every node forget.
func TestStandingRestartOnANewPort(t *testing.T) {
	checkNoLeaks(t)
	ctx := t.Context()
	cfg := engine.Config{Nodes: 4, Mode: engine.Push, Fanout: 3, MaxRounds: 1, Seed: 1, Source: -1,
		Net: engine.NetOptions{Free: true, Interval: 10 * time.Millisecond}}
	c, err := Start(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartFree(ctx); err != nil {
		t.Fatal(err)
	}
	old := c.URLs()[2]
	if err := c.CrashNode(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if c.Alive(2) || c.CrashNode(ctx, 2) == nil {
		t.Fatal("node 2 alive after its crash, or crashed twice")
	}
	ln, err := net.Listen("tcp", strings.TrimPrefix(old, "http://"))
	if err != nil {
		t.Fatalf("taking the crashed node's port: %v", err)
	}
	defer ln.Close()
	if err := c.RestartNode(ctx, 2, true); err != nil {
		t.Fatal(err)
	}
	if c.URLs()[2] == old || !c.Alive(2) {
		t.Fatalf("node 2 back at %s (was %s), alive %v: want a new port", c.URLs()[2], old, c.Alive(2))
	}
	if err := c.Call(ctx, http.MethodPost, 0, node.PathData, node.DataRequest{Data: "to all"}, nil); err != nil {
		t.Fatal(err)
	}
	waitKnown(t, c, 2, 1)
	if err := c.ResetNodes(ctx, true); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		var st node.State
		if err := c.Call(ctx, http.MethodGet, i, node.PathState, nil, &st); err != nil || st.Count != 0 {
			t.Errorf("node %d after the reset: %d messages (%v)", i, st.Count, err)
		}
	}
	if err := c.Reconfigure(ctx, engine.Config{Nodes: 4, Fanout: 4, MaxRounds: 1, Source: -1}, true); err == nil {
		t.Error("fanout 4 of 4 nodes accepted")
	}
}

// waitKnown returns once node i knows want messages; the deadline only
// bounds a broken test.
func waitKnown(t *testing.T, c *Cluster, i, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for {
		var st node.State
		if err := c.Call(ctx, http.MethodGet, i, node.PathState, nil, &st); err == nil && st.Count == want {
			return
		} else if ctx.Err() != nil {
			t.Fatalf("node %d knows %d messages, want %d", i, st.Count, want)
		}
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Millisecond):
		}
	}
}
