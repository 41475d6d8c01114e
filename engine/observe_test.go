package engine

import (
	"reflect"
	"testing"
)

// A node's outage closes when it comes back, with or without its state,
// and a node that goes down again opens a second one.
func TestRecorderClosesEachOutageOnce(t *testing.T) {
	rec := NewRecorder(4, true)
	rec.Round(Round{RoundStats: RoundStats{Round: 0}, Informed: []int32{0}})
	rec.Round(Round{RoundStats: RoundStats{Round: 1}, Failed: []int32{2, 3}})
	rec.Round(Round{RoundStats: RoundStats{Round: 2}, Recovered: []int32{2, 3}, Forgot: []int32{3}, Failed: []int32{1}})
	rec.Round(Round{RoundStats: RoundStats{Round: 3}, Failed: []int32{2}})
	rec.Round(Round{RoundStats: RoundStats{Round: 5}, Recovered: []int32{2}, Forgot: []int32{2}})
	want := []Outage{
		{Node: 2, Down: 1, Up: 2, Keep: true},
		{Node: 3, Down: 1, Up: 2, Keep: false},
		{Node: 1, Down: 2, Up: -1},
		{Node: 2, Down: 3, Up: 5, Keep: false},
	}
	rep := rec.Trace.Replay
	if !reflect.DeepEqual(rep.Outages, want) {
		t.Fatalf("outages %+v, want %+v", rep.Outages, want)
	}
	if rep.CrashedAt[2] != 1 || rep.CrashedAt[1] != 2 || rep.CrashedAt[0] != -1 {
		t.Fatalf("crashed at %v: the first time each node went down", rep.CrashedAt)
	}
}
