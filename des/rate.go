package des

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// PiecewiseRate is the rate of a non-homogeneous Poisson process that is
// constant over each step of a repeating period: for example 168 hourly
// rates making up a week, the week repeating for as long as the run
// lasts. Rates are events per second (per unit of Time).
//
// Next draws the time of the next event exactly, by inverting the
// cumulative rate (the integrated rate function Λ): with E an
// exponential variate of mean 1, the next event after now is the time t
// with Λ(t) − Λ(now) = E (Law, "Simulation Modeling and Analysis",
// §8.6, "Generating arrival processes"; see the package documentation for
// thinning, the alternative). Unlike thinning it wastes no draws, and it takes
// exactly one value from the stream per event whatever the rates, so two
// scenarios with different demand still consume their streams in step.
//
// Construct a PiecewiseRate with NewPiecewiseRate, which validates the
// rates and precomputes Λ at the step boundaries; the zero value has no
// events. A PiecewiseRate is immutable and safe for concurrent use.
type PiecewiseRate struct {
	period Time
	step   Time
	rates  []float64
	cum    []float64 // cum[i] = Λ(i·step), the expected events in steps 0..i-1; len(rates)+1 entries
}

// NewPiecewiseRate returns the piecewise-constant rate with the given
// rates, one for each step of the given length, repeating every period.
// The period must equal step × len(rates) (to one part in a billion);
// passing both catches a table of the wrong length. Each rate must be
// finite and not negative, and the expected number of events in a period
// must be finite. A rate of zero means no events in that step; all zero
// means no events at all.
func NewPiecewiseRate(period, step Time, rates []float64) (PiecewiseRate, error) {
	switch {
	case !(period > 0 && period <= math.MaxFloat64):
		return PiecewiseRate{}, fmt.Errorf("des: rate period %g s is not a positive finite time", period)
	case !(step > 0 && step <= math.MaxFloat64):
		return PiecewiseRate{}, fmt.Errorf("des: rate step %g s is not a positive finite time", step)
	case len(rates) == 0:
		return PiecewiseRate{}, errors.New("des: no rates")
	}
	if n := step * float64(len(rates)); !(math.Abs(n-period) <= 1e-9*period) {
		return PiecewiseRate{}, fmt.Errorf("des: %d rates of %g s cover %g s, not the period of %g s", len(rates), step, n, period)
	}
	p := PiecewiseRate{
		period: step * float64(len(rates)), // so that the steps tile it exactly
		step:   step,
		rates:  make([]float64, len(rates)),
		cum:    make([]float64, len(rates)+1),
	}
	for i, x := range rates {
		if !(x >= 0 && x <= math.MaxFloat64) {
			return PiecewiseRate{}, fmt.Errorf("des: rate %d is %g, not a finite non-negative number", i, x)
		}
		p.rates[i] = x
		p.cum[i+1] = p.cum[i] + x*step
		if math.IsInf(p.cum[i+1], 0) {
			return PiecewiseRate{}, fmt.Errorf("des: rates up to %d add up to more events per period than a float64 holds", i)
		}
	}
	return p, nil
}

// Period returns the length of the repeating period: the step times the
// number of rates, which may differ from the period passed to
// NewPiecewiseRate in the last few bits.
func (p *PiecewiseRate) Period() Time { return p.period }

// Step returns the length of each step.
func (p *PiecewiseRate) Step() Time { return p.step }

// Rates returns a copy of the rates, one per step.
func (p *PiecewiseRate) Rates() []float64 { return append([]float64(nil), p.rates...) }

// PerPeriod returns the expected number of events in one period.
func (p *PiecewiseRate) PerPeriod() float64 {
	if len(p.cum) == 0 {
		return 0
	}
	return p.cum[len(p.cum)-1]
}

// Rate returns the rate at time t. It returns NaN when t is not finite.
func (p *PiecewiseRate) Rate(t Time) float64 {
	if len(p.rates) == 0 {
		return 0
	}
	if t-t != 0 { // NaN or ±Inf
		return math.NaN()
	}
	_, x := p.split(t)
	return p.rates[p.stepAt(x)]
}

