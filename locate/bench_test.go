package locate

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
)

// The benchmark counties (see county): "town" is a small force's
// planning grid, "county" the performance target, 500 candidate sites
// and 5,000 demand points (a 10 MB float32 matrix) with 10 units and the
// 20-minute standard. With 20 minutes, 10 units can reach all the demand
// any site reaches, which makes MaxCover easy to prove; "county-T10"
// is the same county with a 10-minute threshold, where they cannot.
var benchSizes = []struct {
	name   string
	c, d   int
	units  int
	within float64 // minutes
}{
	{"town=100x1000", 100, 1000, 5, 20},
	{"county=500x5000", 500, 5000, 10, 20},
	{"county-T10=500x5000", 500, 5000, 10, 10},
}

var (
	benchOnce     [3]sync.Once
	benchProblems [3]*Problem
)

// benchProblem builds size i's county once (seed 1).
func benchProblem(i int) *Problem {
	benchOnce[i].Do(func() {
		s := benchSizes[i]
		benchProblems[i] = county(1, s.c, s.d, s.units)
		benchProblems[i].Within = s.within
	})
	return benchProblems[i]
}

// BenchmarkSolve solves each model at default options. Beside the time
// it reports the gap in percent, the objective, and the CPU seconds per
// solve (user + system, all goroutines: compare with the wall time to
// see the parallel share, or a busy machine).
func BenchmarkSolve(b *testing.B) {
	for i, s := range benchSizes {
		for _, m := range []Model{MaxCover, PMedian, ExpectedCover} {
			if m == PMedian && s.within != 20 {
				continue // PMedian ignores the threshold
			}
			b.Run(m.String()+"/"+s.name, func(b *testing.B) {
				p := benchProblem(i)
				var sol Solution
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					var err error
					sol, err = Solve(b.Context(), p, m, Options{Seed: 1})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuTime()-cpu)/float64(b.N), "cpu-s/op")
				b.ReportMetric(100*sol.Gap, "gap%")
				b.ReportMetric(sol.Value, "value")
			})
		}
	}
}

// BenchmarkSolveQuick runs greedy and swap with the simple bound alone
// (MaxIterations and BoundIterations negative): the fastest answer with
// a gap.
func BenchmarkSolveQuick(b *testing.B) {
	i := 1
	for _, m := range []Model{MaxCover, PMedian, ExpectedCover} {
		b.Run(m.String()+"/"+benchSizes[i].name, func(b *testing.B) {
			p := benchProblem(i)
			var sol Solution
			b.ReportAllocs()
			for b.Loop() {
				sol, _ = Solve(b.Context(), p, m, Options{MaxIterations: -1, BoundIterations: -1})
			}
			b.ReportMetric(100*sol.Gap, "gap%")
			b.ReportMetric(sol.Value, "value")
		})
	}
}

// BenchmarkCurve computes the coverage curve for 1 to 10 units on the
// town.
func BenchmarkCurve(b *testing.B) {
	p := benchProblem(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Curve(b.Context(), p, MaxCover, 10, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSolveExact proves optima on random small instances (12
// candidates, 60 points, 4 units): the size the tests compare against.
func BenchmarkSolveExact(b *testing.B) {
	for _, m := range []Model{MaxCover, PMedian, ExpectedCover} {
		b.Run(m.String(), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			ps := make([]*Problem, 16)
			for i := range ps {
				ps[i] = small(r, 12, 60, 4)
			}
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SolveExact(b.Context(), ps[i%len(ps)], m, 0); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkEvaluate prices one set of units directly from the matrix.
func BenchmarkEvaluate(b *testing.B) {
	p := benchProblem(1)
	sites := make([]int, p.Units)
	for i := range sites {
		sites[i] = i * p.Candidates / p.Units
	}
	for _, m := range []Model{MaxCover, PMedian} {
		b.Run(m.String()+"/units="+strconv.Itoa(p.Units), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Evaluate(p, m, sites); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
