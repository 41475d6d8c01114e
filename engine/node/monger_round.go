package node

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// mongerRound is lockstep round r of a mongering node: it ends its last
// round (see mongerState), reports what it holds, then sends its round's
// pushes or requests as planned and, in an anti-entropy round, its one
// full exchange after them, as the canonical order has it.
func (n *Node) mongerRound(ctx context.Context, r int) RoundReport {
	n.roundMu.Lock()
	defer n.roundMu.Unlock()

	n.mu.Lock()
	rep := RoundReport{Round: r}
	if err := n.enterLocked(r); err != nil {
		rep.Round = n.mg.round // the harness asked for a round this node has ended
		n.mu.Unlock()
		return rep
	}
	cfg, rules := n.cfg, n.rules
	rep.Infective, rep.Removed = n.countLocked(r)
	rep.Knew = rules.Spreads(n.mg.st, r)
	peers, carried := slices.Clone(n.mg.peers), slices.Clone(n.mg.carried)
	knew := n.knewLocked(r)
	// Every message's contents, built once under the lock: the slots'
	// pushes and, in an anti-entropy round, everything the node knew.
	msgs := make([][]Message, len(carried))
	for slot := range carried {
		msgs[slot] = n.messagesLocked(carried[slot])
	}
	var all []Message
	if rules.AE.At(r) {
		all = n.messagesLocked(knew)
	}
	n.mu.Unlock()

	n.m.rounds.Inc()
	if n.faulty() || len(cfg.Peers) < 2 {
		return rep
	}
	kind := KindRequest
	if rules.Kind() == engine.KindPush {
		kind = KindPush
	}
	in0, out0 := n.http.bytes.in.Load(), n.http.bytes.out.Load()
	for slot, p := range peers {
		if kind == KindPush && len(carried[slot]) == 0 {
			continue // transmits: sent its L times in the earlier slots
		}
		req := GossipRequest{From: cfg.ID, Round: r, Epoch: cfg.Epoch, Kind: kind, Slot: &slot, Messages: msgs[slot]}
		if rules.Answered() {
			req.Have = knew
		}
		lost := rules.Lost(r, cfg.ID, slot)
		n.mongerExchange(ctx, int(p), &req, carried[slot], lost, func() bool { return rules.AnswerLost(r, cfg.ID, slot) }, &rep)
	}
	if rules.AE.At(r) {
		if v, ok := rules.AntiEntropyPeer(rules.Graph.Sampler(), r, cfg.ID); ok {
			zero := 0
			req := GossipRequest{From: cfg.ID, Round: r, Epoch: cfg.Epoch, Kind: KindRequest, Slot: &zero,
				Messages: all, AntiEntropy: true}
			n.mongerExchange(ctx, v, &req, knew, rules.AntiEntropyLost(r, cfg.ID),
				func() bool { return rules.AntiEntropyAnswerLost(r, cfg.ID) }, &rep)
		}
	}
	in, out := n.http.bytes.in.Load()-in0, n.http.bytes.out.Load()-out0
	rep.Bytes = in + out
	n.m.bytes.WithLabelValues("received").Add(float64(in))
	n.m.bytes.WithLabelValues("sent").Add(float64(out))
	return rep
}

