package results

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

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

// Drives are the ways the http engine may drive rounds.
var Drives = []string{"lockstep", "free"}

// MinTimeout is the shortest timeout of one exchange a scenario may set.
const MinTimeout = time.Millisecond

// Params are every field of a scenario that shapes its trials, as one
// point runs them: the scenario's values with the point's swept ones. This
// struct is the one definition of a scenario's parameters: summary.json
// writes each point's in full, the reader checks them, compare lists the
// ones that differ (ParamFields), and the scenario decoder stores into it.
// Fields tagged sweep may be swept (SweepableKeys, in field order).
type Params struct {
	Engine string `json:"engine" sweep:"true"`
	Nodes  int    `json:"nodes" sweep:"true"`
	// Topology is the overlay; its zero value (older results) is the
	// complete graph.
	Topology  TopologyParams `json:"topology"`
	Mode      engine.Mode    `json:"mode" sweep:"true"`
	Fanout    int            `json:"fanout" sweep:"true"`
	Loss      float64        `json:"loss" sweep:"true"`
	MaxRounds int            `json:"max_rounds" sweep:"true"`
	// Rumor mongering (mongering.go); zero values (older results) are
	// the wave-1 behaviour: one rumor, spread forever.
	Stop        StopParams        `json:"stop"`
	Rumors      RumorsParams      `json:"rumors"`
	Packet      PacketParams      `json:"packet"`
	AntiEntropy AntiEntropyParams `json:"anti_entropy"`
	// Preset names the memberlist preset the scenario started from
	// ("" for none); its values are in the fields it set.
	Preset string `json:"preset"`
	// RoundSeconds is how long a round stands for, in seconds (a preset's
	// GossipInterval, or the file's); 0: rounds only.
	RoundSeconds float64 `json:"round_seconds"`
	Trials       int     `json:"trials"` // asked for; a point's summary counts those measured
	Seed         uint64  `json:"seed"`
	Source       int     `json:"source"` // -1: a random node per trial
	// Failures are the planned node failures, in file order.
	Failures []FailureSummary `json:"failures"`
	// Faults over time (faults.go): partitions in time order, and churn.
	Partitions []PartitionParams `json:"partitions,omitempty"`
	Churn      ChurnParams       `json:"churn,omitzero"`
	Replay     ReplayParams      `json:"replay"`
	HTTP       HTTPParams        `json:"http"`
}

// TopologyParams are the overlay as a scenario gives it (engine.Topology
// without the edges, which travel as a file beside scenario.yaml). A
// parameter its kind does not take is zero (see TopologyTakes).
type TopologyParams struct {
	Kind   string  `json:"kind" sweep:"true"` // one of engine.TopologyKinds
	Degree float64 `json:"degree" sweep:"true"`
	P      float64 `json:"p" sweep:"true"`
	Rewire float64 `json:"rewire" sweep:"true"`
	// Path is kind file's edge list: in a scenario file relative to it;
	// in results, the copy beside scenario.yaml, EdgesFile.
	Path string `json:"path"`
}

// EdgesFile is the copy of kind file's edge list in a result, beside
// scenario.yaml, whose topology.path names it.
const EdgesFile = "topology.edges"

// topologyTakes are the parameters each kind takes (docs/design.md,
// "Topologies"); the kinds not listed take none. Whether their values
// fit is engine/topology.Check's to say.
var topologyTakes = map[string][]string{
	engine.TopologyRing:       {"degree"},
	engine.TopologyRegular:    {"degree"},
	engine.TopologyErdosRenyi: {"degree", "p"}, // one of them
	engine.TopologySmallWorld: {"degree", "rewire"},
	engine.TopologyScaleFree:  {"degree"},
	engine.TopologyFile:       {"path"},
}

// TopologyTakes are the keys of topology: that kind takes, in field order.
func TopologyTakes(kind string) []string { return topologyTakes[kind] }

