package cluster

import (
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/node"
)

// Faults over time are real: between rounds (the observer runs there, in
// the harness's loop) a crashed node's port refuses connections until the
// round it comes back in, and accepts them from then on; during a
// partition every message across it fails while each node's /state still
// answers the harness, whose control connections are no part of the
// network the nodes gossip over. And the trial is still the simulator's.
func TestFaultsAreCarriedOutForReal(t *testing.T) {
	checkNoLeaks(t)
	cfg := engine.Config{Nodes: 12, Mode: engine.PushPull, Fanout: 2, MaxRounds: 30, Source: -1, Seed: 7, Replay: true,
		Failures:   []engine.Failure{{Round: 2, Fraction: 0.25, Recover: 4}},
		Partitions: []engine.Partition{{Round: 2, Heal: 5, Groups: 2}}, Net: engine.NetOptions{Timeout: exactTimeout}}
	c, err := Start(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dial := func(i int) error {
		conn, err := net.DialTimeout("tcp", strings.TrimPrefix(c.urls[i], "http://"), time.Second)
		if err == nil {
			conn.Close()
		}
		return err
	}
	rec := engine.NewRecorder(cfg.Nodes, true)
	var down []int32
	var split *engine.Split
	refusedSeen, acceptedSeen, cutSeen, stateSeen := 0, 0, 0, 0
	obs := engine.ObserverFunc(func(out engine.Round) {
		rec.Round(out)
		r := out.Round
		down = append(down, out.Failed...)
		if out.Split != nil {
			split = out.Split
		}
		for _, v := range down {
			err := dial(int(v))
			switch {
			case r >= 2 && r < 4 && !errors.Is(err, syscall.ECONNREFUSED):
				t.Errorf("round %d: node %d is down and its port answers the dial with %v", r, v, err)
			case r >= 2 && r < 4:
				refusedSeen++
			case r >= 4 && err != nil:
				t.Errorf("round %d: node %d came back at round 4 and its port refuses: %v", r, v, err)
			case r >= 4:
				acceptedSeen++
			}
		}
		if split == nil || r < 2 || r >= 5 {
			return
		}
		for _, e := range out.Edges {
			if split.Cut(split.Group[e.From], split.Group[e.To]) {
				cutSeen++
				if e.Outcome != engine.Failed {
					t.Errorf("round %d: message %+v across the partition went through", r, e)
				}
			}
		}
		for i, up := range c.alive {
			if !up {
				continue
			}
			var st node.State
			if err := c.call(t.Context(), http.MethodGet, i, node.PathState, nil, &st); err != nil || st.Node != i {
				t.Errorf("round %d: node %d's /state during the partition: %+v, %v", r, i, st, err)
			}
			stateSeen++
		}
	})
	if err := c.Run(t.Context(), obs); err != nil {
		t.Fatal(err)
	}
	if len(down) == 0 || refusedSeen == 0 || acceptedSeen == 0 || cutSeen == 0 || stateSeen == 0 {
		t.Fatalf("%d down, %d refused dials, %d accepted, %d messages across the cut, %d states read: the test needs each",
			len(down), refusedSeen, acceptedSeen, cutSeen, stateSeen)
	}
	for _, d := range traceDiffs(&rec.Trace, agreedMemory(t, cfg)) {
		t.Error(d)
	}
}

// Nodes in processes of their own carry out faults over time too: a
// crashed node's process exits and a new one starts on its port, empty; a
// partition is set in each process's transport. keep_state, which a
// process that exits cannot keep, is refused.
func TestFaultsProcessPerNode(t *testing.T) {
	t.Setenv(childEnv, "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := engine.Config{Nodes: 10, Mode: engine.PushPull, Fanout: 2, Loss: 0.1, MaxRounds: 30, Source: -1, Seed: 12, Replay: true,
		Failures:   []engine.Failure{{Round: 2, Fraction: 0.3, Recover: 4}},
		Partitions: []engine.Partition{{Round: 3, Heal: 6, Groups: 2, Oneway: true}},
		Churn:      engine.Churn{Leave: 0.1, Join: 0.1, From: 5, Until: 8},
		Net:        engine.NetOptions{Processes: true, Timeout: exactTimeout}}
	e := &Engine{NodeCommand: []string{exe}}
	defer e.Close()
	got := collect(t, e, cfg)
	want := agreedMemory(t, cfg)
	for _, d := range traceDiffs(got, want) {
		t.Error(d)
	}
	cut, back := 0, 0
	for _, r := range want.Rounds {
		cut += r.Cut
		back += r.Recovering
	}
	if cut == 0 || back == 0 {
		t.Errorf("%d messages cut, %d comebacks: the test needs both", cut, back)
	}
	keep := cfg
	keep.Failures = []engine.Failure{{Round: 2, Fraction: 0.3, Recover: 4, KeepState: true}}
	if _, err := engine.Collect(t.Context(), e, keep); !errors.Is(err, errKeepProcesses) {
		t.Fatalf("keep_state with processes: %v, want it refused", err)
	}
}
