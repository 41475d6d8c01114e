package results_test

import (
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// rounds.csv reads back into exactly the rounds that were written, and
// gives the same per-trial metrics as summary.json.
func TestReadRoundsRoundTrip(t *testing.T) {
	res, dir := runAndWrite(t, gridYAML)
	back, err := openResult(t, dir).Rounds()
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range res.Points {
		got := back[pr.Point.ID]
		if len(got) != len(pr.Traces) {
			t.Fatalf("%s: %d trials read, %d written", pr.Point.ID, len(got), len(pr.Traces))
		}
		for i, tr := range pr.Traces {
			if !reflect.DeepEqual(got[i].Rounds, tr.Rounds) {
				t.Fatalf("%s trial %d: rounds differ", pr.Point.ID, i)
			}
			params := &pr.Point.Params
			if !reflect.DeepEqual(results.TrialMetrics(results.Trial{Trace: got[i], Params: params}), results.TrialMetrics(results.Trial{Trace: tr, Params: params})) {
				t.Fatalf("%s trial %d: metrics differ", pr.Point.ID, i)
			}
		}
	}
}
