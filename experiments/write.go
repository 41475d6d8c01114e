package experiments

import (
	"bufio"
	"context"
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/outdir"
	"github.com/gossipbench/gossipbench/internal/version"
)

// The files of a scenario's results directory (docs/design.md, "Results
// schema").
const (
	ScenarioFile = "scenario.yaml"
	ManifestFile = "manifest.json"
	SummaryFile  = "summary.json"
	RoundsFile   = "rounds.csv"
	ReplayDir    = "replay"
)

// RoundsHeader is the first row of rounds.csv.
var RoundsHeader = []string{"point", "trial", "round", "informed", "new", "alive", "sent",
	"delivered", "lost", "failed", "useful", "redundant", "bytes"}

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

// PointTiming is a point's engine time per trial.
type PointTiming struct {
	ID          string            `json:"id"`
	WallSeconds Stats             `json:"wall_seconds"`
	Unmeasured  []UnmeasuredTrial `json:"unmeasured,omitempty"`
}

// NewManifest describes a finished run.
func NewManifest(res *Result, sum *Summary, host Host, parallel int, command []string) *Manifest {
	var timings []PointTiming
	for _, pr := range res.Points {
		secs := make([]float64, len(pr.Wall))
		for i, w := range pr.Wall {
			secs[i] = w.Seconds()
		}
		timings = append(timings, PointTiming{ID: pr.Point.ID, WallSeconds: Describe(secs), Unmeasured: pr.Unmeasured})
	}
	return newManifest(res.Run(), sum, timings, host, parallel, command)
}

func newManifest(run *Run, sum *Summary, timings []PointTiming, host Host, parallel int, command []string) *Manifest {
	return &Manifest{Schema: SchemaVersion, Info: version.Get(), Host: host, Name: sum.Name,
		Engine: sum.Engine, Seed: sum.Seed, Trials: run.Scenario.Trials, Parallel: parallel,
		Start: run.Start.UTC().Round(time.Millisecond), DurationSeconds: run.Duration.Seconds(), Command: command,
		Shard: run.Shard, Points: timings}
}

// Write puts a run's results in dir/<name>/ all at once: the files are
// written to a temporary directory beside it and renamed into place, so an
// interrupted run never leaves half a result where a good one stood.
func Write(dir string, res *Result, sum *Summary, man *Manifest) (string, error) {
	return WriteContext(context.Background(), dir, res, sum, man)
}

// WriteContext is Write, abandoned if ctx is cancelled before the result
// is in place (see writeDir).
func WriteContext(ctx context.Context, dir string, res *Result, sum *Summary, man *Manifest) (string, error) {
	return writeDir(ctx, dir, res.Scenario.Name, func(tmp string) error { return writeAll(tmp, res, sum, man) })
}

func writeAll(dir string, res *Result, sum *Summary, man *Manifest) error {
	if err := writeBytes(filepath.Join(dir, ScenarioFile), res.Scenario.Raw); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, SummaryFile), sum); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, ManifestFile), man); err != nil {
		return err
	}
	// The same sink as a streamed run's, fed the traces in order.
	files, err := newFileSink(dir, res.Run())
	if err != nil {
		return err
	}
	if err := res.Feed(files); err != nil {
		files.Close()
		return err
	}
	return files.Close()
}

func writeJSON(path string, v any) error {
	return writeFile(path, func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func writeJSONCompact(path string, v any) error {
	return writeFile(path, func(w *bufio.Writer) error { return json.NewEncoder(w).Encode(v) })
}

func writeBytes(path string, data []byte) error {
	return writeFile(path, func(w *bufio.Writer) error { _, err := w.Write(data); return err })
}

// writeFile fills a new file in a fresh temporary directory; it refuses
// to open anything already there, a planted symlink included.
func writeFile(path string, fill func(*bufio.Writer) error) error {
	f, err := outdir.CreateNew(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
}

// NewReplayFile flattens a trace's replay for writing.
func NewReplayFile(scenario string, p Point, tr *engine.Trace) *ReplayFile {
	rep := tr.Replay
	f := &ReplayFile{Schema: SchemaVersion, Scenario: scenario, Point: p.ID, Params: p.Params,
		Trial: ReplayTrial, Source: tr.Source, Kinds: engine.KindNames, Outcomes: engine.OutcomeNames,
		FirstInformed: rep.FirstInformed, CrashedAt: rep.CrashedAt}
	for _, edges := range rep.Edges {
		round := make([][4]int32, len(edges))
		for i, e := range edges {
			round[i] = [4]int32{e.From, e.To, int32(e.Kind), int32(e.Outcome)}
		}
		f.Rounds = append(f.Rounds, round)
	}
	return f
}
