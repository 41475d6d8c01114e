package experiments

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// Defaults for the optional fields.
var defaultParams = results.Params{Engine: "memory", Topology: results.TopologyParams{Kind: engine.TopologyComplete}, Mode: engine.Push, Fanout: 1, MaxRounds: 200,
	Trials: 10, Seed: 1, Source: -1, Replay: results.ReplayParams{MaxNodes: 1000},
	HTTP: results.HTTPParams{Drive: "lockstep", Interval: results.Duration(50 * time.Millisecond),
		Timeout: results.Duration(engine.DefaultTimeout)},
	Failures: []results.FailureSummary{}}

// The keys of a scenario file: its name and description, every parameter
// (results.Params is their one definition) and the sweep.
var (
	topKeys    = slices.Concat([]string{"name", "description"}, results.FieldKeys(results.Params{}), []string{"sweep"})
	httpKeys   = results.FieldKeys(results.HTTPParams{})
	replayKeys = results.FieldKeys(results.ReplayParams{})
)

// paramFields read the sweepable fields; the same reader serves the
// top-level value and every value in a sweep list.
var paramFields = map[string]func(d *decoder, n *yaml.Node, field string) (Value, bool){
	"engine": func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.oneOf(n, field, results.Engines...)
		return Value{Text: v, set: func(p *results.Params) { p.Engine = v }}, ok
	},
	"nodes": func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.int(n, field, 2, results.MaxNodes)
		return Value{Text: strconv.Itoa(v), set: func(p *results.Params) { p.Nodes = v }}, ok
	},
	"mode": func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		m, err := engine.ParseMode(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			d.fail(n, field, "must be one of push, pull, pushpull, got %s", describe(n))
			return Value{}, false
		}
		return Value{Text: m.String(), set: func(p *results.Params) { p.Mode = m }}, true
	},
	"fanout": func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.int(n, field, 1, results.MaxNodes-1)
		return Value{Text: strconv.Itoa(v), set: func(p *results.Params) { p.Fanout = v }}, ok
	},
	"loss": func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.fraction(n, field, false, true)
		return Value{Text: strconv.FormatFloat(v, 'g', -1, 64), set: func(p *results.Params) { p.Loss = v }}, ok
	},
	"max_rounds": func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.int(n, field, 1, results.MaxRounds)
		return Value{Text: strconv.Itoa(v), set: func(p *results.Params) { p.MaxRounds = v }}, ok
	},
}

func (d *decoder) scenario(root *yaml.Node) *Scenario {
	s := &Scenario{Params: defaultParams}
	var sourceNode *yaml.Node
	var failureNodes []*yaml.Node
	d.mapping(root, "", topKeys, func(key string, k, v *yaml.Node) {
		d.lines[key] = v.Line
		if read, ok := paramFields[key]; ok {
			if val, ok := read(d, v, key); ok {
				val.set(&s.Params)
			}
			return
		}
		switch key {
		case "name":
			if name, ok := d.text(v, key); ok {
				if results.Reserved(name) {
					d.fail(v, key, "%s is reserved for the report's own files (%s) beside the scenarios' results; choose another name", describe(v), results.ReservedNames())
				} else if results.ValidName(name) {
					s.Name = name
				} else {
					d.fail(v, key, "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names results/<name>/), got %s", describe(v))
				}
			}
		case "description":
			s.Description, _ = d.text(v, key)
		case "trials":
			s.Trials, _ = d.int(v, key, 1, results.MaxTrials)
		case "seed":
			s.Seed, _ = d.uint64(v, key)
		case "source":
			if src, ok := d.int(v, key, 0, results.MaxNodes-1); !ok {
				d.problems[len(d.problems)-1].Msg += " (leave source out for a random node per trial)"
			} else {
				s.Source, sourceNode = src, v
			}
		case "failures":
			failureNodes = d.failures(v, s)
		case "sweep":
			s.Sweep = d.sweep(v)
		case "replay":
			d.mapping(v, "replay.", replayKeys, func(_ string, _, v *yaml.Node) {
				s.Replay.MaxNodes, _ = d.int(v, "replay.max_nodes", 0, results.MaxReplay)
			})
		case "http":
			d.http(v, &s.HTTP)
		case "topology":
			d.topology(v, s)
		case "partitions":
			d.partitions(v, s)
		case "churn":
			d.churn(v, s)
		case "stop", "rumors", "packet", "anti_entropy":
			d.nested(key, v, s)
		case "preset":
			d.preset(v, s)
		case "round_seconds":
			if secs, ok := d.number(v, key); ok && (secs <= 0 || secs > 1e6) {
				d.fail(v, key, "must be a number of seconds above 0 and at most 1e6 (how long a round stands for), got %s", describe(v))
			} else if ok {
				s.RoundSeconds = secs
			}
		}
	})
	d.applyPreset(s)
	if _, ok := d.lines["name"]; !ok {
		d.fail(nil, "name", "missing; a scenario needs a name (letters, digits, '.', '_', '-'): results go to results/<name>/")
	}
	if _, ok := d.lines["nodes"]; !ok && d.lines["sweep.nodes"] == 0 {
		d.fail(nil, "nodes", "missing; the number of nodes, an integer from 2 to %d", results.MaxNodes)
	}
	// Cross-field rules need every field they tie together to be valid;
	// problems elsewhere (a typo in description) do not hide them.
	if !d.anyProblemIn("name", "engine", "nodes", "fanout", "max_rounds", "source", "failures", "sweep") {
		d.crossCheck(s, sourceNode, failureNodes)
	}
	if !d.anyProblemIn("nodes", "topology", "sweep") {
		d.checkTopology(s)
	}
	if !d.anyProblemIn("engine", "max_rounds", "http", "stop", "rumors", "packet", "anti_entropy", "preset", "sweep") {
		d.checkMongering(s)
	}
	if !d.anyProblemIn("engine", "max_rounds", "http", "failures", "partitions", "churn", "sweep") {
		d.checkFaults(s)
	}
	d.sortProblems()
	return s
}

