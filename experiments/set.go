package experiments

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/internal/termtext"
	"gopkg.in/yaml.v3"
)

// A Set is one `run --set KEY=VALUE`: VALUE, read as YAML, replaces the
// value at the dotted path KEY of every scenario file before it is decoded,
// so the override meets every check a value in the file meets
// (docs/design.md, "CLI").
type Set struct {
	Text  string   // KEY=VALUE as given, for messages
	path  []string // KEY split at the dots
	value *yaml.Node
}

// ParseSet reads KEY=VALUE. Only its shape is checked here (a key, an
// equals sign, a value that is YAML); whether the key exists and the value
// fits is the decoder's to say, as for a file.
func ParseSet(text string) (Set, error) {
	shown := termtext.Escape(text) // in messages: a newline or escape typed in a value acts on no terminal
	key, val, ok := strings.Cut(text, "=")
	if !ok {
		return Set{}, fmt.Errorf("--set %s: want KEY=VALUE, such as fanout=3, http.interval=100ms or fanout=[1,2,4]", shown)
	}
	path := strings.Split(key, ".")
	if slices.Contains(path, "") {
		return Set{}, fmt.Errorf("--set %s: the key %q is not a field path; write it as in the file, with dots: fanout, http.interval, sweep.loss", shown, key)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(val), &doc); err != nil {
		return Set{}, fmt.Errorf("--set %s: the value is not valid YAML: %s", shown, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"} // "fanout=" sets nothing, which the decoder refuses
	if len(doc.Content) > 0 {
		v = doc.Content[0]
	}
	return Set{Text: text, path: path, value: v}, nil
}

// Overridden drops the sets of key (KEY=..., and sweep.KEY): a run flag
// that overrides key (--trials, --seed, --engine) wins over --set, so a
// set of it is never checked, applied or named in scenario.yaml, as a
// later set of a key replaces an earlier one (docs/design.md, "CLI").
func Overridden(sets []Set, key string) []Set {
	return slices.DeleteFunc(slices.Clone(sets), func(s Set) bool {
		return slices.Equal(s.path, []string{key}) || slices.Equal(s.path, []string{"sweep", key})
	})
}

// The nodes a Set puts in a file's tree carry a negative line, -1 for the
// first --set, -2 for the second, so that a problem found in them names
// the flag, not a line of the file (Problem.format).
func setLine(i int) int { return -(i + 1) }

// applySets puts the values of sets into the mapping root, in order, a
// later one winning. A sweepable key given a list (fanout=[1,2,4],
// topology.degree=[3,4]) sets the sweep of that key (sweep.fanout), added last (varying fastest) if
// the file does not sweep it; given one value, it also drops the key
// from the sweep, where it would be ignored (a swept key's top-level
// value is). It reports, as problems, paths through something that is
// not a mapping.
func (d *decoder) applySets(root *yaml.Node, sets []Set) {
	for i, s := range sets {
		v := copyNode(s.value, setLine(i))
		path := s.path
		// A sweep's keys are dotted (sweep: {topology.degree: [...]}), one
		// key of the sweep mapping, not a path into it.
		if key := strings.Join(path, "."); slices.Contains(results.SweepableKeys, key) {
			if v.Kind == yaml.SequenceNode {
				path = []string{"sweep", key}
			} else {
				unsweep(root, key)
			}
		} else if len(path) > 2 && path[0] == "sweep" {
			path = []string{"sweep", strings.Join(path[1:], ".")}
		}
		m := root
		for j, key := range path[:len(path)-1] {
			next := lookup(m, key)
			if next == nil {
				next = &yaml.Node{Kind: yaml.MappingNode, Line: setLine(i)}
				m.Content = append(m.Content, keyNode(key, setLine(i)), next)
			}
			if next.Kind != yaml.MappingNode {
				field := strings.Join(path[:j+1], ".")
				where := fmt.Sprintf("in the file (line %d)", next.Line)
				if next.Line < 0 {
					where = "by an earlier --set"
				}
				d.problems = append(d.problems, Problem{Line: setLine(i), Field: field,
					Msg: fmt.Sprintf("is %s %s, not a mapping, so --set cannot set %s inside it; set %s as a whole",
						describe(next), where, path[j+1], field)})
				m = nil
				break
			}
			m = next
		}
		if m != nil {
			put(m, path[len(path)-1], keyNode(path[len(path)-1], setLine(i)), v)
		}
	}
}

// unsweep removes key from root's sweep, and the sweep if nothing is left.
func unsweep(root *yaml.Node, key string) {
	sw := lookup(root, "sweep")
	if sw == nil || sw.Kind != yaml.MappingNode {
		return
	}
	remove(sw, key)
	if len(sw.Content) == 0 {
		remove(root, "sweep")
	}
}

// put replaces the first entry key of mapping m, or appends one.
func put(m *yaml.Node, key string, k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i], m.Content[i+1] = k, v
			return
		}
	}
	m.Content = append(m.Content, k, v)
}

// remove deletes every entry key from mapping m.
func remove(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			continue
		}
		i += 2
	}
}

func keyNode(key string, line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: line}
}

// copyNode copies a tree, every node at line: each file gets its own copy
// of a --set value.
func copyNode(n *yaml.Node, line int) *yaml.Node {
	c := *n
	c.Line, c.Column = line, 0
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, sub := range n.Content {
		c.Content[i] = copyNode(sub, line)
	}
	if n.Alias != nil {
		c.Alias = copyNode(n.Alias, line)
	}
	return &c
}

// encodeSet is the scenario file as run: the tree with the sets applied,
// headed by a comment naming them (and notes, of other changes), so that
// the copy in the results runs the same trials with no flags (the page's
// Reproduce command runs it).
func encodeSet(doc *yaml.Node, sets []Set, notes ...string) ([]byte, error) {
	var names []string
	for _, s := range sets {
		names = append(names, strconv.Quote(s.Text)) // quoted: a newline in a value stays in the comment
	}
	var head []string
	if len(sets) > 0 {
		head = append(head, "# The scenario file as run, with --set "+strings.Join(names, ", --set ")+" applied.")
	}
	for _, n := range notes {
		if n != "" {
			head = append(head, n)
		}
	}
	note := strings.Join(head, "\n")
	if doc.HeadComment != "" && note != "" {
		note += "\n\n" + doc.HeadComment
	} else if note == "" {
		note = doc.HeadComment
	}
	out := *doc
	out.HeadComment = note
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&out); err != nil {
		return nil, fmt.Errorf("writing the scenario with --set applied: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("writing the scenario with --set applied: %w", err)
	}
	return buf.Bytes(), nil
}
