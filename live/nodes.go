package live

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gossipbench/gossipbench/engine/node"
)

// nodeOf reads {id} of /api/nodes/{id}/...; it answers 404 itself.
func (s *Server) nodeOf(w http.ResponseWriter, r *http.Request) (int, bool) {
	i, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || i < 0 || i >= s.opts.Nodes {
		writeError(w, http.StatusNotFound, "no node %q: nodes are 0 to %d", r.PathValue("id"), s.opts.Nodes-1)
		return 0, false
	}
	return i, true
}

func (s *Server) handleCrash(w http.ResponseWriter, r *http.Request) {
	i, ok := s.nodeOf(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
	defer cancel()
	s.clMu.Lock()
	defer s.clMu.Unlock()
	if !s.c.Alive(i) {
		writeError(w, http.StatusConflict, "node %d is crashed already", i)
		return
	}
	// Quiet first, then the last of its log: what it sent before it went
	// down is shown and counted.
	if err := s.c.StopNode(ctx, i); err != nil {
		writeError(w, http.StatusBadGateway, "%v", err)
		return
	}
	_ = s.followOnce(ctx, s.f, 1)
	if err := s.c.CrashNode(ctx, i); err != nil {
		writeError(w, http.StatusBadGateway, "%v", err)
		return
	}
	s.reportSD()
	s.mu.Lock()
	s.v.counted(i, s.c.Final(i))
	full := s.v.down(i, time.Now())
	ev := nodeEvent{ID: i, URL: s.v.urls[i], Alive: false}
	var msgs []message
	for _, m := range full {
		msgs = append(msgs, m.public(false))
	}
	s.mu.Unlock()
	s.hub.publish(evNode, ev)
	for _, m := range msgs {
		s.hub.publish(evMessage, m)
	}
	node.WriteJSON(w, http.StatusOK, ev)
}

func (s *Server) handleRestart(w http.ResponseWriter, r *http.Request) {
	i, ok := s.nodeOf(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
	defer cancel()
	s.clMu.Lock()
	defer s.clMu.Unlock()
	if s.c.Alive(i) {
		writeError(w, http.StatusConflict, "node %d is not crashed", i)
		return
	}
	if err := s.c.RestartNode(ctx, i, true); err != nil {
		writeError(w, http.StatusBadGateway, "%v", err)
		return
	}
	cnt, err := s.c.Counters(ctx, i)
	if err != nil {
		writeError(w, http.StatusBadGateway, "node %d restarted but does not answer: %v", i, err)
		return
	}
	s.f.restarted(i, cnt.Logged)
	s.reportSD()
	s.mu.Lock()
	s.v.urls = append(s.v.urls[:0], s.c.URLs()...)
	s.v.alive[i] = true
	s.v.counted(i, cnt)
	ev := nodeEvent{ID: i, URL: s.v.urls[i], Alive: true}
	s.mu.Unlock()
	s.hub.publish(evNode, ev)
	node.WriteJSON(w, http.StatusOK, ev)
}

// reportSD rewrites the Prometheus targets after a crash or restart; the
// node's change stands even if the file cannot be written, so the error
// goes to Options.Errors.
func (s *Server) reportSD() {
	if err := s.writeSD(); err != nil && s.opts.Errors != nil {
		fmt.Fprintf(s.opts.Errors, "gossipbench live: %v\n", err)
	}
}
