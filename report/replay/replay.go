// Package replay renders one replay file (replay/<point>.json, see
// results.ReplayFile) as a self-contained HTML page that animates the
// trial round by round: who is informed, who crashed, and every message of
// the round drawn as an edge, coloured by what became of it.
//
// The page is a single file: styles, script and data are inlined, and it
// makes no network request, so it works from file:// and offline. Node
// positions are computed here (Layout), not in the browser, so a page
// always draws the same picture.
package replay

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

//go:embed replay.html
var pageHTML string

//go:embed replay.css
var pageCSS string

//go:embed replay.js
var pageJS string

//go:embed faults.js
var faultsJS string

//go:embed timeline.js
var timelineJS string

var pageTmpl = template.Must(template.New("replay").Parse(pageHTML))

// Point is a node's position in the unit square.
type Point struct{ X, Y float64 }

// goldenAngle is the angle between successive seeds of a sunflower,
// pi * (3 - sqrt 5) radians (about 137.5 degrees).
var goldenAngle = math.Pi * (3 - math.Sqrt(5))

// Layout places n nodes in the disc inscribed in the unit square, node i
// at seed i of a sunflower (Vogel) spiral: seed i sits at radius
// sqrt((i+0.5)/n) and angle i times the golden angle, so every node gets
// about the same area and the disc looks evenly filled for any n. Node 0
// is nearest the centre. The same n always gives the same positions.
func Layout(n int) []Point {
	if n <= 0 {
		return nil
	}
	pts := make([]Point, n)
	if n == 1 {
		pts[0] = Point{0.5, 0.5}
		return pts
	}
	const radius = 0.5
	for i := range pts {
		r := radius * math.Sqrt((float64(i)+0.5)/float64(n))
		a := float64(i) * goldenAngle
		// Start at the top and turn clockwise, like a clock hand.
		pts[i] = Point{X: 0.5 + r*math.Sin(a), Y: 0.5 - r*math.Cos(a)}
	}
	return pts
}

// posScale is the resolution positions are embedded with: integers in
// 0..posScale, plenty for a canvas a few thousand pixels wide.
const posScale = 10000

// pageData is the JSON block the script reads. Everything is a flat array
// to keep pages of a thousand nodes small.
type pageData struct {
	Nodes    int       `json:"n"`
	Pos      []int32   `json:"pos"` // x0, y0, x1, y1, ... in 1/posScale of the square
	Source   int       `json:"source"`
	First    []int32   `json:"first"`   // round each node was informed, -1 never
	Crashed  []int32   `json:"crashed"` // round each node crashed, -1 never
	Kinds    []string  `json:"kinds"`
	Outcomes []string  `json:"outcomes"`
	Rounds   [][]int32 `json:"rounds"` // per round: from, to, kind, outcome, from, to, ...
	// NoEdges says why the rounds hold no messages when none were recorded,
	// so the page does not claim a round that informed nodes sent nothing.
	NoEdges string `json:"no_edges,omitempty"`
	// Unrecorded are, per round, messages sent but not in Rounds (free
	// running: see results.ReplayFile); absent when there are none.
	Unrecorded []int `json:"unrecorded,omitempty"`
	// Graph is the overlay on any topology but the complete graph: Pos
	// is then its layout, and Spiral the sunflower the page arranges
	// nodes on by the round they were informed.
	Graph  *pageGraph `json:"graph,omitempty"`
	Spiral []int32    `json:"spiral,omitempty"`
	// Faults (faults.go): outages node, down, up, keep, ... (up -1:
	// never back); relearnings node, round, ...; partitions. A message
	// failed across a partition has outcome cutOutcome.
	Outages    []int32         `json:"outages"`
	Relearned  []int32         `json:"relearned"`
	Partitions []pagePartition `json:"partitions"`
}

// pageGraph is the overlay for the page: its kind and its edges flat,
// u0, v0, u1, v1, ...
type pageGraph struct {
	Kind  string  `json:"kind"`
	Edges []int32 `json:"edges"`
}

// freeNoEdges is what the page says of a free-running replay written
// before the http engine recorded free-running messages.
const freeNoEdges = "Messages not recorded: this free-running replay was written by an older gossipbench, which recorded only who was informed when. Run the scenario again to see its messages."

type param struct{ Name, Value string }

type view struct {
	Title    string
	Back     string
	Subtitle string
	Params   []param
	Rounds   int // the last round
	CSS      template.CSS
	JS       template.JS
	Data     template.JS
	Notes    []string // what the reader must know of these rounds
}

