package cluster

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
)

// exactTimeout bounds the exchanges of the exact test. A hung peer costs
// its asker all of it, so the hang cases are small; but a healthy exchange
// must never run out of it, even on two busy cores under -race, for a
// healthy peer that did not answer in time has failed the trial.
const exactTimeout = 5 * time.Second

// exactCase is one config the two engines must agree on exactly.
type exactCase struct {
	name     string
	nodes    int
	fanout   int
	loss     float64
	failures []engine.Failure
	seeds    []uint64
}

func exactCases() []exactCase {
	mixed := []engine.Failure{{Round: 2, Fraction: 0.1, Kind: engine.Crash}, {Round: 3, Fraction: 0.05, Kind: engine.Garbage}}
	// Two sizes, so the engine starts two clusters per mode and reuses them.
	return []exactCase{
		// fanout 1, no loss, no failure: the simulator's fast path.
		{name: "plain", nodes: 30, fanout: 1, seeds: []uint64{1}},
		{name: "loss", nodes: 30, fanout: 1, loss: 0.1, seeds: []uint64{2}},
		// One node hangs. Each round in which someone picks it costs a
		// timeout; at seed 124, in every mode, it is picked in one round
		// only, by two or three nodes at once (the memory engine's trace
		// says so), so each mode waits once.
		{name: "loss+hang", nodes: 30, fanout: 1, loss: 0.1, seeds: []uint64{124},
			failures: []engine.Failure{{Round: 3, Fraction: 0.04, Kind: engine.Hang}}},
		{name: "loss+crash+garbage", nodes: 50, fanout: 1, loss: 0.1, failures: mixed, seeds: []uint64{4, 5}},
		{name: "fanout3+loss+crash+garbage", nodes: 50, fanout: 3, loss: 0.1, failures: mixed, seeds: []uint64{6}},
	}
}

// In lockstep the http engine makes exactly the simulator's decisions: its
// rows equal the memory engine's column for column (bytes aside, which the
// simulator does not count), its replay edges are the same list in the
// same (canonical) order, and the same nodes are informed and fail in the
// same rounds. The simulator's
// paths (one worker, one per core, the fast path without replay, the
// general one with it) agree with each other too.
func TestExactlyTheMemoryEngine(t *testing.T) {
	checkNoLeaks(t)
	inEveryMode(t, func(t *testing.T, mode engine.Mode, e *Engine) {
		var lost, failed, hungFailed int
		for _, c := range exactCases() {
			for _, seed := range c.seeds {
				cfg := engine.Config{Nodes: c.nodes, Mode: mode, Fanout: c.fanout, Loss: c.loss, MaxRounds: 100,
					Source: -1, Seed: seed, Failures: c.failures, Replay: true, Net: engine.NetOptions{Timeout: exactTimeout}}
				name := fmt.Sprintf("%s seed %d", c.name, seed)
				got, want := againstMemory(t, e, name, cfg)
				if bytesMissing(got) {
					t.Errorf("%s: messages delivered over http and no byte counted", name)
				}
				tot := want.Totals()
				lost += tot.Lost
				failed += tot.Failed
				if c.name == "loss+hang" {
					hungFailed += tot.Failed
				}
			}
		}
		// The cases must exercise what they are named for.
		if lost == 0 || failed == 0 || hungFailed == 0 {
			t.Errorf("%d lost, %d failed, %d failed at the hung node: the cases need every one", lost, failed, hungFailed)
		}
	})
}

// inEveryMode runs body once per mode, in parallel (the http cases mostly
// wait), each on an Engine of its own that the trials reuse.
func inEveryMode(t *testing.T, body func(t *testing.T, mode engine.Mode, e *Engine)) {
	t.Helper()
	for _, mode := range engine.Modes() {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			e := &Engine{}
			defer e.Close()
			body(t, mode, e)
		})
	}
}

// againstMemory runs cfg on e over http and on the memory engine (its
// paths agreed), reports under name every way the traces differ, and
// returns both for what the caller checks besides.
func againstMemory(t *testing.T, e *Engine, name string, cfg engine.Config) (got, want *engine.Trace) {
	t.Helper()
	start := time.Now()
	got = collect(t, e, cfg)
	t.Logf("%s: %d rounds over http in %v", name, len(got.Rounds)-1, time.Since(start).Round(time.Millisecond))
	want = agreedMemory(t, cfg)
	for _, d := range traceDiffs(got, want) {
		t.Errorf("%s: %s", name, d)
	}
	return got, want
}

