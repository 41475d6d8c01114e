package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --trials, --seed and --engine win over --set (README, "run"): a --set of
// the same key is overridden, so its value, even one the file could not
// hold, is neither checked nor applied, nor named in scenario.yaml. The
// other sets still apply.
func TestRunFlagsWinOverSet(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := gossipbench(t, "run", "--out", out, "--set", "trials=0", "--set", "seed=-1", "--set", "engine=nope",
		"--set", "fanout=3", "--trials", "5", "--seed", "9", "--engine", "memory", "testdata/tiny.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "tiny: 4 points x 5 trials") {
		t.Errorf("--trials 5 not applied:\n%s", stdout)
	}
	sum, _ := os.ReadFile(filepath.Join(out, "tiny", "summary.json"))
	for _, want := range []string{`"seed": 9`, `"fanout": 3`, `"engine": "memory"`} {
		if !strings.Contains(string(sum), want) {
			t.Errorf("summary.json lacks %s", want)
		}
	}
	yaml, _ := os.ReadFile(filepath.Join(out, "tiny", "scenario.yaml"))
	if !strings.Contains(string(yaml), `--set "fanout=3" applied`) || strings.Contains(string(yaml), "trials=0") || strings.Contains(string(yaml), "nope") {
		t.Errorf("scenario.yaml names the overridden sets, or not the one applied:\n%s", yaml)
	}
	// Without the flag, the set is checked as ever.
	if code, _, stderr := gossipbench(t, "run", "--out", out, "--set", "trials=0", "testdata/tiny.yaml"); code != 2 || !strings.Contains(stderr, "--set trials=0: trials:") {
		t.Errorf("--set trials=0 alone: exit %d: %s", code, stderr)
	}
}
