package isochrone

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// Defaults and limits.
const (
	// DefaultOffRoadKmh is the off-road speed, km/h, used when neither
	// Options.OffRoadKmh nor the graph's Meta.AccessKmh is set: a brisk
	// walk or a slow crawl along a private drive.
	DefaultOffRoadKmh = 10

	// DefaultMaxOffRoad is, in metres, the smallest default for
	// Options.MaxOffRoad on a full road network (one without
	// Meta.AccessKmh): the default is the larger of this and two cells.
	DefaultMaxOffRoad = 300

	// MaxDistance bounds Options.CellSize and Options.MaxOffRoad, metres.
	MaxDistance = 1e6

	// MinAutoCellSize is the smallest cell side, metres, chosen when
	// Options.CellSize is 0.
	MinAutoCellSize = 50

	// AutoGridCells is the number of cells across the larger side of the
	// reachable area when Options.CellSize is 0.
	AutoGridCells = 300

	// MaxLimit is the longest time limit Compute accepts.
	MaxLimit = 24 * time.Hour

	// MaxLimits is the most limits (bands) one call may ask for.
	MaxLimits = 100

	// DefaultMaxWorkers is the most goroutines Compute uses when
	// Options.Workers is 0.
	DefaultMaxWorkers = 4

	// MaxGridValues bounds the memory of one call: the number of cells
	// times the number of limits. A grid that would be larger is coarsened
	// until it fits (2^23 values are 32 MiB).
	MaxGridValues = 1 << 23
)

// Options tune how node times become polygons. The zero Options derives
// everything from the graph.
type Options struct {
	// CellSize is the side of a grid cell in metres. It sets the
	// resolution of the polygons: boundaries are placed to a small
	// fraction of a cell, and features narrower than a cell may be lost.
	// 0 chooses about AutoGridCells cells across the reachable area, but
	// never less than MinAutoCellSize. A grid that would exceed
	// MaxGridValues is coarsened.
	CellSize float64

	// OffRoadKmh is the straight-line speed, km/h, from a point on the
	// road to a point beside it: the last stretch on foot or along a
	// private drive. It may not exceed road.MaxSpeedKmh. 0 means the
	// graph's Meta.AccessKmh when that is positive (sparse networks time
	// their off-network legs at that speed), else DefaultOffRoadKmh.
	OffRoadKmh float64

	// MaxOffRoad is the furthest, metres, a point may lie from the road and
	// still count as reached. 0 means the graph's snap limit (Meta.SnapLimit,
	// default road.DefaultSnapLimit) when Meta.AccessKmh is positive,
	// since a sparse strategic network leaves the minor roads out and
	// positions that far away are routable; otherwise the larger of
	// DefaultMaxOffRoad and two cells.
	MaxOffRoad float64

	// Workers is the most goroutines Compute rasterises on. 0 means
	// runtime.GOMAXPROCS(0), but no more than DefaultMaxWorkers; 1 keeps
	// the work on the calling goroutine. The result does not depend on it.
	Workers int
}

// Ring is a closed ring of positions: the first point equals the last.
type Ring []geo.Point

// Polygon is an area with holes: the first ring is the outer boundary,
// counter-clockwise, and any others are holes, clockwise (the RFC 7946
// GeoJSON winding).
type Polygon []Ring

// Band is the area reachable within one time limit.
type Band struct {
	// Limit is the time limit.
	Limit time.Duration
	// Polygons are the disjoint areas reachable within Limit, largest
	// first. Each band contains the bands of smaller limits.
	Polygons []Polygon
	// AreaKm2 is the area of Polygons in square kilometres, holes
	// excluded.
	AreaKm2 float64
}

