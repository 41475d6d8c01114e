// Package node is one real gossip node: an HTTP server on its own port with
// the classic API (POST /data, GET /state, GET /log, GET /metrics), the
// endpoint peers gossip through, and the control endpoints a harness uses to
// clock rounds, crash it and read what it did.
//
// Round semantics are those of docs/design.md, "Round semantics". In
// lockstep a request carries the harness round r: a node acts on, and
// answers with, only what it knew before round r, so nodes may run round r
// in any order or all at once.
package node

import (
	"encoding/json"
	"fmt"
	"time"
)

// Paths of the API.
const (
	PathData    = "/data"
	PathState   = "/state"
	PathLog     = "/log"
	PathMetrics = "/metrics"
	PathGossip  = "/gossip"
	PathConfig  = "/control/config"
	PathRound   = "/control/round"
	PathReset   = "/control/reset"
	PathCrash   = "/control/crash"
	PathStart   = "/control/start"
	PathStop    = "/control/stop"
	PathFault   = "/control/fault"
)

// DataRequest is the body of POST /data.
type DataRequest struct {
	Data string `json:"data"`
}

// DataResponse says whether the message was new to the node.
type DataResponse struct {
	ID  string `json:"id"`
	New bool   `json:"new"`
}

// Message is one rumor. Its ID is derived from its data, so every node names
// the same message the same way.
type Message struct {
	ID   string `json:"id"`
	Data string `json:"data"`
	// Origin is when the message entered the cluster, in Unix nanoseconds
	// (the clock of the node that took it in by POST /data): a node that
	// learns it observes the propagation delay. 0 when unknown.
	Origin int64 `json:"origin,omitempty"`
	// Rumor is the message's rumor index at a mongering node, whose data
	// is then RumorData(Rumor); nil elsewhere.
	Rumor *int32 `json:"rumor,omitempty"`
}

// Known is a message as a node holds it.
type Known struct {
	Message
	Round int       `json:"round"` // the round it was learned in (injected: the node's round then, 0 before any)
	At    time.Time `json:"at"`
	pos   int       // its place in the order learned: where a page after it starts
}

// State is the body of GET /state: one page of the messages, in the order
// learned. Count is all the node knows; Next, when set, is the after= of
// the next page.
type State struct {
	Node     int     `json:"node"`
	Round    int     `json:"round"`
	Count    int     `json:"count"`
	Messages []Known `json:"messages"`
	Next     string  `json:"next,omitempty"`
}

// Event is one line of GET /log.
//
// The messages a node counts (those of the exchanges it starts: its pushes
// and requests, and the answers to its requests) are logged one event
// each, with their Outcome, when the exchange is over and in the same step
// that counts them in /metrics (see MetricLogged): a push or request is
// from this node to Peer, an answer from Peer to this node. Messages a
// node receives from others are logged as "received" without an Outcome;
// their sender counts them.
type Event struct {
	Seq   uint64    `json:"seq"` // 1, 2, ... for the node's life; ?after= pages on from it
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"` // injected, sent, received, lost, failed, crashed, recovered, fault
	Peer  int       `json:"peer"` // -1 when there is none
	What  string    `json:"what"` // push, request, answer, data
	Round int       `json:"round"`
	// Outcome is set on the messages the node counts, and only on them.
	Outcome Outcome `json:"outcome,omitempty"`
	Info    string  `json:"info,omitempty"`
}

// Gossip kinds on the wire.
const (
	KindPush    = "push"
	KindRequest = "request" // pull and pushpull: answered with what the asker lacks
)

// GossipRequest is the body of POST /gossip. Round 0 means free-running:
// answer with everything known now.
type GossipRequest struct {
	From     int       `json:"from"`
	Round    int       `json:"round"`
	Kind     string    `json:"kind"`
	Messages []Message `json:"messages,omitempty"` // what the sender knew (push, pushpull)
	Digest   []string  `json:"digest,omitempty"`   // IDs the asker has (pull, pushpull)
	Epoch    uint64    `json:"epoch,omitempty"`    // the sender's Config.Epoch
	// Mongering only: the sender's slot (required: it keys the contact
	// and its coin), the rumors the asker knew at the start of the round
	// (its digest), and whether this is an anti-entropy exchange.
	Slot        *int    `json:"slot,omitempty"`
	Have        []int32 `json:"have,omitempty"`
	AntiEntropy bool    `json:"anti_entropy,omitempty"`
}

// GossipResponse acknowledges a push or answers a request.
type GossipResponse struct {
	New      int       `json:"new"`                // pushed messages that were new here
	Messages []Message `json:"messages,omitempty"` // the answer: what the asker lacked
	// Mongering only: of the rumors the message carried, those the
	// receiver knew at the start of the round (a push's feedback) and
	// those it learned.
	Knew    []int32 `json:"knew,omitempty"`
	Learned []int32 `json:"learned,omitempty"`
}

