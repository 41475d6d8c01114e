// Package resultstest writes real results for tests of what reads them
// (report, compare): it runs a small scenario on the in-memory engine and
// writes it the way `gossipbench run` does, so the tests read what users'
// runs write.
package resultstest

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Scenario is a scenario of 1000 nodes, pushpull, fanout 2 and 30 trials:
// big enough for the statistics to see loss 0.3, small enough to run in
// well under a second. Append lines (seed, loss, sweep) to vary it.
const Scenario = "name: demo\ndescription: pushpull, fanout 2\nnodes: 1000\nmode: pushpull\nfanout: 2\ntrials: 30\n"

// Write runs the scenario YAML and writes its results under dir, returning
// the scenario's results directory. With fixedWall the manifest's wall
// times are made up (the same for every point and run), so that output
// that includes them can be compared with golden files.
func Write(t testing.TB, dir, yaml string, fixedWall bool) string {
	t.Helper()
	return WriteFile(t, dir, "test.yaml", yaml, fixedWall)
}

// WriteFile is Write with the scenario's file name, which the manifest's
// command line and error messages show.
func WriteFile(t testing.TB, dir, file, yaml string, fixedWall bool) string {
	t.Helper()
	s, err := experiments.Parse(file, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	res, err := experiments.Runner{Engines: map[string]engine.Engine{"memory": memory.Engine{}}}.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	sum := experiments.Summarize(res)
	man := experiments.NewManifest(res, sum, results.Host{Name: "test", OS: "linux", Arch: "amd64", CPUs: 2}, 1, []string{"gossipbench", "run", file})
	if fixedWall {
		walls := make([]float64, s.Trials)
		for i := range walls {
			walls[i] = 0.001 + 0.0001*float64(i%5)
		}
		for i := range man.Points {
			man.Points[i].WallSeconds = results.Describe(walls)
		}
	}
	out, err := experiments.Write(dir, res, sum, man)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Engines are the engines these tests run: the simulator only.
var Engines = map[string]engine.Engine{"memory": memory.Engine{}}

// Parse reads a scenario as the file test.yaml, failing the test on error.
func Parse(t testing.TB, yaml string) *experiments.Scenario {
	t.Helper()
	s, err := experiments.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// GridYAML is a 2 x 2 grid of small points with replays: every file a
// result can hold, in a few milliseconds.
const GridYAML = `
name: grid
nodes: 100
fanout: 2
trials: 6
seed: 3
replay: {max_nodes: 100}
sweep:
  mode: [push, pull]
  loss: [0, 0.2]
`

// Open opens a results directory and closes it when the test ends.
func Open(t testing.TB, dir string) *results.ResultDir {
	t.Helper()
	r, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// EditJSON rewrites a JSON file after change has edited its decoded form:
// how tests make the hostile result files a reader must refuse.
func EditJSON(t testing.TB, path string, change func(m map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
