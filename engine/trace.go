package engine

// RoundStats are the counts of one round. Row 0 is the injection: one node
// informed, nothing sent. Invariants every engine keeps:
//
//	sent = delivered + lost + failed
//	delivered = useful + redundant
type RoundStats struct {
	Round     int
	Informed  int // informed and alive at the end of the round
	New       int // informed during the round
	Alive     int
	Sent      int // pushes, pull requests and answers
	Delivered int
	Lost      int // dropped by the network (the loss probability)
	Failed    int // addressed to a crashed node
	Useful    int // delivered and informed a node for the first time
	Redundant int // delivered and informed no one
	Bytes     int64
	// With rumor mongering (Config.Mongering) the counts of nodes are of
	// node-rumor pairs, summed over the Rumors injected so far: Informed
	// is how many pairs are known, and a round is converged when Informed
	// is Alive·Rumors. Infective and Removed split Informed by whether the
	// node still spreads. Only mongering trials fill them: the one-bit
	// paths leave Infective, Removed and Rumors at 0, which means every
	// informed node spreads (the runner writes rounds.csv so).
	Infective int
	Removed   int
	Rumors    int // rumors injected by the end of the round; 0 is read as 1
	// Faults over time: Down are the nodes down in the round, Recovering
	// those that came back at its start (recoveries and churn), Cut the
	// messages failed because a partition stood between sender and
	// receiver (they are in Failed too). World trials fill them; the
	// one-bit paths, which have none of these faults, leave Down at 0 too
	// (it is Nodes-Alive: the runner writes rounds.csv so).
	Down       int
	Recovering int
	Cut        int
}

// Want is how many node-rumor pairs would be informed if every alive
// node knew every rumor injected so far.
func (r RoundStats) Want() int { return r.Alive * max(r.Rumors, 1) }

// Trace is what one trial produced.
type Trace struct {
	Source int
	Rounds []RoundStats // Rounds[r].Round == r
	Replay *Replay      // nil unless Config.Replay
	Graph  *GraphFacts  // nil on the complete graph
	// PerRumor[r][i] are rumor i's counts at the end of round r, for a
	// trial of more than one rumor (nil otherwise); RumorSources[i] is
	// the node rumor i was injected at.
	PerRumor     [][]RumorStats
	RumorSources []int
}

// GraphFacts describe the graph one trial ran on (engine/topology.Facts
// computes them), so that a result says what its overlay was like: a
// trial that never converged on a disconnected graph is explained by
// SourceComponent, not left a mystery.
type GraphFacts struct {
	Nodes, Edges         int
	DegreeMin, DegreeMax int
	DegreeMean, DegreeSD float64
	Components           int
	SourceComponent      int // nodes in the source's component, the source included
	// Diameter is the largest distance within the source's component:
	// exact when DiameterExact, else a lower bound from a few
	// breadth-first sweeps (large graphs).
	Diameter      int
	DiameterExact bool
}

// Connected is whether every node can be reached from every other.
func (g *GraphFacts) Connected() bool { return g.Components == 1 }

// Final is the last recorded round.
func (t *Trace) Final() RoundStats { return t.Rounds[len(t.Rounds)-1] }

// Converged reports whether every alive node ended informed.
func (t *Trace) Converged() bool {
	f := t.Final()
	return f.Alive > 0 && f.Informed == f.Want()
}

// RoundsTo is the first round at whose end at least frac of the alive nodes
// were informed; frac 1 is rounds-to-full. ok is false if that never happened.
func (t *Trace) RoundsTo(frac float64) (round int, ok bool) {
	for _, r := range t.Rounds {
		if r.Alive == 0 {
			continue
		}
		if frac >= 1 && r.Informed == r.Want() || frac < 1 && float64(r.Informed) >= frac*float64(r.Want()) {
			return r.Round, true
		}
	}
	return 0, false
}

// AddMessages adds o's message counts (Sent through Bytes, and Cut) to r.
func (r *RoundStats) AddMessages(o RoundStats) {
	r.Sent += o.Sent
	r.Delivered += o.Delivered
	r.Lost += o.Lost
	r.Failed += o.Failed
	r.Cut += o.Cut
	r.Useful += o.Useful
	r.Redundant += o.Redundant
	r.Bytes += o.Bytes
}

