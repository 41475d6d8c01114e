// Package engine holds the protocol model every gossipbench engine shares:
// the run configuration, the round semantics (see docs/design.md, "Round
// semantics") and the trace an engine returns. Engines know nothing of YAML,
// files or HTML; they turn a Config into a Trace.
package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Engine runs one trial of a gossip protocol, handing each round to obs as
// it ends. Collect gathers a whole trial into a Trace.
type Engine interface {
	Run(ctx context.Context, cfg Config, obs Observer) error
}

// MaxHTTPNodes is the most real nodes one gossipbench process runs at
// once: each is a server with its own listener and warm connections, about
// 10 file descriptors in all, and a process has 20,000 on the machines this
// was measured on. Scenarios are validated against it, and the http engine
// holds all its clusters to it.
const MaxHTTPNodes = 2000

// MinInterval is the shortest gossip interval of free-running nodes: a
// shorter one only spins the CPU. Scenarios and nodes refuse less.
const MinInterval = time.Millisecond

// ErrUnmeasured is wrapped by an engine's error when a trial ran but could
// not be measured (a node did not answer the harness, even when asked
// again): the machine failed that trial, not the scenario, so a runner
// records it and goes on.
var ErrUnmeasured = errors.New("trial could not be measured")

// Mode is how nodes exchange the rumor.
type Mode uint8

const (
	Push     Mode = iota // informed nodes send the rumor
	Pull                 // every node asks peers; informed peers answer with it
	PushPull             // every node contacts peers; both directions carry what each knows
)

var modeNames = [...]string{Push: "push", Pull: "pull", PushPull: "pushpull"}

// Modes lists every mode in declaration order, for help texts and errors.
func Modes() []Mode { return []Mode{Push, Pull, PushPull} }

func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// MarshalText writes the canonical name, so modes read well in JSON.
func (m Mode) MarshalText() ([]byte, error) {
	if int(m) >= len(modeNames) {
		return nil, fmt.Errorf("unknown mode %d", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText accepts what ParseMode accepts.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	*m = v
	return err
}

// ParseMode accepts the canonical names and "push-pull", the spelling most
// papers use.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "push":
		return Push, nil
	case "pull":
		return Pull, nil
	case "pushpull", "push-pull":
		return PushPull, nil
	}
	return 0, fmt.Errorf("unknown mode %q", s)
}

// Failure takes a fraction of all nodes out at the start of a round, before
// any message of that round is sent: for good, or until the start of round
// Recover, when they come back (empty, unless KeepState). How they fail is
// Kind; to the
// protocol every kind is the same (the node neither acts nor answers, and
// messages to it fail), but real nodes fail in different ways, and the http
// engine reproduces each.
type Failure struct {
	Round    int     // >= 1
	Fraction float64 // of all nodes, (0, 1]; taken among the alive ones
	Kind     FailureKind
	// Recover is the round at whose start the nodes come back (0: never);
	// they forgot every rumor unless KeepState.
	Recover   int
	KeepState bool
}

// FailureKind is how a node fails.
type FailureKind uint8

const (
	Crash   FailureKind = iota // the node's server stops: connections are refused
	Hang                       // the node accepts requests and never answers them
	Garbage                    // the node answers every request with nonsense
)

// FailureKinds names the kinds as scenario files spell them.
var FailureKinds = []string{Crash: "crash", Hang: "hang", Garbage: "garbage"}

func (k FailureKind) String() string {
	if int(k) < len(FailureKinds) {
		return FailureKinds[k]
	}
	return fmt.Sprintf("FailureKind(%d)", k)
}

// CrashCount is how many nodes a failure takes out in a cluster of n nodes.
func (f Failure) CrashCount(n int) int {
	k := int(f.Fraction*float64(n) + 0.5)
	if k < 1 {
		k = 1
	}
	return k
}

// Config is one trial. Peers are chosen among a node's neighbours in
// Topology (the complete graph when it is zero).
type Config struct {
	Nodes     int
	Topology  Topology
	Mode      Mode
	Fanout    int     // distinct peers contacted per node and round
	Loss      float64 // probability that any one message is lost, [0, 1]
	MaxRounds int     // the trial stops here if it has not converged
	Seed      uint64
	Source    int // node the rumor starts at; -1 picks one from Seed
	Failures  []Failure
	Replay    bool // record first-informed rounds and every message edge
	Net       NetOptions
	// Rumor mongering (docs/design.md, "Stop rules"): zero values are the
	// wave-1 protocol, one rumor spread forever by every informed node.
	Stop        Stop
	Rumors      Rumors
	Packet      Packet
	AntiEntropy AntiEntropy
	// Faults over time (docs/design.md, "Faults over time"): zero values
	// are none.
	Partitions []Partition
	Churn      Churn
}

