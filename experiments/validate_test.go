package experiments

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Each file in testdata/invalid holds one bad scenario. It starts with a
// block of comment lines; every "# error: " line in that block is one line
// that Load's error must print, in order. Other comment lines in the block
// explain the case. The comment block shifts the line numbers of the YAML
// below it, and the expected lines account for that.
const errorPrefix = "# error: "

// -update rewrites the "# error: " lines of failing files from what Load
// says now. Review the diff before committing it.
var update = flag.Bool("update", false, "rewrite the expected errors in testdata/invalid")

// expectedErrors returns the "# error: " lines of the leading comment block,
// and complains about any "# error: " line found below it, where it would be
// silently ignored.
func expectedErrors(t *testing.T, file string, data []byte) []string {
	t.Helper()
	var want []string
	header := true
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if header && !strings.HasPrefix(line, "#") {
			header = false
		}
		if !strings.HasPrefix(line, errorPrefix) {
			continue
		}
		if !header {
			t.Errorf("%s:%d: %q line after the leading comment block; move it to the top", file, n, errorPrefix)
			continue
		}
		want = append(want, strings.TrimPrefix(line, errorPrefix))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return want
}

func TestInvalidScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found %d files in testdata/invalid, want at least 30", len(files))
	}
	for _, file := range files {
		file := filepath.ToSlash(file)
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedErrors(t, file, data)
			if len(want) == 0 {
				t.Fatalf("%s has no %q lines at the top; every invalid scenario must say which errors it expects", file, errorPrefix)
			}
			checkInvalid(t, file, want)
		})
	}
}

// checkInvalid loads file and requires an *InvalidError whose lines are
// exactly want.
func checkInvalid(t *testing.T, file string, want []string) {
	t.Helper()
	s, err := Load(file)
	if err == nil {
		t.Fatalf("Load(%q) accepted the scenario (%s); want errors:\n%s", file, s.Describe(), strings.Join(want, "\n"))
	}
	if s != nil {
		t.Errorf("Load(%q) returned a scenario along with the error", file)
	}
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("Load(%q) error is %T, want *InvalidError: %v", file, err, err)
	}
	if inv.File != file {
		t.Errorf("InvalidError.File = %q, want %q", inv.File, file)
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(inv.Problems) {
		t.Errorf("Error() has %d lines for %d problems", len(got), len(inv.Problems))
	}
	if !reflect.DeepEqual(got, want) && *update {
		rewriteExpected(t, file, got)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load(%q) errors differ\ngot:\n%s\nwant:\n%s", file, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestInvalidRawFiles covers bad files that cannot carry "# error: "
// comments, written to a temporary directory.
func TestInvalidRawFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte // nil: do not create the file
		dir  bool   // create a directory instead
		want string // %s is the path
	}{
		{"empty.yaml", []byte{}, false,
			"%s: the file is empty; a scenario needs at least name and nodes"},
		{"blank.yaml", []byte("  \n\n\t\n"), false,
			"%s: the file is empty; a scenario needs at least name and nodes"},
		{"garbage.yaml", []byte("\x00\x01\x02\x7fELF\x00\x00"), false,
			"%s: not valid YAML: control characters are not allowed"},
		{"not_utf8.yaml", []byte("name: latin1\nnodes: 10\ndescription: caf\xe9\n"), false,
			"%s: not valid YAML: incomplete UTF-8 octet sequence"},
		{"document_marker_only.yaml", []byte("---\n"), false,
			"%s:2: a scenario is a mapping of fields (name: ..., nodes: ...), got nothing"},
		{"missing.yaml", nil, false,
			"%s: cannot read: no such file or directory"},
		{"a_directory.yaml", nil, true,
			"%s: is a directory, not a scenario file"},
		// A key spelt with YAML escapes reaches the message: a terminal must
		// not act on it (recolour, fake a line).
		{"escapes_in_a_key.yaml", []byte("name: x\nnodes: 10\n\"\\e[31mcolour\\nfake\\u2028\": 1\n"), false,
			`%s:3: \x1b[31mcolour\nfake\u2028: unknown field; allowed: name, description, engine, nodes, topology, mode, fanout, loss, max_rounds, stop, rumors, packet, anti_entropy, preset, round_seconds, trials, seed, source, failures, replay, http, sweep`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.ToSlash(filepath.Join(dir, tt.name))
			switch {
			case tt.dir:
				if err := os.Mkdir(path, 0o755); err != nil {
					t.Fatal(err)
				}
			case tt.data != nil:
				if err := os.WriteFile(path, tt.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			checkInvalid(t, path, []string{fmt.Sprintf(tt.want, path)})
		})
	}
}

func TestValidScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no files in testdata/valid")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			s, err := Load(file)
			if err != nil {
				t.Fatalf("Load(%q): %v", file, err)
			}
			data, _ := os.ReadFile(file)
			// Kind file's copy points at the copy of its edges (TestValidEdgeFile).
			if s.File != file || !bytes.Equal(s.Raw, data) && s.edges == nil {
				t.Errorf("File, Raw = %q, %d bytes; want %q and the file's %d bytes", s.File, len(s.Raw), file, len(data))
			}
			// Every point must pass the rules validation promised.
			for _, p := range s.Points() {
				if p.Params.Fanout < 1 || p.Params.Fanout > p.Params.Nodes-1 {
					t.Errorf("point %s: fanout %d, nodes %d", p.ID, p.Params.Fanout, p.Params.Nodes)
				}
			}
		})
	}
}

