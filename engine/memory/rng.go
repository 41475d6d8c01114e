package memory

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// rng wraps PCG by value so the hot loop calls a concrete, inlinable method
// rather than going through rand.Source.
type rng struct{ pcg rand.PCG }

func newRNG(seed uint64) *rng {
	r := &rng{}
	// Two different words from one seed: PCG wants 128 bits of state.
	r.pcg.Seed(seed, seed^0x9e3779b97f4a7c15)
	return r
}

// intn is uniform in [0, n) (Lemire's multiply-shift with rejection, so it is
// exact, not just close).
func (r *rng) intn(n uint64) uint64 {
	hi, lo := bits.Mul64(r.pcg.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.pcg.Uint64(), n)
		}
	}
	return hi
}

// chance draws events of a fixed probability p: hit() is true with
// probability p. p = 0 and p = 1 draw nothing, which keeps loss-free runs fast.
type chance struct {
	never, always bool
	thresh        uint64
}

func newChance(p float64) chance {
	switch {
	case p <= 0:
		return chance{never: true}
	case p >= 1:
		return chance{always: true}
	}
	return chance{thresh: uint64(p * math.Exp2(64))}
}

func (c chance) hit(r *rng) bool {
	if c.never || c.always {
		return c.always
	}
	return r.pcg.Uint64() < c.thresh
}
