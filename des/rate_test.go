package des

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

const (
	hour = 3600.0     // seconds
	week = 168 * hour // seconds
)

// weekly returns a week of hourly rates (per second) following a fixed
// pattern: i·7 mod 11 half-events per hour in hour i, from 0 to 5 an
// hour, zero in the 16 hours that are multiples of 11.
func weekly() []float64 {
	rates := make([]float64, 168)
	for i := range rates {
		rates[i] = float64(i*7%11) / 2 / hour
	}
	return rates
}

func mustRate(tb testing.TB, period, step Time, rates []float64) PiecewiseRate {
	tb.Helper()
	p, err := NewPiecewiseRate(period, step, rates)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestNewPiecewiseRateErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name         string
		period, step Time
		rates        []float64
		want         string // in the error; "" for no error
	}{
		{"OK", week, hour, weekly(), ""},
		{"OneStep", 10, 10, []float64{0.5}, ""},
		{"AllZero", 2, 1, []float64{0, 0}, ""},
		{"PeriodRounding", 0.3, 0.1, []float64{1, 2, 3}, ""}, // 0.1·3 is 0.30000000000000004
		{"NegativeZeroRate", 2, 1, []float64{math.Copysign(0, -1), 1}, ""},
		{"ZeroPeriod", 0, hour, weekly(), "period"},
		{"NegativePeriod", -week, hour, weekly(), "period"},
		{"NaNPeriod", nan, hour, weekly(), "period"},
		{"InfPeriod", inf, hour, weekly(), "period"},
		{"ZeroStep", week, 0, weekly(), "step"},
		{"NegativeStep", week, -hour, weekly(), "step"},
		{"NaNStep", week, nan, weekly(), "step"},
		{"InfStep", week, inf, weekly(), "step"},
		{"NoRates", week, hour, nil, "no rates"},
		{"WrongLength", week, hour, make([]float64, 24), "24 rates of 3600 s cover 86400 s, not the period of 604800 s"},
		{"NegativeRate", 2, 1, []float64{1, -1}, "rate 1 is -1"},
		{"NaNRate", 2, 1, []float64{nan, 1}, "rate 0 is NaN"},
		{"InfRate", 2, 1, []float64{1, inf}, "rate 1 is +Inf"},
		{"Overflow", 4, 2, []float64{math.MaxFloat64 / 2, math.MaxFloat64 / 2}, "rates up to 1 add up to more events per period than a float64 holds"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPiecewiseRate(tc.period, tc.step, tc.rates)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tc.want)
			case err != nil && (!strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "des: ")):
				t.Fatalf("error %q, want one starting des: and containing %q", err, tc.want)
			case err == nil && (p.Step() != tc.step || len(p.Rates()) != len(tc.rates)):
				t.Fatalf("Step=%v with %d rates, want %v with %d", p.Step(), len(p.Rates()), tc.step, len(tc.rates))
			}
		})
	}
}

func TestPiecewiseRateAccessors(t *testing.T) {
	rates := weekly()
	p := mustRate(t, week, hour, rates)
	if p.Period() != week || p.Step() != hour {
		t.Fatalf("Period, Step = %v, %v, want %v, %v", p.Period(), p.Step(), week, hour)
	}
	got := p.Rates()
	got[0] = 99 // a copy: p must not change
	if p.Rates()[0] != rates[0] {
		t.Fatal("Rates returned the internal slice")
	}
	// Σ (i·7 mod 11)/2 over the week: the residues 0..10 come round
	// 168/11 times, plus the first 3 of a 16th round.
	want := 0.0
	for _, x := range rates {
		want += x * hour
	}
	if math.Abs(p.PerPeriod()-want) > 1e-9*want {
		t.Fatalf("PerPeriod=%v, want %v", p.PerPeriod(), want)
	}
	for _, tc := range []struct {
		t    Time
		want float64
	}{
		{0, rates[0]},
		{hour - 1e-9, rates[0]},
		{hour, rates[1]},
		{5*hour + 1, rates[5]},
		{week - 1, rates[167]},
		{week, rates[0]},
		{3*week + 7*hour, rates[7]},
		{-1, rates[167]}, // times before 0 repeat the pattern too
		{-week + 2*hour, rates[2]},
	} {
		if got := p.Rate(tc.t); got != tc.want {
			t.Errorf("Rate(%v)=%v, want %v", tc.t, got, tc.want)
		}
	}
	if got := p.Rate(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Rate(NaN)=%v, want NaN", got)
	}
	var zero PiecewiseRate
	if zero.Rate(5) != 0 || zero.PerPeriod() != 0 {
		t.Errorf("zero PiecewiseRate: Rate=%v, PerPeriod=%v, want 0, 0", zero.Rate(5), zero.PerPeriod())
	}
}

