package isochrone

import (
	"math"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// piece is a straight stretch of road, in projected metres, along which
// the arrival time grows linearly from ta at a to tb at b (seconds,
// ta <= tb).
type piece struct {
	ax, ay, bx, by float64
	ta, tb         float64
}

// disc is a road point, in projected metres, reached at t seconds.
type disc struct{ x, y, t float64 }

// linFn is an arrival time along a segment, a + b·f milliseconds at
// fraction f of its length, valid for f in [lo, hi].
type linFn struct{ a, b, lo, hi float64 }

// envPiece is one linear stretch of a segment's arrival time: a + b·f
// milliseconds for f in [f0, f1].
type envPiece struct{ f0, f1, a, b float64 }

// sub is a stretch of a segment that is straight and has a linear
// arrival time: from (x0, y0) at fraction f0 and time t0 (ms) to
// (x1, y1), f1, t1. shape and env index the shape piece and the envelope
// stretch it lies on.
type sub struct {
	x0, y0, x1, y1 float64
	f0, f1         float64
	t0, t1         float64
	shape, env     int
}

// walker turns segments into pieces and discs. Its scratch space is reused
// from segment to segment; a walker is not safe for concurrent use.
type walker struct {
	g     *road.Graph
	times []uint32
	proj  geo.Projection
	src   road.Snap
	accMs float64 // access leg to the snapped source, milliseconds

	// Output of segment, appended to.
	pieces []piece
	discs  []disc

	// tol, when positive, simplifies each segment's shape before it is cut
	// into pieces: shape points closer than tol metres to the simplified
	// line are dropped (Douglas–Peucker). Times stay tied to the true
	// length fractions, so only positions move, by less than tol.
	tol  float64
	keep []bool

	fns    [4]linFn
	brk    [12]float64
	env    [12]envPiece
	nenv   int
	xs, ys []float64
	cum    []float64
	subs   []sub
}

// nodeTime returns the time of node v in milliseconds, +Inf when it is
// unreachable.
func (w *walker) nodeTime(v int32) float64 {
	if t := w.times[v]; t != road.Unreachable {
		return float64(t)
	}
	return math.Inf(1)
}

// candidate reports whether segment s may hold points reached before
// tcutMs milliseconds: whether either end is reached in time and may be
// driven on from, or s is the source's segment.
func (w *walker) candidate(s int, tcutMs float64) bool {
	if s == int(w.src.Segment) {
		return true
	}
	g := w.g
	if g.SegFwd[s] >= 0 {
		if t := w.times[g.SegFrom[s]]; t != road.Unreachable && float64(t) < tcutMs {
			return true
		}
	}
	if g.SegBwd[s] >= 0 {
		if t := w.times[g.SegTo[s]]; t != road.Unreachable && float64(t) < tcutMs {
			return true
		}
	}
	return false
}

// envelope computes the arrival time along segment s as linear stretches
// in w.env[:w.nenv]: the earliest of entering from either end in a
// drivable direction and, on the source's own segment, of driving
// directly from the source position.
func (w *walker) envelope(s int) {
	g := w.g
	n := 0
	if e := g.SegFwd[s]; e >= 0 {
		if t := w.times[g.SegFrom[s]]; t != road.Unreachable {
			w.fns[n] = linFn{a: float64(t), b: float64(g.Time[e]), lo: 0, hi: 1}
			n++
		}
	}
	if e := g.SegBwd[s]; e >= 0 {
		if t := w.times[g.SegTo[s]]; t != road.Unreachable {
			bt := float64(g.Time[e])
			w.fns[n] = linFn{a: float64(t) + bt, b: -bt, lo: 0, hi: 1}
			n++
		}
	}
	nb := 0
	w.brk[nb], w.brk[nb+1] = 0, 1
	nb += 2
	if s == int(w.src.Segment) {
		off := w.src.Offset
		if e := g.SegFwd[s]; e >= 0 {
			ft := float64(g.Time[e])
			w.fns[n] = linFn{a: w.accMs - off*ft, b: ft, lo: off, hi: 1}
			n++
		}
		if e := g.SegBwd[s]; e >= 0 {
			bt := float64(g.Time[e])
			w.fns[n] = linFn{a: w.accMs + off*bt, b: -bt, lo: 0, hi: off}
			n++
		}
		w.brk[nb] = off
		nb++
	}
	// Between consecutive breakpoints (ends, domain limits and every
	// pairwise crossing) the order of the functions is fixed, so the
	// earliest is one linear function.
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			fi, fj := w.fns[i], w.fns[j]
			if fi.b == fj.b {
				continue
			}
			if f := (fj.a - fi.a) / (fi.b - fj.b); f > 0 && f < 1 {
				w.brk[nb] = f
				nb++
			}
		}
	}
	brk := w.brk[:nb]
	for i := 1; i < len(brk); i++ { // insertion sort; at most 9 values
		for j := i; j > 0 && brk[j] < brk[j-1]; j-- {
			brk[j], brk[j-1] = brk[j-1], brk[j]
		}
	}
	ne := 0
	for i := 0; i+1 < len(brk); i++ {
		f0, f1 := brk[i], brk[i+1]
		if !(f1 > f0) {
			continue
		}
		m := (f0 + f1) / 2
		best, bestT := -1, math.Inf(1)
		for k := range n {
			fn := &w.fns[k]
			if m < fn.lo || m > fn.hi {
				continue
			}
			if t := fn.a + fn.b*m; t < bestT {
				best, bestT = k, t
			}
		}
		if best < 0 {
			continue
		}
		fn := w.fns[best]
		if ne > 0 && w.env[ne-1].f1 == f0 && w.env[ne-1].a == fn.a && w.env[ne-1].b == fn.b {
			w.env[ne-1].f1 = f1
			continue
		}
		w.env[ne] = envPiece{f0: f0, f1: f1, a: fn.a, b: fn.b}
		ne++
	}
	w.nenv = ne
}

