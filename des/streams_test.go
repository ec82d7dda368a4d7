package des

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// first returns the first n values of a generator.
func first(r *rand.Rand, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func TestStreamsReproducible(t *testing.T) {
	a := NewStreams(42, 7).Stream(3)
	b := NewStreams(42, 7).Stream(3)
	for i, x := range first(a, 1000) {
		if y := b.Uint64(); x != y {
			t.Fatalf("value %d: %#x then %#x", i, x, y)
		}
	}
	s := NewStreams(42, 7)
	if s.Seed() != 42 || s.Replication() != 7 {
		t.Fatalf("Seed, Replication = %d, %d, want 42, 7", s.Seed(), s.Replication())
	}
}

// TestStreamsGolden pins the sequences. Every recorded run is replayed
// from its seed, so a change here changes every past result: it must be
// deliberate, and announced.
func TestStreamsGolden(t *testing.T) {
	cases := []struct {
		seed   uint64
		rep, k int
		s1, s2 uint64 // Seeds(k)
		u0, u1 uint64 // the first two values of Stream(k)
	}{
		{0, 0, 0, 0xf1acae80eb044948, 0xe220a8397b1dcdaf, 0xc5ab03c7e7569e59, 0x6618e17f3d8e81f6},
		{1, 0, 0, 0x18e2f53acfe52431, 0xe220a8397b1dcdaf, 0xa5b1cca1c9ef9afb, 0x175c57aff208247f},
		{2024, 3, 7, 0x3945b3d58b387474, 0x950e0a0f498b7b6b, 0x6a92c079c4e8584c, 0x43a6f0e793f85d24},
		{math.MaxUint64, -1, math.MaxInt, 0x51ed224e1ad2691f, 0xe4d971771b652c20, 0x1ce0fe54fe8a53ee, 0x1c7e96bd5411cfd3},
	}
	for _, tc := range cases {
		s := NewStreams(tc.seed, tc.rep)
		s1, s2 := s.Seeds(tc.k)
		r := s.Stream(tc.k)
		u0, u1 := r.Uint64(), r.Uint64()
		if s1 != tc.s1 || s2 != tc.s2 || u0 != tc.u0 || u1 != tc.u1 {
			t.Errorf("NewStreams(%d, %d): stream %d: seeds (%#x, %#x), values (%#x, %#x), want (%#x, %#x), (%#x, %#x)",
				tc.seed, tc.rep, tc.k, s1, s2, u0, u1, tc.s1, tc.s2, tc.u0, tc.u1)
		}
	}
}

// TestStreamsReseed checks that reseeding a PCG in place with Seeds gives
// the same sequence as Stream.
func TestStreamsReseed(t *testing.T) {
	s := NewStreams(9, 2)
	pcg := rand.NewPCG(0, 0)
	r := rand.New(pcg)
	for k := range 5 {
		pcg.Seed(s.Seeds(k))
		want := first(s.Stream(k), 100)
		if got := first(r, 100); !slices.Equal(got, want) {
			t.Fatalf("stream %d: reseeded PCG differs from Stream", k)
		}
	}
}

// TestStreamsDistinct checks that changing any one of seed, replication
// and stream number gives an unrelated sequence: the first 1,000 values
// of the two share none. For independent uniform 64-bit values the
// chance of a coincidence is 1000²/2⁶⁴ ≈ 5·10⁻¹⁴, so any shared value
// means overlapping streams.
func TestStreamsDistinct(t *testing.T) {
	type id struct {
		seed   uint64
		rep, k int
	}
	base := id{seed: 1, rep: 0, k: 0}
	cases := []struct {
		name  string
		other id
	}{
		{"NextStream", id{1, 0, 1}},
		{"NextReplication", id{1, 1, 0}},
		{"NextSeed", id{2, 0, 0}},
		{"NegativeStream", id{1, 0, -1}},
		{"NegativeReplication", id{1, -1, 0}},
		{"StreamBeyondInt32", id{1, 0, 1 << 32}},
		{"ReplicationBeyondInt32", id{1, 1 << 32, 0}},
		{"SeedHighBit", id{1 | 1<<63, 0, 0}},
	}
	a := first(NewStreams(base.seed, base.rep).Stream(base.k), 1000)
	seen := make(map[uint64]bool, len(a))
	for _, x := range a {
		seen[x] = true
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := first(NewStreams(tc.other.seed, tc.other.rep).Stream(tc.other.k), 1000)
			for i, x := range b {
				if seen[x] {
					t.Fatalf("value %d of %+v also occurs in %+v", i, tc.other, base)
				}
			}
		})
	}
}

