package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves the node's whole API.
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(PathData, only(http.MethodPost, n.handleData))
	mux.HandleFunc(PathState, only(http.MethodGet, n.handleState))
	mux.HandleFunc(PathLog, only(http.MethodGet, n.handleLog))
	mux.Handle(PathMetrics, only(http.MethodGet, promhttp.HandlerFor(relabelled{n.m.reg, &n.label}, promhttp.HandlerOpts{}).ServeHTTP))
	mux.HandleFunc(PathGossip, only(http.MethodPost, n.handleGossip))
	mux.HandleFunc(PathConfig, only(http.MethodPut, n.handleConfig))
	mux.HandleFunc(PathRound, only(http.MethodPost, n.handleRound))
	mux.HandleFunc(PathReset, only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		n.Reset()
		writeJSON(w, http.StatusOK, struct{}{})
	}))
	mux.HandleFunc(PathCrash, only(http.MethodPost, n.handleCrash))
	mux.HandleFunc(PathInject, only(http.MethodPost, n.handleInject))
	mux.HandleFunc(PathStart, only(http.MethodPost, n.handleStart))
	mux.HandleFunc(PathFault, only(http.MethodPost, n.handleFault))
	mux.HandleFunc(PathPartition, only(http.MethodPut, n.handlePartition))
	mux.HandleFunc(PathStop, only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		n.Stop()
		writeJSON(w, http.StatusOK, struct{}{})
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint %s; see GET /state, GET /log, GET /metrics, POST /data", r.URL.Path)
	})
	return n.guard(mux)
}

// only answers 405, with Allow, to any other method, and 415 to a body
// (of a state-changing request) not declared application/json.
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != method:
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, "%s takes %s, not %s", r.URL.Path, method, r.Method)
		case method != http.MethodGet && !jsonBody(r):
			writeError(w, http.StatusUnsupportedMediaType, "%s %s needs Content-Type: application/json, got %q",
				method, r.URL.Path, r.Header.Get("Content-Type"))
		default:
			h(w, r)
		}
	}
}

// writeJSON sends v with a Content-Length, so that a flushed answer is a
// complete one even if the connection is cut right after (see handleCrash).
func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		code, body = http.StatusInternalServerError, []byte(`{"error":"cannot encode the answer"}`)
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, ErrorResponse{Error: fmt.Sprintf(format, args...)})
}

func (n *Node) handleData(w http.ResponseWriter, r *http.Request) {
	var req DataRequest
	if !decode(w, r, &req) {
		return
	}
	resp, err := n.Inject(req.Data)
	switch {
	case errors.Is(err, errFull):
		writeError(w, http.StatusInsufficientStorage, "%v", err)
	case err != nil:
		writeError(w, http.StatusBadRequest, "%v", err)
	default:
		writeJSON(w, http.StatusOK, resp)
	}
}

func (n *Node) handleLog(w http.ResponseWriter, r *http.Request) {
	// The ring bounds the answer: at most LogSize events, each Info cut
	// short when it was logged.
	limit, ok := queryLimit(w, r, 100, n.opts.LogSize)
	if !ok {
		return
	}
	if s := r.URL.Query().Get("after"); s != "" {
		after, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "after must be an event's seq, a non-negative integer, got %q", s)
			return
		}
		writeJSON(w, http.StatusOK, n.log.since(after, limit))
		return
	}
	writeJSON(w, http.StatusOK, n.log.recent(limit))
}

