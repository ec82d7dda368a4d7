package isochrone

import (
	"math"
	"testing"

	"github.com/arv-project/arv/geo"
)

// fieldRaster returns a raster of w×h vertices cell metres apart, its
// origin at (0, 0), holding one field per function, with the border ring
// left outside as newRaster leaves it.
func fieldRaster(w, h int, cell float64, fields ...func(x, y float64) float64) *raster {
	rs := newRaster(w, h, 0, 0, cell, make([]float64, len(fields)), 1, 1)
	for j := 1; j < h-1; j++ {
		for i := 1; i < w-1; i++ {
			for k, f := range fields {
				rs.f[(j*w+i)*rs.k+k] = float32(f(float64(i)*cell, float64(j)*cell))
			}
		}
	}
	return rs
}

// circle returns the field of a disc of radius r round (cx, cy).
func circle(cx, cy, r float64) func(x, y float64) float64 {
	return func(x, y float64) float64 { return math.Hypot(x-cx, y-cy) - r }
}

func TestTraceDisc(t *testing.T) {
	// A disc of radius 20 cells. Linear interpolation puts contour points
	// within cell²/(8r) of the circle and chords cut at most cell²/(8r)
	// more off it, so the area is short by under 2πr·cell²/(4r) = π/2 cell².
	const cell, r = 1.0, 20.0
	rs := fieldRaster(50, 50, cell, circle(25, 25, r))
	var ct contourer
	rings := ct.trace(rs, 0)
	if got, want := len(rings), 1; got != want {
		t.Fatalf("%d rings, want %d", got, want)
	}
	ring := rings[0]
	if ring.area <= 0 {
		t.Fatalf("area %g, want a counter-clockwise ring", ring.area)
	}
	want := math.Pi * r * r
	if got := ring.area; got > want || want-got > math.Pi/2*cell*cell {
		t.Errorf("area %g, want %g less under %g", got, want, math.Pi/2)
	}
	for _, p := range ring.pts {
		if d := math.Abs(math.Hypot(p.x-25, p.y-25) - r); d > cell*cell/(8*r)+1e-6 {
			t.Fatalf("contour point %v is %g off the circle", p, d)
		}
	}
}

func TestTraceNesting(t *testing.T) {
	// An annulus (radii 10 to 20 round (25, 25)) with an island of radius
	// 5 in its hole: two polygons, the annulus with one hole and the island
	// alone.
	annulus := func(x, y float64) float64 {
		d := math.Hypot(x-25, y-25)
		return min(max(d-20, 10-d), d-5)
	}
	rs := fieldRaster(50, 50, 1, annulus)
	var ct contourer
	polys, area := assemble(ct.trace(rs, 0), geo.NewProjection(geo.Point{}))
	if got, want := len(polys), 2; got != want {
		t.Fatalf("%d polygons, want %d", got, want)
	}
	if got, want := len(polys[0]), 2; got != want {
		t.Fatalf("largest polygon has %d rings, want %d (outer and hole)", got, want)
	}
	if got, want := len(polys[1]), 1; got != want {
		t.Fatalf("island has %d rings, want %d", got, want)
	}
	// Areas on the sphere at the equator, where a metre is a metre; the
	// interpolation loses under π/2 cell² a circle (see TestTraceDisc).
	want := math.Pi * (20*20 - 10*10 + 5*5) / 1e6
	if math.Abs(area-want) > 3*math.Pi/2/1e6 {
		t.Errorf("area %g km², want %g", area, want)
	}
}

func TestTraceSaddle(t *testing.T) {
	// One square with opposite corners inside: whether the inside
	// corners join depends on the mean of the four corners, and a lower
	// field (a larger limit) never splits what a higher one joins.
	for _, c := range []struct {
		name  string
		in    float32 // value at the inside corners; the others are +1
		rings int
	}{
		{"Separate", -0.5, 2}, // mean 0.25: outside
		{"Even", -1, 2},       // mean 0: outside (inside is < 0)
		{"Joined", -1.5, 1},   // mean -0.25: inside
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, swap := range []bool{false, true} {
				rs := newRaster(4, 4, 0, 0, 1, []float64{0}, 1, 1)
				a, b := c.in, float32(1)
				if swap {
					a, b = b, a
				}
				rs.f[1*4+1], rs.f[1*4+2], rs.f[2*4+2], rs.f[2*4+1] = a, b, a, b
				var ct contourer
				rings := ct.trace(rs, 0)
				if got, want := len(rings), c.rings; got != want {
					t.Fatalf("swap %v: %d rings, want %d", swap, got, want)
				}
				for _, r := range rings {
					if r.area <= 0 {
						t.Fatalf("swap %v: ring of area %g, want counter-clockwise", swap, r.area)
					}
				}
			}
		})
	}
}

func TestTraceFull(t *testing.T) {
	// Every written vertex inside: one ring round them, closed by the
	// border ring that is never written.
	rs := fieldRaster(6, 5, 1, func(x, y float64) float64 { return -1 })
	var ct contourer
	rings := ct.trace(rs, 0)
	if got, want := len(rings), 1; got != want {
		t.Fatalf("%d rings, want %d", got, want)
	}
	// The field steps from -1 inside to the border's +2 (two cells), so
	// the boundary lies a third of a cell beyond the 4×3 inside vertices:
	// a (3+2/3)×(2+2/3) rectangle less four corner triangles with legs of
	// a third.
	want := (3+2.0/3)*(2+2.0/3) - 4*(1.0/3)*(1.0/3)/2
	if got := rings[0].area; math.Abs(got-want) > 1e-6 {
		t.Errorf("area %g, want %g", got, want)
	}
}