// TopologyKinds that take key, for messages.
func TopologyKindsTaking(key string) []string {
	var kinds []string
	for _, k := range engine.TopologyKinds {
		if slices.Contains(topologyTakes[k], key) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// Only keeps the parameters t's kind takes and those keep names
// ("degree"), zeroing the others: a point of a sweep over kinds records
// what its graph is drawn from, and the swept values its ID names.
func (t TopologyParams) Only(keep ...string) TopologyParams {
	out := TopologyParams{Kind: t.Kind}
	for _, key := range append(slices.Clip(TopologyTakes(t.Kind)), keep...) {
		switch key {
		case "degree":
			out.Degree = t.Degree
		case "p":
			out.P = t.P
		case "rewire":
			out.Rewire = t.Rewire
		case "path":
			out.Path = t.Path
		}
	}
	return out
}

// SweptTopology are the keys of topology a sweep over keys varies
// ("degree" for topology.degree).
func SweptTopology(sweep []string) []string {
	var keys []string
	for _, k := range sweep {
		if key, ok := strings.CutPrefix(k, "topology."); ok && key != "kind" {
			keys = append(keys, key)
		}
	}
	return keys
}

// Engine is t as engines take it; edges are kind file's, read by the
// caller from Path.
func (t TopologyParams) Engine(edges [][2]int32) engine.Topology {
	out := engine.Topology{Kind: t.Kind, Degree: t.Degree, P: t.P, Rewire: t.Rewire}
	if t.Kind == engine.TopologyFile {
		out.Edges = edges
	}
	return out
}

// ReplayParams bound the replay recording.
type ReplayParams struct {
	MaxNodes int `json:"max_nodes"` // record replays for points with at most this many nodes; 0 turns them off
}

// HTTPParams configure the http engine.
type HTTPParams struct {
	Drive     string   `json:"drive"` // one of Drives
	Interval  Duration `json:"interval"`
	Latency   Duration `json:"latency"`
	Timeout   Duration `json:"timeout"` // one exchange; 0 (older results): the engine's default, 5s
	Processes bool     `json:"processes"`
}

// FreeRunning says whether the point's trials ran on free-running http
// nodes (http.drive free), whose rounds are intervals of wall-clock time.
// The memory engine ignores the http fields.
func (p Params) FreeRunning() bool { return p.Engine == "http" && p.HTTP.Drive == "free" }

// Duration is a time.Duration that JSON holds as text, "50ms".
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText writes the duration as time.Duration prints it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
}

// SweepableKeys are the fields a sweep may vary, in the order help texts
// list them, nested ones dotted (topology.degree). Point IDs are made of
// them (see GridIDs).
var SweepableKeys = sweepableKeys()

func sweepableKeys() []string {
	var keys []string
	for _, f := range ParamFields(Params{}) {
		if f.Sweep {
			keys = append(keys, f.Key)
		}
		if f.Key == "partitions" {
			keys = append(keys, PartitionKeys...)
		}
	}
	return keys
}

// ParamField is one parameter of a point, named as in scenario files
// ("loss", "http.interval") and printed for people.
type ParamField struct {
	Key   string
	Sweep bool // a sweepable key: may differ between the points of a scenario
	Text  string
}

// ParamFields lists every parameter of p in field order, nested ones
// (http.drive) included, so that whatever lists or compares parameters
// needs no edit when one is added.
func ParamFields(p Params) []ParamField {
	var out []ParamField
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := range t.NumField() {
			f, fv := t.Field(i), v.Field(i)
			key := prefix + jsonName(f)
			if fv.Kind() == reflect.Struct {
				walk(fv, key+".")
				continue
			}
			out = append(out, ParamField{Key: key, Sweep: f.Tag.Get("sweep") == "true", Text: valueText(fv)})
		}
	}
	walk(reflect.ValueOf(p), "")
	return out
}

// FieldKeys are the JSON names of a struct's fields, in field order: the
// keys a scenario file may use for v's fields.
func FieldKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = jsonName(t.Field(i))
	}
	return keys
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func valueText(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []FailureSummary:
		if len(x) == 0 {
			return "none"
		}
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = f.String()
		}
		return strings.Join(parts, ", ")
	case []PartitionParams:
		return partitionsText(x)
	default:
		return fmt.Sprint(x)
	}
}

// Percent is a fraction as a percentage people read: 0.07 is "7 %", not
// the float's "7.000000000000001%" (six significant digits), spaced as the
// charts and the docs write it.
func Percent(x float64) string { return strconv.FormatFloat(100*x, 'g', 6, 64) + " %" }

// String is the failure as people read it: "crash 20 % at round 2".
func (f FailureSummary) String() string {
	out := fmt.Sprintf("%s %s at round %d", f.Kind, Percent(f.Fraction), f.Round)
	if f.Recover > 0 {
		out += fmt.Sprintf(", back at round %d", f.Recover)
		if f.KeepState {
			out += " with their state"
		}
	}
	return out
}

// EngineFailures are the failures as engines take them.
func EngineFailures(fs []FailureSummary) []engine.Failure {
	var out []engine.Failure
	for _, f := range fs {
		for k, name := range engine.FailureKinds {
			if name == f.Kind {
				out = append(out, engine.Failure{Round: f.Round, Kind: engine.FailureKind(k), Fraction: f.Fraction,
					Recover: f.Recover, KeepState: f.KeepState})
			}
		}
	}
	return out
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
