package main

import (
	"html"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

var asRunCode = regexp.MustCompile(`As run: <code>([^<]*)</code>`)

// The scenario page's "As run:" command is quoted for a shell as the
// Reproduce command is: a real shell splits it back into the arguments
// the run was given, a value with a space or '&' one word.
func TestAsRunCommandIsQuoted(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh:", err)
	}
	data, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	scenario := "it's tiny.yaml"
	if err := os.WriteFile(scenario, data, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--quiet", "--out", "results", "--set", "description=&x 3", "--set", "fanout=3", scenario}
	if code, _, stderr := gossipbench(t, args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if code, _, stderr := gossipbench(t, "report", "--quiet", "results"); code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile("results/tiny/index.html")
	if err != nil {
		t.Fatal(err)
	}
	m := asRunCode.FindSubmatch(page)
	if m == nil {
		t.Fatal("no As run: command on the page")
	}
	shown := html.UnescapeString(string(m[1]))
	out, err := exec.Command(sh, "-c", `printf '%s\n' `+shown).Output()
	if err != nil {
		t.Fatalf("%s: %v", shown, err)
	}
	want := strings.Join(append([]string{"gossipbench"}, args...), "\n") + "\n"
	if string(out) != want {
		t.Errorf("As run: %s\nreaches the shell as\n%s\nwant\n%s", shown, out, want)
	}
}
