package isochrone

import (
	"math"

	"github.com/arv-project/arv/geo"
)

// Area returns the signed area of r in square metres on a sphere of
// radius geo.EarthRadius: positive when r runs counter-clockwise (an
// outer ring), negative when clockwise (a hole). Edges are taken as
// straight in the Lambert cylindrical equal-area projection, which for
// rings with edges of a few hundred metres differs from great circles by
// far less than the grid puts into the shape.
func (r Ring) Area() float64 {
	if len(r) < 3 {
		return 0
	}
	const rad = math.Pi / 180
	// Shoelace on x = λ, y = sin φ, about the first point for precision.
	x0, y0 := r[0].Lon*rad, math.Sin(r[0].Lat*rad)
	a := 0.0
	px, py := 0.0, 0.0
	for _, p := range r[1:] {
		x, y := p.Lon*rad-x0, math.Sin(p.Lat*rad)-y0
		a += px*y - x*py
		px, py = x, y
	}
	return a / 2 * geo.EarthRadius * geo.EarthRadius
}

// Contains reports whether p lies inside r, treating latitude and
// longitude as plane coordinates (adequate for rings of county size away
// from the poles and the antimeridian). Points on the boundary may count
// either way.
func (r Ring) Contains(p geo.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// Contains reports whether p lies inside the outer ring of pg and outside
// its holes.
func (pg Polygon) Contains(p geo.Point) bool {
	if len(pg) == 0 || !pg[0].Contains(p) {
		return false
	}
	for _, h := range pg[1:] {
		if h.Contains(p) {
			return false
		}
	}
	return true
}

// Contains reports whether p was reached within b's limit, that is whether
// it lies in one of b's polygons.
func (b *Band) Contains(p geo.Point) bool {
	for _, pg := range b.Polygons {
		if pg.Contains(p) {
			return true
		}
	}
	return false
}
