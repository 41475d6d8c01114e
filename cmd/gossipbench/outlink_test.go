package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An --out that is a symbolic link, even to a directory that exists, is
// refused by run, report and merge alike (results.CheckOutDir), exit 2,
// and nothing lands where it leads: nothing is written through a symlink.
func TestOutMayNotBeASymlink(t *testing.T) {
	root := t.TempDir()
	res := filepath.Join(root, "results")
	mustRun(t, "--out", res, "testdata/shard.yaml")
	elsewhere := filepath.Join(root, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "--quiet", "--out", link, "testdata/shard.yaml"},
		{"run", "--quiet", "--out", link + "/", "testdata/shard.yaml"},
		{"report", "--quiet", "--out", link, res},
		{"merge", "--quiet", "--out", link, filepath.Join(res, "shard")},
	} {
		code, _, stderr := gossipbench(t, args...)
		if code != 2 || !strings.Contains(stderr, "is a symbolic link to "+elsewhere) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2, a symbolic link refused", args, code, stderr)
		}
		if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
			t.Fatalf("%v wrote through the link: %v", args, entries)
		}
	}
}
