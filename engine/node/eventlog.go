package node

import (
	"strings"
	"sync"
)

// eventLog keeps the most recent events in a fixed ring, so no amount of
// traffic can grow a node's memory.
type eventLog struct {
	mu    sync.Mutex
	ring  []Event
	next  int
	count int
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
	l.ring[l.next] = e
	l.next = (l.next + 1) % len(l.ring)
	l.count = min(l.count+1, len(l.ring))
	l.mu.Unlock()
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

func (l *eventLog) reset() {
	l.mu.Lock()
	clear(l.ring)
	l.next, l.count = 0, 0
	l.mu.Unlock()
}
