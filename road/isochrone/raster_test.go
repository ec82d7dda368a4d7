package isochrone

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/arv-project/arv/road"
)

// pieceMin returns the least of |(x, y) - q| - min(R, (L - t(q))·v) over
// the points q of p, by golden-section search: the function is convex
// along the piece, being the larger of two convex functions.
func pieceMin(p piece, x, y, L, R, v float64) float64 {
	f := func(u float64) float64 {
		qx, qy := p.ax+u*(p.bx-p.ax), p.ay+u*(p.by-p.ay)
		t := p.ta + u*(p.tb-p.ta)
		return math.Hypot(x-qx, y-qy) - min(R, (L-t)*v)
	}
	const phi = 0.6180339887498949 // (√5-1)/2
	lo, hi := 0.0, 1.0
	for range 100 {
		m1, m2 := hi-phi*(hi-lo), lo+phi*(hi-lo)
		if f(m1) <= f(m2) {
			hi = m2
		} else {
			lo = m1
		}
	}
	return min(f(0), f(1), f((lo+hi)/2))
}

// exactFields returns F for every vertex of r and every limit, by brute
// force over every stretch of road, every reached node and the source
// points, indexed as r.f.
func exactFields(c *computation, r *raster) []float64 {
	w := walker{g: c.g, times: c.walk.times, proj: c.proj, src: c.src, accMs: c.walk.accMs}
	var pieces []piece
	for s := range c.g.NumSegments() {
		w.pieces = w.pieces[:0]
		w.segment(s, math.Inf(1), false)
		pieces = append(pieces, w.pieces...)
	}
	discs := append([]disc(nil), c.extra...)
	for v, t := range c.walk.times {
		if t != road.Unreachable {
			x, y := c.proj.Project(c.g.Points[v])
			discs = append(discs, disc{x, y, float64(t) / 1000})
		}
	}
	out := make([]float64, len(r.f))
	for j := range r.h {
		for i := range r.w {
			x, y := r.x0+float64(i)*r.cell, r.y0+float64(j)*r.cell
			for k, L := range r.lim {
				best := math.Inf(1)
				for _, p := range pieces {
					best = min(best, pieceMin(p, x, y, L, r.r, r.v))
				}
				for _, d := range discs {
					best = min(best, math.Hypot(x-d.x, y-d.y)-min(r.r, (L-d.t)*r.v))
				}
				out[(j*r.w+i)*r.k+k] = best
			}
		}
	}
	return out
}

// TestRasterExact checks the rasterised fields against brute force:
// every value is an upper bound of the true one (or the initial 2 cells),
// and every vertex within one cell of a boundary that is not saturated
// holds the true value.
func TestRasterExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4)) // fixed seed
	type tcase struct {
		name   string
		g      *road.Graph
		x, y   float64
		limits []time.Duration
		opt    Options
	}
	cases := []tcase{
		{"Stadium", straightRoad(t, -3000, 3000, 1000, 36, false, road.Meta{}), 250, 0,
			[]time.Duration{2 * time.Minute, 4 * time.Minute}, Options{CellSize: 100, OffRoadKmh: 36, MaxOffRoad: 500}},
		{"OneWay", straightRoad(t, 0, 4000, 4000, 36, true, road.Meta{}), 2000, 0,
			[]time.Duration{time.Minute, 2 * time.Minute}, Options{CellSize: 50}},
		{"Grid", streetGrid(t, 8, 200, 36), 750, 610,
			[]time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute}, Options{CellSize: 60}},
		{"GridSlowWalk", streetGrid(t, 6, 300, 50), 750, 610,
			[]time.Duration{90 * time.Second, 3 * time.Minute}, Options{CellSize: 80, OffRoadKmh: 45, MaxOffRoad: 400}},
		{"Access", straightRoad(t, -20000, 20000, 5000, 100, false, road.Meta{AccessKmh: 30, SnapLimit: 3000}), 0, 1000,
			[]time.Duration{5 * time.Minute, 10 * time.Minute}, Options{CellSize: 400}},
	}
	for i := range 6 {
		g := randomGraph(t, rng, 3+rng.IntN(12), 2+rng.IntN(20), 3000, road.Meta{})
		cases = append(cases, tcase{"Random", g, rng.Float64() * 3000, rng.Float64() * 3000,
			[]time.Duration{time.Minute, time.Duration(2+i) * time.Minute}, Options{CellSize: 80 + rng.Float64()*40}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, times := solve(t, c.g, at(c.x, c.y), time.Hour)
			comp := newComputation(c.g, src, times, c.limits, c.opt)
			r := comp.rasterise()
			if r == nil {
				t.Fatal("nothing reached")
			}
			if r.w*r.h > 12000 {
				t.Fatalf("grid %d×%d too large for brute force", r.w, r.h)
			}
			want := exactFields(comp, r)
			cell := r.cell
			// float32 keeps about 7 digits; the fields are at most a few
			// kilometres.
			tol := 1e-3 + 1e-6*cell
			exact := 0
			for j := range r.h {
				for i := range r.w {
					for k := range r.k {
						idx := (j*r.w+i)*r.k + k
						got, want := float64(r.f[idx]), want[idx]
						if got < min(want, 2*cell)-tol {
							t.Fatalf("vertex (%d, %d) limit %d: %g below the true %g", i, j, k, got, want)
						}
						if want < cell-tol && r.f[idx] > r.sat {
							exact++
							if math.Abs(got-want) > tol {
								t.Fatalf("vertex (%d, %d) limit %d: %g, want %g", i, j, k, got, want)
							}
						}
					}
				}
			}
			if exact == 0 {
				t.Fatalf("no vertex near a boundary")
			}
		})
	}
}

func TestWorkersSameResult(t *testing.T) {
	// The rows are shared among stampers in stripes of 32; a grid of
	// 20 m cells over a 3.8 km street grid has several stripes.
	g := streetGrid(t, 20, 200, 36)
	limits := []time.Duration{2 * time.Minute, 4 * time.Minute, 6 * time.Minute}
	src, times := solve(t, g, at(1950, 1810), time.Hour)
	var first []Band
	for _, workers := range []int{1, 2, 3, 7} {
		bands, err := Compute(g, src, times, limits, Options{CellSize: 20, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = bands
			continue
		}
		if !reflect.DeepEqual(bands, first) {
			t.Fatalf("%d workers give different bands from 1", workers)
		}
	}
}
