package replay

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

var update = flag.Bool("update", false, "rewrite testdata/page.golden.html")

func TestLayoutDeterministic(t *testing.T) {
	for _, n := range []int{1, 2, 10, 1000} {
		a, b := Layout(n), Layout(n)
		if len(a) != n {
			t.Fatalf("Layout(%d): %d points", n, len(a))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("Layout(%d)[%d]: %v then %v", n, i, a[i], b[i])
			}
		}
	}
	if got := Layout(0); len(got) != 0 {
		t.Errorf("Layout(0) = %v, want none", got)
	}
}

func TestLayoutInsideUnitSquare(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 10, 37, 100, 1000, 5000} {
		for i, p := range Layout(n) {
			if !(p.X >= 0 && p.X <= 1 && p.Y >= 0 && p.Y <= 1) {
				t.Fatalf("Layout(%d)[%d] = %v, outside the unit square", n, i, p)
			}
		}
	}
}

// TestLayoutEven checks that no two nodes crowd each other: the closest
// pair is at least a good fraction of the spacing an ideal hexagonal
// packing of the same disc would give.
func TestLayoutEven(t *testing.T) {
	for _, n := range []int{10, 100, 1000} {
		pts := Layout(n)
		ideal := math.Sqrt(2 * math.Pi * 0.25 / (math.Sqrt(3) * float64(n)))
		minD := math.Inf(1)
		for i := range pts {
			for j := i + 1; j < len(pts); j++ {
				minD = min(minD, math.Hypot(pts[i].X-pts[j].X, pts[i].Y-pts[j].Y))
			}
		}
		if minD < 0.5*ideal {
			t.Errorf("Layout(%d): closest pair %.4f apart, want at least %.4f", n, minD, 0.5*ideal)
		}
		if n == 1000 && minD < 0.015 {
			t.Errorf("Layout(1000): closest pair %.4f apart, want at least 0.015", minD)
		}
	}
}

// tiny is a hand-made 5-node, 2-round push replay: source 2 informs 0 in
// round 1; in round 2 node 4 has crashed, 0 informs 1, 2 repeats itself
// to 0, a push to 3 is lost and one to 4 fails.
func tiny() *results.ReplayFile {
	return &results.ReplayFile{
		Schema:   results.SchemaVersion,
		Scenario: "tiny",
		Point:    "fanout=1",
		Params: results.Params{Engine: "memory", Nodes: 5, Mode: engine.Push, Fanout: 1,
			Loss: 0.1, MaxRounds: 10},
		Source:        2,
		Kinds:         engine.KindNames,
		Outcomes:      engine.OutcomeNames,
		FirstInformed: []int32{1, 2, 0, -1, -1},
		CrashedAt:     []int32{-1, -1, -1, -1, 2},
		Rounds: [][][4]int32{
			{},
			{{2, 0, 0, 0}},
			{{0, 1, 0, 0}, {2, 0, 0, 1}, {0, 3, 0, 2}, {2, 4, 0, 3}},
		},
	}
}

func render(t *testing.T, rf *results.ReplayFile, title, back string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Page(&buf, rf, title, back); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var dataBlock = regexp.MustCompile(`(?s)<script type="application/json" id="replay-data">(.*?)</script>`)

func TestPageData(t *testing.T) {
	page := render(t, tiny(), "Tiny replay", "../tiny.html")
	m := dataBlock.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no replay-data block in the page")
	}
	var d pageData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatalf("data block: %v", err)
	}
	if d.Nodes != 5 || d.Source != 2 || len(d.Pos) != 10 || len(d.Rounds) != 3 {
		t.Fatalf("data block: n %d source %d %d positions %d rounds", d.Nodes, d.Source, len(d.Pos), len(d.Rounds))
	}
	if got := d.Rounds[2]; len(got) != 16 || got[14] != 0 || got[15] != 3 {
		t.Errorf("round 2 edges = %v", got)
	}
	for _, id := range []string{`id="play"`, `id="back"`, `id="forward"`, `id="round"`, `id="speed"`,
		`id="round-label"`, `id="informed"`, `id="canvas"`, `max="2"`, `href="../tiny.html"`} {
		if !strings.Contains(page, id) {
			t.Errorf("page lacks %s", id)
		}
	}
	for _, want := range []string{"<dt>mode</dt><dd>push</dd>", "<dt>loss</dt><dd>0.1</dd>", "<dt>nodes</dt><dd>5</dd>"} {
		if !strings.Contains(page, want) {
			t.Errorf("header lacks %s", want)
		}
	}
}

