package live

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Event names of GET /api/events (see README, "gossipbench live").
const (
	evGossip   = "gossip"   // one gossip message: gossipEvent
	evMessage  = "message"  // a message was sent, or is now fully spread: message, without its curve
	evLearned  = "learned"  // a node learned a message: learnedEvent
	evNode     = "node"     // a node crashed or came back: nodeEvent
	evReset    = "reset"    // every node forgot everything: {}
	evConfig   = "config"   // the parameters changed: configBody
	evCounters = "counters" // the nodes' Prometheus counters, summed: countersBody
	evDropped  = "dropped"  // gossip messages the nodes' logs dropped unread: {"count": N}
)

// gossipEvent is one gossip message as a node logged it: a push or
// request from From to To, or the answer to a request, from From (the
// asked) to To (the asker).
type gossipEvent struct {
	At      time.Time `json:"at"`
	From    int       `json:"from"`
	To      int       `json:"to"`
	Kind    string    `json:"kind"`    // push, request, answer
	Outcome string    `json:"outcome"` // useful, redundant, lost, failed
}

// learnedEvent is a node learning a message sent through the API: T is
// the seconds since it was sent, the message's summary as it is now.
type learnedEvent struct {
	Node    int     `json:"node"`
	T       float64 `json:"t"`
	Message message `json:"message"`
}

func learnedOf(m *message, i int, at time.Time) learnedEvent {
	return learnedEvent{Node: i, T: max(0, at.Sub(m.SentAt).Seconds()), Message: m.public(false)}
}

type nodeEvent struct {
	ID    int    `json:"id"`
	URL   string `json:"url"`
	Alive bool   `json:"alive"`
}

// hub hands every event to every subscriber. A subscriber that falls
// behind by more than subBuffer events is dropped (its stream ends, and
// an EventSource reconnects and reads /api/state again), so a slow page
// cannot hold the cluster back or grow this process's memory.
type hub struct {
	mu     sync.Mutex
	subs   map[chan []byte]struct{}
	closed bool
}

const subBuffer = 1 << 14

func newHub() *hub { return &hub{subs: map[chan []byte]struct{}{}} }

func (h *hub) publish(name string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		return // every event is a plain struct: cannot happen
	}
	frame := []byte(fmt.Sprintf("event: %s\ndata: %s\n\n", name, data))
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- frame:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// subscribe returns a new subscriber's channel, closed when it is dropped
// or the hub closes; nil once the hub is closed.
func (h *hub) subscribe() chan []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	ch := make(chan []byte, subBuffer)
	h.subs[ch] = struct{}{}
	return ch
}

func (h *hub) unsubscribe(ch chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}

// handleEvents streams the events as server-sent events until the client
// goes, falls behind, or the server stops.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	ch := s.hub.subscribe()
	if ch == nil {
		writeError(w, http.StatusServiceUnavailable, "shutting down")
		return
	}
	defer s.hub.unsubscribe(ch)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write limit
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// The first line tells the client the stream is open: events from
	// here on reach it (a test's sync point, and the page's).
	fmt.Fprint(w, "retry: 1000\n: open\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case frame, ok := <-ch:
			if !ok {
				return
			}
			if _, err := w.Write(frame); err != nil {
				return
			}
			// Whatever else is queued goes in the same write.
			for more := true; more; {
				select {
				case f, ok := <-ch:
					if !ok {
						rc.Flush()
						return
					}
					if _, err := w.Write(f); err != nil {
						return
					}
				default:
					more = false
				}
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}
