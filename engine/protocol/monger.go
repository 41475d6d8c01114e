package protocol

import (
	"slices"

	"github.com/gossipbench/gossipbench/engine"
)

// RumorState is what one node is for one rumor (docs/design.md, "Stop
// rules"): susceptible (Learned < 0), infective (knows it and spreads it)
// or removed (knows it and has stopped). Every engine keeps one per node
// and rumor and changes it only through the functions below.
type RumorState struct {
	Learned int32 // the round the node learned the rumor in; -1: never
	Count   int32 // counted contacts so far (counter)
	Sent    int32 // transmissions so far: what the queue orders by
	// Pending are the round's answers that carried the rumor, added to
	// Sent at its end: answers are not ordered among themselves.
	Pending  int32
	Stopping bool // the round's contacts removed it; it is removed at the round's end
	Removed  bool
}

// Susceptible is the state of a node that does not know a rumor.
func Susceptible() RumorState { return RumorState{Learned: -1} }

// Knew is whether the node knew the rumor at the start of round r.
func (s *RumorState) Knew(r int) bool { return s.Learned >= 0 && int(s.Learned) < r }

// Known is whether the node knows the rumor now.
func (s *RumorState) Known() bool { return s.Learned >= 0 }

// Infective is whether the node spreads the rumor in round r.
func (s *RumorState) Infective(r int) bool { return s.Knew(r) && !s.Removed }

// Learn marks the rumor learned in round r; it reports whether it was new.
func (s *RumorState) Learn(r int) bool {
	if s.Learned >= 0 {
		return false
	}
	*s = RumorState{Learned: int32(r)}
	return true
}

// Mongering is whether the trial mongers rumors (Config.Mongering).
func (r *Rules) Mongering() bool { return r.mongering }

// World is whether the trial runs on the World, with per-node state:
// it mongers rumors or has faults over time (Config.World).
func (r *Rules) World() bool { return r.world }

// Transmits is the transmit limit L, 0 unless the rule is transmits.
func (r *Rules) Transmits() int { return r.limit }

// exhausted is whether a node has sent the rumor its L times.
func (r *Rules) exhausted(s *RumorState) bool { return r.limit > 0 && int(s.Sent) >= r.limit }

// PushCarries appends to dst the rumors node st (its states, by rumor)
// carries in its next push, or the push half of its next push-pull
// request, in round: its infective rumors that have transmissions left,
// at most Packet.MaxRumors of them, the fewest transmitted first (ties:
// the newest rumor first, as memberlist's queue orders them). Call it
// slot by slot in slot order: each carried rumor counts one
// transmission at once, so the next slot sees it.
func (r *Rules) PushCarries(dst []int32, round int, st []RumorState) []int32 {
	start := len(dst)
	dst = r.pick(dst, st, func(_ int, s *RumorState) bool { return s.Infective(round) && !r.exhausted(s) }, nil)
	for _, i := range dst[start:] {
		st[i].Sent++
	}
	return dst
}

// SlotCarries appends to dst what node st's message in its next slot of
// round carries of its own: in pull nothing (a request asks), else its
// push (PushCarries). Every engine plans a node's slots with it, in slot
// order.
func (r *Rules) SlotCarries(dst []int32, round int, st []RumorState) []int32 {
	if r.Mode == engine.Pull {
		return dst
	}
	return r.PushCarries(dst, round, st)
}

// AnswerCarries appends to dst the rumors node st's answer to a request
// carries in round: its infective rumors that have transmissions left
// after the node's own pushes of the round, at most Packet.MaxRumors, in
// the queue's order but those the asker's digest lacks (askerKnew) first,
// for a budget is best spent on news. Without a budget an answer carries
// every rumor the node spreads, as Demers' pull does: the digest only
// tells feedback, and under transmits a node that answered only askers
// who lack the rumor would never use up its L once everyone knows. Each
// counts as a transmission at the round's end (Settle), so every answer
// of a round sees the same counts whatever order requests arrive in.
func (r *Rules) AnswerCarries(dst []int32, round int, st []RumorState, askerKnew func(rumor int) bool) []int32 {
	start := len(dst)
	dst = r.pick(dst, st, func(_ int, s *RumorState) bool { return s.Infective(round) && !r.exhausted(s) }, askerKnew)
	for _, i := range dst[start:] {
		st[i].Pending++
	}
	return dst
}

// pick appends the eligible rumors in queue order, at most the budget,
// those for which later is true after all the others (nil: none).
func (r *Rules) pick(dst []int32, st []RumorState, ok func(int, *RumorState) bool, later func(int) bool) []int32 {
	start := len(dst)
	for i := range st {
		if ok(i, &st[i]) {
			dst = append(dst, int32(i))
		}
	}
	if r.budget == 0 || len(dst)-start <= r.budget {
		return dst
	}
	got := dst[start:]
	slices.SortFunc(got, func(a, b int32) int {
		if later != nil {
			if la, lb := later(int(a)), later(int(b)); la != lb {
				if la {
					return 1
				}
				return -1
			}
		}
		if d := st[a].Sent - st[b].Sent; d != 0 {
			return int(d)
		}
		return int(b - a) // newest first
	})
	got = got[:r.budget]
	slices.Sort(got) // carried in rumor order, whatever the queue's
	return dst[:start+r.budget]
}

// PushCounted is whether a push that carried a rumor counts as a contact
// of its sender: blind, every one, lost or not; with feedback, a delivered
// one to a peer that knew the rumor at the start of the round.
func (r *Rules) PushCounted(delivered, peerKnew bool) bool {
	return !r.Stop.Feedback || delivered && peerKnew
}

// RequestCounted is whether a request that reached an infective node
// counts as its contact for a rumor it spreads: blind, always; with
// feedback, when the asker's digest had the rumor.
func (r *Rules) RequestCounted(askerKnew bool) bool { return !r.Stop.Feedback || askerKnew }

// Contact applies one contact of node for rumor, in round, to its state.
// A round's contacts of a node are applied in the canonical order of
// their messages (by sender, then slot: the node's own pushes at its own
// ID, each request received at its asker's); sender and slot name the
// message and key the coin, so that no engine depends on arrival order.
func (r *Rules) Contact(s *RumorState, round, node, rumor, sender, slot int, counted bool) {
	if s.Stopping {
		return
	}
	switch r.Stop.Rule {
	case engine.StopCounter:
		switch {
		case counted:
			s.Count++
			s.Stopping = int(s.Count) >= r.Stop.K
		case r.Stop.Reset:
			s.Count = 0
		}
	case engine.StopCoin:
		s.Stopping = counted && r.coin.Hit(r.coinDraws(round, rumor, node), sender, slot)
	}
}

// coinDraws are the coins of one node and rumor in a round.
func (r *Rules) coinDraws(round, rumor, node int) Draws {
	d := r.Seed.Draws(round, PurposeStop)
	return Draws{key: mix(d.key ^ mix(uint64(uint32(rumor))<<32|uint64(uint32(node))))}
}

// Settle ends a round for one state: the answers' transmissions are
// added, and a node whose contacts or transmissions removed it stops.
func (r *Rules) Settle(s *RumorState) {
	s.Sent += s.Pending
	s.Pending = 0
	if s.Stopping || s.Known() && r.exhausted(s) {
		s.Removed, s.Stopping = true, false
	}
}
