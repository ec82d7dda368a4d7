package des

import "math/rand/v2"

// Streams hands out the independent, reproducible random-number streams
// of one replication of a run. Stream k of replication r of a run with
// seed s is always the same sequence, whatever else the run does: how
// many streams it uses, how many numbers each draws, in which order, on
// which goroutine. A model that dedicates a stream to each purpose
// (arrivals, locations, durations, …) therefore gives two scenarios run
// with the same seed the same arrivals, the basis of comparing them with
// common random numbers (see the package documentation).
//
// The sequences are pinned by this package's tests: a change to how
// streams are derived would change every recorded run, so it must not
// happen silently.
//
// A Streams is a small value; copy it freely. It is safe for concurrent
// use, but the generators it returns are not.
type Streams struct {
	seed uint64
	rep  int
}

// NewStreams returns the streams of the given replication of a run with
// the given seed. Every seed and every replication number is valid.
func NewStreams(seed uint64, replication int) Streams {
	return Streams{seed: seed, rep: replication}
}

// Seed returns the run's seed.
func (s Streams) Seed() uint64 { return s.seed }

// Replication returns the replication number.
func (s Streams) Replication() int { return s.rep }

// Stream returns a new generator positioned at the start of stream k: a
// math/rand/v2 PCG generator seeded with Seeds(k). Every k is valid;
// calling Stream twice with the same k gives two generators that produce
// the same sequence. It allocates the generator, so call it once per
// stream and replication, not per event.
func (s Streams) Stream(k int) *rand.Rand {
	return rand.New(rand.NewPCG(s.Seeds(k)))
}

// Seeds returns the two seeds of stream k's PCG generator, for a model
// that keeps its generators between replications and reseeds them in
// place, without allocating:
//
//	pcg.Seed(streams.Seeds(k))
//
// The seeds are splitmix64 hashes (G. L. Steele, D. Lea and C. H. Flood,
// "Fast splittable pseudorandom number generators", OOPSLA 2014) of
// (seed, replication, k), so neighbouring streams start at unrelated
// points of the generator's 2¹²⁸ cycle. Distinct triples always give
// distinct seed pairs when the replication and k lie in the int32 range,
// and with probability 1 − 2⁻⁶⁴ otherwise.
func (s Streams) Seeds(k int) (seed1, seed2 uint64) {
	rep, kk := uint64(s.rep), uint64(k)
	// The low halves of replication and k, packed together and hashed
	// with a bijection, give seed2: distinct pairs in the int32 range give
	// distinct seed2.
	seed2 = mix64((rep<<32 | kk&0xffffffff) + golden)
	// seed1 hashes the run's seed, so for a fixed (replication, k) it is
	// a bijection of the seed, salted with seed2 and with the high halves
	// of replication and k (zero or all ones in the int32 range).
	high := rep&^0xffffffff | kk>>32
	seed1 = mix64(mix64(s.seed+salt1) ^ seed2 ^ mix64(high+salt2))
	return seed1, seed2
}

// Additive constants keep the three hashed inputs apart. golden is 2⁶⁴/φ,
// splitmix64's increment; salt1 and salt2 are the fractional parts of √2
// and √3 (SHA-512's first initial hash values): arbitrary, but with no
// structure in common.
const (
	golden = 0x9e3779b97f4a7c15
	salt1  = 0x6a09e667f3bcc908
	salt2  = 0xbb67ae8584caa73b
)

// mix64 is splitmix64's finaliser, D. Stafford's "Mix13" refinement of
// MurmurHash3's: a bijection of uint64 in which every input bit affects
// every output bit.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
