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

// A replay under churn says at what rates, from and until when, and that
// a node that leaves comes back empty; one without churn says nothing of it.
func TestChurnNote(t *testing.T) {
	rf := &results.ReplayFile{}
	if got := strings.Join(faultNotes(rf, &pageData{}), "\n"); strings.Contains(got, "hurn") {
		t.Fatalf("no churn: %q", got)
	}
	rf.Params.Churn = results.ChurnParams{Leave: 0.01, Join: 0.05, From: 1, Until: 40}
	got := strings.Join(faultNotes(rf, &pageData{}), "\n")
	if want := "Churn 1 % leave, 5 % join per round from round 1 until round 40; a node that leaves comes back empty."; !strings.Contains(got, want) {
		t.Fatalf("notes %q lack %q", got, want)
	}
}
