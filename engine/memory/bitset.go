package memory

import (
	"math/bits"
)

// bitset keeps one bit per node, so a million nodes cost 125 KB per set.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) clear(i int)    { b[i>>6] &^= 1 << (uint(i) & 63) }

// setFirst sets bits 0..n-1 and clears the rest.
func (b bitset) setFirst(n int) {
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		b[len(b)-1] = 1<<uint(r) - 1
	}
}

// eachAnd calls f for every i set in both b and o, in increasing order.
func (b bitset) eachAnd(o bitset, f func(i int)) {
	for wi, w := range b {
		w &= o[wi]
		for w != 0 {
			f(wi<<6 | bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

// count is the number of bits set in both b and o.
func (b bitset) countAnd(o bitset) int {
	c := 0
	for i, w := range b {
		c += bits.OnesCount64(w & o[i])
	}
	return c
}
