package locate_test

import (
	"context"
	"fmt"
	"math"

	"github.com/arv-project/arv/locate"
)

// road builds a problem on a straight road: demand points (towns) and
// candidate bases at kilometre posts, driven at 1.3 minutes a kilometre.
func road(bases, towns []float64, weight []float64, units int) *locate.Problem {
	p := &locate.Problem{
		Candidates: len(bases), Demands: len(towns),
		Weight: weight,
		Units:  units,
		Within: 15, // minutes
	}
	for _, b := range bases {
		for _, t := range towns {
			p.Time = append(p.Time, float32(1.3*math.Abs(b-t)))
		}
	}
	return p
}

// Two units among four bases on a 60 km road with six towns: which
// pair reaches the most incidents within 15 minutes, and how sure is the
// answer?
func ExampleSolve() {
	bases := []float64{5, 20, 35, 50}            // km
	towns := []float64{0, 8, 22, 30, 44, 58}     // km
	incidents := []float64{12, 30, 25, 8, 20, 5} // a year
	p := road(bases, towns, incidents, 2)

	sol, err := locate.Solve(context.Background(), p, locate.MaxCover, locate.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("bases %v cover %.0f of 100 incidents (bound %.0f, optimal %v)\n", sol.Sites, sol.Value, sol.Bound, sol.Optimal)

	sol, _ = locate.Solve(context.Background(), p, locate.PMedian, locate.Options{Seed: 1})
	fmt.Printf("bases %v: mean %.1f minutes (optimal %v)\n", sol.Sites, sol.Value, sol.Optimal)
	// Output:
	// bases [0 1] cover 75 of 100 incidents (bound 75, optimal true)
	// bases [0 2]: mean 10.5 minutes (optimal true)
}

// The coverage curve: the incidents expected to be reached within 15
// minutes by one to four units, each busy 30% of the time (Daskin's
// expected covering model, which values a second unit in reach: the
// fourth goes beside the first, at the base nearest the most incidents).
func ExampleCurve() {
	bases := []float64{5, 20, 35, 50}
	towns := []float64{0, 8, 22, 30, 44, 58}
	incidents := []float64{12, 30, 25, 8, 20, 5}
	p := road(bases, towns, incidents, 1)
	p.Busy = 0.3
	p.PerSite = 2

	out, err := locate.Curve(context.Background(), p, locate.ExpectedCover, 4, locate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sol := range out {
		fmt.Printf("%d units at %v: %.1f of 100 incidents expected covered\n", len(sol.Sites), sol.Sites, sol.Value)
	}
	// Output:
	// 1 units at [0]: 29.4 of 100 incidents expected covered
	// 2 units at [0 1]: 52.5 of 100 incidents expected covered
	// 3 units at [0 1 3]: 70.0 of 100 incidents expected covered
	// 4 units at [0 0 1 3]: 78.8 of 100 incidents expected covered
}
