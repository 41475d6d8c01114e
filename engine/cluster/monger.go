package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// A trial that mongers rumors (engine.Config.Mongering: a stop rule, many
// rumors, a message budget or anti-entropy) runs the protocol core's World
// beside the nodes, with the same failures, and records the World's
// rounds: they are the memory engine's by construction. The nodes are held
// to it strictly, so that a node breaking a rule fails the trial
// (errInconsistent) instead of giving other rows: per sender its messages
// (peer, kind, fate, the rumors each carried), per receiver the rumors it
// learned, and per node the rumors it holds infective and removed at the
// start of every round. Bytes are the nodes' own.

// errMongerFree refuses what is not built yet.
var errMongerFree = errors.New("http engine: rumor mongering (stop, rumors, packet, anti_entropy) and faults over time (recover, partitions, churn) run in lockstep only, not free running")

// watched is one message of the World's round, with what it carried.
type watched struct {
	edge    engine.Edge
	carried []int32
}

// runMonger drives a mongering trial in lockstep.
func (c *Cluster) runMonger(ctx context.Context, obs engine.Observer) (err error) {
	rules := c.rules
	o := &outages{downAt: make([]int, len(c.urls))}
	defer func() {
		// Not only a partition still in force: a node down when one
		// healed was not told, and holds its table into the next trial.
		if err == nil && len(c.cfg.Partitions) > 0 {
			err = c.healAll(ctx)
		}
	}()
	w := protocol.NewWorld(rules, true)
	var msgs []watched
	w.Watch = func(from, to int, kind engine.MessageKind, out engine.Outcome, carried []int32) {
		msgs = append(msgs, watched{engine.Edge{From: int32(from), To: int32(to), Kind: kind, Outcome: out}, slices.Clone(carried)})
	}
	out := w.Start()
	if err := c.inject(ctx, 0, out.Injected); err != nil {
		return err
	}
	out.Graph = topology.Injection(rules.Graph, rules.Source()).Graph
	if !c.cfg.Replay {
		out.Edges = nil
	}
	obs.Round(out)
	for r := 1; r <= c.cfg.MaxRounds; r++ {
		if err := c.carryOut(ctx, w, o, r, w.Begin(r)); err != nil {
			return err
		}
		inf, rem := holdings(w)
		msgs = msgs[:0]
		out := w.Round(r)
		if err := c.inject(ctx, r, out.Injected); err != nil {
			return err
		}
		alive := c.aliveNodes()
		reports := make([]node.RoundReport, len(c.urls))
		err := c.each(ctx, alive, func(i int) error {
			return c.call(ctx, http.MethodPost, i, node.PathRound, node.RoundRequest{Round: r}, &reports[i])
		})
		if err == nil {
			err = c.hold(w, r, alive, reports, msgs, inf, rem)
		}
		if err != nil {
			return fmt.Errorf("http engine: round %d: %w", r, err)
		}
		for _, i := range alive {
			out.Bytes += reports[i].Bytes
		}
		if !c.cfg.Replay {
			out.Informed, out.Edges, out.Failed, out.Recovered, out.Forgot, out.Split = nil, nil, nil, nil, nil, nil
		}
		obs.Round(out)
		if w.Done(out) {
			return nil
		}
	}
	return nil
}

// inject starts the round's new rumors at their nodes, as the World did
// (sources, in rumor order); a failed source stays silent, as it does in
// the World.
func (c *Cluster) inject(ctx context.Context, r int, sources []int32) error {
	k := 0
	for i := range c.rules.Rumors.N() {
		if c.rules.Rumors.InjectedAt(i) != r {
			continue
		}
		u := int(sources[k])
		k++
		if !c.alive[u] {
			continue
		}
		var resp node.DataResponse
		if err := c.call(ctx, http.MethodPost, u, node.PathInject, node.InjectRequest{Rumor: i, Round: r}, &resp); err != nil {
			return fmt.Errorf("http engine: injecting rumor %d at node %d: %w", i, u, err)
		}
	}
	return nil
}

// holdings are, per node, the rumors it holds infective and removed in the
// World now: what the nodes must report at the start of the next round.
func holdings(w *protocol.World) (infective, removed []int) {
	infective, removed = make([]int, w.N), make([]int, w.N)
	for u := range w.N {
		for _, s := range w.Node(u) {
			switch {
			case s.Removed:
				removed[u]++
			case s.Known():
				infective[u]++
			}
		}
	}
	return infective, removed
}

// stopConfig and rumorsConfig are the trial's mongering keys as a node's
// config carries them; nil when the trial has none.
func stopConfig(s engine.Stop) *node.StopConfig {
	if s.Rule == engine.StopNone {
		return nil
	}
	return &node.StopConfig{Rule: s.Rule.String(), K: s.K, Feedback: s.Feedback, Reset: s.Reset, Mult: s.Mult}
}

func rumorsConfig(r engine.Rumors) *node.RumorsConfig {
	if r == (engine.Rumors{}) {
		return nil
	}
	return &node.RumorsConfig{Count: r.Count, Every: r.Every}
}
