package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv makes this test binary act as gossipbench itself, so a test can
// run the real command as a child process and signal it.
const childEnv = "GOSSIPBENCH_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// An interrupted run stops within a couple of seconds, exits non-zero,
// leaves the earlier result of the same scenario as it was, and leaves no
// half-written directory behind.
func TestInterruptKeepsEarlierResults(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		sig        syscall.Signal
	}{
		{"memory SIGINT", "name: long\nnodes: 1000000\nmode: pull\ntrials: 400\n", syscall.SIGINT},
		{"http SIGTERM", "name: long\nengine: http\nnodes: 300\nmode: pull\ntrials: 400\n", syscall.SIGTERM},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			scenario := filepath.Join(dir, "long.yaml")
			if err := os.WriteFile(scenario, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "results")
			old := filepath.Join(out, "long")
			if err := os.MkdirAll(old, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(old, "summary.json"), []byte("earlier result"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "run", "--out", out, scenario)
			cmd.Env = append(os.Environ(), childEnv+"=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(1500 * time.Millisecond) // well into the run
			sent := time.Now()
			cmd.Process.Signal(c.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("still running 10 s after the signal")
			}
			t.Logf("stopped %v after the signal: %s", time.Since(sent).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
			if err == nil || cmd.ProcessState.ExitCode() != exitFailed {
				t.Fatalf("exit %v, want %d", err, exitFailed)
			}
			if got, _ := os.ReadFile(filepath.Join(old, "summary.json")); string(got) != "earlier result" {
				t.Fatalf("the earlier result was touched: %q", got)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != 1 {
				t.Fatalf("results dir holds %v, want only the earlier long/", entries)
			}
		})
	}
}
