package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/resultstest"
)

// The acceptance test: runs that differ only in seed compare as no
// significant change and exit 0; adding loss is a significant increase in
// rounds that trips the gate and exits 1. The seed-only comparison tests 9
// metrics, so it runs at --alpha 0.001 (Bonferroni for a family-wise 1 %);
// compare's own tests check that the per-metric rate is alpha.
func TestCompareSeedAndLoss(t *testing.T) {
	base := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\n", false)
	seed := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 2\n", false)
	loss := resultstest.Write(t, t.TempDir(), resultstest.Scenario+"seed: 1\nloss: 0.3\n", false)
	fullRow := regexp.MustCompile(`(?m)^\s+rounds_to_full\s.*$`)

	code, stdout, stderr := gossipbench(t, "compare", "--alpha", "0.001", "--fail-on", "rounds_to_full>+5%", base, seed)
	if code != 0 || !strings.Contains(stdout, "\nno significant change") || stderr != "" {
		t.Fatalf("seed only: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Nothing changed, so by default nothing is listed but the count.
	if row := fullRow.FindString(stdout); row != "" || strings.Contains(stdout, "point  ") ||
		!regexp.MustCompile(`\n\d+ unchanged rows hidden \(--all shows every row\)\n`).MatchString(stdout) {
		t.Errorf("seed only: unchanged rows are listed or their count is missing:\n%s", stdout)
	}
	_, stdout, _ = gossipbench(t, "compare", "--all", "--alpha", "0.001", base, seed)
	if row := fullRow.FindString(stdout); !strings.HasSuffix(row, "~") || strings.Contains(stdout, "hidden") {
		t.Errorf("seed only, --all: rounds_to_full row %q is not marked ~, or rows are hidden:\n%s", row, stdout)
	}

	code, stdout, stderr = gossipbench(t, "compare", "--fail-on", "rounds_to_full>+5%", base, loss)
	if code != 1 || !strings.Contains(stderr, "gates tripped: rounds_to_full>+5%") {
		t.Fatalf("loss: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if row := fullRow.FindString(stdout); !strings.HasSuffix(row, "↑!") || !strings.Contains(row, "Welch t") {
		t.Errorf("loss: rounds_to_full row %q is not a significant increase that tripped a gate", row)
	}
	if !strings.Contains(stdout, "rounds_to_full>+5%: TRIPPED at scenario demo, point base: ") {
		t.Errorf("loss: the tripped gate is not listed:\n%s", stdout)
	}

	// The same through JSON, with the rank test.
	code, stdout, _ = gossipbench(t, "compare", "--format", "json", "--test", "mann-whitney", base, loss)
	var rep struct {
		Scenarios []struct {
			Points []struct {
				Metrics []struct {
					Metric, Test string
					Delta, P     float64
					Significant  bool
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 0 {
		t.Fatalf("json: exit %d, %v\n%s", code, err, stdout)
	}
	for _, m := range rep.Scenarios[0].Points[0].Metrics {
		if m.Metric == "rounds_to_full" && (!m.Significant || m.Delta <= 0 || m.Test != "mann_whitney_u") {
			t.Errorf("json: %+v", m)
		}
	}

	// Markdown for CI summaries, and the HTML page.
	page := filepath.Join(t.TempDir(), "compare.html")
	code, stdout, _ = gossipbench(t, "compare", "--format", "markdown", "--html", page, base, loss)
	if code != 0 || !strings.HasPrefix(stdout, "**gossipbench compare: ") || !strings.Contains(stdout, "| --- | --- | ---: |") {
		t.Errorf("markdown: exit %d\n%s", code, stdout)
	}
	// compare --html /tmp/x wrote /tmp/assets: the page now stands alone.
	if entries, _ := os.ReadDir(filepath.Dir(page)); len(entries) != 1 {
		t.Errorf("compare --html wrote %v, want only the page", entries)
	}
}

func TestCompareExitCodes(t *testing.T) {
	good := resultstest.Write(t, t.TempDir(), resultstest.Scenario, false)
	summary, err := os.ReadFile(filepath.Join(good, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	result := func(summary []byte) string {
		dir := filepath.Join(t.TempDir(), "demo")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "summary.json"), summary, 0o644)
		return dir
	}
	truncated := result(summary[:len(summary)-40])
	schema := result([]byte(strings.Replace(string(summary), `"schema": 2`, `"schema": 3`, 1)))
	missing := filepath.Join(t.TempDir(), "nope")
	htmlDir := t.TempDir() // an --html naming a directory: refused, nothing written in it
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"--help"}, 0, "Usage: gossipbench compare [flags] BASE NEW", ""},
		{"one dir", []string{good}, 2, "", "compare takes two results directories, BASE and NEW; got 1"},
		{"truncated summary", []string{good, truncated}, 2, "",
			"gossipbench: " + filepath.Join(truncated, "summary.json") + ": not valid JSON (truncated or corrupt?)"},
		{"other schema", []string{schema, good}, 2, "",
			"gossipbench: " + filepath.Join(schema, "summary.json") + ": schema 3, this gossipbench reads schema 2"},
		{"missing dir", []string{good, missing}, 2, "", "gossipbench: " + missing + ": no such file or directory"},
		{"bad gate", []string{"--fail-on", "rounds>+5%", good, good}, 2, "", `unknown metric "rounds"; allowed: rounds_to_50,`},
		{"bad gate sign", []string{"--fail-on", "rounds_to_full>-5%", good, good}, 2, "", "contradicts"},
		{"bad format", []string{"--format", "yaml", good, good}, 2, "", `--format must be text, markdown or json, got "yaml"`},
		{"bad alpha", []string{"--alpha", "0", good, good}, 2, "", "--alpha must be between 0 and 1"},
		{"bad test", []string{"--test", "t", good, good}, 2, "", "--test must be welch or mann-whitney"},
		{"html a dir", []string{"--html", htmlDir, good, good}, 2, "", "--html " + htmlDir + ": is a directory; want a file name"},
		{"html a slash", []string{"--html", htmlDir + "/new/", good, good}, 2, "", "want a file name, not a directory"},
		{"html dot dot", []string{"--html", htmlDir + "/..", good, good}, 2, "", "want a file name, not a directory"},
		{"same result", []string{good, good, "--fail-on", "rounds_to_full>0"}, 0, "no significant change, no gate tripped", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := gossipbench(t, append([]string{"compare"}, c.args...)...)
			if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout %q, stderr %q", code, c.code, stdout, stderr, c.stdout, c.stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(htmlDir); len(entries) != 0 {
		t.Errorf("a refused --html wrote %v", entries)
	}
}
