package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Mistakes in flags are found before anything runs: exit 2, at once, and
// nothing written.
func TestBadFlagsFailBeforeRunning(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"--out a file", []string{"run", "--out", file, "testdata/tiny.yaml"}, "--out: " + file + " is a file, not a directory"},
		{"--out below a file", []string{"run", "--out", filepath.Join(file, "sub"), "testdata/tiny.yaml"}, "is a file, not a directory"},
		{"--out empty", []string{"run", "--out", "", "testdata/tiny.yaml"}, "--out: the output directory is empty"},
		{"report --out a file", []string{"report", "--out", file, dir}, "--out: " + file + " is a file, not a directory"},
		{"report --out empty", []string{"report", "--out", "", dir}, "--out: the output directory is empty"},
		{"--set without =", []string{"run", "--set", "fanout", "testdata/tiny.yaml"}, "--set fanout: want KEY=VALUE"},
		{"merge --out a file", []string{"merge", "--out", file, dir}, "--out: " + file + " is a file, not a directory"},
		{"node port out of range", []string{"node", "--listen", "127.0.0.1:99999"}, `the port must be from 0 to 65535, got "99999"`},
		// Not a domain name, so the resolver refuses it without asking DNS.
		{"node name that does not resolve", []string{"node", "--listen", "bad!name:0", "--token", "t"}, "--listen bad!name:0: lookup bad!name"},
		{"node address not here", []string{"node", "--listen", "192.0.2.1:0", "--token", "t"}, "192.0.2.1:0: not an address of this machine"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := gossipbench(t, c.args...)
			if code != exitBadUser || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("something ran: %q", stdout)
			}
		})
	}
	if got, _ := os.ReadFile(file); string(got) != "not a directory" {
		t.Errorf("%s was changed", file)
	}
}

// The ways a user asks for help or the version all work, and a usage
// mistake says what is wrong first, then where the usage is, in a few
// lines rather than the whole help (exit 2).
func TestHelpVersionAndUsageHints(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout string // wanted in stdout
		first  string // stderr's first line, "" for an empty stderr
		hint   string // wanted in stderr after the first line
	}{
		{"--version", []string{"--version"}, 0, "gossipbench ", "", ""},
		{"-version", []string{"-version"}, 0, "gossipbench ", "", ""},
		{"-v", []string{"-v"}, 0, "gossipbench ", "", ""},
		{"help", []string{"help"}, 0, "Commands:", "", ""},
		{"help run", []string{"help", "run"}, 0, "Usage: gossipbench run [flags] SCENARIO.yaml...", "", ""},
		{"help report", []string{"help", "report"}, 0, "Usage: gossipbench report [--out DIR] [RESULTS_DIR]", "", ""},
		{"help compare", []string{"help", "compare"}, 0, "Usage: gossipbench compare [flags] BASE NEW", "", ""},
		{"help unknown", []string{"help", "frob"}, 2, "", `gossipbench: unknown command "frob"`, "Run 'gossipbench help'"},
		{"no command", nil, 2, "", "gossipbench: no command given", "commands: run, report, compare, merge, live, node, version"},
		{"unknown command", []string{"frob"}, 2, "", `gossipbench: unknown command "frob"`, "Run 'gossipbench help'"},
		{"run without files", []string{"run"}, 2, "", "gossipbench: run needs at least one scenario file",
			"Run 'gossipbench run --help' for the flags"},
		{"unknown flag", []string{"run", "--frob", "testdata/tiny.yaml"}, 2, "",
			"gossipbench: run: flag provided but not defined: -frob", "Run 'gossipbench run --help' for the flags"},
		{"bad flag value", []string{"run", "-j", "x", "testdata/tiny.yaml"}, 2, "",
			`gossipbench: run: invalid value "x" for flag -j`, "Run 'gossipbench run --help' for the flags"},
		{"compare one dir", []string{"compare", "a"}, 2, "", "gossipbench: compare takes two results directories",
			"Run 'gossipbench compare --help' for the flags"},
		{"merge nothing", []string{"merge"}, 2, "", "gossipbench: merge needs the shard directories", "Run 'gossipbench merge --help'"},
		{"version with arguments", []string{"version", "x"}, 2, "", "gossipbench: version takes no arguments", "Run 'gossipbench version --help'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := gossipbench(t, c.args...)
			first, rest, _ := strings.Cut(stderr, "\n")
			if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.HasPrefix(first, c.first) ||
				(c.first == "") != (stderr == "") || !strings.Contains(rest, c.hint) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout %q, stderr %q then %q", code, c.code, stdout, stderr, c.stdout, c.first, c.hint)
			}
			if c.code == exitBadUser {
				if n := strings.Count(stderr, "\n"); n > 3 {
					t.Errorf("%d lines on stderr, want the reason and a short hint:\n%s", n, stderr)
				}
				if strings.Contains(stderr, "Flags:") || strings.Contains(stderr, "Commands:") {
					t.Errorf("the whole usage on a mistake:\n%s", stderr)
				}
			}
		})
	}
}

// A command without flags says so by having no "Flags:" heading.
func TestHelpWithoutFlags(t *testing.T) {
	code, stdout, _ := gossipbench(t, "version", "--help")
	if code != 0 || strings.TrimSpace(stdout) != "Usage: gossipbench version" {
		t.Fatalf("exit %d, %q; want only the usage line", code, stdout)
	}
	// Commands with flags keep the heading.
	if _, stdout, _ := gossipbench(t, "report", "--help"); !strings.Contains(stdout, "\nFlags:\n  -out DIR") {
		t.Errorf("report --help lost its flags: %q", stdout)
	}
}
