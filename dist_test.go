package arv_test

import (
	"math"
	"testing"

	"github.com/arv-project/arv"
)

// TestDistQuantile checks the inverse distribution functions at known
// points, and that each averages to the distribution's mean over u.
func TestDistQuantile(t *testing.T) {
	tri := arv.Dist{Kind: arv.DistTriangular, Min: 30, Mean: 60, Max: 120}
	logn := arv.Dist{Kind: arv.DistLognormal, Mean: 3, SD: 2}
	for _, c := range []struct {
		name string
		d    arv.Dist
		u    float64
		want float64
	}{
		{"fixed", arv.Dist{Kind: arv.DistFixed, Mean: 5}, 0.9, 5},
		{"exponential median", arv.Dist{Kind: arv.DistExponential, Mean: 4}, 0.5, 4 * math.Ln2},
		{"uniform", arv.Dist{Kind: arv.DistUniform, Min: 1, Max: 3}, 0.25, 1.5},
		{"triangular low end", tri, 0, 30},
		{"triangular mode", tri, 1.0 / 3, 60},
		{"triangular high end", tri, 1, 120},
		{"triangular of no width", arv.Dist{Kind: arv.DistTriangular, Min: 7, Mean: 7, Max: 7}, 0.5, 7},
		{"lognormal median", logn, 0.5, 3 / math.Sqrt(1+4.0/9)},
		{"lognormal of no spread", arv.Dist{Kind: arv.DistLognormal, Mean: 3}, 0.9, 3},
		{"lognormal without a mean", arv.Dist{Kind: arv.DistLognormal, SD: 1}, 0.5, 0},
		{"unknown kind", arv.Dist{Kind: "gamma", Mean: 5}, 0.5, 0},
	} {
		if got := c.d.Quantile(c.u); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Quantile(%g) = %g, want %g", c.name, c.u, got, c.want)
		}
	}
	for _, d := range []arv.Dist{
		{Kind: arv.DistExponential, Mean: 4},
		{Kind: arv.DistUniform, Min: 1, Max: 3},
		tri,
		logn,
	} {
		const n = 200000
		sum := 0.0
		for i := range n {
			sum += d.Quantile((float64(i) + 0.5) / n)
		}
		if got, want := sum/n, d.MeanMinutes(); math.Abs(got-want) > 0.01*want {
			t.Errorf("%s: mean of the quantiles %g, want %g", d.Kind, got, want)
		}
	}
}
