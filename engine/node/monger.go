package node

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gossipbench/gossipbench/engine/protocol"
)

// mongerState is a mongering node's protocol: its state per rumor, changed
// only by the protocol core's rules, and the round those states are in.
//
// Round boundaries are lazy: the first event of round r at the node (its
// RunRound(r), an injection, or gossip of round r arriving first) ends the
// round before. Its recorded contacts are applied in the canonical order
// of their messages (by sender, then slot), every state is settled, and
// round r is planned (its peers, what each push carries), so that the
// answers the node gives in round r read the counts after its own pushes,
// whatever order requests arrive in. In lockstep every exchange of round
// r-1 is over before round r starts.
type mongerState struct {
	on       bool
	st       []protocol.RumorState // by rumor
	ids      []string              // the message ID of each rumor
	round    int
	contacts []contact
	peers    []int32   // round's peers, in slot order
	carried  [][]int32 // what the push (half) of each slot carries
}

// contact is one contact of the node for one rumor, applied at the round's
// end: sender and slot name its message (the node's own push, or a request
// it received) and key its coin.
type contact struct {
	sender, slot int
	rumor        int32
	counted      bool
}

var errStale = errors.New("gossip of a round this node has ended")

// resetMongerLocked puts the node's mongering at round 0, nothing known.
func (n *Node) resetMongerLocked() {
	m := &n.mg
	*m = mongerState{on: n.rules.World() || n.cfg.PerRumor}
	if !m.on {
		return
	}
	c := n.rules.Rumors.N()
	m.st, m.ids = make([]protocol.RumorState, c), make([]string, c)
	for i := range m.st {
		m.st[i] = protocol.Susceptible()
		m.ids[i] = MessageID(RumorData(i))
	}
}

// mongering is whether the node mongers rumors.
func (n *Node) mongering() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.mg.on
}

// enterLocked makes r the node's round, ending the one it was in.
func (n *Node) enterLocked(r int) error {
	m, rules := &n.mg, n.rules
	if r < m.round {
		return fmt.Errorf("%w: round %d, the node is in round %d", errStale, r, m.round)
	}
	n.round = r // the round GET /state reports
	if r == m.round {
		return nil
	}
	slices.SortStableFunc(m.contacts, func(a, b contact) int {
		return cmp.Or(cmp.Compare(a.sender, b.sender), cmp.Compare(a.slot, b.slot))
	})
	for _, c := range m.contacts {
		rules.Contact(&m.st[c.rumor], m.round, n.cfg.ID, int(c.rumor), c.sender, c.slot, c.counted)
	}
	for i := range m.st {
		rules.Settle(&m.st[i])
	}
	m.round, m.contacts, m.peers, m.carried = r, m.contacts[:0], nil, nil
	if n.faulty() || len(n.cfg.Peers) < 2 || !rules.Acts(rules.Spreads(m.st, r)) {
		return nil // a failed node is silent; in push one without news too
	}
	m.peers = slices.Clone(rules.Graph.Sampler().Peers(rules.PeerDraws(r), n.cfg.ID, n.cfg.Fanout))
	for range m.peers {
		m.carried = append(m.carried, rules.SlotCarries(nil, r, m.st))
	}
	return nil
}

// knewLocked are the rumors the node knew at the start of round r: its
// digest, and what its anti-entropy messages carry.
func (n *Node) knewLocked(r int) []int32 {
	var out []int32
	for i := range n.mg.st {
		if n.mg.st[i].Knew(r) {
			out = append(out, int32(i))
		}
	}
	return out
}

// countLocked is how many rumors the node holds infective and removed at
// the start of round r.
func (n *Node) countLocked(r int) (infective, removed int) {
	for i := range n.mg.st {
		s := &n.mg.st[i]
		switch {
		case s.Removed:
			removed++
		case s.Knew(r):
			infective++
		}
	}
	return infective, removed
}

// learnLocked learns rumor i in round r; it reports whether it was new.
// The message joins the node's store too, for GET /state and /metrics.
func (n *Node) learnLocked(i int32, r int, origin int64, gossip bool) bool {
	if !n.mg.st[i].Learn(r) {
		return false
	}
	idx := i
	msg := Message{ID: n.mg.ids[i], Data: RumorData(int(i)), Origin: origin, Rumor: &idx}
	_, _ = n.mergeLocked([]Message{msg}, r, gossip) // at most MaxRumors small messages: always fits
	return true
}

// messagesLocked are rumors as messages on the wire.
func (n *Node) messagesLocked(rumors []int32) []Message {
	out := make([]Message, len(rumors))
	for k, i := range rumors {
		idx := i
		out[k] = Message{ID: n.mg.ids[i], Data: RumorData(int(i)), Rumor: &idx}
		if kn := n.known[n.mg.ids[i]]; kn != nil {
			out[k].Origin = kn.Origin
		}
	}
	return out
}

// rumorsLocked reads the rumor indices off messages from outside: each
// must name a rumor of the trial and be that rumor's message.
func (n *Node) rumorsLocked(msgs []Message) ([]int32, error) {
	out := make([]int32, 0, len(msgs))
	for k, m := range msgs {
		switch {
		case m.Rumor == nil:
			return nil, fmt.Errorf("messages[%d]: a mongering node needs each message's rumor index", k)
		case *m.Rumor < 0 || int(*m.Rumor) >= len(n.mg.st):
			return nil, fmt.Errorf("messages[%d]: rumor %d is not one of the trial's 0 to %d", k, *m.Rumor, len(n.mg.st)-1)
		case m.ID != n.mg.ids[*m.Rumor] || m.Data != RumorData(int(*m.Rumor)):
			return nil, fmt.Errorf("messages[%d]: not the message of rumor %d", k, *m.Rumor)
		}
		out = append(out, *m.Rumor)
	}
	return out, nil
}

// Inject starts rumor i at a mongering node in round r (the harness's
// POST /control/inject): it is the rumor's source.
func (n *Node) InjectRumor(i, r int) (DataResponse, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case !n.mg.on:
		return DataResponse{}, errors.New("the node does not monger rumors (no stop, rumors, max_rumors, anti_entropy or per_rumor in its config)")
	case i < 0 || i >= len(n.mg.st) || r < 0:
		return DataResponse{}, fmt.Errorf("rumor %d of 0 to %d at round %d: no such rumor, or a negative round", i, len(n.mg.st)-1, r)
	}
	if err := n.enterLocked(r); err != nil {
		return DataResponse{}, err
	}
	added := n.learnLocked(int32(i), r, time.Now().UnixNano(), false)
	if added {
		n.log.add(Event{At: time.Now(), Kind: "injected", Peer: -1, What: "data", Round: r, Info: n.mg.ids[i]})
	}
	return DataResponse{ID: n.mg.ids[i], New: added}, nil
}
