package memory

import (
	"context"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// monger runs a trial with per-rumor state (engine.Config.World): stop
// rules, many rumors, message budgets, anti-entropy, faults over time. It is the
// protocol core's World, round after round; the bit-per-node path above
// stays for the protocol without them, where it is many times faster.
func monger(ctx context.Context, cfg engine.Config, rules *protocol.Rules, obs engine.Observer) error {
	w := protocol.NewWorld(rules, cfg.Replay)
	out := w.Start()
	out.Graph = topology.Injection(rules.Graph, rules.Source()).Graph
	obs.Round(out)
	for r := 1; r <= cfg.MaxRounds; r++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		w.Begin(r)
		out := w.Round(r)
		if !cfg.Replay {
			out.Informed, out.Edges, out.Failed, out.Recovered, out.Forgot, out.Split = nil, nil, nil, nil, nil, nil
		}
		obs.Round(out)
		if w.Done(out) {
			break
		}
	}
	return nil
}
