package topology

import "github.com/gossipbench/gossipbench/engine/protocol"

func scaleFree(n, m int, s *protocol.Stream) *protocol.Lists {
	panic("topology: scale-free not yet written")
}
