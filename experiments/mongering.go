package experiments

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// The keys of rumor mongering (../shared/SEMANTICS-WAVE2.md; docs/design.md,
// "Stop rules"): `stop: {rule, k, feedback, reset, mult}`, `rumors: {count,
// every}`, `packet: {max_rumors}`, `anti_entropy: {every}`, each nested key
// sweepable as topology's are, and `preset:`, a memberlist default
// configuration that sets fanout, the transmits rule and round_seconds
// where the file does not. Which rule takes which key is
// results.StopTakes; a key no rule the scenario runs takes is refused, as
// is a rule without what it needs.

// mongeringKeys are the nested mappings and their keys.
var mongeringKeys = map[string][]string{
	"stop":         results.StopKeys,
	"rumors":       results.FieldKeys(results.RumorsParams{}),
	"packet":       results.FieldKeys(results.PacketParams{}),
	"anti_entropy": results.FieldKeys(results.AntiEntropyParams{}),
}

func init() {
	paramFields["stop.rule"] = func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		// none is the wave-1 protocol, spelt out so that one sweep can
		// set a stop rule against none.
		v, ok := d.oneOf(n, field, append(slices.Clip(results.StopRules), "none")...)
		rule := v
		if v == "none" {
			rule = ""
		}
		return Value{Text: v, set: func(p *results.Params) { p.Stop.Rule = rule }}, ok
	}
	integer := func(lo, hi int, set func(*results.Params, int)) func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		return func(d *decoder, n *yaml.Node, field string) (Value, bool) {
			v, ok := d.int(n, field, lo, hi)
			return Value{Text: strconv.Itoa(v), set: func(p *results.Params) { set(p, v) }}, ok
		}
	}
	boolean := func(set func(*results.Params, bool)) func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		return func(d *decoder, n *yaml.Node, field string) (Value, bool) {
			v, ok := d.bool(n, field)
			return Value{Text: strconv.FormatBool(v), set: func(p *results.Params) { set(p, v) }}, ok
		}
	}
	paramFields["stop.k"] = integer(1, results.MaxStopK, func(p *results.Params, v int) { p.Stop.K = v })
	paramFields["stop.feedback"] = boolean(func(p *results.Params, v bool) { p.Stop.Feedback = v })
	paramFields["stop.reset"] = boolean(func(p *results.Params, v bool) { p.Stop.Reset = v })
	paramFields["stop.mult"] = integer(1, results.MaxStopK, func(p *results.Params, v int) { p.Stop.Mult = v })
	paramFields["rumors.count"] = integer(1, results.MaxRumors, func(p *results.Params, v int) { p.Rumors.Count = v })
	paramFields["rumors.every"] = integer(0, results.MaxRounds, func(p *results.Params, v int) { p.Rumors.Every = v })
	paramFields["packet.max_rumors"] = integer(1, results.MaxBudget, func(p *results.Params, v int) { p.Packet.MaxRumors = v })
	paramFields["anti_entropy.every"] = integer(1, results.MaxRounds, func(p *results.Params, v int) { p.AntiEntropy.Every = v })
}

// nested reads one of the mongering mappings; the keys it finds are kept
// in d.given, by their dotted name, for the checks per point.
func (d *decoder) nested(top string, n *yaml.Node, s *Scenario) {
	d.mapping(n, top+".", mongeringKeys[top], func(key string, _, v *yaml.Node) {
		field := top + "." + key
		d.lines[field] = v.Line
		if val, ok := paramFields[field](d, v, field); ok {
			val.set(&s.Params)
			d.given[field] = v.Line
		}
	})
}

// preset reads preset:, applied once every key is read (applyPreset).
func (d *decoder) preset(n *yaml.Node, s *Scenario) {
	s.Preset, _ = d.oneOf(n, "preset", results.PresetNames()...)
}

// applyPreset sets what the preset sets and the file does not: the file's
// keys override the preset, wherever they stand in it. A value the preset
// set takes the preset's line, for messages about it.
func (d *decoder) applyPreset(s *Scenario) {
	pr, ok := results.PresetNamed(s.Preset)
	if !ok {
		return
	}
	line := d.lines["preset"]
	if _, given := d.lines["fanout"]; !given {
		s.Fanout, d.lines["fanout"] = pr.GossipNodes, line
		s.presetFanout = true
	}
	if _, given := d.given["stop.rule"]; !given {
		s.Stop.Rule = "transmits"
		d.given["stop.rule"] = line
	}
	if _, given := d.given["stop.mult"]; !given && s.Stop.Rule == "transmits" {
		s.Stop.Mult, d.given["stop.mult"], d.lines["stop.mult"] = pr.RetransmitMult, line, line
	}
	if _, given := d.lines["round_seconds"]; !given {
		s.RoundSeconds = pr.GossipInterval.Seconds()
	}
}

