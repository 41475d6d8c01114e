package experiments

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/topology"
	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// `topology: {kind, degree, p, rewire, path}` (docs/design.md, "In
// scenarios and results"). The decoder reads each key's type here; which
// kind takes which key is results.TopologyTakes; whether the values fit
// the nodes is topology.Check, called per point, its message placed at
// the key it names.

var topologyKeys = results.FieldKeys(results.TopologyParams{})

// The sweepable keys of topology:, read like every sweepable field.
func init() {
	paramFields["topology.kind"] = func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		v, ok := d.oneOf(n, field, engine.TopologyKinds...)
		return Value{Text: v, set: func(p *results.Params) { p.Topology.Kind = v }}, ok
	}
	number := func(set func(*results.TopologyParams, float64)) func(d *decoder, n *yaml.Node, field string) (Value, bool) {
		return func(d *decoder, n *yaml.Node, field string) (Value, bool) {
			v, ok := d.number(n, field)
			return Value{Text: strconv.FormatFloat(v, 'g', -1, 64), set: func(p *results.Params) { set(&p.Topology, v) }}, ok
		}
	}
	paramFields["topology.degree"] = number(func(t *results.TopologyParams, v float64) { t.Degree = v })
	paramFields["topology.p"] = number(func(t *results.TopologyParams, v float64) { t.P = v })
	paramFields["topology.rewire"] = number(func(t *results.TopologyParams, v float64) { t.Rewire = v })
}

// topologyFile is kind file's edge list as the decoder found it.
type topologyFile struct {
	path string // as the scenario spells it
	line int    // of topology.path
	data []byte // the file, parsed once the nodes are known
}

// topology reads the mapping; the keys it finds are kept in d.topo for
// the checks per point.
func (d *decoder) topology(n *yaml.Node, s *Scenario) {
	d.topo = map[string]*yaml.Node{}
	d.mapping(n, "topology.", topologyKeys, func(key string, _, v *yaml.Node) {
		field := "topology." + key
		d.lines[field] = v.Line
		if key == "path" {
			d.topo[key] = v
			if path, ok := d.text(v, field); ok {
				s.Topology.Path = path
				d.readEdgeFile(v, path)
			}
			return
		}
		if val, ok := paramFields[field](d, v, field); ok {
			val.set(&s.Params)
			d.topo[key] = v
		}
	})
}

// readEdgeFile reads the edge list, relative to the scenario file's
// directory and inside it (see openInside); it is parsed once the nodes
// are known (checkTopology).
func (d *decoder) readEdgeFile(v *yaml.Node, path string) {
	data, msg := readInside(d.file, path, topology.MaxEdgesBytes, "an edge list", "64 MiB")
	if msg != "" {
		d.fail(v, "topology.path", "%s %s", path, msg)
		return
	}
	d.edgeFile = &topologyFile{path: path, line: v.Line, data: data}
}

// topologyGiven is every topology key the file gives, swept or not, with
// the line of its value (of its first swept value).
func (d *decoder) topologyGiven(s *Scenario) map[string]int {
	given := map[string]int{}
	for key, v := range d.topo {
		given[key] = v.Line
	}
	for _, ax := range s.Sweep {
		if key, ok := strings.CutPrefix(ax.Key, "topology."); ok {
			given[key] = ax.Values[0].Line
		}
	}
	return given
}

// checkTopology is topology's part of the cross-checks: each key given
// must be taken by a kind the scenario runs (in a sweep over kinds, each
// point keeps those its kind takes: Points); each point's kind must have
// what it needs, which topology.Check then holds to the point's nodes.
func (d *decoder) checkTopology(s *Scenario) {
	given := d.topologyGiven(s)
	pts := s.Points()
	var kinds []string
	for _, p := range pts {
		if !slices.Contains(kinds, p.Params.Topology.Kind) {
			kinds = append(kinds, p.Params.Topology.Kind)
		}
	}
	for _, key := range topologyKeys[1:] { // kind is for every kind
		line, isGiven := given[key]
		if !isGiven || slices.ContainsFunc(kinds, func(k string) bool { return slices.Contains(results.TopologyTakes(k), key) }) {
			continue
		}
		field := "topology." + key
		if s.swept(field) {
			field = "sweep." + field
		}
		who := "kind " + kinds[0] + " takes no " + key + " (it takes " + takesText(kinds) + ")"
		if len(kinds) > 1 {
			who = "the kinds swept, " + strings.Join(kinds, ", ") + ", take no " + key + " (they take " + takesText(kinds) + ")"
		}
		d.fail(&yaml.Node{Line: line}, field, "%s; %s is for %s", who, key, strings.Join(results.TopologyKindsTaking(key), ", "))
	}
	// A key no kind takes is dropped from the points (Points): Check
	// is not confused by it.
	edges := d.parseEdges(s, pts)
	for _, p := range pts {
		t := p.Params.Topology
		missing := false
		for _, key := range results.TopologyTakes(t.Kind) {
			if _, isGiven := given[key]; isGiven || t.Kind == engine.TopologyErdosRenyi {
				continue // erdos-renyi takes degree or p: Check says
			}
			missing = true
			line, _ := d.lineOf(s, p, "topology.kind")
			if line == 0 {
				line = d.lines["topology"]
			}
			d.fail(&yaml.Node{Line: line}, "topology."+key, "missing; kind %s needs %s%s", t.Kind, key, s.at(p))
		}
		if missing {
			continue
		}
		if t.Kind == engine.TopologyFile {
			d.checkEdges(p, edges, s.at(p))
			continue // the file's check is ReadEdges, by line
		}
		if err := topology.Check(t.Engine(nil), p.Params.Nodes); err != nil {
			name, msg, _ := strings.Cut(err.Error(), ": ")
			key := "topology." + name
			if name == "nodes" {
				key = "nodes"
			}
			line, field := d.lineOf(s, p, key)
			if line == 0 { // a key in the file's topology: with no line of its own
				line = d.lines["topology"]
			}
			d.fail(&yaml.Node{Line: line}, field, "%s%s", msg, s.at(p))
		}
	}
}

