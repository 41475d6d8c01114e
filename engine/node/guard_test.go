package node

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// raw sends one request with exactly the headers given (Host is the
// request's Host) and reads the answer.
func (c *client) raw(method, url, body string, hdr map[string]string) response {
	c.t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: b}
}

// A web page in the user's browser can reach a node on 127.0.0.1: it must
// not be able to change it (CSRF: simple bodies, cross-origin requests)
// nor read it under its own name (DNS rebinding).
func TestBrowserCannotDriveTheNode(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{Hosts: []string{"gossip.test"}})[0]
	c := newClient(t)
	u := n.URL()
	self := strings.TrimPrefix(u, "http://")
	_, port, _ := net.SplitHostPort(self)
	c.json(post, u+PathData, DataRequest{Data: "keep"}, nil)
	js := "application/json"
	config := `{"id":0,"peers":["` + u + `"],"mode":"push","fanout":1}`
	bad := []struct {
		name, method, path, body string
		hdr                      map[string]string
		code                     int
	}{
		{"reset as text/plain", post, PathReset, "", map[string]string{"Content-Type": "text/plain"}, 415},
		{"reset without a type", post, PathReset, "", nil, 415},
		{"stop as a form", post, PathStop, "a=b", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"crash as text/plain", post, PathCrash, `{}`, map[string]string{"Content-Type": "text/plain"}, 415},
		{"config as text/plain", put, PathConfig, config, map[string]string{"Content-Type": "text/plain"}, 415},
		{"data as text/plain", post, PathData, `{"data":"x"}`, map[string]string{"Content-Type": "text/plain"}, 415},
		{"gossip as text/plain", post, PathGossip, `{"kind":"push"}`, map[string]string{"Content-Type": "text/plain"}, 415},
		{"reset from another origin", post, PathReset, "", map[string]string{"Content-Type": js, "Origin": "http://evil.test"}, 403},
		{"reset from origin null", post, PathReset, "", map[string]string{"Content-Type": js, "Origin": "null"}, 403},
		{"crash cross-site", post, PathCrash, `{}`, map[string]string{"Content-Type": js, "Sec-Fetch-Site": "cross-site"}, 403},
		{"data same-site", post, PathData, `{"data":"x"}`, map[string]string{"Content-Type": js, "Sec-Fetch-Site": "same-site"}, 403},
		{"config via a rebound name", put, PathConfig, config, map[string]string{"Content-Type": js, "Host": "evil.test:" + port}, 403},
		{"state via a rebound name", get, PathState, "", map[string]string{"Host": "evil.test:" + port}, 403},
		{"state via a rebound name, no port", get, PathState, "", map[string]string{"Host": "evil.test"}, 403},
		{"loopback IP, other port", get, PathState, "", map[string]string{"Host": "127.0.0.1:1"}, 403},
		{"localhost, other port", get, PathState, "", map[string]string{"Host": "localhost"}, 403},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, c.raw(tt.method, u+tt.path, tt.body, tt.hdr), tt.code)
		})
	}
	if s := c.state(n); s.Count != 1 || refused(n) {
		t.Fatalf("refused requests changed the node: %d messages, refused %v", s.Count, refused(n))
	}
	allowed := []map[string]string{
		{"Host": self},
		{"Host": "localhost:" + port},
		{"Host": "LocalHost:" + port},
		{"Host": "[::1]:" + port},
		{"Host": "127.0.0.2:" + port},
		{"Host": "gossip.test:" + port}, // Options.Hosts
		{"Host": "gossip.test"},         // at the default port: the name was allowed
		{"Origin": u, "Sec-Fetch-Site": "same-origin"},
		{"Sec-Fetch-Site": "none"}, // typed into the address bar
	}
	for _, hdr := range allowed {
		hdr["Content-Type"] = "application/json; charset=utf-8"
		if r := c.raw(post, u+PathData, `{"data":"fine"}`, hdr); r.code != http.StatusOK {
			t.Errorf("POST /data with %v: %d %s", hdr, r.code, r.body)
		}
	}
}

