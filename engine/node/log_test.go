package node

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// The messages a node counts are in its log, one event each with its
// outcome, and a scrape's MetricLogged says which of them its counters
// hold: a reader of /log?after= can give every counted message to the
// scrape that first counted it, which is how free-running replays get
// their messages (engine/cluster).
func TestLogHoldsTheCountedMessages(t *testing.T) {
	nodes := startNodes(t, 4, Options{})
	c := newClient(t)
	wire(t, nodes, "pushpull", 2, 7)
	c.json(http.MethodPost, nodes[0].URL()+PathData, DataRequest{Data: "m0"}, nil)
	nodes[3].Crash(0) // some messages fail
	logged := func(n *Node) uint64 { return uint64(c.scrape(n).get(t, MetricLogged, "node", fmt.Sprint(n.ID()))) }
	after := logged(nodes[0])
	var reports []RoundReport
	for r := 1; r <= 4; r++ {
		reports = append(reports, nodes[0].RunRound(t.Context(), r))
	}
	upTo := logged(nodes[0])

	var got []Event
	for page := 0; ; page++ {
		var ev []Event
		c.json(http.MethodGet, fmt.Sprintf("%s%s?after=%d&limit=3", nodes[0].URL(), PathLog, after), nil, &ev)
		for _, e := range ev {
			if e.Seq <= after {
				t.Fatalf("page %d after %d holds event %d", page, after, e.Seq)
			}
			after = e.Seq
		}
		got = append(got, ev...)
		if len(ev) < 3 {
			break
		}
	}
	var want [][4]int32
	for _, rep := range reports {
		want = append(want, rep.Edges...)
	}
	var msgs [][4]int32
	for _, e := range got {
		o, ok := e.Outcome.Engine()
		if !ok {
			continue // an event of no message of node 0's own
		}
		if e.Seq > upTo {
			t.Errorf("event %d counts a message the scrape after the rounds (%d) did not", e.Seq, upTo)
		}
		from, to, kind := int32(0), int32(e.Peer), engine.KindRequest
		if e.What == LabelAnswer {
			from, to, kind = to, from, engine.KindAnswer
		}
		msgs = append(msgs, [4]int32{from, to, int32(kind), int32(o)})
	}
	if fmt.Sprint(msgs) != fmt.Sprint(want) {
		t.Fatalf("the log's messages %v\nthe round reports' %v", msgs, want)
	}
	failed := 0
	for _, m := range msgs {
		if m[3] == int32(engine.Failed) {
			failed++
		}
	}
	if len(msgs) < 8 || failed == 0 {
		t.Fatalf("the test needs messages, failed ones among them: %v", msgs)
	}
	if m := c.scrape(nodes[0]); m.get(t, MetricSent, "kind", "request", "node", "0")+m.get(t, MetricSent, "kind", "answer", "node", "0") != float64(len(msgs)) {
		t.Errorf("%d messages logged, counters say otherwise", len(msgs))
	}

	for _, q := range []string{"-1", "x", "1.5"} {
		wantError(t, c.do(http.MethodGet, nodes[0].URL()+PathLog+"?after="+q, nil), http.StatusBadRequest)
	}
}

// The numbering survives a reset (a reader's cursor stays valid), and the
// ring drops the oldest events, never the newest.
func TestLogNumbersOutliveReset(t *testing.T) {
	nodes := startNodes(t, 1, Options{LogSize: 4})
	c := newClient(t)
	for i := range 6 {
		c.json(http.MethodPost, nodes[0].URL()+PathData, DataRequest{Data: fmt.Sprint("d", i)}, nil)
	}
	var ev []Event
	c.json(http.MethodGet, nodes[0].URL()+PathLog+"?after=0&limit=100", nil, &ev)
	if len(ev) != 4 || ev[0].Seq != 3 || ev[3].Seq != 6 {
		t.Fatalf("after=0 on a ring of 4 after 6 events: %+v", ev)
	}
	c.json(http.MethodPost, nodes[0].URL()+PathReset, nil, nil)
	c.json(http.MethodPost, nodes[0].URL()+PathData, DataRequest{Data: "again"}, nil)
	c.json(http.MethodGet, nodes[0].URL()+PathLog+"?after=6", nil, &ev)
	if len(ev) != 1 || ev[0].Seq != 7 || ev[0].Kind != "injected" {
		t.Fatalf("after a reset: %+v", ev)
	}
}
