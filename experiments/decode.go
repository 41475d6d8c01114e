package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/internal/results"
	"gopkg.in/yaml.v3"
)

// MaxScenarioBytes caps a scenario file. The largest useful scenario (a
// 10,000-point grid spelled out value by value) is a few hundred KiB; a file
// beyond this is a mistake, or /dev/zero, and reading it whole would exhaust
// memory.
const MaxScenarioBytes = results.MaxScenarioBytes

// Load reads and validates a scenario file, with sets (run --set) applied.
// Every error it returns is an *InvalidError.
func Load(path string, sets ...Set) (*Scenario, error) {
	data, msg := readScenario(path)
	if msg != "" {
		return nil, &InvalidError{File: path, Problems: []Problem{{Msg: msg}}}
	}
	return Parse(path, data, sets...)
}

// readScenario reads at most MaxScenarioBytes of a regular file or a pipe
// (so `run <(generate)` works); it refuses directories and devices, whose
// reads never end or mean nothing. A non-empty msg says what is wrong.
func readScenario(path string) (data []byte, msg string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "cannot read: " + pathErr(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, "cannot read: " + pathErr(err)
	}
	switch mode := st.Mode(); {
	case mode.IsDir():
		return nil, "is a directory, not a scenario file"
	case mode&(os.ModeDevice|os.ModeCharDevice|os.ModeSocket) != 0:
		return nil, "is a device or socket, not a scenario file"
	case mode.IsRegular() && st.Size() > MaxScenarioBytes:
		return nil, fmt.Sprintf("is %d bytes; a scenario file is at most %d bytes (1 MiB)", st.Size(), MaxScenarioBytes)
	}
	data, err = io.ReadAll(io.LimitReader(f, MaxScenarioBytes+1))
	if err != nil {
		return nil, "cannot read: " + pathErr(err)
	}
	if len(data) > MaxScenarioBytes {
		return nil, fmt.Sprintf("is more than %d bytes; a scenario file is at most %d bytes (1 MiB)", MaxScenarioBytes, MaxScenarioBytes)
	}
	return data, ""
}

// pathErr drops the path an *os.PathError repeats: messages name the file
// once, in front.
func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse decodes and validates a scenario. It reports every problem it finds,
// not just the first.
//
// The file is read into a yaml.Node tree and walked by hand rather than
// decoded with KnownFields(true): the walk knows the line of every value, so
// each problem names its line and field, unknown and duplicate keys included.
// The same walk sees the values of sets, put in the tree first, so an
// override is checked exactly as the file is.
func Parse(file string, data []byte, sets ...Set) (*Scenario, error) {
	d := &decoder{file: file, lines: map[string]int{}, given: map[string]int{}, sets: sets}
	doc, err := d.document(data)
	if err != nil {
		return nil, err
	}
	root := doc.Content[0]
	d.applySets(root, sets)
	s := d.scenario(root)
	if len(d.problems) > 0 {
		return nil, d.invalid(d.problems...)
	}
	s.File, s.Raw = file, data
	var notes []string
	if s.edges != nil {
		// As run, the path is the copy's: in scenario.yaml and in params.
		notes = append(notes, rewriteEdgePath(root, d.edgeFile.path))
		s.EdgesFrom, s.Topology.Path = d.edgeFile.path, results.EdgesFile
	}
	if len(sets) > 0 || s.edges != nil {
		if s.Raw, err = encodeSet(doc, sets, notes...); err != nil {
			return nil, err
		}
		// The copy in the results is run again (Reproduce) and read by
		// report and merge, which hold it to the cap of a scenario file.
		if len(s.Raw) > MaxScenarioBytes {
			how := "with --set applied"
			if len(sets) == 0 {
				how = "with topology.path pointing at the edge list's copy"
			}
			return nil, &InvalidError{File: file, Problems: []Problem{{Msg: fmt.Sprintf(
				"%s, the scenario is %d bytes; a scenario file is at most %d bytes (1 MiB), and the results keep it as scenario.yaml",
				how, len(s.Raw), MaxScenarioBytes)}}}
		}
	}
	return s, nil
}

