package hypercube_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/arv-project/arv/hypercube"
)

// benchModel is a benchmark fixture: a county-like model (spread) with a
// fixed seed, built once per configuration.
type benchModel struct {
	servers, atoms int
	load           float64
	queue          bool
}

var (
	benchOnce   sync.Once
	benchModels map[benchModel]*hypercube.Model
)

// benchConfigs are the sizes the benchmarks time. The targets: Exact with
// 15 servers and 50 atoms under 2 s; Approx with 50 servers and 200 atoms
// under 200 ms. A load of 0.5 per server is a busy armed
// response (ARVs are committed to calls far less than that, but a job
// here includes everything that keeps a crew from the next call); 0.8 is
// a stress test.
var benchConfigs = []benchModel{
	{10, 50, 0.5, false},
	{15, 50, 0.5, false},
	{15, 50, 0.5, true},
	{15, 50, 0.8, true},
	{50, 200, 0.5, false},
	{50, 200, 0.5, true},
	{50, 200, 0.8, true},
	{200, 1000, 0.5, true},
}

func benchFixture(b *testing.B, c benchModel) *hypercube.Model {
	b.Helper()
	benchOnce.Do(func() {
		benchModels = make(map[benchModel]*hypercube.Model)
		for i, c := range benchConfigs {
			benchModels[c] = spread(rand.New(rand.NewPCG(uint64(i), 42)), c.servers, c.atoms, c.load, c.queue)
		}
	})
	return benchModels[c]
}

func (c benchModel) String() string {
	kind := "loss"
	if c.queue {
		kind = "queue"
	}
	return fmt.Sprintf("N=%d/J=%d/load=%.1f/%s", c.servers, c.atoms, c.load, kind)
}

// BenchmarkExact times the exact model, reporting the sweeps it took.
func BenchmarkExact(b *testing.B) {
	benchSolver(b, hypercube.Exact, hypercube.MaxExactServers, "sweeps")
}

// BenchmarkApprox times Larson's approximation, reporting its iterations.
func BenchmarkApprox(b *testing.B) {
	benchSolver(b, hypercube.Approx, math.MaxInt, "iterations")
}

// benchSolver times solve on every configuration of up to maxServers
// servers and reports its iterations under the name unit.
func benchSolver(b *testing.B, solve func(context.Context, *hypercube.Model) (*hypercube.Result, error), maxServers int, unit string) {
	for _, c := range benchConfigs {
		if c.servers > maxServers {
			continue
		}
		b.Run(c.String(), func(b *testing.B) {
			m := benchFixture(b, c)
			b.ReportAllocs()
			var res *hypercube.Result
			for b.Loop() {
				var err error
				if res, err = solve(b.Context(), m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Iterations), unit)
		})
	}
}
