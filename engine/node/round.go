package node

import (
	"context"
	"errors"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// RunRound runs lockstep round r (r >= 1): the node contacts its peers with
// what it knew before round r and reports every message of its exchanges.
func (n *Node) RunRound(ctx context.Context, r int) RoundReport {
	if n.mongering() {
		return n.mongerRound(ctx, r)
	}
	return n.runRound(ctx, r, r)
}

// runRound does one round. snapRound selects what the node acts on (0:
// everything it knows, for free running); round is the round of the
// protocol's draws and the one recorded for what the node learns.
//
// Every decision is the protocol core's (see docs/design.md, "Round
// semantics"): whether the node acts, its peers in slot order, whether
// each push, request and answer is lost, and what a message carries.
func (n *Node) runRound(ctx context.Context, snapRound, round int) RoundReport {
	n.roundMu.Lock()
	defer n.roundMu.Unlock()

	n.mu.Lock()
	n.round = round
	cfg, rules := n.cfg, n.rules
	snap := n.snapshotLocked(snapRound)
	n.mu.Unlock()

	informed := len(snap) > 0
	rep := RoundReport{Round: round, Knew: informed}
	n.m.rounds.Inc()
	if n.faulty() || !rules.Acts(informed) || len(cfg.Peers) < 2 {
		return rep // a failed node is silent; an uninformed one has nothing to push
	}
	req := GossipRequest{From: cfg.ID, Round: snapRound, Epoch: cfg.Epoch, Kind: KindRequest}
	if rules.Kind() == engine.KindPush {
		req.Kind = KindPush
	}
	if rules.Carries(informed) {
		req.Messages = fitBody(snap)
	}
	if rules.Answered() {
		req.Digest = ids(snap)
	}
	peers := rules.Graph.Sampler().Peers(rules.PeerDraws(round), cfg.ID, cfg.Fanout)
	in0, out0 := n.http.bytes.in.Load(), n.http.bytes.out.Load()
	for slot, p := range peers {
		n.exchange(ctx, rules, int(p), slot, &req, round, cfg.RecordEdges, &rep)
	}
	in, out := n.http.bytes.in.Load()-in0, n.http.bytes.out.Load()-out0
	rep.Bytes = in + out
	n.m.bytes.WithLabelValues("received").Add(float64(in))
	n.m.bytes.WithLabelValues("sent").Add(float64(out))
	return rep
}

// exchange sends one request (or push) to peer p in the node's slot and
// takes in the answer. Its messages are counted together, once the exchange
// is over, in the node's counters, its log and rep: all from the same
// list, so they agree. Useful and redundant are the node's own view (did
// the receiver learn something?); a harness that needs the canonical order
// of one round's deliveries judges them again (see cluster).
func (n *Node) exchange(ctx context.Context, rules *protocol.Rules, p, slot int, req *GossipRequest, round int, record bool, rep *RoundReport) {
	self := int32(req.From)
	kind, label := engine.KindPush, LabelPush
	if req.Kind == KindRequest {
		kind, label = engine.KindRequest, LabelRequest
	}
	var msgs []engine.Edge
	var events []Event
	defer func() {
		n.counted(msgs, events)
		rep.count(msgs, record)
	}()
	// sent is the fate of the push or request, answer that of its answer;
	// each is one message, one event.
	sent := func(at time.Time, o engine.Outcome, logKind, info string) {
		msgs = append(msgs, engine.Edge{From: self, To: int32(p), Kind: kind, Outcome: o})
		events = append(events, Event{At: at, Kind: logKind, Peer: p, What: label, Round: round, Outcome: OutcomeOf(o), Info: info})
	}
	start := time.Now()
	if rules.Lost(round, req.From, slot) {
		sent(start, engine.Lost, "lost", "")
		return
	}
	resp, err := n.tr.Exchange(ctx, p, req)
	if ctx.Err() != nil {
		return // stopped mid-exchange (Stop, or the harness gave up): not a message
	}
	answerCut := errors.Is(err, ErrAnswerCut)
	if err != nil && !answerCut {
		sent(start, engine.Failed, "failed", err.Error())
		return
	}
	n.m.latency.WithLabelValues(label).Observe(time.Since(start).Seconds())
	if resp.New > 0 {
		sent(start, engine.Useful, "sent", "")
	} else {
		sent(start, engine.Redundant, "sent", "")
	}
	if !rules.Answered() {
		return
	}
	// The answer: sent by p, counted here, where its fate is known. Its
	// loss is drawn by the asker, in the asker's slot, as the simulator
	// draws it.
	answer := func(o engine.Outcome, logKind, info string) {
		msgs = append(msgs, engine.Edge{From: int32(p), To: self, Kind: engine.KindAnswer, Outcome: o})
		events = append(events, Event{At: time.Now(), Kind: logKind, Peer: p, What: LabelAnswer, Round: round, Outcome: OutcomeOf(o), Info: info})
	}
	switch {
	case rules.AnswerLost(round, req.From, slot):
		answer(engine.Lost, "lost", "")
		return
	case answerCut: // dropped by the network on its way back (see ErrAnswerCut)
		answer(engine.Failed, "failed", err.Error())
		return
	}
	n.mu.Lock()
	added, err := n.mergeLocked(resp.Messages, round, true)
	n.mu.Unlock()
	info := ""
	if err != nil {
		info = err.Error() // what arrived was taken in part or not at all
	}
	if added > 0 {
		answer(engine.Useful, "received", info)
	} else {
		answer(engine.Redundant, "received", info)
	}
}

// counted counts an exchange's messages and logs their events in one step,
// under the lock every scrape takes: a scrape's MetricLogged is the number
// of the last event whose message its counters hold, so a reader of /log
// knows which scrape counted each message (see cluster's free running).
func (n *Node) counted(msgs []engine.Edge, events []Event) {
	t := n.m.tally
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range events {
		n.log.add(e)
	}
	t.addLocked(msgs)
}

// count adds an exchange's messages to the report.
func (rep *RoundReport) count(msgs []engine.Edge, record bool) {
	for _, e := range msgs {
		rep.Sent++
		switch e.Outcome {
		case engine.Useful:
			rep.Delivered++
			rep.Useful++
		case engine.Redundant:
			rep.Delivered++
			rep.Redundant++
		case engine.Lost:
			rep.Lost++
		case engine.Failed:
			rep.Failed++
		}
		if record {
			rep.Edges = append(rep.Edges, [4]int32{e.From, e.To, int32(e.Kind), int32(e.Outcome)})
		}
	}
}

// pushBudget bounds what one push or answer carries, well inside the 1 MiB
// a peer reads: the newest messages first, as rumor mongering sends what is
// hot. The rest travels in later rounds or answers.
const pushBudget = maxBody / 2

func fitBody(msgs []Message) []Message {
	size := 0
	for i := len(msgs) - 1; i >= 0; i-- {
		size += jsonSize(msgs[i].Data) + jsonSize(msgs[i].ID) + 64 // and the framing, the origin
		if size > pushBudget {
			return msgs[i+1:]
		}
	}
	return msgs
}

func ids(msgs []Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

// Start gossips on the node's own timer until Stop: every interval, give or
// take jitter (a fraction of it), as deployed gossip does.
func (n *Node) Start(interval time.Duration, jitter float64) {
	if n.mongering() {
		return // lockstep only; handleStart says so
	}
	n.freeMu.Lock()
	defer n.freeMu.Unlock()
	n.stopLocked(true)
	ctx, cancel := context.WithCancel(context.Background())
	// A round's exchanges outlive Stop: the harness stops free running to
	// count every message, and an exchange cut short would leave its
	// receiver informed by a message nobody counted.
	rctx, abort := context.WithCancel(context.Background())
	n.free, n.abort = cancel, abort
	n.mu.Lock()
	id, seed := n.cfg.ID, n.rules.Seed
	n.mu.Unlock()
	n.freeWG.Add(1)
	go func() {
		defer n.freeWG.Done()
		// Tick t is round t of the protocol's draws: free running keeps
		// its own timing, and draws its peers, its losses and its waits
		// from the same streams as lockstep.
		for tick := 1; ; tick++ {
			t := time.NewTimer(freeWait(seed, tick, id, interval, jitter))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			n.runRound(rctx, 0, tick)
		}
	}()
}

// freeWait is how long node id waits before its tick: interval, give or
// take jitter of it, drawn uniformly from the protocol's timer stream.
func freeWait(seed protocol.Seed, tick, id int, interval time.Duration, jitter float64) time.Duration {
	u := float64(seed.Draws(tick, protocol.PurposeTimer).Uint64(id, 0)>>11) / (1 << 53) // [0, 1)
	return time.Duration(float64(interval) * (1 + jitter*(2*u-1)))
}

// Stop ends free running and waits for the current round to finish, its
// exchanges answered or timed out.
func (n *Node) Stop() {
	n.freeMu.Lock()
	defer n.freeMu.Unlock()
	n.stopLocked(false)
}

// abortFree ends free running at once, cutting the current round's
// exchanges short: for Close and Reset, which count nothing after.
func (n *Node) abortFree() {
	n.freeMu.Lock()
	defer n.freeMu.Unlock()
	n.stopLocked(true)
}

func (n *Node) stopLocked(abort bool) {
	if n.free == nil {
		return
	}
	n.free()
	if abort {
		n.abort()
	}
	n.freeWG.Wait()
	n.abort()
	n.free, n.abort = nil, nil
}
