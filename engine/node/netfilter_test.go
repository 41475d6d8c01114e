package node

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
)

// A partition is the network's: an exchange across it fails as a
// connection error at the sender, over a pool that holds a warm connection
// to the peer from before the split, and never reaches the peer, whose
// control endpoints still answer the harness. One-way, a request from the
// far side arrives and is taken, and only its answer is dropped. Healing
// lets everything through again.
func TestPartitionDropsExchangesAtTheNetwork(t *testing.T) {
	checkLeaks(t)
	shared := NewSharedTransport(2)
	t.Cleanup(shared.CloseIdleConnections)
	nodes := startNodes(t, 3, Options{Transport: shared})
	wire(t, nodes, "pushpull", 1, 1)
	c := newClient(t)
	if _, err := nodes[0].Inject("a"); err != nil {
		t.Fatal(err)
	}
	push := func(from, to int, data string) (*GossipResponse, error) {
		req := &GossipRequest{From: from, Kind: KindPush, Messages: []Message{{ID: MessageID(data), Data: data}}}
		return nodes[from].tr.Exchange(context.Background(), to, req)
	}
	split := func(p Partition) {
		t.Helper()
		for _, n := range nodes {
			if r := c.do(http.MethodPut, n.URL()+PathPartition, p); r.code != http.StatusOK {
				t.Fatalf("PUT %s: %d %s", PathPartition, r.code, r.body)
			}
		}
	}
	if _, err := push(0, 1, "before"); err != nil { // a warm connection to node 1 in the pool
		t.Fatal(err)
	}
	split(Partition{Group: []int8{0, 1, 0}})
	_, err := push(0, 1, "across")
	var op *net.OpError
	if !errors.As(err, &op) || !errors.Is(err, errPartitioned) {
		t.Fatalf("a push across the partition: %v, want a connection error of the partition", err)
	}
	if _, err := push(2, 0, "within"); err != nil {
		t.Fatalf("a push within a group: %v", err)
	}
	if _, ok := knows(c.state(nodes[1]), "across"); ok {
		t.Fatal("the push across the partition reached node 1")
	}
	if _, ok := knows(c.state(nodes[0]), "within"); !ok {
		t.Fatal("the push within a group did not reach node 0")
	}

	split(Partition{Group: []int8{0, 1, 1}, Oneway: true})
	if _, err := push(0, 2, "down the cut"); !errors.Is(err, errPartitioned) {
		t.Fatalf("a push from group 0 to group 1, one-way: %v", err)
	}
	if _, err := push(1, 0, "up the cut"); err != nil {
		t.Fatalf("a push from group 1 to group 0, one-way: %v", err)
	}
	req := &GossipRequest{From: 2, Kind: KindRequest, Messages: []Message{{ID: MessageID("asked"), Data: "asked"}}}
	resp, err := nodes[2].tr.Exchange(context.Background(), 0, req)
	if !errors.Is(err, ErrAnswerCut) || resp == nil || resp.New != 1 || len(resp.Messages) != 0 {
		t.Fatalf("a request from group 1 to group 0, one-way: %+v, %v; want it taken (new 1) and its answer dropped", resp, err)
	}
	if _, ok := knows(c.state(nodes[0]), "asked"); !ok {
		t.Fatal("the request did not reach node 0")
	}

	split(Partition{})
	if _, err := push(0, 1, "healed"); err != nil {
		t.Fatalf("after the heal: %v", err)
	}
	// The answer the network dropped had something to carry.
	if resp, err := nodes[2].tr.Exchange(context.Background(), 0, req); err != nil || len(resp.Messages) == 0 {
		t.Fatalf("the same request after the heal: %+v, %v; want an answer with node 0's messages", resp, err)
	}
	if r := c.do(http.MethodPut, nodes[0].URL()+PathPartition, Partition{Group: []int8{0, -1}}); r.code != http.StatusBadRequest {
		t.Fatalf("a negative group: %d %s", r.code, r.body)
	}
}