// Compute turns the travel times from one source to every node of g into
// isochrone polygons, one Band per limit.
//
// src is the snapped source position and times[v] the travel time in
// milliseconds from src to node v (road.Unreachable where v cannot be
// reached), as a one-to-all search seeded with g.SourceSeeds(src) finds
// them; the access leg of graphs with Meta.AccessKmh is included in the
// times. Times beyond the largest limit serve only to place boundaries
// between grid vertices, so a search may stop once it passes the largest
// limit by a cell's worth of off-road travel (about a minute with the
// defaults; two minutes is ample). The source position itself,
// src.Query, counts as reached at time 0 when src places it consistently
// within the graph's snap limit.
//
// limits must be positive, strictly increasing and at most MaxLimit;
// there may be at most MaxLimits of them. The bands nest: each contains
// the ones before it. A source from which no node is reachable still
// gives the neighbourhood reachable along its own segment, which may be
// empty.
//
// Compute returns an error for a nil graph, a times slice of the wrong
// length, bad limits or options, or a source that does not lie on g. The
// graph must satisfy the invariants of road.Graph (as built by
// road.Builder). Compute modifies none of its arguments and may be called
// concurrently.
func Compute(g *road.Graph, src road.Snap, times []uint32, limits []time.Duration, opt Options) ([]Band, error) {
	if g == nil {
		return nil, errors.New("isochrone: nil graph")
	}
	if len(times) != g.NumNodes() {
		return nil, fmt.Errorf("isochrone: %d node times for a graph of %d nodes", len(times), g.NumNodes())
	}
	if err := checkLimits(limits); err != nil {
		return nil, err
	}
	if err := checkOptions(opt); err != nil {
		return nil, err
	}
	if err := checkGraph(g); err != nil {
		return nil, err
	}
	if err := checkSource(g, src); err != nil {
		return nil, err
	}

	c := newComputation(g, src, times, limits, opt)
	return c.run(), nil
}

func checkLimits(limits []time.Duration) error {
	if len(limits) == 0 {
		return errors.New("isochrone: no time limits")
	}
	if len(limits) > MaxLimits {
		return fmt.Errorf("isochrone: %d time limits, at most %d", len(limits), MaxLimits)
	}
	for i, l := range limits {
		switch {
		case l <= 0:
			return fmt.Errorf("isochrone: time limit %v is not positive", l)
		case l > MaxLimit:
			return fmt.Errorf("isochrone: time limit %v is over %v", l, MaxLimit)
		case i > 0 && l <= limits[i-1]:
			return fmt.Errorf("isochrone: time limits not increasing: %v after %v", l, limits[i-1])
		}
	}
	return nil
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func checkOptions(opt Options) error {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"cell size", opt.CellSize},
		{"off-road speed", opt.OffRoadKmh},
		{"maximum off-road distance", opt.MaxOffRoad},
	} {
		if !finite(f.v) || f.v < 0 {
			return fmt.Errorf("isochrone: %s %g is not a finite non-negative number", f.name, f.v)
		}
	}
	if opt.CellSize > MaxDistance || opt.MaxOffRoad > MaxDistance {
		return fmt.Errorf("isochrone: cell size %g m or off-road distance %g m over %g m", opt.CellSize, opt.MaxOffRoad, float64(MaxDistance))
	}
	if opt.OffRoadKmh > road.MaxSpeedKmh {
		return fmt.Errorf("isochrone: off-road speed %g km/h over %d km/h", opt.OffRoadKmh, road.MaxSpeedKmh)
	}
	if opt.Workers < 0 {
		return fmt.Errorf("isochrone: %d workers", opt.Workers)
	}
	return nil
}

