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
			if name == "faults" && !hasEvery(tr.Replay) {
				t.Fatalf("seed %d: the faults trace lacks outages back with and without state, relearnings or its partition: %+v", seed, tr.Replay)
			}
			if name != "faults" && (tr.Graph == nil || len(tr.RumorSources) != 4) {
				t.Fatalf("%s seed %d: graph %v, rumor sources %v", name, seed, tr.Graph, tr.RumorSources)
			}
		}
	}
}

// hasEvery is whether a replay holds every kind of fault record: outages
// ended with state and without, relearnings and one partition.
func hasEvery(rep *engine.Replay) bool {
	kept, forgot := false, false
	for _, o := range rep.Outages {
		kept = kept || o.Up >= 0 && o.Keep
		forgot = forgot || o.Up >= 0 && !o.Keep
	}
	return kept && forgot && len(rep.Relearned) > 0 && len(rep.Partitions) == 1
}

// Rows without a Rumors count (older files, the one-bit paths) still hand
// over every rumor source, in order.
func TestPlayHandsEverySourceOfRowsWithoutRumors(t *testing.T) {
	tr := engine.Trace{Source: 2, RumorSources: []int{2, 1, 0},
		Rounds: []engine.RoundStats{{Round: 0, Informed: 1, Alive: 3}, {Round: 1, Informed: 3, Alive: 3}}}
	rec := engine.NewRecorder(3, false)
	if err := tr.Play(func(r engine.Round) error { rec.Round(r); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Trace, tr) {
		t.Fatalf("played back %+v, want %+v", rec.Trace, tr)
	}
}
