package experiments

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// rounds.csv reads back into exactly the rounds that were written, and
// gives the same per-trial metrics as summary.json.
func TestReadRoundsRoundTrip(t *testing.T) {
	s := mustParse(t, gridYAML)
	res, err := Runner{Engines: testEngines}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := Summarize(res)
	dir, err := Write(t.TempDir(), res, sum, NewManifest(res, sum, Host{}, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadRounds(filepath.Join(dir, RoundsFile))
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
			if !reflect.DeepEqual(TrialMetrics(got[i], pr.Point.Params.Nodes), TrialMetrics(tr, pr.Point.Params.Nodes)) {
				t.Fatalf("%s trial %d: metrics differ", pr.Point.ID, i)
			}
		}
	}
}

func TestReadRoundsNamesTheLine(t *testing.T) {
	header := strings.Join(RoundsHeader, ",") + "\n"
	for _, c := range []struct{ body, want string }{
		{"point,trial\n", "2 columns, want 13"},
		{header + "p,0,0,1,1,10,0,0,0,0,0,0,0\np,0,2,1,0,10,1,1,0,0,0,1,0\n", ":3: point p trial 0: round 2 follows round 0"},
		{header + "p,0,1,1,1,10,0,0,0,0,0,0,0\n", ":2: point p trial 0 starts at round 1, not 0"},
		{header + "p,0,0,x,1,10,0,0,0,0,0,0,0\n", ":2: informed: "},
	} {
		path := filepath.Join(t.TempDir(), RoundsFile)
		os.WriteFile(path, []byte(c.body), 0o644)
		if _, err := ReadRounds(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q naming the file", c.body, err, c.want)
		}
	}
}
