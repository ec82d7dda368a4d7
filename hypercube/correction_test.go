package hypercube

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCorrectionFactors checks Q(N, ρ, j) against the values Larson and
// Odoni print for their three-server example, N = 3 and ρ = 1/2 (an
// offered load of 1.5 Erlangs with a queue): Q(3, ½, 0) = 1, Q(3, ½, 1) =
// 0.73684, Q(3, ½, 2) = 0.63158 ("Urban Operations Research", 1981,
// §5.5.3). By hand: the M/M/3 probabilities of 0, 1 and 2 busy servers
// are P0 = 4/19, P1 = 6/19, P2 = 4.5/19 (and of all 3 busy, Erlang C,
// 4.5/19), so Q(1) = (P1/3 + P2/3)/(½·½) = 14/19 and Q(2) = (P2/3)/(¼·½)
// = 12/19.
func TestCorrectionFactors(t *testing.T) {
	c := newCorrection(3, 1.5, true)
	want := []float64{1, 14.0 / 19, 12.0 / 19}
	for j, w := range want {
		if got := math.Exp(c.logQ[j]); math.Abs(got-w) > 1e-13 {
			t.Errorf("Q(3, 1/2, %d) = %.15g, want %.15g", j, got, w)
		}
	}
	if math.Abs(c.rho-0.5) > 1e-15 || math.Abs(c.allBusy-4.5/19) > 1e-15 {
		t.Errorf("rho %v, allBusy %v, want 0.5 and Erlang C 4.5/19", c.rho, c.allBusy)
	}
	// Q(N, ρ, 0) = 1 always: a given server is free with probability 1−ρ.
	for _, n := range []int{1, 2, 10, 100, 500} {
		for _, queue := range []bool{false, true} {
			for _, load := range []float64{1e-6, 0.3, 0.95} {
				c := newCorrection(n, load*float64(n), queue)
				if math.Abs(c.logQ[0]) > 1e-9 {
					t.Errorf("n=%d queue=%v load=%v: log Q(0) = %v, want 0", n, queue, load, c.logQ[0])
				}
				for j, q := range c.logQ {
					if math.IsNaN(q) || math.IsInf(q, 0) {
						t.Fatalf("n=%d queue=%v load=%v: log Q(%d) = %v", n, queue, load, j, q)
					}
				}
			}
		}
	}
}

// TestLogPathMatchesLinear checks the sums in logarithms, used when a
// correction factor would overflow (beyond about 700 servers), against
// the plain products on models where both work.
func TestLogPathMatchesLinear(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{1, 5, 40, 200} {
		lin := newCorrection(n, 0.6*float64(n), false)
		if lin.logs {
			t.Fatalf("n=%d: the linear path should be used", n)
		}
		lg := *lin
		lg.logs = true
		rho := make([]float64, n)
		logRho := make([]float64, n)
		for i := range rho {
			rho[i] = r.Float64()
			logRho[i] = math.Log(rho[i])
		}
		p := r.Perm(n)
		v1, v2 := make([]float64, n), make([]float64, n)
		lin.accumulate(v1, 0.7, p, rho, logRho)
		lg.accumulate(v2, 0.7, p, rho, logRho)
		t1, t2 := make([]float64, n), make([]float64, n)
		lin.terms(t1, p, rho, logRho)
		lg.terms(t2, p, rho, logRho)
		// terms in logarithms are scaled by their largest; compare
		// proportions.
		s1, s2 := 0.0, 0.0
		for k := range n {
			s1 += t1[k]
			s2 += t2[k]
		}
		for k := range n {
			if math.Abs(v1[k]-v2[k]) > 1e-12*max(1, v1[k]) {
				t.Errorf("n=%d: v[%d] linear %v, logs %v", n, k, v1[k], v2[k])
			}
			if math.Abs(t1[k]/s1-t2[k]/s2) > 1e-12 {
				t.Errorf("n=%d: terms[%d] linear %v, logs %v", n, k, t1[k]/s1, t2[k]/s2)
			}
		}
	}
	// 800 servers at a light load: the factors overflow and only the
	// logarithms work.
	if c := newCorrection(800, 0.01*800, false); !c.logs {
		t.Errorf("800 servers at 1%%: max log Q %v, want the log path", c.sufMax[0])
	}
}
