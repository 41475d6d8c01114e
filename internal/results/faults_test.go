package results_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// faultsYAML has every fault over time, a replay of each point and a
// sweep of the one partition's heal.
const faultsYAML = `
name: hostile
nodes: 60
fanout: 2
mode: pushpull
trials: 3
seed: 5
max_rounds: 40
replay: {max_nodes: 100}
failures: [{round: 2, crash: 0.2, recover: 5, keep_state: true}, {round: 3, hang: 0.1, recover: 8}]
partitions: [{round: 3, heal: 7, groups: 2}]
churn: {leave: 0.02, join: 0.02, until: 10}
sweep:
  partitions.heal: [6, 9]
`

const faultReplay = "replay/partitions.heal=6.json"

// Every way of spoiling the faults in a real result is refused with a
// *ResultError naming the file: params as the engines would refuse them,
// rounds.csv's fault columns, and the replay's outages, partitions and
// relearnings.
func TestHostileFaults(t *testing.T) {
	good := writeResult(t, faultsYAML)
	rf := readReplay(t, good)
	if len(rf.Outages) == 0 || len(rf.Partitions) != 1 || len(rf.Relearned) == 0 {
		t.Fatalf("the replay has %d outages, %d partitions, %d relearned: nothing to spoil", len(rf.Outages), len(rf.Partitions), len(rf.Relearned))
	}
	params := func(change func(p map[string]any)) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) { change(point0(m)["params"].(map[string]any)) })
		}
	}
	part := func(p map[string]any) map[string]any { return p["partitions"].([]any)[0].(map[string]any) }
	fail := func(p map[string]any) map[string]any { return p["failures"].([]any)[0].(map[string]any) }
	churn := func(p map[string]any) map[string]any { return p["churn"].(map[string]any) }
	replay := func(change func(m map[string]any)) func(*testing.T, string) {
		return func(t *testing.T, dir string) { editJSON(t, filepath.Join(dir, faultReplay), change) }
	}
	outage := func(m map[string]any) []any { return m["outages"].([]any)[0].([]any) }
	// rounds.csv's second line, the first point's round 0 (every count 0
	// but the source): cell i from the end set to v.
	roundCell := func(fromEnd int, v string) func(*testing.T, string) {
		return func(t *testing.T, dir string) {
			path := filepath.Join(dir, results.RoundsFile)
			data, _ := os.ReadFile(path)
			lines := strings.Split(string(data), "\n")
			f := strings.Split(lines[1], ",")
			f[len(f)-1-fromEnd] = v
			lines[1] = strings.Join(f, ",")
			os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
		}
	}
	cases := []struct {
		name  string
		spoil func(*testing.T, string)
		file  string
		msg   string
	}{
		{"partition of 200 groups", params(func(p map[string]any) { part(p)["groups"] = 200 }), results.SummaryFile, "partitions[0].groups 200 outside 2..128"},
		{"partition healing before it falls", params(func(p map[string]any) { part(p)["round"] = 8 }), results.SummaryFile, "heal a later round (or 0), got 8 and 6"},
		{"shares not adding to 1", params(func(p map[string]any) { part(p)["shares"] = []any{0.5, 0.6} }), results.SummaryFile, "shares must add up to 1"},
		{"shares not the groups", params(func(p map[string]any) { part(p)["shares"] = []any{0.5, 0.25, 0.25} }), results.SummaryFile, "3 shares for 2 groups"},
		{"recover before the failure", params(func(p map[string]any) { fail(p)["recover"] = 1 }), results.SummaryFile, "recover must be a later round"},
		{"keep_state without recover", params(func(p map[string]any) { delete(fail(p), "recover") }), results.SummaryFile, "keep_state needs recover"},
		{"churn of every node", params(func(p map[string]any) { churn(p)["leave"] = 1 }), results.SummaryFile, "leave and join must be in [0, 1)"},
		{"churn from round 0", params(func(p map[string]any) { churn(p)["from"] = 0 }), results.SummaryFile, "from must be >= 1"},
		{"churn with no rates", params(func(p map[string]any) { churn(p)["leave"], churn(p)["join"] = 0, 0 }), results.SummaryFile, "neither leave nor join"},
		{"cut above failed", roundCell(0, "5"), results.RoundsFile, "cut 5 is more than failed 0"},
		{"down above nodes", roundCell(2, "61"), results.RoundsFile, "down 61, recovering 0; point partitions.heal=6 has 60 nodes"},
		{"negative recovering", roundCell(1, "-1"), results.RoundsFile, "recovering is -1"},
		{"outage of node 60", replay(func(m map[string]any) { outage(m)[0] = 60 }), faultReplay, "outages[0]: node 60 outside 0..59"},
		{"outage up at its down", replay(func(m map[string]any) { outage(m)[2] = outage(m)[1] }), faultReplay, "up after down"},
		{"outage up beyond the replay", replay(func(m map[string]any) { outage(m)[2] = 40 }), faultReplay, "up at 40; the replay has rounds 1.."},
		{"outage keep 2", replay(func(m map[string]any) { outage(m)[3] = 2 }), faultReplay, "outages[0]: keep 2"},
		{"outage of 5 values", replay(func(m map[string]any) { m["outages"].([]any)[0] = append(outage(m), 1) }), faultReplay, "an outage is [node, down, up, keep]"},
		{"crashed_at not the first outage", replay(func(m map[string]any) { m["crashed_at"].([]any)[int(outage(m)[0].(float64))] = 3 }), faultReplay, "but crashed_at says 3"},
		{"partition of another round", replay(func(m map[string]any) { m["partitions"].([]any)[0].(map[string]any)["round"] = 4 }), faultReplay, "partitions[0]: round 4"},
		{"partition group 5", replay(func(m map[string]any) {
			m["partitions"].([]any)[0].(map[string]any)["group"].([]any)[7] = 5
		}), faultReplay, "partitions[0].group[7] is 5; the partition has groups 0..1"},
		{"partition group 200", replay(func(m map[string]any) {
			m["partitions"].([]any)[0].(map[string]any)["group"].([]any)[7] = 200
		}), faultReplay, "cannot unmarshal"},
		{"two partitions", replay(func(m map[string]any) { m["partitions"] = append(m["partitions"].([]any), m["partitions"].([]any)[0]) }),
			faultReplay, "2 partitions; point partitions.heal=6 has 1"},
		{"relearned at round 0", replay(func(m map[string]any) { m["relearned"].([]any)[0].([]any)[1] = 0 }), faultReplay, "relearned[0]"},
		{"relearned by node 99", replay(func(m map[string]any) { m["relearned"].([]any)[0].([]any)[0] = 99 }), faultReplay, "relearned[0]: node 99"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { refused(t, good, c.spoil, readEverything, c.file, c.msg) })
	}
	if err := readEverything(good); err != nil {
		t.Fatalf("the unspoilt result: %v", err)
	}
}

