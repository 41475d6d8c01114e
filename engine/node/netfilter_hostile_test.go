package node

import (
	"net/http"
	"testing"
)

// A partition's table names every node's group: one shorter or longer than
// the node's peers would leave some pairs silently uncut (or cut nodes
// that do not exist), and a group past an int8 is no group. Each is
// refused, and the partition in force stays.
func TestPartitionTableMustFitTheNodes(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 3, Options{})
	wire(t, nodes, "push", 1, 1)
	c := newClient(t)
	url := nodes[0].URL() + PathPartition
	if r := c.do(http.MethodPut, url, Partition{Group: []int8{0, 1, 1}}); r.code != http.StatusOK {
		t.Fatalf("a table of 3 for 3 nodes: %d %s", r.code, r.body)
	}
	for _, body := range []any{Partition{Group: []int8{0, 1}}, Partition{Group: []int8{0, 1, 1, 0}}, `{"group":[0,200,0]}`} {
		if r := c.do(http.MethodPut, url, body); r.code != http.StatusBadRequest {
			t.Fatalf("PUT %v: %d %s, want 400", body, r.code, r.body)
		}
	}
	if p := nodes[0].http.cut.Load(); p == nil || len(p.Group) != 3 || !p.Drops(0, 1) {
		t.Fatalf("after refused tables the partition in force is %+v, want the table of 3", p)
	}
}
