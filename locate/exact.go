package locate

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// SolveExact finds an optimal solution of p for model m by depth-first
// branch and bound, and proves it: the returned Solution has Optimal set
// and Bound equal to Value. It is meant for small instances (tens of
// candidates) and for checking the heuristics.
//
// Candidates are branched on in order of their first gain (most units
// first); a node is pruned when no completion can beat the incumbent,
// which starts as the greedy and swap solution. A completion adds at most
// the largest gains of the units still to place (each objective is
// submodular: see the package documentation), and at most what every
// point would gain if all the candidates still open to branching reached
// it; the smaller of the two bounds the node. Values within GapTolerance
// of each other count as equal. The cost grows steeply with the number
// of candidates: on the 100-site, 1,000-point benchmark town with 5
// units it visits about 200,000 nodes in 17 s.
//
// limit caps the nodes visited; 0 means DefaultNodeLimit. If it is
// reached, SolveExact returns the best solution found with a trivial
// bound and an error wrapping ErrNodeLimit. It returns an error wrapping
// ErrInvalid if p is not valid for m, and ctx's error (with the best
// solution so far) if ctx is done.
func SolveExact(ctx context.Context, p *Problem, m Model, limit int) (Solution, error) {
	if err := p.check(m); err != nil {
		return Solution{}, err
	}
	if err := ctx.Err(); err != nil {
		return Solution{}, err
	}
	if limit <= 0 {
		limit = DefaultNodeLimit
	}
	in := compile(p, m, p.Units)
	s := newSearch(in)
	s.e.load(in.fix)
	s.greedy()
	s.setEps()
	s.localSearch()
	bb := &branch{
		s:     s,
		best:  s.t.counts(),
		val:   s.e.obj(),
		limit: limit,
		ctx:   ctx,
	}
	bb.tol = GapTolerance * max(math.Abs(bb.val), s.eps)
	done := func(err error) (Solution, error) {
		bound := bb.val
		if err != nil {
			bound = math.NaN() // no bound: the trivial one
		}
		sol := in.solution(bb.best, bound, "greedy+swap, branch and bound")
		if err == nil {
			sol.Optimal = true
		}
		sol.Evaluations = s.evals + bb.nodes
		sol.Iterations = bb.nodes
		return sol, err
	}
	if in.total == 0 || in.units == in.fixed {
		return done(nil)
	}

	// Branch over the candidates that can take a unit, most promising
	// first, from the fixed units alone.
	s.e.load(in.fix)
	distinct := in.distinct()
	bb.room = make([]int32, in.C)
	for c := range in.C {
		switch {
		case distinct && in.fix[c] == 0:
			bb.room[c] = 1
		case !distinct:
			bb.room[c] = in.cap - in.fix[c]
		}
		if bb.room[c] > 0 {
			bb.order = append(bb.order, int32(c))
		}
	}
	g := s.t.gain
	slices.SortStableFunc(bb.order, func(a, b int32) int { return cmp.Compare(g[b], g[a]) })
	bb.suffix = make([]int, len(bb.order)+1)
	for i := len(bb.order) - 1; i >= 0; i-- {
		bb.suffix[i] = bb.suffix[i+1] + int(bb.room[bb.order[i]])
	}
	left := in.units - in.fixed
	if distinct {
		left = in.picks()
	}
	return done(bb.node(0, left))
}

// branch is the state of a branch and bound.
type branch struct {
	s      *search
	order  []int32 // candidates to branch on
	room   []int32 // units each may still take
	suffix []int   // suffix[i]: Σ room over order[i:]
	best   []int32
	val    float64 // incumbent objective (internal, maximised)
	tol    float64
	nodes  int
	limit  int
	ctx    context.Context
	gains  []float64
	mark   []int32 // per candidate: units order[i:] may still take, during reach
}

// reach bounds what the units still to place can add point by point: a
// point gains at most what it would if every candidate of order[i:] that
// reaches it took all the units it may (for PMedian: if the nearest of
// them served it). It is tighter than the sum of gains when the units
// left are many.
func (bb *branch) reach(i, left int) float64 {
	s := bb.s
	in := s.in
	if bb.mark == nil {
		bb.mark = make([]int32, in.C)
	}
	clear(bb.mark)
	for _, c := range bb.order[i:] {
		bb.mark[c] = min(bb.room[c], int32(left))
	}
	sum := 0.0
	switch e := s.e.(type) {
	case *cover:
		for d, w := range in.w {
			n := int32(0)
			for _, c := range in.dCand[in.dStart[d]:in.dStart[d+1]] {
				n += bb.mark[c]
			}
			k := e.k[d]
			sum += w * (in.g[min(k+min(n, int32(left)), int32(len(in.g)-1))] - in.g[k])
		}
	case *median:
		for d, w := range in.w {
			best := e.t1[d]
			for _, c := range bb.order[i:] {
				best = min(best, float64(in.col[int(c)*in.D+d]))
			}
			sum += w * (e.t1[d] - best)
		}
	}
	return sum
}

// node explores the subtree where order[:i] are decided and left units
// remain to place among order[i:].
func (bb *branch) node(i, left int) error {
	bb.nodes++
	if bb.nodes > bb.limit {
		return fmt.Errorf("%w: %d nodes", ErrNodeLimit, bb.limit)
	}
	if bb.nodes%1024 == 0 {
		if err := bb.ctx.Err(); err != nil {
			return err
		}
	}
	s := bb.s
	if left == 0 {
		if v := s.e.obj(); v > bb.val+bb.tol {
			copy(bb.best, s.t.cnt)
			s.in.fill(bb.best)
			bb.val = v
		}
		return nil
	}
	if bb.suffix[i] < left {
		return nil
	}
	// Bound: each unit still to place adds at most the largest gain
	// available now (submodularity), a candidate counted once per unit
	// it may take.
	bb.gains = bb.gains[:0]
	for _, c := range bb.order[i:] {
		for range min(int(bb.room[c]-(s.t.cnt[c]-s.in.fix[c])), left) {
			bb.gains = append(bb.gains, s.t.gain[c])
		}
	}
	slices.Sort(bb.gains)
	add := 0.0
	for _, g := range bb.gains[len(bb.gains)-left:] {
		add += g
	}
	bound := s.e.obj() + min(add, bb.reach(i, left))
	s.evals++
	if bound <= bb.val+bb.tol {
		return nil
	}
	c := bb.order[i]
	n := min(int(bb.room[c]), left)
	for range n {
		s.move(-1, c)
	}
	for ; n >= 0; n-- {
		if err := bb.node(i+1, left-n); err != nil {
			return err
		}
		if n > 0 {
			s.move(c, -1)
		}
	}
	return nil
}
