package isochrone

import (
	"math"

	"github.com/arv-project/arv/road"
)

// raster holds, for every limit, a field over a grid whose zero level set
// is the boundary of the area reached within that limit.
//
// For limit L the field at p is
//
//	F(p) = min over road points q of |p - q| - r(q),  r(q) = min(R, (L - t(q))·v)
//
// where t(q) is the arrival time at q, v the off-road speed and R the
// furthest off-road distance: p is reached iff some q has |p - q| <= r(q),
// that is iff F(p) <= 0. F is continuous and changes by at most one metre
// per metre, so linear interpolation between grid vertices places the
// boundary well, including where it is set by R rather than by time.
//
// A vertex needs its exact value only when it is within one cell of the
// boundary: marching squares reads values only across edges whose ends
// lie on either side. Such a vertex has |F| < cell, and the road point q
// deciding it lies within r(q) + cell of it. So each piece of road is
// stamped only on the vertices within its largest reach plus a cell, and
// only for the limits where that reach exceeds -cell; every other vertex
// keeps a value that is positive and no smaller than the truth. Likewise
// a vertex whose value is already -cell or less (saturated) is deep
// inside: its neighbours are all inside, no contour passes next to it,
// and stamps skip it. Values never grow with the limit, so a vertex
// saturated for one limit is saturated for every larger one. Blocks of
// blockSize×blockSize vertices count their unsaturated vertices per limit,
// and a stamp whose footprint lies in saturated blocks is skipped whole:
// in a dense network most are.
//
// The minimum over a straight piece of road is reached at one of its ends
// or inside it. The ends are stamped as discs, once per node however many
// roads meet there; the inside as a strip beside the piece, where the
// minimum has a closed form without square roots (see stampPiece).
//
// Grid vertex (i, j) lies at (x0 + i·cell, y0 + j·cell) in projected
// metres; the outermost ring of vertices is never written, so every
// contour closes inside the grid.
type raster struct {
	w, h   int
	x0, y0 float64
	cell   float64
	inv    float64   // 1/cell
	k      int       // number of limits
	f      []float32 // F for vertex (i, j) and limit k at (j*w+i)*k + k
	sat    float32   // -cell: values at or below it are saturated

	bw, bh  int     // blocks across and up
	nb      int     // blocks in all
	open    []int32 // unsaturated vertices of block b for limit k at k*nb + b
	satFrom []uint8 // the smallest limit for which block b is saturated, or k

	lim []float64 // limits, seconds
	v   float64   // off-road speed, m/s
	r   float64   // furthest off-road distance, metres

	// owner[j] is the stamper that writes row j (see stamper).
	owner []uint8
}

// stamper writes a share of a raster's rows: one band of whole
// saturation blocks, so stampers running at once never touch the same
// value or block count. Each stamper stamps everything that reaches its
// rows, skipping the rest early; as every vertex gets the least of the
// same values whatever the split, the result does not depend on the
// number of stampers.
type stamper struct {
	*raster
	id   uint8
	walk walker // own scratch

	// Per-stamp scratch, one entry per limit.
	rc []float64 // reach at a piece's start, uncapped
	uc []float64 // distance along a piece where the reach falls below r
	dr []float64 // reach of a disc, capped
}

// smallDisc is the largest disc radius, in cells, whose box is visited
// whole rather than row span by row span.
const smallDisc = 4

// maxPieceCells is the longest piece, in cells, stamped in one go.
const maxPieceCells = 4

// minBandRows is the fewest rows a stamper's band may have.
const minBandRows = 8 * blockSize

// blockShift sets the side of a saturation block, blockSize vertices.
const (
	blockShift = 2
	blockSize  = 1 << blockShift
)

