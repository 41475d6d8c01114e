package echart

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/report/chart"
)

// A band marker becomes a markArea from its start to its end, "max" for
// one that never ends; a line marker stays a markLine.
func TestFaultBandsAreMarkAreas(t *testing.T) {
	s := markerSeries([]chart.Marker{{X: 2, Label: "round 2: crash"}, {X: 3, To: 8, Band: true, Label: "partition 2 groups"},
		{X: 1, To: math.Inf(1), Band: true, Label: "churn 2%/round"}})
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{`"markLine":{"data":[{"name":"round 2: crash","xAxis":2}]`,
		`"markArea":{"data":[[{"name":"partition 2 groups","xAxis":3},{"xAxis":8}],[{"name":"churn 2%/round","xAxis":1},{"xAxis":"max"}]]`} {
		if !strings.Contains(got, want) {
			t.Errorf("marker series lacks %s:\n%s", want, got)
		}
	}
}
