package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run --set, good and bad, through the command: a good one changes what
// runs (the table's points and trials), a bad one exits 2 naming the flag
// and the field, with nothing written.
func TestRunSet(t *testing.T) {
	const file = "testdata/tiny.yaml" // nodes 200, fanout 2, loss 0.1, trials 8, sweep mode x nodes [50, 200]
	for _, c := range []struct {
		name string
		sets []string
		want []string // in stdout when good, in stderr when bad
		bad  bool
	}{
		{"scalar", []string{"trials=3"}, []string{"tiny: 4 points x 3 trials", "3/3"}, false},
		{"swept key to one value", []string{"mode=push-pull"}, []string{"tiny: 2 points x 8 trials", "nodes=50 ", "nodes=200 "}, false},
		{"sweep list on a new key", []string{"loss=[0, 0.2]"},
			[]string{"tiny: 8 points x 8 trials", "mode=push,nodes=50,loss=0 ", "mode=pushpull,nodes=200,loss=0.2 "}, false},
		{"sweep list on a swept key", []string{"nodes=[100]"}, []string{"tiny: 2 points", "mode=pushpull,nodes=100 "}, false},
		{"nested key", []string{"replay.max_nodes=0", "http.interval=1s"}, []string{"tiny: 4 points"}, false},
		{"later wins", []string{"trials=3", "trials=2"}, []string{"x 2 trials"}, false},
		{"explicit sweep path", []string{"sweep.mode=[pull]"}, []string{"tiny: 2 points", "mode=pull,nodes=50 "}, false},

		{"unknown key", []string{"colour=red"},
			[]string{"gossipbench: testdata/tiny.yaml: --set colour=red: colour: unknown field; allowed: name, description,"}, true},
		{"unknown nested key", []string{"http.speed=3"},
			[]string{"gossipbench: testdata/tiny.yaml: --set http.speed=3: http.speed: unknown field; allowed: drive,"}, true},
		{"bad type", []string{"fanout=x"},
			[]string{`gossipbench: testdata/tiny.yaml: --set fanout=x: fanout: must be an integer from 1 to 99999999, got "x"`}, true},
		{"bad range", []string{"loss=1"},
			[]string{`gossipbench: testdata/tiny.yaml: --set loss=1: loss: must be a number in [0, 1), got "1"`}, true},
		{"bad nested value", []string{"http.interval=3"},
			[]string{`--set http.interval=3: http.interval: must be a duration such as 50ms or 1s, at least 1ms, got "3"`}, true},
		{"cross-field rule", []string{"fanout=[1, 60]"},
			[]string{"gossipbench: testdata/tiny.yaml: --set fanout=[1, 60]: sweep.fanout[1]: must be from 1 to nodes-1 = 49 at point mode=push,nodes=50,fanout=60, got 60"}, true},
		{"cross-field rule blamed on the file", []string{"fanout=60"},
			[]string{"gossipbench: testdata/tiny.yaml:14: sweep.nodes[0]: 50 nodes are too few for fanout 60"}, true},
		{"bad value in a sweep list", []string{"fanout=[1, 0]"},
			[]string{`--set fanout=[1, 0]: sweep.fanout[1]: must be an integer from 1 to 99999999, got "0"`}, true},
		{"a list where none is allowed", []string{"trials=[1, 2]"},
			[]string{"--set trials=[1, 2]: trials: must be an integer from 1 to 100000, got a list"}, true},
		{"not sweepable", []string{"sweep.seed=[1, 2]"},
			[]string{"--set sweep.seed=[1, 2]: sweep.seed: seed cannot be swept"}, true},
		{"= missing", []string{"fanout"}, []string{"gossipbench: --set fanout: want KEY=VALUE"}, true},
		{"empty key part", []string{"http..interval=1s"}, []string{`gossipbench: --set http..interval=1s: the key "http..interval" is not a field path`}, true},
		{"no value", []string{"fanout="}, []string{"--set fanout=: fanout: must be an integer from 1 to 99999999, got nothing"}, true},
		{"not YAML", []string{"fanout=[1, 2"}, []string{"gossipbench: --set fanout=[1, 2: the value is not valid YAML"}, true},
		{"inside a scalar", []string{"nodes.x=1"},
			[]string{"--set nodes.x=1: nodes: is \"200\" in the file (line 3), not a mapping, so --set cannot set x inside it"}, true},
		{"a newline in a value", []string{"name=a\nb"}, []string{`gossipbench: testdata/tiny.yaml: --set name=a\nb: name: must be`}, true},
		{"an escape in a value that is not YAML", []string{"description=\x1b[2J"}, []string{`gossipbench: --set description=\x1b[2J: the value is not valid YAML`}, true},
		{"every bad one is told", []string{"fanout=x", "mode=gossip"},
			[]string{"--set fanout=x: fanout: must be", "--set mode=gossip: mode: must be one of push, pull, pushpull"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "results")
			args := []string{"run", "--out", out}
			for _, s := range c.sets {
				args = append(args, "--set", s)
			}
			code, stdout, stderr := gossipbench(t, append(args, file)...)
			got := stdout
			if c.bad {
				got = stderr
				if code != exitBadUser {
					t.Errorf("exit %d, want %d; stderr %q", code, exitBadUser, stderr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s was written", out)
				}
			} else if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// The scenario.yaml a run with --set writes is the scenario as run: run
// alone, with no flags, it gives the same rows and summary; and it says
// which overrides it holds.
func TestRunSetScenarioCopyReproduces(t *testing.T) {
	first, again := t.TempDir(), t.TempDir()
	sets := []string{"--set", "fanout=3", "--set", "loss=[0, 0.3]", "--set", "nodes=[60]", "--set", "failures=[{round: 2, crash: 0.2}]"}
	args := append([]string{"run", "--quiet", "--out", first}, sets...)
	if code, _, stderr := gossipbench(t, append(args, "testdata/tiny.yaml")...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	copied := filepath.Join(first, "tiny", "scenario.yaml")
	raw, err := os.ReadFile(copied)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), `# The scenario file as run, with --set "fanout=3", --set "loss=[0, 0.3]"`) {
		t.Errorf("scenario.yaml does not say which overrides it holds:\n%s", raw)
	}
	if code, _, stderr := gossipbench(t, "run", "--quiet", "--out", again, copied); code != 0 {
		t.Fatalf("running the copy: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "rounds.csv", "scenario.yaml"} {
		a, err1 := os.ReadFile(filepath.Join(first, "tiny", f))
		b, err2 := os.ReadFile(filepath.Join(again, "tiny", f))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the run with --set and the run of its scenario.yaml", f)
		}
	}
	// The overrides took.
	sum, _ := os.ReadFile(filepath.Join(first, "tiny", "summary.json"))
	for _, w := range []string{`"mode=push,nodes=60,loss=0.3"`, `"fanout": 3`, `"kind": "crash"`} {
		if !bytes.Contains(sum, []byte(w)) {
			t.Errorf("summary.json of the run with --set lacks %s", w)
		}
	}
}

// A --set that takes the scenario as run beyond the 1 MiB a scenario file
// may hold is refused: its scenario.yaml would be refused by run, report
// and merge alike.
func TestRunSetTooBigAsRun(t *testing.T) {
	tiny, err := os.ReadFile("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A file just within the cap, and a description that takes it beyond.
	pad := strings.Repeat("# "+strings.Repeat("x", 97)+"\n", 10300)
	file := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(file, append(tiny, pad...), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "results")
	code, _, stderr := gossipbench(t, "run", "--quiet", "--out", out, file)
	if code != 0 {
		t.Fatalf("the file alone: exit %d: %s", code, stderr)
	}
	out = filepath.Join(t.TempDir(), "results")
	code, _, stderr = gossipbench(t, "run", "--quiet", "--out", out, "--set", "description="+strings.Repeat("a", 100000), file)
	if code != exitBadUser {
		t.Errorf("exit %d, want %d; stderr %q", code, exitBadUser, stderr)
	}
	if want := file + ": with --set applied, the scenario is "; !strings.Contains(stderr, want) || !strings.Contains(stderr, "at most 1048576 bytes") {
		t.Errorf("stderr %q lacks %q and the cap", stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
}
