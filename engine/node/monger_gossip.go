package node

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// mongerGossip answers gossip at a mongering node; it is called with mu
// held, past the checks every node makes (epoch, neighbour), and unlocks.
func (n *Node) mongerGossip(w http.ResponseWriter, req *GossipRequest, label string) {
	resp, code, err := n.mongerGossipLocked(req)
	n.mu.Unlock()
	if err != nil {
		writeError(w, code, "%v", err)
		return
	}
	n.log.add(Event{At: time.Now(), Kind: "received", Peer: req.From, What: label, Round: req.Round})
	writeJSON(w, http.StatusOK, resp)
}

// mongerGossipLocked takes one gossip message at a mongering node and
// answers it (see handleGossip), with the status of a refusal. The
// protocol core decides everything: a push (or push-pull's push half)
// teaches its rumors and says which the node knew at the start of the
// round (the sender's feedback); a request is a contact for every rumor
// the node spreads and is answered with what AnswerCarries picks; an
// anti-entropy request teaches everything it carries and is answered with
// everything the node knew at the start of the round.
func (n *Node) mongerGossipLocked(req *GossipRequest) (GossipResponse, int, error) {
	var resp GossipResponse
	r := req.Round
	switch {
	case r < 1:
		return resp, http.StatusBadRequest, fmt.Errorf("a mongering node gossips in lockstep only: round must be 1 or more, got %d", r)
	case req.From < 0 || req.From >= len(n.cfg.Peers) || req.From == n.cfg.ID:
		return resp, http.StatusBadRequest, fmt.Errorf("from %d is no other node of the cluster", req.From)
	case req.Slot == nil:
		return resp, http.StatusBadRequest, errors.New("a mongering message needs its sender's slot")
	case *req.Slot < 0 || *req.Slot >= max(n.cfg.Fanout, 1) || req.AntiEntropy && *req.Slot != 0:
		return resp, http.StatusBadRequest, fmt.Errorf("slot %d is not one of a sender's 0 to %d (anti-entropy: 0)", *req.Slot, n.cfg.Fanout-1)
	case req.AntiEntropy && req.Kind != KindRequest:
		return resp, http.StatusBadRequest, errors.New("an anti-entropy exchange is a request")
	}
	carried, err := n.rumorsLocked(req.Messages)
	if err != nil {
		return resp, http.StatusBadRequest, err
	}
	has := make([]bool, len(n.mg.st))
	for k, i := range req.Have {
		if i < 0 || int(i) >= len(has) {
			return resp, http.StatusBadRequest, fmt.Errorf("have[%d]: rumor %d is not one of the trial's 0 to %d", k, i, len(has)-1)
		}
		has[i] = true
	}
	if err := n.enterLocked(r); err != nil {
		return resp, http.StatusConflict, err
	}
	st := n.mg.st
	for k, i := range carried {
		if st[i].Knew(r) {
			resp.Knew = append(resp.Knew, i)
		}
		if n.learnLocked(i, r, req.Messages[k].Origin, true) {
			resp.Learned = append(resp.Learned, i)
		}
	}
	resp.New = len(resp.Learned)
	switch {
	case req.Kind != KindRequest:
	case req.AntiEntropy:
		resp.Messages = n.messagesLocked(n.knewLocked(r))
	default:
		rules := n.rules
		for i := range st {
			if st[i].Infective(r) {
				n.mg.contacts = append(n.mg.contacts, contact{sender: req.From, slot: *req.Slot, rumor: int32(i),
					counted: rules.RequestCounted(has[i])})
			}
		}
		answer := rules.AnswerCarries(nil, r, st, func(i int) bool { return has[i] })
		resp.Messages = n.messagesLocked(answer)
	}
	return resp, http.StatusOK, nil
}

func (n *Node) handleInject(w http.ResponseWriter, r *http.Request) {
	var req InjectRequest
	if !decode(w, r, &req) {
		return
	}
	resp, err := n.InjectRumor(req.Rumor, req.Round)
	switch {
	case errors.Is(err, errStale):
		writeError(w, http.StatusConflict, "%v", err)
	case err != nil:
		writeError(w, http.StatusBadRequest, "%v", err)
	default:
		writeJSON(w, http.StatusOK, resp)
	}
}
