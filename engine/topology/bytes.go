package topology

import "github.com/gossipbench/gossipbench/engine"

// Bytes is about how much memory a trial's graph of t on n nodes takes at
// its peak (while it is drawn), for the memory guard. STUB: to be
// measured per kind.
func Bytes(t engine.Topology, n int) int64 {
	if t.IsComplete() {
		return 0
	}
	return int64(n) * 8 * 3 * int64(max(t.Degree, 2)+1)
}