// Page writes one self-contained HTML page replaying rf. title and
// backHref, a relative link back to the scenario's page, are escaped; a
// backHref with an unsafe scheme (javascript:) is neutralised. An empty
// backHref leaves the link out.
func Page(w io.Writer, rf *results.ReplayFile, title, backHref string) error {
	data, err := newPageData(rf)
	if err != nil {
		return err
	}
	js, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("replay page: %w", err)
	}
	// json.Marshal already writes < > & as \u003c..., so the data cannot
	// close its script element; make sure of it whatever changes.
	block := strings.ReplaceAll(string(js), "</", `<\/`)
	v := view{
		Title:  title,
		Back:   backHref,
		Params: params(rf, data),
		Rounds: len(data.Rounds) - 1,
		CSS:    template.CSS(pageCSS),
		JS:     template.JS(faultsJS + "\n" + timelineJS + "\n" + pageJS),
		Data:   template.JS(block),
		Notes:  notes(rf, data),
	}
	for _, s := range []string{rf.Scenario, rf.Point} {
		if s != "" && v.Subtitle != "" {
			v.Subtitle += " / "
		}
		v.Subtitle += s
	}
	if err := pageTmpl.Execute(w, v); err != nil {
		return fmt.Errorf("replay page: %w", err)
	}
	return nil
}

// newPageData checks rf and flattens it, recoding kinds and outcomes into
// the engine's order by name so the script can rely on that order.
func newPageData(rf *results.ReplayFile) (*pageData, error) {
	if rf == nil {
		return nil, errors.New("replay page: no replay")
	}
	n := len(rf.FirstInformed)
	if n == 0 {
		return nil, fmt.Errorf("replay page: %s: no nodes", rf.Point)
	}
	if len(rf.CrashedAt) != n {
		return nil, fmt.Errorf("replay page: %s: %d first-informed but %d crashed-at entries", rf.Point, n, len(rf.CrashedAt))
	}
	if rf.Params.Nodes != 0 && rf.Params.Nodes != n {
		return nil, fmt.Errorf("replay page: %s: %d nodes but %d first-informed entries", rf.Point, rf.Params.Nodes, n)
	}
	if rf.Source < 0 || rf.Source >= n {
		return nil, fmt.Errorf("replay page: %s: source %d outside 0..%d", rf.Point, rf.Source, n-1)
	}
	kinds, err := recode("kind", rf.Kinds, engine.KindNames)
	if err != nil {
		return nil, fmt.Errorf("replay page: %s: %w", rf.Point, err)
	}
	outcomes, err := recode("outcome", rf.Outcomes, engine.OutcomeNames)
	if err != nil {
		return nil, fmt.Errorf("replay page: %s: %w", rf.Point, err)
	}

	// The last round is the last with messages, or a later one some node
	// was informed or crashed in.
	last := len(rf.Rounds) - 1
	for i := 0; i < n; i++ {
		last = max(last, int(rf.FirstInformed[i]), int(rf.CrashedAt[i]))
	}
	last = max(last, 0)

	d := &pageData{
		Nodes:    n,
		Pos:      make([]int32, 0, 2*n),
		Source:   rf.Source,
		First:    rf.FirstInformed,
		Crashed:  rf.CrashedAt,
		Kinds:    engine.KindNames,
		Outcomes: engine.OutcomeNames,
		Rounds:   make([][]int32, last+1),
	}
	if rf.Params.FreeRunning() && rf.Unrecorded == nil {
		d.NoEdges = freeNoEdges
	}
	missed := 0
	for _, u := range rf.Unrecorded {
		if u < 0 {
			return nil, fmt.Errorf("replay page: %s: %d unrecorded messages", rf.Point, u)
		}
		missed += u
	}
	if missed > 0 {
		d.Unrecorded = make([]int, last+1)
		copy(d.Unrecorded, rf.Unrecorded)
	}
	d.Pos = scaled(Layout(n))
	for r := range d.Rounds {
		flat := []int32{}
		if r < len(rf.Rounds) {
			flat = make([]int32, 0, 4*len(rf.Rounds[r]))
			for i, e := range rf.Rounds[r] {
				from, to, k, o := e[0], e[1], e[2], e[3]
				if from < 0 || int(from) >= n || to < 0 || int(to) >= n {
					return nil, fmt.Errorf("replay page: %s: round %d message %d: node outside 0..%d", rf.Point, r, i, n-1)
				}
				if k < 0 || int(k) >= len(kinds) || o < 0 || int(o) >= len(outcomes) {
					return nil, fmt.Errorf("replay page: %s: round %d message %d: unknown kind %d or outcome %d", rf.Point, r, i, k, o)
				}
				flat = append(flat, from, to, kinds[k], outcomes[o])
			}
		}
		d.Rounds[r] = flat
	}
	if err := addGraph(rf, d); err != nil {
		return nil, fmt.Errorf("replay page: %s: %w", rf.Point, err)
	}
	d.Outages, d.Relearned, d.Partitions = []int32{}, []int32{}, []pagePartition{}
	if err := addFaults(rf, d); err != nil {
		return nil, fmt.Errorf("replay page: %s: %w", rf.Point, err)
	}
	return d, nil
}

