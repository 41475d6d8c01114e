package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gossipbench/gossipbench/engine/node"
)

// controlAttempts is how often a call that is safe to repeat is tried
// before its error counts; controlBackoff is the wait before the second
// try, doubled each time.
const (
	controlAttempts = 3
	controlBackoff  = 20 * time.Millisecond
)

// repeatable reports whether a node takes this call twice with the effect
// of once, so the harness may resend it after a broken connection. A round
// would run twice, and a crash is not answered twice: those go once.
func repeatable(method, path string) bool {
	if method == http.MethodGet {
		return true
	}
	switch path {
	case node.PathReset, node.PathConfig, node.PathStart, node.PathStop, node.PathFault, node.PathData, node.PathInject, node.PathPartition:
		return true
	}
	return false
}

// statusError is a node's answer other than 200: it did answer, so trying
// again would get the same.
type statusError struct{ msg string }

func (e *statusError) Error() string { return e.msg }

var callSeq atomic.Uint64 // numbers calls for their Idempotency-Key

// call sends a control request to node i and decodes its JSON answer.
func (c *Cluster) call(ctx context.Context, method string, i int, path string, body, out any) error {
	data, err := c.send(ctx, method, i, path, body)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("node %d %s: bad answer: %w", i, path, err)
	}
	return nil
}

// send makes one call to node i and returns the body of its 200 answer. A
// call that is safe to repeat is tried again when the connection fails.
func (c *Cluster) send(ctx context.Context, method string, i int, path string, body any) ([]byte, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	attempts, key := 1, ""
	if repeatable(method, path) {
		attempts = controlAttempts
		// Lets net/http itself resend a POST or PUT that met a pooled
		// connection closed under it (it does so for GET unasked).
		key = "harness-" + strconv.FormatUint(callSeq.Add(1), 10)
	}
	wait := controlBackoff
	for a := 1; ; a++ {
		data, err := c.sendOnce(ctx, method, i, path, payload, key)
		var st *statusError
		if err == nil || a == attempts || errors.As(err, &st) || ctx.Err() != nil {
			if err != nil {
				return nil, fmt.Errorf("node %d %s: %w", i, path, err)
			}
			return data, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("node %d %s: %w (then %w)", i, path, err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (c *Cluster) sendOnce(ctx context.Context, method string, i int, path string, payload []byte, key string) ([]byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.urls[i]+path, rd)
	if err != nil {
		return nil, err
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json") // nodes refuse other bodies, even empty ones
	}
	if key != "" && method != http.MethodGet {
		req.Header.Set("Idempotency-Key", key)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.control.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{fmt.Sprintf("%s: %s", resp.Status, bytes.TrimSpace(data))}
	}
	return data, nil
}

// newToken is a fresh control token for a cluster's node processes: the
// harness gives it to them, so that the token they require is the one it
// sends, whatever $GOSSIPBENCH_TOKEN says, and no other local program can
// drive them.
func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a control token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
