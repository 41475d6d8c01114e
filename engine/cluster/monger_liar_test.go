package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// putLiar puts a proxy in front of node i that rewrites the JSON answers
// it gives on path with lie: a real node that breaks one rule.
func putLiar[T any](t *testing.T, c *Cluster, i int, path string, lie func(*T)) {
	t.Helper()
	target, err := url.Parse(c.urls[i])
	if err != nil {
		t.Fatal(err)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		ModifyResponse: func(resp *http.Response) error {
			if resp.Request.URL.Path != path || resp.StatusCode != http.StatusOK {
				return nil
			}
			var v T
			if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
				return err
			}
			resp.Body.Close()
			lie(&v)
			body, err := json.Marshal(v)
			if err != nil {
				return err
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: proxy}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c.urls[i] = "http://" + ln.Addr().String()
}

// A node that breaks a rule of rumor mongering fails the trial as
// inconsistent, whichever rule: the harness holds every node to the
// protocol core's World. The same trial with honest nodes passes.
func TestMongeringCatchesAWrongNode(t *testing.T) {
	checkNoLeaks(t)
	feedback := engine.Config{Nodes: 12, Mode: engine.Push, Fanout: 2, MaxRounds: 30, Source: 0, Seed: 7,
		Stop: engine.Stop{Rule: engine.StopCounter, K: 1, Feedback: true}, Net: engine.NetOptions{Timeout: exactTimeout}}
	pull := feedback
	pull.Mode, pull.Rumors, pull.Stop = engine.Pull, engine.Rumors{Count: 3, Every: 1}, engine.Stop{Rule: engine.StopCoin, K: 2}
	pushpull := pull
	pushpull.Mode = engine.PushPull
	everything := func(r *node.GossipResponse) {
		if r.Messages != nil || r.Knew == nil && r.Learned == nil {
			r.Messages = nil
			for i := range 3 {
				idx := int32(i)
				r.Messages = append(r.Messages, node.Message{ID: node.MessageID(node.RumorData(i)), Data: node.RumorData(i), Rumor: &idx})
			}
		}
	}
	for _, c := range []struct {
		name string
		cfg  engine.Config
		lie  func(t *testing.T, c *Cluster)
	}{
		{"its pushes' senders are told it knew nothing (feedback)", feedback, func(t *testing.T, c *Cluster) {
			putLiar(t, c, 0, node.PathGossip, func(r *node.GossipResponse) { r.Knew = nil })
		}},
		{"it answers with every rumor", pull, func(t *testing.T, c *Cluster) {
			putLiar(t, c, 0, node.PathGossip, everything)
		}},
		{"it claims to have learned what it knew", feedback, func(t *testing.T, c *Cluster) {
			putLiar(t, c, 0, node.PathGossip, func(r *node.GossipResponse) { r.Learned = append(r.Learned, r.Knew...) })
		}},
		{"it does not say what it learned", pushpull, func(t *testing.T, c *Cluster) {
			putLiar(t, c, 0, node.PathGossip, func(r *node.GossipResponse) { r.Learned = nil })
		}},
		{"it never reports a rumor removed (ignores its stop rule)", feedback, func(t *testing.T, c *Cluster) {
			putLiar(t, c, 0, node.PathRound, func(r *node.RoundReport) { r.Infective, r.Removed = r.Infective+r.Removed, 0 })
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, err := Start(t.Context(), c.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if _, err := trial(t.Context(), cl); err != nil {
				t.Fatalf("honest nodes: %v", err)
			}
			c.lie(t, cl)
			if err := cl.Prepare(t.Context(), c.cfg); err != nil {
				t.Fatal(err)
			}
			_, err = trial(t.Context(), cl)
			if !errors.Is(err, errInconsistent) {
				t.Fatalf("a wrong node: %v, want an inconsistent report", err)
			}
			t.Log(err)
		})
	}
}
