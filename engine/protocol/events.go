package protocol

import "github.com/gossipbench/gossipbench/engine"

// Events are what a round's start brings (docs/design.md, "Faults over
// time"), in the order they happen: a partition heals, nodes come back
// (recoveries, then churn joins), nodes go down (failures in list order,
// then churn leaves), and a partition starts among the nodes then alive.
type Events struct {
	Healed bool
	Back   []Comeback
	Down   []Fault
	Split  *engine.Split
}

// Comeback is a node coming back up, with the rumors it knew when it went
// down (Keep) or with none.
type Comeback struct {
	Node int32
	Keep bool
}

// Schedule draws a trial's faults round by round. It keeps who is up and
// who churn took down, which the next rounds' draws depend on; the World
// owns one, and every engine takes its events from the World.
type Schedule struct {
	r       *Rules
	alive   []bool
	churned []bool    // down by churn: the pool churn joins draw from
	owed    [][]int32 // per failure, the nodes it took, until they recover
	split   *engine.Split
	list    []int32
}

// NewSchedule is a trial's schedule with every node up.
func NewSchedule(r *Rules) *Schedule {
	n := r.Graph.Nodes()
	s := &Schedule{r: r, alive: make([]bool, n), churned: make([]bool, n), owed: make([][]int32, len(r.Failures))}
	for u := range s.alive {
		s.alive[u] = true
	}
	return s
}

// Split is the partition in force, nil when none is.
func (s *Schedule) Split() *engine.Split { return s.split }

// Begin draws the events at the start of round r and applies them to the
// schedule's own view of who is up; the caller applies them to its nodes.
func (s *Schedule) Begin(r int) Events {
	var ev Events
	if s.split != nil && int(s.split.Heal) == r {
		s.split, ev.Healed = nil, true
	}
	for fi, f := range s.r.Failures {
		if f.Recover == r {
			for _, v := range s.owed[fi] {
				ev.Back = append(ev.Back, Comeback{Node: v, Keep: f.KeepState})
				s.alive[v] = true
			}
			s.owed[fi] = nil
		}
	}
	ch := s.r.Churn
	if ch.Active(r) {
		for _, v := range s.draw(r, 1, s.churned, engine.ChurnCount(ch.Join, len(s.alive), ch.From, r)) {
			ev.Back = append(ev.Back, Comeback{Node: v})
			s.alive[v], s.churned[v] = true, false
		}
	}
	if s.r.FaultsAt(r) {
		for _, f := range s.r.Faults(r, s.up()) {
			ev.Down = append(ev.Down, f)
			s.down(f.Nodes)
			if s.r.Failures[f.Failure].Recover > 0 {
				s.owed[f.Failure] = f.Nodes
			}
		}
	}
	if ch.Active(r) {
		if out := s.draw(r, 0, s.alive, engine.ChurnCount(ch.Leave, len(s.alive), ch.From, r)); len(out) > 0 {
			ev.Down = append(ev.Down, Fault{Kind: engine.Crash, Nodes: out, Failure: -1})
			s.down(out)
			for _, v := range out {
				s.churned[v] = true
			}
		}
	}
	for pi, p := range s.r.Partitions {
		if p.Round == r {
			s.split = s.partition(r, pi, p)
			ev.Split = s.split
		}
	}
	return ev
}

func (s *Schedule) down(nodes []int32) {
	for _, v := range nodes {
		s.alive[v] = false
	}
}

func (s *Schedule) up() []int32 { return s.members(s.alive) }

// members are the nodes in set, ascending.
func (s *Schedule) members(set []bool) []int32 {
	s.list = s.list[:0]
	for u, in := range set {
		if in {
			s.list = append(s.list, int32(u))
		}
	}
	return s.list
}

// draw picks k of the nodes in set uniformly (a partial Fisher-Yates
// shuffle of them, ascending, drawn with node = which and index = the
// pick's number), all of them when there are fewer.
func (s *Schedule) draw(r, which int, set []bool, k int) []int32 {
	pool := s.members(set)
	k = min(k, len(pool))
	if k <= 0 {
		return nil
	}
	d := s.r.Seed.Draws(r, PurposeChurn)
	for i := range k {
		j := i + int(d.IntN(which, i, uint64(len(pool)-i)))
		pool[i], pool[j] = pool[j], pool[i]
	}
	return append([]int32(nil), pool[:k]...)
}

