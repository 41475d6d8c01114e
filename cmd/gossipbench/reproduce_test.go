package main

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var reproduceCode = regexp.MustCompile(`<code id="reproduce">([^<]*)</code>`)

// The page's Reproduce command works as printed, from the directory report
// ran in, and gives the same summary.json: it is run here as a user would
// paste it.
func TestReproduceCommandWorksAsPrinted(t *testing.T) {
	scenario, err := filepath.Abs("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, reportArg string
		flags           []string
		// sets go to the first run only: the scenario.yaml it writes
		// holds them, so the command need not.
		sets []string
		// pages: where report writes the pages (report --out), if not
		// inside the results.
		pages string
	}{
		{"results dir", "results", nil, nil, ""},
		{"one scenario's dir", "./results/tiny", nil, nil, ""},
		{"engine given", "results", []string{"--engine", "memory"}, nil, ""},
		{"a shard", "results", []string{"--shard", "2/3"}, nil, ""},
		{"--set", "results", nil, []string{"--set", "fanout=3", "--set", "loss=[0, 0.2]", "--set", "mode=pull"}, ""},
		{"report --out", "results", nil, nil, "pages"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			// Seed and trials overridden on the command line: the
			// command must carry them, as the scenario file does not.
			args := append([]string{"run", "--quiet", "--seed", "5", "--trials", "3", "--out", "results"}, append(c.flags, c.sets...)...)
			if code, _, stderr := gossipbench(t, append(args, scenario)...); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			report := []string{"report", "--quiet", c.reportArg}
			pages := "results"
			if c.pages != "" {
				report, pages = append(report, "--out", c.pages), c.pages
			}
			if code, _, stderr := gossipbench(t, report...); code != 0 {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			want, err := os.ReadFile("results/tiny/summary.json")
			if err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(pages, "tiny", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			m := reproduceCode.FindSubmatch(page)
			if m == nil {
				t.Fatal("no Reproduce command on the page")
			}
			cmd := html.UnescapeString(string(m[1]))
			// Plain paths here: no shell quoting to undo.
			for _, f := range c.flags {
				if !strings.Contains(cmd, f) {
					t.Errorf("%s lacks %s, given to the first run", cmd, f)
				}
			}
			args = strings.Fields(cmd)
			if len(args) < 2 || args[0] != "gossipbench" {
				t.Fatalf("Reproduce is %q, not a gossipbench command", cmd)
			}
			// The command reads the scenario file inside the result it
			// replaces; the summary goes, to see that it writes one.
			if err := os.Remove("results/tiny/summary.json"); err != nil {
				t.Fatal(err)
			}
			if code, _, stderr := gossipbench(t, append(args[1:], "--quiet")...); code != 0 {
				t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
			}
			got, err := os.ReadFile("results/tiny/summary.json")
			if err != nil {
				t.Fatalf("%s did not write results/tiny: %v", cmd, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s gave another summary.json", cmd)
			}
			if _, err := os.Stat("results/results"); err == nil {
				t.Errorf("%s wrote results/results/", cmd)
			}
		})
	}
}
