package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A scenario file is read with a limit: /dev/zero, a directory, a pipe
// that never ends or a file of several MiB is refused with exit 2 and a
// message naming the file, instead of being read until memory runs out.
func TestRunRefusesWhatIsNotAScenarioFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("name: big\nnodes: 10\n"+strings.Repeat("# padding\n", 200_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "endless.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() { // the writer of a pipe that would never end
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		chunk := make([]byte, 64<<10)
		for {
			if _, err := f.Write(chunk); err != nil {
				return // the reader gave up: EPIPE
			}
		}
	}()
	for _, c := range []struct{ name, file, want string }{
		{"regular file over 1 MiB", big, "is 2000020 bytes; a scenario file is at most 1048576 bytes"},
		{"endless pipe", fifo, "is more than 1048576 bytes"},
		{"/dev/zero", "/dev/zero", "is a device or socket, not a scenario file"},
		{"directory", dir, "is a directory, not a scenario file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "results")
			code, stdout, stderr := gossipbench(t, "run", "--out", out, c.file)
			if code != exitBadUser || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			if want := "gossipbench: " + c.file + ": " + c.want; !strings.Contains(stderr, want) {
				t.Errorf("stderr %q lacks %q", stderr, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}
