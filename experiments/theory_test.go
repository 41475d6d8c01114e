package experiments

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

// Where the mean-field model does not cover a point, summary.json holds
// null for its theory and its curve's theory, and no_theory says why; the
// covered points of the same run keep theirs, and the reader takes both.
func TestSummaryWritesNullTheory(t *testing.T) {
	for _, c := range []struct {
		name, yaml, without, reason string
	}{
		// Both names run the simulator here: what counts is what the
		// scenario says of the point (the memory point is never free).
		{"free running", "name: free\nnodes: 50\ntrials: 3\nhttp: {drive: free}\nsweep: {engine: [memory, http]}\n",
			"engine=http", "free-running"},
		{"an early crash", "name: crash\nnodes: 200\ntrials: 3\nfailures: [{round: 1, crash: 0.5}, {round: 9, crash: 0.1}]\nsweep: {fanout: [1, 2]}\n",
			"", "round 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := mustParse(t, c.yaml)
			engines := map[string]engine.Engine{"memory": memory.Engine{}, "http": memory.Engine{}}
			res, err := Runner{Engines: engines}.Run(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			sum := Summarize(res)
			dir, err := Write(t.TempDir(), res, sum, NewManifest(res, sum, results.Host{}, 1, nil))
			if err != nil {
				t.Fatal(err)
			}
			var raw struct {
				Points []struct {
					ID       string          `json:"id"`
					Theory   json.RawMessage `json:"theory"`
					NoTheory *string         `json:"no_theory"`
					Curve    struct {
						Round  []int           `json:"round"`
						Theory json.RawMessage `json:"theory"`
					} `json:"curve"`
				} `json:"points"`
			}
			data, err := os.ReadFile(filepath.Join(dir, results.SummaryFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			for _, p := range raw.Points {
				covered := c.without != "" && p.ID != c.without
				switch {
				case covered && (string(p.Theory) == "null" || string(p.Curve.Theory) == "null" || p.NoTheory != nil):
					t.Errorf("%s: theory %s, curve theory %.20s, no_theory %v; the model covers it", p.ID, p.Theory, p.Curve.Theory, p.NoTheory)
				case !covered && (string(p.Theory) != "null" || string(p.Curve.Theory) != "null"):
					t.Errorf("%s: theory %s, curve theory %.20s; want null", p.ID, p.Theory, p.Curve.Theory)
				case !covered && (p.NoTheory == nil || !strings.Contains(*p.NoTheory, c.reason)):
					t.Errorf("%s: no_theory %v, want a reason with %q", p.ID, p.NoTheory, c.reason)
				case len(p.Curve.Round) == 0:
					t.Errorf("%s: no curve", p.ID)
				}
			}
			r := openResult(t, dir)
			for _, p := range r.Summary.Points {
				if (p.Theory == nil) != (p.NoTheory != "") {
					t.Errorf("%s read back: theory %v, no_theory %q", p.ID, p.Theory, p.NoTheory)
				}
			}

			// A null theory with no reason, or a reason beside a theory,
			// is not what gossipbench writes.
			editJSON(t, filepath.Join(dir, results.SummaryFile), func(m map[string]any) {
				for _, p := range m["points"].([]any) {
					delete(p.(map[string]any), "no_theory")
				}
			})
			if _, err := results.OpenResult(dir); err == nil || !strings.Contains(err.Error(), "no_theory") {
				t.Errorf("a null theory without a reason was read (%v)", err)
			}
		})
	}
}