func (s *Scenario) swept(key string) bool {
	for _, ax := range s.Sweep {
		if ax.Key == key {
			return true
		}
	}
	return false
}

// failures reads a list of {round: R, KIND: FRACTION}, KIND being crash,
// hang or garbage.
func (d *decoder) failures(n *yaml.Node, s *Scenario) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "failures", "must be a list of {round: R, crash: FRACTION} (or hang: or garbage: instead of crash:), got %s", describe(n))
		return nil
	}
	var nodes []*yaml.Node
	keys := append([]string{"round"}, engine.FailureKinds...)
	keys = append(keys, "recover", "keep_state")
	for i, item := range n.Content {
		prefix := fmt.Sprintf("failures[%d].", i)
		var f results.FailureSummary
		var okRound, okFraction bool
		okRecover, okKeep := true, true
		var keepNode *yaml.Node
		kinds := 0
		d.mapping(item, prefix, keys, func(key string, _, v *yaml.Node) {
			switch key {
			case "round":
				f.Round, okRound = d.int(v, prefix+key, 1, results.MaxRounds)
				return
			case "recover":
				d.lines[prefix+key] = v.Line
				if f.Recover, okRecover = d.int(v, prefix+key, 2, results.MaxRounds); !okRecover {
					d.problems[len(d.problems)-1].Msg += " (the round at whose start the nodes come back; leave recover out for nodes that never do)"
				}
				return
			case "keep_state":
				d.lines[prefix+key] = v.Line
				f.KeepState, okKeep = d.bool(v, prefix+key)
				keepNode = v
				return
			}
			kinds++
			f.Kind = key
			f.Fraction, okFraction = d.fraction(v, prefix+key, true, false)
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		if !okRound && lookup(item, "round") == nil {
			d.fail(item, prefix+"round", "missing; the round at whose start nodes fail, from 1 to max_rounds")
		}
		switch {
		case kinds == 0:
			d.fail(item, prefix+"crash", "missing; the fraction of all nodes that fail, in (0, 1], as crash:, hang: or garbage:")
		case kinds > 1:
			d.fail(item, strings.TrimSuffix(prefix, "."), "give one of crash:, hang: or garbage: per entry; list several entries for several kinds")
			okFraction = false
		}
		if okRound && okRecover && f.Recover != 0 && f.Recover <= f.Round {
			d.fail(lookup(item, "recover"), prefix+"recover", "must be a round after round %d (the nodes come back at its start), got %d", f.Round, f.Recover)
			okRecover = false
		}
		if okKeep && f.KeepState && f.Recover == 0 && lookup(item, "recover") == nil {
			d.fail(keepNode, prefix+"keep_state", "needs recover: only nodes that come back keep their state")
			okKeep = false
		}
		if okRound && okFraction && okRecover && okKeep {
			s.Failures = append(s.Failures, f)
			nodes = append(nodes, item)
		}
	}
	return nodes
}

func (d *decoder) http(n *yaml.Node, h *results.HTTPParams) {
	d.mapping(n, "http.", httpKeys, func(key string, _, v *yaml.Node) {
		field := "http." + key
		switch key {
		case "drive":
			h.Drive, _ = d.oneOf(v, field, results.Drives...)
		case "interval":
			h.Interval, _ = d.duration(v, field, engine.MinInterval)
		case "latency":
			h.Latency, _ = d.duration(v, field, 0)
		case "timeout":
			h.Timeout, _ = d.duration(v, field, results.MinTimeout)
		case "processes":
			h.Processes, _ = d.bool(v, field)
		}
	})
}