// segment appends to w.pieces the stretches of segment s reached before
// tcut seconds, cut where their time reaches tcut, and, when withDiscs is
// set, to w.discs the points of s at which the earliest way to reach a
// point beside the road may leave it: bends, changes in the growth of
// time, and the ends of s where s reaches them before their node's own
// time (the nodes themselves are discs of their own).
//
// A point where time peaks on a straight stretch, reached from both
// sides, is no disc: for any point beside the road, moving from the peak
// along the road towards the side the point lies on does not lengthen the
// off-road leg, while it shortens the time and so lengthens the reach, so
// the best place to leave the road is never the peak.
func (w *walker) segment(s int, tcut float64, withDiscs bool) {
	g := w.g
	lo, hi := g.ShapeFirst[s], g.ShapeFirst[s+1]
	if lo < 0 || hi > int32(len(g.Shape)) || lo >= hi {
		return
	}
	if hi-lo == 2 && s != int(w.src.Segment) {
		w.straight(s, lo, tcut, withDiscs)
		return
	}
	w.envelope(s)
	env := w.env[:w.nenv]
	if len(env) == 0 {
		return
	}
	tcutMs := tcut * 1000
	early := math.Inf(1)
	for _, e := range env {
		early = min(early, e.a+e.b*e.f0, e.a+e.b*e.f1)
	}
	if !(early < tcutMs) {
		return
	}

	sh := g.Shape[lo:hi]
	w.xs, w.ys, w.cum = w.xs[:0], w.ys[:0], w.cum[:0]
	total := 0.0
	for i, p := range sh {
		x, y := w.proj.Project(p)
		if i > 0 {
			dx, dy := x-w.xs[i-1], y-w.ys[i-1]
			total += math.Sqrt(dx*dx + dy*dy)
		}
		w.xs, w.ys, w.cum = append(w.xs, x), append(w.ys, y), append(w.cum, total)
	}
	if w.tol > 0 && len(w.xs) > 2 {
		w.simplify()
	}
	if !(total > 0) {
		// A segment of no length (or a broken shape) is a point.
		if withDiscs && finite(w.xs[0]+w.ys[0]) {
			w.discs = append(w.discs, disc{w.xs[0], w.ys[0], early / 1000})
		}
		return
	}

	w.subs = w.subs[:0]
	ei := 0
	for k := 0; k+1 < len(w.xs); k++ {
		F0, F1 := w.cum[k]/total, w.cum[k+1]/total
		if !(F1 > F0) {
			continue
		}
		for ei < len(env) && env[ei].f1 <= F0 {
			ei++
		}
		dx, dy := w.xs[k+1]-w.xs[k], w.ys[k+1]-w.ys[k]
		for j := ei; j < len(env) && env[j].f0 < F1; j++ {
			e := env[j]
			f0, f1 := max(F0, e.f0), min(F1, e.f1)
			if !(f1 > f0) {
				continue
			}
			u0, u1 := (f0-F0)/(F1-F0), (f1-F0)/(F1-F0)
			w.subs = append(w.subs, sub{
				x0: w.xs[k] + u0*dx, y0: w.ys[k] + u0*dy,
				x1: w.xs[k] + u1*dx, y1: w.ys[k] + u1*dy,
				f0: f0, f1: f1, t0: e.a + e.b*f0, t1: e.a + e.b*f1,
				shape: k, env: j,
			})
		}
	}
	for i, p := range w.subs {
		w.emit(p.x0, p.y0, p.x1, p.y1, p.t0/1000, p.t1/1000, tcut)
		if !withDiscs {
			continue
		}
		// The start of p, when no earlier stretch ends there.
		switch {
		case i > 0 && w.subs[i-1].f1 == p.f0:
			// Handled as the end of the previous stretch.
		case p.f0 == 0:
			if p.t0 < w.nodeTime(g.SegFrom[s]) {
				w.addDisc(p.x0, p.y0, p.t0/1000, tcut)
			}
		default:
			w.addDisc(p.x0, p.y0, p.t0/1000, tcut)
		}
		// The end of p.
		switch {
		case i+1 < len(w.subs) && w.subs[i+1].f0 == p.f1:
			q := w.subs[i+1]
			peak := q.shape == p.shape && env[p.env].b > 0 && env[q.env].b < 0
			if !peak {
				w.addDisc(p.x1, p.y1, p.t1/1000, tcut)
			}
		case p.f1 == 1:
			if p.t1 < w.nodeTime(g.SegTo[s]) {
				w.addDisc(p.x1, p.y1, p.t1/1000, tcut)
			}
		default:
			w.addDisc(p.x1, p.y1, p.t1/1000, tcut)
		}
	}
}

