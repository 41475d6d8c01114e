package cluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
)

// BenchmarkGossipOverHTTP measures what real nodes in lockstep achieve,
// next to what this machine's loopback serves at best: a trivial Go handler
// answering the same size of POST from 64 concurrent clients. Push is used
// so that one message is one HTTP request. Reported: gossip msgs/s (wall
// time of whole trials, harness control calls included), loopback req/s,
// and their ratio.
func BenchmarkGossipOverHTTP(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("push/n=%d", n), func(b *testing.B) {
			baseline := loopbackRate(b, 20000, 64)
			e := &Engine{}
			defer e.Close()
			cfg := engine.Config{Nodes: n, Mode: engine.Push, Fanout: 2, MaxRounds: 100, Source: -1}
			if _, err := engine.Collect(context.Background(), e, cfg); err != nil { // warm the cluster
				b.Fatal(err)
			}
			var msgs int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cfg.Seed = uint64(i)
				tr, err := engine.Collect(context.Background(), e, cfg)
				if err != nil {
					b.Fatal(err)
				}
				msgs += tr.Totals().Sent
			}
			rate := float64(msgs) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "msgs/s")
			b.ReportMetric(baseline, "loopback-req/s")
			b.ReportMetric(rate/baseline, "ratio")
		})
	}
}

// loopbackRate is requests per second of a do-nothing handler on
// 127.0.0.1, with a pooled client and a gossip-sized JSON body.
func loopbackRate(b *testing.B, requests, workers int) float64 {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"new":0}` + "\n"))
	})}
	go srv.Serve(ln)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	url := "http://" + ln.Addr().String() + "/gossip"
	body := []byte(`{"from":1,"round":3,"kind":"push","messages":[{"id":"0123456789abcdef","data":"gossipbench rumor"}]}`)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < requests/workers; i++ {
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	return float64(requests) / time.Since(start).Seconds()
}