func mustLoadValid(t *testing.T, name string) *Scenario {
	t.Helper()
	s, err := Load("testdata/valid/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pointIDs(pts []Point) []string {
	ids := make([]string, len(pts))
	for i, p := range pts {
		ids[i] = p.ID
	}
	return ids
}

// TestValidMinimal checks the defaults of the optional fields.
func TestValidMinimal(t *testing.T) {
	s := mustLoadValid(t, "minimal.yaml")
	want := Scenario{
		File: s.File, Raw: s.Raw,
		Name: "minimal",
		Params: results.Params{Engine: "memory", Nodes: 100, Topology: results.TopologyParams{Kind: "complete"}, Mode: engine.Push, Fanout: 1, Loss: 0, MaxRounds: 200,
			Trials: 10, Seed: 1, Source: -1, Failures: []results.FailureSummary{},
			Replay: results.ReplayParams{MaxNodes: 1000},
			// The timeout the http engine uses, 5 s as the README says,
			// so that summary.json's params say what ran (not 0s).
			HTTP: results.HTTPParams{Drive: "lockstep", Interval: results.Duration(50 * time.Millisecond),
				Timeout: results.Duration(5 * time.Second)}},
	}
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("got  %+v\nwant %+v", *s, want)
	}
	pts := s.Points()
	if len(pts) != 1 || pts[0].ID != "base" || pts[0].Index != 0 || !reflect.DeepEqual(pts[0].Params, want.Params) {
		t.Errorf("Points() = %+v, want one point \"base\" with the top-level params", pts)
	}
}

// TestValidEveryField checks that each field of the file reaches the
// Scenario, and that the file sets every parameter there is: a parameter
// added to results.Params but not to every_field.yaml (or not decoded)
// fails here. A topology kind takes some of topology's keys only
// (results.TopologyTakes), so the keys every_field.yaml's kind does not
// take must be set by the valid file named for them, of a kind that takes
// them.
func TestValidEveryField(t *testing.T) {
	s := mustLoadValid(t, "every_field.yaml")
	if s.Name != "every_field" || s.Description != "Every field set to a value other than its default" {
		t.Errorf("Name, Description = %q, %q", s.Name, s.Description)
	}
	want := results.Params{Engine: "http", Nodes: 50,
		Topology: results.TopologyParams{Kind: "small-world", Degree: 4, Rewire: 0.25},
		Mode:     engine.PushPull, Fanout: 3, Loss: 0.05, MaxRounds: 80,
		Trials: 7, Seed: 42, Source: 0,
		Failures: []results.FailureSummary{{Round: 3, Kind: "crash", Fraction: 0.1}, {Round: 10, Kind: "crash", Fraction: 1}},
		Replay:   results.ReplayParams{MaxNodes: 0},
		HTTP: results.HTTPParams{Drive: "free", Interval: results.Duration(20 * time.Millisecond),
			Latency: results.Duration(1500 * time.Microsecond), Timeout: results.Duration(2 * time.Second), Processes: true}}
	if !reflect.DeepEqual(s.Params, want) {
		t.Errorf("Params = %+v\nwant     %+v", s.Params, want)
	}
	elsewhere := map[string]string{"topology.p": "erdos_renyi_p.yaml", "topology.path": "edge_file.yaml"}
	defaults := results.ParamFields(mustParse(t, "name: d\nnodes: 2\n").Params)
	for i, f := range results.ParamFields(s.Params) {
		if f.Text != defaults[i].Text || notDecoded(strings.Split(f.Key, ".")[0]) {
			continue
		}
		// every_field runs free-running http, which runs no mongering:
		// its keys are set in mongering.yaml and preset.yaml.
		if file, ok := mongeringElsewhere(f.Key); ok {
			if got := results.ParamFields(mustLoadValid(t, file).Params)[i]; got.Text == defaults[i].Text {
				t.Errorf("%s leaves %s at its default %s: set it to something else", file, f.Key, f.Text)
			}
			continue
		}
		file, ok := elsewhere[f.Key]
		if key, topo := strings.CutPrefix(f.Key, "topology."); !ok || !topo || slices.Contains(results.TopologyTakes(s.Topology.Kind), key) {
			t.Errorf("every_field.yaml leaves %s at its default %s: set it to something else", f.Key, f.Text)
			continue
		}
		other := mustLoadValid(t, file)
		if got := results.ParamFields(other.Params)[i]; got.Text == defaults[i].Text {
			t.Errorf("%s leaves %s at its default %s: set it to something else", file, f.Key, f.Text)
		}
	}
	if got, want := s.SweepKeys(), []string{"loss"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SweepKeys() = %q, want %q", got, want)
	}
	wantIDs := []string{"loss=0", "loss=0.05", "loss=0.2"}
	if got := pointIDs(s.Points()); !reflect.DeepEqual(got, wantIDs) {
		t.Errorf("point IDs = %q, want %q", got, wantIDs)
	}
	for i, p := range s.Points() {
		want := []float64{0, 0.05, 0.2}[i]
		if p.Params.Loss != want || p.Params.Nodes != 50 || p.Params.Fanout != 3 {
			t.Errorf("point %s params = %+v", p.ID, p.Params)
		}
	}
}

