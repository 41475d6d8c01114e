package results_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// hostileYAML has replays, a crash and a sweep, so every file kind is there.
const hostileYAML = `
name: hostile
nodes: 60
fanout: 2
trials: 3
seed: 5
replay: {max_nodes: 100}
failures: [{round: 2, crash: 0.2}]
sweep:
  mode: [push, pushpull]
`

// writeResult runs yaml and writes its result under a new directory.
func writeResult(t *testing.T, yaml string) string {
	t.Helper()
	_, dir := runAndWrite(t, yaml)
	return dir
}

// runAndWrite runs yaml and writes its result under a new directory,
// returning the run too.
func runAndWrite(t *testing.T, yaml string) (*experiments.Result, string) {
	t.Helper()
	s := mustParse(t, yaml)
	res, err := experiments.Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	dir, err := experiments.Write(t.TempDir(), res, sum, experiments.NewManifest(res, sum, results.Host{}, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	return res, dir
}

func point0(m map[string]any) map[string]any { return m["points"].([]any)[0].(map[string]any) }

const replay0 = "replay/mode=push.json"

// Every way of spoiling a real result is refused by the one reader with a
// *ResultError naming the file at fault, before anything uses the data.
func TestHostileResults(t *testing.T) {
	good := writeResult(t, hostileYAML)
	secret := filepath.Join(t.TempDir(), "secret.json")
	os.WriteFile(secret, []byte(`{"schema": 2, "token": "s3cr3t"}`), 0o600)
	summary := func(change func(m map[string]any)) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { editJSON(t, filepath.Join(dir, results.SummaryFile), change) }
	}
	replay := func(change func(m map[string]any)) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) { editJSON(t, filepath.Join(dir, replay0), change) }
	}
	// text replaces the first old in a file with new.
	text := func(name, old, new string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			path := filepath.Join(dir, name)
			data, _ := os.ReadFile(path)
			if !strings.Contains(string(data), old) {
				t.Fatalf("%s holds no %s", name, old)
			}
			os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
		}
	}
	link := func(name, to string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, name))
			if err := os.Symlink(to, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	rounds := func(row string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			path := filepath.Join(dir, results.RoundsFile)
			data, _ := os.ReadFile(path)
			os.WriteFile(path, append(data, row+"\n"...), 0o644)
		}
	}
	// trials edits trials.csv's lines (the header is line 0).
	trials := func(edit func(lines [][]string) [][]string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			path := filepath.Join(dir, results.TrialsFile)
			data, _ := os.ReadFile(path)
			var lines [][]string
			for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				lines = append(lines, strings.Split(l, ","))
			}
			var out []string
			for _, l := range edit(lines) {
				out = append(out, strings.Join(l, ","))
			}
			os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644)
		}
	}
	// cell sets a cell of trials.csv's first data row, by column name.
	cell := func(column, value string) func(t *testing.T, dir string) {
		return trials(func(lines [][]string) [][]string {
			lines[1][slices.Index(lines[0], column)] = value
			return lines
		})
	}
	cases := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		file  string // named in the error
		msg   string
	}{
		{"summary is a symlink", link(results.SummaryFile, secret), results.SummaryFile, "a symbolic link"},
		{"replay is a symlink", link(replay0, secret), replay0, "a symbolic link"},
		{"replay dir is a symlink", link(results.ReplayDir, t.TempDir()), results.ReplayDir, "a symbolic link"},
		{"rounds is a directory", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, results.RoundsFile))
			os.Mkdir(filepath.Join(dir, results.RoundsFile), 0o755)
		}, results.RoundsFile, "not a regular file"},
		{"summary too big", func(t *testing.T, dir string) {
			os.Truncate(filepath.Join(dir, results.SummaryFile), results.MaxSummaryBytes+1) // sparse: no disk used
		}, results.SummaryFile, "more than the"},
		{"replay path traversal", summary(func(m map[string]any) { point0(m)["replay"] = "../../outside/x.json" }),
			results.SummaryFile, `replay "../../outside/x.json", want "replay/mode=push.json"`},
		{"point ID is a path", summary(func(m map[string]any) {
			point0(m)["id"] = "../../x"
			point0(m)["replay"] = "replay/../../x.json"
		}), results.SummaryFile, `id "../../x" is not a point ID`},
		{"scenario name with a space", summary(func(m map[string]any) { m["name"] = "a b" }), results.SummaryFile, `scenario name "a b"`},
		{"scenario name ..", summary(func(m map[string]any) { m["name"] = ".." }), results.SummaryFile, `scenario name ".."`},
		{"curve lengths differ", summary(func(m map[string]any) {
			c := point0(m)["curve"].(map[string]any)
			c["alive_mean"] = c["alive_mean"].([]any)[1:]
		}), results.SummaryFile, "rounds but"},
		{"curve beyond max_rounds", summary(func(m map[string]any) {
			point0(m)["params"].(map[string]any)["max_rounds"] = 2 // the crash is at round 2
		}), results.SummaryFile, "outside 0..2"},
		{"unknown http drive", summary(func(m map[string]any) {
			point0(m)["params"].(map[string]any)["http"].(map[string]any)["drive"] = "warp"
		}), results.SummaryFile, `http.drive "warp"`},
		{"negative http latency", summary(func(m map[string]any) {
			point0(m)["params"].(map[string]any)["http"].(map[string]any)["latency"] = "-1s"
		}), results.SummaryFile, "never negative"},
		{"no trials asked for", summary(func(m map[string]any) { point0(m)["params"].(map[string]any)["trials"] = 0 }),
			results.SummaryFile, "trials 0 outside 1..100000"},
		{"source beyond the nodes", summary(func(m map[string]any) { point0(m)["params"].(map[string]any)["source"] = 60 }),
			results.SummaryFile, "source 60 outside -1..59"},
		{"failure of an unknown kind", summary(func(m map[string]any) {
			point0(m)["params"].(map[string]any)["failures"].([]any)[0].(map[string]any)["kind"] = "explode"
		}), results.SummaryFile, `failures[0]: kind "explode"`},
		{"theory of an unknown metric", summary(func(m map[string]any) {
			point0(m)["theory"].(map[string]any)["happiness"] = 1
		}), results.SummaryFile, `theory of unknown metric "happiness"`},
		{"theory beyond max_rounds", summary(func(m map[string]any) {
			point0(m)["theory"].(map[string]any)["rounds_to_full"] = 1e9
		}), results.SummaryFile, "theory rounds_to_full 1e+09, outside 0..200"},
		{"more trials than asked for", summary(func(m map[string]any) { point0(m)["unmeasured"] = 2 }),
			results.SummaryFile, "2 unmeasured trials besides 3 measured, but params asked for 3"},
		{"negative converged", summary(func(m map[string]any) { point0(m)["converged"] = -1 }), results.SummaryFile, "-1 converged of 3 trials"},
		{"informed above nodes", summary(func(m map[string]any) {
			point0(m)["curve"].(map[string]any)["informed_mean"].([]any)[0] = 1e9
		}), results.SummaryFile, "informed_mean 1e+09 at round 0"},
		{"point outside the grid", summary(func(m map[string]any) { point0(m)["id"] = "mode=pull" }), results.SummaryFile, `point "mode=pull" is not in the grid`},
		{"sweep_values of another sweep", summary(func(m map[string]any) { m["sweep_values"] = []any{} }), results.SummaryFile, "0 sweep_values lists for 1 sweep keys"},
		{"sweep_values naming a path", summary(func(m map[string]any) { m["sweep_values"] = []any{[]any{"push", "../x"}} }), results.SummaryFile, `"../x" is not a point ID's value`},
		{"sweep_values a key cannot have", summary(func(m map[string]any) { m["sweep_values"] = []any{[]any{"push", "warp"}} }),
			results.SummaryFile, `sweep_values[0][1]: "warp" is not a value of mode`},
		{"sweep_values not as IDs spell them", summary(func(m map[string]any) { m["sweep_values"] = []any{[]any{"push", "push-pull"}} }),
			results.SummaryFile, `sweep_values[0][1]: "push-pull" is not a value of mode`},
		{"an ID its params contradict", summary(func(m map[string]any) { point0(m)["params"].(map[string]any)["mode"] = "pull" }),
			results.SummaryFile, `point "mode=push": its params have mode pull`},
		{"an ID without the sweep's keys", summary(func(m map[string]any) { delete(m, "sweep_values"); point0(m)["id"] = "fanout=2" }),
			results.SummaryFile, `point "fanout=2": not an ID of the sweep over [mode]`},
		{"a mode by number", summary(func(m map[string]any) { point0(m)["params"].(map[string]any)["mode"] = 7 }),
			results.SummaryFile, "mode"},
		{"theory null without a reason", summary(func(m map[string]any) { point0(m)["theory"] = nil; point0(m)["curve"].(map[string]any)["theory"] = nil }),
			results.SummaryFile, "theory is null, and no_theory does not say why"},
		{"a reason beside a theory", summary(func(m map[string]any) { point0(m)["no_theory"] = "free running" }),
			results.SummaryFile, `no_theory says "free running", but there is a theory`},
		{"a theory curve without theory", summary(func(m map[string]any) { point0(m)["theory"] = nil; point0(m)["no_theory"] = "free running" }),
			results.SummaryFile, "theory values for a point without theory"},
		{"a theory share above 1", summary(func(m map[string]any) { point0(m)["theory"].(map[string]any)["residue"] = 5 }),
			results.SummaryFile, "theory residue 5, outside 0..1: it is a share"},
		{"bad shard", summary(func(m map[string]any) { m["shard"] = map[string]any{"index": 0, "count": 2} }), results.SummaryFile, "invalid shard 0/2"},
		{"manifest of another scenario", func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, results.ManifestFile), func(m map[string]any) { m["name"] = "other" })
		}, results.ManifestFile, `scenario "other"`},
		{"first_informed 2147483647", replay(func(m map[string]any) { m["first_informed"].([]any)[1] = 2147483647 }),
			replay0, "first_informed[1] is round 2147483647"},
		{"first_informed 20000000", replay(func(m map[string]any) { m["first_informed"].([]any)[1] = 20000000 }),
			replay0, "first_informed[1] is round 20000000"},
		{"crashed_at below -1", replay(func(m map[string]any) { m["crashed_at"].([]any)[0] = -7 }), replay0, "crashed_at[0] is round -7"},
		{"message to a node beyond n", replay(func(m map[string]any) {
			m["rounds"].([]any)[1].([]any)[0].([]any)[1] = 60
		}), replay0, "rounds[1][0]: message"},
		{"replay of more nodes", replay(func(m map[string]any) {
			m["first_informed"] = append(m["first_informed"].([]any), -1)
		}), replay0, "first_informed"},
		{"replay of another point", replay(func(m map[string]any) { m["point"] = "mode=pull" }), replay0, "the replay of hostile / mode=pull"},
		// A replay's messages (and unrecorded ones) are those rounds.csv
		// counts for its trial, round by round.
		{"replay lacks a message rounds.csv counts", replay(func(m map[string]any) {
			r1 := m["rounds"].([]any)[1].([]any)
			m["rounds"].([]any)[1] = r1[1:]
		}), replay0, "are not the sent counts of trial 0 in rounds.csv"},
		{"replay message in another round", replay(func(m map[string]any) {
			rs := m["rounds"].([]any)
			r1 := rs[1].([]any)
			rs[1], rs[2] = r1[1:], append(rs[2].([]any), r1[0])
		}), replay0, "the same"},
		{"replay of another trial", replay(func(m map[string]any) { m["trial"] = 2 }), replay0, "the replay of trial 2"},
		{"replay a round longer than its trial", replay(func(m map[string]any) {
			m["rounds"] = append(m["rounds"].([]any), []any{})
		}), replay0, "rounds, but trial 0 has"},
		{"negative count in rounds", rounds("mode=push,push,0,99,1,0,-5,0,0,0,0,0,0,0,1,0,0,0,0,0"), results.RoundsFile, "alive is -5"},
		{"round beyond the run", func(t *testing.T, dir string) {
			// A fourth trial, one round longer than max_rounds, which is
			// lowered to the longest curve so summary.json stays consistent.
			var last int
			summary(func(m map[string]any) {
				p := m["points"].([]any)[1].(map[string]any)
				last = len(p["curve"].(map[string]any)["round"].([]any)) - 1
				p["params"].(map[string]any)["max_rounds"] = last
				p["trials"] = 4
				p["params"].(map[string]any)["trials"] = 4
			})(t, dir)
			for r := 0; r <= last+1; r++ {
				rounds(fmt.Sprintf("mode=pushpull,pushpull,3,%d,1,0,60,0,0,0,0,0,0,0,1,0,0,0,0,0", r))(t, dir)
			}
		}, results.RoundsFile, "the point ran 4 trials of at most"},
		{"informed above nodes in rounds", rounds("mode=push,push,3,0,61,0,60,0,0,0,0,0,0,0,61,0,0,0,0,0"), results.RoundsFile, "trial 3 round 0: the point ran 3 trials"},
		{"rounds skip", rounds("mode=pushpull,pushpull,2,99,1,0,60,0,0,0,0,0,0,0,1,0,0,0,0,0"), results.RoundsFile, "trial 2: round 99 follows round"},
		{"a trial again", rounds("mode=push,push,0,0,1,0,60,0,0,0,0,0,0,0,1,0,0,0,0,0"), results.RoundsFile, "trial 0 follows trial 2"},
		{"rounds of an unknown point", rounds("fanout=9,push,0,0,1,0,60,0,0,0,0,0,0,0,1,0,0,0,0,0"), results.RoundsFile, `point "fanout=9" is not in summary.json`},
		{"more informed than alive", rounds("mode=push,push,0,0,50,0,40,0,0,0,0,0,0,0,50,0,0,0,0,0"), results.RoundsFile, "informed 50, new 0, alive 40"},
		{"sent is not the sum", rounds("mode=push,push,0,0,1,0,60,10,5,1,1,5,0,0,1,0,0,0,0,0"), results.RoundsFile, "sent 10 is not delivered 5 + lost 1 + failed 1"},
		{"delivered is not the sum", rounds("mode=push,push,0,0,1,0,60,7,5,1,1,1,1,0,1,0,0,0,0,0"), results.RoundsFile, "delivered 5 is not useful 1 + redundant 1"},
		{"negative messages per node", summary(func(m map[string]any) {
			st := point0(m)["metrics"].(map[string]any)[results.MessagesPerNode].(map[string]any)
			st["min"], st["mean"] = -3.0, -1.0
		}), results.SummaryFile, "minimum -3; it is never negative"},
		{"mean outside min and max", summary(func(m map[string]any) {
			point0(m)["metrics"].(map[string]any)[results.MessagesPerNode].(map[string]any)["mean"] = 1e6
		}), results.SummaryFile, "mean 1e+06"},
		{"a share above 1", summary(func(m map[string]any) {
			point0(m)["metrics"].(map[string]any)[results.Redundancy].(map[string]any)["max"] = 2.0
		}), results.SummaryFile, "maximum 2; it is a share"},
		{"an engine this build lacks", summary(func(m map[string]any) { m["engine"] = "memory+bogus" }), results.SummaryFile, `engine "memory+bogus"`},
		{"infective and removed not informed", rounds("mode=push,push,0,99,1,0,60,0,0,0,0,0,0,0,0,0,0,0,0,0"), results.RoundsFile, "infective 0 + removed 0 is not informed 1"},
		{"removed without a stop rule", rounds("mode=push,push,0,99,1,0,60,0,0,0,0,0,0,0,0,1,0,0,0,0"), results.RoundsFile, "removed is 1, but point mode=push has no stop rule"},
		{"more rumors than the point injects", rounds("mode=push,push,0,99,1,0,60,0,0,0,0,0,0,0,1,0,2,0,0,0"), results.RoundsFile, "rumors is 2; point mode=push injects 1"},
		{"negative infective", rounds("mode=push,push,0,99,1,0,60,0,0,0,0,0,0,0,-1,2,0,0,0,0"), results.RoundsFile, "infective is -1"},
		{"rounds not a number", rounds("mode=push,push,0,0,x,0,60,0,0,0,0,0,0,0,0,0,0,0,0,0"), results.RoundsFile, "informed: "},
		// A trial's rows must be together: readers hold one trial at a time.
		{"a trial's rows apart", func(t *testing.T, dir string) {
			data, _ := os.ReadFile(filepath.Join(dir, results.RoundsFile))
			var last int
			for _, line := range strings.Split(string(data), "\n") {
				if f := strings.Split(line, ","); len(f) == 17 && f[0] == "mode=push" && f[2] == "2" {
					last, _ = strconv.Atoi(f[3])
				}
			}
			rounds(fmt.Sprintf("mode=push,push,2,%d,1,0,60,0,0,0,0,0,0,0,1,0,0,0,0,0", last+1))(t, dir)
		}, results.RoundsFile, "the trial's rows are not together"},
		{"a swept column that is not the point's", rounds("mode=push,pull,0,0,1,0,60,0,0,0,0,0,0,0,1,0,0,0,0,0"), results.RoundsFile,
			`mode is "pull", but point mode=push has mode=push`},
		{"trials is a symlink", link(results.TrialsFile, secret), results.TrialsFile, "a symbolic link"},
		{"trials is a directory", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, results.TrialsFile))
			os.Mkdir(filepath.Join(dir, results.TrialsFile), 0o755)
		}, results.TrialsFile, "not a regular file"},
		{"trials too big", func(t *testing.T, dir string) {
			os.Truncate(filepath.Join(dir, results.TrialsFile), 4<<30+1) // sparse
		}, results.TrialsFile, "more than the"},
		{"trials value not a number either", cell("rounds_to_full", "x"), results.TrialsFile, `rounds_to_full "x": want a number`},
		{"trials header renamed", trials(func(l [][]string) [][]string { l[0][1] = "fanout"; return l }), results.TrialsFile, `column 2 is "fanout", want "mode"`},
		{"trials with a swept column not the point's", cell("mode", "pull"), results.TrialsFile, `mode is "pull", but point mode=push has mode=push`},
		{"trials out of order", trials(func(l [][]string) [][]string { l[1], l[2] = l[2], l[1]; return l }), results.TrialsFile, "trial \"1\", want 0"},
		{"trials missing a point", trials(func(l [][]string) [][]string { return l[:4] }), results.TrialsFile, "no rows for point mode=pushpull"},
		{"trials missing a trial", trials(func(l [][]string) [][]string { return append(l[:3], l[4:]...) }), results.TrialsFile, "point mode=push: 2 trials, but the point ran 3"},
		{"trials of an unknown point", trials(func(l [][]string) [][]string { l[4][0] = "mode=pull"; return l }), results.TrialsFile, `point "mode=pull": not the next point`},
		{"trials value not a number", cell("messages_per_node", "1e999"), results.TrialsFile, "messages_per_node \"1e999\": want a number"},
		{"trials share above 1", cell("redundancy", "1.5"), results.TrialsFile, "redundancy 1.5: it is a share"},
		{"trials rounds beyond the run", cell("rounds_to_50", "1000"), results.TrialsFile, "rounds_to_50 1000: want a round"},
		{"trials value summary.json lacks", cell("bytes_per_node", "7"), results.TrialsFile, "1 trials with bytes_per_node, but summary.json counts 0"},
		{"trials unmeasured with values", cell("measured", "false"), results.TrialsFile, "is unmeasured, but converged is"},
		{"trials converged not a boolean", cell("converged", "yes"), results.TrialsFile, `converged "yes": want true or false`},
		{"trials not converged as summary says", trials(func(l [][]string) [][]string {
			l[1][slices.Index(l[0], "converged")], l[1][slices.Index(l[0], "rounds_to_full")] = "false", ""
			return l
		}), results.TrialsFile, "measured and 2 converged trials, but summary.json has 3 and 3"},
		// Bytes and seconds per round are the http engine's (Params.OnTheWire):
		// on a memory point the page would show bytes no message carried.
		{"memory point with bytes", summary(func(m map[string]any) {
			point0(m)["metrics"].(map[string]any)[results.BytesPerNode] = point0(m)["metrics"].(map[string]any)[results.Residue]
		}), results.SummaryFile, `point "mode=push": metric bytes_per_node is the http engine's; engine "memory" has none`},
		{"memory point with seconds per round", summary(func(m map[string]any) {
			point0(m)["metrics"].(map[string]any)[results.SecondsPerRound] = point0(m)["metrics"].(map[string]any)[results.Residue]
		}), results.SummaryFile, `point "mode=push": metric seconds_per_round is the http engine's`},
		// encoding/json matches keys up to case and lets a repeated key's
		// last value win; the reader takes neither (checkKeys).
		{"replay key in capitals", text(replay0, `"point":`, `"POINT":`), replay0, `key "POINT", want "point" (keys are matched exactly)`},
		{"replay nested key in capitals", text(replay0, `"max_nodes":`, `"Max_Nodes":`), replay0, `params.replay: key "Max_Nodes", want "max_nodes"`},
		{"replay key twice", text(replay0, `{"schema":2,`, `{"schema":2,"point":"mode=pull",`), replay0, `the top level: key "point" given twice`},
		{"summary key twice", text(results.SummaryFile, `"schema": 2,`, `"schema": 2, "name": "other",`), results.SummaryFile, `key "name" given twice`},
		{"summary point key in capitals", summary(func(m map[string]any) {
			point0(m)["Converged"] = point0(m)["converged"]
			delete(point0(m), "converged")
		}), results.SummaryFile, `points[0]: key "Converged", want "converged"`},
		{"manifest key twice", text(results.ManifestFile, `"schema": 2,`, `"schema": 2, "schema": 2,`), results.ManifestFile, `key "schema" given twice`},
		{"trials seed not a seed", cell("seed", "-1"), results.TrialsFile, `seed "-1": not a seed`},
		// Numbers Go reads that CSV readers (pandas) do not: a hex float, digits
		// with underscores, a sign.
		// A row must agree with itself: a fraction reached by the trial's last
		// round, and rounds_to_full exactly when the trial converged.
		{"trials fraction reached after the trial", cell("rounds_to_50", "99"), results.TrialsFile, "rounds_to_50 99: after the trial's last round"},
		{"trials converged without rounds_to_full", trials(func(l [][]string) [][]string {
			l[1][slices.Index(l[0], "rounds_to_full")] = ""
			l[2][slices.Index(l[0], "rounds_to_full")] = ""
			return l
		}), results.TrialsFile, `converged is true, but rounds_to_full is ""`},
		{"trials value a hex float", cell("messages_per_node", "0x1p3"), results.TrialsFile, `messages_per_node "0x1p3": want a number`},
		{"trials value with underscores", cell("messages_per_node", "1_0"), results.TrialsFile, `messages_per_node "1_0": want a number`},
		{"trials value negative zero", cell("residue", "-0"), results.TrialsFile, `residue "-0": want a number`},
		{"trials empty", func(t *testing.T, dir string) { os.Truncate(filepath.Join(dir, results.TrialsFile), 0) },
			results.TrialsFile, "empty; its first line is the header point,mode,trial,"},
		{"rounds empty", func(t *testing.T, dir string) { os.Truncate(filepath.Join(dir, results.RoundsFile), 0) },
			results.RoundsFile, "empty; its first line is the header point,mode,trial,round,"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { refused(t, good, c.spoil, readEverything, c.file, c.msg) })
	}
	if err := readEverything(good); err != nil {
		t.Fatalf("the unspoilt result: %v", err)
	}
}

