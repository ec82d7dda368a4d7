package locate

import (
	"context"
	"math/rand/v2"
	"time"
)

// refreshEvery is how many moves an engine makes between rebuilds of its
// tables. Each move adds and subtracts thousands of terms; rebuilding
// every 64 moves keeps their rounding near 1e-13 of the objective, far
// below the improvement threshold (1e-10), for a few per cent of the
// moves' cost (a rebuild costs about as much as two or three moves on
// the benchmark county).
const refreshEvery = 64

// search runs the heuristics on one engine.
type search struct {
	in    *instance
	e     engine
	t     *tables
	eps   float64 // smallest change counted as an improvement
	evals int
	moves int
}

func newSearch(in *instance) *search {
	e := newEngine(in)
	return &search{in: in, e: e, t: e.tab()}
}

// setEps fixes the improvement threshold from the current objective's
// scale: 1e-10 relative, a thousand times the rounding of the tables.
func (s *search) setEps() {
	scale := s.in.total
	if s.in.model == PMedian {
		scale = -s.e.obj()
	}
	s.eps = 1e-10 * scale
}

// move makes a move and counts it, rebuilding the tables periodically.
func (s *search) move(r, a int32) {
	s.e.move(r, a)
	s.moves++
	if s.moves%refreshEvery == 0 {
		s.e.refresh()
	}
}

// greedy adds units one at a time where they gain most until the
// solution has in.units units (M. L. Fisher, G. L. Nemhauser and L. A.
// Wolsey, Mathematical Programming Study 8, 1978: within 1 − 1/e of the
// optimum for the covering models). Ties go to a candidate without a
// unit, then to the lowest index.
func (s *search) greedy() {
	t := s.t
	have := 0
	for _, n := range t.cnt {
		have += int(n)
	}
	for ; have < s.in.units; have++ {
		best := int32(-1)
		for a := range int32(s.in.C) {
			if t.cnt[a] >= s.in.cap {
				continue
			}
			s.evals++
			if best < 0 || t.gain[a] > t.gain[best] || (t.gain[a] == t.gain[best] && t.cnt[best] > 0 && t.cnt[a] == 0) {
				best = a
			}
		}
		if best < 0 {
			return // every candidate is full (Validate prevents it)
		}
		s.move(-1, best)
	}
}

// bestSwap returns the move of one unit from r to a that increases the
// objective most, skipping moves for which tabu returns true unless they
// would beat aspire. ok is false when no move is allowed.
func (s *search) bestSwap(tabu func(r, a int32) bool, aspire float64) (r, a int32, delta float64, ok bool) {
	t := s.t
	in := s.in
	C := in.C
	cur := s.e.obj()
	r, a = -1, -1
	for _, rr := range t.open {
		if rr < 0 || t.cnt[rr] <= in.fix[rr] {
			continue
		}
		row := t.extra[int(t.slot[rr])*C : int(t.slot[rr]+1)*C]
		lr := t.loss[rr]
		for aa := range int32(C) {
			if aa == rr || t.cnt[aa] >= in.cap {
				continue
			}
			d := t.gain[aa] - lr + row[aa]
			s.evals++
			if ok && d <= delta {
				continue
			}
			if tabu != nil && tabu(rr, aa) && cur+d <= aspire {
				continue
			}
			r, a, delta, ok = rr, aa, d, true
		}
	}
	return r, a, delta, ok
}

// localSearch makes the best improving swap until none improves by more
// than eps: the vertex substitution of M. B. Teitz and P. Bart
// (Operations Research 16, 1968) with the fast interchange's O(1)
// pricing, taking the best swap each round rather than the first.
func (s *search) localSearch() {
	// Every move improves the objective by more than eps, so the loop
	// ends; the cap only guards against rounding surprises.
	for range 100 * s.in.C * max(1, s.in.units) {
		r, a, d, ok := s.bestSwap(nil, 0)
		if !ok || d <= s.eps {
			return
		}
		before := s.e.obj()
		s.move(r, a)
		if s.e.obj() <= before {
			s.e.refresh() // the tables had drifted; price again
			if s.e.obj() <= before {
				return
			}
		}
	}
}

