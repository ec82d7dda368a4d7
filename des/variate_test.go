package des

import (
	"math"
	"math/rand/v2"
	"testing"
)

// moments returns the sample mean, the sample variance and the standard
// error of the sample variance, sqrt((m₄ − s⁴)/n) with m₄ the sample
// fourth central moment (the large-sample variance of s²).
func moments(xs []float64) (mean, variance, seVariance float64) {
	n := float64(len(xs))
	for _, x := range xs {
		mean += x
	}
	mean /= n
	var m2, m4 float64
	for _, x := range xs {
		d := (x - mean) * (x - mean)
		m2 += d
		m4 += d * d
	}
	m2 /= n
	m4 /= n
	return mean, m2 * n / (n - 1), math.Sqrt((m4 - m2*m2) / n)
}

// TestVariateMoments checks each helper's sample mean and variance
// against the distribution's. With n = 200,000 draws the sample mean is
// normal to a very good approximation, with standard error sd/√n, and so
// is the sample variance, with the standard error moments estimates; a
// tolerance of 4 standard errors fails a correct helper once in 16,000
// seeds per check. The seed is fixed, so the test is deterministic.
func TestVariateMoments(t *testing.T) {
	const n = 200_000
	cases := []struct {
		name     string
		draw     func(r *rand.Rand) float64
		mean, sd float64
		lo, hi   float64 // the support
	}{
		// Exponential: variance mean².
		{"Exponential", func(r *rand.Rand) float64 { return Exponential(r, 300) }, 300, 300, 0, math.Inf(1)},
		// Lognormal by its own mean and sd, as a service time is quoted
		// (20 min ± 10 min).
		{"Lognormal", func(r *rand.Rand) float64 { return Lognormal(r, 1200, 600) }, 1200, 600, 0, math.Inf(1)},
		{"LognormalNarrow", func(r *rand.Rand) float64 { return Lognormal(r, 10, 0.5) }, 10, 0.5, 0, math.Inf(1)},
		// Uniform: variance (hi − lo)²/12.
		{"Uniform", func(r *rand.Rand) float64 { return Uniform(r, 60, 180) }, 120, 120 / math.Sqrt(12), 60, 180},
		{"UniformNegative", func(r *rand.Rand) float64 { return Uniform(r, -5, 1) }, -2, 6 / math.Sqrt(12), -5, 1},
		// Triangular: mean (a + b + c)/3, variance
		// (a² + b² + c² − ab − ac − bc)/18.
		{"Triangular", func(r *rand.Rand) float64 { return Triangular(r, 5, 10, 30) }, 15, math.Sqrt((25 + 100 + 900 - 50 - 150 - 300) / 18.0), 5, 30},
		{"TriangularModeLow", func(r *rand.Rand) float64 { return Triangular(r, 0, 0, 6) }, 2, math.Sqrt(36 / 18.0), 0, 6},
		{"TriangularModeHigh", func(r *rand.Rand) float64 { return Triangular(r, 0, 6, 6) }, 4, math.Sqrt(36 / 18.0), 0, 6},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 11))
			xs := make([]float64, n)
			for j := range xs {
				xs[j] = tc.draw(r)
				if !(xs[j] >= tc.lo && xs[j] <= tc.hi) {
					t.Fatalf("draw %d = %v, outside [%v, %v]", j, xs[j], tc.lo, tc.hi)
				}
			}
			mean, variance, se := moments(xs)
			if tol := 4 * tc.sd / math.Sqrt(n); math.Abs(mean-tc.mean) > tol {
				t.Errorf("mean %.4f, want %.4f ± %.4f", mean, tc.mean, tol)
			}
			if want, tol := tc.sd*tc.sd, 4*se; math.Abs(variance-want) > tol {
				t.Errorf("variance %.4f (sd %.4f), want %.4f ± %.4f (sd %.4f)", variance, math.Sqrt(variance), want, tol, tc.sd)
			}
		})
	}
}

// TestLognormalShape checks that Lognormal's logarithm is normal with the
// μ and σ LognormalParams gives: the mean of ln X is μ within 4 standard
// errors σ/√n, and the share of draws below exp(μ), the median, is ½
// within 4 binomial standard errors ½/√n. The coefficient of variation
// is 1, heavy enough that the sample variance of X itself converges too
// slowly to test.
func TestLognormalShape(t *testing.T) {
	const n = 200_000
	mu, sigma := LognormalParams(100, 100)
	// σ² = ln(1 + 1) and μ = ln 100 − σ²/2.
	if want := math.Sqrt(math.Ln2); math.Abs(sigma-want) > 1e-15 {
		t.Fatalf("sigma %v, want %v", sigma, want)
	}
	if want := math.Log(100) - math.Ln2/2; math.Abs(mu-want) > 1e-14 {
		t.Fatalf("mu %v, want %v", mu, want)
	}
	r := rand.New(rand.NewPCG(8, 8))
	var sumLog float64
	below := 0
	for range n {
		x := Lognormal(r, 100, 100)
		sumLog += math.Log(x)
		if x < math.Exp(mu) {
			below++
		}
	}
	if got, tol := sumLog/n, 4*sigma/math.Sqrt(n); math.Abs(got-mu) > tol {
		t.Errorf("mean of ln X %.5f, want %.5f ± %.5f", got, mu, tol)
	}
	if got, tol := float64(below)/n, 4*0.5/math.Sqrt(n); math.Abs(got-0.5) > tol {
		t.Errorf("share below the median %.4f, want 0.5 ± %.4f", got, tol)
	}
}

