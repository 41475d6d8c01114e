package results_test

import (
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// A replay's unrecorded counts are hostile input like the rest of it: only
// free-running replays carry them, one per round, 0 in round 0, none
// negative or beyond what a round can send.
func TestUnrecordedIsChecked(t *testing.T) {
	free := results.Params{Engine: "http", Nodes: 3, MaxRounds: 5, HTTP: results.HTTPParams{Drive: "free"}}
	point := func(p results.Params) *results.PointSummary { return &results.PointSummary{ID: "base", Params: p} }
	file := func(p results.Params, unrecorded []int) *results.ReplayFile {
		return &results.ReplayFile{Scenario: "s", Point: "base", Params: p, FirstInformed: []int32{0, 1, -1},
			CrashedAt: []int32{-1, -1, -1}, Rounds: [][][4]int32{{}, {{0, 1, 0, 0}}, {}}, Unrecorded: unrecorded}
	}
	lockstep := free
	lockstep.HTTP.Drive = "lockstep"
	for _, c := range []struct {
		name       string
		params     results.Params
		unrecorded []int
		msg        string // "" for a replay that passes
	}{
		{"free, all recorded", free, []int{0, 0, 0}, ""},
		{"free, some missed", free, []int{0, 4, 12}, ""},
		{"free, written before free-running messages were recorded", free, nil, ""},
		{"lockstep", lockstep, []int{0, 0, 0}, "not of free-running"},
		{"memory", results.Params{Engine: "memory", Nodes: 3, MaxRounds: 5}, []int{0, 1, 0}, "not of free-running"},
		{"a round short", free, []int{0, 0}, "3 rounds but 2 unrecorded"},
		{"negative", free, []int{0, -1, 0}, "unrecorded[1] is -1"},
		{"in round 0", free, []int{1, 0, 0}, "unrecorded[0] is 1"},
		{"more than a round can send", free, []int{0, 13, 0}, "unrecorded[1] is 13"},
	} {
		err := results.CheckReplay(file(c.params, c.unrecorded), point(c.params), "s")
		switch {
		case c.msg == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.msg != "" && (err == nil || !strings.Contains(err.Error(), c.msg)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}
