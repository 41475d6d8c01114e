package results

import (
	"fmt"

	"github.com/gossipbench/gossipbench/engine"
)

// ReplaySplit is one partition of a replay as it fell (engine.Split):
// Group[u] is node u's group.
type ReplaySplit struct {
	Round  int32  `json:"round"`
	Heal   int32  `json:"heal"` // 0: never healed
	Oneway bool   `json:"oneway"`
	Group  []int8 `json:"group"`
}

// Split is the partition as the engine's rule of what it cuts takes it.
func (p ReplaySplit) Split() engine.Split {
	return engine.Split{Round: p.Round, Heal: p.Heal, Oneway: p.Oneway, Group: p.Group}
}

// ReplayOutages are the replay's outages as engines record them; a replay
// written before they were recorded has only crashed_at, every crash for
// good, and gets one outage per crashed node from it.
func (f *ReplayFile) ReplayOutages() []engine.Outage {
	var out []engine.Outage
	if f.Outages == nil {
		for node, c := range f.CrashedAt {
			if c >= 0 {
				out = append(out, engine.Outage{Node: int32(node), Down: c, Up: -1})
			}
		}
		return out
	}
	for _, o := range f.Outages {
		out = append(out, engine.Outage{Node: o[0], Down: o[1], Up: o[2], Keep: len(o) > 3 && o[3] == 1})
	}
	return out
}

func (f *ReplayFile) addFaults(rep *engine.Replay) {
	for _, o := range rep.Outages {
		keep := int32(0)
		if o.Keep {
			keep = 1
		}
		f.Outages = append(f.Outages, []int32{o.Node, o.Down, o.Up, keep})
	}
	for _, s := range rep.Partitions {
		f.Partitions = append(f.Partitions, ReplaySplit{Round: s.Round, Heal: s.Heal, Oneway: s.Oneway, Group: s.Group})
	}
	f.Relearned = rep.Relearned
}

// checkReplayFaults holds a replay's outages, partitions and relearnings
// to its nodes, its rounds and its point's params: what a page draws from
// them (who is down, who is cut off, who knows) must be what ran.
func checkReplayFaults(rf *ReplayFile, p *PointSummary) error {
	n, last := int32(p.Params.Nodes), int32(len(rf.Rounds)-1)
	if len(rf.Outages) > 0 {
		// A node is down at most once at a time, and its first outage
		// is its crashed_at.
		up := make(map[int32]int32) // per node, its last outage's up
		prevDown := int32(0)
		for i, o := range rf.Outages {
			if len(o) != 3 && len(o) != 4 {
				return fmt.Errorf("outages[%d]: %v; an outage is [node, down, up, keep]", i, o)
			}
			node, down, back := o[0], o[1], o[2]
			keep := len(o) == 4 && o[3] == 1
			switch {
			case node < 0 || node >= n:
				return fmt.Errorf("outages[%d]: node %d outside 0..%d", i, node, n-1)
			case down < 1 || down > last || back != -1 && (back <= down || back > last):
				return fmt.Errorf("outages[%d]: down at round %d, up at %d; the replay has rounds 1..%d, up after down (-1: never)", i, down, back, last)
			case len(o) == 4 && o[3] != 0 && o[3] != 1 || keep && back == -1:
				return fmt.Errorf("outages[%d]: keep %d; 0 or 1, and 1 only for a node that came back", i, o[3])
			case down < prevDown:
				return fmt.Errorf("outages[%d]: down at round %d, before the outage listed before it (%d)", i, down, prevDown)
			}
			prev, seen := up[node]
			switch {
			case !seen && rf.CrashedAt[node] != down:
				return fmt.Errorf("outages[%d]: node %d first down at round %d, but crashed_at says %d", i, node, down, rf.CrashedAt[node])
			case seen && (prev == -1 || down < prev):
				return fmt.Errorf("outages[%d]: node %d down at round %d while still down (up %d)", i, node, down, prev)
			}
			up[node], prevDown = back, down
		}
		for node, r := range rf.CrashedAt {
			if _, seen := up[int32(node)]; r >= 0 && !seen {
				return fmt.Errorf("crashed_at[%d] is round %d, but outages has none of node %d", node, r, node)
			}
		}
	}
	if len(rf.Partitions) > len(p.Params.Partitions) {
		return fmt.Errorf("%d partitions; point %s has %d", len(rf.Partitions), p.ID, len(p.Params.Partitions))
	}
	for i, s := range rf.Partitions {
		q := p.Params.Partitions[i]
		switch {
		case int(s.Round) != q.Round || s.Round > last || s.Oneway != q.Oneway || s.Heal != 0 && int(s.Heal) != q.Heal:
			return fmt.Errorf("partitions[%d]: round %d, heal %d, oneway %v; point %s's partition %d is at round %d, heal %d, oneway %v (within rounds 0..%d)",
				i, s.Round, s.Heal, s.Oneway, p.ID, i, q.Round, q.Heal, q.Oneway, last)
		case len(s.Group) != int(n):
			return fmt.Errorf("partitions[%d]: %d groups for %d nodes", i, len(s.Group), n)
		}
		for u, g := range s.Group {
			if g < 0 || int(g) >= q.Groups {
				return fmt.Errorf("partitions[%d].group[%d] is %d; the partition has groups 0..%d", i, u, g, q.Groups-1)
			}
		}
	}
	for i, l := range rf.Relearned {
		node, r := l[0], l[1]
		if node < 0 || node >= n || r < 1 || r > last || rf.FirstInformed[node] < 0 || r <= rf.FirstInformed[node] {
			return fmt.Errorf("relearned[%d]: node %d at round %d; a node 0..%d learning again after its first_informed, within rounds 1..%d", i, node, r, n-1, last)
		}
	}
	return nil
}
