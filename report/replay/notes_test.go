package replay

import (
	"strings"
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

// A replay of many rumors says the colours follow rumor 0, and one of a
// stop rule that the colours do not show who stopped; a wave-1 replay
// says neither.
func TestMongerNotes(t *testing.T) {
	rf := &results.ReplayFile{}
	if got := mongerNotes(rf); len(got) != 0 {
		t.Fatalf("wave 1: %q", got)
	}
	rf.Params.Rumors = results.RumorsParams{Count: 20, Every: 1}
	rf.Params.Stop.Rule = "transmits"
	got := strings.Join(mongerNotes(rf), "\n")
	for _, want := range []string{"20 rumors", "rumor 0", "Stop rule transmits"} {
		if !strings.Contains(got, want) {
			t.Errorf("notes lack %q: %s", want, got)
		}
	}
}
