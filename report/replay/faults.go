package replay

import (
	"fmt"
	"math"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/internal/results"
)

// What the page draws of faults over time (docs/design.md, "Faults over
// time"): nodes down and back (outages), the groups of a partition side by
// side while it stands, and the messages failed across its cut.

// cutOutcome is the page's code of a message failed across a partition:
// failed in the file, told apart here by the split's rule (engine.Split.Cut)
// so that the script draws it stopped at the cut and never decides what a
// partition cuts.
const cutOutcome = 4

// pagePartition is one partition for the script: while it stands (Round
// <= r < Heal, Heal 0 never) the nodes are drawn at Pos, each group in its
// own column, left to right; Groups is how many columns. Seats are each
// group's sunflower in node order, which "by round informed" hands out
// by when the nodes learned; on the complete graph they are Pos, and left
// out.
type pagePartition struct {
	Round  int32   `json:"round"`
	Heal   int32   `json:"heal"`
	Oneway bool    `json:"oneway"`
	Groups int     `json:"groups"`
	Group  []int8  `json:"group"`
	Pos    []int32 `json:"pos"`
	Seats  []int32 `json:"seats,omitempty"`
}

// addFaults puts rf's outages, relearnings and partitions on the page,
// and recodes the failed messages each partition cut.
func addFaults(rf *results.ReplayFile, d *pageData) error {
	for _, o := range rf.ReplayOutages() {
		keep := int32(0)
		if o.Keep {
			keep = 1
		}
		if o.Node < 0 || int(o.Node) >= d.Nodes {
			return fmt.Errorf("outage of node %d outside 0..%d", o.Node, d.Nodes-1)
		}
		d.Outages = append(d.Outages, o.Node, o.Down, o.Up, keep)
	}
	for _, l := range rf.Relearned {
		if l[0] < 0 || int(l[0]) >= d.Nodes {
			return fmt.Errorf("relearning of node %d outside 0..%d", l[0], d.Nodes-1)
		}
		d.Relearned = append(d.Relearned, l[0], l[1])
	}
	for i, p := range rf.Partitions {
		if len(p.Group) != d.Nodes {
			return fmt.Errorf("partition %d: %d group entries for %d nodes", i, len(p.Group), d.Nodes)
		}
		groups := 2
		if i < len(rf.Params.Partitions) {
			groups = rf.Params.Partitions[i].Groups
		}
		for _, g := range p.Group {
			if g < 0 {
				return fmt.Errorf("partition %d: group %d", i, g)
			}
			groups = max(groups, int(g)+1)
		}
		pp := pagePartition{Round: p.Round, Heal: p.Heal, Oneway: p.Oneway, Groups: groups, Group: p.Group}
		pp.Pos = scaled(splitLayout(p.Group, groups, unscaled(d.Pos), d.Graph != nil))
		if d.Graph != nil {
			pp.Seats = scaled(splitLayout(p.Group, groups, nil, false))
		}
		d.Partitions = append(d.Partitions, pp)
		split := p.Split()
		for r := int(p.Round); r < len(d.Rounds) && (p.Heal == 0 || r < int(p.Heal)); r++ {
			flat := d.Rounds[r]
			for j := 0; j < len(flat); j += 4 {
				if flat[j+3] == int32(engine.Failed) && split.Cut(p.Group[flat[j]], p.Group[flat[j+1]]) {
					flat[j+3] = cutOutcome
				}
			}
		}
	}
	return nil
}

// splitLayout places each group in its own column of the unit square, in
// group order left to right. On a graph's layout a node keeps its place
// within the column (the layout squeezed into it), so the graph stays
// recognisable; on the complete graph each group is a sunflower of its own,
// stretched to fill its column, in node order.
func splitLayout(group []int8, groups int, pos []Point, graph bool) []Point {
	const margin = 0.06 // of a column, each side, so the cut line stands clear
	w := 1 / float64(groups)
	out := make([]Point, len(group))
	if graph {
		for u, g := range group {
			out[u] = Point{X: w * (float64(g) + margin + (1-2*margin)*pos[u].X), Y: pos[u].Y}
		}
		return out
	}
	members := make([][]int, groups)
	for u, g := range group {
		members[g] = append(members[g], u)
	}
	for g, us := range members {
		cx := w * (float64(g) + 0.5)
		for i, u := range us {
			r := math.Sqrt((float64(i) + 0.5) / float64(len(us)))
			a := float64(i) * goldenAngle
			out[u] = Point{X: cx + r*math.Sin(a)*w*(0.5-margin), Y: 0.5 - r*math.Cos(a)*0.5}
		}
	}
	return out
}

// unscaled is scaled's inverse.
func unscaled(flat []int32) []Point {
	out := make([]Point, len(flat)/2)
	for i := range out {
		out[i] = Point{float64(flat[2*i]) / posScale, float64(flat[2*i+1]) / posScale}
	}
	return out
}
