// Package experiments turns scenario files into runs: it decodes and
// validates YAML scenarios, expands sweeps into points and trials, guards
// memory, runs them on an engine and aggregates the traces into the
// results package's files, which it writes through that package.
package experiments

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
	"github.com/gossipbench/gossipbench/internal/results"
)

// Scenario is a decoded, validated scenario file.
type Scenario struct {
	File string // where it came from, for messages
	Raw  []byte // the exact input, copied into the results

	Name        string
	Description string
	// Params are the top-level values of every parameter (s.Trials,
	// s.HTTP.Drive, ...); sweeps override them per point.
	results.Params
	Sweep []Axis

	// EdgesFrom is where kind file's edges were read, as the scenario
	// spells it; Topology.Path is then the copy's name, results.EdgesFile.
	EdgesFrom string
	edges     [][2]int32
	// presetFanout is a fanout the preset set, not the file: like
	// memberlist's GossipNodes it is at most the other nodes, point by
	// point (3 nodes gossip to 2).
	presetFanout bool
}

// Axis is one swept key with its values, in file order.
type Axis struct {
	Key    string
	Values []Value
}

// Value is one swept value: what it sets, how it prints in a point ID, and
// where it stands in the file.
type Value struct {
	Text string
	Line int
	set  func(*results.Params)
}

// Point is one combination of swept values.
type Point struct {
	Index int
	ID    string // "fanout=2", "mode=push,nodes=1000"; "base" without a sweep
	// SeedID is the ID the trial seeds derive from: ID without its engine
	// pair. Where trials run is not what they are, so in a sweep over
	// engines every engine runs the same trials, and a lockstep http point
	// gives the memory point's rows (docs/design.md, "Trial seeds").
	SeedID string
	Params results.Params
}

// Points expands the sweep into its grid, the first key varying slowest
// (the order of results.GridIDs, which names the points).
func (s *Scenario) Points() []Point {
	type partial struct {
		Point
		seedKeys   []string
		seedValues [][]string
	}
	pts := []partial{{Point: Point{Params: s.Params}}}
	for _, ax := range s.Sweep {
		var next []partial
		for _, p := range pts {
			for _, v := range ax.Values {
				q := p
				v.set(&q.Params)
				if ax.Key != "engine" {
					q.seedKeys = append(slices.Clip(q.seedKeys), ax.Key)
					q.seedValues = append(slices.Clip(q.seedValues), []string{v.Text})
				}
				next = append(next, q)
			}
		}
		pts = next
	}
	ids := results.GridIDs(s.SweepKeys(), s.SweepValues())
	out := make([]Point, len(pts))
	for i, p := range pts {
		out[i] = p.Point
		// A point of a sweep over kinds keeps the parameters its kind
		// takes (what its graph is drawn from) and the swept ones (what
		// its ID says): what summary.json says.
		out[i].Params.Topology = p.Params.Topology.Only(results.SweptTopology(s.SweepKeys())...)
		out[i].Params.Stop = p.Params.Stop.Only(results.SweptStop(s.SweepKeys())...)
		if !out[i].Params.Churn.On() {
			// churn.leave and .join swept to 0: no churn, as without the key.
			out[i].Params.Churn = results.ChurnParams{}
		}
		if s.presetFanout {
			out[i].Params.Fanout = min(out[i].Params.Fanout, out[i].Params.Nodes-1)
		}
		out[i].Index = i
		out[i].ID = ids[i]
		out[i].SeedID = results.GridIDs(p.seedKeys, p.seedValues)[0]
	}
	return out
}

// SweepValues are the texts of each swept key's values, as in point IDs.
func (s *Scenario) SweepValues() [][]string {
	values := make([][]string, len(s.Sweep))
	for i, ax := range s.Sweep {
		values[i] = make([]string, len(ax.Values))
		for j, v := range ax.Values {
			values[i][j] = v.Text
		}
	}
	return values
}

// SweepKeys names the swept keys in file order.
func (s *Scenario) SweepKeys() []string {
	keys := make([]string, len(s.Sweep))
	for i, ax := range s.Sweep {
		keys[i] = ax.Key
	}
	return keys
}

// TrialSeed is the seed of a point's trial (docs/design.md, "Trial seeds").
func (s *Scenario) TrialSeed(p Point, trial int) uint64 {
	return uint64(protocol.TrialSeed(p.Params.Seed, p.SeedID, trial))
}

// Config is the engine configuration for one trial of a point.
func (s *Scenario) Config(p Point, trial int, replay bool) engine.Config {
	q := p.Params
	c := engine.Config{
		Nodes:     q.Nodes,
		Topology:  q.Topology.Engine(s.edges),
		Mode:      q.Mode,
		Fanout:    q.Fanout,
		Loss:      q.Loss,
		MaxRounds: q.MaxRounds,
		Seed:      s.TrialSeed(p, trial),
		Source:    q.Source,
		Failures:  results.EngineFailures(q.Failures),
		// Faults over time: the engines draw them round by round.
		Partitions: results.EnginePartitions(q.Partitions),
		Churn:      q.Churn.Engine(),
		Replay:     replay,
		Net: engine.NetOptions{Free: q.FreeRunning(), Interval: time.Duration(q.HTTP.Interval),
			Latency: time.Duration(q.HTTP.Latency), Timeout: time.Duration(q.HTTP.Timeout), Processes: q.HTTP.Processes},
	}
	c.Stop = q.Stop.Engine()
	c.Rumors, c.Packet, c.AntiEntropy = q.EngineRumors()
	if q.Engine == "memory" {
		// The simulator runs synchronous rounds whatever http says; a
		// memory point of a sweep over engines is not free-running.
		c.Net = engine.NetOptions{}
	}
	return c
}

// Override applies command-line overrides to a validated scenario.
func (s *Scenario) Override(trials int, seed *uint64, engineName string) error {
	if trials > 0 {
		s.Trials = trials
	}
	if seed != nil {
		s.Seed = *seed
	}
	if engineName == "" {
		return nil
	}
	if !contains(results.Engines, engineName) {
		return fmt.Errorf("unknown engine %q; allowed: %s", engineName, strings.Join(results.Engines, ", "))
	}
	for _, ax := range s.Sweep {
		if ax.Key == "engine" {
			return fmt.Errorf("%s sweeps engine, so --engine cannot override it", s.File)
		}
	}
	s.Params.Engine = engineName
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
