package resultstest

import (
	"fmt"
	"testing"
)

// faultsYAML is a scenario with faults over time: 40 nodes in push-pull at
// fanout 1, 20 % crashing at round 2 and coming back empty at round 6, a
// partition in two groups from round 3 to 8 (one-way as WriteFaults asks), a sweep
// of loss, replays.
const faultsYAML = `name: faults
description: a crash that comes back and a partition that heals
nodes: 40
mode: pushpull
fanout: 1
trials: 8
seed: 5
replay: {max_nodes: 40}
failures: [{round: 2, crash: 0.2, recover: 6}]
partitions: [{round: 3, heal: 8, groups: 2, oneway: %t}]
sweep:
  loss: [0, 0.1]
`

// WriteFaults runs faultsYAML (its partition one-way with oneway) on the
// memory engine through the runner, kept whole (as Write does: the bytes
// a streamed `gossipbench run` writes), and returns the scenario's results
// directory: real trials, replays with outages, partitions and messages
// failing across the cut, and the summary's fault params, metrics and
// curves.
func WriteFaults(t testing.TB, dir string, oneway bool) string {
	t.Helper()
	return WriteFile(t, dir, "faults.yaml", fmt.Sprintf(faultsYAML, oneway), false)
}
