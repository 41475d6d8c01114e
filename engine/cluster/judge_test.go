package cluster

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// judged is a cluster's harness state without nodes: what judge reads.
func judged(cfg engine.Config, informed, down []int) *Cluster {
	c := &Cluster{cfg: cfg, rules: protocol.New(cfg, nil), urls: make([]string, cfg.Nodes),
		alive: make([]bool, cfg.Nodes), informed: make([]bool, cfg.Nodes)}
	for i := range c.alive {
		c.alive[i] = !slices.Contains(down, i)
	}
	for _, i := range informed {
		c.informed[i] = true
	}
	return c
}

func ed(from, to int32, k engine.MessageKind, o engine.Outcome) [4]int32 {
	return [4]int32{from, to, int32(k), int32(o)}
}

func edge(from, to int32, k engine.MessageKind, o engine.Outcome) engine.Edge {
	return engine.Edge{From: from, To: to, Kind: k, Outcome: o}
}

// Two pushes reach node 3. The network brought node 5's first, so the
// nodes call that one useful; the canonical order (senders by ID) makes
// node 2's the useful one, as the simulator counts it.
func TestJudgeTakesTheCanonicalOrder(t *testing.T) {
	cfg := engine.Config{Nodes: 6, Mode: engine.Push, Fanout: 2, Replay: true}
	c := judged(cfg, []int{2, 5}, []int{4})
	reports := make([]node.RoundReport, 6)
	reports[2] = node.RoundReport{Round: 1, Knew: true, Bytes: 10, Edges: [][4]int32{
		ed(2, 3, engine.KindPush, engine.Redundant), ed(2, 0, engine.KindPush, engine.Useful)}}
	reports[5] = node.RoundReport{Round: 1, Knew: true, Bytes: 5, Edges: [][4]int32{
		ed(5, 3, engine.KindPush, engine.Useful), ed(5, 4, engine.KindPush, engine.Failed)}}
	out, err := c.judge(1, []int{2, 5}, reports)
	if err != nil {
		t.Fatal(err)
	}
	want := engine.RoundStats{Round: 1, Informed: 4, New: 2, Alive: 5, Sent: 4, Delivered: 3, Failed: 1, Useful: 2, Redundant: 1, Bytes: 15}
	if out.RoundStats != want {
		t.Errorf("stats %+v\nwant  %+v", out.RoundStats, want)
	}
	wantEdges := []engine.Edge{edge(2, 3, engine.KindPush, engine.Useful), edge(2, 0, engine.KindPush, engine.Useful),
		edge(5, 3, engine.KindPush, engine.Redundant), edge(5, 4, engine.KindPush, engine.Failed)}
	if !slices.Equal(out.Edges, wantEdges) || !slices.Equal(out.Informed, []int32{0, 3}) {
		t.Errorf("edges %v, informed %v", out.Edges, out.Informed)
	}
	if !c.informed[0] || !c.informed[3] || c.informed[1] {
		t.Errorf("informed after the round: %v", c.informed)
	}
}

// In push-pull a request carries the rumor when its sender knew it before
// the round, an answer when its answerer did: node 0 learns in this round
// and its answer to node 3 is still empty.
func TestJudgeAnswersCarryWhatTheAnswererKnew(t *testing.T) {
	cfg := engine.Config{Nodes: 4, Mode: engine.PushPull, Fanout: 1}
	c := judged(cfg, []int{1}, nil)
	reports := []node.RoundReport{
		{Round: 1, Edges: [][4]int32{ed(0, 1, engine.KindRequest, engine.Redundant), ed(1, 0, engine.KindAnswer, engine.Useful)}},
		{Round: 1, Knew: true, Edges: [][4]int32{ed(1, 2, engine.KindRequest, engine.Redundant), ed(2, 1, engine.KindAnswer, engine.Redundant)}},
		{Round: 1, Edges: [][4]int32{ed(2, 1, engine.KindRequest, engine.Redundant), ed(1, 2, engine.KindAnswer, engine.Useful)}},
		{Round: 1, Edges: [][4]int32{ed(3, 0, engine.KindRequest, engine.Redundant), ed(0, 3, engine.KindAnswer, engine.Redundant)}},
	}
	out, err := c.judge(1, []int{0, 1, 2, 3}, reports)
	if err != nil {
		t.Fatal(err)
	}
	want := engine.RoundStats{Round: 1, Informed: 3, New: 2, Alive: 4, Sent: 8, Delivered: 8, Useful: 2, Redundant: 6}
	if out.RoundStats != want {
		t.Errorf("stats %+v\nwant  %+v", out.RoundStats, want)
	}
}

