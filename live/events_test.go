package live

import (
	"net/http"
	"testing"
	"time"
)

// A subscriber that does not read is dropped once it is subBuffer events
// behind, and the others go on receiving.
func TestHubDropsSlowSubscribers(t *testing.T) {
	h := newHub()
	slow, fast := h.subscribe(), h.subscribe()
	got := 0
	for i := 0; i <= subBuffer; i++ {
		h.publish(evReset, struct{}{})
		<-fast
		got++
	}
	n := 0
	for range slow { // closed once dropped: the loop ends
		n++
	}
	if n != subBuffer || got != subBuffer+1 {
		t.Errorf("slow subscriber got %d events before it was dropped, want %d; fast got %d", n, subBuffer, got)
	}
	h.close()
	if _, open := <-fast; open {
		t.Error("close left a subscriber open")
	}
	if h.subscribe() != nil {
		t.Error("a closed hub took a subscriber")
	}
}

// Close ends the open event streams, and new ones are refused.
func TestCloseEndsStreams(t *testing.T) {
	checkNoLeaks(t)
	s, err := Start(t.Context(), testOptions(3))
	if err != nil {
		t.Fatal(err)
	}
	ev := stream(t, s)
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	for range ev {
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return")
	}
	if _, err := http.Get(s.URL()); err == nil {
		t.Error("the server still answers after Close")
	}
}