func (d *decoder) invalid(problems ...Problem) *InvalidError {
	var sets []string
	for _, s := range d.sets {
		sets = append(sets, s.Text)
	}
	return &InvalidError{File: d.file, Problems: problems, Sets: sets}
}

// firstAt says where the first of two equal things is, for messages: a
// line of the file; nothing for a --set, which the message names already.
func firstAt(line int) string {
	if line < 0 {
		return ""
	}
	return fmt.Sprintf(" (first at line %d)", line)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document is the file's one YAML document, whose one node is a mapping.
func (d *decoder) document(data []byte) (*yaml.Node, error) {
	invalid := func(line int, msg string) error {
		return &InvalidError{File: d.file, Problems: []Problem{{Line: line, Msg: msg}}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalid(0, "the file is empty; a scenario needs at least name and nodes")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, invalid(0, "the file has no YAML document; a scenario needs at least name and nodes")
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		return nil, invalid(line, "not valid YAML: "+msg)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, invalid(extra.Line, "more than one YAML document; a file holds one scenario")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, invalid(root.Line, "a scenario is a mapping of fields (name: ..., nodes: ...), got "+describe(root))
	}
	return &doc, nil
}

type decoder struct {
	file     string
	problems []Problem
	reported map[Problem]bool      // the problems, to drop repeats in linear time
	lines    map[string]int        // line of each top-level key, for cross-field checks
	sets     []Set                 // run --set, whose nodes have negative lines (setLine)
	topo     map[string]*yaml.Node // the keys of topology: given, with their values
	given    map[string]int        // the keys of the mongering mappings given ("stop.k"), with their lines
	edgeFile *topologyFile         // kind file's edge list, read
}

// anyProblemIn reports whether a problem was found in one of these
// top-level fields (or below them).
func (d *decoder) anyProblemIn(fields ...string) bool {
	for _, p := range d.problems {
		top := strings.FieldsFunc(p.Field, func(r rune) bool { return r == '.' || r == '[' })
		if len(top) > 0 && contains(fields, top[0]) {
			return true
		}
	}
	return false
}

// sortProblems puts problems in file order, those of --set first, in flag
// order, those without a line last.
func (d *decoder) sortProblems() {
	rank := func(line int) int {
		switch {
		case line < 0: // --set number -line
			return -line
		case line == 0:
			return math.MaxInt
		}
		return len(d.sets) + line
	}
	sort.SliceStable(d.problems, func(i, j int) bool { return rank(d.problems[i].Line) < rank(d.problems[j].Line) })
}

func (d *decoder) fail(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p := Problem{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	if d.reported[p] { // a rule broken at every point of a grid is one problem
		return
	}
	if d.reported == nil {
		d.reported = map[Problem]bool{}
	}
	d.reported[p] = true
	d.problems = append(d.problems, p)
}

// mapping calls visit for each key of a mapping node, reporting duplicate
// keys and keys not in allowed.
func (d *decoder) mapping(n *yaml.Node, prefix string, allowed []string, visit func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, strings.TrimSuffix(prefix, "."), "must be a mapping with keys %s, got %s", strings.Join(allowed, ", "), describe(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if first, dup := seen[key]; dup {
			d.fail(k, prefix+key, "appears twice%s", firstAt(first))
			continue
		}
		seen[key] = k.Line
		if k.Kind != yaml.ScalarNode {
			d.fail(k, strings.TrimSuffix(prefix, "."), "%s used as a key; keys are field names: %s", describe(k), strings.Join(allowed, ", "))
			continue
		}
		if !contains(allowed, key) {
			if prefix == "sweep." && contains(topKeys, key) {
				d.fail(k, prefix+key, "%s cannot be swept; sweepable: %s", key, strings.Join(allowed, ", "))
			} else {
				d.fail(k, prefix+key, "unknown field; allowed: %s", strings.Join(allowed, ", "))
			}
			continue
		}
		visit(key, k, v)
	}
}

// describe says what a node is, for "got ..." in messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return "the text " + strconv.Quote(n.Value) + " (remove the quotes)"
		}
	}
	return strconv.Quote(n.Value)
}