// readEverything reads every file of a result the way report does.
func readEverything(dir string) error {
	r, err := results.OpenResult(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Require(results.ManifestFile, results.ScenarioFile, results.RoundsFile); err != nil {
		return err
	}
	if _, err := r.Rounds(); err != nil {
		return err
	}
	if err := r.Require(results.TrialsFile); err != nil {
		return err
	}
	if err := r.CheckTrials(); err != nil {
		return err
	}
	for _, p := range r.Summary.Points {
		if p.Replay != "" {
			if _, err := r.Replay(p.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// The result directory itself may not be a link, and FindResults lists
// such a link rather than letting it drop out unseen.
func TestLinkedResultDir(t *testing.T) {
	good := writeResult(t, hostileYAML)
	root := t.TempDir()
	link := filepath.Join(root, "hostile")
	os.Symlink(good, link)
	dirs, single, err := results.FindResults(root)
	if err != nil || single || len(dirs) != 1 || dirs[0] != link {
		t.Fatalf("FindResults: %v %v %v", dirs, single, err)
	}
	var re *results.ResultError
	if _, err := results.OpenResult(link); !errors.As(err, &re) || !strings.Contains(err.Error(), link+": a symbolic link") {
		t.Errorf("OpenResult of a link: %v", err)
	}
}

func TestReadRoundsHeader(t *testing.T) {
	dir := writeResult(t, hostileYAML)
	path := filepath.Join(dir, results.RoundsFile)
	os.WriteFile(path, []byte("point,trial\n"), 0o644)
	r := openResult(t, dir)
	if _, err := r.Rounds(); err == nil || !strings.Contains(err.Error(), path+": 2 columns, want 20") {
		t.Errorf("error %v", err)
	}
}

// Issue 9 item 23: a reader racing a run that replaces the result sees the
// old result or the new one, whole, never a mix and never an error. The
// writer is the real one (Write, which swaps directories); two seeds tell
// the results apart in every file.
func TestOpenResultWhileRunReplaces(t *testing.T) {
	yaml := func(seed int) string {
		return fmt.Sprintf("%sseed: %d\n", strings.Replace(hostileYAML, "seed: 5\n", "", 1), seed)
	}
	runs := map[int]*experiments.Result{}
	for _, seed := range []int{1, 2} {
		res, err := experiments.Runner{Engines: testEngines}.Run(context.Background(), mustParse(t, yaml(seed)))
		if err != nil {
			t.Fatal(err)
		}
		runs[seed] = res
	}
	out := t.TempDir()
	write := func(seed int) {
		res := runs[seed]
		sum := experiments.Summarize(res)
		if _, err := experiments.Write(out, res, sum, experiments.NewManifest(res, sum, results.Host{}, 1, nil)); err != nil {
			t.Error(err)
		}
	}
	write(1)
	dir := filepath.Join(out, "hostile")
	const rewrites = 40
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range rewrites {
			write(1 + i%2)
		}
	}()
	reads := 0
	for running := true; running; reads++ {
		select {
		case <-done:
			running = false // one more read of the last result
		default:
		}
		if err := readConsistent(dir); err != nil {
			t.Errorf("read %d: %v", reads, err)
			break
		}
	}
	<-done
	t.Logf("%d reads during %d rewrites", reads, rewrites)
}

// readConsistent reads every file of a result and checks they are of one run.
func readConsistent(dir string) error {
	r, err := results.OpenResult(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Require(results.ManifestFile, results.ScenarioFile, results.RoundsFile); err != nil {
		return err
	}
	seed := r.Summary.Seed
	if r.Manifest.Seed != seed || !strings.Contains(string(r.Scenario), fmt.Sprintf("seed: %d\n", seed)) {
		return fmt.Errorf("summary of seed %d, manifest of %d, scenario.yaml %q", seed, r.Manifest.Seed, r.Scenario)
	}
	traces, err := r.Rounds()
	if err != nil {
		return err
	}
	for _, p := range r.Summary.Points {
		if len(traces[p.ID]) != p.Trials {
			return fmt.Errorf("point %s: %d trials in rounds.csv, %d in summary.json", p.ID, len(traces[p.ID]), p.Trials)
		}
		var sent []float64
		for _, tr := range traces[p.ID] {
			sent = append(sent, results.TrialMetrics(results.Trial{Trace: tr, Params: &p.Params})[results.MessagesPerNode])
		}
		if got := results.Describe(sent); got.Mean != p.Metrics[results.MessagesPerNode].Mean {
			return fmt.Errorf("point %s: rounds.csv of another run (messages per node %g, summary.json %g)", p.ID, got.Mean, p.Metrics[results.MessagesPerNode].Mean)
		}
		rf, err := r.Replay(p.ID)
		if err != nil {
			return err
		}
		if len(rf.Rounds) != len(traces[p.ID][results.ReplayTrial].Rounds) {
			return fmt.Errorf("point %s: a replay of %d rounds, trial %d of %d", p.ID, len(rf.Rounds), results.ReplayTrial, len(traces[p.ID][results.ReplayTrial].Rounds))
		}
	}
	return nil
}

// A scenario that sweeps engine writes its engines joined by "+"
// (http-vs-memory.yaml: "memory+http"); its result must read back.
func TestEngineSweepResultReads(t *testing.T) {
	dir := writeResult(t, hostileYAML)
	editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) { m["engine"] = "memory+http" })
	r, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}

// refused copies the good result, spoils it and wants read to refuse it
// with a *ResultError naming file and saying msg, and never showing the
// content of a file a link points at.
func refused(t *testing.T, good string, spoil func(*testing.T, string), read func(dir string) error, file, msg string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "hostile")
	if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
		t.Fatal(err)
	}
	spoil(t, dir)
	err := read(dir)
	var re *results.ResultError
	if !errors.As(err, &re) {
		t.Fatalf("error %T %v, want *ResultError", err, err)
	}
	if !strings.Contains(err.Error(), filepath.Join(dir, file)) || !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q, want %q naming %s", err, msg, filepath.Join(dir, file))
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Error("the error shows the linked file's content")
	}
}
