package live

import (
	"context"
	"github.com/gossipbench/gossipbench/internal/results"
	"net/http"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
	"github.com/gossipbench/gossipbench/report/replay"
)

// Paths of the API (README, "gossipbench live").
const (
	PathMessages = "/api/messages"
	PathState    = "/api/state"
	PathEvents   = "/api/events"
	PathReset    = "/api/reset"
	PathConfig   = "/api/config"
	pathNodes    = "/api/nodes/"
)

// handler is the whole API and the page, behind the nodes' guard: the
// same Host, cross-origin, content-type and size rules as a node's
// control endpoints.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(PathMessages, node.Only(http.MethodPost, s.handleMessage))
	mux.HandleFunc(PathState, node.Only(http.MethodGet, s.handleState))
	mux.HandleFunc(PathEvents, node.Only(http.MethodGet, s.handleEvents))
	mux.HandleFunc(PathReset, node.Only(http.MethodPost, s.handleReset))
	mux.HandleFunc(PathConfig, node.Only(http.MethodPut, s.handleConfig))
	mux.HandleFunc(pathNodes+"{id}/crash", node.Only(http.MethodPost, s.handleCrash))
	mux.HandleFunc(pathNodes+"{id}/restart", node.Only(http.MethodPost, s.handleRestart))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint %s; see README, gossipbench live", r.URL.Path)
	})
	servePage(mux)
	return node.Guard(node.GuardOptions{}, mux)
}

var writeError = node.WriteError

// controlTimeout bounds one API call's work on the nodes.
const controlTimeout = 30 * time.Second

// messageRequest is the body of POST /api/messages.
type messageRequest struct {
	Data string `json:"data"`
	Node *int   `json:"node,omitempty"`
}

