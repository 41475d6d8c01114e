package live

import (
	"math"
	"sort"
	"time"

	"github.com/gossipbench/gossipbench/engine/cluster"
)

// view is what live knows of the cluster: who is up, who knows which
// message since when, and what each message sent through the API cost.
// It is the one source of GET /api/state and of the state-change events.
type view struct {
	urls     []string
	alive    []bool
	known    []map[string]time.Time // per node: message ID -> when it learned it
	messages []*message
	byID     map[string]*message
	next     int // round robin: the node the next message without a node goes to
	config   configBody

	// Counters: per node, the last read and what earlier lives of the node
	// counted (a restarted process counts from 0 again).
	last, base []cluster.Counters
	dropped    int // gossip messages whose log events the nodes dropped before they were read
}

// message is one message sent through POST /api/messages.
type message struct {
	ID     string    `json:"id"`
	Data   string    `json:"data"`
	Node   int       `json:"node"`
	SentAt time.Time `json:"sent_at"`
	// Informed is how many alive nodes know it now.
	Informed int `json:"informed"`
	// FullAt is when every alive node first knew it; null until then.
	FullAt *time.Time `json:"full_at"`
	// Curve is, in order, the seconds from SentAt to each node's learning
	// it (the nodes' own clocks, Known.At): the curve of informed nodes.
	Curve []float64 `json:"curve,omitempty"`
	// T50, T99 and T100 are the seconds until half, 99 % and all of the
	// nodes alive when it was sent knew it; null until then.
	T50  *float64 `json:"t50"`
	T99  *float64 `json:"t99"`
	T100 *float64 `json:"t100"`
	// Cost is the gossip messages the cluster sent while it spread: from
	// SentAt to FullAt (or now). Messages under way at once share them.
	Cost  int `json:"cost"`
	alive int // nodes alive when it was sent: T50, T99 and T100 count against it
	// sends holds the times of the gossip messages counted in Cost
	// until FullAt is known, so that those after it are taken back.
	sends []time.Time
}

// maxSends bounds a message's sends; past it Cost counts on without them.
const maxSends = 100_000

func newView(n int, urls []string) *view {
	v := &view{urls: append([]string(nil), urls...), alive: make([]bool, n), known: make([]map[string]time.Time, n),
		byID: map[string]*message{}, last: make([]cluster.Counters, n), base: make([]cluster.Counters, n)}
	for i := range v.alive {
		v.alive[i] = true
		v.known[i] = map[string]time.Time{}
	}
	return v
}

func (v *view) aliveCount() int {
	k := 0
	for _, a := range v.alive {
		if a {
			k++
		}
	}
	return k
}

// learned records that node i knows message id since at; it reports the
// message's change (nil if it is no message of the API's, or not news).
func (v *view) learned(i int, id string, at time.Time) *message {
	if !v.alive[i] {
		return nil
	}
	if _, ok := v.known[i][id]; ok {
		return nil
	}
	v.known[i][id] = at
	m := v.byID[id]
	if m == nil {
		return nil
	}
	m.Informed++
	t := math.Max(0, at.Sub(m.SentAt).Seconds())
	k := sort.SearchFloat64s(m.Curve, t)
	m.Curve = append(m.Curve, 0)
	copy(m.Curve[k+1:], m.Curve[k:])
	m.Curve[k] = t
	v.settle(m, at)
	return m
}

// settle updates m's times to 50/99/100 % and, once every alive node
// knows it, its FullAt and Cost.
func (v *view) settle(m *message, at time.Time) {
	need := func(f float64) int { return max(1, int(math.Ceil(f*float64(m.alive)-1e-9))) }
	for _, q := range []struct {
		f float64
		t **float64
	}{{0.5, &m.T50}, {0.99, &m.T99}, {1, &m.T100}} {
		// Again each time: a node sampled late may have learned it
		// earlier than those already in the curve.
		if len(m.Curve) >= need(q.f) {
			t := m.Curve[need(q.f)-1]
			*q.t = &t
		}
	}
	if m.FullAt == nil && m.Informed >= v.aliveCount() {
		full := at
		for _, k := range v.known {
			if t, ok := k[m.ID]; ok && t.After(full) {
				full = t
			}
		}
		m.FullAt = &full
		cost := 0
		for _, t := range m.sends {
			if !t.After(full) {
				cost++
			}
		}
		if len(m.sends) < maxSends {
			m.Cost = cost
		}
		m.sends = nil
	}
}

