package merge_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
	"github.com/gossipbench/gossipbench/merge"
)

// writeRun runs s (whole, or one shard) and writes it under dir.
func writeRun(t *testing.T, s *experiments.Scenario, shard *results.Shard, dir string) string {
	t.Helper()
	res, err := experiments.Runner{Engines: testEngines, Parallel: 2, Shard: shard}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	out, err := experiments.Write(dir, res, sum, experiments.NewManifest(res, sum, results.Host{Name: "test"}, 2, []string{"test"}))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Whatever the shard count, even one above the number of points (empty
// shards), the merged files are the unsharded run's bytes.
func TestMergeGivesTheUnshardedBytes(t *testing.T) {
	s := mustParse(t, gridYAML) // 4 points
	root := t.TempDir()
	whole := writeRun(t, s, nil, filepath.Join(root, "whole"))
	for _, n := range []int{1, 2, 3, 4, 7} {
		var dirs []string
		for i := n; i >= 1; i-- { // any order
			dirs = append(dirs, writeRun(t, s, &results.Shard{Index: i, Count: n}, filepath.Join(root, strconv.Itoa(n), strconv.Itoa(i))))
		}
		merged, err := merge.Merge(filepath.Join(root, strconv.Itoa(n), "merged"), dirs, []string{"merge"})
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		for _, f := range []string{results.ScenarioFile, results.SummaryFile, results.RoundsFile, results.TrialsFile,
			results.ReplayPath("mode=push,loss=0"), results.ReplayPath("mode=pull,loss=0.2")} {
			a, err1 := os.ReadFile(filepath.Join(whole, f))
			b, err2 := os.ReadFile(filepath.Join(merged, f))
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%d shards: %s differs from the unsharded run's", n, f)
			}
		}
		man := openResult(t, merged).Manifest
		if len(man.Shards) != n || len(man.Points) != 4 || man.Points[3].WallSeconds.N != 6 || man.Host.Name != "test" {
			t.Errorf("%d shards: manifest %+v", n, man)
		}
	}
}

// tamper runs the grid in two shards and lets edit spoil one of them.
func tamper(t *testing.T, edit func(dirs []string)) error {
	t.Helper()
	s := mustParse(t, gridYAML)
	root := t.TempDir()
	dirs := []string{writeRun(t, s, &results.Shard{Index: 1, Count: 2}, filepath.Join(root, "1")), writeRun(t, s, &results.Shard{Index: 2, Count: 2}, filepath.Join(root, "2"))}
	edit(dirs)
	_, err := merge.Merge(filepath.Join(root, "out"), dirs, nil)
	if entries, _ := os.ReadDir(filepath.Join(root, "out")); len(entries) > 0 {
		t.Errorf("merge wrote %s from bad shards", entries[0].Name())
	}
	return err
}

func rewrite(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, bytes.ReplaceAll(data, []byte(old), []byte(new)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMergeRefusesBadShards(t *testing.T) {
	// Shard 1/2 of the grid has points 0 and 2: mode=push,loss=0 and mode=pull,loss=0.
	cases := []struct {
		name string
		edit func(t *testing.T, dirs []string)
		want string
	}{
		{"duplicate point", func(t *testing.T, d []string) {
			rewrite(t, filepath.Join(d[0], results.SummaryFile), `mode=pull,loss=0"`, `mode=pull,loss=0.2"`)
			rewrite(t, filepath.Join(d[0], results.SummaryFile), `mode=pull,loss=0.json"`, `mode=pull,loss=0.2.json"`)
			editJSON(t, filepath.Join(d[0], results.SummaryFile), func(m map[string]any) { // the ID's params too
				for _, p := range m["points"].([]any) {
					if p := p.(map[string]any); p["id"] == "mode=pull,loss=0.2" {
						p["params"].(map[string]any)["loss"] = 0.2
					}
				}
			})
		}, "duplicate point mode=pull,loss=0.2: in DIR1 and in DIR2"},
		{"missing point", func(t *testing.T, d []string) {
			editJSON(t, filepath.Join(d[1], results.SummaryFile), func(m map[string]any) {
				m["points"] = m["points"].([]any)[1:] // shard 2/2 has mode=push,loss=0.2 and mode=pull,loss=0.2
			})
		}, "missing points in DIR2 (shard 2/2): mode=push,loss=0.2"},
		{"results of an older gossipbench", func(t *testing.T, d []string) {
			editJSON(t, filepath.Join(d[1], results.SummaryFile), func(m map[string]any) { delete(m, "sweep_values") })
		}, "DIR2/summary.json has no sweep_values, so the whole sweep is unknown"},
		{"different sweeps", func(t *testing.T, d []string) {
			editJSON(t, filepath.Join(d[1], results.SummaryFile), func(m map[string]any) {
				m["sweep_values"].([]any)[1] = []any{"0", "0.2", "0.5"}
			})
		}, "different sweeps: DIR1/summary.json and DIR2/summary.json"},
		{"rows out of order", func(t *testing.T, d []string) {
			rewrite(t, filepath.Join(d[0], results.RoundsFile), `"mode=push,loss=0",`, `"mode=push,loss=0.5",`)
		}, `DIR1/rounds.csv:2: point "mode=push,loss=0.5" is not in summary.json`},
		{"stray row", func(t *testing.T, d []string) {
			data, err := os.ReadFile(filepath.Join(d[1], results.RoundsFile))
			if err != nil {
				t.Fatal(err)
			}
			strayLine = strings.Count(string(data), "\n") + 1
			f, err := os.OpenFile(filepath.Join(d[1], results.RoundsFile), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString(`"mode=push,loss=0",push,0,0,0,1,1,100,0,0,0,0,0,0,0,1,0,0,0,0,0` + "\n")
			f.Close()
		}, `DIR2/rounds.csv:LINE: point "mode=push,loss=0" is not in summary.json`},
		{"trials.csv in one shard only", func(t *testing.T, d []string) {
			os.Remove(filepath.Join(d[1], results.TrialsFile))
		}, "DIR1 has trials.csv, DIR2 has none"},
		{"trials.csv links to a secret", func(t *testing.T, d []string) {
			secret := filepath.Join(t.TempDir(), "secret")
			os.WriteFile(secret, []byte("s3cr3t"), 0o600)
			path := filepath.Join(d[1], results.TrialsFile)
			os.Remove(path)
			if err := os.Symlink(secret, path); err != nil {
				t.Fatal(err)
			}
		}, "DIR2/trials.csv: a symbolic link"},
		{"trials.csv of another run", func(t *testing.T, d []string) {
			rewrite(t, filepath.Join(d[1], results.TrialsFile), `,true,true,`, `,true,false,`)
		}, "DIR2/trials.csv:2: point mode=push,loss=0.2 trial 0: converged is false, but rounds_to_full is"},
		{"missing replay", func(t *testing.T, d []string) {
			if err := os.Remove(filepath.Join(d[1], results.ReplayPath("mode=pull,loss=0.2"))); err != nil {
				t.Fatal(err)
			}
		}, "DIR2/replay/mode=pull,loss=0.2.json: missing"},
		// Issue 9 item 4: merge followed links, copied replays unchecked and
		// took any name from summary.json.
		{"replay links to a secret", func(t *testing.T, d []string) {
			secret := filepath.Join(t.TempDir(), "secret")
			os.WriteFile(secret, []byte("s3cr3t"), 0o600)
			path := filepath.Join(d[1], results.ReplayPath("mode=pull,loss=0.2"))
			os.Remove(path)
			if err := os.Symlink(secret, path); err != nil {
				t.Fatal(err)
			}
		}, "DIR2/replay/mode=pull,loss=0.2.json: a symbolic link"},
		{"another build, with a control character in its version", func(t *testing.T, d []string) {
			editJSON(t, filepath.Join(d[1], results.ManifestFile), func(m map[string]any) {
				m["version"] = "v9\x1b[2J"
			})
		}, `by "gossipbench v9\x1b[2J go`},
		{"replay out of range", func(t *testing.T, d []string) {
			editJSON(t, filepath.Join(d[1], results.ReplayPath("mode=pull,loss=0.2")), func(m map[string]any) {
				m["first_informed"].([]any)[3] = 2147483647
			})
		}, "DIR2/replay/mode=pull,loss=0.2.json: first_informed[3] is round 2147483647"},
		{"name with a space", func(t *testing.T, d []string) {
			for _, dir := range d {
				rewrite(t, filepath.Join(dir, results.SummaryFile), `"name": "grid"`, `"name": "gr id"`)
				rewrite(t, filepath.Join(dir, results.ManifestFile), `"name": "grid"`, `"name": "gr id"`)
			}
		}, `DIR1/summary.json: scenario name "gr id": must be 1 to 64 letters`},
		{"name ..", func(t *testing.T, d []string) {
			for _, dir := range d {
				rewrite(t, filepath.Join(dir, results.SummaryFile), `"name": "grid"`, `"name": ".."`)
				rewrite(t, filepath.Join(dir, results.ManifestFile), `"name": "grid"`, `"name": ".."`)
			}
		}, `DIR1/summary.json: scenario name ".."`},
		{"not results", func(t *testing.T, d []string) {
			if err := os.Remove(filepath.Join(d[1], results.ManifestFile)); err != nil {
				t.Fatal(err)
			}
		}, "DIR2 is not a scenario's results directory: no manifest.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var dirs []string
			err := tamper(t, func(d []string) { dirs = d; c.edit(t, d) })
			want := strings.NewReplacer("DIR1", dirs[0], "DIR2", dirs[1], "LINE", strconv.Itoa(strayLine)).Replace(c.want)
			var me *merge.MergeError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want a MergeError with %q", err, want)
			}
		})
	}
}

// strayLine is the line the stray row case appends: the row after the last.
var strayLine int

// The merged result replaces a symlink at out/<name>, never writing into
// the directory it points to.
func TestMergeReplacesASymlinkedResult(t *testing.T) {
	s := mustParse(t, gridYAML)
	root := t.TempDir()
	var dirs []string
	for i := 1; i <= 2; i++ {
		dirs = append(dirs, writeRun(t, s, &results.Shard{Index: i, Count: 2}, filepath.Join(root, strconv.Itoa(i))))
	}
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, results.SummaryFile), []byte("precious"), 0o644)
	out := filepath.Join(root, "merged")
	os.MkdirAll(out, 0o755)
	if err := os.Symlink(outside, filepath.Join(out, s.Name)); err != nil {
		t.Fatal(err)
	}
	merged, err := merge.Merge(out, dirs, []string{"merge"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(outside, results.SummaryFile)); string(got) != "precious" {
		t.Errorf("merge wrote through the symlink: %.40q", got)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("merge wrote into the symlinked directory: %v", entries)
	}
	if st, err := os.Lstat(merged); err != nil || !st.IsDir() {
		t.Errorf("%s is not a directory: %v", merged, err)
	}
}

// Shards written before trials.csv and the swept columns of rounds.csv
// merge into a result without trials.csv whose rounds.csv has the swept
// columns: the rows of the run without --shard.
func TestMergeOlderShards(t *testing.T) {
	s := mustParse(t, gridYAML)
	root := t.TempDir()
	whole := writeRun(t, s, nil, filepath.Join(root, "whole"))
	var dirs []string
	for i := 1; i <= 2; i++ {
		d := writeRun(t, s, &results.Shard{Index: i, Count: 2}, filepath.Join(root, strconv.Itoa(i)))
		os.Remove(filepath.Join(d, results.TrialsFile))
		data, _ := os.ReadFile(filepath.Join(d, results.RoundsFile))
		var old []string
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			f := strings.Split(line, ",")
			if strings.HasPrefix(line, `"`) { // "mode=push,loss=0",push,0,...: the ID is quoted
				f = append([]string{f[0] + "," + f[1]}, f[2:]...)
			}
			old = append(old, strings.Join(append(f[:1], f[3:]...), ",")) // drop mode and loss
		}
		if !strings.HasPrefix(old[0], "point,trial,round,") {
			t.Fatalf("older header %q", old[0])
		}
		os.WriteFile(filepath.Join(d, results.RoundsFile), []byte(strings.Join(old, "\n")+"\n"), 0o644)
		dirs = append(dirs, d)
	}
	merged, err := merge.Merge(filepath.Join(root, "merged"), dirs, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(whole, results.RoundsFile))
	b, _ := os.ReadFile(filepath.Join(merged, results.RoundsFile))
	if !bytes.Equal(a, b) {
		t.Error("rounds.csv merged from older shards differs from the unsharded run's")
	}
	if _, err := os.Stat(filepath.Join(merged, results.TrialsFile)); err == nil {
		t.Error("merge wrote a trials.csv from shards without one")
	}
}
