package replay

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/internal/results"
)

// faultReplay is a real trial of the memory engine with a crash of a
// quarter of the nodes at round 5 that come back empty at 9, and a
// partition into 2 groups (one-way with oneway) from round 3 to its heal
// at 8, as experiments writes its replay; on topology top when set.
func faultReplay(t *testing.T, n int, oneway bool, top engine.Topology) *results.ReplayFile {
	t.Helper()
	p := results.Params{Engine: "memory", Nodes: n, Mode: engine.PushPull, Fanout: 1, MaxRounds: 60, Trials: 1, Source: 0,
		Failures:   []results.FailureSummary{{Round: 5, Kind: "crash", Fraction: 0.25, Recover: 9}},
		Partitions: []results.PartitionParams{{Round: 3, Heal: 8, Groups: 2, Oneway: oneway}},
		Topology:   results.TopologyParams{Kind: top.Kind, Degree: top.Degree}}
	cfg := engine.Config{Nodes: n, Mode: p.Mode, Fanout: 1, MaxRounds: p.MaxRounds, Seed: 11, Source: 0, Replay: true, Topology: top,
		Failures: results.EngineFailures(p.Failures), Partitions: []engine.Partition{p.Partitions[0].Engine()}}
	tr, err := engine.Collect(context.Background(), memory.Engine{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rf := results.NewReplayFile("faults", "base", p, tr)
	if top.Kind != "" {
		if rf.Graph, err = results.NewReplayGraph(top, n, cfg.Seed); err != nil {
			t.Fatal(err)
		}
	}
	return rf
}

func faultPageData(t *testing.T, rf *results.ReplayFile) *pageData {
	t.Helper()
	m := dataBlock.FindStringSubmatch(render(t, rf, "faults", ""))
	var d pageData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

// The page's data hold the outages and the partition, each group in its
// column, and exactly the failed messages the split cuts as cut.
func TestFaultPageData(t *testing.T) {
	for _, oneway := range []bool{false, true} {
		rf := faultReplay(t, 40, oneway, engine.Topology{})
		d := faultPageData(t, rf)
		if len(d.Outages) != 4*len(rf.Outages) || len(d.Partitions) != 1 {
			t.Fatalf("oneway %v: %d outage numbers, %d partitions", oneway, len(d.Outages), len(d.Partitions))
		}
		p := d.Partitions[0]
		for u, g := range p.Group {
			if x := float64(p.Pos[2*u]) / posScale; x < float64(g)/2 || x > float64(g+1)/2 {
				t.Errorf("node %d of group %d at x %.3f, outside its column", u, g, x)
			}
		}
		split := rf.Partitions[0].Split()
		cut := 0
		for r, flat := range d.Rounds {
			for j := 0; j < len(flat); j += 4 {
				e := rf.Rounds[r][j/4]
				want := r >= 3 && r < 8 && e[3] == int32(engine.Failed) && split.Cut(p.Group[e[0]], p.Group[e[1]])
				if got := flat[j+3] == cutOutcome; got != want {
					t.Fatalf("oneway %v: round %d message %v drawn cut %v, want %v", oneway, r, e, got, want)
				}
				if want {
					cut++
				}
			}
		}
		if cut == 0 {
			t.Errorf("oneway %v: no message failed across the partition", oneway)
		}
	}
}

// Strings of the file reach the notes escaped: a failure's kind is text.
func TestFaultNotesEscape(t *testing.T) {
	rf := faultReplay(t, 20, false, engine.Topology{})
	rf.Params.Failures[0].Kind = `<img src=x onerror=alert(1)>`
	page := render(t, rf, "faults", "")
	if strings.Contains(page, "<img") {
		t.Error("a failure's kind reached the page as markup")
	}
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "Partition 1: 2 groups from round 3, healed at the start of round 8",
		"came back, 0 of them with their state"} {
		if !strings.Contains(page, want) {
			t.Errorf("notes lack %q", want)
		}
	}
}

// The page refuses fault data that would index past its nodes, even from
// a replay the reader has not checked.
func TestFaultPageRejectsBadNodes(t *testing.T) {
	for name, spoil := range map[string]func(rf *results.ReplayFile){
		"outage":     func(rf *results.ReplayFile) { rf.Outages[0][0] = 99 },
		"relearning": func(rf *results.ReplayFile) { rf.Relearned = [][2]int32{{-1, 3}} },
		"group":      func(rf *results.ReplayFile) { rf.Partitions[0].Group[1] = -1 },
		"groups":     func(rf *results.ReplayFile) { rf.Partitions[0].Group = rf.Partitions[0].Group[:5] },
	} {
		rf := faultReplay(t, 20, false, engine.Topology{})
		spoil(rf)
		var buf strings.Builder
		if err := Page(&buf, rf, "x", ""); err == nil {
			t.Errorf("%s: a page of a bad replay", name)
		}
	}
}