// addGraph puts the overlay of rf on the page (docs/design.md, "Drawing
// graphs"): its edges, and its layout as the nodes' places. The graph is
// checked as every reader of results checks it (results.CheckReplayGraph),
// so a page is never drawn from a graph its messages do not run on.
func addGraph(rf *results.ReplayFile, d *pageData) error {
	if err := results.CheckReplayGraph(rf, d.Nodes); err != nil || rf.Graph == nil {
		return err
	}
	g := &pageGraph{Kind: rf.Graph.Kind, Edges: make([]int32, 0, 2*len(rf.Graph.Edges))}
	for _, e := range rf.Graph.Edges {
		g.Edges = append(g.Edges, e[0], e[1])
	}
	pts := make([]Point, len(rf.Graph.Layout))
	for i, p := range rf.Graph.Layout {
		pts[i] = Point{p[0], p[1]}
	}
	d.Graph, d.Spiral, d.Pos = g, d.Pos, scaled(pts)
	return nil
}

// scaled flattens points in the unit square to integers in 0..posScale.
func scaled(pts []Point) []int32 {
	out := make([]int32, 0, 2*len(pts))
	for _, p := range pts {
		out = append(out, int32(math.Round(p.X*posScale)), int32(math.Round(p.Y*posScale)))
	}
	return out
}

// recode maps the codes of a file's names onto the positions of the same
// names in want. A file without names uses want's order.
func recode(what string, names, want []string) ([]int32, error) {
	if len(names) == 0 {
		names = want
	}
	codes := make([]int32, len(names))
	for i, name := range names {
		j := -1
		for k, w := range want {
			if w == name {
				j = k
			}
		}
		if j < 0 {
			return nil, fmt.Errorf("unknown message %s %q (this gossipbench knows %s)", what, name, strings.Join(want, ", "))
		}
		codes[i] = int32(j)
	}
	return codes, nil
}

// params are the facts the header shows.
func params(rf *results.ReplayFile, d *pageData) []param {
	p := rf.Params
	ps := []param{{"nodes", strconv.Itoa(d.Nodes)}}
	if mode, err := p.Mode.MarshalText(); err == nil {
		ps = append(ps, param{"mode", string(mode)})
	}
	ps = append(ps,
		param{"fanout", strconv.Itoa(p.Fanout)},
		param{"loss", strconv.FormatFloat(p.Loss, 'g', -1, 64)})
	if p.Engine != "" {
		ps = append(ps, param{"engine", p.Engine})
	}
	if t := p.Topology; t.Kind != "" && t.Kind != "complete" {
		ps = append(ps, param{"topology", topologyText(t, rf.Graph)})
	}
	ps = append(ps, param{"source", "node " + strconv.Itoa(rf.Source)}, param{"trial", strconv.Itoa(rf.Trial)})
	crashed, first := 0, -1
	for _, c := range rf.CrashedAt {
		if c >= 0 {
			crashed++
			if first < 0 || int(c) < first {
				first = int(c)
			}
		}
	}
	switch {
	case crashed > 0 && p.FaultsOverTime():
		// Nodes come back: say how many went down, not that they crashed for good.
		ps = append(ps, param{"went down", fmt.Sprintf("%d nodes from round %d", crashed, first)})
	case crashed > 0:
		ps = append(ps, param{"crashes", fmt.Sprintf("%d from round %d", crashed, first)})
	}
	return ps
}

// topologyText names the overlay and its size: "ring, degree 4, 2000 edges".
func topologyText(t results.TopologyParams, g *results.ReplayGraph) string {
	s := t.Kind
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	switch {
	case t.Degree > 0:
		s += ", degree " + num(t.Degree)
	case t.P > 0:
		s += ", p " + num(t.P)
	}
	if t.Rewire > 0 {
		s += ", rewire " + num(t.Rewire)
	}
	if g != nil {
		s += fmt.Sprintf(", %d edges", len(g.Edges))
	}
	return s
}