func newRaster(w, h int, x0, y0, cell float64, lim []float64, v, r float64) *raster {
	k := len(lim)
	rs := &raster{
		w: w, h: h, x0: x0, y0: y0, cell: cell, inv: 1 / cell, k: k,
		f:   make([]float32, w*h*k),
		sat: float32(-cell),
		lim: lim, v: v, r: r,
		owner: make([]uint8, h),
	}
	// Vertices nothing reaches are outside; the value only needs to be
	// positive.
	out := float32(2 * cell)
	for i := range rs.f {
		rs.f[i] = out
	}
	rs.bw = (w + blockSize - 1) >> blockShift
	rs.bh = (h + blockSize - 1) >> blockShift
	rs.nb = rs.bw * rs.bh
	rs.open = make([]int32, k*rs.nb)
	for j := 1; j < h-1; j++ {
		for i := 1; i < w-1; i++ {
			rs.open[(j>>blockShift)*rs.bw+i>>blockShift]++
		}
	}
	for kk := 1; kk < k; kk++ {
		copy(rs.open[kk*rs.nb:(kk+1)*rs.nb], rs.open[:rs.nb])
	}
	rs.satFrom = make([]uint8, rs.nb)
	for b := range rs.satFrom {
		rs.satFrom[b] = uint8(k)
	}
	return rs
}

// stampers returns up to n stampers sharing rs's rows.
func (rs *raster) stampers(n int, w *walker) []*stamper {
	n = max(1, min(n, rs.h/minBandRows, 255))
	blocksPer := (rs.bh + n - 1) / n
	for j := range rs.owner {
		rs.owner[j] = uint8(j >> blockShift / blocksPer)
	}
	st := make([]*stamper, n)
	for i := range st {
		st[i] = &stamper{
			raster: rs, id: uint8(i),
			// Shapes are simplified to a quarter cell, below what the
			// grid resolves, which saves most of the stamping on dense
			// OpenStreetMap geometry.
			walk: walker{g: w.g, times: w.times, proj: w.proj, src: w.src, accMs: w.accMs, tol: rs.cell / 4},
			rc:   make([]float64, rs.k), uc: make([]float64, rs.k), dr: make([]float64, rs.k),
		}
	}
	return st
}

// owns reports whether any of rows jlo..jhi is st's.
func (st *stamper) owns(jlo, jhi int) bool {
	return jlo <= jhi && st.owner[jlo] <= st.id && st.owner[jhi] >= st.id
}

// lower sets the value of limit k at vertex (i, j), held in *p, to v if
// that is smaller, keeping the block counts.
func (st *stamper) lower(p *float32, v float32, k, i, j int) {
	if old := *p; v < old {
		*p = v
		if old > st.sat && v <= st.sat {
			// A vertex saturated for k is so for every larger limit, so
			// a block's count reaching 0 for k has already done so, or
			// will, for the larger ones.
			b := (j>>blockShift)*st.bw + i>>blockShift
			if st.open[k*st.nb+b]--; st.open[k*st.nb+b] == 0 {
				st.satFrom[b] = min(st.satFrom[b], uint8(k))
			}
		}
	}
}

// blocks is a range of saturation blocks.
type blocks struct{ i0, i1, j0, j1 int }

// blocksOf returns the blocks holding the vertices with x in [xlo, xhi]
// and y in [ylo, yhi].
func (rs *raster) blocksOf(xlo, xhi, ylo, yhi float64) blocks {
	return blocks{
		rs.block(xlo, rs.x0, rs.bw), rs.block(xhi, rs.x0, rs.bw),
		rs.block(ylo, rs.y0, rs.bh), rs.block(yhi, rs.y0, rs.bh),
	}
}

// limitOf returns the smallest limit for which every vertex of blocks b
// in rows st owns is saturated (0 when st owns none of them), or k if
// there is none: stamps reaching only these blocks need to write limits
// below it only.
func (st *stamper) limitOf(b blocks) int {
	rs := st.raster
	m := uint8(0)
	for bj := b.j0; bj <= b.j1; bj++ {
		if rs.owner[bj<<blockShift] != st.id {
			continue
		}
		for _, s := range rs.satFrom[bj*rs.bw+b.i0 : bj*rs.bw+b.i1+1] {
			m = max(m, s)
		}
	}
	return int(m)
}

// block returns the block holding coordinate c, for a grid starting at c0
// with n blocks, clamped to the grid.
func (rs *raster) block(c, c0 float64, n int) int {
	v := (c - c0) * rs.inv
	if !(v > 0) {
		return 0
	}
	if b := int(v) >> blockShift; b < n {
		return b
	}
	return n - 1
}

// firstLimit returns the smallest limit index for which a road point
// reached at t seconds reaches more than -cell, or K if none does.
func (rs *raster) firstLimit(t float64) int {
	k0 := rs.k
	for k0 > 0 && (rs.lim[k0-1]-t)*rs.v > -rs.cell {
		k0--
	}
	return k0
}

