package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// compare reads trials.csv and rounds.csv through as report does, under
// Welch (which needs neither) too: a result whose rows do not add up to its
// summary.json is bad input, exit 2, whatever the test.
func TestCompareRefusesBadRows(t *testing.T) {
	base := t.TempDir()
	if code, _, stderr := gossipbench(t, "run", "--quiet", "--out", base, "testdata/tiny.yaml"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	// corrupt copies the result with one line of one file changed.
	corrupt := func(file string, line int, change func(string) string) string {
		dir := filepath.Join(t.TempDir(), "tiny")
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(base, "tiny"))); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if lines[line-1] == change(lines[line-1]) {
			t.Fatalf("%s:%d unchanged", file, line)
		}
		lines[line-1] = change(lines[line-1])
		os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
		return dir
	}
	// The sixth cell from the end of a measured row is messages_per_node.
	notANumber := func(l string) string {
		c := strings.Split(l, ",")
		c[len(c)-6] = "x"
		return strings.Join(c, ",")
	}
	badTrials := corrupt("trials.csv", 2, notANumber)
	badRounds := corrupt("rounds.csv", 3, func(l string) string { return strings.Replace(l, ",1,", ",-1,", 1) })
	for _, c := range []struct {
		dir, file string
		line      int
		test      string
	}{
		{badTrials, "trials.csv", 2, "welch"}, {badTrials, "trials.csv", 2, "mann-whitney"},
		{badRounds, "rounds.csv", 3, "welch"}, {badRounds, "rounds.csv", 3, "mann-whitney"},
	} {
		code, _, stderr := gossipbench(t, "compare", "--test", c.test, filepath.Join(base, "tiny"), c.dir)
		want := filepath.Join(c.dir, c.file) + ":" + string(rune('0'+c.line))
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("compare --test %s with a bad %s: exit %d, stderr %q; want exit 2 naming %s", c.test, c.file, code, stderr, want)
		}
	}
}
