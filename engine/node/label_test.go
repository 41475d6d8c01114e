package node

import (
	"strings"
	"testing"
)

// Every series /metrics serves is labelled with the node's ID as
// configured: node 0 configured as node 1 (as `gossipbench node` started
// without --id and wired by hand) reports node="1", nowhere node="0".
func TestMetricsLabelIsTheConfiguredID(t *testing.T) {
	checkLeaks(t)
	nodes := startNodes(t, 2, Options{})
	// nodes[0] was started as node 0; the cluster's config makes it node 1.
	if err := nodes[0].Configure(Config{ID: 1, Peers: []string{nodes[1].URL(), nodes[0].URL()}, Mode: "push", Fanout: 1}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t)
	ms := c.scrape(nodes[0])
	if len(ms) == 0 {
		t.Fatal("no series")
	}
	for key := range ms {
		if !strings.Contains(key, `node="1"`) {
			t.Errorf("series %s is not labelled node=\"1\"", key)
		}
	}
	if got := ms.get(t, MetricRounds); got != 0 {
		t.Errorf("%s = %v before any round", MetricRounds, got)
	}
}
