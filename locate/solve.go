package locate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Solve places p.Units units for model m with the heuristics and states
// how far the answer can be from the optimum: greedy construction, swap
// local search, the Lagrangian bound and its heuristic, then a tabu
// search that stops early once its best meets the bound. See the package
// documentation for the algorithms and their cost.
//
// Solve returns an error wrapping ErrInvalid if p is not valid for m. If
// ctx is done, it returns the best solution found so far, with the bound
// proven so far, and ctx's error (or a zero Solution if ctx was done
// before it started).
func Solve(ctx context.Context, p *Problem, m Model, opt Options) (Solution, error) {
	if err := p.check(m); err != nil {
		return Solution{}, err
	}
	if err := ctx.Err(); err != nil {
		return Solution{}, err
	}
	in := compile(p, m, p.Units)
	return in.solve(ctx, opt, nil)
}

// Curve solves p for every number of units from max(1, len(p.Fixed)) to
// maxUnits (p.Units is ignored): out[i] holds len(out[i].Sites) units.
// It is the "coverage against the number of units" curve. Each
// solution starts from the previous one plus the greedy best unit, so
// Value never gets worse as units are added, whatever the heuristics
// miss; each has its own bound. opt applies to each solve, so the cost
// is about that of maxUnits Solves.
//
// Curve returns an error wrapping ErrInvalid if p with maxUnits units is
// not valid for m; if ctx is done, the solutions finished so far and
// ctx's error.
func Curve(ctx context.Context, p *Problem, m Model, maxUnits int, opt Options) ([]Solution, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: nil Problem", ErrInvalid)
	}
	q := *p
	q.Units = maxUnits
	if err := q.check(m); err != nil {
		return nil, err
	}
	in := compile(&q, m, maxUnits)
	var out []Solution
	var prev []int32
	for units := max(1, len(p.Fixed)); units <= maxUnits; units++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		in.units = units
		sol, err := in.solve(ctx, opt, prev)
		if err != nil {
			return out, err
		}
		out = append(out, sol)
		prev = make([]int32, in.C)
		for _, c := range sol.Sites {
			prev[c]++
		}
	}
	return out, nil
}

// solve runs the heuristics and the bound on in, starting from start
// (units per candidate; nil for the fixed units alone), which the greedy
// completes.
func (in *instance) solve(ctx context.Context, opt Options, start []int32) (Solution, error) {
	limit := opt.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	deadline := time.Now().Add(limit)
	iters := opt.MaxIterations
	if iters == 0 {
		iters = DefaultIterations
	}
	patience := opt.Patience
	if patience == 0 {
		patience = DefaultPatience
	}
	biters := opt.BoundIterations
	switch {
	case biters == 0:
		biters = DefaultBoundIterations
	case biters < 0:
		biters = 1
	}

	s := newSearch(in)
	if start != nil {
		s.e.load(start)
	} else {
		s.e.load(in.fix)
	}
	s.greedy()
	s.setEps()
	s.localSearch()
	best, val := s.t.counts(), s.e.obj()
	lag := newLagrangian(in, best)
	lagFrom := val // the objective of the solution the bound started from
	var ts *tabu
	var polish *search // the Lagrangian heuristic's engine
	heuristic, timedOut := false, false
	finish := func(how string) Solution {
		method := "greedy+swap"
		if heuristic {
			method += "+Lagrangian heuristic"
		}
		if ts != nil && ts.it > 0 {
			method += "+tabu"
		}
		bound := lag.best
		if how == "" {
			bound = val
			how = "optimal by construction"
		} else if math.IsInf(bound, 0) {
			bound = math.NaN() // no bound yet
		}
		sol := in.solution(best, bound, method+", "+how)
		sol.Evaluations = s.evals + lag.iters
		if polish != nil {
			sol.Evaluations += polish.evals
		}
		sol.BoundIterations = lag.iters
		if ts != nil {
			sol.Iterations = ts.it
		}
		sol.TimedOut = timedOut
		return sol
	}
	if in.total == 0 || in.units == in.fixed {
		// Nothing to gain or nothing to choose: the solution is optimal.
		return finish(""), nil
	}
	// tol is the absolute gap that counts as none.
	tol := func() float64 { return GapTolerance * max(math.Abs(val), s.eps) }

	// Alternate rounds of the bound and the tabu search, each using the
	// other's latest result: the bound's steps aim at the best objective
	// known, and the search stops when it meets the bound.
	boundLeft, tabuLeft := biters, max(0, iters)
	for !timedOut {
		progress := false
		if boundLeft > 0 {
			if val > lagFrom+tol() {
				lag.restart(best)
				lagFrom = val
			}
			n, out, err := lag.run(ctx, min(boundRound, boundLeft), val, tol(), deadline)
			boundLeft -= n
			timedOut = out
			progress = n > 0
			if err != nil {
				return finish("Lagrangian bound"), err
			}
			if len(lag.round) > 0 {
				// The Lagrangian heuristic: polish the round's best x by
				// swaps, in an engine of its own so as not to disturb the
				// tabu search, which restarts from it if it is a new best.
				if polish == nil {
					polish = newSearch(in)
					polish.eps = s.eps
				}
				polish.e.load(lag.round)
				polish.localSearch()
				if polish.e.obj() > val+s.eps {
					heuristic = true
					best, val = polish.t.counts(), polish.e.obj()
					s.e.load(best)
					if ts != nil {
						ts.restart()
					}
				}
			}
		}
		if val >= lag.best-tol() || timedOut {
			break
		}
		if tabuLeft > 0 && (ts == nil || !ts.done) {
			if ts == nil {
				ts = newTabu(s, rand.New(rand.NewPCG(opt.Seed, 0x6c6f63617465)), patience) // "locate"
			}
			n, out, err := ts.run(ctx, min(tabuRound, tabuLeft), lag.best, tol(), deadline)
			tabuLeft -= n
			timedOut = out
			progress = progress || n > 0
			if ts.val > val {
				best, val = slices.Clone(ts.best), ts.val
			}
			if err != nil {
				return finish("Lagrangian bound"), err
			}
		}
		if !progress {
			break
		}
	}
	return finish("Lagrangian bound"), nil
}

