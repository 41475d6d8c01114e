package node

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/gossipbench/gossipbench/engine"
)

// eventLog keeps the most recent events in a fixed ring, so no amount of
// traffic can grow a node's memory. Events are numbered 1, 2, ... for the
// node's life (a reset empties the ring, not the numbering), so a reader
// can ask for what came after the last event it saw (GET /log?after=).
type eventLog struct {
	mu    sync.Mutex
	ring  []Event
	next  int
	count int
	seq   uint64 // the last event's number
}

func newEventLog(size int) *eventLog { return &eventLog{ring: make([]Event, size)} }

// maxInfo bounds an event's Info (an error text may quote what a peer
// sent), so the ring bounds GET /log in bytes too.
const maxInfo = 256

func (l *eventLog) add(e Event) {
	if len(e.Info) > maxInfo {
		e.Info = strings.ToValidUTF8(e.Info[:maxInfo], "") + "..."
	}
	l.mu.Lock()
	l.seq++
	e.Seq = l.seq
	l.ring[l.next] = e
	l.next = (l.next + 1) % len(l.ring)
	l.count = min(l.count+1, len(l.ring))
	l.mu.Unlock()
}

// last is the number of the last event logged.
func (l *eventLog) last() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// recent returns up to limit events, newest first.
func (l *eventLog) recent(limit int) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := min(limit, l.count)
	out := make([]Event, n)
	for i := 0; i < n; i++ {
		out[i] = l.ring[(l.next-1-i+len(l.ring))%len(l.ring)]
	}
	return out
}

// since returns up to limit of the events numbered above after that the
// ring still holds, oldest first: a reader pages on from the last one's
// Seq. Events the ring dropped before they were asked for are gone.
func (l *eventLog) since(after uint64, limit int) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Event{}
	for i := l.count - 1; i >= 0 && len(out) < limit; i-- {
		if e := l.ring[(l.next-1-i+len(l.ring))%len(l.ring)]; e.Seq > after {
			out = append(out, e)
		}
	}
	return out
}

func (l *eventLog) reset() {
	l.mu.Lock()
	clear(l.ring)
	l.next, l.count = 0, 0
	l.mu.Unlock()
}

// Outcome is what became of a message a node counts, in an Event: its
// JSON is engine.OutcomeNames' name ("useful", "redundant", "lost",
// "failed"); the zero value is no message of the node's own and is left
// out.
type Outcome uint8

// OutcomeOf is the Event outcome of an engine outcome.
func OutcomeOf(o engine.Outcome) Outcome { return Outcome(o) + 1 }

// Engine is the engine's outcome; ok is false for the zero Outcome.
func (o Outcome) Engine() (out engine.Outcome, ok bool) {
	if o == 0 || int(o) > len(engine.OutcomeNames) {
		return 0, false
	}
	return engine.Outcome(o - 1), true
}

func (o Outcome) MarshalJSON() ([]byte, error) {
	e, ok := o.Engine()
	if !ok {
		return json.Marshal("")
	}
	return json.Marshal(engine.OutcomeNames[e])
}

func (o *Outcome) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("outcome must be text: %w", err)
	}
	for i, name := range engine.OutcomeNames {
		if s == name {
			*o = OutcomeOf(engine.Outcome(i))
			return nil
		}
	}
	if s == "" {
		*o = 0
		return nil
	}
	return fmt.Errorf("outcome must be one of %s, got %q", strings.Join(engine.OutcomeNames, ", "), s)
}
