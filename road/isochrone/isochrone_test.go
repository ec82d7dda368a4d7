package isochrone

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// The test networks are laid out in metres east (x) and north (y) of an
// origin in the English Midlands.
var (
	origin   = geo.Point{Lat: 52.5, Lon: -1.5}
	testProj = geo.NewProjection(origin)
)

func at(x, y float64) geo.Point { return testProj.Unproject(x, y) }

func xy(p geo.Point) (float64, float64) { return testProj.Project(p) }

// mustSegment adds a segment or fails the test.
func mustSegment(tb testing.TB, b *road.Builder, s road.Segment) {
	tb.Helper()
	if err := b.AddSegment(s); err != nil {
		tb.Fatal(err)
	}
}

// solve snaps p onto g and returns the snap and the node times of a
// reference Dijkstra search from it, run to two minutes past limit, as
// Compute advises.
func solve(tb testing.TB, g *road.Graph, p geo.Point, limit time.Duration) (road.Snap, []uint32) {
	tb.Helper()
	src, err := g.Snap(p, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return src, nodeTimes(g, src, limit+2*time.Minute)
}

func nodeTimes(g *road.Graph, src road.Snap, limit time.Duration) []uint32 {
	d := road.NewDijkstra(g)
	seeds := g.SourceSeeds(src)
	d.RunUntil(seeds.Slice(), uint32(limit.Milliseconds()))
	times := make([]uint32, g.NumNodes())
	for v := range times {
		times[v] = d.Dist(int32(v))
	}
	return times
}

// straightRoad returns a road along y = 0 from x0 to x1 metres with a node
// every step metres, driven at kmh both ways (or only eastwards when
// oneWay).
func straightRoad(tb testing.TB, x0, x1, step, kmh float64, oneWay bool, meta road.Meta) *road.Graph {
	tb.Helper()
	b := road.Builder{Meta: meta}
	prev := b.AddNode(at(x0, 0))
	for x := x0 + step; x <= x1+1e-9; x += step {
		n := b.AddNode(at(x, 0))
		back := kmh
		if oneWay {
			back = 0
		}
		mustSegment(tb, &b, road.Segment{From: prev, To: n, ForwardKmh: kmh, BackwardKmh: back})
		prev = n
	}
	return b.Graph()
}

// bandExtent returns the projected bounding box of a band's outer rings.
func bandExtent(b Band) (minX, minY, maxX, maxY float64) {
	minX, minY = math.Inf(1), math.Inf(1)
	maxX, maxY = math.Inf(-1), math.Inf(-1)
	for _, pg := range b.Polygons {
		for _, p := range pg[0] {
			x, y := xy(p)
			minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			minY, maxY = math.Min(minY, y), math.Max(maxY, y)
		}
	}
	return
}

// ringArea returns the signed area of r in square metres, positive when
// counter-clockwise.
func ringArea(r Ring) float64 {
	a := 0.0
	x0, y0 := xy(r[0])
	for i := 0; i+1 < len(r); i++ {
		x1, y1 := xy(r[i])
		x2, y2 := xy(r[i+1])
		a += (x1-x0)*(y2-y0) - (x2-x0)*(y1-y0)
	}
	return a / 2
}

// checkBand fails the test unless every ring of b is closed and wound the
// RFC 7946 way, every hole lies in its outer ring, no two edges of b cross
// or touch, and AreaKm2 matches the rings.
func checkBand(t *testing.T, b Band) {
	t.Helper()
	type edge struct {
		a, b     [2]float64
		ring, at int
		n        int // edges in the ring
	}
	var edges []edge
	area := 0.0
	ringID := 0
	for pi, pg := range b.Polygons {
		if len(pg) == 0 {
			t.Fatalf("%v: polygon %d has no rings", b.Limit, pi)
		}
		for ri, r := range pg {
			if len(r) < 4 {
				t.Fatalf("%v: polygon %d ring %d has %d points, want at least 4", b.Limit, pi, ri, len(r))
			}
			if r[0] != r[len(r)-1] {
				t.Fatalf("%v: polygon %d ring %d is not closed", b.Limit, pi, ri)
			}
			a := ringArea(r)
			area += r.Area()
			if (a > 0) != (r.Area() > 0) {
				t.Fatalf("%v: polygon %d ring %d: Area %g m², projected %g m²", b.Limit, pi, ri, r.Area(), a)
			}
			if ri == 0 && a <= 0 {
				t.Fatalf("%v: polygon %d outer ring has area %g, want counter-clockwise", b.Limit, pi, a)
			}
			if ri > 0 {
				if a >= 0 {
					t.Fatalf("%v: polygon %d hole %d has area %g, want clockwise", b.Limit, pi, ri, a)
				}
				if !pg[0].Contains(r[0]) {
					t.Fatalf("%v: polygon %d hole %d lies outside its outer ring", b.Limit, pi, ri)
				}
			}
			for i := 0; i+1 < len(r); i++ {
				x1, y1 := xy(r[i])
				x2, y2 := xy(r[i+1])
				edges = append(edges, edge{[2]float64{x1, y1}, [2]float64{x2, y2}, ringID, i, len(r) - 1})
			}
			ringID++
		}
	}
	if got, want := b.AreaKm2, area/1e6; math.Abs(got-want) > 1e-6*math.Max(1, want) {
		t.Fatalf("%v: AreaKm2 = %g, rings give %g", b.Limit, got, want)
	}
	for i := range edges {
		for j := i + 1; j < len(edges); j++ {
			e, f := edges[i], edges[j]
			if e.ring == f.ring && (f.at == e.at+1 || e.at == 0 && f.at == e.n-1) {
				continue // neighbours share a point
			}
			if segmentsMeet(e.a, e.b, f.a, f.b) {
				t.Fatalf("%v: ring edges %v-%v and %v-%v meet", b.Limit, e.a, e.b, f.a, f.b)
			}
		}
	}
}

func orient(a, b, c [2]float64) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// segmentsMeet reports whether segments p1-p2 and p3-p4 cross or touch.
func segmentsMeet(p1, p2, p3, p4 [2]float64) bool {
	if math.Max(p1[0], p2[0]) < math.Min(p3[0], p4[0]) || math.Max(p3[0], p4[0]) < math.Min(p1[0], p2[0]) ||
		math.Max(p1[1], p2[1]) < math.Min(p3[1], p4[1]) || math.Max(p3[1], p4[1]) < math.Min(p1[1], p2[1]) {
		return false
	}
	d1, d2 := orient(p3, p4, p1), orient(p3, p4, p2)
	d3, d4 := orient(p1, p2, p3), orient(p1, p2, p4)
	if (d1 > 0) != (d2 > 0) && d1 != 0 && d2 != 0 && (d3 > 0) != (d4 > 0) && d3 != 0 && d4 != 0 {
		return true
	}
	on := func(a, b, c [2]float64, d float64) bool { // c on segment a-b, given orient(a, b, c) = d
		return d == 0 && math.Min(a[0], b[0]) <= c[0] && c[0] <= math.Max(a[0], b[0]) &&
			math.Min(a[1], b[1]) <= c[1] && c[1] <= math.Max(a[1], b[1])
	}
	return on(p3, p4, p1, d1) || on(p3, p4, p2, d2) || on(p1, p2, p3, d3) || on(p1, p2, p4, d4)
}

// distToBoundary returns the distance in metres from p to the nearest
// ring of b.
func distToBoundary(b Band, p geo.Point) float64 {
	px, py := xy(p)
	best := math.Inf(1)
	for _, pg := range b.Polygons {
		for _, r := range pg {
			for i := 0; i+1 < len(r); i++ {
				ax, ay := xy(r[i])
				bx, by := xy(r[i+1])
				dx, dy := bx-ax, by-ay
				u := 0.0
				if l2 := dx*dx + dy*dy; l2 > 0 {
					u = math.Min(1, math.Max(0, ((px-ax)*dx+(py-ay)*dy)/l2))
				}
				best = math.Min(best, math.Hypot(ax+u*dx-px, ay+u*dy-py))
			}
		}
	}
	return best
}

// checkNested fails the test unless every point of every band lies inside
// or on the boundary of the next band, and areas do not shrink.
func checkNested(t *testing.T, bands []Band) {
	t.Helper()
	// Where the furthest off-road distance, not time, bounds two bands,
	// their boundaries coincide; 1 mm allows for rounding.
	const onBoundary = 1e-3
	for i := 0; i+1 < len(bands); i++ {
		inner, outer := bands[i], bands[i+1]
		if inner.AreaKm2 > outer.AreaKm2 {
			t.Fatalf("area within %v is %g km², more than the %g km² within %v", inner.Limit, inner.AreaKm2, outer.AreaKm2, outer.Limit)
		}
		for _, pg := range inner.Polygons {
			for _, r := range pg {
				for _, p := range r {
					if !outer.Contains(p) && distToBoundary(outer, p) > onBoundary {
						t.Fatalf("point %v of the %v band lies outside the %v band", p, inner.Limit, outer.Limit)
					}
				}
			}
		}
	}
}

func TestStadium(t *testing.T) {
	// A straight two-way road at 36 km/h (10 m/s). With the off-road speed
	// equal to the road speed, the area reached within L from a point on
	// the road is exactly a stadium: every point within R of the road up
	// to L·v - R either side of the source, since the shrinking reach of
	// road points further out stays inside the disc of the last point
	// that still reaches R.
	const (
		kmh   = 36
		speed = kmh / 3.6 // m/s
		R     = 500.0     // MaxOffRoad, metres
		cell  = 25.0      // metres
		srcX  = 250.0     // source position, metres along the road
	)
	g := straightRoad(t, -10000, 10000, 1000, kmh, false, road.Meta{})
	for _, limit := range []time.Duration{5 * time.Minute, 12 * time.Minute} {
		t.Run(limit.String(), func(t *testing.T) {
			src, times := solve(t, g, at(srcX, 0), limit)
			bands, err := Compute(g, src, times, []time.Duration{limit}, Options{CellSize: cell, OffRoadKmh: kmh, MaxOffRoad: R})
			if err != nil {
				t.Fatal(err)
			}
			b := bands[0]
			checkBand(t, b)
			if got, want := len(b.Polygons), 1; got != want {
				t.Fatalf("%d polygons, want %d", got, want)
			}
			if got, want := len(b.Polygons[0]), 1; got != want {
				t.Fatalf("%d rings, want %d", got, want)
			}
			reach := limit.Seconds() * speed
			minX, minY, maxX, maxY := bandExtent(b)
			if got, want := minX, srcX-reach; math.Abs(got-want) > cell {
				t.Errorf("west tip at x = %.1f m, want %.1f m ± one cell", got, want)
			}
			if got, want := maxX, srcX+reach; math.Abs(got-want) > cell {
				t.Errorf("east tip at x = %.1f m, want %.1f m ± one cell", got, want)
			}
			if got, want := maxY-minY, 2*R; math.Abs(got-want) > cell {
				t.Errorf("width %.1f m, want %.1f m ± one cell", got, want)
			}
			// The straight sides lie on the field's zero exactly; on the
			// round ends the field is a cone, and linear interpolation
			// between vertices and chords between contour points each put
			// the boundary at most about cell²/(8R) and cell²/(4R) inside
			// the true circle. Over the whole perimeter that bounds the
			// area error; add 0.01% for float32 values and for taking the
			// area on the sphere (both far smaller).
			straight := 2*reach - 2*R
			want := straight*2*R + math.Pi*R*R
			perimeter := 2*straight + 2*math.Pi*R
			tol := perimeter*3*cell*cell/(8*R) + 1e-4*want
			if got := b.AreaKm2 * 1e6; math.Abs(got-want) > tol {
				t.Errorf("area %.0f m², want %.0f ± %.0f m²", got, want, tol)
			}
		})
	}
}

// streetGrid returns an n×n grid of two-way streets spacing metres apart
// at kmh, with its south-west corner at the origin.
func streetGrid(tb testing.TB, n int, spacing, kmh float64) *road.Graph {
	tb.Helper()
	var b road.Builder
	id := func(i, j int) int32 { return int32(j*n + i) }
	for j := range n {
		for i := range n {
			b.AddNode(at(float64(i)*spacing, float64(j)*spacing))
		}
	}
	for j := range n {
		for i := range n {
			if i+1 < n {
				mustSegment(tb, &b, road.Segment{From: id(i, j), To: id(i+1, j), ForwardKmh: kmh, BackwardKmh: kmh})
			}
			if j+1 < n {
				mustSegment(tb, &b, road.Segment{From: id(i, j), To: id(i, j+1), ForwardKmh: kmh, BackwardKmh: kmh})
			}
		}
	}
	return b.Graph()
}

func TestGridNetwork(t *testing.T) {
	// 20×20 streets 200 m apart at 36 km/h (600 m a minute): the
	// 8-minute band reaches the corners of the 3.8 km grid.
	g := streetGrid(t, 20, 200, 36)
	limits := []time.Duration{2 * time.Minute, 4 * time.Minute, 6 * time.Minute, 8 * time.Minute}
	src, times := solve(t, g, at(1950, 1810), limits[len(limits)-1])
	bands, err := Compute(g, src, times, limits, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(bands), len(limits); got != want {
		t.Fatalf("%d bands, want %d", got, want)
	}
	for i, b := range bands {
		if got, want := b.Limit, limits[i]; got != want {
			t.Fatalf("band %d limit %v, want %v", i, got, want)
		}
		checkBand(t, b)
		if len(b.Polygons) == 0 {
			t.Fatalf("band %v is empty", b.Limit)
		}
		if !b.Contains(src.Point) {
			t.Errorf("band %v does not contain the source", b.Limit)
		}
		if i > 0 && !(b.AreaKm2 > bands[i-1].AreaKm2) {
			t.Errorf("area within %v is %g km², not more than %g km² within %v", b.Limit, b.AreaKm2, bands[i-1].AreaKm2, bands[i-1].Limit)
		}
	}
	checkNested(t, bands)

	// Manhattan distance: within 2 minutes (1200 m of street) the corner
	// (1950±600, 1800±600) of the street diamond is reached, one 200 m
	// block beyond it is not (more than 300 m off-road from the nearest
	// reached street point).
	if !bands[0].Contains(at(1950+550, 1800+50)) {
		t.Errorf("2-minute band misses a point 600 m of street from the source")
	}
	if bands[0].Contains(at(1950+1200, 1800+1200)) {
		t.Errorf("2-minute band holds a point 2400 m of street from the source")
	}
	// 8 minutes is 4800 m: every street of the grid is reached (the
	// furthest corner, (0, 3800), is 1950+2000 = 3950 m of street away).
	for _, p := range []geo.Point{at(0, 0), at(3800, 0), at(0, 3800), at(3800, 3800), at(100, 100)} {
		if !bands[3].Contains(p) {
			t.Errorf("8-minute band misses %v", p)
		}
	}
	// Beyond the grid by more than the 300 m off-road limit.
	if bands[3].Contains(at(-400, 1900)) {
		t.Errorf("8-minute band reaches 400 m beyond the last street")
	}
}

func TestRingRoadHole(t *testing.T) {
	// A 4 km square ring road at 36 km/h with an island road in the middle
	// that no road joins. Within 30 minutes the whole ring is reached and
	// everything within 300 m (the default off-road limit) of it; the
	// middle stays a hole, island included.
	const side = 4000.0
	var b road.Builder
	var ring []int32
	for _, c := range [][2]float64{{0, 0}, {side, 0}, {side, side}, {0, side}} {
		ring = append(ring, b.AddNode(at(c[0], c[1])))
	}
	for i := range ring {
		mustSegment(t, &b, road.Segment{From: ring[i], To: ring[(i+1)%len(ring)], ForwardKmh: 36, BackwardKmh: 36})
	}
	i0, i1 := b.AddNode(at(1500, 2000)), b.AddNode(at(2500, 2000))
	mustSegment(t, &b, road.Segment{From: i0, To: i1, ForwardKmh: 50, BackwardKmh: 50})
	g := b.Graph()

	limit := 30 * time.Minute
	src, times := solve(t, g, at(0, 2000), limit)
	bands, err := Compute(g, src, times, []time.Duration{limit}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	band := bands[0]
	checkBand(t, band)
	if got, want := len(band.Polygons), 1; got != want {
		t.Fatalf("%d polygons, want %d", got, want)
	}
	if got, want := len(band.Polygons[0]), 2; got != want {
		t.Fatalf("%d rings, want %d (outer and hole)", got, want)
	}
	for _, c := range []struct {
		x, y float64
		want bool
	}{
		{2000, 2000, false}, // centre, on the island road
		{2000, 200, true},   // 200 m inside the south side
		{2000, 400, false},  // 400 m inside
		{2000, -250, true},  // 250 m outside
		{2000, -350, false}, // 350 m outside
		{-200, -200, true},  // 283 m beyond the corner
		{-250, -250, false}, // 354 m beyond the corner
	} {
		if got := band.Contains(at(c.x, c.y)); got != c.want {
			t.Errorf("Contains(%g, %g) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	// Outer boundary: the square grown by R = 300 m with rounded corners;
	// hole: the square shrunk by R. A 50 m grid places both to well under
	// 1 m, so 0.5% is ample.
	const R = DefaultMaxOffRoad
	outer := (side+2*R)*(side+2*R) - (4-math.Pi)*R*R
	hole := (side - 2*R) * (side - 2*R)
	if got, want := band.AreaKm2*1e6, outer-hole; math.Abs(got-want) > 5e-3*want {
		t.Errorf("area %.0f m², want %.0f m²", got, want)
	}
}

func TestSourceMidSegment(t *testing.T) {
	// One 10 km segment at 36 km/h: its ends are 500 s from the middle, so
	// within 2 minutes everything reached comes straight from the source,
	// 1200 m along the road either way.
	for _, c := range []struct {
		name   string
		oneWay bool
		in     []float64 // metres along the road from the source
		out    []float64
	}{
		{"TwoWay", false, []float64{-1100, -600, 600, 1100}, []float64{-1300, 1300}},
		// Behind a one-way source only the off-road walk from the
		// source itself counts: 120 s at 10 km/h is 333 m, capped at
		// 300 m.
		{"OneWay", true, []float64{-200, 600, 1100}, []float64{-400, -1100, 1300}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := straightRoad(t, 0, 10000, 10000, 36, c.oneWay, road.Meta{})
			limit := 2 * time.Minute
			src, times := solve(t, g, at(5000, 0), limit)
			for v, tv := range times {
				if tv <= uint32(limit.Milliseconds()) {
					t.Fatalf("end node %d reached in %d ms, within the limit", v, tv)
				}
			}
			bands, err := Compute(g, src, times, []time.Duration{limit}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkBand(t, bands[0])
			for _, d := range c.in {
				if !bands[0].Contains(at(5000+d, 0)) {
					t.Errorf("point %g m along the road not reached", d)
				}
			}
			for _, d := range c.out {
				if bands[0].Contains(at(5000+d, 0)) {
					t.Errorf("point %g m along the road reached", d)
				}
			}
			if !c.oneWay {
				// The tips: 1200 m out, where time runs out on the road
				// (off the road is slower).
				minX, _, maxX, _ := bandExtent(bands[0])
				const cell = MinAutoCellSize // the auto grid over a 2.4 km reach
				if math.Abs(minX-3800) > cell || math.Abs(maxX-6200) > cell {
					t.Errorf("band spans x = %.0f..%.0f m, want 3800..6200 ± %d", minX, maxX, cell)
				}
			}
		})
	}
}

func TestAllNodesUnreachable(t *testing.T) {
	g := straightRoad(t, 0, 10000, 10000, 36, false, road.Meta{})
	src, err := g.Snap(at(5000, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	times := []uint32{road.Unreachable, road.Unreachable}
	bands, err := Compute(g, src, times, []time.Duration{time.Minute, 2 * time.Minute}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bands {
		checkBand(t, b)
	}
	checkNested(t, bands)
	// 1 minute at 36 km/h is 600 m along the segment.
	if !bands[0].Contains(at(5500, 0)) || bands[0].Contains(at(5700, 0)) {
		t.Errorf("1-minute band does not end 600 m along the road")
	}
}

func TestAccessSpeed(t *testing.T) {
	// A sparse strategic network: one 100 km road at 100 km/h, with the
	// minor roads left out and timed at 30 km/h off the network up to
	// 10 km from it. The default off-road speed and distance follow the
	// graph.
	meta := road.Meta{AccessKmh: 30, SnapLimit: 10000}
	g := straightRoad(t, -50000, 50000, 5000, 100, false, meta)
	limit := 30 * time.Minute
	src, times := solve(t, g, at(0, 1000), limit)
	bands, err := Compute(g, src, times, []time.Duration{limit}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkBand(t, bands[0])
	// With road speed V = 27.8 m/s and off-road v = 8.33 m/s, a point d
	// from the road at x along it takes 120 s (the 1 km access leg) +
	// x/V + d·√(1-(v/V)²)/v at best (leaving the road at an angle).
	for _, c := range []struct {
		x, y float64
		want bool
	}{
		{20000, 5000, true},   // 120 + 720 + 572 = 1412 s
		{20000, -5000, true},  // the same south of the road
		{40000, 5000, false},  // 120 + 1440 + 572 = 2132 s
		{0, -8000, true},      // 120 + 910 s
		{0, -11000, false},    // beyond the 10 km off-road limit
		{0, 10500, true},      // 9.5 km on foot from the start: 1140 s
		{60000, 0, false},     // beyond the road's end by 10 km
		{-45000, 2000, false}, // 120 + 1620 + 229 = 1969 s
	} {
		if got := bands[0].Contains(at(c.x, c.y)); got != c.want {
			t.Errorf("Contains(%g, %g) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	g := straightRoad(t, 0, 1000, 1000, 36, false, road.Meta{})
	src, err := g.Snap(at(500, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	times := nodeTimes(g, src, time.Hour)
	ok := []time.Duration{time.Minute}
	broken := func(f func(*road.Graph)) *road.Graph {
		g := straightRoad(t, 0, 1000, 1000, 36, false, road.Meta{})
		f(g)
		return g
	}
	badSrc := func(f func(*road.Snap)) road.Snap {
		s := src
		f(&s)
		return s
	}
	for _, c := range []struct {
		name   string
		g      *road.Graph
		src    road.Snap
		times  []uint32
		limits []time.Duration
		opt    Options
		want   string // in the error
	}{
		{"NilGraph", nil, src, times, ok, Options{}, "nil graph"},
		{"EmptyGraph", &road.Graph{}, road.Snap{}, nil, ok, Options{}, "source segment"},
		{"ShortTimes", g, src, times[:1], ok, Options{}, "1 node times"},
		{"LongTimes", g, src, append(times, 0), ok, Options{}, "3 node times"},
		{"NoLimits", g, src, times, nil, Options{}, "no time limits"},
		{"ZeroLimit", g, src, times, []time.Duration{0}, Options{}, "not positive"},
		{"NegativeLimit", g, src, times, []time.Duration{-time.Minute}, Options{}, "not positive"},
		{"Unsorted", g, src, times, []time.Duration{2 * time.Minute, time.Minute}, Options{}, "not increasing"},
		{"Repeated", g, src, times, []time.Duration{time.Minute, time.Minute}, Options{}, "not increasing"},
		{"OverADay", g, src, times, []time.Duration{25 * time.Hour}, Options{}, "over 24h"},
		{"TooMany", g, src, times, make([]time.Duration, MaxLimits+1), Options{}, "at most"},
		{"NegativeCell", g, src, times, ok, Options{CellSize: -1}, "cell size"},
		{"InfiniteCell", g, src, times, ok, Options{CellSize: math.Inf(1)}, "cell size"},
		{"NaNSpeed", g, src, times, ok, Options{OffRoadKmh: math.NaN()}, "off-road speed"},
		{"NegativeOffRoad", g, src, times, ok, Options{MaxOffRoad: -5}, "off-road distance"},
		{"HugeOffRoad", g, src, times, ok, Options{MaxOffRoad: 1e300}, "off-road distance"},
		{"HugeCell", g, src, times, ok, Options{CellSize: 2e6}, "cell size"},
		{"FastOffRoad", g, src, times, ok, Options{OffRoadKmh: 301}, "off-road speed"},
		{"NegativeWorkers", g, src, times, ok, Options{Workers: -1}, "workers"},
		{"SegmentOutOfRange", g, badSrc(func(s *road.Snap) { s.Segment = 7 }), times, ok, Options{}, "source segment 7"},
		{"NegativeSegment", g, badSrc(func(s *road.Snap) { s.Segment = -1 }), times, ok, Options{}, "source segment -1"},
		{"OffsetNaN", g, badSrc(func(s *road.Snap) { s.Offset = math.NaN() }), times, ok, Options{}, "offset"},
		{"OffsetAboveOne", g, badSrc(func(s *road.Snap) { s.Offset = 1.5 }), times, ok, Options{}, "offset"},
		{"NegativeDist", g, badSrc(func(s *road.Snap) { s.Dist = -1 }), times, ok, Options{}, "distance"},
		{"BadPoint", g, badSrc(func(s *road.Snap) { s.Point = geo.Point{Lat: 91} }), times, ok, Options{}, "position"},
		{"BadShape", broken(func(g *road.Graph) { g.ShapeFirst[1] = 99 }), src, times, ok, Options{}, "malformed"},
		{"BadEdge", broken(func(g *road.Graph) { g.SegFwd[0] = 5 }), src, times, ok, Options{}, "malformed"},
		{"BadNode", broken(func(g *road.Graph) { g.SegTo[0] = 2 }), src, times, ok, Options{}, "malformed"},
		{"ShortArrays", broken(func(g *road.Graph) { g.SegBwd = nil }), src, times, ok, Options{}, "malformed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bands, err := Compute(c.g, c.src, c.times, c.limits, c.opt)
			if err == nil {
				t.Fatalf("no error, %d bands", len(bands))
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "isochrone: ") {
				t.Fatalf("error %q, want it to start \"isochrone: \" and mention %q", err, c.want)
			}
		})
	}
}

func TestNothingReached(t *testing.T) {
	// The source is 6 minutes' walk from the road (access at 10 km/h over
	// 1 km), so nothing but the start itself is reached within 5 minutes,
	// and with MaxOffRoad of 100 m only its neighbourhood.
	meta := road.Meta{AccessKmh: 10, SnapLimit: 2000}
	g := straightRoad(t, 0, 2000, 1000, 36, false, meta)
	src, times := solve(t, g, at(1000, 1000), time.Hour)
	bands, err := Compute(g, src, times, []time.Duration{5 * time.Minute}, Options{MaxOffRoad: 100, CellSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkBand(t, bands[0])
	if !bands[0].Contains(at(1000, 1000)) || bands[0].Contains(at(1000, 0)) {
		t.Errorf("band is not the neighbourhood of the start")
	}
	// A disc of 100 m: about 0.0314 km².
	if got, want := bands[0].AreaKm2, math.Pi*0.1*0.1; math.Abs(got-want) > 0.01*want {
		t.Errorf("area %g km², want %g", got, want)
	}

	// A snap with no query point (the zero position, thousands of
	// kilometres away) and a road reached too late gives nothing.
	src.Query, src.Dist = geo.Point{}, 0
	bands, err = Compute(g, src, times, []time.Duration{time.Millisecond}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The snapped point itself is reached at once, so a band that short
	// is at most a few cells.
	if got := bands[0].AreaKm2; got > 0.01 {
		t.Errorf("1 ms band covers %g km²", got)
	}
}

// randomGraph returns a graph of n nodes scattered over a square of side
// metres, with m random segments, some one-way, some curved, some loops.
func randomGraph(tb testing.TB, rng *rand.Rand, n, m int, side float64, meta road.Meta) *road.Graph {
	tb.Helper()
	b := road.Builder{Meta: meta}
	for range n {
		b.AddNode(at(rng.Float64()*side, rng.Float64()*side))
	}
	for range m {
		s := road.Segment{
			From:       int32(rng.IntN(n)),
			To:         int32(rng.IntN(n)),
			ForwardKmh: 5 + rng.Float64()*120,
		}
		if rng.IntN(4) > 0 {
			s.BackwardKmh = 5 + rng.Float64()*120
		}
		if rng.IntN(3) == 0 {
			s.Via = []geo.Point{at(rng.Float64()*side, rng.Float64()*side)}
		}
		mustSegment(tb, &b, s)
	}
	return b.Graph()
}

func TestRandomGraphs(t *testing.T) {
	// Random graphs, sources, times and options: Compute must not fail or
	// panic, and its bands must be valid and nested.
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed
	for i := range 40 {
		meta := road.Meta{}
		if i%3 == 0 {
			meta.AccessKmh, meta.SnapLimit = 20, 3000
		}
		g := randomGraph(t, rng, 2+rng.IntN(30), 1+rng.IntN(60), 500+rng.Float64()*8000, meta)
		src, err := g.Snap(at(rng.Float64()*5000, rng.Float64()*5000), 1e7)
		if err != nil {
			t.Fatal(err)
		}
		var times []uint32
		switch i % 4 {
		case 0: // garbage, including 0 and Unreachable
			times = make([]uint32, g.NumNodes())
			for v := range times {
				times[v] = []uint32{0, road.Unreachable, rng.Uint32(), rng.Uint32N(600000)}[rng.IntN(4)]
			}
		default:
			times = nodeTimes(g, src, time.Hour)
		}
		opt := Options{}
		if i%5 == 1 {
			opt.CellSize = 10 + rng.Float64()*300
		}
		if i%7 == 2 {
			opt.MaxOffRoad = rng.Float64() * 2000
		}
		if i%4 == 3 {
			opt.OffRoadKmh = 1 + rng.Float64()*200
		}
		limits := []time.Duration{time.Duration(1+rng.IntN(5)) * time.Minute}
		for range rng.IntN(4) {
			limits = append(limits, limits[len(limits)-1]+time.Duration(1+rng.IntN(600))*time.Second)
		}
		bands, err := Compute(g, src, times, limits, opt)
		if err != nil {
			t.Fatalf("graph %d: %v", i, err)
		}
		for _, b := range bands {
			checkBand(t, b)
		}
		checkNested(t, bands)
	}
}

func TestDegenerateGraphs(t *testing.T) {
	// A segment from a node to itself, a segment of zero length between
	// two nodes at one place, and a huge cell size: no panic, valid
	// output.
	var b road.Builder
	a := b.AddNode(at(0, 0))
	c := b.AddNode(at(0, 0))
	d := b.AddNode(at(100, 0))
	mustSegment(t, &b, road.Segment{From: a, To: c, ForwardKmh: 30, BackwardKmh: 30})
	mustSegment(t, &b, road.Segment{From: c, To: c, Via: []geo.Point{at(50, 50)}, ForwardKmh: 30})
	mustSegment(t, &b, road.Segment{From: c, To: d, ForwardKmh: 30, BackwardKmh: 30})
	g := b.Graph()
	src, times := solve(t, g, at(0, 0), time.Hour)
	for _, opt := range []Options{{}, {CellSize: MaxDistance}, {CellSize: 1}, {MaxOffRoad: MaxDistance}, {MaxOffRoad: MaxDistance, CellSize: 1}, {OffRoadKmh: 1e-9}, {OffRoadKmh: 300}} {
		bands, err := Compute(g, src, times, []time.Duration{time.Second, time.Minute, time.Hour}, opt)
		if err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		for _, b := range bands {
			checkBand(t, b)
		}
		checkNested(t, bands)
	}
}
