package engine_test

import (
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
)

// A trace played into a Recorder is the trace again, whatever it holds:
// faults over time in its replay, many rumors, graph facts, or no replay.
// The result files of a run kept whole are written from what Play streams.
func TestPlayIsTheRecordersInverse(t *testing.T) {
	faults := engine.Config{Nodes: 60, Mode: engine.PushPull, Fanout: 1, MaxRounds: 40, Source: -1, Replay: true, Loss: 0.1,
		Failures:   []engine.Failure{{Round: 2, Kind: engine.Crash, Fraction: 0.2, Recover: 5}, {Round: 3, Kind: engine.Crash, Fraction: 0.1, Recover: 6, KeepState: true}},
		Partitions: []engine.Partition{{Round: 3, Heal: 7, Groups: 2, Oneway: true}},
		Churn:      engine.Churn{Leave: 0.05, Join: 0.05, From: 1, Until: 12}}
	rumors := engine.Config{Nodes: 40, Mode: engine.Push, Fanout: 2, MaxRounds: 60, Source: -1, Replay: true,
		Stop: engine.Stop{Rule: engine.StopCounter, K: 2}, Rumors: engine.Rumors{Count: 4, Every: 2},
		Topology: engine.Topology{Kind: engine.TopologyRing, Degree: 4}}
	plain := rumors
	plain.Replay = false
	for name, cfg := range map[string]engine.Config{"faults": faults, "rumors on a ring": rumors, "no replay": plain} {
		for seed := range uint64(5) {
			cfg.Seed = seed
			tr, err := engine.Collect(t.Context(), memory.Engine{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			rec := engine.NewRecorder(cfg.Nodes, cfg.Replay)
			if err := tr.Play(func(r engine.Round) error { rec.Round(r); return nil }); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rec.Trace, *tr) {
				t.Fatalf("%s seed %d: played back\n%+v\nrecorded\n%+v", name, seed, rec.Trace, *tr)
			}
			if name == "faults" && (len(tr.Replay.Outages) == 0 || len(tr.Replay.Relearned) == 0 || len(tr.Replay.Partitions) != 1) {
				t.Fatalf("seed %d: the faults trace lacks outages, relearnings or its partition: %+v", seed, tr.Replay)
			}
			if name != "faults" && (tr.Graph == nil || len(tr.RumorSources) != 4) {
				t.Fatalf("%s seed %d: graph %v, rumor sources %v", name, seed, tr.Graph, tr.RumorSources)
			}
		}
	}
}
