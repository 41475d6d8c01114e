package merge_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/experiments"
	"github.com/gossipbench/gossipbench/internal/results"
)

// The shards merged in these tests are written by real sharded runs.

var testEngines = map[string]engine.Engine{"memory": memory.Engine{}}

func mustParse(t *testing.T, yaml string) *experiments.Scenario {
	t.Helper()
	s, err := experiments.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const gridYAML = `
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

// openResult opens dir and closes it when the test ends.
func openResult(t *testing.T, dir string) *results.ResultDir {
	t.Helper()
	r, err := results.OpenResult(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// editJSON rewrites a JSON file after change has edited its decoded form.
func editJSON(t *testing.T, path string, change func(m map[string]any)) {
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