// stampAll stamps every node, piece and disc reached before tcut seconds,
// on up to workers goroutines.
func (rs *raster) stampAll(w *walker, extra []disc, tcut float64, workers int) {
	st := rs.stampers(workers, w)
	parallel(len(st), func(i int) { st[i].run(extra, tcut) })
}

// run stamps, on st's rows, every node, piece and disc reached before
// tcut seconds.
//
// The nodes first mark what lies well within reach of them as saturated,
// cheaply; most later stamps in a dense network then find their footprint
// saturated and are skipped.
func (st *stamper) run(extra []disc, tcut float64) {
	w := &st.walk
	g := w.g
	rho := st.r + st.cell // the largest stamp radius
	tcutMs := tcut * 1000
	shared := false // whether other stampers own rows
	for _, o := range st.owner {
		shared = shared || o != st.id
	}
	nodes := func(stamp func(disc)) {
		for _, d := range extra {
			stamp(d)
		}
		for v, t := range w.times {
			if t == road.Unreachable || !(float64(t) < tcutMs) {
				continue
			}
			x, y := w.proj.Project(g.Points[v])
			if jlo, jhi := st.rows(y-rho, y+rho); !st.owns(jlo, jhi) || !finite(x+y) {
				continue
			}
			stamp(disc{x, y, float64(t) / 1000})
		}
	}
	nodes(st.saturate)
	nodes(st.stampDisc)

	for s := range g.NumSegments() {
		if !w.candidate(s, tcutMs) {
			continue
		}
		// A straight segment whose surroundings are already deep inside
		// every limit it can reach needs no pieces at all.
		if first := g.ShapeFirst[s]; s != int(w.src.Segment) && g.ShapeFirst[s+1]-first == 2 {
			t, late, slow := math.Inf(1), 0.0, 0.0 // earliest and latest entry, slowest edge, ms
			if e := g.SegFwd[s]; e >= 0 {
				et := float64(g.Time[e])
				t, late, slow = w.nodeTime(g.SegFrom[s]), w.nodeTime(g.SegFrom[s])+et, et
			}
			if e := g.SegBwd[s]; e >= 0 {
				et := float64(g.Time[e])
				tt := w.nodeTime(g.SegTo[s])
				t, late, slow = min(t, tt), max(late, tt+et), max(slow, et)
			}
			k0 := st.firstLimit(t / 1000)
			if k0 == st.k {
				continue
			}
			// Capped all along for limits k0 and up, no stamp runs past
			// the segment's ends.
			capped := late/1000 <= st.lim[k0]-st.r/st.v
			ax, ay := w.proj.Project(g.Shape[first])
			bx, by := w.proj.Project(g.Shape[first+1])
			if shared {
				// The most any stamp of the segment reaches, overshoot
				// included.
				const most = 2.3
				if jlo, jhi := st.rows(min(ay, by)-most*rho, max(ay, by)+most*rho); !st.owns(jlo, jhi) {
					continue
				}
			}
			reach := rho
			if !capped {
				// Some limit may not be capped along the segment, and
				// its strips may run past the segment's ends.
				if l := math.Sqrt((bx-ax)*(bx-ax) + (by-ay)*(by-ay)); l > 0 {
					reach += overshoot(slow/1000/l*st.v, rho)
				}
			}
			ylo, yhi := min(ay, by)-reach, max(ay, by)+reach
			if st.limitOf(st.blocksOf(min(ax, bx)-reach, max(ax, bx)+reach, ylo, yhi)) <= k0 {
				continue
			}
		}
		w.pieces, w.discs = w.pieces[:0], w.discs[:0]
		w.segment(s, tcut, true)
		for i := range w.pieces {
			st.stampPiece(&w.pieces[i])
		}
		for i := range w.discs {
			st.stampDisc(w.discs[i])
		}
	}
}

// overshoot bounds how far past its later end the strip of a piece whose
// reach falls by alpha metres a metre runs, for a stamp radius rho (see
// stampPiece): min(β·rho, rho/α), at most 1.28·rho.
func overshoot(alpha, rho float64) float64 {
	if !(alpha > 0) || alpha >= 1-1e-9 {
		return 0
	}
	return min(alpha/math.Sqrt(1-alpha*alpha)*rho, rho/alpha)
}