// A free-running replay of an older gossipbench has no messages: the page
// is told why, so that it does not say a round that informed nodes sent
// nothing. A free-running replay of this one has them, with the rounds'
// unrecorded counts; the page shows those and explains free-running rounds.
// Lockstep and the simulator record every message, and get no note.
func TestPageSaysWhenMessagesAreNotRecorded(t *testing.T) {
	for _, c := range []struct {
		engine, drive string
		unrecorded    []int
		noEdges       bool
		notes         int
	}{
		{"http", "free", nil, true, 0},
		{"http", "free", []int{0, 0, 0}, false, 1},
		{"http", "free", []int{0, 3, 0}, false, 2},
		{"http", "lockstep", nil, false, 0},
		{"memory", "free", nil, false, 0},
	} {
		rf := tiny()
		rf.Params.Engine, rf.Params.HTTP.Drive, rf.Unrecorded = c.engine, c.drive, c.unrecorded
		page := render(t, rf, "t", "")
		var d pageData
		if err := json.Unmarshal([]byte(dataBlock.FindStringSubmatch(page)[1]), &d); err != nil {
			t.Fatal(err)
		}
		if got := d.NoEdges != ""; got != c.noEdges {
			t.Errorf("%s %s %v: no_edges %q, want a note: %v", c.engine, c.drive, c.unrecorded, d.NoEdges, c.noEdges)
		}
		if got := strings.Count(page, `class="note free"`); got != c.notes {
			t.Errorf("%s %s %v: %d free-running notes, want %d", c.engine, c.drive, c.unrecorded, got, c.notes)
		}
		if c.notes == 2 && (!strings.Contains(page, "3 of the trial&#39;s") || d.Unrecorded[1] != 3) {
			t.Errorf("%s %s %v: the page does not say 3 messages are not drawn, or in which round: %v", c.engine, c.drive, c.unrecorded, d.Unrecorded)
		}
	}
}

func TestPageOffline(t *testing.T) {
	page := render(t, tiny(), "Tiny replay", "../tiny.html")
	for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url(", "<link rel=\"stylesheet\"", "<script src", "fetch("} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: it must not reach the network", bad)
		}
	}
}

func TestPageEscapes(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	page := render(t, tiny(), evil, `javascript:alert(1)`)
	if strings.Contains(page, evil) {
		t.Error("the raw title reached the page")
	}
	if !strings.Contains(page, html.EscapeString(evil)) && !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the escaped title is missing")
	}
	if strings.Contains(page, `href="javascript:`) {
		t.Error("a javascript: back link reached the page")
	}

	page = render(t, tiny(), "ok", `../a"b<c>.html`)
	if strings.Contains(page, `a"b<c>`) {
		t.Error("the raw back link reached the page")
	}

	// Only the two scripts of the page may close a script element, so
	// nothing in the data can.
	rf := tiny()
	rf.Point = "</script><script>alert(1)//"
	page = render(t, rf, "ok", "")
	if got := strings.Count(page, "</script>"); got != 2 {
		t.Errorf("%d </script> in the page, want 2", got)
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("a point id broke out of its element")
	}
}

func TestPageRecodesByName(t *testing.T) {
	rf := tiny()
	// The same replay with the outcome codes in another order.
	rf.Outcomes = []string{"failed", "lost", "redundant", "useful"}
	perm := map[int32]int32{0: 3, 1: 2, 2: 1, 3: 0}
	for _, round := range rf.Rounds {
		for i := range round {
			round[i][3] = perm[round[i][3]]
		}
	}
	a, err := newPageData(tiny())
	if err != nil {
		t.Fatal(err)
	}
	b, err := newPageData(rf)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Rounds) != fmt.Sprint(b.Rounds) {
		t.Errorf("recoded rounds %v, want %v", b.Rounds, a.Rounds)
	}
}

