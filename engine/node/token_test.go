package node

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestControlNeedsTheToken(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{ControlToken: "s3cret"})[0]
	client := &http.Client{}
	defer client.CloseIdleConnections()
	do := func(method, path, auth, body string) int {
		req, _ := http.NewRequest(method, n.URL()+path, strings.NewReader(body))
		if method != http.MethodGet {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	cases := []struct {
		method, path, auth, body string
		want                     int
	}{
		{"POST", PathReset, "", "", http.StatusUnauthorized},
		{"POST", PathReset, "Bearer wrong", "", http.StatusUnauthorized},
		{"POST", PathCrash, "s3cret", `{}`, http.StatusUnauthorized},
		{"POST", PathReset, "Bearer s3cret", "", http.StatusOK},
		{"GET", PathState, "", "", http.StatusOK}, // the public API stays open
		{"POST", PathData, "", `{"data":"x"}`, http.StatusOK},
	}
	for _, c := range cases {
		if got := do(c.method, c.path, c.auth, c.body); got != c.want {
			t.Errorf("%s %s with %q: %d, want %d", c.method, c.path, c.auth, got, c.want)
		}
	}
}

func TestServeBeyondLoopbackNeedsAToken(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0"} {
		err := Serve(context.Background(), Options{}, addr, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "needs a control token") {
			t.Errorf("Serve(%q) without a token: %v", addr, err)
		}
	}
	for addr, want := range map[string]bool{"127.0.0.1:80": true, "localhost:1": true, "[::1]:2": true,
		"10.0.0.1:3": false, "0.0.0.0:4": false, ":5": false, "nonsense": false} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v", addr, got)
		}
	}
}
