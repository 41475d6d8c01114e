package topology

import (
	"github.com/gossipbench/gossipbench/engine"
	"github.com/gossipbench/gossipbench/engine/protocol"
)

// The random kinds. STUBS until written: each must draw only from s.

func regular(n, d int, s *protocol.Stream) edges { panic("topology: regular not yet written") }

func erdosRenyi(n int, p float64, s *protocol.Stream) edges {
	panic("topology: erdos-renyi not yet written")
}

func smallWorld(n, k int, beta float64, s *protocol.Stream) edges {
	panic("topology: small-world not yet written")
}

func scaleFree(n, m int, s *protocol.Stream) edges { panic("topology: scale-free not yet written") }

// Bytes is about how much memory a trial's graph of t on n nodes takes at
// its peak (while it is drawn), for the memory guard. STUB: to be
// measured per kind.
func Bytes(t engine.Topology, n int) int64 {
	if t.IsComplete() {
		return 0
	}
	return int64(n) * 8 * 3 * int64(max(t.Degree, 2)+1)
}
