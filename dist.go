package arv

import "math"

// Quantile returns the value in minutes below which a share u of the
// distribution lies: its inverse distribution function, for u in
// [0, 1). Drawing Quantile(r.Float64()) takes exactly one uniform number
// whatever the kind, so changing a distribution (even to a fixed value)
// never shifts the numbers drawn after it: the simulator's common random
// numbers and the demo generator's repeatable seeds rest on that. It
// returns 0 for an unknown kind and for a lognormal without a positive
// mean (Validate refuses both).
func (d Dist) Quantile(u float64) float64 {
	switch d.Kind {
	case DistFixed:
		return d.Mean
	case DistExponential:
		return -d.Mean * math.Log1p(-u)
	case DistLognormal:
		if !(d.Mean > 0) {
			return 0
		}
		// Parameters of the underlying normal from the mean and sd.
		s2 := math.Log1p(d.SD * d.SD / (d.Mean * d.Mean))
		mu := math.Log(d.Mean) - s2/2
		z := math.Sqrt2 * math.Erfinv(2*u-1) // the standard normal quantile
		return math.Exp(mu + math.Sqrt(s2)*z)
	case DistUniform:
		return d.Min + (d.Max-d.Min)*u
	case DistTriangular:
		a, c, b := d.Min, d.Mean, d.Max
		switch {
		case b <= a:
			return a
		case u < (c-a)/(b-a):
			return a + math.Sqrt(u*(b-a)*(c-a))
		default:
			return b - math.Sqrt((1-u)*(b-a)*(b-c))
		}
	}
	return 0
}