// TestStreamsSeedsInjective checks that distinct (seed, replication,
// stream) triples get distinct generator seeds, over a grid of small
// values and the edges of the int32 range, as Seeds promises.
func TestStreamsSeedsInjective(t *testing.T) {
	small := []int{-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31, 32, 33, 63, 64, 65, 255, 256, 1000,
		math.MaxInt32, math.MaxInt32 - 1, math.MinInt32, math.MinInt32 + 1}
	seeds := []uint64{0, 1, 2, 3, 42, 1 << 32, 1 << 63, math.MaxUint64}
	seen := make(map[[2]uint64][3]uint64)
	for _, seed := range seeds {
		for _, rep := range small {
			for _, k := range small {
				s1, s2 := NewStreams(seed, rep).Seeds(k)
				key := [2]uint64{s1, s2}
				if prev, ok := seen[key]; ok {
					t.Fatalf("(%d, %d, %d) and %v share seeds %#x, %#x", seed, rep, k, prev, s1, s2)
				}
				seen[key] = [3]uint64{seed, uint64(rep), uint64(k)}
			}
		}
	}
}

// TestStreamsIndependentOfUse checks that a stream's sequence does not
// depend on how much the other streams drew, or in what order the
// streams were created.
func TestStreamsIndependentOfUse(t *testing.T) {
	s := NewStreams(5, 1)
	want := first(s.Stream(2), 1000)
	for _, n := range []int{0, 1, 17, 10_000} {
		others := []*rand.Rand{s.Stream(0), s.Stream(1), s.Stream(3)}
		for i := range n {
			others[i%3].Uint64()
		}
		r := s.Stream(2)
		got := make([]uint64, 0, 1000)
		for i := range 1000 {
			got = append(got, r.Uint64())
			others[i%3].NormFloat64() // interleaved draws elsewhere
		}
		if !slices.Equal(got, want) {
			t.Fatalf("stream 2 changed after %d draws from other streams", n)
		}
	}
}

// TestStreamsUncorrelated checks that neighbouring streams, replications
// and seeds are uncorrelated: for independent sequences of n uniforms
// the sample correlation is about normal with standard deviation 1/√n,
// so |ρ| must stay below 4/√n (a false alarm once in 16,000 runs).
func TestStreamsUncorrelated(t *testing.T) {
	const n = 100_000
	pairs := []struct {
		name string
		a, b *rand.Rand
	}{
		{"Streams", NewStreams(1, 0).Stream(0), NewStreams(1, 0).Stream(1)},
		{"Replications", NewStreams(1, 0).Stream(0), NewStreams(1, 1).Stream(0)},
		{"Seeds", NewStreams(1, 0).Stream(0), NewStreams(2, 0).Stream(0)},
	}
	for _, p := range pairs {
		var sx, sy, sxx, syy, sxy float64
		for range n {
			x, y := p.a.Float64(), p.b.Float64()
			sx += x
			sy += y
			sxx += x * x
			syy += y * y
			sxy += x * y
		}
		cov := sxy/n - sx/n*sy/n
		rho := cov / math.Sqrt((sxx/n-sx/n*sx/n)*(syy/n-sy/n*sy/n))
		if limit := 4 / math.Sqrt(n); math.Abs(rho) > limit {
			t.Errorf("%s: correlation %.4f, want |ρ| < %.4f", p.name, rho, limit)
		}
	}
}
