package node

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzHandlers throws arbitrary methods, paths, bodies and the headers the
// guard reads (Content-Type, Host, Origin) at a node's handler: it never
// panics, answers every malformed request with a 4xx (or 507 when full,
// 503 when hanging), refuses anything not from its own origin, and outside
// input never grows its log or state past their bounds.
func FuzzHandlers(f *testing.F) {
	seeds := []struct {
		method, path, body, ctype, host, origin string
	}{
		{"POST", PathData, `{"data":"hello"}`, "application/json", "", ""},
		{"POST", PathData, `{"data":""}`, "application/json", "", ""},
		{"POST", PathData, `{"data":"a"}]`, "application/json", "", ""},
		{"POST", PathData, `{"Data":"a","data":"b"}`, "application/json", "", ""},
		{"POST", PathData, "{\"data\":\"\xff\"}", "application/json; charset=utf-8", "", ""},
		{"POST", PathData, `{"data":"hello"}`, "text/plain", "", ""},
		{"POST", PathReset, ``, "application/json", "", "http://evil.test"},
		{"POST", PathReset, ``, "application/json", "evil.test", ""},
		{"POST", PathGossip, `{"from":1,"round":2,"kind":"push","messages":[{"id":"8ea9c6f1fb3bb2d7","data":"x"}]}`, "application/json", "", ""},
		{"POST", PathGossip, `{"from":1,"round":0,"kind":"request","digest":["a","b"]}`, "application/json", "", ""},
		{"POST", PathGossip, `{"kind":"gossip"}`, "application/json", "", ""},
		{"PUT", PathConfig, `{"id":0,"peers":["http://127.0.0.1:1"],"mode":"push","fanout":1,"seed":3}`, "application/json", "", ""},
		{"PUT", PathConfig, `{"id":0,"peers":["http://u:p@10.0.0.1:1"],"mode":"push","fanout":1}`, "application/json", "", ""},
		{"PUT", PathConfig, `{"id":0,"peers":["http://127.0.0.1:1","http://127.0.0.1:2"],"mode":"pushpull","fanout":1,"stop":{"rule":"coin","k":2,"feedback":true},"rumors":{"count":3,"every":1},"max_rumors":1,"anti_entropy":2}`, "application/json", "", ""},
		{"POST", PathInject, `{"rumor":1,"round":0}`, "application/json", "", ""},
		{"POST", PathGossip, `{"from":1,"round":1,"kind":"request","slot":0,"have":[0,2],"messages":[{"id":"` + MessageID(RumorData(2)) + `","data":"` + RumorData(2) + `","rumor":2}]}`, "application/json", "", ""},
		{"POST", PathGossip, `{"from":1,"round":3,"kind":"request","slot":0,"anti_entropy":true}`, "application/json", "", ""},
		{"POST", PathFault, `{"kind":"hang"}`, "application/json", "", ""},
		{"POST", PathStart, `{"interval":"-1s","jitter":0.5}`, "application/json", "", ""},
		{"GET", PathLog + "?limit=-1", "", "", "", ""},
		{"GET", PathLog + "?after=18446744073709551615&limit=5", "", "", "", ""},
		{"GET", PathState + "?limit=1&after=nope", "", "", "", ""},
		{"DELETE", PathState, "", "", "", ""},
		{"POST", "/nope", "{", "application/json", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, []byte(s.body), s.ctype, s.host, s.origin)
	}
	n := New(Options{LogSize: 16})
	defer n.Close()
	h := n.Handler()
	f.Fuzz(func(t *testing.T, method, path string, body []byte, ctype, host, origin string) {
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		switch req.URL.Path {
		case PathStart, PathCrash, PathRound:
			// Timers and crashes outlive one input, and a round dials the
			// configured peers; these handlers have their own tests.
			return
		}
		n.Heal() // a hang set by an earlier input would hold this one
		if host != "" {
			req.Host = host
		}
		for k, v := range map[string]string{"Content-Type": ctype, "Origin": origin} {
			if v != "" {
				req.Header.Set(k, v)
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch code := rec.Code; {
		case code >= 500 && code != http.StatusInsufficientStorage:
			t.Fatalf("%s %s %q: %d %s", method, path, body, code, rec.Body)
		case code < 300 && !hostAllowed(n.opts.Hosts, req):
			t.Fatalf("%s %s with Host %q: %d, want 403", method, path, req.Host, code)
		case code < 300 && req.Method != http.MethodGet && !jsonBody(req): // an empty method is GET
			t.Fatalf("%s %s as %q: %d, want 415", method, path, ctype, code)
		case code < 300 && req.Method != http.MethodGet && origin != "" && origin != "http://"+req.Host:
			t.Fatalf("%s %s from %q to %q: %d, want 403", method, path, origin, req.Host, code)
		}
		if got := len(n.log.recent(1 << 20)); got > 16 {
			t.Fatalf("log holds %d events, bound 16", got)
		}
		if st := n.State(); st.Count > MaxMessages {
			t.Fatalf("state holds %d messages", st.Count)
		}
	})
}
