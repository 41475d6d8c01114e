package results

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard selects every Count-th point of a sweep, starting at point
// Index-1, so that Count machines can run a scenario side by side and
// merge can join their results. Index runs from 1 to Count.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// MaxShards bounds the shard count, a guard against typos such as 1/30000.
const MaxShards = 10_000

// ParseShard reads "I/N", 1 <= I <= N.
func ParseShard(text string) (Shard, error) {
	bad := func(why string) (Shard, error) {
		return Shard{}, fmt.Errorf("--shard must be I/N with 1 <= I <= N <= %d, such as 2/3; got %q: %s", MaxShards, text, why)
	}
	i, n, ok := strings.Cut(text, "/")
	if !ok {
		return bad("no /")
	}
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if err1 != nil || err2 != nil || strings.HasPrefix(i, "+") || strings.HasPrefix(n, "+") {
		return bad("I and N must be whole numbers")
	}
	switch {
	case count < 1:
		return bad("N must be at least 1")
	case count > MaxShards:
		return bad(fmt.Sprintf("N must be at most %d", MaxShards))
	case index < 1 || index > count:
		return bad("I must be from 1 to N")
	}
	return Shard{Index: index, Count: count}, nil
}

func (sh Shard) String() string { return fmt.Sprintf("%d/%d", sh.Index, sh.Count) }

// Has reports whether the point at index (0-based, in sweep order)
// belongs to the shard: indices whose remainder modulo Count is Index-1.
func (sh Shard) Has(index int) bool { return index%sh.Count == sh.Index-1 }

// Owner is the shard, of count, that runs the point at index.
func Owner(index, count int) int { return index%count + 1 }
