package locate

import (
	"context"
	"math"
	"time"
)

// The subgradient optimisation follows J. E. Beasley, "Lagrangean
// relaxation", in C. R. Reeves (ed.), Modern Heuristic Techniques for
// Combinatorial Problems, Blackwell, 1993: the step is
// π·(L − incumbent)/‖s‖² for the relaxation's value L and direction s;
// π starts at 2 and halves after a number of iterations without a better
// bound (the patience), and the optimisation stops when π is below a
// minimum. PMedian uses Beasley's settings (patience 30, minimum 0.005)
// with plain subgradients measured in the metric of the squared weights
// (u_d = w_d·v_d with v_d in minutes: a step moves every point's
// multiplier by comparable minutes): on the benchmark county this proves
// the optimum in 460 iterations, where the unscaled steps leave a gap of
// 0.05% after 1,200.
//
// The covering models use a simplified volume algorithm (F. Barahona and
// R. Anbil, "The volume algorithm: producing primal solutions with a
// subgradient method", Mathematical Programming 87, 2000): the direction
// is an exponential average of the subgradients (weight volumeAlpha for
// the newest) and the steps start from the best multipliers so far, with
// patience 40 and minimum 0.001. The averaging damps the zig-zag of the
// plain method, whose x flips between near-equal candidates: on the
// benchmark county at T = 15 and 10 minutes the gaps after 2,000
// iterations fall from 0.73% and 0.58% to 0.10% and 0.23%
// (MaxCover), and from 0.63% and 0.54% to 0.20% and 0.18%
// (ExpectedCover).
const (
	stepStart   = 2.0
	volumeAlpha = 0.02
)

// relaxation is one model's Lagrangian relaxation. Values are in the
// engines' internal sense: maximised, so a relaxation's value is an
// upper bound, which the driver lowers by moving the multipliers.
type relaxation interface {
	// eval solves the relaxation at the multipliers and returns its value
	// (a bound) and the objective of the feasible solution x it chose; it
	// fills the subgradient, the direction along which the multipliers
	// lower the bound.
	eval() (bound, primal float64)
	// vectors returns the multipliers, the subgradient, and the diagonal
	// metric of the steps (nil for the identity).
	vectors() (mult, sub, metric []float64)
	// nonneg reports whether the multipliers must stay ≥ 0.
	nonneg() bool
	// solution returns eval's x as units per candidate, appended to
	// buf[:0] and completed to in.units units.
	solution(buf []int32) []int32
	// reset sets the multipliers to their start for the solution cnt
	// (units per candidate), where the relaxation's value is the simple
	// bound of that solution.
	reset(cnt []int32)
}

// lagrangian drives a relaxation's subgradient optimisation in rounds,
// so that the search can improve the incumbent in between: the step's
// target is the best objective known when each round starts. A better
// target gives better steps, and an optimisation that has stopped (π at
// its minimum) resumes with π = 1 when the target improves.
type lagrangian struct {
	in     *instance
	r      relaxation
	best   float64 // best bound (internal, upper)
	local  float64 // best bound since the last restart, for the step rule
	pi     float64
	since  int     // iterations since best improved
	iters  int     // iterations run
	done   bool    // converged for target stopped
	target float64 // the target when done
	primal []int32 // the best x, units per candidate
	val    float64 // its objective
	round  []int32 // the best x of the last round (run call), nil if none
	rval   float64 // its objective

	patience int     // iterations without a better bound before π halves
	piMin    float64 // π at which the optimisation stops
	volume   bool    // average the directions, step from the best multipliers

	centre, dir []float64 // volume: the best multipliers; the averaged subgradient
	fresh       bool      // volume: centre and dir need setting
}

// newLagrangian starts the optimisation from the simple bound of cnt.
func newLagrangian(in *instance, cnt []int32) *lagrangian {
	g := &lagrangian{in: in, best: math.Inf(1), val: math.Inf(-1)}
	if in.model == PMedian {
		g.r = newMedianLR(in)
		g.patience, g.piMin = 30, 0.005
	} else {
		g.r = newCoverLR(in)
		g.patience, g.piMin, g.volume = 40, 0.001, true
		g.centre = make([]float64, in.D)
		g.dir = make([]float64, in.D)
	}
	g.restart(cnt)
	return g
}