// TestPiecewiseRateCounts runs 400 weeks of arrivals and counts them by
// hour of the week. Each count is Poisson with mean rate × step × 400 (so
// its variance equals its mean), between 200 and 2,000 here, where the
// normal approximation is close; a tolerance of 5 standard deviations
// fails a correct implementation with probability 6·10⁻⁷ per hour, 10⁻⁴
// over the 168. Hours with rate zero must get no arrivals at all.
func TestPiecewiseRateCounts(t *testing.T) {
	const weeks = 400
	rates := weekly()
	p := mustRate(t, week, hour, rates)
	r := rand.New(rand.NewPCG(6, 6))
	counts := make([]int, 168)
	total := 0
	for now := Time(0); ; {
		next := p.Next(r, now)
		if next < now {
			t.Fatalf("Next(%v)=%v, before now", now, next)
		}
		if next >= weeks*week {
			break
		}
		counts[int(math.Mod(next, week)/hour)]++
		total++
		now = next
	}
	for i, c := range counts {
		m := rates[i] * hour * weeks
		if rates[i] == 0 {
			if c != 0 {
				t.Errorf("hour %d: rate 0 but %d arrivals", i, c)
			}
			continue
		}
		if tol := 5 * math.Sqrt(m); math.Abs(float64(c)-m) > tol {
			t.Errorf("hour %d: %d arrivals, want %.0f ± %.0f", i, c, m, tol)
		}
	}
	if m, tol := p.PerPeriod()*weeks, 5*math.Sqrt(p.PerPeriod()*weeks); math.Abs(float64(total)-m) > tol {
		t.Errorf("%d arrivals in all, want %.0f ± %.0f", total, m, tol)
	}
}

// TestPiecewiseRateGaps checks that with a constant rate the process is
// a homogeneous Poisson process across step and period boundaries: the
// gaps are exponential. At 0.2 an hour most gaps (mean 5 h) span several
// one-hour steps and many span the one-day period. Sample mean and
// variance of 50,000 gaps are checked to 4 standard errors (sd/√n for
// the mean; for the variance of an exponential, m₄ = 9·mean⁴, so the
// standard error is mean²·√(8/n)).
func TestPiecewiseRateGaps(t *testing.T) {
	const (
		n    = 50_000
		mean = 5 * hour
	)
	rates := make([]float64, 24)
	for i := range rates {
		rates[i] = 1 / mean
	}
	p := mustRate(t, 24*hour, hour, rates)
	r := rand.New(rand.NewPCG(7, 7))
	gaps := make([]float64, n)
	now := Time(0)
	for i := range gaps {
		next := p.Next(r, now)
		gaps[i] = next - now
		now = next
	}
	m, v, _ := moments(gaps)
	if tol := 4 * mean / math.Sqrt(n); math.Abs(m-mean) > tol {
		t.Errorf("mean gap %.0f s, want %.0f ± %.0f s", m, mean, tol)
	}
	if tol := 4 * mean * mean * math.Sqrt(8.0/n); math.Abs(v-mean*mean) > tol {
		t.Errorf("gap variance %.4g s², want %.4g ± %.4g", v, mean*mean, tol)
	}
}

// TestPiecewiseRateOneStep puts all arrivals of a week in one hour: every
// arrival must fall in it, whatever time Next starts from, including
// from inside it and from its boundaries.
func TestPiecewiseRateOneStep(t *testing.T) {
	rates := make([]float64, 168)
	rates[100] = 3 / hour
	p := mustRate(t, week, hour, rates)
	r := rand.New(rand.NewPCG(9, 9))
	starts := []Time{0, 100 * hour, 100*hour + 1800, 101 * hour, 101*hour - 1e-9, 99.5 * hour, week - 1, 5*week + 100*hour}
	for _, start := range starts {
		now := start
		for range 200 {
			next := p.Next(r, now)
			if next < now || p.Rate(next) == 0 || int(math.Mod(next, week)/hour) != 100 {
				t.Fatalf("from %v: Next(%v)=%v (hour %v of the week)", start, now, next, math.Mod(next, week)/hour)
			}
			now = next
		}
	}
}

