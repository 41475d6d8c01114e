package experiments

import (
	"fmt"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// sweep reads `sweep:`, a mapping from sweepable keys to non-empty lists.
func (d *decoder) sweep(n *yaml.Node) []Axis {
	var axes []Axis
	d.mapping(n, "sweep.", results.SweepableKeys, func(key string, k, v *yaml.Node) {
		field := "sweep." + key
		d.lines[field] = k.Line
		if v.Kind != yaml.SequenceNode {
			d.fail(v, field, "must be a list of %s values, e.g. [1, 2, 4], got %s", key, describe(v))
			return
		}
		if len(v.Content) == 0 {
			d.fail(v, field, "is an empty list; give at least one %s value", key)
			return
		}
		ax := Axis{Key: key}
		seen := map[string]int{}
		ok := true
		for i, item := range v.Content {
			val, good := paramFields[key](d, item, fmt.Sprintf("%s[%d]", field, i))
			if !good {
				ok = false
				continue
			}
			if first, dup := seen[val.Text]; dup {
				d.fail(item, fmt.Sprintf("%s[%d]", field, i), "%s appears twice in the list%s", val.Text, firstAt(first))
				ok = false
				continue
			}
			seen[val.Text] = item.Line
			val.Line = item.Line
			ax.Values = append(ax.Values, val)
		}
		if ok {
			axes = append(axes, ax)
		}
	})
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		d.fail(n, "sweep", "is empty; give at least one key with a list of values, e.g. fanout: [1, 2, 4]")
	}
	total := 1
	for _, ax := range axes {
		total *= len(ax.Values)
		if total > results.MaxPoints {
			d.fail(n, "sweep", "the grid has more than %d points; sweep fewer keys or values", results.MaxPoints)
			return nil
		}
	}
	return axes
}

// crossCheck tests the rules that tie fields together, point by point, and
// reports each at the line of the value that breaks it.
func (d *decoder) crossCheck(s *Scenario, sourceNode *yaml.Node, failureNodes []*yaml.Node) {
	for _, p := range s.Points() {
		if p.Params.Fanout > p.Params.Nodes-1 {
			if !s.swept("fanout") && s.swept("nodes") {
				line, field := d.lineOf(s, p, "nodes")
				d.fail(&yaml.Node{Line: line}, field, "%d nodes are too few for fanout %d (nodes must be at least %d)",
					p.Params.Nodes, p.Params.Fanout, p.Params.Fanout+1)
			} else {
				line, field := d.lineOf(s, p, "fanout")
				d.fail(&yaml.Node{Line: line}, field, "must be from 1 to nodes-1 = %d%s, got %d",
					p.Params.Nodes-1, s.at(p), p.Params.Fanout)
			}
		}
		if s.Source >= p.Params.Nodes {
			d.fail(sourceNode, "source", "must be a node from 0 to nodes-1 = %d%s, got %d", p.Params.Nodes-1, s.at(p), s.Source)
		}
		for i, f := range s.Failures {
			if f.Round > p.Params.MaxRounds {
				d.fail(lookup(failureNodes[i], "round"), fmt.Sprintf("failures[%d].round", i),
					"must be from 1 to max_rounds = %d%s, got %d", p.Params.MaxRounds, s.at(p), f.Round)
			}
		}
	}
	for _, p := range s.Points() {
		if p.Params.Engine != "memory" && p.Params.Nodes > maxHTTPNodes {
			line, field := d.lineOf(s, p, "nodes")
			d.fail(&yaml.Node{Line: line}, field, "the %s engine runs at most %d nodes%s, got %d",
				p.Params.Engine, maxHTTPNodes, s.at(p), p.Params.Nodes)
		}
	}
}

// lineOf is where a point's value of key is: the line and field of its
// value in the sweep, or of the key in the file.
func (d *decoder) lineOf(s *Scenario, p Point, key string) (line int, field string) {
	for ai, ax := range s.Sweep {
		if ax.Key == key {
			vi := p.valueIndex(s, ai)
			return ax.Values[vi].Line, fmt.Sprintf("sweep.%s[%d]", key, vi)
		}
	}
	return d.lines[key], key
}

// at names a point of a sweep in messages.
func (s *Scenario) at(p Point) string {
	if len(s.Sweep) == 0 {
		return ""
	}
	return " at point " + p.ID
}

// maxHTTPNodes: see engine.MaxHTTPNodes.
const maxHTTPNodes = engine.MaxHTTPNodes

// valueIndex is which value of axis ai a point took: the grid is
// row-major, the first axis varying slowest.
func (p Point) valueIndex(s *Scenario, ai int) int {
	stride := 1
	for _, ax := range s.Sweep[ai+1:] {
		stride *= len(ax.Values)
	}
	return p.Index / stride % len(s.Sweep[ai].Values)
}

// lookup is the value of key in a mapping node, nil if absent.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Describe is a one-line summary of the plan, for logs and --help examples.
func (s *Scenario) Describe() string {
	pts := s.Points()
	keys := strings.Join(s.SweepKeys(), " x ")
	if keys == "" {
		keys = "no sweep"
	}
	return fmt.Sprintf("%s: %d points (%s) x %d trials", s.Name, len(pts), keys, s.Trials)
}
