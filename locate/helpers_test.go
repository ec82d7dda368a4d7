package locate

import (
	"math"
	"math/rand/v2"
	"testing"
)

// county returns a synthetic county of the benchmark's shape: C candidate
// sites uniform over a 60×60 km square and D demand points, 60% of them
// round 8 towns (normal, σ = 3 km) and 40% uniform, with lognormal
// weights (μ = 0, σ = 1: a median of 1 incident and a long tail).
// Travel time is the straight-line distance × 1.3 (a usual road detour
// factor) at 60 km/h: 1.3 minutes per km. T = 20 minutes, the proposed
// rural response standard; Busy = 0.2, an ARV's typical utilisation.
func county(seed uint64, C, D, units int) *Problem {
	const (
		side   = 60.0 // km
		detour = 1.3
		speed  = 60.0 // km/h
	)
	r := rand.New(rand.NewPCG(seed, 1))
	type pt struct{ x, y float64 }
	towns := make([]pt, 8)
	for i := range towns {
		towns[i] = pt{5 + r.Float64()*(side-10), 5 + r.Float64()*(side-10)}
	}
	clamp := func(v float64) float64 { return min(side, max(0, v)) }
	dem := make([]pt, D)
	w := make([]float64, D)
	for d := range dem {
		if r.Float64() < 0.6 {
			t := towns[r.IntN(len(towns))]
			dem[d] = pt{clamp(t.x + 3*r.NormFloat64()), clamp(t.y + 3*r.NormFloat64())}
		} else {
			dem[d] = pt{r.Float64() * side, r.Float64() * side}
		}
		w[d] = math.Exp(r.NormFloat64())
	}
	p := &Problem{
		Candidates: C, Demands: D,
		Time:   make([]float32, C*D),
		Weight: w,
		Units:  units,
		Within: 20,
		Busy:   0.2,
	}
	for c := range C {
		s := pt{r.Float64() * side, r.Float64() * side}
		for d, q := range dem {
			km := math.Hypot(s.x-q.x, s.y-q.y)
			p.Time[c*D+d] = float32(km * detour / speed * 60)
		}
	}
	return p
}

// small returns a random small problem: C candidates and D points with
// times uniform on [0, 30) minutes, a tenth of them unreachable, integer
// weights 0 to 9 (some zero), T = 12 minutes, and Busy = 0.3.
func small(r *rand.Rand, C, D, units int) *Problem {
	p := &Problem{
		Candidates: C, Demands: D,
		Time:   make([]float32, C*D),
		Weight: make([]float64, D),
		Units:  units,
		Within: 12,
		Busy:   0.3,
	}
	for i := range p.Time {
		if r.IntN(10) == 0 {
			p.Time[i] = float32(math.Inf(1))
		} else {
			p.Time[i] = float32(r.Float64() * 30)
		}
	}
	for d := range p.Weight {
		p.Weight[d] = float64(r.IntN(10))
	}
	return p
}

// sites returns the counts per candidate as a sorted site list.
func sitesOf(cnt []int) []int {
	var out []int
	for c, n := range cnt {
		for range n {
			out = append(out, c)
		}
	}
	return out
}

// brute returns the optimum of p for m by enumerating every multiset of
// p.Units units containing p.Fixed, each candidate holding at most
// PerSite, with Evaluate. It is the oracle the exact solver is checked
// against, so it shares nothing with the package's solvers.
func brute(tb testing.TB, p *Problem, m Model) float64 {
	tb.Helper()
	per := p.perSite()
	cnt := make([]int, p.Candidates)
	for _, f := range p.Fixed {
		cnt[f]++
	}
	best := math.NaN()
	var rec func(c, left int)
	rec = func(c, left int) {
		if left == 0 {
			v, err := Evaluate(p, m, sitesOf(cnt))
			if err != nil {
				tb.Fatal(err)
			}
			if math.IsNaN(best) || (m.maximises() && v > best) || (!m.maximises() && v < best) {
				best = v
			}
			return
		}
		if c == p.Candidates {
			return
		}
		for n := 0; n <= min(left, per-cnt[c]); n++ {
			cnt[c] += n
			rec(c+1, left-n)
			cnt[c] -= n
		}
	}
	rec(0, p.Units-len(p.Fixed))
	return best
}
