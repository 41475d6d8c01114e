package experiments

import (
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/internal/results"
)

// TestValidFaults checks that every key of faults over time reaches the
// params and the engines' Config, and that a swept churn key changes the
// point's ID and so its trials' seeds.
func TestValidFaults(t *testing.T) {
	s := mustLoadValid(t, "faults.yaml")
	wantF := []results.FailureSummary{{Round: 2, Kind: "crash", Fraction: 0.1, Recover: 6, KeepState: true}, {Round: 3, Kind: "hang", Fraction: 0.05, Recover: 9}}
	wantP := []results.PartitionParams{{Round: 4, Heal: 10, Groups: 2, Shares: []float64{0.3, 0.7}, Oneway: true}, {Round: 12, Groups: 3}}
	if !reflect.DeepEqual(s.Failures, wantF) || !reflect.DeepEqual(s.Partitions, wantP) {
		t.Errorf("failures %+v, partitions %+v", s.Failures, s.Partitions)
	}
	pts := s.Points()
	if len(pts) != 2 || pts[0].ID != "churn.leave=0.01" || pts[1].ID != "churn.leave=0.05" {
		t.Fatalf("points %v", pointIDs(pts))
	}
	if got := (results.ChurnParams{Leave: 0.05, Join: 0.01, From: 2, Until: 40}); pts[1].Params.Churn != got {
		t.Errorf("churn %+v, want %+v", pts[1].Params.Churn, got)
	}
	c0, c1 := s.Config(pts[0], 0, false), s.Config(pts[1], 0, false)
	if c0.Seed == c1.Seed {
		t.Errorf("both points' trial 0 seeds are %d: a swept churn key must change the point's trials", c0.Seed)
	}
	want := engine.Config{Failures: []engine.Failure{{Round: 2, Fraction: 0.1, Kind: engine.Crash, Recover: 6, KeepState: true}, {Round: 3, Fraction: 0.05, Kind: engine.Hang, Recover: 9}},
		Partitions: []engine.Partition{{Round: 4, Heal: 10, Groups: 2, Shares: []float64{0.3, 0.7}, Oneway: true}, {Round: 12, Groups: 3}},
		Churn:      engine.Churn{Leave: 0.05, Join: 0.01, From: 2, Until: 40}}
	if !reflect.DeepEqual(c1.Failures, want.Failures) || !reflect.DeepEqual(c1.Partitions, want.Partitions) || c1.Churn != want.Churn {
		t.Errorf("Config faults = %+v %+v %+v", c1.Failures, c1.Partitions, c1.Churn)
	}
	if err := c1.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	for _, p := range pts {
		if err := results.CheckParams(p.Params, s.SweepKeys()); err != nil {
			t.Errorf("point %s: the reader refuses what the decoder gave: %v", p.ID, err)
		}
	}
}

// TestSweepPartition: a swept key of the one partition changes that
// partition only in its point, and churn swept to 0 is no churn.
func TestSweepPartition(t *testing.T) {
	s := mustParse(t, "name: p\nnodes: 100\nmax_rounds: 40\npartitions: [{round: 3, heal: 5, groups: [0.5, 0.5]}]\n"+
		"churn: {leave: 0.01}\nsweep:\n  partitions.groups: [2, 4]\n  partitions.heal: [5, 20]\n  churn.leave: [0, 0.02]\n")
	pts := s.Points()
	if len(pts) != 8 || pts[7].ID != "partitions.groups=4,partitions.heal=20,churn.leave=0.02" {
		t.Fatalf("points %v", pointIDs(pts))
	}
	if got := pts[7].Params.Partitions[0]; got.Groups != 4 || got.Shares != nil || got.Heal != 20 || got.Round != 3 {
		t.Errorf("last point's partition %+v", got)
	}
	if got := s.Partitions[0]; got.Heal != 5 || got.Shares == nil {
		t.Errorf("the scenario's partition changed under a point: %+v", got)
	}
	if pts[0].Params.Churn != (results.ChurnParams{}) || pts[1].Params.Churn != (results.ChurnParams{Leave: 0.02, From: 1}) {
		t.Errorf("churn %+v, %+v", pts[0].Params.Churn, pts[1].Params.Churn)
	}
	seeds := map[uint64]bool{}
	for _, p := range pts {
		seeds[s.Config(p, 0, false).Seed] = true
	}
	if len(seeds) != len(pts) {
		t.Errorf("%d seeds for %d points", len(seeds), len(pts))
	}
}

// A trial with faults over time runs on the World, whose per-node states
// the memory guard counts as it does a mongering trial's.
func TestGuardCountsTheWorldOfFaults(t *testing.T) {
	plain := mustParse(t, "name: g\nnodes: 100000\n")
	split := mustParse(t, "name: g\nnodes: 100000\npartitions: [{round: 2, heal: 5, groups: 2}]\n")
	got, base := split.trialBytes(split.Points()[0]), plain.trialBytes(plain.Points()[0])
	if want := float64(protocol.WorldBytes(100000, 1, 1)); got-base < want {
		t.Errorf("a partitioned trial counts %g bytes beyond a plain one, want at least the World's %g", got-base, want)
	}
}
