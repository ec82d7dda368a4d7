package isochrone

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/internal/fixtures"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/ch"
)

// benchNet is a synthetic county network: a 265×265 grid of junctions
// (70,225 nodes) over 50×50 km, each moved up to 40 m at random, with
// streets at 30-50 km/h, every eighth line an A road at 80-100 km/h,
// diagonal links in one cell in twenty and one street in twenty one-way.
type benchNet struct {
	g     *road.Graph
	src   road.Snap
	times []uint32 // from the centre, up to 32 minutes
}

var (
	benchOnce sync.Once
	bench     benchNet
)

const (
	benchSide  = 50000.0 // metres
	benchNodes = 265     // junctions a side: 265² = 70,225
)

func benchNetwork(tb testing.TB) benchNet {
	benchOnce.Do(func() {
		rng := rand.New(rand.NewPCG(2024, 7)) // fixed seed
		var b road.Builder
		n := benchNodes
		spacing := benchSide / float64(n-1)
		id := func(i, j int) int32 { return int32(j*n + i) }
		for j := range n {
			for i := range n {
				dx, dy := (rng.Float64()*2-1)*40, (rng.Float64()*2-1)*40
				b.AddNode(at(float64(i)*spacing+dx, float64(j)*spacing+dy))
			}
		}
		add := func(from, to int32, major bool, kmh float64) {
			if kmh == 0 {
				kmh = 30 + rng.Float64()*20
				if major {
					kmh = 80 + rng.Float64()*20
				}
			}
			s := road.Segment{From: from, To: to, ForwardKmh: kmh, BackwardKmh: kmh}
			if !major && rng.IntN(20) == 0 {
				s.BackwardKmh = 0
			}
			mustSegment(tb, &b, s)
		}
		for j := range n {
			for i := range n {
				if i+1 < n {
					add(id(i, j), id(i+1, j), j%8 == 0, 0)
				}
				if j+1 < n {
					add(id(i, j), id(i, j+1), i%8 == 0, 0)
				}
				if i+1 < n && j+1 < n && rng.IntN(20) == 0 {
					add(id(i, j), id(i+1, j+1), false, 60)
				}
			}
		}
		g := b.Graph()
		src, err := g.Snap(at(benchSide/2+37, benchSide/2+11), 0)
		if err != nil {
			tb.Fatal(err)
		}
		// Two minutes past the largest limit, as Compute advises.
		bench = benchNet{g: g, src: src, times: nodeTimes(g, src, 32*time.Minute)}
	})
	if bench.g == nil {
		tb.Fatal("benchmark network not built")
	}
	return bench
}

func BenchmarkCompute(b *testing.B) {
	net := benchNetwork(b)
	for _, c := range []struct {
		name   string
		limits []time.Duration
		opt    Options
	}{
		{"10-20-30min", []time.Duration{10 * time.Minute, 20 * time.Minute, 30 * time.Minute}, Options{}},
		{"30min", []time.Duration{30 * time.Minute}, Options{}},
		{"10min", []time.Duration{10 * time.Minute}, Options{}},
		{"10-20-30min/cell100m", []time.Duration{10 * time.Minute, 20 * time.Minute, 30 * time.Minute}, Options{CellSize: 100}},
		{"10-20-30min/1worker", []time.Duration{10 * time.Minute, 20 * time.Minute, 30 * time.Minute}, Options{Workers: 1}},
		{"30min/1worker", []time.Duration{30 * time.Minute}, Options{Workers: 1}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compute(net.g, net.src, net.times, c.limits, c.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDelaware is the whole 30-minute isochrone on the real Delaware
// extract as arv isochrone computes it: a PHAST one-to-all sweep of the
// contraction hierarchy from a snapped position, then the polygons. The
// hierarchy is built once, outside the timing.
func BenchmarkDelaware(b *testing.B) {
	g, _ := fixtures.Delaware.Graph(b)
	h, err := ch.Build(context.Background(), g, nil)
	if err != nil {
		b.Fatal(err)
	}
	// Dover, the state capital, near the middle of the state.
	src, err := g.Snap(geo.Point{Lat: 39.1582, Lon: -75.5244}, 0)
	if err != nil {
		b.Fatal(err)
	}
	q := ch.NewQuery(h)
	times := make([]uint32, g.NumNodes())
	for _, tc := range []struct {
		name   string
		limits []time.Duration
	}{
		{"30min", []time.Duration{30 * time.Minute}},
		{"10-20-30min", []time.Duration{10 * time.Minute, 20 * time.Minute, 30 * time.Minute}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				times = q.OneToAll(src, times)
				if _, err := Compute(g, src, times, tc.limits, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