// partition splits the alive nodes into p's groups: shuffled (drawn with
// node = the partition's place in the list, index = the position), then
// cut at p.Bounds. A node down at the split is put in a group of its own
// drawn share (index n + its number), for when it comes back.
func (s *Schedule) partition(r, pi int, p engine.Partition) *engine.Split {
	n := len(s.alive)
	d := s.r.Seed.Draws(r, PurposePartition)
	row := s.up()
	for i := 0; i+1 < len(row); i++ {
		j := i + int(d.IntN(pi, i, uint64(len(row)-i)))
		row[i], row[j] = row[j], row[i]
	}
	sp := &engine.Split{Round: int32(p.Round), Heal: int32(p.Heal), Oneway: p.Oneway, Group: make([]int8, n)}
	lo := 0
	for g, hi := range p.Bounds(len(row)) {
		for _, v := range row[lo:hi] {
			sp.Group[v] = int8(g)
		}
		lo = hi
	}
	bounds := p.Bounds(1 << 20)
	for u := range n {
		if !s.alive[u] {
			x := int(d.IntN(pi, n+u, 1<<20))
			g := 0
			for bounds[g] <= x {
				g++
			}
			sp.Group[u] = int8(g)
		}
	}
	return sp
}

// Cut is whether the partition in force drops a message from u to v.
func (s *Schedule) Cut(u, v int) bool {
	return s.split.Drops(u, v)
}

// Flows is whether information can pass from u to v under the partition
// in force: along a push or push-pull request u sends v, or an
// anti-entropy exchange; in pull (without anti-entropy) only along an
// answer, which needs v's request to reach u first.
func (s *Schedule) Flows(u, v int) bool {
	if s.Cut(u, v) {
		return false
	}
	return s.r.Mode != engine.Pull || s.r.AE.Every > 0 || !s.Cut(v, u)
}

// KeepsPending is whether a node that will come back after round r, and
// by max_rounds, keeps a rumor it knew (knows): until then a trial that
// went quiet may wake up again. One that knew none comes back as empty as
// a node that forgot, and wakes nothing.
func (s *Schedule) KeepsPending(r int, knows func(u int) bool) bool {
	for fi, f := range s.r.Failures {
		if !f.KeepState || f.Recover <= r || !engine.Happens(f.Recover, s.r.MaxRounds) {
			continue
		}
		for _, u := range s.owed[fi] {
			if knows(int(u)) {
				return true
			}
		}
	}
	return false
}

// reachSplit is reachOf under the partition in force: the alive nodes
// information can flow to from an alive node that knows, along edges the
// partition lets it pass (Flows). On the complete graph it works on the
// groups, which every node of a group shares.
func reachSplit(g Graph, alive, knows func(int) bool, s *Schedule) int {
	n := g.Nodes()
	if _, ok := g.(Complete); ok {
		k := 0
		for _, x := range s.split.Group {
			k = max(k, int(x)+1)
		}
		size, rep := make([]int, k), make([]int, k) // alive per group, and one alive member
		seen := make([]bool, k)
		var queue []int
		for u := range n {
			if !alive(u) {
				continue
			}
			x := int(s.split.Group[u])
			size[x]++
			rep[x] = u
			if knows(u) && !seen[x] {
				seen[x] = true
				queue = append(queue, x)
			}
		}
		total := 0
		for i := 0; i < len(queue); i++ {
			a := queue[i]
			total += size[a]
			for b := range k {
				if !seen[b] && size[b] > 0 && s.Flows(rep[a], rep[b]) {
					seen[b] = true
					queue = append(queue, b)
				}
			}
		}
		return total
	}
	seen := make([]bool, n)
	var queue []int32
	for u := range n {
		if alive(u) && knows(u) {
			seen[u] = true
			queue = append(queue, int32(u))
		}
	}
	for i := 0; i < len(queue); i++ {
		u := int(queue[i])
		for _, v := range g.Neighbours(u) {
			if !seen[v] && alive(int(v)) && s.Flows(u, int(v)) {
				seen[v] = true
				queue = append(queue, v)
			}
		}
	}
	return len(queue)
}