// Topology is the overlay a trial's nodes gossip on, as a scenario gives
// it; engine/topology draws the graph from it and the trial's seed and
// checks it (docs/design.md, "Topologies").
type Topology struct {
	Kind   string  // one of TopologyKinds; "" is the complete graph
	Degree float64 // ring, regular, small-world, scale-free: an integer; erdos-renyi: the mean
	P      float64 // erdos-renyi: the edge probability, when Degree is 0
	Rewire float64 // small-world: the probability that an edge's far end moves
	// Edges are kind file's edge list, read and checked by whoever read
	// the file: engines know nothing of files.
	Edges [][2]int32
}

// EdgeP is erdos-renyi's edge probability on n nodes: P, or the mean
// Degree over the n-1 other nodes.
func (t Topology) EdgeP(n int) float64 {
	if t.P != 0 {
		return t.P
	}
	return t.Degree / float64(n-1)
}

// The topology kinds, as scenario files spell them.
const (
	TopologyComplete   = "complete"
	TopologyRing       = "ring"
	TopologyRegular    = "regular"
	TopologyErdosRenyi = "erdos-renyi"
	TopologySmallWorld = "small-world"
	TopologyScaleFree  = "scale-free"
	TopologyHypercube  = "hypercube"
	TopologyGrid       = "grid"
	TopologyFile       = "file"
)

// TopologyKinds lists every kind, for help texts and errors.
var TopologyKinds = []string{TopologyComplete, TopologyRing, TopologyRegular, TopologyErdosRenyi,
	TopologySmallWorld, TopologyScaleFree, TopologyHypercube, TopologyGrid, TopologyFile}

// IsComplete is whether t is the complete graph, on which every engine
// may take its shortcuts.
func (t Topology) IsComplete() bool { return t.Kind == "" || t.Kind == TopologyComplete }

// DefaultTimeout bounds one exchange of real nodes when a scenario sets no
// http.timeout. It lives here, not in engine/node, so that the scenario
// decoder can write the value in force into summary.json's params.
const DefaultTimeout = 5 * time.Second

// NetOptions are read by engines that run real nodes; the simulator ignores
// them.
type NetOptions struct {
	// Free lets every node gossip on its own timer instead of the harness
	// clocking rounds (lockstep); a round is then one Interval.
	Free      bool
	Interval  time.Duration
	Latency   time.Duration // added to every message on the sending side
	Processes bool          // one OS process per node instead of one process for all
	// Timeout bounds one exchange: a peer that has not answered by then has
	// failed the message. 0: DefaultTimeout.
	Timeout time.Duration
}

// Validate checks what any engine needs; scenario files are validated with
// friendlier messages before they get here.
func (c Config) Validate() error {
	switch {
	case c.Nodes < 2:
		return fmt.Errorf("nodes must be at least 2, got %d", c.Nodes)
	case c.Mode > PushPull:
		return fmt.Errorf("unknown mode %d", c.Mode)
	case c.Fanout < 1 || c.Fanout > c.Nodes-1:
		return fmt.Errorf("fanout must be from 1 to %d (nodes-1), got %d", c.Nodes-1, c.Fanout)
	case !(c.Loss >= 0 && c.Loss <= 1):
		return fmt.Errorf("loss must be in [0, 1], got %v", c.Loss)
	case c.MaxRounds < 1:
		return fmt.Errorf("max rounds must be at least 1, got %d", c.MaxRounds)
	case c.Source < -1 || c.Source >= c.Nodes:
		return fmt.Errorf("source must be -1 (random) or a node from 0 to %d, got %d", c.Nodes-1, c.Source)
	}
	if err := c.validateMongering(); err != nil {
		return err
	}
	if err := c.validateFaults(); err != nil {
		return err
	}
	for _, f := range c.Failures {
		if f.Round < 1 || !(f.Fraction > 0 && f.Fraction <= 1) || f.Kind > Garbage {
			return fmt.Errorf("failure %+v: round must be >= 1, the fraction in (0, 1] and the kind crash, hang or garbage", f)
		}
	}
	return nil
}
