package road

import (
	"errors"
	"fmt"
	"math"

	"github.com/arv-project/arv/geo"
)

// ErrTooFar is returned (wrapped in a *SnapError) when a position lies
// further from the network than the snap limit.
var ErrTooFar = errors.New("road: position too far from the road network")

// SnapError reports a position that could not be placed on the network.
type SnapError struct {
	Point   geo.Point
	Nearest float64 // metres to the nearest road, +Inf if the graph has none
	Limit   float64 // metres
}

func (e *SnapError) Error() string {
	if math.IsInf(e.Nearest, 1) {
		return fmt.Sprintf("%v: the network has no roads", e.Point)
	}
	return fmt.Sprintf("%v is %s from the nearest road, beyond the %.0f m limit", e.Point, metres(e.Nearest), e.Limit)
}

// metres formats a distance in m, or in km from 10 km up.
func metres(d float64) string {
	if d >= 10000 {
		return fmt.Sprintf("%.0f km", d/1000)
	}
	return fmt.Sprintf("%.0f m", d)
}

func (e *SnapError) Unwrap() error { return ErrTooFar }

// Snap is a position placed on the network: the nearest point of the
// nearest segment.
type Snap struct {
	Query   geo.Point // the position asked for
	Point   geo.Point // the nearest point on the network
	Dist    float64   // metres from Query to Point
	Segment int32     // the segment Point lies on
	Offset  float64   // fraction of the segment's length from SegFrom to Point, 0..1
}

// Seed is a node a search starts from (or ends at) and the time in
// milliseconds between that node and the snapped position.
type Seed struct {
	Node int32
	Time uint32
}

// Seeds holds the one or two seeds of a snapped position.
type Seeds struct {
	N    int
	Seed [2]Seed
}

// Slice returns the seeds as a slice (aliasing s).
func (s *Seeds) Slice() []Seed { return s.Seed[:s.N] }

func (s *Seeds) add(node int32, t uint32) {
	s.Seed[s.N] = Seed{node, t}
	s.N++
}

// accessTime returns the time of the off-network leg for a snap, in ms.
func (g *Graph) accessTime(s Snap) uint32 {
	if g.Meta.AccessKmh <= 0 || s.Dist == 0 {
		return 0
	}
	return edgeTime(s.Dist, g.Meta.AccessKmh)
}

// SourceSeeds returns where a search leaving s begins: the segment's end
// nodes reachable by driving along the segment, with the partial times
// (plus the off-network access leg, when the graph times it).
func (g *Graph) SourceSeeds(s Snap) Seeds {
	var out Seeds
	acc := g.accessTime(s)
	if e := g.SegFwd[s.Segment]; e >= 0 {
		out.add(g.SegTo[s.Segment], AddTime(acc, partial(g.Time[e], 1-s.Offset)))
	}
	if e := g.SegBwd[s.Segment]; e >= 0 {
		out.add(g.SegFrom[s.Segment], AddTime(acc, partial(g.Time[e], s.Offset)))
	}
	return out
}

// TargetSeeds returns the nodes from which s can be reached by driving
// along its segment, with the remaining times (plus the access leg).
func (g *Graph) TargetSeeds(s Snap) Seeds {
	var out Seeds
	acc := g.accessTime(s)
	if e := g.SegFwd[s.Segment]; e >= 0 {
		out.add(g.SegFrom[s.Segment], AddTime(acc, partial(g.Time[e], s.Offset)))
	}
	if e := g.SegBwd[s.Segment]; e >= 0 {
		out.add(g.SegTo[s.Segment], AddTime(acc, partial(g.Time[e], 1-s.Offset)))
	}
	return out
}

// DirectTime returns the time from a to b without passing a node: along
// their shared segment when its direction allows, or, on graphs that time
// off-network legs (Meta.AccessKmh > 0) and when either position is off
// the network, straight across at that speed. ok is false when neither
// applies.
func (g *Graph) DirectTime(a, b Snap) (uint32, bool) {
	t, _, ok := g.direct(a, b)
	return t, ok
}

// DirectPath is DirectTime's path: along the shared segment, or the
// straight off-network leg (Path.Straight).
func (g *Graph) DirectPath(a, b Snap) (Path, bool) {
	t, straight, ok := g.direct(a, b)
	switch {
	case !ok:
		return Path{}, false
	case straight:
		return Path{
			From: a, To: b, Time: t, Straight: true,
			Length: geo.Distance(a.Query, b.Query),
			Points: []geo.Point{a.Query, b.Query},
		}, true
	}
	return g.AssemblePath(a, b, -1, nil, t), true
}