// Reports that cannot be true are a bug (errInconsistent); a healthy peer
// that did not answer spoils the trial (an error, but not a bug).
func TestJudgeRefusesImpossibleReports(t *testing.T) {
	good := func() []node.RoundReport {
		r := make([]node.RoundReport, 6)
		r[2] = node.RoundReport{Round: 1, Knew: true, Edges: [][4]int32{
			ed(2, 3, engine.KindPush, engine.Redundant), ed(2, 0, engine.KindPush, engine.Useful)}}
		r[5] = node.RoundReport{Round: 1, Knew: true, Edges: [][4]int32{
			ed(5, 3, engine.KindPush, engine.Useful), ed(5, 4, engine.KindPush, engine.Failed)}}
		return r
	}
	for _, c := range []struct {
		name  string
		spoil func(r []node.RoundReport)
		bug   bool
	}{
		{"nobody says node 3 learned", func(r []node.RoundReport) { r[5].Edges[0][3] = int32(engine.Redundant) }, true},
		{"node 3 learned twice", func(r []node.RoundReport) { r[2].Edges[0][3] = int32(engine.Useful) }, true},
		{"an informed node says it knew nothing", func(r []node.RoundReport) { r[5].Knew = false }, true},
		{"the report of another round", func(r []node.RoundReport) { r[5].Round = 2 }, true},
		{"a failed node took a message", func(r []node.RoundReport) { r[5].Edges[1][3] = int32(engine.Redundant) }, true},
		{"a message of another sender", func(r []node.RoundReport) { r[5].Edges[1][0] = 1 }, true},
		{"a message to itself", func(r []node.RoundReport) { r[5].Edges[1][1] = 5 }, true},
		{"a node out of range", func(r []node.RoundReport) { r[5].Edges[1][1] = 6 }, true},
		{"an answer in push", func(r []node.RoundReport) { r[5].Edges[1][2] = int32(engine.KindAnswer) }, true},
		{"a kind code past uint8", func(r []node.RoundReport) { r[5].Edges[1][2] = 256 + int32(engine.KindPush) }, true},
		{"an outcome code past uint8", func(r []node.RoundReport) { r[5].Edges[1][3] = 256 + int32(engine.Failed) }, true},
		{"a negative outcome code", func(r []node.RoundReport) { r[5].Edges[1][3] = -1 }, true},
		{"more messages than fanout", func(r []node.RoundReport) {
			r[5].Edges = append(r[5].Edges, ed(5, 1, engine.KindPush, engine.Useful))
		}, true},
		{"a healthy peer failed the message", func(r []node.RoundReport) { r[2].Edges[1][3] = int32(engine.Failed) }, false},
	} {
		cfg := engine.Config{Nodes: 6, Mode: engine.Push, Fanout: 2}
		reports := good()
		c.spoil(reports)
		_, err := judged(cfg, []int{2, 5}, []int{4}).judge(1, []int{2, 5}, reports)
		switch {
		case err == nil:
			t.Errorf("%s: judged without an error", c.name)
		case errors.Is(err, errInconsistent) != c.bug:
			t.Errorf("%s: %v; a bug: %v, want %v", c.name, err, errors.Is(err, errInconsistent), c.bug)
		case !strings.Contains(err.Error(), "node"):
			t.Errorf("%s: %v does not say which node", c.name, err)
		}
	}
}