// ceilIdx returns ⌈v⌉ limited to [lo, hi+1], with NaN giving lo; lo must
// be at least 0. It avoids math.Ceil, which is a function call on
// baseline amd64.
func ceilIdx(v float64, lo, hi int) int {
	switch {
	case !(v > float64(lo)):
		return lo
	case v > float64(hi):
		return hi + 1
	}
	i := int(v) // v > 0: truncation is the floor
	if float64(i) < v {
		i++
	}
	return i
}

// floorIdx returns ⌊v⌋ limited to [lo-1, hi], with NaN giving lo-1; lo
// must be at least 0.
func floorIdx(v float64, lo, hi int) int {
	switch {
	case !(v >= float64(lo)):
		return lo - 1
	case v >= float64(hi):
		return hi
	}
	return int(v)
}

// rows returns the range of vertex rows with y in [ylo, yhi], inside the
// written part of the grid; it is empty when jlo > jhi.
func (rs *raster) rows(ylo, yhi float64) (jlo, jhi int) {
	return ceilIdx((ylo-rs.y0)*rs.inv, 1, rs.h-2), floorIdx((yhi-rs.y0)*rs.inv, 1, rs.h-2)
}

// cols returns the range of vertex columns with x in [xlo, xhi], inside
// the written part of the grid; it is empty when ilo > ihi.
func (rs *raster) cols(xlo, xhi float64) (ilo, ihi int) {
	return ceilIdx((xlo-rs.x0)*rs.inv, 1, rs.w-2), floorIdx((xhi-rs.x0)*rs.inv, 1, rs.w-2)
}

// saturate marks the vertices within r - cell of a road point reached at
// d.t, where F <= -cell, as saturated, limit by limit.
func (st *stamper) saturate(d disc) {
	K, cell, R := st.k, st.cell, st.r
	k0 := K
	for k0 > 0 && min(R, (st.lim[k0-1]-d.t)*st.v) > cell {
		k0--
		r := min(R, (st.lim[k0]-d.t)*st.v) - cell
		st.dr[k0] = r * r
	}
	if k0 == K {
		return
	}
	rho := min(R, (st.lim[K-1]-d.t)*st.v) - cell
	jlo, jhi := st.rows(d.y-rho, d.y+rho)
	ilo, ihi := st.cols(d.x-rho, d.x+rho)
	if st.limitOf(blocks{ilo >> blockShift, ihi >> blockShift, jlo >> blockShift, jhi >> blockShift}) <= k0 {
		return // nothing left to saturate
	}
	for j := jlo; j <= jhi; j++ {
		if st.owner[j] != st.id {
			continue
		}
		dy := st.y0 + float64(j)*cell - d.y
		dx := st.x0 + float64(ilo)*cell - d.x
		row := st.f[(j*st.w+ilo)*K : (j*st.w+ihi+1)*K]
		for i, o := ilo, 0; o+K <= len(row); i, o = i+1, o+K {
			d2 := dx*dx + dy*dy
			for k := K - 1; k >= k0 && d2 <= st.dr[k] && row[o+k] > st.sat; k-- {
				st.lower(&row[o+k], st.sat, k, i, j)
			}
			dx += cell
		}
	}
}

