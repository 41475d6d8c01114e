package report

import (
	"os/exec"
	"testing"
)

// A quoted path reaches a real shell's command as one argument, unchanged.
func TestShellQuote(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh:", err)
	}
	for _, s := range []string{"results", "my results/tiny", "it's", `a"b`, "$HOME", "a;rm -rf b", "`x`", "tab\there", "-dash"} {
		out, err := exec.Command(sh, "-c", `printf '%s|' `+shellQuote(s)).Output()
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := string(out); got != s+"|" {
			t.Errorf("shellQuote(%q) = %s reaches the shell as %q", s, shellQuote(s), got)
		}
	}
}