func (n *Node) handleGossip(w http.ResponseWriter, r *http.Request) {
	if f := n.fault.Load(); f != nil {
		failGossip(w, r, f)
		return
	}
	var req GossipRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Kind != KindPush && req.Kind != KindRequest {
		writeError(w, http.StatusBadRequest, "kind must be %q or %q, got %q", KindPush, KindRequest, req.Kind)
		return
	}
	if req.Round < 0 {
		writeError(w, http.StatusBadRequest, "round must be 0 (free running) or more, got %d", req.Round)
		return
	}
	label := LabelPush
	if req.Kind == KindRequest {
		label = LabelRequest
	}
	n.mu.Lock()
	if req.Epoch != n.cfg.Epoch {
		epoch := n.cfg.Epoch
		n.mu.Unlock()
		writeError(w, http.StatusConflict, "gossip of epoch %d; this node is in epoch %d", req.Epoch, epoch)
		return
	}
	if !n.neighbourLocked(req.From) {
		// The rumor travels only along edges: gossip from a node that is
		// not a neighbour means the wiring is broken (a harness that sent
		// two nodes different graphs, a hand-wired row without its other
		// end), and taking it would spread the rumor where the trial has
		// no edge. Its sender counts the message failed, which a lockstep
		// harness reports as an error instead of a wrong row.
		id := n.cfg.ID
		n.mu.Unlock()
		writeError(w, http.StatusForbidden, "gossip from node %d, which is not a neighbour of node %d", req.From, id)
		return
	}
	if r.Context().Err() != nil {
		// The sender has given up (its timeout passed) and counts the
		// message failed: taking it now would inform this node behind the
		// sender's back.
		n.mu.Unlock()
		return
	}
	if n.mg.on {
		n.mongerGossip(w, &req, label) // unlocks
		return
	}
	learn := req.Round
	if learn == 0 {
		learn = n.round
	}
	added, err := n.mergeLocked(req.Messages, learn, true)
	var resp GossipResponse
	if (err == nil || errors.Is(err, errFull)) && req.Kind == KindRequest {
		resp.Messages = n.lackingLocked(req.Digest, req.Round)
	}
	n.mu.Unlock()
	if err != nil && !errors.Is(err, errFull) {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	resp.New = added // the asker counts the messages of its exchange
	n.log.add(Event{At: time.Now(), Kind: "received", Peer: req.From, What: label, Round: req.Round})
	writeJSON(w, http.StatusOK, resp)
}

// lackingLocked is what an asker with this digest lacks of what the node
// knew before round r (everything, for r = 0).
func (n *Node) lackingLocked(digest []string, r int) []Message {
	has := make(map[string]bool, len(digest))
	for _, id := range digest {
		has[id] = true
	}
	var out []Message
	for _, m := range n.snapshotLocked(r) {
		if !has[m.ID] {
			out = append(out, m)
		}
	}
	return fitBody(out)
}

func (n *Node) handleConfig(w http.ResponseWriter, r *http.Request) {
	var c Config
	if !decode(w, r, &c) {
		return
	}
	if err := n.Configure(c); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (n *Node) handleRound(w http.ResponseWriter, r *http.Request) {
	var req RoundRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Round < 1 {
		writeError(w, http.StatusBadRequest, "round must be 1 or more, got %d", req.Round)
		return
	}
	// A round lasts as long as its exchanges, up to fanout × the exchange
	// timeout when peers hang, which can be longer than the server's write
	// limit: that would cut the answer off and lose the round's counts. The
	// harness bounds the round instead, through the request's context.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	writeJSON(w, http.StatusOK, n.RunRound(r.Context(), req.Round))
}

func (n *Node) handleCrash(w http.ResponseWriter, r *http.Request) {
	var req CrashRequest
	if !decode(w, r, &req) {
		return
	}
	if req.For < 0 {
		writeError(w, http.StatusBadRequest, "for must not be negative")
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
	_ = http.NewResponseController(w).Flush()
	// Crash once this answer is on its way: closing the server from inside
	// its own handler would cut the answer off.
	go n.Crash(time.Duration(req.For))
}

func (n *Node) handleStart(w http.ResponseWriter, r *http.Request) {
	var req StartRequest
	if !decode(w, r, &req) {
		return
	}
	if time.Duration(req.Interval) < engine.MinInterval || req.Jitter < 0 || req.Jitter >= 1 {
		writeError(w, http.StatusBadRequest, "interval must be at least %v and jitter in [0, 1)", engine.MinInterval)
		return
	}
	if n.mongering() {
		writeError(w, http.StatusConflict, "a mongering node runs in lockstep only, not on its own timer")
		return
	}
	n.Start(time.Duration(req.Interval), req.Jitter)
	writeJSON(w, http.StatusOK, struct{}{})
}

// failGossip is a failing node's gossip endpoint: it hangs until the asker
// gives up or the fault ends (past maxHung held requests it answers 503 at
// once), or it answers nonsense. It counts nothing: the asker counts the
// message failed.
func failGossip(w http.ResponseWriter, r *http.Request, f *fault) {
	io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBody))
	if f.kind == engine.Hang {
		select {
		case f.hung <- struct{}{}:
			defer func() { <-f.hung }()
		default:
			writeError(w, http.StatusServiceUnavailable, "hanging, and holding %d requests already", maxHung)
			return
		}
		select {
		case <-r.Context().Done():
		case <-f.release:
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("\x00\xffnot gossip{{"))
}

func (n *Node) handleFault(w http.ResponseWriter, r *http.Request) {
	var req FaultRequest
	if !decode(w, r, &req) {
		return
	}
	var err error
	switch req.Kind {
	case "none":
		n.Heal()
	case engine.Hang.String():
		err = n.Fail(engine.Hang)
	case engine.Garbage.String():
		err = n.Fail(engine.Garbage)
	default:
		err = fmt.Errorf("kind must be hang, garbage or none, got %q", req.Kind)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