// stampDisc lowers F around a road point reached at d.t: by |p - q| - r
// for each limit.
func (st *stamper) stampDisc(d disc) {
	K, cell, R := st.k, st.cell, st.r
	k0 := st.firstLimit(d.t)
	if k0 == K {
		return
	}
	for k := k0; k < K; k++ {
		st.dr[k] = min((st.lim[k]-d.t)*st.v, R)
	}
	// Stamp limits k0..k1-1: beyond k1 the footprint is saturated.
	rho := st.dr[K-1] + cell
	k1 := st.limitOf(st.blocksOf(d.x-rho, d.x+rho, d.y-rho, d.y+rho))
	if k1 <= k0 {
		return
	}
	rho = st.dr[k1-1] + cell
	rc := st.dr[k0:k1]
	jlo, jhi := st.rows(d.y-rho, d.y+rho)
	if rho <= smallDisc*cell {
		// Few vertices: visit the box, skipping its corners by the
		// squared distance.
		ilo, ihi := st.cols(d.x-rho, d.x+rho)
		if ilo > ihi {
			return
		}
		rho2 := rho * rho
		for j := jlo; j <= jhi; j++ {
			if st.owner[j] != st.id {
				continue
			}
			dy := st.y0 + float64(j)*cell - d.y
			dy2 := dy * dy
			dx := st.x0 + float64(ilo)*cell - d.x
			row := st.f[(j*st.w+ilo)*K : (j*st.w+ihi+1)*K]
			for i, o := ilo, 0; o+K <= len(row); i, o = i+1, o+K {
				vals := row[o+k0 : o+k1]
				if d2 := dx*dx + dy2; d2 <= rho2 && vals[0] > st.sat {
					dist := math.Sqrt(d2)
					for k, r := range rc {
						if vals[k] <= st.sat {
							break // and so are the larger limits
						}
						st.lower(&vals[k], float32(dist-r), k0+k, i, j)
					}
				}
				dx += cell
			}
		}
		return
	}
	for j := jlo; j <= jhi; j++ {
		if st.owner[j] != st.id {
			continue
		}
		y := st.y0 + float64(j)*cell
		dy2 := (y - d.y) * (y - d.y)
		if dy2 > rho*rho {
			continue
		}
		half := math.Sqrt(rho*rho - dy2)
		ilo, ihi := st.cols(d.x-half, d.x+half)
		if ilo > ihi {
			continue
		}
		dx := st.x0 + float64(ilo)*cell - d.x
		row := st.f[(j*st.w+ilo)*K : (j*st.w+ihi+1)*K]
		for i, o := ilo, 0; o+K <= len(row); i, o = i+1, o+K {
			vals := row[o+k0 : o+k1]
			if vals[0] > st.sat {
				dist := math.Sqrt(dx*dx + dy2)
				for k, r := range rc {
					if vals[k] <= st.sat {
						break // and so are the larger limits
					}
					st.lower(&vals[k], float32(dist-r), k0+k, i, j)
				}
			}
			dx += cell
		}
	}
}

