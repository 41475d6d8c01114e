package chart

import (
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine/meanfield"
	"github.com/gossipbench/gossipbench/internal/results"
)

// A point off the complete graph never gets the complete graph's curve,
// and its asymptotic rounds to full is a mark of its own, not a vertex of
// the mean-field line; the charts per round say why they have no theory
// for it.
func TestTopologyPointsHaveNoMeanFieldCurve(t *testing.T) {
	sum := summary(t, "name: s\nnodes: 200\nfanout: 1\ntrials: 6\nseed: 4\nsweep:\n  nodes: [50, 500, 5000]\n")
	// Point 1 as a run on a random 4-regular graph writes it.
	p := &sum.Points[1]
	p.Params.Topology = results.TopologyParams{Kind: "regular", Degree: 4}
	full := 20.7
	p.Theory = results.Theory{results.RoundsToFull: &full}
	p.Curve.Theory = nil
	x := float64(p.Params.Nodes)

	conv := find(t, Scenario(sum, nil), "convergence")
	theories := 0
	for _, s := range conv.Panels[0].Series {
		if s.Theory {
			theories++
		}
	}
	if theories != 2 {
		t.Errorf("convergence: %d theory curves, want 2 (the complete-graph points only)", theories)
	}
	if notes := strings.Join(conv.NoTheory, " "); !strings.Contains(notes, "nodes=500") || !strings.Contains(notes, meanfield.SourceRegular) {
		t.Errorf("convergence notes %q: want point nodes=500 and its source named", notes)
	}

	sw := find(t, Scenario(sum, nil), "sweep")
	var asym, line *Series
	for i, s := range sw.Panels[0].Series {
		switch {
		case s.Theory && strings.HasPrefix(s.Name, "asymptotic theory: rounds to 100"):
			asym = &sw.Panels[0].Series[i]
		case s.Theory && strings.HasPrefix(s.Name, "theory: rounds to 100"):
			line = &sw.Panels[0].Series[i]
		}
	}
	if asym == nil || len(asym.X) != 1 || asym.X[0] != x || asym.Y[0] != full || asym.Kind != Points || asym.Connect {
		t.Fatalf("sweep: asymptotic theory %+v, want one unjoined mark at %g, %g", asym, x, full)
	}
	if line == nil || len(line.X) != 2 {
		t.Fatalf("sweep: mean-field line %+v, want the two complete-graph points", line)
	}
	for _, lx := range line.X {
		if lx == x {
			t.Errorf("sweep: the mean-field line runs through the regular graph's point")
		}
	}
	if !strings.Contains(sw.Note, "asymptotic") || !strings.Contains(sw.Note, meanfield.SourceRegular) {
		t.Errorf("sweep note %q: want the asymptotic marks explained with their source", sw.Note)
	}
}