// mongerExchange sends one message of the node's round (its push or
// request in a slot, or its anti-entropy request) to peer p and takes in
// the answer, recording its push contacts for the round's end and
// reporting each message with the rumors it carried and taught. lost is
// the message's loss, answerLost draws its answer's.
func (n *Node) mongerExchange(ctx context.Context, p int, req *GossipRequest, carried []int32, lost bool,
	answerLost func() bool, rep *RoundReport) {
	self, slot, r := int32(req.From), *req.Slot, req.Round
	kind, label := engine.KindPush, LabelPush
	if req.Kind == KindRequest {
		kind, label = engine.KindRequest, LabelRequest
	}
	var msgs []engine.Edge
	var events []Event
	var carries, taught [][]int32
	add := func(e engine.Edge, ev Event, c, t []int32) {
		msgs, events = append(msgs, e), append(events, ev)
		carries, taught = append(carries, c), append(taught, t)
	}
	sent := func(o engine.Outcome, logKind, info string, t []int32) {
		add(engine.Edge{From: self, To: int32(p), Kind: kind, Outcome: o},
			Event{At: time.Now(), Kind: logKind, Peer: p, What: label, Round: r, Outcome: OutcomeOf(o), Info: info}, carried, t)
	}
	// A push carrying rumors is a contact of its sender for each, lost or
	// not; whether it counts is the rule's (feedback needs it delivered
	// to a peer that knew the rumor). Anti-entropy is no contact.
	contacts := func(delivered bool, knew []int32) {
		if req.AntiEntropy {
			return
		}
		rules := n.rules
		n.mu.Lock()
		defer n.mu.Unlock()
		if n.mg.round != r {
			return // the node was moved on under the exchange: the harness sees its counts differ
		}
		for _, i := range carried {
			n.mg.contacts = append(n.mg.contacts, contact{sender: int(self), slot: slot, rumor: i,
				counted: rules.PushCounted(delivered, slices.Contains(knew, i))})
		}
	}
	defer func() {
		n.counted(msgs, events)
		rep.count(msgs, true)
		rep.Carried = append(rep.Carried, carries...)
		rep.Taught = append(rep.Taught, taught...)
	}()
	start := time.Now()
	if lost {
		contacts(false, nil)
		sent(engine.Lost, "lost", "", nil)
		return
	}
	resp, err := n.tr.Exchange(ctx, p, req)
	if ctx.Err() != nil {
		return // the harness gave up: not a message
	}
	answerCut := errors.Is(err, ErrAnswerCut)
	if err != nil && !answerCut {
		contacts(false, nil)
		sent(engine.Failed, "failed", err.Error(), nil)
		return
	}
	n.m.latency.WithLabelValues(label).Observe(time.Since(start).Seconds())
	contacts(true, resp.Knew)
	if len(resp.Learned) > 0 {
		sent(engine.Useful, "sent", "", resp.Learned)
	} else {
		sent(engine.Redundant, "sent", "", nil)
	}
	if kind != engine.KindRequest {
		return
	}
	if answerCut {
		// Dropped by the network on its way back: what it carried never
		// came here. Its loss is drawn all the same, as for every answer,
		// and a lost one counts lost.
		o, logKind := engine.Failed, "failed"
		if answerLost() {
			o, logKind = engine.Lost, "lost"
		}
		add(engine.Edge{From: int32(p), To: self, Kind: engine.KindAnswer, Outcome: o},
			Event{At: time.Now(), Kind: logKind, Peer: p, What: LabelAnswer, Round: r, Outcome: OutcomeOf(o), Info: err.Error()}, nil, nil)
		return
	}
	n.mu.Lock()
	got, err := n.rumorsLocked(resp.Messages)
	info := ""
	if err != nil {
		info = err.Error() // the answer is not the trial's: nothing learned, the harness sees it
	}
	lostAnswer := answerLost()
	var learned []int32
	if n.mg.round == r && !lostAnswer {
		for k, i := range got {
			if n.learnLocked(i, r, resp.Messages[k].Origin, true) {
				learned = append(learned, i)
			}
		}
	}
	n.mu.Unlock()
	o, logKind := engine.Redundant, "received"
	switch {
	case lostAnswer:
		o, logKind = engine.Lost, "lost"
	case len(learned) > 0:
		o = engine.Useful
	}
	add(engine.Edge{From: int32(p), To: self, Kind: engine.KindAnswer, Outcome: o},
		Event{At: time.Now(), Kind: logKind, Peer: p, What: LabelAnswer, Round: r, Outcome: OutcomeOf(o), Info: info}, got, learned)
}