// The node's JSON is read strictly: what encoding/json lets through
// (member names in any case, a member twice, invalid UTF-8 replaced
// silently) is a 400, and the node learns nothing from it.
func TestStrictJSON(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	c := newClient(t)
	for _, body := range []string{
		`{"Data":"x"}`,
		`{"DATA":"x"}`,
		`{"data":"x","data":"y"}`,
		"{\"data\":\"bad \xff byte\"}",
		`{"data":"lone \ud800 surrogate"}`,
	} {
		wantError(t, c.do(post, n.URL()+PathData, body), http.StatusBadRequest)
	}
	wantError(t, c.do(post, n.URL()+PathGossip, `{"kind":"push","Kind":"request"}`), http.StatusBadRequest)
	wantError(t, c.do(put, n.URL()+PathConfig, `{"id":0,"ID":1,"peers":[],"mode":"push","fanout":1}`), http.StatusBadRequest)
	if s := c.state(n); s.Count != 0 {
		t.Fatalf("the node learned %d messages from bad JSON", s.Count)
	}
}

// A node posts its messages to its peers: whoever can reach
// /control/config must not aim it at other machines, nor hand it
// credentials to forward.
func TestPeersStayOnThisMachine(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{})[0]
	c := newClient(t)
	u := n.URL()
	config := func(peer string) Config {
		return Config{ID: 0, Peers: []string{u, peer}, Mode: "push", Fanout: 1}
	}
	bad := []string{
		"http://10.1.2.3:80", "http://example.com:80", "http://[2001:db8::1]:80", "http://0.0.0.0:80",
		"http://user:pw@127.0.0.1:1", "http://user@127.0.0.1:1", "http://127.0.0.1:1/x", "http://127.0.0.1:1/",
		"http://127.0.0.1:1?a=b", "http://127.0.0.1:1#f", "https://127.0.0.1:1", "file:///etc/passwd",
		"127.0.0.1:1", "", "http://", "http://localhost.evil.test:1",
		"http://127.0.0.1:99999", "http://127.0.0.1:0", "http://127.0.0.1:", "http://127.0.0.1:x",
	}
	for _, p := range bad {
		wantError(t, c.do(put, u+PathConfig, config(p)), http.StatusBadRequest)
	}
	for _, p := range []string{"http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "http://127.9.9.9:1"} {
		c.json(put, u+PathConfig, config(p), nil)
	}

	// Nor does a peer's redirect take the messages elsewhere.
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a redirect took the node's %s %s elsewhere", r.Method, r.URL)
	}))
	defer elsewhere.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+PathGossip, http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	c.json(put, u+PathConfig, config(redirector.URL), nil)
	c.json(post, u+PathData, DataRequest{Data: "secret"}, nil)
	if rep := n.RunRound(t.Context(), 1); rep.Failed != 1 {
		t.Errorf("a push answered by a redirect: %+v, want failed", rep)
	}

	// Remote peers only when the node was started so, and then with a token.
	remote := New(Options{RemotePeers: true})
	if err := remote.Listen("127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "needs a control token") {
		t.Errorf("a node allowing remote peers listened without a token: %v", err)
	}
	remote.Close()
	remote = startNodes(t, 1, Options{RemotePeers: true, ControlToken: "t"})[0]
	if err := remote.Configure(config("http://10.1.2.3:80")); err != nil {
		t.Errorf("remote peer refused with RemotePeers: %v", err)
	}
	if err := remote.Configure(config("http://user:pw@10.1.2.3:80")); err == nil {
		t.Errorf("a peer with credentials accepted with RemotePeers")
	}
}

// The token rule: every loopback address is token-free (other machines
// cannot reach it); anything else, or allowing remote peers, needs one.
// It is decided on the address bound, as the README says.
func TestTokenRule(t *testing.T) {
	checkLeaks(t)
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:0", "localhost:0", "[::1]:0"} {
		n := New(Options{})
		err := n.Listen(addr)
		n.Close()
		if err != nil && !(addr == "[::1]:0" && strings.Contains(err.Error(), "cannot assign")) {
			t.Errorf("Listen(%q) without a token: %v", addr, err)
		}
	}
	for addr, want := range map[string]bool{"127.0.0.1:1": false, "127.0.0.2:1": false, "[::1]:1": false,
		"localhost:1": false, "0.0.0.0:1": true, ":1": true, "10.0.0.1:1": true, "example.com:1": true} {
		if got := NeedsToken(addr, false); got != want {
			t.Errorf("NeedsToken(%q) = %v", addr, got)
		}
		if !NeedsToken(addr, true) {
			t.Errorf("NeedsToken(%q, remote peers) = false", addr)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Serve(ctx, Options{}, "0.0.0.0:0", io.Discard); err == nil || !strings.Contains(err.Error(), "needs a control token") {
		t.Errorf("Serve on 0.0.0.0 without a token: %v", err)
	}
}
