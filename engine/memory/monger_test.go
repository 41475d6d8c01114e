package memory

import (
	"context"
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/topology"
)

// The mongering path without any of its keys is the wave-1 protocol: it
// must give the bit-per-node path's rows, edge for edge, on every mode,
// with loss, failures and a sparse graph, so that the one cannot drift
// from the other.
func TestMongerIsWaveOneWithoutItsKeys(t *testing.T) {
	cases := []engine.Config{
		{Nodes: 300, Mode: engine.Push, Fanout: 1, MaxRounds: 100, Seed: 1, Source: -1},
		{Nodes: 300, Mode: engine.Pull, Fanout: 2, Loss: 0.2, MaxRounds: 100, Seed: 2, Source: 5},
		{Nodes: 300, Mode: engine.PushPull, Fanout: 3, Loss: 0.1, MaxRounds: 100, Seed: 3, Source: -1,
			Failures: []engine.Failure{{Round: 2, Fraction: 0.2}, {Round: 4, Fraction: 0.1, Kind: engine.Hang}}},
		{Nodes: 256, Mode: engine.PushPull, Fanout: 2, MaxRounds: 100, Seed: 4, Source: -1,
			Topology: engine.Topology{Kind: engine.TopologyRegular, Degree: 4}},
		{Nodes: 200, Mode: engine.Push, Fanout: 2, Loss: 0.3, MaxRounds: 100, Seed: 5, Source: -1,
			Topology: engine.Topology{Kind: engine.TopologyErdosRenyi, Degree: 1.5}},
	}
	for _, cfg := range cases {
		cfg.Replay = true
		want, err := engine.Collect(context.Background(), Engine{}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := topology.Rules(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rec := engine.NewRecorder(cfg.Nodes, true)
		if err := monger(context.Background(), cfg, rules, rec); err != nil {
			t.Fatal(err)
		}
		got := rec.Trace
		if len(got.Rounds) != len(want.Rounds) {
			t.Fatalf("%+v: %d rounds, the bit path %d", cfg, len(got.Rounds), len(want.Rounds))
		}
		for i, r := range got.Rounds {
			w := want.Rounds[i]
			if r.Infective != r.Informed || r.Removed != 0 || r.Rumors != 1 || r.Down != cfg.Nodes-r.Alive {
				t.Fatalf("round %d: infective %d removed %d rumors %d down %d of %d informed", i, r.Infective, r.Removed, r.Rumors, r.Down, r.Informed)
			}
			r.Infective, r.Rumors, r.Down = 0, 0, 0
			if r != w {
				t.Fatalf("%v/%s: round %d\n got %+v\nwant %+v", cfg.Mode, cfg.Topology.Kind, i, r, w)
			}
		}
		if !reflect.DeepEqual(got.Replay, want.Replay) {
			t.Fatalf("%v/%s: replays differ", cfg.Mode, cfg.Topology.Kind)
		}
	}
}
