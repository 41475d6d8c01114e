package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gossipbench/gossipbench/engine/node"
)

// With $GOSSIPBENCH_TOKEN set, a run of gossipbench node processes still
// works: the real command starts the real `gossipbench node` children.
func TestProcessesRunWithTheUsersToken(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join(dir, "procs.yaml")
	yaml := "name: procs\nengine: http\nnodes: 4\nmode: pushpull\ntrials: 2\nhttp:\n  processes: true\n"
	if err := os.WriteFile(scenario, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "results")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "run", "--out", out, scenario)
	cmd.Env = append(os.Environ(), childEnv+"=1", node.TokenEnv+"=the-users-own-token")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gossipbench run: %v\n%s", err, stderr.Bytes())
	}
	if _, err := os.Stat(filepath.Join(out, "procs", "summary.json")); err != nil {
		t.Fatal(err)
	}
}
