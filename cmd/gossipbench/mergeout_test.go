package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshot maps every path under root to its content (directories to "").
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		data := ""
		if !d.IsDir() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			data = string(b)
		}
		files[path] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// merge --out must not land in one of its inputs: inside a shard's result
// (DIR/<name> would be a directory among its files) or over it (DIR/<name>
// is the shard, replaced by the merge while being read). Refused, exit 2,
// nothing written. Beside the shards is fine.
func TestMergeRefusesOutInAShard(t *testing.T) {
	root := t.TempDir()
	shards := filepath.Join(root, "shards")
	for _, i := range []string{"1", "2"} {
		mustRun(t, "--shard", i+"/2", "--out", filepath.Join(shards, i), "testdata/shard.yaml")
	}
	one, two := filepath.Join(shards, "1"), filepath.Join(shards, "2")
	before := snapshot(t, root)
	for _, c := range []struct {
		out  string
		args []string
	}{
		{filepath.Join(one, "shard"), []string{two, one}},
		{filepath.Join(one, "shard", "replay"), []string{one, two}},
		{one, []string{one, two}},
		{one, []string{filepath.Join(one, "shard"), filepath.Join(two, "shard")}},
	} {
		code, _, stderr := gossipbench(t, append([]string{"merge", "--quiet", "--out", c.out}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, "--out "+c.out) || !strings.Contains(stderr, filepath.Join(one, "shard")) {
			t.Errorf("merge --out %s %v: exit %d, stderr %q; want exit 2 naming the shard", c.out, c.args, code, stderr)
		}
		if after := snapshot(t, root); !maps.Equal(before, after) {
			t.Fatalf("merge --out %s %v changed the files", c.out, c.args)
		}
	}
	beside := filepath.Join(shards, "merged")
	if code, _, stderr := gossipbench(t, "merge", "--quiet", "--out", beside, one, two); code != 0 {
		t.Fatalf("merge --out beside the shards: exit %d: %s", code, stderr)
	}
}
