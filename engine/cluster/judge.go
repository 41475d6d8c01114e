package cluster

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// judge turns one lockstep round's reports into the round's record, as the
// simulator would count it.
//
// Each node reports the fate of its messages in slot order: lost and failed
// are facts of the network; delivered ones are judged here, for when
// several messages reach one uninformed node, which of them is useful
// depends on the order they are taken in, and real nodes take them as the
// network happens to deliver. The canonical order is the simulator's
// (docs/design.md, "Round semantics"): senders by ID, each sender's slots
// in order, a request before its answer. The totals are the same either
// way (exactly one useful message per newly informed node), so the nodes'
// own counters still add up to the harness's.
//
// What the nodes say they knew and learned is checked against the
// judgement: a disagreement is a bug or a node gone wrong, not a trial the
// machine spoiled (errInconsistent).
func (c *Cluster) judge(r int, actors []int, reports []node.RoundReport) (engine.Round, error) {
	n := len(c.urls)
	known := c.informed // as of the start of the round, until the judgement stands
	next := append([]bool(nil), known...)
	learned := make([]int, n) // useful deliveries by receiver, as the nodes saw them
	tally := protocol.Tally{Record: c.cfg.Replay}
	var bytes int64
	for _, i := range actors {
		rep := &reports[i]
		if rep.Round != r || rep.Knew != known[i] {
			return engine.Round{}, fmt.Errorf("node %d reports round %d knowing %v, the harness expected round %d knowing %v: %w",
				i, rep.Round, rep.Knew, r, known[i], errInconsistent)
		}
		bytes += rep.Bytes
		if err := c.checkEdges(i, rep.Edges); err != nil {
			return engine.Round{}, err
		}
		for _, e := range rep.Edges {
			from, to, kind, seen := e[0], e[1], engine.MessageKind(e[2]), engine.Outcome(e[3])
			carries := c.rules.Carries(known[i])
			if kind == engine.KindAnswer {
				carries = known[from] // the answerer's knowledge before the round
			}
			switch delivered := seen == engine.Useful || seen == engine.Redundant; {
			case delivered && !c.alive[to]:
				return engine.Round{}, fmt.Errorf("node %d: message %d->%d delivered to a failed node: %w",
					i, from, to, errInconsistent)
			case seen == engine.Failed && c.alive[to]:
				// A healthy peer did not answer in time (a busy machine),
				// or the connection broke: the network, not the protocol,
				// decided this message, and the peer may have taken it.
				return engine.Round{}, fmt.Errorf("node %d: message %d->%d failed although node %d is up (raise http.timeout?)",
					i, from, to, to)
			}
			out := protocol.Classify(seen == engine.Lost, seen == engine.Failed, carries, next[to])
			if out == engine.Useful {
				next[to] = true
			}
			if seen == engine.Useful {
				learned[to]++
			}
			tally.Add(from, to, kind, out)
		}
	}
	rd := engine.Round{RoundStats: tally.Stats}
	for v := range next {
		if next[v] == known[v] && learned[v] == 0 {
			continue
		}
		if next[v] == known[v] || learned[v] != 1 {
			return engine.Round{}, fmt.Errorf("node %d learned the rumor %d times by the nodes' reports, %d by the harness's judgement: %w",
				v, learned[v], btoi(next[v] != known[v]), errInconsistent)
		}
		if c.cfg.Replay {
			rd.Informed = append(rd.Informed, int32(v))
		}
	}
	c.informed = next
	rd.Round, rd.Bytes = r, bytes
	rd.Alive, rd.RoundStats.Informed = c.counts()
	rd.Edges = tally.Edges
	return rd, nil
}

// checkEdges refuses a report that cannot be node i's: its own messages
// are of the mode's kind, addressed to its neighbours, at most one per slot,
// and an answer comes from the peer of a delivered request just before it.
func (c *Cluster) checkEdges(i int, edges [][4]int32) error {
	n := int32(len(c.urls))
	slots := 0
	var last *[4]int32
	for k := range edges {
		e := &edges[k]
		// The codes are checked as the int32 they came in: converted first,
		// 256 would pass for a push or a useful message.
		from, to, kind, out := e[0], e[1], engine.MessageKind(e[2]), engine.Outcome(e[3])
		ok := from >= 0 && from < n && to >= 0 && to < n && from != to &&
			e[2] >= 0 && e[2] <= int32(engine.KindAnswer) && e[3] >= 0 && e[3] <= int32(engine.Failed)
		switch {
		case !ok:
		case kind == engine.KindAnswer:
			ok = c.rules.Answered() && to == int32(i) && last != nil && last[2] == int32(engine.KindRequest) &&
				last[1] == from && (last[3] == int32(engine.Useful) || last[3] == int32(engine.Redundant)) && out != engine.Failed
			last = nil
		default:
			ok = kind == c.rules.Kind() && from == int32(i) && protocol.Joined(c.rules.Graph, from, to)
			last = e
			slots++
		}
		if !ok || slots > c.cfg.Fanout {
			return fmt.Errorf("node %d reports a message it cannot have sent: %v: %w", i, *e, errInconsistent)
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
