package results

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
)

// ReplayPartition is one partition of a replay as it fell: Group[u] is
// node u's group; from the start of Round to the start of Heal (0: never)
// messages the split cuts fail (engine.Split.Cut).
type ReplayPartition struct {
	Round  int32  `json:"round"`
	Heal   int32  `json:"heal"`
	Oneway bool   `json:"oneway"`
	Group  []int8 `json:"group"`
}

// Split is the partition as the engine's rule of what it cuts takes it.
func (p ReplayPartition) Split() engine.Split {
	return engine.Split{Round: p.Round, Heal: p.Heal, Oneway: p.Oneway, Group: p.Group}
}

// addReplayFaults copies the trial's outages, partitions and relearnings
// into the file.
func addReplayFaults(f *ReplayFile, rep *engine.Replay) {
	for _, o := range rep.Outages {
		keep := int32(0)
		if o.Keep {
			keep = 1
		}
		f.Outages = append(f.Outages, []int32{o.Node, o.Down, o.Up, keep})
	}
	for _, s := range rep.Partitions {
		f.Partitions = append(f.Partitions, ReplayPartition{Round: s.Round, Heal: s.Heal, Oneway: s.Oneway, Group: s.Group})
	}
	f.Relearned = rep.Relearned
}

// Outage is one entry of a replay's outages.
type Outage struct {
	Node, Down, Up int32 // Up -1: never came back
	Keep           bool
}

// ReplayOutages are the replay's outages; a replay written before they
// were recorded has only crashed_at, every crash for good, and gets one
// outage per crashed node from it.
func (rf *ReplayFile) ReplayOutages() []Outage {
	var out []Outage
	if rf.Outages == nil {
		for node, c := range rf.CrashedAt {
			if c >= 0 {
				out = append(out, Outage{Node: int32(node), Down: c, Up: -1})
			}
		}
		return out
	}
	for _, o := range rf.Outages {
		out = append(out, Outage{Node: o[0], Down: o[1], Up: o[2], Keep: len(o) > 3 && o[3] == 1})
	}
	return out
}

// checkReplayFaults holds a replay's outages, partitions and relearnings
// to its nodes, its rounds and its point's params.partitions.
func checkReplayFaults(rf *ReplayFile, p *PointSummary) error {
	n, last := len(rf.FirstInformed), int32(len(rf.Rounds)-1)
	if rf.Outages != nil {
		firstDown := make([]int32, n)
		backAt := make([]int32, n) // when the node's last outage ended; -2: none yet
		for i := range firstDown {
			firstDown[i], backAt[i] = -1, -2
		}
		prev := int32(0)
		for i, o := range rf.Outages {
			bad := func(why string) error {
				return fmt.Errorf("outages[%d] %v: %s (entries are [node 0..%d, down 1..%d, up down+1..%d or -1, keep 0 or 1])", i, o, why, n-1, last, last)
			}
			switch {
			case len(o) != 3 && len(o) != 4:
				return bad("not 3 or 4 numbers")
			case o[0] < 0 || int(o[0]) >= n || o[1] < 1 || o[1] > last || o[2] != -1 && (o[2] <= o[1] || o[2] > last):
				return bad("out of range")
			case len(o) == 4 && (o[3] < 0 || o[3] > 1 || o[3] == 1 && o[2] == -1):
				return bad("keep is 0 or 1, and 1 only for a node that came back")
			case o[1] < prev:
				return bad("not in the order the outages started")
			case backAt[o[0]] == -1 || backAt[o[0]] > o[1]:
				return bad("the node is still down from its previous outage")
			}
			prev, backAt[o[0]] = o[1], o[2]
			if firstDown[o[0]] < 0 {
				firstDown[o[0]] = o[1]
			}
		}
		for node, c := range rf.CrashedAt {
			if c != firstDown[node] {
				return fmt.Errorf("crashed_at[%d] is %d, but the node's first outage starts at round %d (-1: none)", node, c, firstDown[node])
			}
		}
	}
	plan := p.Params.Partitions
	if len(rf.Partitions) > len(plan) {
		return fmt.Errorf("%d partitions, but the point's params have %d", len(rf.Partitions), len(plan))
	}
	for i, s := range rf.Partitions {
		want := plan[i]
		switch {
		case int(s.Round) != want.Round || int(s.Heal) != want.Heal || s.Oneway != want.Oneway:
			return fmt.Errorf("partitions[%d]: round %d, heal %d, oneway %v; params.partitions[%d] has %d, %d, %v",
				i, s.Round, s.Heal, s.Oneway, i, want.Round, want.Heal, want.Oneway)
		case s.Round < 1 || s.Round > last:
			return fmt.Errorf("partitions[%d]: round %d; the replay has rounds 0..%d", i, s.Round, last)
		case len(s.Group) != n:
			return fmt.Errorf("partitions[%d]: %d group entries for %d nodes", i, len(s.Group), n)
		}
		for node, g := range s.Group {
			if g < 0 || int(g) >= want.Groups {
				return fmt.Errorf("partitions[%d].group[%d] is %d; the partition has groups 0..%d", i, node, g, want.Groups-1)
			}
		}
	}
	for i, l := range rf.Relearned {
		if l[0] < 0 || int(l[0]) >= n || l[1] < 1 || l[1] > last || rf.FirstInformed[l[0]] < 0 || l[1] <= rf.FirstInformed[l[0]] {
			return fmt.Errorf("relearned[%d] %v: a node 0..%d learning again in rounds 1..%d after it first learned", i, l, n-1, last)
		}
	}
	return nil
}
