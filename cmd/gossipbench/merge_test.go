package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

func TestShardFlagValidation(t *testing.T) {
	for _, bad := range []string{"", "3", "0/3", "4/3", "-1/3", "1/0", "1/-2", "a/3", "1/b", "1/3/4", " 1/3", "+1/3", "1/10001", "1.0/3"} {
		t.Run(bad, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "results")
			code, _, stderr := gossipbench(t, "run", "--out", out, "--shard="+bad, "testdata/shard.yaml")
			if code != 2 || !strings.Contains(stderr, "--shard must be I/N with 1 <= I <= N") || !strings.Contains(stderr, `"`+bad+`"`) {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("results written for a bad --shard")
			}
		})
	}
}

// shardRun runs testdata/shard.yaml (or another file) as shard i/n into dir
// and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := gossipbench(t, append([]string{"run", "--quiet", "-j", "2"}, args...)...)
	if code != 0 {
		t.Fatalf("run %v: exit %d: %s", args, code, stderr)
	}
	return stdout
}

// Running the shards and merging them gives the bytes the run without
// --shard gives: summary.json, rounds.csv, scenario.yaml and every replay.
func TestShardedRunMergesToTheUnshardedBytes(t *testing.T) {
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	mustRun(t, "--out", whole, "testdata/shard.yaml")
	for _, i := range []string{"1", "2", "3"} {
		mustRun(t, "--shard", i+"/3", "--out", filepath.Join(root, "shards", i), "testdata/shard.yaml")
	}
	var sh struct {
		Shard  *results.Shard `json:"shard"`
		Points []struct{ ID string }
	}
	readJSON(t, filepath.Join(root, "shards", "2", "shard", "summary.json"), &sh)
	if sh.Shard == nil || *sh.Shard != (results.Shard{Index: 2, Count: 3}) || len(sh.Points) != 2 ||
		sh.Points[0].ID != "mode=push,nodes=60" || sh.Points[1].ID != "mode=pushpull,nodes=30" {
		t.Fatalf("shard 2/3 summary: shard %+v, points %+v", sh.Shard, sh.Points)
	}
	if sum, _ := os.ReadFile(filepath.Join(whole, "shard", "summary.json")); bytes.Contains(sum, []byte(`"shard":`)) {
		t.Error("an unsharded summary.json has a shard field")
	}

	// Both ways of naming the shards: the --out directories, or the
	// scenario directories in them (in any order).
	merges := map[string][]string{
		"by-out":      {filepath.Join(root, "shards", "1"), filepath.Join(root, "shards", "2"), filepath.Join(root, "shards", "3")},
		"by-scenario": {filepath.Join(root, "shards", "3", "shard"), filepath.Join(root, "shards", "1", "shard"), filepath.Join(root, "shards", "2", "shard")},
	}
	for name, dirs := range merges {
		out := filepath.Join(root, name)
		code, stdout, stderr := gossipbench(t, append([]string{"merge", "--out", out}, dirs...)...)
		if code != 0 || !strings.Contains(stdout, "shard: merged 3 shards, 6 points -> "+filepath.Join(out, "shard")) {
			t.Fatalf("merge %s: exit %d\nstdout: %s\nstderr: %s", name, code, stdout, stderr)
		}
		files := sameFiles(t, filepath.Join(whole, "shard"), filepath.Join(out, "shard"), results.ManifestFile)
		if files != 10 { // scenario.yaml, summary.json, rounds.csv, trials.csv, 6 replays; manifest.json is checked below
			t.Errorf("%s: compared %d files, want 10", name, files)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 1 {
			t.Errorf("%s holds %d entries, want only shard/ (no temporary dirs left)", out, len(entries))
		}

		var man results.Manifest
		readJSON(t, filepath.Join(out, "shard", "manifest.json"), &man)
		if strings.Join(man.Command, " ") != strings.Join(append([]string{"gossipbench", "merge", "--out", out}, dirs...), " ") {
			t.Errorf("manifest command %q", man.Command)
		}
		if len(man.Shards) != 3 || man.Shards[0].Shard.Index != 1 || man.Shards[2].Shard.Index != 3 ||
			man.Shards[1].Dir != filepath.Join(root, "shards", "2", "shard") || !strings.Contains(strings.Join(man.Shards[1].Command, " "), "--shard 2/3") {
			t.Errorf("manifest shards %#v", man.Shards)
		}
		if man.Shard != nil || man.Seed != 7 || man.Trials != 5 || man.Name != "shard" {
			t.Errorf("manifest %+v", man)
		}
		var wholeMan results.Manifest
		readJSON(t, filepath.Join(whole, "shard", "manifest.json"), &wholeMan)
		if len(man.Points) != 6 {
			t.Fatalf("manifest has %d points", len(man.Points))
		}
		for i, p := range man.Points {
			if p.ID != wholeMan.Points[i].ID || p.WallSeconds.N != 5 || p.WallSeconds.Mean <= 0 {
				t.Errorf("manifest point %d: %+v", i, p)
			}
		}
	}
}

// sameFiles checks that two directories hold the same files with the same
// bytes, except those named in skip, and returns how many it compared.
func sameFiles(t *testing.T, a, b string, skip ...string) int {
	t.Helper()
	list := func(dir string) map[string][]byte {
		files := map[string][]byte{}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			for _, s := range skip {
				if rel == s {
					return nil
				}
			}
			files[rel], err = os.ReadFile(path)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	fa, fb := list(a), list(b)
	for name, x := range fa {
		y, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s lacks %s", b, name)
		case !bytes.Equal(x, y):
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s has %s, which %s has not", b, name, a)
		}
	}
	return len(fa)
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestMergeRefuses(t *testing.T) {
	root := t.TempDir()
	at := func(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }
	for _, i := range []string{"1", "2", "3"} {
		mustRun(t, "--shard", i+"/3", "--out", at("shards", i), "testdata/shard.yaml")
	}
	mustRun(t, "--shard", "2/3", "--seed", "8", "--out", at("seed8"), "testdata/shard.yaml")
	mustRun(t, "--shard", "2/3", "--trials", "3", "--out", at("trials3"), "testdata/shard.yaml")
	mustRun(t, "--shard", "2/2", "--out", at("halves"), "testdata/shard.yaml")
	mustRun(t, "--shard", "2/3", "--out", at("tiny"), "testdata/tiny.yaml")
	// The same name, another scenario.
	raw, _ := os.ReadFile("testdata/shard.yaml")
	other := filepath.Join(root, "other.yaml")
	if err := os.WriteFile(other, bytes.Replace(raw, []byte("loss: 0.1"), []byte("loss: 0.2"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--shard", "2/3", "--out", at("other"), other)
	// A copy of shard 1 under another name.
	if code, _, stderr := gossipbench(t, "merge", "--quiet", "--out", at("copy"), at("shards", "1", "shard")); code != 2 {
		t.Fatalf("merging shard 1/3 alone: exit %d: %s", code, stderr)
	}
	copyTree(t, at("shards", "1", "shard"), at("copy", "shard"))

	s1, s2, s3 := at("shards", "1", "shard"), at("shards", "2", "shard"), at("shards", "3", "shard")
	cases := []struct {
		name string
		dirs []string
		want []string
	}{
		{"different seeds", []string{s1, at("seed8", "shard"), s3},
			[]string{"different seeds: " + s1 + " has seed 7, " + at("seed8", "shard") + " has seed 8"}},
		{"different trials", []string{s1, at("trials3", "shard"), s3},
			[]string{"different trials: " + s1 + " ran 5 per point, " + at("trials3", "shard") + " ran 3"}},
		{"different scenario, same name", []string{s1, at("other", "shard"), s3},
			[]string{"different scenarios: " + filepath.Join(s1, "scenario.yaml") + " and " + filepath.Join(at("other", "shard"), "scenario.yaml") + " differ"}},
		{"different scenario names", []string{s1, at("tiny", "tiny"), s3},
			[]string{"different scenarios: " + s1 + ` is "shard", ` + at("tiny", "tiny") + ` is "tiny"`}},
		{"different shard counts", []string{s1, at("halves", "shard")},
			[]string{"different shard counts: " + s1 + " is shard 1/3, " + at("halves", "shard") + " is shard 2/2"}},
		{"duplicate shard", []string{s1, s2, at("copy", "shard"), s3},
			[]string{"duplicate shard 1/3: " + s1 + " and " + at("copy", "shard")}},
		{"missing shard", []string{s1, s3},
			[]string{"missing shard 2/3 of shard: points mode=push,nodes=60, mode=pushpull,nodes=30"}},
		{"missing shards of out dirs", []string{at("shards", "1"), at("shards", "3"), at("tiny")},
			[]string{"missing shard 2/3 of shard: points", "missing shard 1/3 of tiny: points mode=push,nodes=50, mode=pushpull,nodes=200", "missing shard 3/3 of tiny: points mode=pushpull,nodes=50"}},
		{"not results", []string{s1, at("nowhere"), root + "/other.yaml"},
			[]string{at("nowhere") + " is not a directory", root + "/other.yaml is not a directory"}},
		{"no results in a dir", []string{s1, at("copy", "shard", "replay")},
			[]string{at("copy", "shard", "replay") + " holds no results"}},
		{"no dirs", nil, []string{"merge needs the shard directories"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := at("out-" + strings.ReplaceAll(c.name, " ", "-"))
			code, _, stderr := gossipbench(t, append([]string{"merge", "--out", out}, c.dirs...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2: %s", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
