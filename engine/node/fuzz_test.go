package node

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzHandlers throws arbitrary methods, paths and bodies at a node's
// handler: it never panics, answers every malformed request with a 4xx (or
// 507 when full), and outside input never grows its log or state past
// their bounds.
func FuzzHandlers(f *testing.F) {
	seeds := []struct {
		method, path, body string
	}{
		{"POST", PathData, `{"data":"hello"}`},
		{"POST", PathData, `{"data":""}`},
		{"POST", PathData, `{"data":"a"}]`},
		{"POST", PathGossip, `{"from":1,"round":2,"kind":"push","messages":[{"id":"8ea9c6f1fb3bb2d7","data":"x"}]}`},
		{"POST", PathGossip, `{"from":1,"round":0,"kind":"request","digest":["a","b"]}`},
		{"POST", PathGossip, `{"kind":"gossip"}`},
		{"PUT", PathConfig, `{"id":0,"peers":["http://127.0.0.1:1"],"mode":"push","fanout":1,"seed":3}`},
		{"POST", PathStart, `{"interval":"-1s","jitter":0.5}`},
		{"GET", PathLog + "?limit=-1", ""},
		{"DELETE", PathState, ""},
		{"POST", "/nope", "{"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, []byte(s.body))
	}
	n := New(Options{LogSize: 16})
	defer n.Close()
	h := n.Handler()
	f.Fuzz(func(t *testing.T, method, path string, body []byte) {
		switch path {
		case PathStart, PathCrash, PathRound:
			// Timers and crashes outlive one input, and a round dials the
			// configured peers, which fuzzed input could point anywhere;
			// these handlers have their own tests.
			return
		}
		req, err := http.NewRequest(method, "http://node"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if code := rec.Code; code >= 500 && code != http.StatusInsufficientStorage {
			t.Fatalf("%s %s %q: %d %s", method, path, body, code, rec.Body)
		}
		if got := len(n.log.recent(1 << 20)); got > 16 {
			t.Fatalf("log holds %d events, bound 16", got)
		}
		if st := n.State(); st.Count > MaxMessages {
			t.Fatalf("state holds %d messages", st.Count)
		}
	})
}
