package topology

import "github.com/gossipbench/gossipbench/engine/protocol"

func smallWorld(n, k int, beta float64, s *protocol.Stream) *protocol.Lists {
	panic("topology: small-world not yet written")
}