func readReplay(t *testing.T, dir string) *results.ReplayFile {
	t.Helper()
	rf, err := openResult(t, dir).Replay("partitions.heal=6")
	if err != nil {
		t.Fatal(err)
	}
	return rf
}

// A fault metric on a point without faults over time is refused, as a
// mongering metric on a point without mongering is.
func TestFaultMetricOnAPlainPoint(t *testing.T) {
	good := writeResult(t, hostileYAML)
	refused(t, good, func(t *testing.T, dir string) {
		editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) {
			met := point0(m)["metrics"].(map[string]any)
			met[results.CutMessages] = met[results.Residue]
		})
	}, readEverything, results.SummaryFile, "metric cut_messages is faults over time's; the point has none")
}

// rounds.csv written before the fault columns (and trials.csv before the
// fault metrics) still reads: down, recovering and cut are 0.
func TestRoundsWithoutFaultColumnsRead(t *testing.T) {
	dir := writeResult(t, hostileYAML)
	dropColumns(t, dir, results.RoundsFile, 3, ",rumors")
	dropColumns(t, dir, results.TrialsFile, 3, ",rounds_to_999")
	everyRow(t, dir, func(row engine.RoundStats) {
		if row.Down != 0 || row.Recovering != 0 || row.Cut != 0 || row.Infective != row.Informed {
			t.Fatalf("an older row reads as %+v", row)
		}
	})
	// The new file's rows read as written: the crash at round 2 takes 12
	// of 60 nodes down, which the runner writes as down = nodes - alive.
	traces, err := openResult(t, writeResult(t, hostileYAML)).Rounds()
	if err != nil {
		t.Fatal(err)
	}
	if row := traces["mode=push"][0].Rounds[2]; row.Down != 12 || row.Alive != 48 {
		t.Errorf("round 2 after the crash: %+v, want down 12, alive 48", row)
	}
}