// stopGiven is every key of stop: given, in the file, by the preset or
// swept, with the line of its value (of its first swept value).
func (d *decoder) stopGiven(s *Scenario) map[string]int {
	given := map[string]int{}
	for field, line := range d.given {
		if key, ok := strings.CutPrefix(field, "stop."); ok {
			given[key] = line
		}
	}
	for _, ax := range s.Sweep {
		if key, ok := strings.CutPrefix(ax.Key, "stop."); ok {
			given[key] = ax.Values[0].Line
		}
	}
	return given
}

// checkMongering is the mongering keys' part of the cross-checks, point
// by point.
func (d *decoder) checkMongering(s *Scenario) {
	given := d.stopGiven(s)
	pts := s.Points()
	var rules []string
	for _, p := range pts {
		if r := p.Params.Stop.Rule; r != "" && !slices.Contains(rules, r) {
			rules = append(rules, r)
		}
	}
	if _, ok := given["rule"]; !ok && len(given) > 0 {
		d.fail(&yaml.Node{Line: d.lines["stop"]}, "stop.rule", "missing; the stop rule, one of %s", strings.Join(results.StopRules, ", "))
		return
	}
	for _, key := range results.StopKeys[1:] {
		line, isGiven := given[key]
		if !isGiven || slices.ContainsFunc(rules, func(r string) bool { return slices.Contains(results.StopTakes(r), key) }) {
			continue
		}
		field := "stop." + key
		if s.swept(field) {
			field = "sweep." + field
		}
		who := "rule " + strings.Join(rules, ", ") + " takes no " + key
		if len(rules) > 1 {
			who = "the rules swept, " + strings.Join(rules, ", ") + ", take no " + key
		}
		d.fail(&yaml.Node{Line: line}, field, "%s; %s is for %s", who, key, strings.Join(results.StopRulesTaking(key), ", "))
	}
	for _, p := range pts {
		q := p.Params
		for _, key := range []string{"k", "mult"} {
			if _, isGiven := given[key]; !isGiven && slices.Contains(results.StopTakes(q.Stop.Rule), key) {
				line, _ := d.lineOf(s, p, "stop.rule")
				if line == 0 {
					line = d.lines["stop"]
				}
				d.fail(&yaml.Node{Line: line}, "stop."+key, "missing; rule %s needs %s%s", q.Stop.Rule, key, s.at(p))
			}
		}
		if last := (q.RumorCount() - 1) * q.Rumors.Every; last >= q.MaxRounds {
			line, field := d.lineOf(s, p, "rumors.every")
			d.fail(&yaml.Node{Line: line}, field, "the last of %d rumors is injected at round %d, which must be below max_rounds = %d%s",
				q.RumorCount(), last, q.MaxRounds, s.at(p))
		}
		if q.FreeRunning() && q.Mongering() {
			line := d.lines["http"]
			if l, f := d.lineOf(s, p, "engine"); strings.HasPrefix(f, "sweep.") {
				line = l
			}
			d.fail(&yaml.Node{Line: line}, "http.drive", "free-running http nodes do not run rumor mongering (stop, rumors, packet, anti_entropy, preset) yet; use http.drive lockstep%s", s.at(p))
		}
	}
}

// rumorStats gather a point's per-rumor delays and residues as trials
// end (results.RumorDelays), for its RumorSummary.
type rumorStats struct {
	delays  []float64   // every rumor of every trial that got to 99 %
	missed  int         // those that did not
	delay   [][]float64 // per rumor
	residue [][]float64
}

func (rs *rumorStats) add(tr *engine.Trace, p *results.Params) {
	delay, residue := results.RumorDelays(tr, p)
	if delay == nil {
		return
	}
	if rs.delay == nil {
		rs.delay, rs.residue = make([][]float64, len(delay)), make([][]float64, len(delay))
	}
	for i, d := range delay {
		rs.residue[i] = append(rs.residue[i], residue[i])
		if math.IsNaN(d) {
			rs.missed++
			continue
		}
		rs.delays = append(rs.delays, d)
		rs.delay[i] = append(rs.delay[i], d)
	}
}

// summary is nil for a point of one rumor, or none measured.
func (rs *rumorStats) summary(p *results.Params) *results.RumorSummary {
	if rs.delay == nil {
		return nil
	}
	out := &results.RumorSummary{Delay99: results.DescribeSpread(rs.delays), Missed: rs.missed}
	for i := range rs.delay {
		out.PerRumor = append(out.PerRumor, results.RumorPoint{Rumor: i, InjectedAt: i * p.Rumors.Every,
			Delay99: results.Describe(rs.delay[i]), Residue: results.Describe(rs.residue[i])})
	}
	return out
}