// sent counts one gossip message, sent at, against every message still
// spreading.
func (v *view) sent(at time.Time) {
	for _, m := range v.messages {
		switch {
		case at.Before(m.SentAt):
		case m.FullAt != nil:
			// Read after it was full, but sent before: a sender logs a
			// message once its exchange is over, after its receiver
			// learned from it.
			if !at.After(*m.FullAt) {
				m.Cost++
			}
		default:
			m.Cost++
			if len(m.sends) < maxSends {
				m.sends = append(m.sends, at)
			}
		}
	}
}

// down marks node i crashed: what it knew is gone with it, and a message
// every other node knows is now fully spread.
func (v *view) down(i int, at time.Time) []*message {
	v.alive[i] = false
	for id := range v.known[i] {
		if m := v.byID[id]; m != nil {
			m.Informed--
		}
	}
	v.known[i] = map[string]time.Time{}
	var changed []*message
	for _, m := range v.messages {
		if m.FullAt == nil {
			v.settle(m, at)
			if m.FullAt != nil {
				changed = append(changed, m)
			}
		}
	}
	return changed
}

// reset forgets every message: the nodes have forgotten them too.
func (v *view) reset() {
	for i := range v.known {
		v.known[i] = map[string]time.Time{}
	}
	v.messages, v.byID, v.next = nil, map[string]*message{}, 0
}

// pick is the node a message without one goes to: the next alive node
// after the last one picked, round robin, as a load balancer would; -1 if
// none is alive.
func (v *view) pick() int {
	n := len(v.alive)
	for k := 0; k < n; k++ {
		i := (v.next + k) % n
		if v.alive[i] {
			v.next = (i + 1) % n
			return i
		}
	}
	return -1
}

// counted takes node i's counters as just read.
func (v *view) counted(i int, c cluster.Counters) {
	if c.Sent < v.last[i].Sent {
		v.base[i] = v.base[i].Add(v.last[i]) // a new process: counting from 0
	}
	v.last[i] = c
}

// totals is every node's counters, over all its lives.
func (v *view) totals() cluster.Counters {
	var t cluster.Counters
	for i := range v.last {
		t = t.Add(v.base[i]).Add(v.last[i])
	}
	return t
}

// public is a copy of m to hand out, with its curve or without.
func (m *message) public(curve bool) message {
	c := *m
	c.sends = nil
	c.Curve = nil
	if curve {
		c.Curve = append([]float64{}, m.Curve...)
	}
	return c
}

// countersBody is the counters event and GET /api/state's counters.
type countersBody struct {
	Sent       float64 `json:"sent"`
	Delivered  float64 `json:"delivered"`
	Lost       float64 `json:"lost"`
	Failed     float64 `json:"failed"`
	Useful     float64 `json:"useful"`
	Redundant  float64 `json:"redundant"`
	Bytes      float64 `json:"bytes"`
	Redundancy float64 `json:"redundancy"` // redundant / delivered, 0 before any delivery
	Dropped    int     `json:"dropped"`    // log events the nodes dropped before live read them
}

func (v *view) countersBody() countersBody {
	t := v.totals()
	b := countersBody{Sent: t.Sent, Delivered: t.Delivered, Lost: t.Lost, Failed: t.Failed,
		Useful: t.Useful, Redundant: t.Redundant, Bytes: t.Bytes, Dropped: v.dropped}
	if t.Delivered > 0 {
		b.Redundancy = t.Redundant / t.Delivered
	}
	return b
}