// split returns the start of the period containing t and t's offset into
// it, in [0, period). t must be finite. When the period is a whole number
// and |t| < 2⁵², both are exact.
func (p *PiecewiseRate) split(t Time) (base, x Time) {
	if q := math.Floor(t / p.period); math.Abs(q) < 1<<52 {
		// The common case, without math.Mod's loop over the exponent
		// difference: q is the period number, perhaps off by one where
		// t/period rounds across an integer.
		base = q * p.period
		x = t - base
		if x < 0 {
			base -= p.period
			x = t - base
		} else if x >= p.period {
			base += p.period
			x = t - base
		}
	} else {
		x = math.Mod(t, p.period) // exact
		if x < 0 {
			x += p.period
		}
		base = t - x
	}
	// Rounding, where the period is not exact, can leave x just outside.
	if x < 0 {
		x = 0
	} else if x >= p.period {
		base, x = base+p.period, 0
	}
	return base, x
}

// stepAt returns the step containing offset x in [0, period). The
// correction makes the answer exact when the step's multiples are exact
// (whole seconds, say), where x/step alone may round to the next step
// just below a boundary.
func (p *PiecewiseRate) stepAt(x Time) int {
	n := len(p.rates)
	i := int(x / p.step)
	if i >= n {
		i = n - 1
	}
	if i > 0 && float64(i)*p.step > x {
		i--
	} else if i+1 < n && float64(i+1)*p.step <= x {
		i++
	}
	return i
}

// Next returns the time of the first event after now, drawing one
// exponential variate from r. The process starts at time 0: from a
// negative now, Next returns the first event after 0. It returns now
// itself when now is not finite, and otherwise +Inf when every rate is
// zero (or for the zero PiecewiseRate). The result is never before now.
//
// Next takes O(1) time when the event falls in the current step and
// O(log n) otherwise, for n steps (a binary search of the precomputed
// cumulative rate), and allocates nothing. No event falls in a step whose
// rate is zero when the multiples of the step and the period are exact
// float64 values (whole seconds, say); otherwise this holds up to
// rounding at the ends of steps.
func (p *PiecewiseRate) Next(r *rand.Rand, now Time) Time {
	e := r.ExpFloat64()
	if now-now != 0 { // NaN or ±Inf
		return now
	}
	n := len(p.rates)
	if n == 0 || p.cum[n] == 0 {
		return math.Inf(1)
	}
	// The process starts with the run, at time 0. (Starting from negative
	// times would also be well defined, by repeating the period backwards,
	// but the start of the period containing a time within a period of
	// −MaxFloat64 does not exist in float64.)
	now = max(now, 0)
	base, x := p.split(now)
	j := p.stepAt(x)
	end := float64(j+1) * p.step
	if rj := p.rates[j]; rj > 0 {
		if y := x + e/rj; y < end {
			return p.at(now, base, j, y)
		}
	}
	// Λ at the event, measured from the start of now's period, and how
	// many whole periods it lies ahead.
	total := p.cum[n]
	target := p.cum[j] + p.rates[j]*(x-float64(j)*p.step) + e
	if target >= total {
		rem := math.Mod(target, total) // exact
		periods := math.Round((target - rem) / total)
		base += periods * p.period
		target = rem
	}
	// The step i with cum[i] ≤ target < cum[i+1]; its rate is positive.
	lo, hi := 0, n-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if p.cum[mid+1] > target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	i := lo
	y := float64(i)*p.step + (target-p.cum[i])/p.rates[i]
	return p.at(now, base, i, y)
}

// at returns the absolute time of an event at offset y into step i of
// the period starting at base, kept inside step i and not before now
// despite rounding.
func (p *PiecewiseRate) at(now, base Time, i int, y Time) Time {
	t := base + y
	if math.IsInf(t, 1) {
		return t
	}
	if end := base + float64(i+1)*p.step; t >= end {
		t = math.Nextafter(end, math.Inf(-1))
	}
	return max(t, now)
}