func TestVariateEdges(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		got  float64
		want float64 // NaN means NaN
	}{
		{"ExponentialZeroMean", Exponential(r, 0), 0},
		{"ExponentialNegativeMean", Exponential(r, -1), nan},
		{"ExponentialNaN", Exponential(r, nan), nan},
		{"LognormalZeroSD", Lognormal(r, 7.25, 0), 7.25},
		{"LognormalZero", Lognormal(r, 0, 0), 0},
		{"LognormalZeroMean", Lognormal(r, 0, 1), nan},
		{"LognormalNegativeMean", Lognormal(r, -1, 1), nan},
		{"LognormalNegativeSD", Lognormal(r, 1, -1), nan},
		{"LognormalNaN", Lognormal(r, nan, 1), nan},
		{"LognormalMuSigmaZero", LognormalMuSigma(r, 0, 0), 1},
		{"LognormalMuSigmaNegative", LognormalMuSigma(r, 0, -1), nan},
		{"UniformPoint", Uniform(r, 4, 4), 4},
		{"UniformReversed", Uniform(r, 5, 4), nan},
		{"UniformNaN", Uniform(r, nan, 4), nan},
		{"TriangularPoint", Triangular(r, 3, 3, 3), 3},
		{"TriangularModeBelow", Triangular(r, 3, 2, 5), nan},
		{"TriangularModeAbove", Triangular(r, 3, 6, 5), nan},
		{"TriangularNaN", Triangular(r, 0, nan, 1), nan},
		{"TriangularInf", Triangular(r, 0, 1, inf), nan},
	}
	for _, tc := range cases {
		if math.IsNaN(tc.want) != math.IsNaN(tc.got) || !math.IsNaN(tc.want) && tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// TestVariateConsumption checks that each helper takes the same numbers
// from its generator whatever its parameters, valid or not, so that
// changing a parameter between two scenarios keeps the rest of the
// stream in step (common random numbers).
func TestVariateConsumption(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		a, b func(r *rand.Rand) float64
	}{
		{"Exponential", func(r *rand.Rand) float64 { return Exponential(r, 1) }, func(r *rand.Rand) float64 { return Exponential(r, 0) }},
		{"ExponentialInvalid", func(r *rand.Rand) float64 { return Exponential(r, 1) }, func(r *rand.Rand) float64 { return Exponential(r, nan) }},
		{"Lognormal", func(r *rand.Rand) float64 { return Lognormal(r, 1, 1) }, func(r *rand.Rand) float64 { return Lognormal(r, 50, 0) }},
		{"LognormalInvalid", func(r *rand.Rand) float64 { return Lognormal(r, 1, 1) }, func(r *rand.Rand) float64 { return Lognormal(r, -1, 0) }},
		{"Uniform", func(r *rand.Rand) float64 { return Uniform(r, 0, 1) }, func(r *rand.Rand) float64 { return Uniform(r, 3, 3) }},
		{"UniformInvalid", func(r *rand.Rand) float64 { return Uniform(r, 0, 1) }, func(r *rand.Rand) float64 { return Uniform(r, 1, 0) }},
		{"Triangular", func(r *rand.Rand) float64 { return Triangular(r, 0, 1, 2) }, func(r *rand.Rand) float64 { return Triangular(r, 5, 5, 5) }},
		{"TriangularInvalid", func(r *rand.Rand) float64 { return Triangular(r, 0, 1, 2) }, func(r *rand.Rand) float64 { return Triangular(r, 2, 1, 0) }},
	}
	for _, tc := range cases {
		ra := rand.New(rand.NewPCG(4, 4))
		rb := rand.New(rand.NewPCG(4, 4))
		// 10,000 draws take the ziggurat methods of ExpFloat64 and
		// NormFloat64 through their rarely taken branches many times.
		for i := range 10_000 {
			tc.a(ra)
			tc.b(rb)
			if x, y := ra.Uint64(), rb.Uint64(); x != y {
				t.Fatalf("%s: streams out of step after draw %d", tc.name, i)
			}
		}
	}
}

func TestVariateAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	if a := testing.AllocsPerRun(1000, func() {
		Exponential(r, 1)
		Lognormal(r, 1, 1)
		Uniform(r, 0, 1)
		Triangular(r, 0, 1, 2)
	}); a != 0 {
		t.Errorf("%v allocations per round of draws, want 0", a)
	}
}
