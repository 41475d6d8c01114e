package node

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// childEnv makes the test binary a node process (see TestMain), so a test
// can read the node's own peak memory from the kernel.
const childEnv = "GOSSIPBENCH_TEST_NODE_CHILD"

// serveChild runs a node until stdin closes.
func serveChild() {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	if err := Serve(ctx, Options{}, "127.0.0.1:0", os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// startChild starts a node process and returns its URL and a reader of its
// peak resident memory in bytes (VmHWM).
func startChild(t *testing.T) (string, func() int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("node process: %v", err)
	}
	f := strings.Fields(line)
	peak := func() int64 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				return kb << 10
			}
		}
		t.Fatal("no VmHWM")
		return 0
	}
	return f[len(f)-1], peak
}

// Bodies of 1 MiB that decode to far more (a digest of empty strings is
// 16 bytes of string header per 3 bytes of JSON), sent by many clients at
// once, must not take a node's memory far past the bytes it was sent.
func TestConcurrentBodiesBounded(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read a process's peak memory")
	}
	url, peak := startChild(t)
	c := newClient(t)
	for i := range 16 {
		c.json(post, url+PathData, DataRequest{Data: controlData(i)}, nil)
	}
	var b bytes.Buffer
	b.WriteString(`{"from":1,"kind":"request","digest":[""`)
	for b.Len() < maxBody-8 {
		b.WriteString(`,""`)
	}
	b.WriteString(`]}`)
	body := b.Bytes()
	const clients = 100
	base := peak()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			req, _ := http.NewRequest(post, url+PathGossip, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if resp, err := tr.RoundTrip(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	// What the bodies decode to may not multiply them (it did: 1.3 GiB).
	// The bodies in flight are live heap, and the collector (GOGC=100)
	// lets garbage grow to as much again before it runs: twice the bodies
	// is what a node that holds each body once may reach. With the race
	// detector beside two busy loops it reached 104 MiB of the 100 MiB
	// the bodies alone would take, 1 run in 3.
	grew := peak() - base
	t.Logf("%d bodies of %d KiB at once: the node's peak grew %d MiB", clients, len(body)>>10, grew>>20)
	if limit := int64(2 * clients * maxBody); grew > limit {
		t.Errorf("the node's peak memory grew %d MiB under %d MiB of bodies; want at most %d MiB",
			grew>>20, clients*len(body)>>20, limit>>20)
	}
	c.json(http.MethodGet, url+PathState+"?limit=1", nil, nil) // and it still serves
}

// No node holds more than MaxMessages, so no peer's push or digest lists
// more: a longer one is refused whole, before it costs the node work.
func TestGossipListsBounded(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{LogSize: 10})[0]
	c := newClient(t)
	msgs := make([]Message, MaxMessages+1)
	digest := make([]string, MaxMessages+1)
	for i := range msgs {
		d := strconv.Itoa(i)
		msgs[i], digest[i] = Message{ID: MessageID(d), Data: d}, MessageID(d)
	}
	wantError(t, c.do(post, n.URL()+PathGossip, GossipRequest{From: 1, Kind: KindPush, Messages: msgs}),
		http.StatusBadRequest)
	wantError(t, c.do(post, n.URL()+PathGossip, GossipRequest{From: 1, Kind: KindRequest, Digest: digest}),
		http.StatusBadRequest)
	if got := n.State().Count; got != 0 {
		t.Errorf("the node learned %d messages from a refused push", got)
	}
	c.json(post, n.URL()+PathGossip, GossipRequest{From: 1, Kind: KindRequest, Digest: digest[:MaxMessages]}, nil)
}