// Rounds of the alternation in solve, in iterations: small enough that
// either side soon profits from the other, large enough that the bound's
// step rule (its patience) works within a round.
const (
	boundRound = 100
	tabuRound  = 100
)

// solution builds the Solution for units per candidate cnt and the
// internal bound, evaluating the objective afresh.
func (in *instance) solution(cnt []int32, bound float64, method string) Solution {
	sites := make([]int, 0, in.units)
	for c, n := range cnt {
		for range n {
			sites = append(sites, c)
		}
	}
	slices.Sort(sites)
	v, unreached := evaluate(in.p, in.model, sites)
	// A bound that is NaN (none computed) falls back to the trivial
	// ones: all the demand covered, or no time at all.
	b := bound
	if in.model == PMedian {
		b = 0
		if in.total > 0 && !math.IsNaN(bound) {
			b = -bound / in.total
		}
	} else if math.IsNaN(b) {
		b = in.total
	}
	// Rounding can put a valid bound a hair on the wrong side of the
	// value (the two are sums of the same terms in different orders);
	// that hair is clamped. A larger crossing would be a bug and is left
	// for the tests to see.
	if math.Abs(b-v) <= GapTolerance*max(1, math.Abs(v)) {
		b = v
	}
	g := gap(v, b)
	return Solution{
		Sites:     sites,
		Value:     v,
		Bound:     b,
		Gap:       g,
		Optimal:   g <= GapTolerance,
		Unreached: unreached,
		Method:    method,
	}
}

// Evaluate returns the objective of model m for units at sites (a
// candidate listed twice holds two units), in Solution.Value's units,
// computed directly from the matrix. It ignores p.Units and p.Fixed.
// It returns an error wrapping ErrInvalid if p is not valid for m or a
// site is out of range.
func Evaluate(p *Problem, m Model, sites []int) (float64, error) {
	if err := p.check(m); err != nil {
		return 0, err
	}
	for i, c := range sites {
		if c < 0 || c >= p.Candidates {
			return 0, fmt.Errorf("%w: sites[%d] = %d, want a candidate in [0, %d)", ErrInvalid, i, c, p.Candidates)
		}
	}
	v, _ := evaluate(p, m, sites)
	return v, nil
}

// evaluate returns the objective of sites and the weight of demand none
// of them reaches.
func evaluate(p *Problem, m Model, sites []int) (value, unreached float64) {
	D := p.Demands
	pen := 0.0
	if m == PMedian {
		pen = p.penalty()
	}
	q := 0.0
	if m == ExpectedCover {
		q = p.Busy
	}
	within := min(p.Within, math.MaxFloat64) // +Inf covers the reachable only
	total, sum := 0.0, 0.0
	for d, w := range p.Weight {
		if w == 0 {
			continue
		}
		total += w
		k := 0
		nearest := math.Inf(1)
		for _, c := range sites {
			t := float64(p.Time[c*D+d])
			nearest = min(nearest, t)
			if t <= within {
				k++
			}
		}
		if math.IsInf(nearest, 1) {
			unreached += w
		}
		switch m {
		case PMedian:
			sum += w * min(nearest, pen)
		default:
			// 1 − q^k with q^k by repeated multiplication, as the
			// engines' tables are built.
			qk := 1.0
			for range k {
				qk *= q
			}
			sum += w * (1 - qk)
		}
	}
	if m == PMedian {
		if total == 0 {
			return 0, unreached
		}
		return sum / total, unreached
	}
	return sum, unreached
}