// mongeringElsewhere is the valid file that sets a mongering key.
func mongeringElsewhere(key string) (string, bool) {
	top, _, _ := strings.Cut(key, ".")
	switch {
	case key == "stop.mult":
		return "preset.yaml", true
	case slices.Contains([]string{"stop", "rumors", "packet", "anti_entropy", "preset", "round_seconds"}, top):
		return "mongering.yaml", true
	}
	return "", false
}

// TestValidGrid checks the grid order: the first sweep key varies slowest.
func TestValidGrid(t *testing.T) {
	s := mustLoadValid(t, "grid.yaml")
	if got, want := s.SweepKeys(), []string{"mode", "nodes"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SweepKeys() = %q, want %q", got, want)
	}
	pts := s.Points()
	wantIDs := []string{
		"mode=push,nodes=100", "mode=push,nodes=1000",
		"mode=pull,nodes=100", "mode=pull,nodes=1000",
		"mode=pushpull,nodes=100", "mode=pushpull,nodes=1000",
	}
	if got := pointIDs(pts); !reflect.DeepEqual(got, wantIDs) {
		t.Fatalf("point IDs = %q, want %q", got, wantIDs)
	}
	modes := []engine.Mode{engine.Push, engine.Pull, engine.PushPull}
	for i, p := range pts {
		want := s.Params
		want.Nodes, want.Mode = []int{100, 1000}[i%2], modes[i/2]
		if p.Index != i || !reflect.DeepEqual(p.Params, want) || want.Fanout != 2 || want.Loss != 0.1 || want.MaxRounds != 100 {
			t.Errorf("point %d (%s) = index %d, %+v; want %+v", i, p.ID, p.Index, p.Params, want)
		}
	}
	if got, want := s.Describe(), "grid: 6 points (mode x nodes) x 5 trials"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}

// TestValidNodesSweep sweeps nodes with a fixed fanout and no top-level nodes.
func TestValidNodesSweep(t *testing.T) {
	s := mustLoadValid(t, "nodes_sweep.yaml")
	// 1e3 in the file: the ID prints the value, not the spelling.
	wantIDs := []string{"nodes=5", "nodes=10", "nodes=1000", "nodes=100000"}
	pts := s.Points()
	if got := pointIDs(pts); !reflect.DeepEqual(got, wantIDs) {
		t.Fatalf("point IDs = %q, want %q", got, wantIDs)
	}
	for i, p := range pts {
		if want := []int{5, 10, 1000, 100000}[i]; p.Params.Nodes != want || p.Params.Fanout != 4 {
			t.Errorf("point %s: nodes %d fanout %d, want %d and 4", p.ID, p.Params.Nodes, p.Params.Fanout, want)
		}
	}
}

// TestValidDesignExample loads the example of docs/design.md, "Scenario file".
func TestValidDesignExample(t *testing.T) {
	s := mustLoadValid(t, "design_example.yaml")
	wantIDs := []string{"fanout=1", "fanout=2", "fanout=3", "fanout=4", "fanout=6", "fanout=8"}
	if got := pointIDs(s.Points()); !reflect.DeepEqual(got, wantIDs) {
		t.Errorf("point IDs = %q, want %q", got, wantIDs)
	}
	if s.Trials != 30 || s.Nodes != 1000 || len(s.Failures) != 1 || s.Replay.MaxNodes != 500 {
		t.Errorf("scenario = %+v", s)
	}
}

// rewriteExpected replaces the "# error: " lines at the top of file.
func rewriteExpected(t *testing.T, file string, got []string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := range got {
		out = append(out, errorPrefix+got[i])
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if !strings.HasPrefix(line, errorPrefix) && line != "" {
			out = append(out, strings.TrimSuffix(line, "\n"))
		}
	}
	if err := os.WriteFile(file, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("updated %s", file)
}