// The fault metrics on hand-made traces of 4 nodes, one rumor.
func TestFaultMetricsByHand(t *testing.T) {
	// A partition at round 2 healing at round 4: E = 4, so counting
	// starts at the end of round E-1 = 3. Round 3 ends with 3 of 4
	// informed, round 4 with 4 of 4: rounds_to_reconverge = 4-3 = 1.
	// Cut messages 2 (round 2) + 1 (round 3) = 3 of 2+2+2+2 = 8 sent:
	// cut_fraction 3/8 = 0.375.
	p := &results.Params{Nodes: 4, MaxRounds: 10, Partitions: []results.PartitionParams{{Round: 2, Heal: 4, Groups: 2}}}
	tr := &engine.Trace{Rounds: []engine.RoundStats{
		{Round: 0, Informed: 1, Alive: 4},
		{Round: 1, Informed: 2, Alive: 4, Sent: 2, Delivered: 2, Useful: 1, Redundant: 1},
		{Round: 2, Informed: 2, Alive: 4, Sent: 2, Failed: 2, Cut: 2},
		{Round: 3, Informed: 3, Alive: 4, Sent: 2, Delivered: 1, Failed: 1, Cut: 1, Useful: 1},
		{Round: 4, Informed: 4, Alive: 4, Sent: 2, Delivered: 2, Useful: 1, Redundant: 1},
	}}
	m := results.TrialMetrics(results.Trial{Trace: tr, Params: p})
	if m[results.RoundsToReconverge] != 1 || m[results.CutMessages] != 3 || m[results.CutFraction] != 0.375 {
		t.Errorf("metrics %v, want reconverge 1, cut 3, cut share 0.375", m)
	}
	// Everyone already informed at the end of round E-1 = 3 (a heal at
	// 4 that nothing needed): 0.
	tr.Rounds[3].Informed = 4
	if m := results.TrialMetrics(results.Trial{Trace: tr, Params: p}); m[results.RoundsToReconverge] != 0 {
		t.Errorf("reconverge %v, want 0", m[results.RoundsToReconverge])
	}
	// A trial still short of everyone at its end has no value.
	tr.Rounds[4].Informed = 3
	tr.Rounds[3].Informed = 3
	if _, ok := results.TrialMetrics(results.Trial{Trace: tr, Params: p})[results.RoundsToReconverge]; ok {
		t.Error("a trial that never re-converged has rounds_to_reconverge")
	}
	// Churn that never ends has no last event: no rounds_to_reconverge,
	// and without partitions no cut metrics; a crash for good has none
	// of them at all.
	churn := &results.Params{Nodes: 4, MaxRounds: 10, Churn: results.ChurnParams{Leave: 0.1, From: 1}}
	crash := &results.Params{Nodes: 4, MaxRounds: 10, Failures: []results.FailureSummary{{Round: 1, Kind: "crash", Fraction: 0.25}}}
	tr.Rounds[4].Informed = 4
	for name, q := range map[string]*results.Params{"churn without until": churn, "crash": crash} {
		m := results.TrialMetrics(results.Trial{Trace: tr, Params: q})
		for _, k := range []string{results.RoundsToReconverge, results.CutMessages, results.CutFraction} {
			if _, ok := m[k]; ok {
				t.Errorf("%s has %s", name, k)
			}
		}
	}
	// Churn until round 3: E = 3, from the end of round 2 (2 of 4) the
	// first round all know is 4: 4-2 = 2.
	churn.Churn.Until = 3
	if m := results.TrialMetrics(results.Trial{Trace: tr, Params: churn}); m[results.RoundsToReconverge] != 2 {
		t.Errorf("churn until 3: reconverge %v, want 2", m[results.RoundsToReconverge])
	}
}

// Partitions and churn read as people write them, in every place that
// names them (the scenario page, the replay's notes, params tables).
func TestFaultTexts(t *testing.T) {
	for _, c := range []struct {
		got  fmt.Stringer
		want string
	}{
		{results.PartitionParams{Round: 3, Heal: 8, Groups: 2}, "2 groups at round 3, heal 8"},
		{results.PartitionParams{Round: 1, Groups: 2, Shares: []float64{0.3, 0.7}, Oneway: true}, "groups of 30 %, 70 % one-way at round 1, never heals"},
		{results.ChurnParams{Leave: 0.02, Join: 0.02, From: 1}, "churn 2 % leave, 2 % join per round from round 1 to the end"},
		{results.ChurnParams{Leave: 0.07, Join: 0.035, Until: 30}, "churn 7 % leave, 3.5 % join per round from round 0 until round 30"},
		{results.FailureSummary{Kind: "crash", Fraction: 0.29, Round: 2, Recover: 6}, "crash 29 % at round 2, back at round 6"},
	} {
		if s := c.got.String(); s != c.want {
			t.Errorf("%+v reads %q, want %q", c.got, s, c.want)
		}
	}
}
