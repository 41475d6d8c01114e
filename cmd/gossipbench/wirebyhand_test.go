package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Five nodes wired by hand, as the README shows: each started with the
// same --peers and --start, a message posted to one reaches the others,
// and each node's metrics carry its own ID.
func TestFiveNodesWiredByHand(t *testing.T) {
	urls := handNodes(t, func(int) []string { return nil })
	waitAllKnow(t, urls)
}

// Five nodes wired as a ring by hand (--neighbours): the message goes
// round, and each node gossips with its two neighbours only.
func TestRingWiredByHand(t *testing.T) {
	urls := handNodes(t, func(i int) []string {
		a, b := (i+4)%5, (i+1)%5
		return []string{"--neighbours", fmt.Sprintf("%d,%d", min(a, b), max(a, b))}
	})
	waitAllKnow(t, urls)
	for i, u := range urls {
		resp, err := http.Get(u + "/log?limit=1000")
		if err != nil {
			t.Fatal(err)
		}
		var events []struct {
			Kind string
			Peer int
		}
		err = json.NewDecoder(resp.Body).Decode(&events)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Peer >= 0 && e.Peer != (i+1)%5 && e.Peer != (i+4)%5 {
				t.Errorf("node %d logs %s with node %d, not a ring neighbour", i, e.Kind, e.Peer)
			}
		}
	}
}

// handNodes starts five node processes, each wired by hand to all five
// with --start and the extra flags of its ID, and returns their URLs.
func handNodes(t *testing.T, extra func(i int) []string) []string {
	var urls []string
	for range 5 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, "http://"+ln.Addr().String())
		ln.Close()
	}
	for i, u := range urls {
		args := append([]string{"node", "--listen", strings.TrimPrefix(u, "http://"), "--id", fmt.Sprint(i),
			"--peers", strings.Join(urls, ","), "--mode", "push", "--fanout", "2", "--interval", "20ms", "--start"}, extra(i)...)
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), childEnv+"=1")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != fmt.Sprintf("gossipbench node %d listening on %s", i, u) {
			t.Fatalf("node %d said %q", i, sc.Text())
		}
		go io.Copy(io.Discard, out)
	}
	return urls
}

// waitAllKnow posts a message to the first node and waits until every
// node knows it, each node's metrics carrying its own ID.
func waitAllKnow(t *testing.T, urls []string) {
	resp, err := http.Post(urls[0]+"/data", "application/json", strings.NewReader(`{"data": "hello"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for i, u := range urls {
		for {
			var st struct{ Count int }
			if resp, err := http.Get(u + "/state"); err == nil {
				json.NewDecoder(resp.Body).Decode(&st)
				resp.Body.Close()
			}
			if st.Count == 1 {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("node %d does not know the message", i)
			case <-time.After(10 * time.Millisecond):
			}
		}
		resp, err := http.Get(u + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf(`gossip_messages_known{node="%d"} 1`, i); !strings.Contains(string(body), want) {
			t.Errorf("node %d's metrics lack %s", i, want)
		}
	}
}

// The hand-wiring flags are checked before the node listens: exit 2.
func TestNodeWiringUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"node", "--fanout", "3"}, "--fanout wires the node by hand, and needs --peers"},
		{[]string{"node", "--start"}, "--start wires the node by hand, and needs --peers"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "1", "--interval", "1s"}, "--interval is the gossip interval of --start"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "1", "--start", "--interval", "0s"}, "--interval must be at least 1ms"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "2"}, "fanout must be from 1 to 1"},
		{[]string{"node", "--peers", "http://127.0.0.1:1", "--id", "3"}, "id 3 is not an index into 1 peers"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "1", "--mode", "shout"}, `unknown mode "shout"`},
		{[]string{"node", "--peers", "http://192.0.2.1:1,http://127.0.0.1:2", "--fanout", "1"}, "is not on this machine"},
		{[]string{"node", "--neighbours", "1"}, "--neighbours wires the node by hand, and needs --peers"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "1", "--neighbours", "1,x"}, "want node IDs such as 1,4,7"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "1", "--neighbours", "0"}, "neighbours[0]: 0 is this node itself"},
		{[]string{"node", "--peers", "http://127.0.0.1:1,http://127.0.0.1:2", "--fanout", "1", "--neighbours", "2"}, "neighbours[0]: 2 is not a peer"},
	} {
		code, stdout, stderr := gossipbench(t, c.args...)
		if code != exitBadUser || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}