type messageResponse struct {
	ID   string `json:"id"`
	Node int    `json:"node"`
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) {
	var req messageRequest
	if !node.DecodeJSON(w, r, &req) {
		return
	}
	if len(req.Data) == 0 || len(req.Data) > node.MaxMessageSize {
		writeError(w, http.StatusBadRequest, "data must be 1 to %d bytes, got %d", node.MaxMessageSize, len(req.Data))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
	defer cancel()
	s.clMu.Lock()
	defer s.clMu.Unlock()
	id := node.MessageID(req.Data)
	s.mu.Lock()
	_, dup := s.v.byID[id]
	to := -1
	switch {
	case dup:
	case req.Node == nil:
		to = s.v.pick()
	case *req.Node >= 0 && *req.Node < s.opts.Nodes:
		to = *req.Node
	}
	s.mu.Unlock()
	switch {
	case dup:
		writeError(w, http.StatusConflict, "message %s (this data) was sent already; send other data, or reset", id)
		return
	case req.Node != nil && to < 0:
		writeError(w, http.StatusBadRequest, "node must be from 0 to %d, got %d", s.opts.Nodes-1, *req.Node)
		return
	case to < 0 || !s.c.Alive(to):
		writeError(w, http.StatusConflict, "no alive node to send to (node %d is crashed); restart it first", to)
		return
	}
	at := time.Now()
	if err := s.c.Call(ctx, http.MethodPost, to, node.PathData, node.DataRequest{Data: req.Data}, nil); err != nil {
		writeError(w, http.StatusBadGateway, "node %d did not take the message: %v", to, err)
		return
	}
	s.mu.Lock()
	m := &message{ID: id, Data: req.Data, Node: to, SentAt: at, alive: s.v.aliveCount()}
	s.v.messages = append(s.v.messages, m)
	s.v.byID[id] = m
	s.v.learned(to, id, at)
	// Under the lock, as the followers publish what nodes learn: the
	// page sees the message and its source before any node's news of it.
	s.hub.publish(evMessage, m.public(false))
	s.hub.publish(evLearned, learnedOf(m, to, at))
	s.mu.Unlock()
	node.WriteJSON(w, http.StatusOK, messageResponse{ID: id, Node: to})
}

// stateBody is GET /api/state.
type stateBody struct {
	Nodes    []nodeState  `json:"nodes"`
	Messages []message    `json:"messages"`
	Config   configBody   `json:"config"`
	Counters countersBody `json:"counters"`
	// Layout is where the page draws each node: x0, y0, x1, y1, ... in
	// [0, 1] (report/replay's layout, so live and replays look alike; on
	// a topology, Graph's).
	Layout []float64 `json:"layout"`
	// Graph is the topology the nodes gossip on; absent for the complete
	// graph.
	Graph *results.ReplayGraph `json:"graph,omitempty"` // drawn as a replay's graph is
}

type nodeState struct {
	ID    int      `json:"id"`
	URL   string   `json:"url"`
	Alive bool     `json:"alive"`
	Known []string `json:"known"` // message IDs, in the order learned
}

// configBody is PUT /api/config (every member optional) and the config
// in GET /api/state and the config event (every member set).
type configBody struct {
	Fanout   *int           `json:"fanout,omitempty"`
	Mode     *engine.Mode   `json:"mode,omitempty"`
	Loss     *float64       `json:"loss,omitempty"`
	Interval *node.Duration `json:"interval,omitempty"`
	// Topology is fixed for live's life: PUT may repeat it, not change it.
	Topology *topologyBody `json:"topology,omitempty"`
}

// configNow is the cluster's config as the API shows it; call with clMu
// held.
func (s *Server) configNow() configBody {
	cfg := s.c.Config()
	d := node.Duration(cfg.Net.Interval)
	t := topologyOf(cfg.Topology)
	return configBody{Fanout: &cfg.Fanout, Mode: &cfg.Mode, Loss: &cfg.Loss, Interval: &d, Topology: &t}
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	// The view alone: a state read does not wait for the follower's tick.
	s.mu.Lock()
	body := stateBody{Config: s.v.config, Counters: s.v.countersBody(), Messages: []message{}}
	for i := range s.v.alive {
		ns := nodeState{ID: i, URL: s.v.urls[i], Alive: s.v.alive[i], Known: []string{}}
		for id := range s.v.known[i] {
			ns.Known = append(ns.Known, id)
		}
		body.Nodes = append(body.Nodes, ns)
	}
	for _, m := range s.v.messages {
		body.Messages = append(body.Messages, m.public(true))
	}
	s.mu.Unlock()
	if body.Graph = s.graph; s.graph != nil {
		for _, p := range s.graph.Layout {
			body.Layout = append(body.Layout, p[0], p[1])
		}
	} else {
		for _, p := range replay.Layout(s.opts.Nodes) {
			body.Layout = append(body.Layout, p.X, p.Y)
		}
	}
	node.WriteJSON(w, http.StatusOK, body)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
	defer cancel()
	s.clMu.Lock()
	defer s.clMu.Unlock()
	// Quiet, then the last of the logs, then forget: the messages sent
	// before the reset are shown and not counted as dropped.
	if err := s.c.StopFree(ctx); err != nil {
		writeError(w, http.StatusBadGateway, "stopping the nodes: %v", err)
		return
	}
	_ = s.followOnce(ctx, s.f, 1)
	if err := s.c.ResetNodes(ctx, true); err != nil {
		writeError(w, http.StatusBadGateway, "resetting the nodes: %v", err)
		return
	}
	s.mu.Lock()
	s.v.reset()
	s.mu.Unlock()
	s.hub.publish(evReset, struct{}{})
	node.WriteJSON(w, http.StatusOK, struct{}{})
}

func (s *Server) handleConfig(w http.ResponseWriter, r *http.Request) {
	var req configBody
	if !node.DecodeJSON(w, r, &req) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), controlTimeout)
	defer cancel()
	s.clMu.Lock()
	defer s.clMu.Unlock()
	cfg := s.c.Config()
	if req.Fanout != nil {
		cfg.Fanout = *req.Fanout
	}
	if req.Mode != nil {
		cfg.Mode = *req.Mode
	}
	if req.Loss != nil {
		cfg.Loss = *req.Loss
	}
	if req.Interval != nil {
		cfg.Net.Interval = time.Duration(*req.Interval)
	}
	if err := checkParams(cfg.Nodes, cfg.Fanout, cfg.Loss, cfg.Net.Interval); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if err := checkSameTopology(cfg.Topology, req.Topology); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if err := s.c.Reconfigure(ctx, cfg, true); err != nil {
		writeError(w, http.StatusBadGateway, "reconfiguring the nodes: %v", err)
		return
	}
	body := s.configNow()
	s.mu.Lock()
	s.v.config = body
	s.mu.Unlock()
	s.hub.publish(evConfig, body)
	node.WriteJSON(w, http.StatusOK, body)
}
