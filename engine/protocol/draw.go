package protocol

import "math/bits"

// Purpose separates the streams of different decisions, so that adding a
// draw for one purpose never shifts the numbers of another. How each
// decision indexes its draws: docs/design.md, "Randomness". New purposes go
// after the last one: renumbering changes every result.
type Purpose uint8

const (
	PurposeSource                Purpose = iota + 1 // where the rumor starts
	PurposePeers                                    // which peers a node contacts
	PurposeLoss                                     // whether a push or request is lost
	PurposeAnswerLoss                               // whether the answer to a request is lost
	PurposeFailure                                  // which nodes a failure takes
	PurposeTimer                                    // a free-running node's jitter
	PurposeTopology                                 // the trial's graph
	PurposeStop                                     // a stop rule's coins
	PurposeAntiEntropy                              // the peer of a node's anti-entropy exchange
	PurposeAntiEntropyLoss                          // whether an anti-entropy request is lost
	PurposeAntiEntropyAnswerLoss                    // whether an anti-entropy answer is lost
	PurposeChurn                                    // which nodes churn takes down and brings back
	PurposePartition                                // which group of a partition each node falls in
)

// Seed is a trial's key; every draw of the trial derives from it.
type Seed uint64

// TrialSeed is the key of one trial: a function of the scenario's seed,
// the point (its ID, which names only the parameters that change the
// trials) and the trial's number, so that adding a sweep value leaves the
// other points' trials exactly as they were (docs/design.md, "Trial
// seeds").
func TrialSeed(seed uint64, point string, trial int) Seed {
	h := uint64(14695981039346656037) // FNV-1a of the point
	for i := 0; i < len(point); i++ {
		h ^= uint64(point[i])
		h *= 1099511628211
	}
	return Seed(mix(mix(seed^h+golden) + uint64(trial) + golden))
}

// golden is SplitMix64's increment, 2^64 over the golden ratio.
const golden = 0x9e3779b97f4a7c15

// Draws are the numbers of one round and purpose. A value is cheap to
// copy and safe for concurrent use: it holds no state, only a key.
type Draws struct{ key uint64 }

// Draws fixes round and purpose. The round and purpose are mixed into the
// key once, so a hot loop over nodes pays one mix per draw.
func (s Seed) Draws(round int, p Purpose) Draws {
	return Draws{key: mix(uint64(s) ^ mix(uint64(round)<<8|uint64(p)))}
}

// Uint64 is the draw of node and index: uniform over 64 bits, and the
// same wherever and whenever it is computed.
func (d Draws) Uint64(node, index int) uint64 {
	return mix(d.key ^ (uint64(uint32(node))<<32 | uint64(uint32(index))))
}

// IntN is uniform in [0, n) for n >= 1 (Lemire's multiply-shift; the rare
// rejected draw is drawn again from a further counter, so the result is
// exact, not just close).
func (d Draws) IntN(node, index int, n uint64) uint64 {
	hi, lo := bits.Mul64(d.Uint64(node, index), n)
	if lo < n {
		return d.redraw(node, index, n, hi, lo)
	}
	return hi // kept small so that it inlines into the simulator's loop
}

func (d Draws) redraw(node, index int, n, hi, lo uint64) uint64 {
	thresh := -n % n
	for retry := uint64(1); lo < thresh; retry++ {
		hi, lo = bits.Mul64(mix(d.Uint64(node, index)^mix(retry)), n)
	}
	return hi
}

// Stream is a sequence of draws for a sequential algorithm (a graph
// generator) that needs more numbers than one node's indices hold: the
// i-th number is Uint64(i>>32, i&(1<<32-1)) of its Draws, so a Stream
// from the same Draws gives the same numbers on every engine.
type Stream struct {
	d Draws
	i uint64
}

// NewStream starts a stream at the first draw of d.
func NewStream(d Draws) *Stream { return &Stream{d: d} }

// Uint64 is the next number, uniform over 64 bits.
func (s *Stream) Uint64() uint64 {
	i := s.i
	s.i++
	return s.d.Uint64(int(i>>32), int(i&(1<<32-1)))
}

// IntN is the next number uniform in [0, n), n >= 1: Lemire's
// multiply-shift with its rejections redrawn from the stream, exact.
func (s *Stream) IntN(n uint64) uint64 {
	hi, lo := bits.Mul64(s.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(s.Uint64(), n)
		}
	}
	return hi
}

// Float64 is the next number uniform in [0, 1), on 53 bits.
func (s *Stream) Float64() float64 { return float64(s.Uint64()>>11) / (1 << 53) }

// mix is the finaliser of SplitMix64 (Stafford's variant 13): a bijection
// on 64 bits whose outputs pass BigCrush when fed a counter.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Chance decides events of one probability p from draws.
type Chance struct{ thresh uint64 }

// NewChance is p clamped to [0, 1].
func NewChance(p float64) Chance {
	switch {
	case !(p > 0):
		return Chance{}
	case p >= 1:
		return Chance{thresh: ^uint64(0)}
	}
	return Chance{thresh: uint64(p * (1 << 63) * 2)}
}

// Never is true when no event can happen: loss-free runs skip the draws.
func (c Chance) Never() bool { return c.thresh == 0 }

// Hit is whether the event happens for this draw. Probability 1 is exact:
// the threshold is the largest value, and a draw of exactly that value is
// the one in 2^64 that counts as a hit too.
func (c Chance) Hit(d Draws, node, index int) bool {
	if c.thresh == 0 {
		return false
	}
	if c.thresh == ^uint64(0) {
		return true
	}
	return d.Uint64(node, index) < c.thresh
}
