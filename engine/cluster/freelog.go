package cluster

import (
	"context"
	"fmt"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"net/http"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// freeLog gathers a free-running trial's messages, for its replay, from
// the nodes' logs (GET /log): each node logs every message it counts, one
// event each, in the step that counts it, and every read of its counters
// says up to which event they count (node.MetricLogged).
//
// The rule that puts a message in a round is the one that puts its counts
// there (docs/design.md, "Engines", free running): a round holds what the
// harness's read of that interval is the first to see. Here, the messages
// of node i's events numbered above the previous read's Logged and up to
// this read's are round r's. So a round's messages are exactly those its
// counts in rounds.csv add up, except those a node's log, a ring of its
// last node.DefaultLogSize events, dropped before the harness read them:
// those are the round's Unrecorded.
type freeLog struct {
	after   []uint64      // per node: the last event read
	pending [][]loggedMsg // per node: messages read that no counters read has counted yet
}

type loggedMsg struct {
	seq  uint64
	edge engine.Edge
}

func newFreeLog(start []Counters) *freeLog {
	f := &freeLog{after: make([]uint64, len(start)), pending: make([][]loggedMsg, len(start))}
	for i, cnt := range start {
		f.after[i] = cnt.Logged // what came before is not this trial's
	}
	return f
}

// read takes in node i's events up to upTo (its counters' Logged): safe
// to run for different nodes at once.
func (f *freeLog) read(ctx context.Context, c *Cluster, i int, upTo uint64) error {
	const limit = node.DefaultLogSize
	for f.after[i] < upTo {
		var page []node.Event
		path := fmt.Sprintf("%s?after=%d&limit=%d", node.PathLog, f.after[i], limit)
		if err := c.call(ctx, http.MethodGet, i, path, nil, &page); err != nil {
			return err
		}
		for _, e := range page {
			if e.Seq <= f.after[i] {
				return fmt.Errorf("node %d log: event %d after %d: %w", i, e.Seq, f.after[i], errInconsistent)
			}
			f.after[i] = e.Seq
			edge, ok, err := c.edgeOf(i, e)
			if err != nil {
				return err
			}
			if ok {
				f.pending[i] = append(f.pending[i], loggedMsg{e.Seq, edge})
			}
		}
		if len(page) < limit {
			break // caught up: the rest is not logged yet, or was dropped
		}
	}
	return nil
}

// take hands over the round's messages, node by node and in each node's
// order, given every node's counters now (per) and at the last read
// (prev), and how many messages the round's counts hold that the logs
// lacked.
func (f *freeLog) take(per, prev []Counters) ([]engine.Edge, int, error) {
	var edges []engine.Edge
	sent := 0
	for i := range per {
		d := per[i].Sub(prev[i])
		sent += int(d.Sent)
		k := 0
		for k < len(f.pending[i]) && f.pending[i][k].seq <= per[i].Logged {
			edges = append(edges, f.pending[i][k].edge)
			k++
		}
		if float64(k) > d.Sent {
			return nil, 0, fmt.Errorf("node %d logged %d messages its counters counted %v of: %w", i, k, d.Sent, errInconsistent)
		}
		f.pending[i] = append(f.pending[i][:0], f.pending[i][k:]...)
	}
	return edges, sent - len(edges), nil
}

// edgeOf is the message of node i's event e, if e is one of node i's own
// (see node.Event): checked, for a node in a process of its own is a
// program the harness only talks to.
func (c *Cluster) edgeOf(i int, e node.Event) (engine.Edge, bool, error) {
	o, ok := e.Outcome.Engine()
	if !ok {
		return engine.Edge{}, false, nil
	}
	n := len(c.urls)
	edge := engine.Edge{From: int32(i), To: int32(e.Peer), Outcome: o}
	good := e.Peer >= 0 && e.Peer < n && e.Peer != i && protocol.Joined(c.rules.Graph, int32(i), int32(e.Peer))
	switch e.What {
	case node.LabelPush, node.LabelRequest:
		edge.Kind = engine.KindPush
		if e.What == node.LabelRequest {
			edge.Kind = engine.KindRequest
		}
		good = good && edge.Kind == c.rules.Kind()
	case node.LabelAnswer:
		edge.From, edge.To, edge.Kind = int32(e.Peer), int32(i), engine.KindAnswer
		good = good && c.rules.Answered() && o != engine.Failed
	default:
		good = false
	}
	if !good {
		return engine.Edge{}, false, fmt.Errorf("node %d logs a message it cannot have counted: %+v: %w", i, e, errInconsistent)
	}
	return edge, true, nil
}