// takesText is what kinds take, for messages.
func takesText(kinds []string) string {
	var keys []string
	for _, k := range kinds {
		for _, key := range results.TopologyTakes(k) {
			if !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
	}
	if len(keys) == 0 {
		return "no parameters"
	}
	return strings.Join(keys, ", ") + " only"
}

// parseEdges reads the edge list on the most nodes of a point of kind
// file; nil when there is none (or it is bad: the problem is reported).
func (d *decoder) parseEdges(s *Scenario, pts []Point) [][2]int32 {
	f := d.edgeFile
	if f == nil {
		return nil
	}
	most := 0
	for _, p := range pts {
		if p.Params.Topology.Kind == engine.TopologyFile {
			most = max(most, p.Params.Nodes)
		}
	}
	if most == 0 {
		return nil
	}
	edges, err := topology.ReadEdges(bytes.NewReader(f.data), most)
	if err != nil {
		d.fail(&yaml.Node{Line: f.line}, "topology.path", "%s %s", f.path, err)
		d.edgeFile = nil
		return nil
	}
	s.edges = edges
	return edges
}

// checkEdges holds the edges to a point's nodes: its ids are below the
// most nodes of a point, maybe not below this one's, and then ReadEdges
// on this point's nodes names the line.
func (d *decoder) checkEdges(p Point, edges [][2]int32, at string) {
	f := d.edgeFile
	if f == nil {
		return
	}
	var top int32 = -1
	for _, e := range edges {
		top = max(top, e[0], e[1])
	}
	if int(top) < p.Params.Nodes {
		return
	}
	_, err := topology.ReadEdges(bytes.NewReader(f.data), p.Params.Nodes)
	d.fail(&yaml.Node{Line: f.line}, "topology.path", "%s %s%s", f.path, err, at)
}

// rewriteEdgePath points topology.path of the tree at the copy of the
// edge list a result keeps beside scenario.yaml, so that the copy of the
// scenario runs the same graph (docs/design.md, "In scenarios and
// results"). It says what it did, for the copy's head comment.
func rewriteEdgePath(root *yaml.Node, was string) string {
	t := lookup(root, "topology")
	if t == nil || t.Kind != yaml.MappingNode {
		return ""
	}
	put(t, "path", keyNode("path", 0), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: results.EdgesFile})
	if was == results.EdgesFile {
		return ""
	}
	return fmt.Sprintf("# topology.path is the copy of the edge list beside this file (the scenario read %s).", strconv.Quote(was))
}

// readInside reads path, relative to the directory of the scenario file,
// at most limit bytes of a regular file. A scenario is hostile input and
// what it reads is copied into the result, which travels: so the path may
// not leave the scenario's directory, neither by itself (absolute, ..) nor
// through a symbolic link (os.Root refuses that); a link to a regular file
// inside is read. A non-empty msg says what is wrong.
func readInside(file, path string, limit int64, what, limitText string) (data []byte, msg string) {
	if !filepath.IsLocal(path) {
		return nil, "is not inside the scenario's directory; give a path relative to the scenario file, without .."
	}
	root, err := os.OpenRoot(filepath.Dir(file))
	if err != nil {
		return nil, "cannot be read: " + pathErr(err)
	}
	defer root.Close()
	st, err := root.Stat(path) // not Open first: opening a FIFO would block
	switch {
	case err != nil:
		return nil, "cannot be read: " + pathErr(err)
	case st.IsDir():
		return nil, "is a directory, not " + what
	case !st.Mode().IsRegular():
		return nil, "is not a regular file; " + what + " is one"
	case st.Size() > limit:
		return nil, fmt.Sprintf("is %d bytes; %s is at most %d bytes (%s)", st.Size(), what, limit, limitText)
	}
	f, err := root.Open(path)
	if err != nil {
		return nil, "cannot be read: " + pathErr(err)
	}
	defer f.Close()
	if opened, err := f.Stat(); err != nil || !os.SameFile(st, opened) {
		return nil, "changed while being opened; try again"
	}
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "cannot be read: " + pathErr(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Sprintf("is more than %d bytes; %s is at most %d bytes (%s)", limit, what, limit, limitText)
	}
	return data, ""
}