// Totals sums the message counts over all rounds; Round, Informed, New and
// Alive are those of the final round.
func (t *Trace) Totals() RoundStats {
	f := t.Final()
	tot := RoundStats{Round: f.Round, Informed: f.Informed, New: f.New, Alive: f.Alive,
		Infective: f.Infective, Removed: f.Removed, Rumors: f.Rumors, Down: f.Down}
	for _, r := range t.Rounds {
		tot.AddMessages(r)
	}
	return tot
}

// Residue is the uninformed fraction of the alive nodes at the end (1 when
// no node is alive).
func (t *Trace) Residue() float64 {
	f := t.Final()
	if f.Alive == 0 {
		return 1
	}
	return float64(f.Want()-f.Informed) / float64(f.Want())
}

// Redundancy is redundant / delivered over the trial (0 when nothing was
// delivered).
func (t *Trace) Redundancy() float64 {
	tot := t.Totals()
	if tot.Delivered == 0 {
		return 0
	}
	return float64(tot.Redundant) / float64(tot.Delivered)
}

// FailedFraction is failed / sent over the trial: the share of messages
// addressed to failed nodes. ok is false when nothing was sent.
func (t *Trace) FailedFraction() (frac float64, ok bool) {
	tot := t.Totals()
	if tot.Sent == 0 {
		return 0, false
	}
	return float64(tot.Failed) / float64(tot.Sent), true
}

// MessagesPerNode is every message sent in the trial over the node count.
func (t *Trace) MessagesPerNode(nodes int) float64 {
	return float64(t.Totals().Sent) / float64(nodes)
}

// MessageKind tells pushes, pull requests and answers apart in a replay.
type MessageKind uint8

const (
	KindPush MessageKind = iota
	KindRequest
	KindAnswer
)

// Outcome is what became of one message.
type Outcome uint8

const (
	Useful Outcome = iota
	Redundant
	Lost
	Failed
)

// KindNames and OutcomeNames are written into replay files so they explain
// their own codes.
var (
	KindNames    = []string{"push", "request", "answer"}
	OutcomeNames = []string{"useful", "redundant", "lost", "failed"}
)

// Edge is one message of a round, for the replay.
type Edge struct {
	From, To int32
	Kind     MessageKind
	Outcome  Outcome
}

// Replay is enough to animate one trial node by node.
type Replay struct {
	FirstInformed []int32  // round each node was informed, -1 if never
	CrashedAt     []int32  // round each node first went down, -1 if never
	Outages       []Outage // every time a node went down, in the order they started
	Partitions    []Split  // every partition that started, in order
	// Relearned are the [node, round] of every learning after a node's
	// first: a node that came back empty learns again.
	Relearned  [][2]int32
	Edges      [][]Edge // Edges[r]: the messages of round r (Edges[0] is empty)
	Unrecorded []int    // Unrecorded[r]: messages of round r counted but missing from Edges[r] (see Round)
}

// Outage is one node down from the start of round Down to the start of
// round Up (-1: it never came back); Keep is whether it came back with
// what it knew, or empty.
type Outage struct {
	Node, Down, Up int32
	Keep           bool
}

// Split is one partition as it fell: Group[u] is node u's group.
type Split struct {
	Round, Heal int32 // Heal 0: never healed
	Oneway      bool
	Group       []int8
}

// Drops is whether the split drops a message from node u to node v (a
// split that is nil, or does not name them both, drops nothing).
func (s *Split) Drops(u, v int) bool {
	if s == nil || u < 0 || v < 0 || u >= len(s.Group) || v >= len(s.Group) {
		return false
	}
	return s.Cut(s.Group[u], s.Group[v])
}

// Cut is whether the split drops a message from group a to group b.
func (s *Split) Cut(a, b int8) bool {
	if s.Oneway {
		return a == 0 && b != 0
	}
	return a != b
}

// NewReplay sizes a replay for n nodes with every node uninformed and alive.
func NewReplay(n int) *Replay {
	r := &Replay{FirstInformed: make([]int32, n), CrashedAt: make([]int32, n), Edges: [][]Edge{nil}, Unrecorded: []int{0}}
	for i := range r.FirstInformed {
		r.FirstInformed[i], r.CrashedAt[i] = -1, -1
	}
	return r
}
