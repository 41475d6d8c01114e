package node

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// A hanging node holds at most maxHung requests (each a goroutine and a
// connection); past that it answers 503 at once, and Heal lets every held
// one go.
func TestHangHoldsBoundedRequests(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	c := newClient(t)
	if err := n.Fail(engine.Hang); err != nil {
		t.Fatal(err)
	}
	body := `{"from":1,"kind":"push"}`
	var wg sync.WaitGroup
	for range maxHung {
		wg.Go(func() { _, _ = c.try(post, n.URL()+PathGossip, body) })
	}
	f := n.fault.Load()
	if !eventually(10*time.Second, func() bool { return len(f.hung) == maxHung }) {
		t.Fatalf("the node holds %d requests, want %d", len(f.hung), maxHung)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, post, n.URL()+PathGossip, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("one request past %d held: %v (held too)", maxHung, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("one request past %d held: %s, want 503", maxHung, resp.Status)
	}
	n.Heal()
	wg.Wait() // every held request returned
}