// stampPiece lowers F beside a piece of road, where the nearest point of
// the piece in the sense of F lies strictly inside it; its ends are
// discs.
//
// Along the piece, at distance u from a, t = ta + u·σ with σ >= 0, so the
// reach is rc - α·u with rc = (L - ta)·v and α = σ·v, capped at R. In the
// piece's frame, with x at (px, ±py) (py >= 0):
//
//   - where the reach is capped, |x - q(u)| - R is least at u = px, giving
//     py - R;
//   - where it is not, |x - q(u)| + α·u - rc is least at u* = px - β·py with
//     β = α/γ, γ = √(1-α²) (for α < 1; for α >= 1, off-road as fast as the
//     road, it is least at the start), giving α·px + γ·py - rc.
//
// Each counts only where its u lies in the part of the piece it applies
// to. A limit whose reach crosses R inside the piece (at uc) has the point
// q(uc) as an extra end, stamped as a disc.
func (st *stamper) stampPiece(p *piece) {
	K, cell, R := st.k, st.cell, st.r
	k0 := st.firstLimit(p.ta)
	if k0 == K {
		return
	}
	dx, dy := p.bx-p.ax, p.by-p.ay
	l := math.Sqrt(dx*dx + dy*dy)
	if !(l > 1e-9) {
		return // a point: its ends are discs
	}
	if n := l / (maxPieceCells * cell); n > 1 {
		// A long piece is stamped in short parts, so that the boxes
		// visited stay close to its strip, with discs at the joints
		// (where, say, the reach of a limit stops being capped).
		n := math.Ceil(min(n, float64(st.w+st.h)))
		q := *p
		for i := 1.0; i <= n; i++ {
			f := i / n
			q.bx, q.by, q.tb = p.ax+f*dx, p.ay+f*dy, p.ta+f*(p.tb-p.ta)
			st.stampPiece(&q)
			if i < n {
				st.stampDisc(disc{q.bx, q.by, q.tb})
			}
			q.ax, q.ay, q.ta = q.bx, q.by, q.tb
		}
		return
	}
	rcMax := (st.lim[K-1] - p.ta) * st.v
	rho := min(R, rcMax) + cell
	ux, uy := dx/l, dy/l
	alpha := (p.tb - p.ta) / l * st.v
	beta, gamma := math.Inf(1), 0.0
	if alpha < 1-1e-9 {
		gamma = math.Sqrt(1 - alpha*alpha)
		beta = alpha / gamma
	}

	// Limits in increasing order of reach: those never capped (cone,
	// k0..kc-1), those capped then not (mixed, kc..km-1), those capped
	// all along (km..K-1).
	kc, km := K, K
	for k := K - 1; k >= k0; k-- {
		rc := (st.lim[k] - p.ta) * st.v
		st.rc[k] = rc
		switch {
		case rc <= R:
		case rc-alpha*l >= R:
			kc, km = k, k
		default:
			kc = k
			st.uc[k] = (rc - R) / alpha // alpha > 0 here
		}
	}
	cone := kc > k0 && !math.IsInf(beta, 1)
	capped := km < K
	// Where the reach is not capped the strip runs on past b, as far as the
	// minimum u* = px - β·py still lies inside the piece (px up to
	// l + β·py), but F < cell needs α·px < cell + rc <= rho + α·l; this
	// is within overshoot(alpha, rho) of b.
	length := l
	if km > k0 && alpha > 0 && !math.IsInf(beta, 1) {
		length = max(l, min(l+beta*rho, (cell+st.rc[km-1])/alpha))
	}
	// Stamp limits k0..k1-1: beyond k1 the footprint is saturated.
	g := rho + (length - l)
	k1 := st.limitOf(st.blocksOf(min(p.ax, p.bx)-g, max(p.ax, p.bx)+g, min(p.ay, p.by)-g, max(p.ay, p.by)+g))
	if k1 <= k0 {
		return
	}
	if k1 < K {
		rho = min(R, st.rc[k1-1]) + cell
		kc, km = min(kc, k1), min(km, k1)
		capped = km < k1
		if km > k0 && alpha > 0 && !math.IsInf(beta, 1) {
			length = max(l, min(l+beta*rho, (cell+st.rc[km-1])/alpha))
		}
	}
	for k := kc; k < km; k++ {
		f := st.uc[k] / l
		st.stampDisc(disc{p.ax + f*dx, p.ay + f*dy, p.ta + f*(p.tb-p.ta)})
	}

	// Visit the box round the strip 0 <= px <= length, |py| <= rho (the
	// piece is short, so little of the box lies outside the strip).
	ex, ey := length*ux, length*uy
	sx, sy := math.Abs(uy*rho), math.Abs(ux*rho)
	ilo, ihi := st.cols(min(p.ax, p.ax+ex)-sx, max(p.ax, p.ax+ex)+sx)
	jlo, jhi := st.rows(min(p.ay, p.ay+ey)-sy, max(p.ay, p.ay+ey)+sy)
	if ilo > ihi {
		return
	}
	X := st.x0 + float64(ilo)*cell - p.ax
	stepX, stepY := cell*ux, -cell*uy
	for j := jlo; j <= jhi; j++ {
		if st.owner[j] != st.id {
			continue
		}
		Y := st.y0 + float64(j)*cell - p.ay
		px, qy := X*ux+Y*uy, Y*ux-X*uy
		row := st.f[(j*st.w+ilo)*K : (j*st.w+ihi+1)*K]
		for i, o := ilo, 0; o+K <= len(row); i, o = i+1, o+K {
			vals := row[o : o+K]
			if vals[k0] > st.sat {
				py := math.Abs(qy)
				if cone {
					if us := px - beta*py; us >= 0 && us <= l {
						base := alpha*px + gamma*py
						for k := k0; k < kc && vals[k] > st.sat; k++ {
							st.lower(&vals[k], float32(base-st.rc[k]), k, i, j)
						}
					}
				}
				for k := kc; k < km; k++ { // mixed
					uc := st.uc[k]
					val := math.Inf(1)
					if px >= 0 && px <= uc {
						val = py - R
					}
					if us := px - beta*py; us >= uc && us <= l {
						val = min(val, alpha*px+gamma*py-st.rc[k])
					}
					st.lower(&vals[k], float32(val), k, i, j)
				}
				if capped && px >= 0 && px <= l {
					v := float32(py - R)
					for k := km; k < k1 && vals[k] > st.sat; k++ {
						st.lower(&vals[k], v, k, i, j)
					}
				}
			}
			px += stepX
			qy += stepY
		}
	}
}
