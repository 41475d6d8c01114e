package results

import (
	"strings"

	"github.com/gossipbench/gossipbench/engine"
)

// Limits of what a scenario may ask for. Scenario files are checked
// against them when decoded, and results when read: a downloaded
// summary.json is as untrusted as a scenario file.
const (
	MaxNodes  = 100_000_000
	MaxRounds = 1_000_000
	MaxTrials = 100_000
	MaxReplay = 100_000
	// MaxPoints bounds a sweep's grid: beyond it a typo (a long list
	// twice) is likelier than an experiment.
	MaxPoints = 10_000
)

// Engines lists the engine names a scenario may ask for.
var Engines = []string{"memory", "http"}

// SweepableKeys are the fields a sweep may vary, in the order help texts
// list them. Point IDs are made of them (see GridIDs).
var SweepableKeys = []string{"engine", "nodes", "mode", "fanout", "loss", "max_rounds"}

// Params are the values a sweep can vary; every point has a full set.
type Params struct {
	Engine    string      `json:"engine"`
	Nodes     int         `json:"nodes"`
	Mode      engine.Mode `json:"mode"`
	Fanout    int         `json:"fanout"`
	Loss      float64     `json:"loss"`
	MaxRounds int         `json:"max_rounds"`
}

// GridIDs are the IDs of a sweep's points, in grid order: the first key
// varying slowest, each ID the point's key=value pairs joined by commas,
// "base" without a sweep. values[i] are the texts of keys[i]'s values.
// The runner names points with it and merge finds the whole sweep with
// it, so a point's ID and index are one rule.
func GridIDs(keys []string, values [][]string) []string {
	ids := [][]string{nil}
	for i, key := range keys {
		var next [][]string
		for _, id := range ids {
			for _, v := range values[i] {
				next = append(next, append(append([]string(nil), id...), key+"="+v))
			}
		}
		ids = next
	}
	out := make([]string, len(ids))
	for i, pairs := range ids {
		out[i] = "base"
		if len(pairs) > 0 {
			out[i] = strings.Join(pairs, ",")
		}
	}
	return out
}