// tabu is a tabu search over swap moves (F. Glover, "Tabu search —
// Part I", ORSA Journal on Computing 1(3), 1989), run in rounds from the
// engine's current solution: each iteration makes the best swap that is
// not tabu, even if it worsens the objective. A candidate that lost a
// unit may not gain one, and one that gained may not lose one, for a
// random number of iterations (the tenures); a tabu move is allowed when
// it would give a new best (aspiration). The search ends after patience
// iterations without a new best.
type tabu struct {
	s             *search
	rng           *rand.Rand
	best          []int32 // best solution seen, units per candidate
	val           float64 // its objective
	noAdd, noDrop []int   // iteration until which a candidate may not gain, lose a unit
	it, last      int     // iterations made; the iteration of the last new best
	free          int     // units the search may move
	inMax, outMax int     // tenure ranges
	patience      int     // iterations without a new best before the search ends
	done          bool    // no move exists, or patience ran out
}

func newTabu(s *search, rng *rand.Rand, patience int) *tabu {
	in := s.in
	ts := &tabu{
		s: s, rng: rng,
		best:     s.t.counts(),
		val:      s.e.obj(),
		noAdd:    make([]int, in.C),
		noDrop:   make([]int, in.C),
		free:     in.units - in.fixed,
		patience: patience,
	}
	addable := 0 // candidates with room
	for c := range in.C {
		if in.fix[c] < in.cap {
			addable++
		}
	}
	ts.done = ts.free == 0 || addable <= 1
	// Tenures: a dropped candidate stays out for 1 to half as many
	// iterations as there are candidates without a unit, an added one
	// stays in for 1 to a third of the movable units. Tenures that grow
	// with the neighbourhood are the usual advice (Glover 1989). On the
	// benchmark county at T = 15 minutes these long out-tenures find
	// solutions 0.6% better than a cap of 20 with restarts every 30
	// iterations, and are no worse elsewhere.
	ts.inMax = max(1, (addable-ts.free)/2)
	ts.outMax = max(1, ts.free/3)
	return ts
}

// restart continues the search from the engine's current solution, a
// better one found elsewhere, which becomes the best, with patience
// renewed.
func (ts *tabu) restart() {
	copy(ts.best, ts.s.t.cnt)
	ts.val = ts.s.e.obj()
	clear(ts.noAdd)
	clear(ts.noDrop)
	ts.last = ts.it
	if ts.free > 0 {
		ts.done = false
	}
}

// run makes up to n iterations and returns how many it made. It stops
// early when ctx is done, at the deadline, when the best reaches target
// (the bound) within tol, or when done.
func (ts *tabu) run(ctx context.Context, n int, target, tol float64, deadline time.Time) (made int, timedOut bool, err error) {
	s := ts.s
	isTabu := func(r, a int32) bool { return ts.noAdd[a] > ts.it || ts.noDrop[r] > ts.it }
	for ; made < n && !ts.done; made++ {
		if err := ctx.Err(); err != nil {
			return made, false, err
		}
		if ts.val >= target-tol {
			break
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			return made, true, nil
		}
		if ts.patience >= 0 && ts.it-ts.last >= ts.patience {
			ts.done = true
			break
		}
		r, a, _, ok := s.bestSwap(isTabu, ts.val+s.eps)
		if !ok { // every move is tabu: take the best regardless
			r, a, _, ok = s.bestSwap(nil, 0)
		}
		if !ok {
			ts.done = true
			break
		}
		s.move(r, a)
		ts.noAdd[r] = ts.it + 1 + ts.rng.IntN(ts.inMax)
		ts.noDrop[a] = ts.it + 1 + ts.rng.IntN(ts.outMax)
		if v := s.e.obj(); v > ts.val+s.eps {
			copy(ts.best, s.t.cnt)
			ts.val = v
			ts.last = ts.it
		}
		ts.it++
	}
	return made, false, nil
}