// checkGraph checks the parts of g's structure Compute indexes by, so
// that a malformed graph gives an error rather than a panic. It takes one
// pass over the segments.
func checkGraph(g *road.Graph) error {
	n := g.NumSegments()
	if len(g.SegTo) != n || len(g.SegFwd) != n || len(g.SegBwd) != n ||
		len(g.ShapeFirst) != n+1 && !(n == 0 && len(g.ShapeFirst) <= 1) {
		return errors.New("isochrone: malformed graph: segment arrays differ in length")
	}
	nodes, edges := int32(g.NumNodes()), int32(len(g.Time))
	for s := range n {
		lo, hi := g.ShapeFirst[s], g.ShapeFirst[s+1]
		if g.SegFrom[s] < 0 || g.SegFrom[s] >= nodes || g.SegTo[s] < 0 || g.SegTo[s] >= nodes ||
			g.SegFwd[s] < -1 || g.SegFwd[s] >= edges || g.SegBwd[s] < -1 || g.SegBwd[s] >= edges ||
			lo < 0 || lo > hi || hi > int32(len(g.Shape)) {
			return fmt.Errorf("isochrone: malformed graph: segment %d", s)
		}
	}
	return nil
}

func checkSource(g *road.Graph, src road.Snap) error {
	if src.Segment < 0 || int(src.Segment) >= g.NumSegments() {
		return fmt.Errorf("isochrone: source segment %d not in a graph of %d segments", src.Segment, g.NumSegments())
	}
	if !(src.Offset >= 0 && src.Offset <= 1) {
		return fmt.Errorf("isochrone: source offset %g outside 0..1", src.Offset)
	}
	if !(src.Dist >= 0) || math.IsInf(src.Dist, 1) {
		return fmt.Errorf("isochrone: source distance %g m is not a finite non-negative number", src.Dist)
	}
	if !src.Point.Valid() {
		return fmt.Errorf("isochrone: invalid source position %v", src.Point)
	}
	return nil
}

// computation holds the state of one Compute call.
type computation struct {
	g      *road.Graph
	src    road.Snap
	limits []time.Duration
	lim    []float64 // limits in seconds
	opt    Options
	proj   geo.Projection
	walk   walker
	v      float64 // off-road speed, m/s
	extra  []disc  // the source position and query point
	// autoMaxOff is set when the off-road distance depends on the cell
	// size: max(DefaultMaxOffRoad, 2 cells).
	autoMaxOff bool
	maxOff     float64
	workers    int
}

func newComputation(g *road.Graph, src road.Snap, times []uint32, limits []time.Duration, opt Options) *computation {
	c := &computation{g: g, src: src, limits: limits, opt: opt}
	c.lim = make([]float64, len(limits))
	for i, l := range limits {
		c.lim[i] = l.Seconds()
	}
	c.workers = opt.Workers
	if c.workers == 0 {
		c.workers = min(runtime.GOMAXPROCS(0), DefaultMaxWorkers)
	}
	c.proj = geo.NewProjection(src.Point)
	accMs := 0.0
	if g.Meta.AccessKmh > 0 && src.Dist > 0 {
		// As road.Graph.SourceSeeds times the access leg.
		accMs = math.Round(src.Dist / (g.Meta.AccessKmh / 3.6) * 1000)
	}
	c.walk = walker{g: g, times: times, proj: c.proj, src: src, accMs: accMs}

	// The graph's own figures, within the bounds options must keep to.
	access := 0.0
	if a := g.Meta.AccessKmh; a > 0 && finite(a) {
		access = min(a, road.MaxSpeedKmh)
	}
	snapLimit := float64(road.DefaultSnapLimit)
	if l := g.Meta.SnapLimit; l > 0 && finite(l) {
		snapLimit = min(l, MaxDistance)
	}

	kmh := opt.OffRoadKmh
	if kmh == 0 {
		kmh = DefaultOffRoadKmh
		if access > 0 {
			kmh = access
		}
	}
	c.v = kmh / 3.6
	switch {
	case opt.MaxOffRoad > 0:
		c.maxOff = opt.MaxOffRoad
	case access > 0:
		c.maxOff = snapLimit
	default:
		c.autoMaxOff = true
		c.maxOff = DefaultMaxOffRoad
	}

	// The snapped source position is reached after the access leg; the
	// position asked for is where the journey starts. The latter is used
	// only when the snap describes it consistently and it lies within the
	// graph's snap limit, so a Snap built without a Query is harmless.
	sx, sy := c.proj.Project(src.Point)
	c.extra = append(c.extra, disc{x: sx, y: sy, t: accMs / 1000})
	if src.Query.Valid() && src.Dist <= snapLimit && geo.Distance(src.Query, src.Point) <= src.Dist+1 {
		qx, qy := c.proj.Project(src.Query)
		c.extra = append(c.extra, disc{x: qx, y: qy})
	}
	return c
}

