package results_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/internal/results"
)

// faultParams are a point of 12 nodes with a crash that comes back and a
// partition that heals, as summary.json holds them.
func faultParams() results.Params {
	return results.Params{Engine: "memory", Nodes: 12, Mode: engine.PushPull, Fanout: 1, MaxRounds: 40, Trials: 1, Source: 0,
		Failures:   []results.FailureSummary{{Round: 2, Kind: "crash", Fraction: 0.25, Recover: 5}},
		Partitions: []results.PartitionParams{{Round: 2, Heal: 6, Groups: 2}},
		HTTP:       results.HTTPParams{Drive: "lockstep"}}
}

// faultReplay is a real trial of faultParams on the memory engine, made a
// replay file as experiments writes one.
func faultReplay(t *testing.T) (*results.ReplayFile, *results.PointSummary) {
	t.Helper()
	p := faultParams()
	cfg := engine.Config{Nodes: p.Nodes, Mode: p.Mode, Fanout: 1, MaxRounds: p.MaxRounds, Seed: 3, Source: 0, Replay: true,
		Failures: results.EngineFailures(p.Failures), Partitions: []engine.Partition{p.Partitions[0].Engine()}}
	tr, err := engine.Collect(context.Background(), memory.Engine{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rf := results.NewReplayFile("s", "base", p, tr)
	return rf, &results.PointSummary{ID: "base", Params: p}
}

func TestFaultReplayReadsAndIsChecked(t *testing.T) {
	rf, p := faultReplay(t)
	if err := results.CheckReplay(rf, p, "s"); err != nil {
		t.Fatal(err)
	}
	if len(rf.Outages) != 3 || len(rf.Partitions) != 1 || rf.Outages[0][2] != 5 {
		t.Fatalf("outages %v, partitions %v: want 3 nodes down 2..5 and one split", rf.Outages, rf.Partitions)
	}
	// The file holds the brief's names, [node, down, up, keep].
	data, _ := json.Marshal(rf)
	for _, want := range []string{`"outages":[[`, `"partitions":[{"round":2,"heal":6,"oneway":false,"group":[`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("replay JSON lacks %s", want)
		}
	}
	for _, tt := range []struct {
		name   string
		change func(rf *results.ReplayFile)
		want   string
	}{
		{"node out of range", func(rf *results.ReplayFile) { rf.Outages[0][0] = 12 }, "out of range"},
		{"up before down", func(rf *results.ReplayFile) { rf.Outages[0][2] = 1 }, "out of range"},
		{"five numbers", func(rf *results.ReplayFile) { rf.Outages[0] = append(rf.Outages[0], 0) }, "not 3 or 4 numbers"},
		{"keep for good", func(rf *results.ReplayFile) { rf.Outages[0][2], rf.Outages[0][3] = -1, 1 }, "keep is 0 or 1"},
		{"twice down", func(rf *results.ReplayFile) {
			o := rf.Outages[0]
			rf.Outages = append(rf.Outages, []int32{o[0], 3, -1, 0})
		}, "still down"},
		{"crashed_at disagrees", func(rf *results.ReplayFile) { rf.CrashedAt[rf.Outages[0][0]] = 3 }, "first outage starts"},
		{"group too high", func(rf *results.ReplayFile) { rf.Partitions[0].Group[4] = 2 }, "groups 0..1"},
		{"heal not the params'", func(rf *results.ReplayFile) { rf.Partitions[0].Heal = 7 }, "params.partitions[0] has 2, 6"},
		{"groups short", func(rf *results.ReplayFile) { rf.Partitions[0].Group = rf.Partitions[0].Group[:3] }, "3 group entries"},
		{"a partition too many", func(rf *results.ReplayFile) { rf.Partitions = append(rf.Partitions, rf.Partitions[0]) }, "2 partitions"},
		{"relearned before learning", func(rf *results.ReplayFile) { rf.Relearned = [][2]int32{{0, 0}} }, "relearned[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rf, p := faultReplay(t)
			tt.change(rf)
			if err := results.CheckReplay(rf, p, "s"); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// A replay written before outages has crashed_at only: every crash for good.
	old := &results.ReplayFile{CrashedAt: []int32{-1, 3}}
	if got := old.ReplayOutages(); len(got) != 1 || got[0] != (results.Outage{Node: 1, Down: 3, Up: -1}) {
		t.Errorf("outages of an older replay: %v", got)
	}
}

// rounds_to_reconverge by hand: E is the heal (6), counted from round 5.
func TestRoundsToReconvergeHandCounted(t *testing.T) {
	p := faultParams()
	rows := []engine.RoundStats{}
	informed := []int{1, 2, 4, 5, 6, 7, 8, 9, 12, 12}
	for r, k := range informed {
		rows = append(rows, engine.RoundStats{Round: r, Informed: k, Alive: 12})
	}
	m, _ := results.MetricNamed(results.RoundsToReconverge)
	got, ok := m.Value(results.Trial{Trace: &engine.Trace{Rounds: rows}, Params: &p})
	if !ok || got != 3 { // everyone knows at the end of round 8 = E-1 + 3
		t.Errorf("rounds_to_reconverge %v %v, want 3", got, ok)
	}
	plain := results.Params{Nodes: 12, MaxRounds: 40}
	if _, ok := m.Value(results.Trial{Trace: &engine.Trace{Rounds: rows}, Params: &plain}); ok {
		t.Error("a point without faults over time has a rounds_to_reconverge")
	}
}

func TestHostileFaultParams(t *testing.T) {
	const yaml = "name: hostile\nnodes: 30\ntrials: 2\nfailures: [{round: 2, crash: 0.1}]\n"
	partition := func(p map[string]any, kv ...any) {
		pt := map[string]any{"round": 3, "heal": 6, "groups": 2}
		for i := 0; i < len(kv); i += 2 {
			pt[kv[i].(string)] = kv[i+1]
		}
		params(p)["partitions"] = []any{pt}
	}
	for _, tt := range []struct {
		name   string
		change func(p map[string]any)
		want   string
	}{
		{"heal before round", func(p map[string]any) { partition(p, "heal", 2) }, "heal a later round"},
		{"one group", func(p map[string]any) { partition(p, "groups", 1) }, "at least 2 groups"},
		{"too many groups", func(p map[string]any) { partition(p, "groups", 200) }, "200 groups"},
		{"shares not adding up", func(p map[string]any) { partition(p, "shares", []any{0.3, 0.3}) }, "add up to 1"},
		{"beyond max_rounds", func(p map[string]any) { partition(p, "heal", 500) }, "beyond max_rounds"},
		{"recover before the failure", func(p map[string]any) {
			params(p)["failures"].([]any)[0].(map[string]any)["recover"] = 1
		}, "recover must be a later round"},
		{"keep_state without recover", func(p map[string]any) {
			params(p)["failures"].([]any)[0].(map[string]any)["keep_state"] = true
		}, "keep_state needs recover"},
		{"churn of everyone", func(p map[string]any) { params(p)["churn"] = map[string]any{"leave": 1, "join": 0, "from": 1} }, "churn"},
		{"reconverge without faults", func(p map[string]any) {
			p["metrics"].(map[string]any)[results.RoundsToReconverge] = map[string]any{"n": 1, "mean": 1, "min": 1, "median": 1, "max": 1}
		}, "is of faults over time; the point has none"},
		{"down curve short", func(p map[string]any) {
			partition(p)
			p["curve"].(map[string]any)["down_mean"] = []any{0}
		}, "down_mean values"},
		{"down above the nodes", func(p map[string]any) {
			partition(p)
			c := p["curve"].(map[string]any)
			down := make([]any, len(c["round"].([]any)))
			for i := range down {
				down[i] = 31
			}
			c["down_mean"] = down
		}, "down_mean 31 at round 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeResult(t, yaml)
			path := filepath.Join(dir, results.SummaryFile)
			data, _ := os.ReadFile(path)
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			tt.change(point0(m))
			data, _ = json.Marshal(m)
			os.WriteFile(path, data, 0o644)
			_, err := results.OpenResult(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), results.SummaryFile) {
				t.Errorf("error %v, want one naming %s and containing %q", err, results.SummaryFile, tt.want)
			}
		})
	}
}