// TestPiecewiseRateBoundaries crowds arrivals against the ends of steps:
// 1,000 a second in alternate seconds and none in between, from times
// near 0 and near 10⁹ s, where the spacing of float64 values (1.2·10⁻⁷ s)
// is within a few orders of magnitude of the gaps. No arrival may fall in
// a zero-rate second, not even by rounding onto its start.
func TestPiecewiseRateBoundaries(t *testing.T) {
	p := mustRate(t, 2, 1, []float64{1000, 0})
	r := rand.New(rand.NewPCG(10, 10))
	for _, start := range []Time{0, 1, math.Nextafter(1, 0), 1e9, 1e9 + 1 - 1e-7} {
		now := start
		for range 20_000 {
			next := p.Next(r, now)
			if next < now || p.Rate(next) == 0 {
				t.Fatalf("from %v: Next(%v)=%v, rate there %v", start, now, next, p.Rate(next))
			}
			now = next
		}
	}
}

func TestPiecewiseRateNoArrivals(t *testing.T) {
	zeros := mustRate(t, week, hour, make([]float64, 168))
	var zero PiecewiseRate
	for _, tc := range []struct {
		name string
		p    *PiecewiseRate
	}{{"AllZero", &zeros}, {"ZeroValue", &zero}} {
		ra := rand.New(rand.NewPCG(1, 1))
		rb := rand.New(rand.NewPCG(1, 1))
		if got := tc.p.Next(ra, 123); !math.IsInf(got, 1) {
			t.Errorf("%s: Next=%v, want +Inf", tc.name, got)
		}
		// It still takes its one draw, like every other call.
		rb.ExpFloat64()
		if ra.Uint64() != rb.Uint64() {
			t.Errorf("%s: Next did not take exactly one exponential draw", tc.name)
		}
	}
}

func TestPiecewiseRateOddNow(t *testing.T) {
	p := mustRate(t, week, hour, weekly())
	r := rand.New(rand.NewPCG(1, 1))
	// The process starts at 0: from before it, the first arrival is the
	// one drawn from 0 with the same variate.
	for _, now := range []Time{-1, -week - 5, -math.MaxFloat64} {
		ra, rb := rand.New(rand.NewPCG(2, 2)), rand.New(rand.NewPCG(2, 2))
		if got, want := p.Next(ra, now), p.Next(rb, 0); got != want {
			t.Errorf("Next(%v)=%v, want Next(0)=%v", now, got, want)
		}
	}
	if got := p.Next(r, math.NaN()); !math.IsNaN(got) {
		t.Errorf("Next(NaN)=%v, want NaN", got)
	}
	if got := p.Next(r, math.Inf(1)); !math.IsInf(got, 1) {
		t.Errorf("Next(+Inf)=%v, want +Inf", got)
	}
	if got := p.Next(r, math.Inf(-1)); !math.IsInf(got, -1) {
		t.Errorf("Next(-Inf)=%v, want -Inf", got)
	}
}

// TestPiecewiseRateConsumption checks that Next takes one exponential
// draw per call whatever the rates, so two scenarios with different
// demand profiles consume their arrival streams in step.
func TestPiecewiseRateConsumption(t *testing.T) {
	a := mustRate(t, week, hour, weekly())
	sparse := make([]float64, 168)
	sparse[3] = 1e-6
	b := mustRate(t, week, hour, sparse)
	ra := rand.New(rand.NewPCG(2, 2))
	rb := rand.New(rand.NewPCG(2, 2))
	ta, tb := Time(0), Time(0)
	for i := range 1000 {
		ta, tb = a.Next(ra, ta), b.Next(rb, tb)
		if ra.Uint64() != rb.Uint64() {
			t.Fatalf("streams out of step after arrival %d", i)
		}
	}
}