// box is a rectangle in projected metres; the zero box is not empty, so
// start from emptyBox.
type box struct{ minX, minY, maxX, maxY float64 }

func emptyBox() box {
	return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

func (b *box) add(x, y float64) {
	b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
	b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
}

func (b *box) union(o box) {
	if !o.empty() {
		b.add(o.minX, o.minY)
		b.add(o.maxX, o.maxY)
	}
}

func (b box) empty() bool { return !(b.minX <= b.maxX) }

// parallel runs fn(0), ..., fn(n-1) at once, fn(0) on the calling
// goroutine, and waits for them.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := 1; i < n; i++ {
		wg.Go(func() { fn(i) })
	}
	fn(0)
	wg.Wait()
}

// bounds returns the projected box around every road point reached
// within the largest limit.
func (c *computation) bounds() box {
	tcut := c.lim[len(c.lim)-1]
	tcutMs := tcut * 1000
	g := c.g
	parts := make([]box, c.workers)
	parallel(c.workers, func(part int) {
		b := emptyBox()
		w := c.walk // own scratch
		w.pieces, w.discs, w.xs, w.ys, w.cum, w.subs = nil, nil, nil, nil, nil, nil
		n := len(w.times)
		for v := n * part / c.workers; v < n*(part+1)/c.workers; v++ {
			if t := w.times[v]; t != road.Unreachable && float64(t) < tcutMs {
				if x, y := c.proj.Project(g.Points[v]); finite(x + y) {
					b.add(x, y)
				}
			}
		}
		// A segment with both ends reached lies within the box of its
		// shape; only segments reached from one end need cutting where
		// time runs out.
		n = g.NumSegments()
		for s := n * part / c.workers; s < n*(part+1)/c.workers; s++ {
			if !w.candidate(s, tcutMs) {
				continue
			}
			if s != int(c.src.Segment) && w.nodeTime(g.SegFrom[s]) < tcutMs && w.nodeTime(g.SegTo[s]) < tcutMs {
				for i := g.ShapeFirst[s] + 1; i < g.ShapeFirst[s+1]-1; i++ {
					if x, y := c.proj.Project(g.Shape[i]); finite(x + y) {
						b.add(x, y)
					}
				}
				continue
			}
			w.pieces = w.pieces[:0]
			w.segment(s, tcut, false)
			for _, p := range w.pieces {
				b.add(p.ax, p.ay)
				b.add(p.bx, p.by)
			}
		}
		parts[part] = b
	})
	all := emptyBox()
	for _, b := range parts {
		all.union(b)
	}
	for _, d := range c.extra {
		if d.t < tcut {
			all.add(d.x, d.y)
		}
	}
	return all
}

