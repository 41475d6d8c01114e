package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// controlData is a message of MaxMessageSize bytes, nearly all control
// bytes: each takes six bytes in JSON (\u0001).
func controlData(i int) string {
	return fmt.Sprintf("%08d", i) + strings.Repeat("\x01", MaxMessageSize-8)
}

// A node bounds what it holds in bytes, not only in messages: 10,000
// messages of 64 KiB would be 640 MiB.
func TestStoreBoundedInBytes(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{LogSize: 10})[0]
	c := newClient(t)
	held := 0
	for ; ; held++ {
		_, err := n.Inject(controlData(held))
		if errors.Is(err, errFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if held > 2*MaxStoreBytes/MaxMessageSize {
			t.Fatalf("the node took %d messages of 64 KiB (%d MiB) and is not full", held, held>>4)
		}
	}
	if held*MaxMessageSize > MaxStoreBytes || held < MaxStoreBytes/MaxMessageSize-1 {
		t.Fatalf("full after %d messages of 64 KiB, want the %d bytes of MaxStoreBytes", held, MaxStoreBytes)
	}
	wantError(t, c.do(post, n.URL()+PathData, DataRequest{Data: controlData(-1)}), http.StatusInsufficientStorage)
	var gr GossipResponse
	c.json(post, n.URL()+PathGossip, GossipRequest{From: 1, Round: 1, Kind: KindPush,
		Messages: []Message{{ID: MessageID(controlData(-2)), Data: controlData(-2)}}}, &gr)
	if gr.New != 0 {
		t.Errorf("a full node learned a pushed message")
	}
	if got := c.scrape(n).get(t, MetricKnown); got != float64(held) {
		t.Errorf("%s = %v, want %d", MetricKnown, got, held)
	}
	c.json(post, n.URL()+PathReset, nil, nil) // reset frees the budget
	c.json(post, n.URL()+PathData, DataRequest{Data: controlData(0)}, nil)
}

// GET /state answers in pages of at most about 1 MiB, whatever the node
// holds and however its data escapes; the pages, followed by next, list
// every message once, in the order learned.
func TestStatePagedAndBounded(t *testing.T) {
	checkLeaks(t)
	n := startNodes(t, 1, Options{LogSize: 10})[0]
	c := newClient(t)
	const k = 40 // 2.5 MiB of data; 15 MiB as one JSON answer
	var want []string
	for i := range k {
		r, err := n.Inject(controlData(i))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r.ID)
	}
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		r := c.do(get, n.URL()+PathState+"?after="+url.QueryEscape(after), nil)
		if r.code != http.StatusOK {
			t.Fatalf("GET /state?after=%s: %d %s", after, r.code, r.body)
		}
		if len(r.body) > stateBudget {
			t.Fatalf("one GET /state answered %d bytes, bound %d", len(r.body), stateBudget)
		}
		var s State
		if err := json.Unmarshal(r.body, &s); err != nil {
			t.Fatal(err)
		}
		if s.Count != k || len(s.Messages) == 0 {
			t.Fatalf("page %d: count %d with %d messages", pages, s.Count, len(s.Messages))
		}
		for _, m := range s.Messages {
			got = append(got, m.ID)
		}
		if s.Next == "" {
			break
		}
		if s.Next != got[len(got)-1] || pages > k {
			t.Fatalf("page %d: next %q after %q", pages, s.Next, got[len(got)-1])
		}
		after = s.Next
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("pages list %d messages, want the %d injected, in order", len(got), k)
	}

	var s State
	c.json(get, n.URL()+PathState+"?limit=3&after="+want[1], nil, &s)
	if len(s.Messages) == 0 || len(s.Messages) > 3 || s.Messages[0].ID != want[2] || s.Next == "" {
		t.Fatalf("limit=3 after the second: %d messages from %s, next %q", len(s.Messages), s.Messages[0].ID, s.Next)
	}
	for _, q := range []string{"after=nothing", "limit=0", "limit=x"} {
		wantError(t, c.do(get, n.URL()+PathState+"?"+q, nil), http.StatusBadRequest)
	}
}

// jsonSize never counts less than encoding/json writes, so bodies sized
// by it fit what peers read.
func TestJSONSizeBound(t *testing.T) {
	for _, s := range []string{"", "plain", `"\`, "<a href='x'>&amp;</a>", "\x00\x01\x1f\x7f", "\n\r\t\b\f",
		"héllo wörld ☃ 😀", "\xff\xfe bad", "\u2028\u2029", string([]byte{0xe2, 0x80}), strings.Repeat("\x01", 100)} {
		b, _ := json.Marshal(s)
		if got := jsonSize(s); got < len(b) {
			t.Errorf("jsonSize(%q) = %d, json.Marshal writes %d", s, got, len(b))
		}
	}
	if b, _ := json.Marshal("plain text"); jsonSize("plain text") != len(b) {
		t.Errorf("jsonSize overcounts plain text")
	}
}
