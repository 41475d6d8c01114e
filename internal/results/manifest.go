package results

import (
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/version"
)

// The files of a scenario's results directory (docs/design.md, "Results
// schema").
const (
	ScenarioFile = "scenario.yaml"
	ManifestFile = "manifest.json"
	SummaryFile  = "summary.json"
	RoundsFile   = "rounds.csv"
	TrialsFile   = "trials.csv"
	ReplayDir    = "replay"
)

// ReplayPath is where a point's replay lives, relative to the results dir.
func ReplayPath(pointID string) string { return ReplayDir + "/" + pointID + ".json" }

// Manifest is manifest.json: everything about this particular execution
// that summary.json leaves out because it varies from machine to machine.
type Manifest struct {
	Schema int `json:"schema"`
	version.Info
	Host            Host          `json:"host"`
	Name            string        `json:"name"`
	Engine          string        `json:"engine"`
	Seed            uint64        `json:"seed"`
	Trials          int           `json:"trials"`
	Parallel        int           `json:"parallel"`
	Start           time.Time     `json:"start"`
	DurationSeconds float64       `json:"duration_seconds"`
	Command         []string      `json:"command"`
	Points          []PointTiming `json:"points"`
	// Shard is set for a run of one shard (run --shard).
	Shard *Shard `json:"shard,omitempty"`
	// Shards is set for a merge: the shard runs it joined, in shard order.
	// Points then holds their per-point timings, Command the merge
	// command, and Start and DurationSeconds span the shards' runs.
	Shards []ShardRun `json:"shards,omitempty"`
}

// ShardRun is what a merged manifest keeps of each shard's manifest.
type ShardRun struct {
	Dir   string `json:"dir"` // as given to merge
	Shard Shard  `json:"shard"`
	version.Info
	Host            Host      `json:"host"`
	Parallel        int       `json:"parallel"`
	Start           time.Time `json:"start"`
	DurationSeconds float64   `json:"duration_seconds"`
	Command         []string  `json:"command"`
}

// Host describes the machine a run used.
type Host struct {
	Name string `json:"name"`
	OS   string `json:"os"`
	Arch string `json:"arch"`
	CPUs int    `json:"cpus"`
}

// ReplayTrial is the trial whose replay is recorded.
const ReplayTrial = 0

// UnmeasuredTrial is a trial that ran but could not be measured, and why.
type UnmeasuredTrial struct {
	Trial int    `json:"trial"`
	Error string `json:"error"`
}

// PointTiming is a point's engine time per trial.
type PointTiming struct {
	ID          string            `json:"id"`
	WallSeconds Stats             `json:"wall_seconds"`
	Unmeasured  []UnmeasuredTrial `json:"unmeasured,omitempty"`
}

// ReplayFile is replay/<point>.json: one trial, node by node and message by
// message.
type ReplayFile struct {
	Schema        int          `json:"schema"`
	Scenario      string       `json:"scenario"`
	Point         string       `json:"point"`
	Params        Params       `json:"params"`
	Trial         int          `json:"trial"`
	Source        int          `json:"source"`
	Kinds         []string     `json:"kinds"`          // names of the kind codes in edges
	Outcomes      []string     `json:"outcomes"`       // names of the outcome codes in edges
	FirstInformed []int32      `json:"first_informed"` // per node, -1 if never
	CrashedAt     []int32      `json:"crashed_at"`     // per node, -1 if never
	Rounds        [][][4]int32 `json:"rounds"`         // per round: [from, to, kind, outcome] per message
	// Unrecorded, in free-running replays only (Params.FreeRunning), is
	// per round the messages counted in rounds.csv that Rounds lacks: the
	// nodes' logs dropped them before the harness read them (see
	// engine.Round). Absent elsewhere, and in free-running replays of a
	// gossipbench that recorded no free-running messages at all.
	Unrecorded []int `json:"unrecorded,omitempty"`
	// Graph is the trial's overlay with a layout to draw it by; absent
	// on the complete graph (see ReplayGraph).
	Graph *ReplayGraph `json:"graph,omitempty"`
	// Faults over time (replayfaults.go): every outage [node, down, up,
	// keep] (up -1: never back; keep 1: came back with its state; older
	// writers wrote three elements, read as keep 0), every partition
	// that started, and every learning after a node's first.
	Outages    [][]int32         `json:"outages,omitempty"`
	Partitions []ReplayPartition `json:"partitions,omitempty"`
	Relearned  [][2]int32        `json:"relearned,omitempty"`
}

// NewReplayFile flattens the replay of a point's trial for writing.
func NewReplayFile(scenario, pointID string, params Params, tr *engine.Trace) *ReplayFile {
	rep := tr.Replay
	f := &ReplayFile{Schema: SchemaVersion, Scenario: scenario, Point: pointID, Params: params,
		Trial: ReplayTrial, Source: tr.Source, Kinds: engine.KindNames, Outcomes: engine.OutcomeNames,
		FirstInformed: rep.FirstInformed, CrashedAt: rep.CrashedAt}
	for _, edges := range rep.Edges {
		round := make([][4]int32, len(edges))
		for i, e := range edges {
			round[i] = [4]int32{e.From, e.To, int32(e.Kind), int32(e.Outcome)}
		}
		f.Rounds = append(f.Rounds, round)
	}
	if params.FreeRunning() {
		f.Unrecorded = make([]int, len(f.Rounds))
		copy(f.Unrecorded, rep.Unrecorded)
	}
	addReplayFaults(f, rep)
	return f
}
