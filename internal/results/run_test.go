package results_test

import (
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/experiments"
)

// The reader's tests read what real runs write: the runner is the one
// writer of results that matters.

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
