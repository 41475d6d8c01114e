package protocol

import "github.com/gossipbench/gossipbench/engine"

// Rules are one trial's protocol: its graph, mode, loss and schedule, and
// the decisions that follow from them. Every engine builds them from the
// trial's Config with New and asks them; none decides on its own.
type Rules struct {
	Graph     Graph
	Mode      engine.Mode
	Fanout    int
	Loss      Chance
	MaxRounds int
	Seed      Seed
	Failures  []engine.Failure
	Stop      engine.Stop
	Rumors    engine.Rumors
	AE        engine.AntiEntropy
	// Faults over time, drawn by a World's Schedule.
	Partitions []engine.Partition
	Churn      engine.Churn
	lastEvent  int // Config.LastEvent
	source     int // Config.Source: -1 draws one
	mongering  bool
	world      bool   // Config.World
	limit      int    // transmits: L
	budget     int    // Packet.MaxRumors
	coin       Chance // 1/K
	// reach is how many alive nodes the rumor can still get to (Reach);
	// -1 until an engine has said.
	reach int
}

// New reads the protocol off a trial's configuration and the graph drawn
// for it (engine/topology.Build); a nil g is the complete graph.
func New(cfg engine.Config, g Graph) *Rules {
	if g == nil {
		g = Complete{N: cfg.Nodes}
	}
	r := &Rules{
		Stop:       cfg.Stop,
		Rumors:     cfg.Rumors,
		AE:         cfg.AntiEntropy,
		mongering:  cfg.Mongering(),
		world:      cfg.World(),
		lastEvent:  cfg.LastEvent(),
		Partitions: cfg.Partitions,
		Churn:      cfg.Churn,
		budget:     cfg.Packet.MaxRumors,
		reach:      -1,
		Graph:      g,
		Mode:       cfg.Mode,
		Fanout:     cfg.Fanout,
		Loss:       NewChance(cfg.Loss),
		MaxRounds:  cfg.MaxRounds,
		Seed:       Seed(cfg.Seed),
		Failures:   cfg.Failures,
		source:     cfg.Source,
	}
	if cfg.Stop.Rule == engine.StopTransmits {
		r.limit = cfg.Stop.Transmits(cfg.Nodes)
	}
	if cfg.Stop.Rule == engine.StopCoin {
		r.coin = NewChance(1 / float64(cfg.Stop.K))
	}
	return r
}

// Source is the node the rumor is injected at in round 0.
func (r *Rules) Source() int { return r.RumorSource(0) }

// RumorSource is the node rumor i is injected at (in round
// Rumors.InjectedAt(i)): for rumor 0 Config.Source, if given.
func (r *Rules) RumorSource(i int) int {
	if i == 0 && r.source >= 0 {
		return r.source
	}
	return int(r.Seed.Draws(0, PurposeSource).IntN(0, i, uint64(r.Graph.Nodes())))
}

// Acts is whether an alive node contacts peers this round: in push only
// the informed ones have something to send; in pull and push-pull every
// alive node asks, for it cannot know whether there is news.
func (r *Rules) Acts(informed bool) bool { return r.Mode != engine.Push || informed }

// Kind is what an acting node sends each peer.
func (r *Rules) Kind() engine.MessageKind {
	if r.Mode == engine.Push {
		return engine.KindPush
	}
	return engine.KindRequest
}

// Carries is whether a node's push or request holds the rumor, given
// whether the node knew it at the start of the round: a push always does,
// a pull request never, a push-pull request when its sender knew.
func (r *Rules) Carries(informed bool) bool {
	switch r.Mode {
	case engine.Push:
		return true
	case engine.PushPull:
		return informed
	}
	return false
}

// Answered is whether a delivered request is answered. The answer holds
// the rumor when the peer knew it at the start of the round.
func (r *Rules) Answered() bool { return r.Mode != engine.Push }

// PeerDraws are the draws node choices use in a round: Graph.Sampler's
// Peers(r.PeerDraws(round), u, r.Fanout) are node u's peers, in the order
// it contacts them (its slots 0, 1, ...).
func (r *Rules) PeerDraws(round int) Draws { return r.Seed.Draws(round, PurposePeers) }

// Lost is whether the push or request node u sends in slot i of round is
// lost. It is drawn for every message, before anyone asks whether the
// peer is up, so that a failure never shifts the loss of another message.
func (r *Rules) Lost(round, u, slot int) bool {
	return r.Loss.Hit(r.Seed.Draws(round, PurposeLoss), u, slot)
}

// AnswerLost is whether the answer to node u's request in slot i of round
// is lost on its way back.
func (r *Rules) AnswerLost(round, u, slot int) bool {
	return r.Loss.Hit(r.Seed.Draws(round, PurposeAnswerLoss), u, slot)
}

// Done is whether a trial stops after the round st: every alive node is
// informed, or every one the rumor can reach (Reach), or none is (nothing
// can spread), or the round limit is reached.
func (r *Rules) Done(st engine.RoundStats) bool {
	return st.Informed == st.Alive || st.Informed == 0 || st.Informed == r.reach || st.Round >= r.MaxRounds
}

// Reach recounts the alive nodes the rumor can still get to: those joined
// to an informed alive node by a path of alive nodes. Engines call it at
// injection and after every round's failures, which are the only events
// that change it; on a graph that is not connected a trial then ends when
// the source's part knows, instead of running to max_rounds. alive and
// informed say what each node is; the count is returned and kept for Done.
func (r *Rules) Reach(alive, informed func(int) bool) int {
	r.reach = reachOf(r.Graph, alive, informed)
	return r.reach
}

func reachOf(g Graph, alive, informed func(int) bool) int {
	n := g.Nodes()
	if _, ok := g.(Complete); ok {
		up, any := 0, false
		for u := range n {
			if alive(u) {
				up++
				any = any || informed(u)
			}
		}
		if any {
			return up
		}
		return 0
	}
	seen := make([]bool, n)
	var queue []int32
	for u := range n {
		if alive(u) && informed(u) {
			seen[u] = true
			queue = append(queue, int32(u))
		}
	}
	for i := 0; i < len(queue); i++ {
		for _, v := range g.Neighbours(int(queue[i])) {
			if !seen[v] && alive(int(v)) {
				seen[v] = true
				queue = append(queue, v)
			}
		}
	}
	return len(queue)
}

// Classify is what became of one message: lost and failed as the network
// and the peer decided; a delivered one is useful when it carries the
// rumor to a node that did not know it yet (in the round's canonical
// order: senders by ID, each sender's slots in order, a request before its
// answer), redundant otherwise. Exactly one useful message informs each
// newly informed node.
func Classify(lost, failed, carries, receiverKnew bool) engine.Outcome {
	switch {
	case lost:
		return engine.Lost
	case failed:
		return engine.Failed
	case carries && !receiverKnew:
		return engine.Useful
	}
	return engine.Redundant
}
