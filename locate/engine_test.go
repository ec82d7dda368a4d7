package locate

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestEngineTables checks the fast interchange's bookkeeping: after
// random moves, every priced swap delta(r, a) must equal the change of
// the objective that making the swap from scratch gives, and the
// incrementally kept objective must equal a fresh evaluation.
func TestEngineTables(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, m := range []Model{MaxCover, PMedian, ExpectedCover} {
		for i := range 40 {
			p := small(r, 4+r.IntN(8), 5+r.IntN(30), 0)
			p.PerSite = 1 + r.IntN(2)
			p.Units = 1 + r.IntN(min(p.Candidates*p.PerSite, 5))
			in := compile(p, m, p.Units)
			s := newSearch(in)
			s.e.load(in.fix)
			s.greedy()
			for step := range 12 {
				// Check every swap against a fresh engine.
				cur := s.t.counts()
				for rr := range int32(in.C) {
					if cur[rr] == 0 {
						continue
					}
					for a := range int32(in.C) {
						if a == rr || cur[a] >= in.cap {
							continue
						}
						next := append([]int32(nil), cur...)
						next[rr]--
						next[a]++
						fresh := newEngine(in)
						fresh.load(next)
						want := fresh.obj() - s.e.obj()
						if got := s.t.delta(rr, a); math.Abs(got-want) > 1e-9*max(1, in.total*in.pen) {
							t.Fatalf("%v case %d step %d: delta(%d→%d) = %v, want %v", m, i, step, rr, a, got, want)
						}
					}
				}
				fresh := newEngine(in)
				fresh.load(cur)
				if got, want := s.e.obj(), fresh.obj(); math.Abs(got-want) > 1e-9*max(1, in.total*in.pen) {
					t.Fatalf("%v case %d step %d: objective %v, fresh %v", m, i, step, got, want)
				}
				// A random swap.
				var rs, as []int32
				for c := range int32(in.C) {
					if cur[c] > 0 {
						rs = append(rs, c)
					}
					if cur[c] < in.cap {
						as = append(as, c)
					}
				}
				if len(as) == 0 {
					break // every candidate is full: no swap exists
				}
				rr, a := rs[r.IntN(len(rs))], as[r.IntN(len(as))]
				if rr != a {
					s.e.move(rr, a)
				}
			}
		}
	}
}

// TestEngineTablesLarge repeats the check on random swaps of an instance
// large enough that moves and rebuilds run in parallel pieces (more than
// minParallel steps).
func TestEngineTablesLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	p := county(5, 200, 5000, 8)
	r := rand.New(rand.NewPCG(5, 6))
	for _, m := range []Model{MaxCover, PMedian, ExpectedCover} {
		in := compile(p, m, p.Units)
		s := newSearch(in)
		s.e.load(in.fix)
		s.greedy()
		for step := range 3 {
			cur := s.t.counts()
			var rs []int32
			for c := range int32(in.C) {
				if cur[c] > 0 {
					rs = append(rs, c)
				}
			}
			for range 10 {
				rr, a := rs[r.IntN(len(rs))], int32(r.IntN(in.C))
				if cur[a] > 0 {
					continue
				}
				next := append([]int32(nil), cur...)
				next[rr]--
				next[a]++
				fresh := newEngine(in)
				fresh.load(next)
				want := fresh.obj() - s.e.obj()
				// 1e-9 of the objective's scale: the tables hold sums of
				// thousands of terms.
				if got := s.t.delta(rr, a); math.Abs(got-want) > 1e-9*in.total*max(1, in.pen) {
					t.Fatalf("%v step %d: delta(%d→%d) = %v, want %v", m, step, rr, a, got, want)
				}
			}
			rr, a := rs[r.IntN(len(rs))], int32(r.IntN(in.C))
			if cur[a] == 0 {
				s.e.move(rr, a)
			}
		}
	}
}

// TestTabuRestart checks that a tabu search restarted from a solution
// found elsewhere takes it as its best and searches again.
func TestTabuRestart(t *testing.T) {
	p := county(3, 30, 300, 4)
	in := compile(p, MaxCover, p.Units)
	s := newSearch(in)
	s.e.load(in.fix)
	s.greedy()
	s.setEps()
	ts := newTabu(s, rand.New(rand.NewPCG(1, 2)), 5)
	if _, _, err := ts.run(t.Context(), 100, math.Inf(1), 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if !ts.done {
		t.Fatalf("tabu search with patience 5 not done after 100 moves (%d made)", ts.it)
	}
	other := make([]int32, in.C)
	for c := range p.Units {
		other[in.C-1-c] = 1
	}
	s.e.load(other)
	ts.restart()
	if ts.done || ts.val != s.e.obj() || !slices.Equal(ts.best, other) {
		t.Errorf("after restart: done %v, val %v (engine %v), best %v, want %v", ts.done, ts.val, s.e.obj(), ts.best, other)
	}
	if made, _, _ := ts.run(t.Context(), 3, math.Inf(1), 0, time.Time{}); made != 3 {
		t.Errorf("restarted search made %d moves, want 3", made)
	}
}