// agreedMemory is the memory engine's trace of cfg, after checking that its
// paths agree: one worker and the default, without replay (where the fast
// path applies) and with it.
func agreedMemory(t *testing.T, cfg engine.Config) *engine.Trace {
	t.Helper()
	want := collect(t, memory.Engine{Workers: 1}, cfg)
	plain := cfg
	plain.Replay = false
	for _, w := range []int{1, 0} {
		if got := collect(t, memory.Engine{Workers: w}, plain); !reflect.DeepEqual(got.Rounds, want.Rounds) {
			t.Fatalf("memory engine, %d workers, no replay: rows\n%v\nwith replay\n%v", w, got.Rounds, want.Rounds)
		}
	}
	return want
}

func collect(t *testing.T, e engine.Engine, cfg engine.Config) *engine.Trace {
	t.Helper()
	tr, err := engine.Collect(t.Context(), e, cfg)
	if err != nil {
		t.Fatalf("%T: %v", e, err)
	}
	return tr
}

// traceDiffs are the ways got differs from want, none if they have the
// same rows (bytes aside), source, first-informed and failure rounds, and
// the same edges in the same order in every round: the judge lists them in
// the canonical order, whatever order the network delivered them in.
func traceDiffs(got, want *engine.Trace) []string {
	var out []string
	diff := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if got.Source != want.Source {
		diff("source %d, memory %d", got.Source, want.Source)
	}
	if len(got.Rounds) != len(want.Rounds) {
		diff("%d rounds, memory %d", len(got.Rounds), len(want.Rounds))
	}
	for r := range min(len(got.Rounds), len(want.Rounds)) {
		g := got.Rounds[r]
		g.Bytes = want.Rounds[r].Bytes
		if g != want.Rounds[r] {
			diff("round %d:\nhttp   %+v\nmemory %+v", r, g, want.Rounds[r])
		}
	}
	gr, wr := got.Replay, want.Replay
	if gr == nil || wr == nil {
		if (gr == nil) != (wr == nil) {
			diff("a replay: http %v, memory %v", gr != nil, wr != nil)
		}
		return out
	}
	if !slices.Equal(gr.FirstInformed, wr.FirstInformed) {
		diff("first informed %v\nmemory         %v", gr.FirstInformed, wr.FirstInformed)
	}
	if !slices.Equal(gr.CrashedAt, wr.CrashedAt) {
		diff("failed at %v\nmemory    %v", gr.CrashedAt, wr.CrashedAt)
	}
	if !reflect.DeepEqual(gr.Outages, wr.Outages) || !reflect.DeepEqual(gr.Partitions, wr.Partitions) ||
		!reflect.DeepEqual(gr.Relearned, wr.Relearned) {
		diff("outages %v, partitions %v, relearned %v\nmemory  %v, %v, %v",
			gr.Outages, gr.Partitions, gr.Relearned, wr.Outages, wr.Partitions, wr.Relearned)
	}
	if len(gr.Edges) != len(wr.Edges) {
		diff("edges of %d rounds, memory %d", len(gr.Edges), len(wr.Edges))
	}
	for r := range min(len(gr.Edges), len(wr.Edges)) {
		if g, w := gr.Edges[r], wr.Edges[r]; !slices.Equal(g, w) {
			diff("round %d: edges\n%v\nmemory\n%v", r, g, w)
		}
	}
	return out
}

// The comparison can fail: a trace that differs in one message is told
// apart from the memory engine's.
func TestCompareTracesTellsADifference(t *testing.T) {
	cfg := engine.Config{Nodes: 30, Mode: engine.PushPull, Fanout: 1, Loss: 0.1, MaxRounds: 100, Source: -1, Seed: 3, Replay: true}
	want := collect(t, memory.Engine{}, cfg)
	for name, spoil := range map[string]func(tr *engine.Trace){
		"a row":        func(tr *engine.Trace) { tr.Rounds[2].Redundant++ },
		"an edge":      func(tr *engine.Trace) { tr.Replay.Edges[1][0].Outcome = engine.Lost },
		"an informant": func(tr *engine.Trace) { tr.Replay.FirstInformed[tr.Source] = 3 },
		"a round less": func(tr *engine.Trace) { tr.Rounds = tr.Rounds[:len(tr.Rounds)-1] },
	} {
		got := collect(t, memory.Engine{}, cfg)
		if d := traceDiffs(got, want); d != nil {
			t.Fatalf("two runs differ: %v", d)
		}
		spoil(got)
		if traceDiffs(got, want) == nil {
			t.Errorf("%s changed and the comparison passed", name)
		}
	}
}

// bytesMissing is whether some round delivered messages and counted no
// byte on the wire.
func bytesMissing(tr *engine.Trace) bool {
	for _, r := range tr.Rounds {
		if r.Delivered > 0 && r.Bytes == 0 {
			return true
		}
	}
	return false
}