// gridSize chooses the cell side and the off-road distance for an area of
// the given span (metres), and returns the number of grid vertices across
// x and y, padding included.
func (c *computation) gridSize(w, h float64) (cell, maxOff float64, nx, ny int) {
	span := math.Max(w, h)
	cell = c.opt.CellSize
	maxOff = c.maxOff
	if cell == 0 {
		if c.autoMaxOff {
			cell = math.Max(MinAutoCellSize, (span+2*DefaultMaxOffRoad)/AutoGridCells)
			if 2*cell > DefaultMaxOffRoad {
				// maxOff = 2 cells: the span plus 4 cells is AutoGridCells.
				cell = math.Max(MinAutoCellSize, span/(AutoGridCells-4))
			}
		} else {
			cell = math.Max(MinAutoCellSize, (span+2*maxOff)/AutoGridCells)
		}
	}
	k := float64(len(c.lim))
	for range 200 {
		if c.autoMaxOff {
			maxOff = math.Max(DefaultMaxOffRoad, 2*cell)
		}
		// Cells are padded by the reach beside the road plus a cell of
		// margin, and then by one ring of unreached cells that closes
		// every contour.
		pad := maxOff + cell
		fx := math.Ceil((w+2*pad)/cell) + 3
		fy := math.Ceil((h+2*pad)/cell) + 3
		if fx*fy*k <= MaxGridValues {
			return cell, maxOff, int(fx), int(fy)
		}
		cell *= math.Max(1.05, math.Sqrt(fx*fy*k/MaxGridValues))
	}
	// Unreachable for finite inputs: 200 steps grow the cell by more than
	// 1e4. Fall back to the smallest grid.
	return cell, maxOff, 3, 3
}

func (c *computation) run() []Band {
	bands := make([]Band, len(c.limits))
	for i, l := range c.limits {
		bands[i].Limit = l
	}
	r := c.rasterise()
	if r == nil {
		return bands
	}
	// Each worker traces its share of the limits.
	workers := min(c.workers, len(bands))
	parallel(workers, func(part int) {
		var ct contourer
		for k := part; k < len(bands); k += workers {
			rings := ct.trace(r, k)
			bands[k].Polygons, bands[k].AreaKm2 = assemble(rings, c.proj)
		}
	})
	return bands
}

// rasterise returns the field of every limit on a grid over the area
// reached, or nil when nothing is reached.
func (c *computation) rasterise() *raster {
	b := c.bounds()
	if b.empty() {
		return nil
	}
	cell, maxOff, nx, ny := c.gridSize(b.maxX-b.minX, b.maxY-b.minY)
	pad := maxOff + cell
	r := newRaster(nx, ny, b.minX-pad-cell, b.minY-pad-cell, cell, c.lim, c.v, maxOff)

	// Pieces are stamped while their time is within one cell of off-road
	// travel of the largest limit: beyond that they cannot decide a vertex
	// next to a boundary (see raster).
	tcut := c.lim[len(c.lim)-1] + cell/c.v
	r.stampAll(&c.walk, c.extra, tcut, c.workers)
	return r
}

// assemble nests the holes of rings in their outer rings and converts
// them to polygons, largest first, with their total area in km² (on the
// sphere, so that the projection's scale error away from its origin does
// not enter the area).
func assemble(rings []pring, proj geo.Projection) ([]Polygon, float64) {
	type poly struct {
		outer int
		holes []int
	}
	var polys []poly
	var holes []int
	for i := range rings {
		if rings[i].area > 0 {
			polys = append(polys, poly{outer: i})
		} else {
			holes = append(holes, i)
		}
	}
	area := 0.0
	for _, h := range holes {
		p := rings[h].pts[0]
		best, bestArea := -1, math.Inf(1)
		for j, pl := range polys {
			o := &rings[pl.outer]
			if o.area < bestArea && o.contains(p) {
				best, bestArea = j, o.area
			}
		}
		if best >= 0 {
			polys[best].holes = append(polys[best].holes, h)
		}
	}
	slices.SortStableFunc(polys, func(a, b poly) int {
		switch {
		case rings[a.outer].area > rings[b.outer].area:
			return -1
		case rings[a.outer].area < rings[b.outer].area:
			return 1
		}
		return 0
	})
	out := make([]Polygon, len(polys))
	for i, pl := range polys {
		pg := make(Polygon, 0, 1+len(pl.holes))
		pg = append(pg, rings[pl.outer].geo(proj))
		for _, h := range pl.holes {
			pg = append(pg, rings[h].geo(proj))
		}
		for _, r := range pg {
			area += r.Area()
		}
		out[i] = pg
	}
	return out, area / 1e6
}