func TestPiecewiseRateAllocs(t *testing.T) {
	p := mustRate(t, week, hour, weekly())
	r := rand.New(rand.NewPCG(1, 1))
	now := Time(0)
	if a := testing.AllocsPerRun(1000, func() { now = p.Next(r, now) }); a != 0 {
		t.Errorf("Next: %v allocations per call, want 0", a)
	}
}

// checkArrivals draws n arrivals in turn from now and checks that none
// comes before the time it is drawn from, and that where times are exact
// (whole-number steps, times below 2⁴⁰) none falls in a zero-rate step.
func checkArrivals(t *testing.T, p *PiecewiseRate, now Time, n int, r *rand.Rand) {
	t.Helper()
	exact := p.Step() == math.Trunc(p.Step()) && p.Period() < 1<<40
	for range n {
		next := p.Next(r, now)
		switch {
		case math.IsNaN(now):
			if !math.IsNaN(next) {
				t.Fatalf("%v: Next(NaN)=%v", p.Rates(), next)
			}
			return
		case math.IsNaN(next) || next < now:
			t.Fatalf("step %v, rates %v: Next(%v)=%v", p.Step(), p.Rates(), now, next)
		case math.IsInf(next, 0):
			return
		case exact && math.Abs(now) < 1<<40 && next < 1<<40 && p.Rate(next) == 0:
			t.Fatalf("step %v, rates %v: Next(%v)=%v falls in a step with rate 0", p.Step(), p.Rates(), now, next)
		}
		now = next
	}
}

// TestPiecewiseRateExtremes runs checkArrivals over every combination of
// extreme values for the step, two rates and the start time: zero, tiny,
// subnormal, huge, infinite, NaN and negative. Most are rejected by
// NewPiecewiseRate; the rest must behave.
func TestPiecewiseRateExtremes(t *testing.T) {
	special := []float64{0, 1, -1, 5e-324, 1e-300, 1e-9, 0.1, 7, 3600, 1e9, 1e18, 1e300,
		math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	r := rand.New(rand.NewPCG(12, 12))
	accepted := 0
	for _, step := range special {
		for _, a := range special {
			for _, b := range special {
				p, err := NewPiecewiseRate(2*step, step, []float64{a, b})
				if err != nil {
					continue
				}
				accepted++
				for _, now := range special {
					checkArrivals(t, &p, now, 8, r)
					checkArrivals(t, &p, -now, 8, r)
				}
			}
		}
	}
	t.Logf("%d of %d rate tables accepted", accepted, len(special)*len(special)*len(special))
}

// FuzzPiecewiseRate feeds NewPiecewiseRate arbitrary periods, steps and
// rates (the bytes are read as float64 values, so NaN, infinities,
// negative, subnormal and huge rates all occur) and draws arrivals from
// whatever it accepts, from arbitrary times, with checkArrivals. Nothing
// may panic or hang.
func FuzzPiecewiseRate(f *testing.F) {
	floats := func(xs ...float64) []byte {
		b := make([]byte, 0, 8*len(xs))
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	f.Add(week, hour, floats(weekly()...), 0.0, uint64(1))
	f.Add(2.0, 1.0, floats(1000, 0), 1e9, uint64(2))
	f.Add(3.0, 1.0, floats(0, 0, 0), 5.0, uint64(3))
	f.Add(0.3, 0.1, floats(1, 0, 3), -7.5, uint64(4))
	f.Add(2.0, 1.0, floats(5e-324, 1e300), 1e300, uint64(5))
	f.Add(1.0, 1.0, floats(math.NaN()), 0.0, uint64(6))
	f.Add(2.0, 1.0, floats(-1, 1), math.NaN(), uint64(7))
	f.Fuzz(func(t *testing.T, period, step float64, raw []byte, now float64, seed uint64) {
		rates := make([]float64, 0, len(raw)/8)
		for i := 0; i+8 <= len(raw) && len(rates) < 1000; i += 8 {
			rates = append(rates, math.Float64frombits(binary.LittleEndian.Uint64(raw[i:])))
		}
		p, err := NewPiecewiseRate(period, step, rates)
		if err != nil {
			return
		}
		checkArrivals(t, &p, now, 64, rand.New(rand.NewPCG(seed, seed)))
	})
}