// straight is segment for the common case: a straight segment (shape
// points first and first+1) that is not the source's, entered from either
// end.
func (w *walker) straight(s int, first int32, tcut float64, withDiscs bool) {
	g := w.g
	tf, tt := w.nodeTime(g.SegFrom[s]), w.nodeTime(g.SegTo[s])
	fwd, bwd := math.NaN(), math.NaN() // edge times, ms; NaN when not entered
	if e := g.SegFwd[s]; e >= 0 && !math.IsInf(tf, 1) {
		fwd = float64(g.Time[e])
	}
	if e := g.SegBwd[s]; e >= 0 && !math.IsInf(tt, 1) {
		bwd = float64(g.Time[e])
	}
	hasA, hasB := !math.IsNaN(fwd), !math.IsNaN(bwd)
	if !hasA && !hasB {
		return
	}
	ax, ay := w.proj.Project(g.Shape[first])
	bx, by := w.proj.Project(g.Shape[first+1])
	switch {
	case hasA && hasB:
		// Entered from both ends: time rises from each end to where
		// the two arrivals meet, at fraction fs.
		fs := 1.0
		if fwd+bwd > 0 {
			fs = min(max((tt+bwd-tf)/(fwd+bwd), 0), 1)
		} else if tt < tf {
			fs = 0
		}
		mx, my := ax+fs*(bx-ax), ay+fs*(by-ay)
		if fs > 0 {
			w.emit(ax, ay, mx, my, tf/1000, (tf+fs*fwd)/1000, tcut)
		}
		if fs < 1 {
			w.emit(mx, my, bx, by, (tt+(1-fs)*bwd)/1000, tt/1000, tcut)
		}
		if !withDiscs {
			return
		}
		switch {
		case fs == 0:
			if t := tt + bwd; t < tf {
				w.addDisc(ax, ay, t/1000, tcut)
			}
		case fs == 1:
			if t := tf + fwd; t < tt {
				w.addDisc(bx, by, t/1000, tcut)
			}
		case fwd == 0 || bwd == 0: // not a strict peak
			w.addDisc(mx, my, (tf+fs*fwd)/1000, tcut)
		}
	case hasA:
		w.emit(ax, ay, bx, by, tf/1000, (tf+fwd)/1000, tcut)
		if t := tf + fwd; withDiscs && t < tt {
			w.addDisc(bx, by, t/1000, tcut)
		}
	default:
		w.emit(ax, ay, bx, by, (tt+bwd)/1000, tt/1000, tcut)
		if t := tt + bwd; withDiscs && t < tf {
			w.addDisc(ax, ay, t/1000, tcut)
		}
	}
}

