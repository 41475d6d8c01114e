package meanfield

import (
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/engine"
)

// Faults over time are beyond the model, with a reason; a failure for
// good stays covered.
func TestCoversNoFaultsOverTime(t *testing.T) {
	base := engine.Config{Nodes: 1000, Mode: engine.PushPull, Fanout: 1, MaxRounds: 100, Source: -1,
		Failures: []engine.Failure{{Round: 3, Fraction: 0.1}}}
	if ok, reason := Covers(base); !ok {
		t.Fatalf("a crash for good is not covered: %s", reason)
	}
	recover, split, churn := base, base, base
	recover.Failures = []engine.Failure{{Round: 3, Fraction: 0.1, Recover: 8}}
	split.Partitions = []engine.Partition{{Round: 3, Heal: 8, Groups: 2}}
	churn.Churn = engine.Churn{Leave: 0.01, From: 1}
	for name, c := range map[string]engine.Config{"recover": recover, "partition": split, "churn": churn} {
		if ok, reason := Covers(c); ok || !strings.Contains(reason, "faults over time") {
			t.Errorf("%s: Covers = %v, %q", name, ok, reason)
		}
	}
}