// Config is the body of PUT /control/config.
type Config struct {
	ID      int      `json:"id"`
	Peers   []string `json:"peers"` // base URLs indexed by node ID; the node's own entry is skipped
	Mode    string   `json:"mode"`  // push, pull, pushpull
	Fanout  int      `json:"fanout"`
	Loss    float64  `json:"loss"`
	Latency Duration `json:"latency"`
	Seed    uint64   `json:"seed"`
	// RecordEdges asks round reports to list every message, for replays.
	RecordEdges bool `json:"record_edges"`
	// Timeout bounds one exchange: past it the message has failed. 0 means
	// DefaultTimeout.
	Timeout Duration `json:"timeout,omitempty"`
	// Epoch numbers the harness's trials. Gossip of another epoch is
	// refused (409): an exchange whose sender gave up in an earlier trial
	// can still reach a busy peer after the next trial's reset, and must
	// not hand it that trial's rumor. Nodes wired by hand leave it 0.
	Epoch uint64 `json:"epoch,omitempty"`
	// Neighbours are the IDs this node may gossip with, ascending: its row
	// of the trial's graph (docs/design.md, "Real nodes"). Absent or null
	// is the complete graph (every peer); [] is a node with no neighbour,
	// which an edge list may have. No omitempty: [] must not become null.
	Neighbours []int32 `json:"neighbours"`
	// Rumor mongering (see PathInject): absent, the wave-1 protocol.
	Stop        *StopConfig   `json:"stop,omitempty"`
	Rumors      *RumorsConfig `json:"rumors,omitempty"`
	MaxRumors   int           `json:"max_rumors,omitempty"`   // packet budget: rumors per message, 0 no limit
	AntiEntropy int           `json:"anti_entropy,omitempty"` // every this many rounds, 0 never
	// PerRumor makes the node keep a protocol state per rumor, as a
	// mongering node does, without mongering keys: a trial with faults
	// over time (nodes that come back empty or with their states) runs
	// on the protocol core's World. The node is not told the faults: a
	// partition is the network's, a comeback the harness's.
	PerRumor bool `json:"per_rumor,omitempty"`
}

// FaultRequest is the body of POST /control/fault: from now on the node
// fails on its gossip endpoint as Kind says ("hang" or "garbage"), and does
// not gossip itself; "none" ends the fault. The control endpoints keep
// working, as an admin port would.
type FaultRequest struct {
	Kind string `json:"kind"`
}

// RoundRequest is the body of POST /control/round.
type RoundRequest struct {
	Round int `json:"round"`
}

// RoundReport is what a node did in one lockstep round, counted at the
// node that started each exchange: its requests and the answers to them.
type RoundReport struct {
	Round int `json:"round"`
	// Knew is whether the node knew any message at the start of the round:
	// what it acted on, reported so the harness need not guess it.
	Knew      bool  `json:"knew"`
	Sent      int   `json:"sent"`
	Delivered int   `json:"delivered"`
	Lost      int   `json:"lost"`
	Failed    int   `json:"failed"`
	Useful    int   `json:"useful"`
	Redundant int   `json:"redundant"`
	Bytes     int64 `json:"bytes"` // on the wire, both directions, this node's connections
	// Edges are [from, to, kind, outcome] with engine.MessageKind and
	// engine.Outcome codes, in the node's slot order, each request just
	// before its answer; only with Config.RecordEdges. Useful or redundant
	// is the node's view of a delivered message (the receiver learned
	// something or not), which a harness may judge again in the round's
	// canonical order.
	Edges [][4]int32 `json:"edges,omitempty"`
	// Mongering only: the rumors the node holds infective and removed at
	// the start of the round (its last round settled), and per edge the
	// rumors it carried and those its receiver learned from it.
	Infective int       `json:"infective,omitempty"`
	Removed   int       `json:"removed,omitempty"`
	Carried   [][]int32 `json:"carried,omitempty"`
	Taught    [][]int32 `json:"taught,omitempty"`
}

// CrashRequest is the body of POST /control/crash: the node stops serving
// For long (0: until told otherwise, or for good in a process of its own).
type CrashRequest struct {
	For Duration `json:"for"`
}

// StartRequest is the body of POST /control/start: gossip every Interval,
// each wait drawn uniformly within ±Jitter of it.
type StartRequest struct {
	Interval Duration `json:"interval"`
	Jitter   float64  `json:"jitter"`
}

// ErrorResponse is the body of every 4xx and 5xx answer.
type ErrorResponse struct {
	Error string `json:"error"`
}

// Duration reads and writes Go durations as text ("50ms").
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be text such as \"50ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