// restart starts the optimisation afresh from the simple bound of cnt, a
// better solution than the last start's, keeping the best bound. The
// multipliers of a good solution are a better start than those the
// steps reached aiming at a worse one: on the benchmark county (MaxCover)
// a restart from the tabu search's solution proves it optimal at once,
// where continuing leaves a gap of 0.08% after 1,000 iterations.
func (g *lagrangian) restart(cnt []int32) {
	g.r.reset(cnt)
	g.pi, g.since, g.done = stepStart, 0, false
	g.local = math.Inf(1)
	g.fresh = true
}

// run makes up to n iterations with target as the incumbent's objective
// and returns how many it made. It stops early once the bound meets the
// target within tol (proven), or when π falls below its minimum; the
// first iteration of all is never stopped by the deadline, so there is
// always a bound.
func (g *lagrangian) run(ctx context.Context, n int, target, tol float64, deadline time.Time) (made int, timedOut bool, err error) {
	if g.done {
		if target <= g.target+tol {
			return 0, false, nil
		}
		g.done, g.pi, g.since = false, 1, 0
	}
	mult, sub, metric := g.r.vectors()
	nonneg := g.r.nonneg()
	g.round, g.rval = g.round[:0], math.Inf(-1)
	for ; made < n; made++ {
		if err := ctx.Err(); err != nil {
			return made, false, err
		}
		if g.iters > 0 && !deadline.IsZero() && time.Now().After(deadline) {
			return made, true, nil
		}
		bound, primal := g.r.eval()
		g.iters++
		g.best = min(g.best, bound)
		improved := bound < g.local
		if improved {
			g.local = bound
			g.since = 0
		} else if g.since++; g.since >= g.patience {
			g.pi /= 2
			g.since = 0
		}
		if primal > g.rval {
			g.rval = primal
			g.round = g.r.solution(g.round)
		}
		if primal > g.val {
			g.val = primal
			g.primal = g.r.solution(g.primal)
		}
		target = max(target, primal)
		dir, centre, ref := sub, mult, bound
		if g.volume {
			if g.fresh || improved {
				copy(g.centre, mult)
			}
			if g.fresh {
				copy(g.dir, sub)
				g.fresh = false
			} else {
				for d, s := range sub {
					g.dir[d] = volumeAlpha*s + (1-volumeAlpha)*g.dir[d]
				}
			}
			dir, centre, ref = g.dir, g.centre, g.local
		}
		norm := 0.0
		for d, s := range dir {
			if metric != nil {
				norm += s * s * metric[d]
			} else {
				norm += s * s
			}
		}
		zero := true
		for _, s := range sub {
			if s != 0 {
				zero = false
				break
			}
		}
		// A zero subgradient: x satisfies the relaxed constraints, so its
		// objective equals the bound and both are optimal.
		if g.best-target <= tol || zero || g.pi < g.piMin || norm == 0 {
			g.done, g.target = true, target
			return made + 1, false, nil
		}
		step := g.pi * (ref - target) / norm
		for d, s := range dir {
			if metric != nil {
				s *= metric[d]
			}
			v := centre[d] + step*s
			if nonneg {
				v = max(0, v)
			}
			mult[d] = v
		}
	}
	return made, false, nil
}

// top returns the n candidates with the largest key among those
// eligible, largest first, ties to the lowest index, appended to buf[:0].
// It keeps a sorted buffer of n, so it costs O(C) while few candidates
// displace the buffer's last, O(C·n) at worst.
func top(key []float64, eligible func(c int32) bool, n int, buf []int32) []int32 {
	buf = buf[:0]
	if n <= 0 {
		return buf
	}
	for c := range int32(len(key)) {
		if !eligible(c) {
			continue
		}
		k := key[c]
		if len(buf) == n && k <= key[buf[n-1]] {
			continue
		}
		if len(buf) < n {
			buf = append(buf, c)
		} else {
			buf[n-1] = c
		}
		for i := len(buf) - 1; i > 0 && key[buf[i-1]] < k; i-- {
			buf[i-1], buf[i] = buf[i], buf[i-1]
		}
	}
	return buf
}

// distinct reports whether a second unit at a candidate is worthless, so
// the relaxations may choose sets of distinct candidates: always for
// PMedian, and for the covering models when m[1] = 0 (Busy = 0).
func (in *instance) distinct() bool {
	return in.model == PMedian || len(in.m) < 2 || in.m[1] == 0
}

// picks returns how many distinct non-fixed candidates a distinct
// relaxation chooses: one per free unit, or every non-fixed candidate
// if there are fewer. Choosing exactly that many loses nothing, since
// adding a candidate never lowers coverage or raises time.
func (in *instance) picks() int {
	nonFixed := 0
	for _, f := range in.fix {
		if f == 0 {
			nonFixed++
		}
	}
	return min(in.units-in.fixed, nonFixed)
}