func (g *Graph) direct(a, b Snap) (t uint32, straight, ok bool) {
	t = Unreachable
	if a.Segment == b.Segment {
		acc := AddTime(g.accessTime(a), g.accessTime(b))
		s := a.Segment
		if e := g.SegFwd[s]; e >= 0 && b.Offset >= a.Offset {
			t, ok = AddTime(acc, partial(g.Time[e], b.Offset-a.Offset)), true
		} else if e := g.SegBwd[s]; e >= 0 && b.Offset <= a.Offset {
			t, ok = AddTime(acc, partial(g.Time[e], a.Offset-b.Offset)), true
		}
	}
	// The straight leg stands for the minor roads a sparse network leaves
	// out, so it joins positions off the network (or a position to
	// itself); two places on the network are joined by the network.
	if g.Meta.AccessKmh > 0 && (a.Dist > 0 || b.Dist > 0 || a.Query == b.Query) {
		if st := edgeTime(geo.Distance(a.Query, b.Query), g.Meta.AccessKmh); st < t {
			return st, true, true
		}
	}
	return t, false, ok
}

func partial(t uint32, f float64) uint32 {
	return uint32(math.Round(float64(t) * f))
}

// Snap places p on the nearest drivable segment. maxDist is the limit in
// metres; 0 or less means the graph's own limit (Meta.SnapLimit, default
// DefaultSnapLimit). A position beyond the limit gives a *SnapError.
func (g *Graph) Snap(p geo.Point, maxDist float64) (Snap, error) {
	if !p.Valid() {
		return Snap{}, fmt.Errorf("road: invalid position %v", p)
	}
	if maxDist <= 0 {
		maxDist = g.snapLimit()
	}
	g.indexOnce.Do(func() { g.index = newSnapIndex(g) })
	s, ok := g.index.nearest(g, p, maxDist)
	if !ok {
		near := math.Inf(1)
		if t, ok := g.index.nearest(g, p, math.Inf(1)); ok {
			near = t.Dist
		}
		return Snap{}, &SnapError{Point: p, Nearest: near, Limit: maxDist}
	}
	return s, nil
}

// snapIndex is a uniform grid over the projected plane; each cell lists the
// shape pieces (Shape[i] to Shape[i+1]) whose bounding box overlaps it.
type snapIndex struct {
	proj      geo.Projection
	x0, y0    float64 // projected south-west corner of the grid
	cell      float64 // cell side, metres
	nx, ny    int
	cellFirst []int32 // CSR over cells
	items     []int32 // shape index i of the piece Shape[i]..Shape[i+1]
	shapeSeg  []int32 // segment owning shape point i (for pieces)
}

func newSnapIndex(g *Graph) *snapIndex {
	b := g.Bound()
	ix := &snapIndex{proj: geo.NewProjection(b.Center())}
	if b.Empty() {
		ix.nx, ix.ny, ix.cell = 1, 1, 1
		ix.cellFirst = make([]int32, 2)
		return ix
	}
	ix.x0, ix.y0 = ix.proj.Project(b.Min)
	x1, y1 := ix.proj.Project(b.Max)
	w, h := math.Max(x1-ix.x0, 1), math.Max(y1-ix.y0, 1)
	pieces := len(g.Shape) - len(g.SegFrom)
	// About four pieces per cell, within sensible bounds.
	ix.cell = math.Sqrt(w * h / math.Max(float64(pieces)/4, 1))
	ix.cell = math.Min(math.Max(ix.cell, 50), 20000)
	ix.nx = int(w/ix.cell) + 1
	ix.ny = int(h/ix.cell) + 1
	ix.shapeSeg = make([]int32, len(g.Shape))
	for s := range g.SegFrom {
		for i := g.ShapeFirst[s]; i < g.ShapeFirst[s+1]; i++ {
			ix.shapeSeg[i] = int32(s)
		}
	}
	// Two passes: count, then fill.
	counts := make([]int32, ix.nx*ix.ny+1)
	visit := func(fn func(cell int, i int32)) {
		for s := range g.SegFrom {
			for i := g.ShapeFirst[s]; i < g.ShapeFirst[s+1]-1; i++ {
				ax, ay := ix.proj.Project(g.Shape[i])
				bx, by := ix.proj.Project(g.Shape[i+1])
				cx0, cy0 := ix.cellOf(math.Min(ax, bx), math.Min(ay, by))
				cx1, cy1 := ix.cellOf(math.Max(ax, bx), math.Max(ay, by))
				for cy := cy0; cy <= cy1; cy++ {
					for cx := cx0; cx <= cx1; cx++ {
						fn(cy*ix.nx+cx, i)
					}
				}
			}
		}
	}
	visit(func(c int, _ int32) { counts[c+1]++ })
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	ix.cellFirst = counts
	ix.items = make([]int32, counts[len(counts)-1])
	next := make([]int32, len(counts)-1)
	copy(next, counts[:len(counts)-1])
	visit(func(c int, i int32) {
		ix.items[next[c]] = i
		next[c]++
	})
	return ix
}

