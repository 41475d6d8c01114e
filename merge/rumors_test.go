package merge_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/merge"
)

// mongerYAML is a sweep of 2 points of many rumors under a stop rule:
// its results have rumors.csv.
const mongerYAML = `name: monger
nodes: 50
trials: 4
fanout: 2
max_rounds: 60
stop: {rule: counter, k: 2, feedback: true}
rumors: {count: 3, every: 2}
sweep:
  stop.k: [1, 3]
`

// shardRuns runs yaml whole and in n shards under root.
func shardRuns(t *testing.T, yaml, root string, n int) (whole string, dirs []string) {
	t.Helper()
	s := mustParse(t, yaml)
	whole = writeRun(t, s, nil, filepath.Join(root, "whole"))
	for i := 1; i <= n; i++ {
		dirs = append(dirs, writeRun(t, s, &results.Shard{Index: i, Count: n}, filepath.Join(root, strconv.Itoa(n), strconv.Itoa(i))))
	}
	return whole, dirs
}

// Merged, the shards of many rumors give the unsharded run's rumors.csv
// beside its other files, and a reader finds each rumor's counts in it
// (without them mean_informed_round would count from round 0). Three
// shards of two points leave one empty, without rumors.csv; a sweep of
// rumors.count leaves the shard of one rumor without it.
func TestMergeRumorsGivesTheUnshardedBytes(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		shards     int
		perRumor   int // trials of many rumors
	}{
		{"2 shards", mongerYAML, 2, 8},
		{"an empty shard", mongerYAML, 3, 8},
		{"a shard of one rumor", strings.Replace(mongerYAML, "stop.k: [1, 3]", "rumors.count: [1, 3]", 1), 2, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			whole, dirs := shardRuns(t, c.yaml, root, c.shards)
			merged, err := merge.Merge(filepath.Join(root, "merged"), dirs, []string{"merge"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{results.RumorsFile, results.RoundsFile, results.SummaryFile, results.TrialsFile} {
				a, err1 := os.ReadFile(filepath.Join(whole, f))
				b, err2 := os.ReadFile(filepath.Join(merged, f))
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs from the unsharded run's", f)
				}
				if f == results.RumorsFile && bytes.Count(a, []byte("\n")) < 10 {
					t.Errorf("%s has only %d lines", f, bytes.Count(a, []byte("\n")))
				}
			}
			r := openResult(t, merged)
			perRumor := 0
			err = r.CheckRows(func(point string, tr *engine.Trace) error {
				if tr.PerRumor != nil {
					perRumor++
				}
				return nil
			})
			if err != nil || perRumor != c.perRumor {
				t.Errorf("merged result: %d trials with per-rumor counts, want %d: %v", perRumor, c.perRumor, err)
			}
		})
	}
}

func TestMergeRefusesBadRumors(t *testing.T) {
	// Shard 2/2 has point stop.k=3.
	cases := []struct {
		name string
		edit func(t *testing.T, dirs []string)
		want string
	}{
		{"rumors.csv in one shard only", func(t *testing.T, d []string) {
			os.Remove(filepath.Join(d[1], results.RumorsFile))
		}, "DIR1 has rumors.csv, DIR2/rumors.csv has none, but its point stop.k=3 has 3 rumors"},
		{"rumors.csv in the other shard only", func(t *testing.T, d []string) {
			os.Remove(filepath.Join(d[0], results.RumorsFile))
		}, "DIR2 has rumors.csv, DIR1/rumors.csv has none, but its point stop.k=1 has 3 rumors"},
		{"rumors.csv links to a secret", func(t *testing.T, d []string) {
			secret := filepath.Join(t.TempDir(), "secret")
			os.WriteFile(secret, []byte("s3cr3t"), 0o600)
			path := filepath.Join(d[1], results.RumorsFile)
			os.Remove(path)
			if err := os.Symlink(secret, path); err != nil {
				t.Fatal(err)
			}
		}, "DIR2/rumors.csv: a symbolic link"},
		{"rumors.csv of another run", func(t *testing.T, d []string) {
			rewrite(t, filepath.Join(d[1], results.RumorsFile), "stop.k=3,3,0,0,0,1,1,1,0\n", "stop.k=3,3,0,0,0,1,1,2,0\n")
		}, "DIR2/rumors.csv:2: infective 2 + removed 0 is not informed 1"},
		{"a row beyond the last trial", func(t *testing.T, d []string) {
			f, err := os.OpenFile(filepath.Join(d[1], results.RumorsFile), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("stop.k=3,3,0,0,0,1,1,1,0\n")
			f.Close()
		}, `a row of point "stop.k=3" beyond the trials rounds.csv has`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			_, dirs := shardRuns(t, mongerYAML, root, 2)
			c.edit(t, dirs)
			_, err := merge.Merge(filepath.Join(root, "out"), dirs, nil)
			if entries, _ := os.ReadDir(filepath.Join(root, "out")); len(entries) > 0 {
				t.Errorf("merge wrote %s from bad shards", entries[0].Name())
			}
			want := strings.NewReplacer("DIR1", dirs[0], "DIR2", dirs[1]).Replace(c.want)
			var me *merge.MergeError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want a MergeError with %q", err, want)
			}
		})
	}
}