// fill places the units cnt lacks at the lowest-indexed candidates with
// room, for relaxation solutions of distinct candidates.
func (in *instance) fill(cnt []int32) {
	have := 0
	for _, n := range cnt {
		have += int(n)
	}
	for c := 0; have < in.units && c < in.C; c++ {
		for cnt[c] < in.cap && have < in.units {
			cnt[c]++
			have++
		}
	}
}

// coverLR is the Lagrangian relaxation of the covering models in
// Daskin's linear form (see the package documentation), relaxing the
// coverage constraints (R. D. Galvão and C. ReVelle, "A Lagrangean
// heuristic for the maximal covering location problem", European Journal
// of Operational Research 88, 1996):
//
//	L(λ) = Σ_d Σ_{k<P} max(0, w_d·m[k] − λ_d) + max_x Σ_c ρ_c·x_c,  ρ_c = Σ_{d∈N(c)} λ_d
//
// an upper bound for every λ ≥ 0. It starts from λ_d = w_d·m[k_d] for
// the engine's solution, where L is the simple bound "value plus the
// largest gains".
type coverLR struct {
	in       *instance
	lam, rho []float64
	sub      []float64
	k, cov   []int32 // y's units per point; x's units within T
	x        []int32
	buf      []int32
	room     func(c int32) bool
}

func newCoverLR(in *instance) *coverLR {
	lr := &coverLR{
		in:  in,
		lam: make([]float64, in.D),
		rho: make([]float64, in.C),
		sub: make([]float64, in.D),
		k:   make([]int32, in.D),
		cov: make([]int32, in.D),
		x:   make([]int32, in.C),
	}
	if in.distinct() {
		lr.room = func(c int32) bool { return in.fix[c] == 0 }
	} else {
		lr.room = func(c int32) bool { return in.fix[c] < in.cap }
	}
	return lr
}

func (lr *coverLR) reset(cnt []int32) {
	in := lr.in
	clear(lr.cov)
	for c, n := range cnt {
		for _, d := range in.cDem[in.cStart[c]:in.cStart[c+1]] {
			lr.cov[d] += n
		}
	}
	for d, w := range in.w {
		lr.lam[d] = w * in.m[lr.cov[d]]
	}
}

func (lr *coverLR) vectors() (mult, sub, metric []float64) { return lr.lam, lr.sub, nil }
func (lr *coverLR) nonneg() bool                           { return true }

func (lr *coverLR) eval() (bound, primal float64) {
	in := lr.in
	// ρ, candidates in parallel.
	parallel(chunks, in.C, len(in.cDem), func(_, lo, hi int) {
		for c := lo; c < hi; c++ {
			s := 0.0
			for _, d := range in.cDem[in.cStart[c]:in.cStart[c+1]] {
				s += lr.lam[d]
			}
			lr.rho[c] = s
		}
	})
	// y: a point takes its k-th cover while w·m[k−1] > λ (m falls).
	var part [chunks]float64
	parallel(chunks, in.D, in.D, func(i, lo, hi int) {
		L := 0.0
		for d := lo; d < hi; d++ {
			w, l := in.w[d], lr.lam[d]
			k := 0
			for k < in.units && w*in.m[k] > l {
				L += w*in.m[k] - l
				k++
			}
			lr.k[d] = int32(k)
		}
		part[i] = L
	})
	for _, v := range part {
		bound += v
	}
	// x: the fixed units, then the largest ρ.
	copy(lr.x, in.fix)
	if in.distinct() {
		lr.buf = top(lr.rho, lr.room, in.picks(), lr.buf)
		for _, c := range lr.buf {
			lr.x[c]++
		}
	} else {
		left := in.units - in.fixed
		lr.buf = top(lr.rho, lr.room, left, lr.buf)
		for _, c := range lr.buf {
			n := min(in.cap-lr.x[c], int32(left))
			lr.x[c] += n
			left -= int(n)
		}
	}
	for c, n := range lr.x {
		bound += float64(n) * lr.rho[c]
	}
	// x's coverage gives the subgradient and x's objective.
	clear(lr.cov)
	for c, n := range lr.x {
		if n > 0 {
			for _, d := range in.cDem[in.cStart[c]:in.cStart[c+1]] {
				lr.cov[d] += n
			}
		}
	}
	for d, w := range in.w {
		primal += w * in.g[lr.cov[d]]
		lr.sub[d] = float64(lr.k[d] - lr.cov[d])
	}
	return bound, primal
}

