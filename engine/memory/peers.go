package memory

// peerPicker draws k distinct peers uniformly among the n-1 other nodes with
// Floyd's algorithm: exactly k draws, whatever k is.
type peerPicker struct {
	n, k int
	out  []int32
	// For large k a linear "already picked?" scan costs k^2; stamps make it
	// O(1) for the price of 4 bytes per node, paid only when k is large.
	stamp []uint32
	epoch uint32
}

const linearScanMax = 32

func newPeerPicker(n, k int) peerPicker {
	p := peerPicker{n: n, k: k, out: make([]int32, 0, k)}
	if k > linearScanMax {
		p.stamp = make([]uint32, n)
	}
	return p
}

// pick returns k distinct peers of self; the slice is reused by the next call.
func (p *peerPicker) pick(r *rng, self int) []int32 {
	m := p.n - 1 // candidates are 0..m-1, mapped around self
	out := p.out[:0]
	if p.k == 1 {
		out = append(out, int32(r.intn(uint64(m))))
	} else {
		p.epoch++
		if p.epoch == 0 { // wrapped: old stamps could alias
			clear(p.stamp)
			p.epoch = 1
		}
		for j := m - p.k; j < m; j++ {
			t := int32(r.intn(uint64(j + 1)))
			if p.picked(out, t) {
				t = int32(j)
			}
			out = append(out, t)
			if p.stamp != nil {
				p.stamp[t] = p.epoch
			}
		}
	}
	for i, t := range out {
		if int(t) >= self {
			out[i] = t + 1
		}
	}
	p.out = out
	return out
}

func (p *peerPicker) picked(out []int32, t int32) bool {
	if p.stamp != nil {
		return p.stamp[t] == p.epoch
	}
	for _, o := range out {
		if o == t {
			return true
		}
	}
	return false
}
