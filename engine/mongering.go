package engine

import (
	"fmt"
	"math"
)

// StopRule is when an informed node stops spreading a rumor (rumor
// mongering, Demers et al. 1987; docs/design.md, "Stop rules").
type StopRule uint8

const (
	StopNone      StopRule = iota // an informed node spreads forever
	StopCounter                   // removed after K counted contacts
	StopCoin                      // removed after each counted contact with probability 1/K
	StopTransmits                 // removed after Mult·⌈log10(n+1)⌉ transmissions (memberlist)
)

// StopRules names the rules as scenario files spell them.
var StopRules = []string{StopNone: "none", StopCounter: "counter", StopCoin: "coin", StopTransmits: "transmits"}

func (s StopRule) String() string {
	if int(s) < len(StopRules) {
		return StopRules[s]
	}
	return fmt.Sprintf("StopRule(%d)", s)
}

// ParseStopRule accepts the names of StopRules.
func ParseStopRule(s string) (StopRule, error) {
	for i, name := range StopRules {
		if s == name {
			return StopRule(i), nil
		}
	}
	return 0, fmt.Errorf("unknown stop rule %q", s)
}

// Stop is a trial's stop rule; the zero value spreads forever.
type Stop struct {
	Rule StopRule
	K    int // counter, coin: >= 1
	// Feedback counts a contact only when it showed the peer already knew
	// the rumor at the start of the round; blind counts every contact.
	Feedback bool
	// Reset restarts a counter at 0 after a contact that was not counted:
	// the node loses interest after K unnecessary contacts in a row.
	Reset bool
	Mult  int // transmits: >= 1
}

// Transmits is the transmit limit L = Mult·⌈log10(n+1)⌉ on n nodes, as
// hashicorp/memberlist's retransmitLimit computes it.
func (s Stop) Transmits(n int) int {
	return s.Mult * int(math.Ceil(math.Log10(float64(n+1))))
}

// Rumors are how many rumors a trial injects and how far apart: rumor i
// at round i·Every, at a node drawn from the seed. Count 0 is one rumor.
type Rumors struct {
	Count int
	Every int
}

// N is the number of rumors, at least 1.
func (r Rumors) N() int { return max(r.Count, 1) }

// InjectedAt is the round rumor i is injected in.
func (r Rumors) InjectedAt(i int) int { return i * r.Every }

// Last is the round the last rumor is injected in.
func (r Rumors) Last() int { return r.InjectedAt(r.N() - 1) }

// Packet bounds what one message carries; the zero value carries every
// rumor a node spreads.
type Packet struct {
	MaxRumors int // 0: no limit
}

// AntiEntropy is a periodic full exchange on top of rumor mongering: every
// Every rounds each alive node does one push-pull of everything it knows
// with one neighbour. Every 0: none.
type AntiEntropy struct {
	Every int
}

// At is whether round r has an anti-entropy exchange.
func (a AntiEntropy) At(r int) bool { return a.Every > 0 && r > 0 && r%a.Every == 0 }

// Mongering is whether a trial needs the per-rumor protocol state: a stop
// rule, many rumors, a message budget or anti-entropy. Without any of
// them every engine may keep one bit per node.
func (c Config) Mongering() bool {
	return c.Stop.Rule != StopNone || c.Rumors.N() > 1 || c.Packet.MaxRumors > 0 || c.AntiEntropy.Every > 0
}

// RumorStats are one rumor's counts in one round.
type RumorStats struct {
	Informed  int // alive nodes that know the rumor at the end of the round
	New       int // learned it during the round
	Infective int // alive nodes spreading it at the end of the round
	Removed   int // alive nodes that know it and have stopped spreading
}

func (c Config) validateMongering() error {
	s := c.Stop
	switch {
	case s.Rule > StopTransmits:
		return fmt.Errorf("unknown stop rule %d", s.Rule)
	case (s.Rule == StopCounter || s.Rule == StopCoin) && s.K < 1:
		return fmt.Errorf("stop %v: k must be at least 1, got %d", s.Rule, s.K)
	case s.Rule == StopTransmits && s.Mult < 1:
		return fmt.Errorf("stop transmits: mult must be at least 1, got %d", s.Mult)
	case s.Reset && s.Rule != StopCounter:
		return fmt.Errorf("stop: reset is for the counter rule, not %v", s.Rule)
	case c.Rumors.Count < 0 || c.Rumors.Every < 0:
		return fmt.Errorf("rumors: count and every must not be negative, got %+v", c.Rumors)
	case c.Packet.MaxRumors < 0:
		return fmt.Errorf("packet: max_rumors must not be negative, got %d", c.Packet.MaxRumors)
	case c.AntiEntropy.Every < 0:
		return fmt.Errorf("anti_entropy: every must not be negative, got %d", c.AntiEntropy.Every)
	}
	return nil
}
