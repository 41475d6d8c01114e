package cluster

import (
	"fmt"
	"slices"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// hold checks round r's reports of the alive nodes against the World's
// round: msgs are its messages in the canonical order, inf and rem what
// each node held at its start. Messages are compared per node that
// started their exchange (an answer's receiver), in its order: its slots,
// then its anti-entropy exchange. Who taught a node which rumor depends on
// the order real messages arrive in, so that is compared per receiver:
// the rumors the nodes say they taught it are the pairs it learned in the
// World, each once.
func (c *Cluster) hold(w *protocol.World, r int, alive []int, reports []node.RoundReport, msgs []watched, inf, rem []int) error {
	want := make([][]watched, w.N)
	for _, m := range msgs {
		by := m.edge.From
		if m.edge.Kind == engine.KindAnswer {
			by = m.edge.To
		}
		want[by] = append(want[by], m)
	}
	taught := make([]bool, w.N*w.C)
	for _, i := range alive {
		rep := &reports[i]
		switch {
		case rep.Round != r:
			return fmt.Errorf("node %d reports round %d: %w", i, rep.Round, errInconsistent)
		case rep.Infective != inf[i] || rep.Removed != rem[i]:
			return fmt.Errorf("node %d holds %d rumors infective and %d removed at the start of the round, the protocol %d and %d: %w",
				i, rep.Infective, rep.Removed, inf[i], rem[i], errInconsistent)
		case len(rep.Edges) != len(want[i]) || len(rep.Carried) != len(rep.Edges) || len(rep.Taught) != len(rep.Edges):
			return fmt.Errorf("node %d reports %d messages (%d carried, %d taught lists), the protocol has %d: %w",
				i, len(rep.Edges), len(rep.Carried), len(rep.Taught), len(want[i]), errInconsistent)
		}
		for k, e := range rep.Edges {
			m := want[i][k]
			got := fate(engine.Outcome(e[3]))
			carried := m.carried
			if m.edge.Kind == engine.KindAnswer && w.Cut(int(m.edge.From), int(m.edge.To)) {
				carried = nil // the network dropped it: what it carried never reached its receiver
			}
			if e[0] != m.edge.From || e[1] != m.edge.To || e[2] != int32(m.edge.Kind) || e[3] < 0 || e[3] > int32(engine.Failed) ||
				!slices.Equal(rep.Carried[k], carried) {
				return fmt.Errorf("node %d: message %v carrying %v, the protocol's is %v carrying %v: %w",
					i, e, rep.Carried[k], m.edge, carried, errInconsistent)
			}
			if want := fate(m.edge.Outcome); got != want {
				if got == engine.Failed && want == engine.Redundant {
					// A healthy peer did not answer in time: the machine,
					// not the protocol, decided this message.
					return fmt.Errorf("node %d: message %d->%d failed although node %d is up and no partition cuts it (raise http.timeout?)", i, e[0], e[1], e[1])
				}
				return fmt.Errorf("node %d: message %v was %v, the protocol's %v: %w", i, e, got, want, errInconsistent)
			}
			for _, x := range rep.Taught[k] {
				if x < 0 || int(x) >= w.C || got != engine.Redundant || !slices.Contains(rep.Carried[k], x) || taught[int(e[1])*w.C+int(x)] {
					return fmt.Errorf("node %d: message %v taught rumor %d, which it did not carry, or which was taught already: %w",
						i, e, x, errInconsistent)
				}
				taught[int(e[1])*w.C+int(x)] = true
			}
		}
	}
	injected := make([]bool, w.N*w.C)
	for i := range w.C {
		if w.R.Rumors.InjectedAt(i) == r {
			injected[w.R.RumorSource(i)*w.C+i] = true
		}
	}
	for u := range w.N {
		for i, s := range w.Node(u) {
			k := u*w.C + i
			if learned := int(s.Learned) == r && !injected[k]; learned != taught[k] {
				return fmt.Errorf("node %d learned rumor %d in the protocol: %v; by the nodes' reports: %v: %w",
					u, i, learned, taught[k], errInconsistent)
			}
		}
	}
	return nil
}

// fate is what a message's outcome says of it apart from the order of the
// round: lost, failed or delivered (Redundant stands for delivered).
func fate(o engine.Outcome) engine.Outcome {
	if o == engine.Useful {
		return engine.Redundant
	}
	return o
}
