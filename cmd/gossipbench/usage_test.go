package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Mistakes in flags are found before anything runs: exit 2, at once, and
// nothing written.
func TestBadFlagsFailBeforeRunning(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"--out a file", []string{"run", "--out", file, "testdata/tiny.yaml"}, "--out: " + file + " is a file, not a directory"},
		{"--out below a file", []string{"run", "--out", filepath.Join(file, "sub"), "testdata/tiny.yaml"}, "is a file, not a directory"},
		{"--out empty", []string{"run", "--out", "", "testdata/tiny.yaml"}, "--out: the output directory is empty"},
		{"merge --out a file", []string{"merge", "--out", file, dir}, "--out: " + file + " is a file, not a directory"},
		{"node port out of range", []string{"node", "--listen", "127.0.0.1:99999"}, `the port must be from 0 to 65535, got "99999"`},
		// Not a domain name, so the resolver refuses it without asking DNS.
		{"node name that does not resolve", []string{"node", "--listen", "bad!name:0", "--token", "t"}, "--listen bad!name:0: lookup bad!name"},
		{"node address not here", []string{"node", "--listen", "192.0.2.1:0", "--token", "t"}, "192.0.2.1:0: not an address of this machine"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := gossipbench(t, c.args...)
			if code != exitBadUser || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("something ran: %q", stdout)
			}
		})
	}
	if got, _ := os.ReadFile(file); string(got) != "not a directory" {
		t.Errorf("%s was changed", file)
	}
}
