package results

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// Rumor mongering as a scenario gives it (docs/design.md, "Stop rules";
// ../shared/SEMANTICS-WAVE2.md): the stop rule, many rumors, the message
// budget, anti-entropy and the memberlist presets. Every zero value is
// the wave-1 behaviour, which is what a summary.json written before these
// keys reads as.

// Limits of the mongering keys, for scenario files and results alike.
const (
	MaxStopK   = 1_000_000 // counter's k, coin's 1/k, transmits' mult
	MaxRumors  = 10_000    // rumors of one trial (the engine keeps nodes·rumors states)
	MaxBudget  = 10_000    // packet.max_rumors
	minStopArg = 1
)

// StopRules are the rules a scenario may name; no rule (the wave-1
// behaviour) is the empty string, not "none", so that a result of a
// scenario without stop: has the params of a result older than the key.
var StopRules = []string{"counter", "coin", "transmits"}

// StopParams are `stop:`. A parameter its rule does not take is zero
// (see StopTakes), unless a sweep names it in the point's ID.
type StopParams struct {
	Rule     string `json:"rule" sweep:"true"` // one of StopRules, "" for none
	K        int    `json:"k" sweep:"true"`
	Feedback bool   `json:"feedback" sweep:"true"`
	Reset    bool   `json:"reset" sweep:"true"`
	Mult     int    `json:"mult" sweep:"true"`
}

// RumorsParams are `rumors:`: Count 0 (older results) is one rumor.
type RumorsParams struct {
	Count int `json:"count" sweep:"true"`
	Every int `json:"every" sweep:"true"`
}

// PacketParams are `packet:`: MaxRumors 0 carries every rumor.
type PacketParams struct {
	MaxRumors int `json:"max_rumors" sweep:"true"`
}

// AntiEntropyParams are `anti_entropy:`: Every 0 is none.
type AntiEntropyParams struct {
	Every int `json:"every" sweep:"true"`
}

var stopTakes = map[string][]string{
	"counter":   {"k", "feedback", "reset"},
	"coin":      {"k", "feedback"},
	"transmits": {"mult"},
}

// StopKeys are the keys of stop:, in field order.
var StopKeys = FieldKeys(StopParams{})

// StopTakes are the keys of stop: the rule takes (rule aside).
func StopTakes(rule string) []string { return stopTakes[rule] }

// StopRulesTaking are the rules that take key, for messages.
func StopRulesTaking(key string) []string {
	var rules []string
	for _, r := range StopRules {
		if slices.Contains(stopTakes[r], key) {
			rules = append(rules, r)
		}
	}
	return rules
}

// Only keeps the parameters s's rule takes and those keep names, zeroing
// the others, as TopologyParams.Only does for kinds.
func (s StopParams) Only(keep ...string) StopParams {
	out := StopParams{Rule: s.Rule}
	for _, key := range append(slices.Clip(StopTakes(s.Rule)), keep...) {
		switch key {
		case "k":
			out.K = s.K
		case "feedback":
			out.Feedback = s.Feedback
		case "reset":
			out.Reset = s.Reset
		case "mult":
			out.Mult = s.Mult
		}
	}
	return out
}

// SweptStop are the keys of stop a sweep over keys varies.
func SweptStop(sweep []string) []string {
	var keys []string
	for _, k := range sweep {
		if key, ok := strings.CutPrefix(k, "stop."); ok && key != "rule" {
			keys = append(keys, key)
		}
	}
	return keys
}

// Engine is the stop rule as engines take it: only what its rule takes
// (a swept reset kept in a coin point's ID is not the coin's).
func (s StopParams) Engine() engine.Stop {
	s = s.Only()
	rule, _ := engine.ParseStopRule(s.Rule)
	return engine.Stop{Rule: rule, K: s.K, Feedback: s.Feedback, Reset: s.Reset, Mult: s.Mult}
}

// Mongering is whether the point runs the per-rumor protocol: a stop
// rule, many rumors, a budget or anti-entropy (engine.Config.Mongering).
func (p *Params) Mongering() bool {
	return p.Stop.Rule != "" || p.Rumors.Count > 1 || p.Packet.MaxRumors > 0 || p.AntiEntropy.Every > 0
}

// RumorCount is the number of rumors a trial of the point injects.
func (p *Params) RumorCount() int { return max(p.Rumors.Count, 1) }

// EngineRumors are the point's rumors, budget and anti-entropy as engines
// take them.
func (p *Params) EngineRumors() (engine.Rumors, engine.Packet, engine.AntiEntropy) {
	return engine.Rumors{Count: p.Rumors.Count, Every: p.Rumors.Every},
		engine.Packet{MaxRumors: p.Packet.MaxRumors}, engine.AntiEntropy{Every: p.AntiEntropy.Every}
}

