package results_test

import (
	"testing"

	"github.com/gossipbench/gossipbench/internal/results"
)

func TestShardHas(t *testing.T) {
	s := mustParse(t, gridYAML)
	for n := 1; n <= 5; n++ {
		count := map[int]int{}
		for _, p := range s.Points() {
			for i := 1; i <= n; i++ {
				if (results.Shard{Index: i, Count: n}).Has(p.Index) {
					count[p.Index]++
				}
			}
		}
		for _, p := range s.Points() {
			if count[p.Index] != 1 {
				t.Errorf("%d shards: point %d is in %d shards", n, p.Index, count[p.Index])
			}
		}
	}
	if sh, err := results.ParseShard("2/3"); err != nil || sh != (results.Shard{Index: 2, Count: 3}) || sh.String() != "2/3" {
		t.Errorf("results.ParseShard(2/3) = %v, %v", sh, err)
	}
}
