package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// gossipbench runs the CLI in-process and returns its exit code and output.
func gossipbench(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = exitCode(run(args, &out, &errb), &errb)
	return code, out.String(), errb.String()
}

func TestRunWritesResults(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := gossipbench(t, "run", "--out", out, "testdata/tiny.yaml", "-j", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"tiny: 4 points x 8 trials", "mode=push,nodes=50", "mode=pushpull,nodes=200", "8/8"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	dir := filepath.Join(out, "tiny")
	for _, f := range []string{"scenario.yaml", "manifest.json", "summary.json", "rounds.csv",
		"replay/mode=push,nodes=50.json", "replay/mode=pushpull,nodes=200.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	raw, _ := os.ReadFile("testdata/tiny.yaml")
	if copied, _ := os.ReadFile(filepath.Join(dir, "scenario.yaml")); !bytes.Equal(raw, copied) {
		t.Error("scenario.yaml is not an exact copy of the input")
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("results dir holds %d entries, want only tiny/ (no temporary dirs left)", len(entries))
	}
}

// The same scenario and seed give the same bytes, whatever -j is.
func TestRunIsDeterministicAcrossParallelism(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, c := range []struct{ out, j string }{{a, "1"}, {b, "3"}} {
		if code, _, stderr := gossipbench(t, "run", "--quiet", "-j", c.j, "--out", c.out, "testdata/tiny.yaml"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, f := range []string{"summary.json", "rounds.csv", "replay/mode=pushpull,nodes=50.json"} {
		x, err1 := os.ReadFile(filepath.Join(a, "tiny", f))
		y, err2 := os.ReadFile(filepath.Join(b, "tiny", f))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between -j 1 and -j 3", f)
		}
	}
}

func TestRunOverrides(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := gossipbench(t, "run", "--trials", "3", "--seed", "9", "--out", out, "testdata/tiny.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "x 3 trials") || !strings.Contains(stdout, "3/3") {
		t.Errorf("--trials 3 not applied:\n%s", stdout)
	}
	sum, _ := os.ReadFile(filepath.Join(out, "tiny", "summary.json"))
	if !strings.Contains(string(sum), `"seed": 9`) {
		t.Error("--seed 9 not in summary.json")
	}
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		code       int
		stdout     string
		stderr     string
		nothingOut bool
	}{
		{"help", []string{"--help"}, 0, "Commands:", "", false},
		{"run help", []string{"run", "--help"}, 0, "-trials", "", false},
		{"no command", nil, 2, "", "no command given", false},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, false},
		{"run without files", []string{"run"}, 2, "", "needs at least one scenario file", true},
		{"unknown flag", []string{"run", "--frob", "testdata/tiny.yaml"}, 2, "", "flag provided but not defined: -frob", true},
		{"memory guard", []string{"run", "-j", "10000", "testdata/huge.yaml"}, 2, "", "testdata/huge.yaml needs about", true},
		{"--trials 0", []string{"run", "--trials", "0", "testdata/tiny.yaml"}, 2, "", "--trials must be from 1 to 100000, got 0", true},
		{"bad -j", []string{"run", "-j", "0", "testdata/tiny.yaml"}, 2, "", "-j must be at least 1", true},
		{"bad --seed", []string{"run", "--seed", "-3", "testdata/tiny.yaml"}, 2, "", "--seed must be a non-negative integer", true},
		{"missing file", []string{"run", "testdata/nope.yaml"}, 2, "", "testdata/nope.yaml: cannot read: no such file or directory", true},
		{"bad scenario", []string{"run", "testdata/bad.yaml"}, 2, "",
			"gossipbench: testdata/bad.yaml:3: fanout: must be from 1 to nodes-1 = 99, got 100", true},
		{"bad scenario after a good one", []string{"run", "testdata/tiny.yaml", "testdata/bad.yaml"}, 2, "",
			"testdata/bad.yaml:3: fanout: must be from 1 to nodes-1 = 99, got 100", true},
		{"node with arguments", []string{"node", "extra"}, 2, "", `node takes no arguments`, false},
		{"node with a bad address", []string{"node", "--listen", "nowhere"}, 2, "", `--listen must be HOST:PORT`, false},
		{"unknown --engine", []string{"run", "--engine", "warp", "testdata/tiny.yaml"}, 2, "", `unknown engine "warp"`, true},
		{"same name twice", []string{"run", "testdata/tiny.yaml", "testdata/tiny.yaml"}, 2, "", `both have name "tiny"`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "results")
			args := c.args
			if len(args) > 0 && args[0] == "run" {
				args = append([]string{"run", "--out", out}, args[1:]...)
			}
			code, stdout, stderr := gossipbench(t, args...)
			if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout %q, stderr %q", code, c.code, stdout, stderr, c.stdout, c.stderr)
			}
			if _, err := os.Stat(out); c.nothingOut && err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := gossipbench(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "gossipbench ") || !strings.Contains(stdout, "go1.") {
		t.Fatalf("exit %d: %q", code, stdout)
	}
}

func TestRunOnRealNodes(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := gossipbench(t, "run", "--out", out, "testdata/http.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "on http") || !strings.Contains(stdout, "3/3") {
		t.Errorf("table:\n%s", stdout)
	}
	rounds, err := os.ReadFile(filepath.Join(out, "http-tiny", "rounds.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Row 1 of trial 0: bytes are on the wire.
	lines := strings.Split(string(rounds), "\n")
	at := slices.Index(strings.Split(lines[0], ","), "bytes")
	if cols := strings.Split(lines[2], ","); at < 0 || cols[at] == "0" {
		t.Errorf("round 1 reports no bytes: %s", lines[2])
	}
	if _, err := os.Stat(filepath.Join(out, "http-tiny", "replay", "base.json")); err != nil {
		t.Error(err)
	}
}

// A sweep over engines runs the same trials on both (the seeds leave the
// engine out), so the lockstep http point's rows are the memory point's,
// column for column but bytes, as the shipped http-vs-memory shows.
func TestEngineSweepGivesTheSameRows(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := gossipbench(t, "run", "--quiet", "--out", out, "testdata/engines.yaml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "engines", "rounds.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	at := slices.Index(strings.Split(lines[0], ","), "bytes")
	for _, line := range lines[1:] {
		cols := strings.Split(line, ",")
		// point, engine (swept), then trial onwards; bytes are the wire's.
		cols[at] = ""
		rows[cols[0]] = append(rows[cols[0]], strings.Join(cols[2:], ","))
	}
	mem, web := rows["engine=memory"], rows["engine=http"]
	if len(mem) < 3*3 {
		t.Fatalf("%d memory rows for 3 trials: %v", len(mem), mem)
	}
	if strings.Join(mem, "\n") != strings.Join(web, "\n") {
		t.Errorf("the http point's rows differ from the memory point's:\nmemory:\n%s\nhttp:\n%s",
			strings.Join(mem, "\n"), strings.Join(web, "\n"))
	}
}

// report on a truncated summary.json renders the rest, names the file and
// exits 2.
func TestReportOnBrokenResults(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := gossipbench(t, "run", "--quiet", "--out", out, "testdata/tiny.yaml"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := gossipbench(t, "report", "--quiet", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	bad := filepath.Join(out, "tiny", "summary.json")
	data, _ := os.ReadFile(bad)
	if err := os.WriteFile(bad, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := gossipbench(t, "report", "--quiet", out)
	if code != 2 || !strings.Contains(stderr, bad) {
		t.Fatalf("exit %d, stderr %q: want 2 naming %s", code, stderr, bad)
	}
}

func TestCountSaysOneWithoutS(t *testing.T) {
	for n, want := range map[int]string{0: "0 points", 1: "1 point", 2: "2 points"} {
		if got := results.Count(n, "point"); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