func (ix *snapIndex) cellOf(x, y float64) (int, int) {
	cx := int(math.Floor((x - ix.x0) / ix.cell))
	cy := int(math.Floor((y - ix.y0) / ix.cell))
	return min(max(cx, 0), ix.nx-1), min(max(cy, 0), ix.ny-1)
}

// nearest finds the closest shape piece within maxDist of p.
func (ix *snapIndex) nearest(g *Graph, p geo.Point, maxDist float64) (Snap, bool) {
	px, py := ix.proj.Project(p)
	// Rings are counted from the cell nearest p (clamped into the grid);
	// a point outside the grid starts the count at its distance to it.
	cx, cy := ix.cellOf(px, py)
	outside := math.Max(math.Max(ix.x0-px, px-(ix.x0+float64(ix.nx)*ix.cell)), 0)
	outside = math.Max(outside, math.Max(math.Max(ix.y0-py, py-(ix.y0+float64(ix.ny)*ix.cell)), 0))
	best := math.Inf(1)
	bestI := int32(-1)
	var bestT float64
	maxRing := max(ix.nx, ix.ny)
	for r := 0; r <= maxRing; r++ {
		// Anything in ring r is at least (r-1) cells away.
		if lower := math.Max(outside, float64(r-1)*ix.cell); lower > best || lower > maxDist {
			break
		}
		for y := cy - r; y <= cy+r; y++ {
			if y < 0 || y >= ix.ny {
				continue
			}
			step := 1
			if y != cy-r && y != cy+r {
				step = 2 * r // only the left and right cells of the ring
			}
			for x := cx - r; x <= cx+r; x += max(step, 1) {
				if x < 0 || x >= ix.nx {
					continue
				}
				c := y*ix.nx + x
				for _, i := range ix.items[ix.cellFirst[c]:ix.cellFirst[c+1]] {
					ax, ay := ix.proj.Project(g.Shape[i])
					bx, by := ix.proj.Project(g.Shape[i+1])
					d, t := pointSegment(px, py, ax, ay, bx, by)
					if d < best || (d == best && i < bestI) {
						best, bestI, bestT = d, i, t
					}
				}
			}
		}
	}
	if bestI < 0 || best > maxDist {
		return Snap{}, false
	}
	s := ix.shapeSeg[bestI]
	on := geo.Interpolate(g.Shape[bestI], g.Shape[bestI+1], bestT)
	// Offset along the segment by length.
	var total, before float64
	sh := g.SegmentShape(s)
	first := g.ShapeFirst[s]
	for k := 0; k+1 < len(sh); k++ {
		d := geo.Distance(sh[k], sh[k+1])
		if int32(k)+first < bestI {
			before += d
		} else if int32(k)+first == bestI {
			before += d * bestT
		}
		total += d
	}
	off := 0.0
	if total > 0 {
		off = math.Min(1, math.Max(0, before/total))
	}
	return Snap{Query: p, Point: on, Dist: geo.Distance(p, on), Segment: s, Offset: off}, true
}

// pointSegment returns the distance from (px,py) to the segment a-b and
// the parameter t in [0,1] of the nearest point.
func pointSegment(px, py, ax, ay, bx, by float64) (float64, float64) {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Min(1, math.Max(0, ((px-ax)*dx+(py-ay)*dy)/l2))
	}
	ex, ey := ax+t*dx-px, ay+t*dy-py
	return math.Sqrt(ex*ex + ey*ey), t
}
