package node

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
)

// The wire of rumor mongering (docs/design.md, "Stop rules"): a node
// configured with a stop rule, many rumors, a message budget or
// anti-entropy keeps a protocol.RumorState per rumor, and its messages
// name the rumors they carry by index. It runs in lockstep only.

// PathInject starts a rumor at a mongering node (POST, InjectRequest).
const PathInject = "/control/inject"

// StopConfig is a stop rule as a node's config gives it (engine.Stop).
type StopConfig struct {
	Rule     string `json:"rule"` // none, counter, coin, transmits
	K        int    `json:"k,omitempty"`
	Feedback bool   `json:"feedback,omitempty"`
	Reset    bool   `json:"reset,omitempty"`
	Mult     int    `json:"mult,omitempty"`
}

// RumorsConfig is how many rumors a trial has and how far apart they are
// injected (engine.Rumors).
type RumorsConfig struct {
	Count int `json:"count"`
	Every int `json:"every"`
}

// InjectRequest is the body of POST /control/inject: the node learns
// rumor Rumor in lockstep round Round, as the trial's source of it.
type InjectRequest struct {
	Rumor int `json:"rumor"`
	Round int `json:"round"`
}

// MaxRumors bounds the rumors of a node's config: a state each, and an
// anti-entropy message names them all, each in about 100 bytes of JSON,
// which must stay well inside the 1 MiB body a peer reads.
const MaxRumors = 5000

// RumorData is what rumor i says: a message's data names its rumor, so
// that every node derives the same ID for it.
func RumorData(i int) string { return fmt.Sprintf("gossipbench rumor %d", i) }

// engineConfig is the trial's protocol as far as node config c gives it:
// what rulesOf builds the protocol core's Rules from, and what Configure
// validates with the engine's own checks.
func engineConfig(c Config, mode engine.Mode) (engine.Config, error) {
	cfg := engine.Config{Nodes: len(c.Peers), Mode: mode, Fanout: c.Fanout, Loss: c.Loss, Seed: c.Seed, Source: -1,
		Packet: engine.Packet{MaxRumors: c.MaxRumors}, AntiEntropy: engine.AntiEntropy{Every: c.AntiEntropy}}
	if c.Rumors != nil {
		cfg.Rumors = engine.Rumors{Count: c.Rumors.Count, Every: c.Rumors.Every}
	}
	if s := c.Stop; s != nil {
		rule, err := engine.ParseStopRule(s.Rule)
		if err != nil {
			return cfg, fmt.Errorf("stop: %w", err)
		}
		cfg.Stop = engine.Stop{Rule: rule, K: s.K, Feedback: s.Feedback, Reset: s.Reset, Mult: s.Mult}
	}
	return cfg, nil
}

// checkMongering refuses a config whose mongering keys the engines would
// refuse, or whose rumors are more than a node holds.
func checkMongering(c Config, mode engine.Mode) error {
	cfg, err := engineConfig(c, mode)
	if err != nil {
		return err
	}
	if cfg.Rumors.Count > MaxRumors {
		return fmt.Errorf("rumors: count must be at most %d, got %d", MaxRumors, cfg.Rumors.Count)
	}
	// The engine's checks of the whole trial, on a stand-in for the parts
	// the node checks itself (peers, fanout, loss).
	cfg.Nodes, cfg.Fanout, cfg.Loss, cfg.MaxRounds = 2, 1, 0, 1
	return cfg.Validate()
}
