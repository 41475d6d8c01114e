package protocol

// The decisions of anti-entropy and of who acts, for every engine: the
// World runs them for the simulator and real nodes ask them for their own
// round (docs/design.md, "Stop rules").

// Spreads is whether a node with states st (by rumor) has a rumor to
// spread in round: in push, only such a node acts (Acts).
func (r *Rules) Spreads(st []RumorState, round int) bool {
	for i := range st {
		if st[i].Infective(round) {
			return true
		}
	}
	return false
}

// AntiEntropyPeer is node u's peer for its anti-entropy exchange in round,
// drawn by the graph's sampler s (one peer); ok is false for a node
// without neighbours.
func (r *Rules) AntiEntropyPeer(s Sampler, round, u int) (v int, ok bool) {
	peers := s.Peers(r.Seed.Draws(round, PurposeAntiEntropy), u, 1)
	if len(peers) == 0 {
		return 0, false
	}
	return int(peers[0]), true
}

// AntiEntropyLost is whether node u's anti-entropy request of round is lost.
func (r *Rules) AntiEntropyLost(round, u int) bool {
	return r.Loss.Hit(r.Seed.Draws(round, PurposeAntiEntropyLoss), u, 0)
}

// AntiEntropyAnswerLost is whether the answer to node u's anti-entropy
// request of round is lost on its way back.
func (r *Rules) AntiEntropyAnswerLost(round, u int) bool {
	return r.Loss.Hit(r.Seed.Draws(round, PurposeAntiEntropyAnswerLoss), u, 0)
}