// Preset is one of hashicorp/memberlist's default configurations
// (config.go: DefaultLANConfig, DefaultWANConfig, DefaultLocalConfig):
// GossipNodes is the fanout, RetransmitMult the transmits rule's mult,
// GossipInterval the length of a round.
type Preset struct {
	Name           string
	GossipNodes    int
	RetransmitMult int
	GossipInterval time.Duration
}

// Presets are the presets a scenario may name.
var Presets = []Preset{
	{Name: "memberlist-lan", GossipNodes: 3, RetransmitMult: 4, GossipInterval: 200 * time.Millisecond},
	{Name: "memberlist-wan", GossipNodes: 4, RetransmitMult: 4, GossipInterval: 500 * time.Millisecond},
	{Name: "memberlist-local", GossipNodes: 3, RetransmitMult: 2, GossipInterval: 100 * time.Millisecond},
}

// PresetNamed finds a preset.
func PresetNamed(name string) (Preset, bool) {
	for _, p := range Presets {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// PresetNames are the presets' names, for messages.
func PresetNames() []string {
	var names []string
	for _, p := range Presets {
		names = append(names, p.Name)
	}
	return names
}

// Text is the preset with its parameters, as pages show it.
func (p Preset) Text() string {
	return fmt.Sprintf("%s (GossipNodes %d, RetransmitMult %d, GossipInterval %s)", p.Name, p.GossipNodes, p.RetransmitMult, p.GossipInterval)
}

// Seconds is a count of rounds in seconds, where the point says how long
// a round is (round_seconds, from a preset or the file); false without.
func (p *Params) Seconds(rounds float64) (float64, bool) {
	if p.RoundSeconds <= 0 {
		return 0, false
	}
	return rounds * p.RoundSeconds, true
}

// CheckParams is the reader's check of a point's params, for the
// decoder's tests: what a scenario gives, summary.json must hold.
func CheckParams(p Params, sweep []string) error { return checkParams(p, sweep) }

// checkMongering holds the mongering params of a point to what a scenario
// may give: a known rule with the arguments it takes in range and no
// others but swept ones, counts in range, a known preset.
func checkMongering(p Params, sweep []string) error {
	s := p.Stop
	switch {
	case s.Rule != "" && !slices.Contains(StopRules, s.Rule):
		return fmt.Errorf("stop.rule %q: one of %v, or none", s.Rule, StopRules)
	case s.Rule == "" && s != StopParams{}:
		return fmt.Errorf("stop: no rule, but params set %+v", s)
	case s != s.Only(SweptStop(sweep)...):
		return fmt.Errorf("stop: rule %s takes %v, but params set others (%+v)", s.Rule, StopTakes(s.Rule), s)
	case slices.Contains(StopTakes(s.Rule), "k") && (s.K < minStopArg || s.K > MaxStopK):
		return fmt.Errorf("stop.k %d outside %d..%d", s.K, minStopArg, MaxStopK)
	case slices.Contains(StopTakes(s.Rule), "mult") && (s.Mult < minStopArg || s.Mult > MaxStopK):
		return fmt.Errorf("stop.mult %d outside %d..%d", s.Mult, minStopArg, MaxStopK)
	case s.K < 0 || s.Mult < 0 || s.K > MaxStopK || s.Mult > MaxStopK:
		return fmt.Errorf("stop: k %d, mult %d outside 0..%d", s.K, s.Mult, MaxStopK)
	case p.Rumors.Count < 0 || p.Rumors.Count > MaxRumors || p.Rumors.Every < 0 || p.Rumors.Every > MaxRounds:
		return fmt.Errorf("rumors: count %d outside 0..%d or every %d outside 0..%d", p.Rumors.Count, MaxRumors, p.Rumors.Every, MaxRounds)
	case p.Packet.MaxRumors < 0 || p.Packet.MaxRumors > MaxBudget:
		return fmt.Errorf("packet.max_rumors %d outside 0..%d", p.Packet.MaxRumors, MaxBudget)
	case p.AntiEntropy.Every < 0 || p.AntiEntropy.Every > MaxRounds:
		return fmt.Errorf("anti_entropy.every %d outside 0..%d", p.AntiEntropy.Every, MaxRounds)
	case p.Preset != "" && !slices.Contains(PresetNames(), p.Preset):
		return fmt.Errorf("preset %q: one of %v", p.Preset, PresetNames())
	case !(p.RoundSeconds >= 0) || math.IsInf(p.RoundSeconds, 0) || p.RoundSeconds > 1e6:
		return fmt.Errorf("round_seconds %g outside 0..1e6", p.RoundSeconds)
	case p.Mongering() && p.FreeRunning():
		return fmt.Errorf("http.drive free with rumor mongering: free-running nodes do not run it (lockstep only)")
	}
	if last := (p.RumorCount() - 1) * p.Rumors.Every; last >= p.MaxRounds {
		return fmt.Errorf("rumors: the last is injected at round %d, not before max_rounds %d", last, p.MaxRounds)
	}
	return nil
}