func TestPageRejectsBadReplays(t *testing.T) {
	for name, spoil := range map[string]func(*results.ReplayFile){
		"nil":           nil,
		"no nodes":      func(rf *results.ReplayFile) { rf.FirstInformed, rf.CrashedAt, rf.Params.Nodes = nil, nil, 0 },
		"short crashed": func(rf *results.ReplayFile) { rf.CrashedAt = rf.CrashedAt[:3] },
		"node count":    func(rf *results.ReplayFile) { rf.Params.Nodes = 7 },
		"source":        func(rf *results.ReplayFile) { rf.Source = 5 },
		"edge node":     func(rf *results.ReplayFile) { rf.Rounds[1][0][1] = 9 },
		"edge outcome":  func(rf *results.ReplayFile) { rf.Rounds[1][0][3] = 4 },
		"edge kind":     func(rf *results.ReplayFile) { rf.Rounds[1][0][2] = -1 },
		"outcome name":  func(rf *results.ReplayFile) { rf.Outcomes = []string{"useful", "meh", "lost", "failed"} },
	} {
		t.Run(name, func(t *testing.T) {
			var rf *results.ReplayFile
			if spoil != nil {
				rf = tiny()
				spoil(rf)
			}
			var buf bytes.Buffer
			if err := Page(&buf, rf, "t", ""); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestPageLastRound: rounds run to the last message, or a later round a
// node was informed or crashed in.
func TestPageLastRound(t *testing.T) {
	rf := tiny()
	rf.CrashedAt[3] = 4
	d, err := newPageData(rf)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Rounds) != 5 || len(d.Rounds[4]) != 0 {
		t.Errorf("rounds %v, want 5 with the last empty", d.Rounds)
	}
}

func TestPageGolden(t *testing.T) {
	page := render(t, tiny(), "Tiny: fanout=1", "../tiny.html")
	golden := filepath.Join("testdata", "page.golden.html")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if page != string(want) {
		t.Errorf("page differs from %s; if the change is intended, run go test ./report/replay/ -run Golden -update", golden)
	}
}

// TestDemoPages writes a page for every sample replay when REPLAY_DEMO_OUT
// names a directory: replays are read from REPLAY_DEMO_IN (default
// /tmp/sample-results), results dir by results dir. For looking at pages
// in a browser; it checks nothing else.
func TestDemoPages(t *testing.T) {
	out := os.Getenv("REPLAY_DEMO_OUT")
	if out == "" {
		t.Skip("set REPLAY_DEMO_OUT to write demo pages")
	}
	in := os.Getenv("REPLAY_DEMO_IN")
	if in == "" {
		in = "/tmp/sample-results"
	}
	dirs, _, err := results.FindResults(in)
	if err != nil {
		t.Fatal(err)
	}
	var replays []*results.ReplayFile
	var files []string
	for _, dir := range dirs {
		rd, err := results.OpenResult(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range rd.Summary.Points {
			if p.Replay == "" {
				continue
			}
			rf, err := rd.Replay(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			replays, files = append(replays, rf), append(files, filepath.Join(dir, p.Replay))
		}
		rd.Close()
	}
	if len(files) == 0 {
		t.Fatalf("no replays under %s", in)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	var index bytes.Buffer
	index.WriteString("<!DOCTYPE html><meta charset=utf-8><title>Replays</title><ul>\n")
	for i, f := range files {
		rf := replays[i]
		name := rf.Scenario + "_" + strings.TrimSuffix(filepath.Base(f), ".json") + ".html"
		var buf bytes.Buffer
		if err := Page(&buf, rf, rf.Scenario+": "+rf.Point, "index.html"); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&index, "<li><a href=\"%s\">%s</a> (%d KB)\n", html.EscapeString(name), html.EscapeString(name), buf.Len()/1024)
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), index.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d pages to %s", len(files), out)
}

// synthetic is a push replay of n nodes where every informed node pushes
// to two pseudo-random peers per round, for benchmarks.
func synthetic(n int) *results.ReplayFile {
	rf := &results.ReplayFile{Schema: results.SchemaVersion, Params: results.Params{Nodes: n, Fanout: 2},
		FirstInformed: make([]int32, n), CrashedAt: make([]int32, n), Rounds: [][][4]int32{{}}}
	for i := range rf.FirstInformed {
		rf.FirstInformed[i], rf.CrashedAt[i] = -1, -1
	}
	rf.FirstInformed[0] = 0
	x := uint32(1)
	next := func() int32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return int32(x % uint32(n)) }
	for r, informed := int32(1), 1; informed < n && r < 100; r++ {
		var round [][4]int32
		for i := 0; i < n; i++ {
			if f := rf.FirstInformed[i]; f < 0 || f >= r {
				continue
			}
			for range 2 {
				to := next()
				outcome := int32(engine.Redundant)
				if rf.FirstInformed[to] < 0 {
					rf.FirstInformed[to], outcome = r, int32(engine.Useful)
					informed++
				}
				round = append(round, [4]int32{int32(i), to, int32(engine.KindPush), outcome})
			}
		}
		rf.Rounds = append(rf.Rounds, round)
	}
	return rf
}

func BenchmarkPage1000(b *testing.B) {
	rf := synthetic(1000)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Page(&buf, rf, "bench", ""); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
