package memory

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// A round split among workers (n >= parallelMin, no replay), the fast path
// (fanout 1, no loss, no failure, no replay) and the general sequential
// path (replay on) make the same decisions: their rows are identical, for
// every mode, with loss and failures of every kind, and with none. The
// node count is not a multiple of the workers' word ranges.
func TestWorkersAndReplayGiveTheSameRows(t *testing.T) {
	n := parallelMin + 1000
	failures := []engine.Failure{{Round: 2, Fraction: 0.05}, {Round: 3, Fraction: 0.02, Kind: engine.Hang},
		{Round: 3, Fraction: 0.01, Kind: engine.Garbage}}
	for _, mode := range engine.Modes() {
		for _, c := range []struct {
			fanout   int
			loss     float64
			failures []engine.Failure
		}{{1, 0, nil}, {1, 0.1, failures}, {2, 0.1, failures}, {3, 0, nil}} {
			name := fmt.Sprintf("%v/fanout=%d/loss=%v/failures=%d", mode, c.fanout, c.loss, len(c.failures))
			cfg := engine.Config{Nodes: n, Mode: mode, Fanout: c.fanout, Loss: c.loss, MaxRounds: 100, Source: -1,
				Seed: 11, Failures: c.failures, Replay: true}
			ref := runWith(t, Engine{Workers: 1}, cfg)
			if !ref.Converged() && c.failures == nil && c.loss == 0 {
				t.Fatalf("%s: did not converge: %+v", name, ref.Final())
			}
			cfg.Replay = false
			for _, w := range []int{1, 2, 3} {
				if got := runWith(t, Engine{Workers: w}, cfg); !reflect.DeepEqual(got.Rounds, ref.Rounds) {
					t.Errorf("%s: %d workers without replay\n%v\none with replay\n%v", name, w, got.Rounds, ref.Rounds)
				}
			}
		}
	}
}

func runWith(t *testing.T, e Engine, cfg engine.Config) *engine.Trace {
	t.Helper()
	tr, err := engine.Collect(t.Context(), e, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
