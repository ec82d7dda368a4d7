package des

import (
	"math"
	"math/rand/v2"
)

// The variate helpers below draw from the generator they are given and
// work in whatever unit the caller uses for their parameters (seconds,
// minutes, metres): the result is in the same unit.
//
// Each takes the same numbers from r whatever its parameters, so that
// changing a mean between two scenarios does not shift the rest of the
// stream and the scenarios still see common random numbers. Invalid
// parameters give NaN, never a panic; a model validates its parameters
// once, when it is built, and Queue.Schedule panics on a NaN time.

// Exponential returns an exponentially distributed value with the given
// mean (the rate is 1/mean). It returns 0 when mean is 0 and NaN when
// mean is negative or NaN.
func Exponential(r *rand.Rand, mean float64) float64 {
	x := r.ExpFloat64()
	if !(mean >= 0) {
		return math.NaN()
	}
	if mean == 0 {
		return 0
	}
	return mean * x
}

// Lognormal returns a lognormally distributed value with the given mean
// and standard deviation, the parameters a service-time distribution is
// usually quoted with, rather than those of the underlying normal. Those
// are
//
//	σ² = ln(1 + sd²/mean²),  μ = ln(mean) − σ²/2,
//
// and the result is exp(μ + σZ) for a standard normal Z. It returns mean
// when sd is 0, and NaN when mean or sd is negative or NaN or when mean
// is 0 and sd is not.
//
// Lognormal computes μ and σ on every call, which costs two logarithms;
// a model drawing from the same distribution in its inner loop converts
// once with LognormalParams and calls LognormalMuSigma (see
// BenchmarkLognormal).
func Lognormal(r *rand.Rand, mean, sd float64) float64 {
	mu, sigma := LognormalParams(mean, sd)
	x := LognormalMuSigma(r, mu, sigma)
	if sd == 0 && mean >= 0 {
		return mean // exact, where exp(ln(mean)) may be off by one ulp
	}
	return x
}

// LognormalParams converts the mean and standard deviation of a lognormal
// distribution to the mean μ and standard deviation σ of its logarithm
// (see Lognormal). It returns NaNs when mean or sd is negative or NaN or
// when mean is 0 and sd is not; mean 0 and sd 0 give μ = −Inf and σ = 0,
// which LognormalMuSigma turns into 0.
func LognormalParams(mean, sd float64) (mu, sigma float64) {
	if !(mean >= 0 && sd >= 0) || (mean == 0 && sd != 0) {
		return math.NaN(), math.NaN()
	}
	if sd == 0 {
		return math.Log(mean), 0
	}
	cv := sd / mean
	s2 := math.Log1p(cv * cv)
	return math.Log(mean) - s2/2, math.Sqrt(s2)
}

// LognormalMuSigma returns exp(μ + σZ) for a standard normal Z: a
// lognormally distributed value whose logarithm has mean mu and standard
// deviation sigma. It returns NaN when sigma is negative or NaN.
func LognormalMuSigma(r *rand.Rand, mu, sigma float64) float64 {
	z := r.NormFloat64()
	if !(sigma >= 0) {
		return math.NaN()
	}
	if sigma == 0 {
		return math.Exp(mu)
	}
	return math.Exp(mu + sigma*z)
}

// Uniform returns a value uniformly distributed between lo and hi: in
// [lo, hi) up to rounding, and lo when lo equals hi. It returns NaN when
// hi is less than lo or either is NaN.
func Uniform(r *rand.Rand, lo, hi float64) float64 {
	u := r.Float64()
	if !(lo <= hi) {
		return math.NaN()
	}
	return lo + (hi-lo)*u
}

// Triangular returns a value from the triangular distribution on
// [lo, hi] with the given mode, by inverting its distribution function
// (one uniform per value). Its mean is (lo + mode + hi)/3. It returns lo
// when lo equals hi, and NaN unless lo ≤ mode ≤ hi.
func Triangular(r *rand.Rand, lo, mode, hi float64) float64 {
	u := r.Float64()
	if !(lo <= mode && mode <= hi) {
		return math.NaN()
	}
	w := hi - lo
	if w == 0 {
		return lo
	}
	var x float64
	if u*w < mode-lo {
		x = lo + math.Sqrt(u*w*(mode-lo))
	} else {
		x = hi - math.Sqrt((1-u)*w*(hi-mode))
	}
	return min(max(x, lo), hi)
}
