package cluster

import (
	"context"
	"flag"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/memory"
	"github.com/gossipbench/gossipbench/engine/node"
)

// childEnv marks a child started by the process tests: it runs one node.
const childEnv = "GOSSIPBENCH_TEST_NODE"

func runChildNode() {
	fs := flag.NewFlagSet("node", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "")
	id := fs.Int("id", 0, "")
	fs.Parse(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Like gossipbench node: the token comes from the environment.
	opts := node.Options{ID: *id, ProcessMetrics: true, ExitOnCrash: func() { os.Exit(0) },
		ControlToken: os.Getenv(node.TokenEnv)}
	if err := node.Serve(ctx, opts, *listen, os.Stdout); err != nil {
		os.Exit(1)
	}
}

// Nodes as processes of their own, one crashing for good mid-trial: the
// run finishes, and no child outlives it.
func TestProcessPerNode(t *testing.T) {
	t.Setenv(childEnv, "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.Config{Nodes: 12, Mode: engine.PushPull, Fanout: 2, MaxRounds: 40, Source: 0, Seed: 2,
		Failures: []engine.Failure{{Round: 2, Fraction: 0.25}}, Net: engine.NetOptions{Processes: true}, Replay: true}
	c, err := Start(t.Context(), cfg, []string{exe})
	if err != nil {
		t.Fatal(err)
	}
	procs := c.procs
	tr, err := trial(t.Context(), c)
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	if f := tr.Final(); f.Alive != 9 || !tr.Converged() {
		t.Fatalf("final round %+v: want 9 alive, all informed", f)
	}
	// Nodes in processes of their own draw what the simulator draws.
	for _, d := range traceDiffs(tr, collect(t, memory.Engine{}, cfg)) {
		t.Error(d)
	}
	for i, cmd := range procs.cmds {
		if cmd.ProcessState == nil {
			t.Errorf("node process %d was not waited for", i)
		}
	}
}

// A $GOSSIPBENCH_TOKEN in the user's environment does not reach the node
// processes: they require the cluster's own token, which the harness sends.
func TestProcessesTakeTheClustersToken(t *testing.T) {
	t.Setenv(childEnv, "1")
	t.Setenv(node.TokenEnv, "the-users-own-token")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.Config{Nodes: 4, Mode: engine.PushPull, Fanout: 1, MaxRounds: 40, Source: 0, Seed: 2,
		Net: engine.NetOptions{Processes: true}}
	c, err := Start(t.Context(), cfg, []string{exe})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tr, err := trial(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Converged() {
		t.Fatalf("not converged: %+v", tr.Final())
	}
	for _, auth := range []string{"", "Bearer the-users-own-token"} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.URLs()[0]+node.PathStop, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Close = true
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("control call with Authorization %q: %s, want 401", auth, resp.Status)
		}
	}
}
