package engine

import (
	"strings"
	"testing"
)

// A node's group is an int8 (Split.Group, the replay's groups < 128):
// more groups than that would wrap into negative or shared groups.
func TestValidateRefusesMoreGroupsThanAGroupIndexHolds(t *testing.T) {
	cfg := Config{Nodes: 300, Fanout: 1, MaxRounds: 10, Partitions: []Partition{{Round: 1, Groups: 128}}}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("128 groups: %v", err)
	}
	cfg.Partitions[0].Groups = 129
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "128") {
		t.Fatalf("129 groups: %v, want an error naming the limit", err)
	}
	shares := make([]float64, 200)
	for i := range shares {
		shares[i] = 1.0 / 200
	}
	cfg.Partitions[0] = Partition{Round: 1, Shares: shares}
	if err := cfg.Validate(); err == nil {
		t.Fatal("200 shares: no error")
	}
}
