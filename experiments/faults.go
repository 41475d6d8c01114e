package experiments

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// The keys of faults over time (docs/design.md, "Faults over time"):
// failures[i].recover and keep_state (read with the failures, fields.go),
// `partitions: [{round, heal, groups, oneway}]` (groups a count or a list
// of shares) and `churn: {leave, join, from, until}`. churn.leave, .join
// and .until are sweepable, and partitions.round, .heal and .groups when
// the file lists exactly one partition. What a trial does with them is
// the engines'; here they are read and held to what the engines take.

var (
	partitionKeys = []string{"round", "heal", "groups", "oneway"}
	churnKeys     = results.FieldKeys(results.ChurnParams{})
)

func init() {
	churnRate := func(set func(*results.ChurnParams, float64)) func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		return func(d *decoder, n *yaml.Node, field string) (Value, bool) {
			v, ok := d.fraction(n, field, false, true)
			return Value{Text: strconv.FormatFloat(v, 'g', -1, 64), set: func(p *results.Params) { set(&p.Churn, v) }}, ok
		}
	}
	paramFields["churn.leave"] = churnRate(func(c *results.ChurnParams, v float64) { c.Leave = v })
	paramFields["churn.join"] = churnRate(func(c *results.ChurnParams, v float64) { c.Join = v })
	paramFields["churn.until"] = func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.int(n, field, 2, results.MaxRounds)
		return Value{Text: strconv.Itoa(v), set: func(p *results.Params) { p.Churn.Until = v }}, ok
	}
	// A swept key of the one partition copies the list: points share
	// the scenario's.
	partition := func(lo int, set func(*results.PartitionParams, int)) func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		return func(d *decoder, n *yaml.Node, field string) (Value, bool) {
			v, ok := d.int(n, field, lo, results.MaxRounds)
			return Value{Text: strconv.Itoa(v), set: func(p *results.Params) {
				if len(p.Partitions) == 1 {
					p.Partitions = slices.Clone(p.Partitions)
					set(&p.Partitions[0], v)
				}
			}}, ok
		}
	}
	paramFields["partitions.round"] = partition(1, func(q *results.PartitionParams, v int) { q.Round = v })
	paramFields["partitions.heal"] = partition(2, func(q *results.PartitionParams, v int) { q.Heal = v })
	paramFields["partitions.groups"] = func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.int(n, field, 2, results.MaxGroups)
		return Value{Text: strconv.Itoa(v), set: func(p *results.Params) {
			if len(p.Partitions) == 1 {
				p.Partitions = slices.Clone(p.Partitions)
				p.Partitions[0].Groups, p.Partitions[0].Shares = v, nil
			}
		}}, ok
	}
}