func (lr *coverLR) solution(buf []int32) []int32 {
	buf = append(buf[:0], lr.x...)
	lr.in.fill(buf)
	return buf
}

// medianLR is the Lagrangian relaxation of the p-median problem with the
// assignment constraints relaxed (J. E. Beasley, "Lagrangean heuristics
// for location problems", European Journal of Operational Research 65,
// 1993):
//
//	L(u) = Σ_d u_d + Σ_d min(0, w_d·pen − u_d) + min_x Σ_c ρ_c·x_c,  ρ_c = Σ_d min(0, w_d·t_cd − u_d)
//
// a lower bound on the total weighted time for every u; its negative is
// the internal bound. The sum in ρ_c runs over the points c reaches in
// less than pen, a prefix of each point's sorted list. It starts from
// u_d = w_d·t1_d for the engine's solution, where L is the simple bound
// "total time minus the largest savings".
type medianLR struct {
	in   *instance
	u    []float64
	s    []float64         // subgradient
	w2   []float64         // the metric: weights squared
	rho  []float64         // −ρ, so that top picks the most negative ρ
	part [chunks][]float64 // −ρ summed over each piece of demand points
	x    []int32           // chosen candidates: the fixed ones, then the picks
	buf  []int32
}

func newMedianLR(in *instance) *medianLR {
	lr := &medianLR{in: in, u: make([]float64, in.D), s: make([]float64, in.D), rho: make([]float64, in.C), w2: make([]float64, in.D)}
	for d, w := range in.w {
		lr.w2[d] = w * w
	}
	for k := range lr.part {
		lr.part[k] = make([]float64, in.C)
	}
	return lr
}

func (lr *medianLR) reset(cnt []int32) {
	in := lr.in
	for d, w := range in.w {
		t1 := in.pen
		for c, n := range cnt {
			if n > 0 {
				t1 = min(t1, float64(in.col[c*in.D+d]))
			}
		}
		lr.u[d] = w * t1
	}
}

func (lr *medianLR) vectors() (mult, sub, metric []float64) { return lr.u, lr.s, lr.w2 }
func (lr *medianLR) nonneg() bool                           { return false }

func (lr *medianLR) eval() (bound, primal float64) {
	in := lr.in
	var part [chunks]float64
	parallel(chunks, in.D, len(in.srt)/2, func(k, lo, hi int) {
		rho := lr.part[k]
		clear(rho)
		L := 0.0
		for d := lo; d < hi; d++ {
			w, u := in.w[d], lr.u[d]
			L += u + min(0, w*in.pen-u)
			for _, key := range in.srt[in.sBeg[d]:in.sBeg[d+1]] {
				t, c := unkey(key)
				v := w*t - u
				if v >= 0 {
					break
				}
				rho[c] -= v
			}
		}
		part[k] = L
	})
	L := 0.0
	for k := range chunks {
		L += part[k]
	}
	for c := range lr.rho {
		v := 0.0
		for k := range chunks {
			v += lr.part[k][c]
		}
		lr.rho[c] = v
	}
	lr.x = lr.x[:0]
	for c, f := range in.fix {
		if f > 0 {
			lr.x = append(lr.x, int32(c))
		}
	}
	lr.buf = top(lr.rho, func(c int32) bool { return in.fix[c] == 0 }, in.picks(), lr.buf)
	lr.x = append(lr.x, lr.buf...)
	for _, c := range lr.x {
		L -= lr.rho[c]
	}
	// The subgradient 1 − Σ_c z_cd and x's total time.
	var primals [chunks]float64
	parallel(chunks, in.D, in.D*len(lr.x), func(k, lo, hi int) {
		primal := 0.0
		for d := lo; d < hi; d++ {
			w, u := in.w[d], lr.u[d]
			n := 0
			if w*in.pen < u {
				n++
			}
			tmin := in.pen
			for _, c := range lr.x {
				t := float64(in.col[int(c)*in.D+d])
				if t < in.pen && w*t < u {
					n++
				}
				tmin = min(tmin, t)
			}
			primal += w * tmin
			lr.s[d] = float64(1 - n)
		}
		primals[k] = primal
	})
	for k := range chunks {
		primal += primals[k]
	}
	return -L, -primal
}

func (lr *medianLR) solution(buf []int32) []int32 {
	buf = append(buf[:0], make([]int32, lr.in.C)...)
	for _, c := range lr.x {
		buf[c] = max(1, lr.in.fix[c])
	}
	lr.in.fill(buf)
	return buf
}
