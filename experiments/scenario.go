// Package experiments turns scenario files into runs: it decodes and
// validates YAML scenarios, expands sweeps into points and trials, runs them
// on an engine, aggregates the traces and writes and reads results/.
package experiments

import (
	"fmt"
	"strings"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// Scenario is a decoded, validated scenario file.
type Scenario struct {
	File string // where it came from, for messages
	Raw  []byte // the exact input, copied into the results

	Name        string
	Description string
	Base        Params // the top-level values; sweeps override them per point
	Trials      int
	Seed        uint64
	Source      int // -1: random per trial
	Failures    []engine.Failure
	Sweep       []Axis
	Replay      ReplayOptions
	HTTP        HTTPOptions
}

// Params are the values a sweep can vary; every point has a full set.
type Params struct {
	Engine    string      `json:"engine"`
	Nodes     int         `json:"nodes"`
	Mode      engine.Mode `json:"mode"`
	Fanout    int         `json:"fanout"`
	Loss      float64     `json:"loss"`
	MaxRounds int         `json:"max_rounds"`
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
	set  func(*Params)
}

// ReplayOptions bounds the replay recording.
type ReplayOptions struct {
	MaxNodes int // record replays for points with at most this many nodes; 0 turns them off
}

// HTTPOptions configure the http engine.
type HTTPOptions struct {
	Drive     string // lockstep | free
	Interval  time.Duration
	Latency   time.Duration
	Timeout   time.Duration // one exchange; 0: the engine's default
	Processes bool
}

// Engines lists the engine names a scenario may ask for.
var Engines = []string{"memory", "http"}

// Point is one combination of swept values.
type Point struct {
	Index  int
	ID     string // "fanout=2", "mode=push,nodes=1000"; "base" without a sweep
	Params Params
}

// Points expands the sweep into its grid, the first key varying slowest.
func (s *Scenario) Points() []Point {
	pts := []Point{{Params: s.Base}}
	var ids [][]string = [][]string{nil}
	for _, ax := range s.Sweep {
		var next []Point
		var nextIDs [][]string
		for i, p := range pts {
			for _, v := range ax.Values {
				q := p
				v.set(&q.Params)
				next = append(next, q)
				nextIDs = append(nextIDs, append(append([]string(nil), ids[i]...), ax.Key+"="+v.Text))
			}
		}
		pts, ids = next, nextIDs
	}
	for i := range pts {
		pts[i].Index = i
		pts[i].ID = "base"
		if len(ids[i]) > 0 {
			pts[i].ID = strings.Join(ids[i], ",")
		}
	}
	return pts
}

// SweepKeys names the swept keys in file order.
func (s *Scenario) SweepKeys() []string {
	keys := make([]string, len(s.Sweep))
	for i, ax := range s.Sweep {
		keys[i] = ax.Key
	}
	return keys
}

// Config is the engine configuration for one trial of a point.
func (s *Scenario) Config(p Point, trial int, replay bool) engine.Config {
	c := engine.Config{
		Nodes:     p.Params.Nodes,
		Mode:      p.Params.Mode,
		Fanout:    p.Params.Fanout,
		Loss:      p.Params.Loss,
		MaxRounds: p.Params.MaxRounds,
		Seed:      TrialSeed(s.Seed, p.ID, trial),
		Source:    s.Source,
		Failures:  s.Failures,
		Replay:    replay,
		Net: engine.NetOptions{Free: s.HTTP.Drive == "free", Interval: s.HTTP.Interval,
			Latency: s.HTTP.Latency, Timeout: s.HTTP.Timeout, Processes: s.HTTP.Processes},
	}
	if p.Params.Engine == "memory" {
		// The simulator runs synchronous rounds whatever http says; a
		// memory point of a sweep over engines is not free-running.
		c.Net = engine.NetOptions{}
	}
	return c
}

// TrialSeed derives a trial's seed from the scenario seed, the point's ID
// and the trial number, so that adding a sweep value leaves the other points'
// trials exactly as they were (docs/design.md, "Randomness").
func TrialSeed(seed uint64, pointID string, trial int) uint64 {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(pointID); i++ {
		h ^= uint64(pointID[i])
		h *= 1099511628211
	}
	return splitmix(splitmix(seed^h) + uint64(trial))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
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
	if !contains(Engines, engineName) {
		return fmt.Errorf("unknown engine %q; allowed: %s", engineName, strings.Join(Engines, ", "))
	}
	for _, ax := range s.Sweep {
		if ax.Key == "engine" {
			return fmt.Errorf("%s sweeps engine, so --engine cannot override it", s.File)
		}
	}
	s.Base.Engine = engineName
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