func (w *walker) addDisc(x, y, t, tcut float64) {
	if t < tcut && finite(x+y+t) {
		w.discs = append(w.discs, disc{x, y, t})
	}
}

// emit appends the piece from a (time ta, seconds) to b (time tb),
// oriented so that time grows along it and cut where it reaches tcut.
func (w *walker) emit(ax, ay, bx, by, ta, tb, tcut float64) {
	if ta > tb {
		ax, ay, bx, by, ta, tb = bx, by, ax, ay, tb, ta
	}
	if !(ta < tcut) {
		return
	}
	if tb > tcut {
		f := (tcut - ta) / (tb - ta)
		bx, by, tb = ax+f*(bx-ax), ay+f*(by-ay), tcut
	}
	if !finite(ax + ay + bx + by + ta + tb) {
		return
	}
	w.pieces = append(w.pieces, piece{ax: ax, ay: ay, bx: bx, by: by, ta: ta, tb: tb})
}

// simplify drops from xs, ys, cum the shape points within tol of the line
// Douglas–Peucker keeps, in place.
func (w *walker) simplify() {
	n := len(w.xs)
	if cap(w.keep) < n {
		w.keep = make([]bool, n)
	}
	keep := w.keep[:n]
	clear(keep)
	keep[0], keep[n-1] = true, true
	w.dp(0, n-1, keep)
	j := 0
	for i := range n {
		if keep[i] {
			w.xs[j], w.ys[j], w.cum[j] = w.xs[i], w.ys[i], w.cum[i]
			j++
		}
	}
	w.xs, w.ys, w.cum = w.xs[:j], w.ys[:j], w.cum[:j]
}

// dp marks in keep the points between a and b (exclusive) that
// Douglas–Peucker keeps at tolerance w.tol.
func (w *walker) dp(a, b int, keep []bool) {
	if b-a < 2 {
		return
	}
	ax, ay, bx, by := w.xs[a], w.ys[a], w.xs[b], w.ys[b]
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	far, farD := -1, w.tol*w.tol
	for i := a + 1; i < b; i++ {
		px, py := w.xs[i]-ax, w.ys[i]-ay
		var d2 float64
		if l2 == 0 {
			d2 = px*px + py*py
		} else {
			t := math.Max(0, math.Min(1, (px*dx+py*dy)/l2))
			ex, ey := px-t*dx, py-t*dy
			d2 = ex*ex + ey*ey
		}
		if d2 > farD {
			far, farD = i, d2
		}
	}
	if far < 0 {
		return
	}
	keep[far] = true
	w.dp(a, far, keep)
	w.dp(far, b, keep)
}
