package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv makes this test binary act as gossipbench itself, so a test can
// run the real command as a child process and signal it. holdEnv names a
// phase at which the child waits for its interrupt, so a signal is known to
// arrive in that phase.
const (
	childEnv = "GOSSIPBENCH_TEST_MAIN"
	holdEnv  = "GOSSIPBENCH_TEST_HOLD"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		phase = func(ctx context.Context, name string) {
			fmt.Fprintf(os.Stderr, "test: phase %s\n", name)
			if os.Getenv(holdEnv) == name {
				<-ctx.Done()
			}
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// child is gossipbench run as a child process, its stderr read line by line.
type child struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr strings.Builder // every line, once the child has exited
	done   chan error
}

func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), lines: make(chan string, 100), done: make(chan error, 1)}
	c.cmd.Env = append(append(os.Environ(), childEnv+"=1"), env...)
	pipe, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			c.stderr.WriteString(sc.Text() + "\n")
			select {
			case c.lines <- sc.Text():
			default: // nobody waits for it
			}
		}
		io.Copy(io.Discard, pipe)
		c.done <- c.cmd.Wait()
	}()
	return c
}

// waitFor returns once the child has printed line; the time limit only
// bounds a broken test.
func (c *child) waitFor(t *testing.T, line string) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case l := <-c.lines:
			if l == line {
				return
			}
		case err := <-c.done:
			c.done <- err
			t.Fatalf("exited (%v) before printing %q:\n%s", err, line, c.stderr.String())
		case <-deadline:
			t.Fatalf("no %q after 2 minutes", line)
		}
	}
}

// wait returns the exit code, failing if the child outlives the limit.
func (c *child) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(limit):
		c.cmd.Process.Kill()
		t.Fatalf("still running %v after the signal", limit)
	}
	return c.cmd.ProcessState.ExitCode()
}

// An interrupted run stops within seconds, exits 1, leaves the earlier
// result of the same scenario as it was, and leaves no half-written
// directory behind.
func TestInterruptKeepsEarlierResults(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		sig        syscall.Signal
	}{
		{"memory SIGINT", "name: long\nnodes: 1000000\nmode: pull\ntrials: 400\n", syscall.SIGINT},
		{"http SIGTERM", "name: long\nengine: http\nnodes: 300\nmode: pull\ntrials: 400\n", syscall.SIGTERM},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, old := resultsWithEarlier(t)
			scenario := writeScenario(t, c.yaml)
			ch := startChild(t, nil, "run", "--out", out, scenario)
			ch.waitFor(t, "test: phase trial") // well into the run
			sent := time.Now()
			ch.cmd.Process.Signal(c.sig)
			code := ch.wait(t, 10*time.Second)
			t.Logf("stopped %v after the signal: %s", time.Since(sent).Round(time.Millisecond), strings.TrimSpace(ch.stderr.String()))
			if code != exitFailed {
				t.Fatalf("exit %d, want %d", code, exitFailed)
			}
			checkOnlyEarlier(t, out, old)
		})
	}
}

// An interrupt that arrives while a result is being written abandons it:
// exit 1, the earlier result untouched, no temporary directory left, as
// the README says.
func TestInterruptWhileWritingWritesNothing(t *testing.T) {
	out, old := resultsWithEarlier(t)
	scenario := writeScenario(t, "name: long\nnodes: 100\ntrials: 5\n")
	ch := startChild(t, []string{holdEnv + "=write"}, "run", "--out", out, scenario)
	ch.waitFor(t, "test: phase write")
	ch.cmd.Process.Signal(syscall.SIGINT)
	if code := ch.wait(t, 10*time.Second); code != exitFailed {
		t.Fatalf("exit %d, want %d:\n%s", code, exitFailed, ch.stderr.String())
	}
	if !strings.Contains(ch.stderr.String(), "long: interrupted while writing; nothing written") {
		t.Errorf("stderr does not say nothing was written:\n%s", ch.stderr.String())
	}
	checkOnlyEarlier(t, out, old)
}

func writeScenario(t *testing.T, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// resultsWithEarlier makes a results dir holding an earlier result of
// "long".
func resultsWithEarlier(t *testing.T) (out, old string) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "results")
	old = filepath.Join(out, "long")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "summary.json"), []byte("earlier result"), 0o644); err != nil {
		t.Fatal(err)
	}
	return out, old
}

func checkOnlyEarlier(t *testing.T, out, old string) {
	t.Helper()
	if got, _ := os.ReadFile(filepath.Join(old, "summary.json")); string(got) != "earlier result" {
		t.Fatalf("the earlier result was touched: %q", got)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Fatalf("results dir holds %v, want only the earlier long/", entries)
	}
}