// partitions reads the list of partitions; the line of each value is
// kept as "partitions[i].key" (and "partitions.key" for the first, which
// a sweep may override), for the checks per point.
func (d *decoder) partitions(n *yaml.Node, s *Scenario) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "partitions", "must be a list of {round: R, heal: H, groups: G}, got %s", describe(n))
		return
	}
	for i, item := range n.Content {
		prefix := fmt.Sprintf("partitions[%d].", i)
		var q results.PartitionParams
		ok := true
		d.mapping(item, prefix, partitionKeys, func(key string, _, v *yaml.Node) {
			field := prefix + key
			d.lines[field] = v.Line
			if i == 0 {
				d.lines["partitions."+key] = v.Line
			}
			good := true
			switch key {
			case "round":
				q.Round, good = d.int(v, field, 1, results.MaxRounds)
			case "heal":
				q.Heal, good = d.int(v, field, 2, results.MaxRounds)
				if !good {
					d.problems[len(d.problems)-1].Msg += " (leave heal out for a partition that never heals)"
				}
			case "groups":
				q.Groups, q.Shares, good = d.groups(v, field)
			case "oneway":
				q.Oneway, good = d.bool(v, field)
			}
			ok = ok && good
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		for _, key := range []string{"round", "groups"} {
			if lookup(item, key) == nil {
				what := "the round at whose start the nodes split, from 1 to max_rounds"
				if key == "groups" {
					what = "how many groups (2 to 127), or their shares, e.g. [0.3, 0.7]"
				}
				d.fail(item, prefix+key, "missing; %s", what)
				ok = false
			}
		}
		if ok {
			s.Partitions = append(s.Partitions, q)
		}
	}
}

// groups is a count of equal groups, or a list of their shares.
func (d *decoder) groups(n *yaml.Node, field string) (int, []float64, bool) {
	if n.Kind != yaml.SequenceNode {
		g, ok := d.int(n, field, 2, results.MaxGroups)
		if !ok {
			d.problems[len(d.problems)-1].Msg += " (or a list of the groups' shares, e.g. [0.3, 0.7])"
		}
		return g, nil, ok
	}
	if len(n.Content) < 2 || len(n.Content) > results.MaxGroups {
		d.fail(n, field, "a list of shares needs 2 to %d groups, got %d", results.MaxGroups, len(n.Content))
		return 0, nil, false
	}
	shares := make([]float64, len(n.Content))
	sum, ok := 0.0, true
	for i, item := range n.Content {
		v, good := d.fraction(item, fmt.Sprintf("%s[%d]", field, i), true, true)
		shares[i], sum, ok = v, sum+v, ok && good
	}
	if ok && math.Abs(sum-1) > 1e-9 {
		d.fail(n, field, "the groups' shares must add up to 1, got %g", sum)
		ok = false
	}
	return len(shares), shares, ok
}

// churn reads churn:; from defaults to 1.
func (d *decoder) churn(n *yaml.Node, s *Scenario) {
	d.mapping(n, "churn.", churnKeys, func(key string, _, v *yaml.Node) {
		field := "churn." + key
		d.lines[field] = v.Line
		if key == "from" {
			s.Churn.From, _ = d.int(v, field, 1, results.MaxRounds)
			return
		}
		if val, ok := paramFields[field](d, v, field); ok {
			val.set(&s.Params)
		}
	})
	if s.Churn.From == 0 {
		s.Churn.From = 1
	}
}

// checkFaults is the faults' part of the cross-checks, point by point:
// rounds in order and within max_rounds, partitions apart in time, and
// no faults over time on free-running nodes.
func (d *decoder) checkFaults(s *Scenario) {
	for _, ax := range s.Sweep {
		if slices.Contains(results.PartitionKeys, ax.Key) && len(s.Partitions) != 1 {
			d.fail(&yaml.Node{Line: d.lines["sweep."+ax.Key]}, "sweep."+ax.Key,
				"sweeps the one partition's %s, but the file lists %d partitions; list exactly one", strings.TrimPrefix(ax.Key, "partitions."), len(s.Partitions))
			return
		}
	}
	for _, p := range s.Points() {
		q := p.Params
		for i, f := range q.Failures {
			if f.KeepState && q.Engine == "http" && q.HTTP.Processes {
				// A node's process exits with its states: there is nothing to keep.
				d.fail(&yaml.Node{Line: d.lines[fmt.Sprintf("failures[%d].keep_state", i)]}, fmt.Sprintf("failures[%d].keep_state", i),
					"a node of its own process loses its states when it crashes; use http.processes false%s", s.at(p))
			}
			if f.Recover > q.MaxRounds {
				d.fail(&yaml.Node{Line: d.lines[fmt.Sprintf("failures[%d].recover", i)]}, fmt.Sprintf("failures[%d].recover", i),
					"must be from round+1 = %d to max_rounds = %d%s, got %d", f.Round+1, q.MaxRounds, s.at(p), f.Recover)
			}
		}
		for i, part := range q.Partitions {
			line, field := d.partitionLine(s, p, i, "round")
			if part.Round > q.MaxRounds {
				d.fail(&yaml.Node{Line: line}, field, "must be from 1 to max_rounds = %d%s, got %d", q.MaxRounds, s.at(p), part.Round)
			}
			if part.Heal != 0 && part.Heal <= part.Round {
				line, field := d.partitionLine(s, p, i, "heal")
				d.fail(&yaml.Node{Line: line}, field, "must be a round after the partition's round %d%s, got %d (leave heal out for a partition that never heals)", part.Round, s.at(p), part.Heal)
			}
			if i > 0 {
				prev := q.Partitions[i-1]
				if prev.Heal == 0 || part.Round < prev.Heal {
					heals := "never heals"
					if prev.Heal > 0 {
						heals = fmt.Sprintf("heals at round %d", prev.Heal)
					}
					d.fail(&yaml.Node{Line: line}, field, "starts at round %d, but partitions[%d] %s: partitions must not overlap in time%s", part.Round, i-1, heals, s.at(p))
				}
			}
		}
		if c := q.Churn; c.On() && c.Until != 0 && c.Until <= c.From {
			line, field := d.lineOf(s, p, "churn.until")
			d.fail(&yaml.Node{Line: line}, field, "must be a round after churn.from = %d%s, got %d (leave until out for churn that never ends)", c.From, s.at(p), c.Until)
		}
		if q.FreeRunning() && q.FaultsOverTime() {
			line := d.lines["http"]
			if l, f := d.lineOf(s, p, "engine"); strings.HasPrefix(f, "sweep.") {
				line = l
			}
			d.fail(&yaml.Node{Line: line}, "http.drive", "free-running http nodes do not run faults over time (recover, partitions, churn) yet; use http.drive lockstep%s", s.at(p))
		}
	}
}

// partitionLine is where a point's value of partition i's key is: in the
// sweep, or in the file.
func (d *decoder) partitionLine(s *Scenario, p Point, i int, key string) (int, string) {
	if i == 0 && s.swept("partitions."+key) {
		return d.lineOf(s, p, "partitions."+key)
	}
	field := fmt.Sprintf("partitions[%d].%s", i, key)
	return d.lines[field], field
}
