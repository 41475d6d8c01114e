package topology

import "github.com/gossipbench/gossipbench/engine/protocol"

// scaleFree draws Barabási and Albert's preferential attachment
// (docs/design.md, "Kinds and generators"): the complete graph on m+1
// nodes, then each new node links to m distinct older ones, each drawn
// with probability proportional to its degree. The edge list is also the
// urn: a node appears in it once per edge it has, so a uniform entry is a
// degree-proportional node (networkx's repeated-nodes list). A draw that
// repeats a target this node already chose is drawn again. O(n·m)
// expected time while m is small beside n.
func scaleFree(n, m int, s *protocol.Stream) *protocol.Lists {
	e := make(edges, 0, m*(m+1)/2+(n-m-1)*m)
	for v := range int32(m + 1) {
		for u := range v {
			e = append(e, [2]int32{u, v})
		}
	}
	chose := make([]int32, n) // chose[t] = u+1: new node u already took t
	for u := m + 1; u < n; u++ {
		ends := uint64(2 * len(e)) // the urn is the list as it was before u came
		for range m {
			i := s.IntN(ends)
			t := e[i/2][i%2]
			for chose[t] == int32(u+1) {
				i = s.IntN(ends)
				t = e[i/2][i%2]
			}
			chose[t] = int32(u + 1)
			e = append(e, [2]int32{t, int32(u)})
		}
	}
	return e.lists(n)
}
