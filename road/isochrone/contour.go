package isochrone

import (
	"math"

	"github.com/arv-project/arv/geo"
)

// vec is a point in projected metres.
type vec struct{ x, y float64 }

// pring is a ring in projected metres, not closed (the last point is not
// repeated), with its signed area (positive when counter-clockwise) and
// bounding box.
type pring struct {
	pts                    []vec
	area                   float64
	minX, minY, maxX, maxY float64
}

// contains reports whether p lies inside r (even-odd rule).
func (r *pring) contains(p vec) bool {
	if p.x < r.minX || p.x > r.maxX || p.y < r.minY || p.y > r.maxY {
		return false
	}
	in := false
	pts := r.pts
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		a, b := pts[i], pts[j]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// geo returns r as a closed ring of positions.
func (r *pring) geo(proj geo.Projection) Ring {
	out := make(Ring, 0, len(r.pts)+1)
	for _, p := range r.pts {
		out = append(out, proj.Unproject(p.x, p.y))
	}
	return append(out, out[0])
}

// tEps keeps contour points off grid vertices, so that no two rings share
// a point.
const tEps = 1e-4

// contourer traces marching-squares contours. Its scratch space is reused
// across limits.
type contourer struct {
	// link[e] is the edge the contour goes to after crossing grid edge e,
	// or -1. Edge 2·v runs from vertex v to its right-hand neighbour,
	// edge 2·v+1 from v to the vertex above.
	link  []int32
	exits []int32
}

// trace returns the rings of the area where the field of limit k is
// negative, each with the area on its left: outer rings counter-clockwise,
// holes clockwise.
//
// Each square of four vertices is classified by which corners are inside.
// Walking round a square counter-clockwise, the contour leaves through an
// edge going from an inside to an outside corner (an exit) and comes back
// through one going from outside to inside (an entry); an edge is an exit
// for one of its two squares and an entry for the other, so linking each
// exit to its entry chains the contour pieces into rings. In the two
// saddle cases the average of the corners decides whether the inside
// corners connect (each exit links to the next entry) or not (to the
// previous one); since the field only falls as the limit grows, the
// choice is consistent between bands and they nest.
func (ct *contourer) trace(rs *raster, k int) []pring {
	w, h, K := rs.w, rs.h, rs.k
	if n := 2 * w * h; len(ct.link) < n {
		ct.link = make([]int32, n)
		for i := range ct.link {
			ct.link[i] = -1
		}
	}
	ct.exits = ct.exits[:0]
	f := rs.f
	var e [4]int32
	for j := 0; j+1 < h; j++ {
		for i := 0; i+1 < w; i++ {
			v0 := (j*w + i) // bottom left, then counter-clockwise
			v1, v2, v3 := v0+1, v0+w+1, v0+w
			a0, a1, a2, a3 := f[v0*K+k], f[v1*K+k], f[v2*K+k], f[v3*K+k]
			code := b2i(a0 < 0) | b2i(a1 < 0)<<1 | b2i(a2 < 0)<<2 | b2i(a3 < 0)<<3
			if code == 0 || code == 15 {
				continue
			}
			// Edge m runs from corner m to corner m+1.
			e[0], e[1], e[2], e[3] = int32(2*v0), int32(2*v1+1), int32(2*v3), int32(2*v0+1)
			switch code {
			case 5: // corners 0 and 2 inside
				if a0+a1+a2+a3 < 0 {
					ct.add(e[0], e[1])
					ct.add(e[2], e[3])
				} else {
					ct.add(e[0], e[3])
					ct.add(e[2], e[1])
				}
			case 10: // corners 1 and 3 inside
				if a0+a1+a2+a3 < 0 {
					ct.add(e[1], e[2])
					ct.add(e[3], e[0])
				} else {
					ct.add(e[1], e[0])
					ct.add(e[3], e[2])
				}
			default:
				var exit, entry int32
				for m := range 4 {
					in, next := code>>m&1 == 1, code>>((m+1)&3)&1 == 1
					switch {
					case in && !next:
						exit = e[m]
					case !in && next:
						entry = e[m]
					}
				}
				ct.add(exit, entry)
			}
		}
	}

	var rings []pring
	var pts []vec
	for _, start := range ct.exits {
		if ct.link[start] < 0 {
			continue // already traced
		}
		pts = pts[:0]
		cur := start
		for range len(ct.exits) + 1 {
			next := ct.link[cur]
			if next < 0 {
				break // broken chain; cannot happen with a padded grid
			}
			ct.link[cur] = -1
			pts = append(pts, rs.edgePoint(cur, k))
			cur = next
			if cur == start {
				break
			}
		}
		if r, ok := newPring(pts); ok {
			rings = append(rings, r)
		}
	}
	for _, e := range ct.exits { // leave link clean for the next limit
		ct.link[e] = -1
	}
	return rings
}

func (ct *contourer) add(exit, entry int32) {
	ct.link[exit] = entry
	ct.exits = append(ct.exits, exit)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// edgePoint returns where the field of limit k crosses zero on edge e,
// interpolating linearly from the edge's first vertex (so both squares
// sharing the edge get the same point).
func (rs *raster) edgePoint(e int32, k int) vec {
	v := int(e >> 1)
	i, j := v%rs.w, v/rs.w
	u := v + 1
	if e&1 == 1 {
		u = v + rs.w
	}
	a, b := float64(rs.f[v*rs.k+k]), float64(rs.f[u*rs.k+k])
	t := math.Min(math.Max(a/(a-b), tEps), 1-tEps)
	x, y := rs.x0+float64(i)*rs.cell, rs.y0+float64(j)*rs.cell
	if e&1 == 0 {
		x += t * rs.cell
	} else {
		y += t * rs.cell
	}
	return vec{x, y}
}

// newPring copies pts into a ring, dropping repeated points, and reports
// whether it encloses any area.
func newPring(pts []vec) (pring, bool) {
	r := pring{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	r.pts = make([]vec, 0, len(pts))
	for _, p := range pts {
		if n := len(r.pts); n > 0 && r.pts[n-1] == p {
			continue
		}
		r.pts = append(r.pts, p)
	}
	for len(r.pts) > 1 && r.pts[len(r.pts)-1] == r.pts[0] {
		r.pts = r.pts[:len(r.pts)-1]
	}
	if len(r.pts) < 3 {
		return pring{}, false
	}
	o := r.pts[0] // shoelace about a ring point, for precision
	for i, p := range r.pts {
		q := r.pts[(i+1)%len(r.pts)]
		r.area += (p.x-o.x)*(q.y-o.y) - (q.x-o.x)*(p.y-o.y)
		r.minX, r.maxX = math.Min(r.minX, p.x), math.Max(r.maxX, p.x)
		r.minY, r.maxY = math.Min(r.minY, p.y), math.Max(r.maxY, p.y)
	}
	r.area /= 2
	return r, r.area != 0
}
