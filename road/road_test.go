package road_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/internal/testgraphs"
)

// line builds a straight east-west road of three nodes 1 km apart at
// latitude 52 (one degree of longitude there is 68.6 km), two-way at
// 36 km/h = 10 m/s, so each segment takes 100 s.
func line(t *testing.T) *road.Graph {
	t.Helper()
	var b road.Builder
	d := 1000 / (geo.EarthRadius * math.Pi / 180 * math.Cos(52*math.Pi/180)) // 1 km in degrees of longitude
	n0 := b.AddNode(geo.Point{Lat: 52, Lon: 0})
	n1 := b.AddNode(geo.Point{Lat: 52, Lon: d})
	n2 := b.AddNode(geo.Point{Lat: 52, Lon: 2 * d})
	for _, s := range []road.Segment{
		{From: n0, To: n1, ForwardKmh: 36, BackwardKmh: 36, Name: "A1"},
		{From: n1, To: n2, ForwardKmh: 36, Name: "B2"}, // one-way east
	} {
		if err := b.AddSegment(s); err != nil {
			t.Fatal(err)
		}
	}
	return b.Graph()
}

func TestSnap(t *testing.T) {
	g := line(t)
	mid := geo.Interpolate(g.Points[0], g.Points[1], 0.25)
	north := geo.Point{Lat: mid.Lat + 100/(geo.EarthRadius*math.Pi/180), Lon: mid.Lon} // 100 m north
	s, err := g.Snap(north, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Segment != 0 || math.Abs(s.Offset-0.25) > 1e-6 || math.Abs(s.Dist-100) > 0.5 {
		t.Fatalf("Snap=%+v, want segment 0, offset 0.25, 100 m", s)
	}
	far := geo.Point{Lat: 52.1, Lon: 0.01} // about 11 km north
	_, err = g.Snap(far, 0)
	var se *road.SnapError
	if !errors.As(err, &se) || !errors.Is(err, road.ErrTooFar) {
		t.Fatalf("err=%v, want a SnapError", err)
	}
	// 0.1° of latitude is 11.1 km.
	if math.Abs(se.Nearest-11120) > 100 || se.Limit != road.DefaultSnapLimit {
		t.Fatalf("SnapError=%+v", se)
	}
	if _, err := g.Snap(geo.Point{Lat: 95}, 0); err == nil {
		t.Fatal("invalid position accepted")
	}
	// A larger limit reaches it and reports the distance.
	if s, err := g.Snap(far, 20000); err != nil || math.Abs(s.Dist-11120) > 100 {
		t.Fatalf("Snap=%+v err=%v", s, err)
	}
}

func TestSeedsAndDirect(t *testing.T) {
	g := line(t)
	at := func(seg int32, off float64) road.Snap {
		return road.Snap{Segment: seg, Offset: off}
	}
	// On the two-way segment, a quarter along: 75 s to node 1, 25 s back to node 0.
	src := g.SourceSeeds(at(0, 0.25))
	if src.N != 2 || src.Seed[0] != (road.Seed{Node: 1, Time: 75000}) || src.Seed[1] != (road.Seed{Node: 0, Time: 25000}) {
		t.Fatalf("SourceSeeds=%+v", src)
	}
	// On the one-way segment only the end is a source and the start a target.
	if s := g.SourceSeeds(at(1, 0.5)); s.N != 1 || s.Seed[0] != (road.Seed{Node: 2, Time: 50000}) {
		t.Fatalf("SourceSeeds one-way=%+v", s)
	}
	if s := g.TargetSeeds(at(1, 0.5)); s.N != 1 || s.Seed[0] != (road.Seed{Node: 1, Time: 50000}) {
		t.Fatalf("TargetSeeds one-way=%+v", s)
	}
	if tt, ok := g.DirectTime(at(1, 0.2), at(1, 0.7)); !ok || tt != 50000 {
		t.Fatalf("DirectTime forward=%d,%v", tt, ok)
	}
	if _, ok := g.DirectTime(at(1, 0.7), at(1, 0.2)); ok {
		t.Fatal("DirectTime against a one-way street allowed")
	}
}

func TestRouteOnLine(t *testing.T) {
	g := line(t)
	d := road.NewDijkstra(g)
	a := road.Snap{Segment: 0, Offset: 0.5, Point: geo.Interpolate(g.Points[0], g.Points[1], 0.5)}
	b := road.Snap{Segment: 1, Offset: 0.5, Point: geo.Interpolate(g.Points[1], g.Points[2], 0.5)}
	p, err := d.Route(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// 500 m to node 1, then 500 m on: 1 km at 10 m/s.
	if p.Time != 100000 || math.Abs(p.Length-1000) > 1 {
		t.Fatalf("Time=%d Length=%.1f, want 100000 ms and 1000 m", p.Time, p.Length)
	}
	if got := g.Via(p, 3, 0); strings.Join(got, ",") != "A1,B2" {
		t.Fatalf("Via=%v", got)
	}
	// Back west is impossible: B2 is one-way east.
	if _, err := d.Route(b, a); !errors.Is(err, road.ErrNoRoute) {
		t.Fatalf("err=%v, want ErrNoRoute", err)
	}
	// Within one segment the route runs directly.
	c := road.Snap{Segment: 0, Offset: 0.9, Point: geo.Interpolate(g.Points[0], g.Points[1], 0.9)}
	if p, err := d.Route(a, c); err != nil || p.Time != 40000 || len(p.Edges) != 0 {
		t.Fatalf("direct route %+v err %v", p, err)
	}
}

func TestDijkstraCases(t *testing.T) {
	for _, tc := range testgraphs.Cases {
		g := tc.Graph()
		d := road.NewDijkstra(g)
		for _, w := range tc.Want {
			d.Run([]road.Seed{{Node: int32(w[0])}}, int32(w[1]))
			if got := d.Dist(int32(w[1])); got != w[2] {
				t.Errorf("%s: %d→%d = %d, want %d", tc.Name, w[0], w[1], got, w[2])
			}
		}
	}
}

func TestLargestComponent(t *testing.T) {
	// Two two-way pairs and a one-way tail: 0-1 (large: with 2), 3-4.
	g := testgraphs.FromEdges(6, []testgraphs.Edge{
		{From: 0, To: 1, Time: 1}, {From: 1, To: 0, Time: 1}, {From: 1, To: 2, Time: 1}, {From: 2, To: 0, Time: 1},
		{From: 3, To: 4, Time: 1}, {From: 4, To: 3, Time: 1},
		{From: 2, To: 5, Time: 1}, // 5 is reachable but cannot get back
	})
	_, n := road.Components(g)
	if n != 3 {
		t.Fatalf("components=%d, want 3 ({0,1,2}, {3,4}, {5})", n)
	}
	sub, st := road.LargestComponent(g)
	if sub.NumNodes() != 3 || st.DroppedNodes != 3 || st.DroppedSegments != 3 || st.KeptSegments != 4 {
		t.Fatalf("kept %d nodes, stats %+v", sub.NumNodes(), st)
	}
	if err := sub.Validate(); err != nil {
		t.Fatal(err)
	}
	// Exact times survive.
	d := road.NewDijkstra(sub)
	d.Run([]road.Seed{{Node: 2}}, -1)
	if got := d.Dist(1); got != 2 {
		t.Fatalf("2→1 in the kept component = %d, want 2", got)
	}
}

func TestValidateCatchesDamage(t *testing.T) {
	cases := map[string]func(g *road.Graph){
		"head out of range": func(g *road.Graph) { g.Head[0] = 99 },
		"edge/segment mismatch": func(g *road.Graph) {
			g.EdgeSeg[0] = ^g.EdgeSeg[0]
		},
		"shape detached": func(g *road.Graph) { g.Shape[0].Lat += 1 },
		"bad class":      func(g *road.Graph) { g.SegClass[0] = 200 },
		"offsets beyond": func(g *road.Graph) { g.FirstOut[1] = 1 << 20 },
		"shape offsets":  func(g *road.Graph) { g.ShapeFirst[1] = -1 << 31 },
		"huge edge time": func(g *road.Graph) { g.Time[0] = road.MaxEdgeTime + 1 },
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			g := line(t)
			damage(g)
			if err := g.Validate(); err == nil {
				t.Fatal("Validate passed")
			}
		})
	}
	if err := line(t).Validate(); err != nil {
		t.Fatalf("undamaged graph: %v", err)
	}
}

func TestBuilderRejects(t *testing.T) {
	var b road.Builder
	a := b.AddNode(geo.Point{Lat: 52, Lon: 0})
	c := b.AddNode(geo.Point{Lat: 52, Lon: 0.01})
	for name, s := range map[string]road.Segment{
		"unknown node": {From: a, To: 7, ForwardKmh: 30},
		"no direction": {From: a, To: c},
		"too slow":     {From: a, To: c, ForwardKmh: 0.5},
		"too fast":     {From: a, To: c, ForwardKmh: 400},
		"over a day":   {From: a, To: c, ForwardKmh: 1, Length: 30e6},
		"NaN speed":    {From: a, To: c, ForwardKmh: math.NaN()},
	} {
		if err := b.AddSegment(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestFindPlace(t *testing.T) {
	g := line(t)
	g.Places = []road.Place{
		{Name: "Oakham", Kind: "town", Population: 10922},
		{Name: "Uppingham", Kind: "town"},
		{Name: "Barrow", Kind: "hamlet"},
		{Name: "Barrow", Kind: "village"},
		{Name: "Twin", Kind: "village"},
		{Name: "Twin", Kind: "village"},
		{Name: "Wiltshire Police HQ (Devizes)", Kind: "police", Aliases: []string{"wp_hq_devizes"}},
	}
	for _, tc := range []struct{ in, want, kind string }{
		{"oakham", "Oakham", "town"},
		{"  UPPINGHAM ", "Uppingham", "town"},
		{"Barrow", "Barrow", "village"}, // the village outranks the hamlet
		{"wp_hq_devizes", "Wiltshire Police HQ (Devizes)", "police"},
		{"wiltshire police hq devizes", "Wiltshire Police HQ (Devizes)", "police"},
	} {
		p, err := g.FindPlace(tc.in)
		if err != nil || p.Name != tc.want || p.Kind != tc.kind {
			t.Errorf("FindPlace(%q)=%+v, %v", tc.in, p, err)
		}
	}
	_, err := g.FindPlace("Okham")
	if err == nil || !strings.Contains(err.Error(), `did you mean "Oakham"`) {
		t.Errorf("err=%v", err)
	}
	if _, err := g.FindPlace("Twin"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("err=%v", err)
	}
	if _, err := g.FindPlace("Zzzzzzzzz"); !errors.Is(err, road.ErrUnknownPlace) {
		t.Errorf("err=%v", err)
	}
}

// TestStraightLeg checks the off-network leg of sparse networks: a
// position routes to itself in no time, and two nearby positions off the
// network are joined straight across rather than through the network
// (which would add both access legs).
func TestStraightLeg(t *testing.T) {
	g := line(t)
	g.Meta.AccessKmh = 36 // 10 m/s
	g.Meta.SnapLimit = 5000
	north := func(m float64) geo.Point { // m metres north of the line's middle
		p := geo.Interpolate(g.Points[0], g.Points[1], 0.5)
		p.Lat += m / (geo.EarthRadius * math.Pi / 180)
		return p
	}
	a, err := g.Snap(north(600), 0)
	if err != nil {
		t.Fatal(err)
	}
	d := road.NewDijkstra(g)
	if p, err := d.Route(a, a); err != nil || p.Time != 0 || !p.Straight {
		t.Fatalf("a position to itself: %+v, %v; want 0 ms", p, err)
	}
	b, _ := g.Snap(north(700), 0)
	p, err := d.Route(a, b)
	// 100 m straight at 10 m/s, not 60 s + 70 s of access legs.
	if err != nil || p.Time != 10000 || !p.Straight || math.Abs(p.Length-100) > 0.5 {
		t.Fatalf("nearby positions: %+v, %v; want 10000 ms straight over 100 m", p, err)
	}
	// Two nodes on the network are joined by the network.
	n0 := road.Snap{Query: g.Points[0], Point: g.Points[0], Segment: 0, Offset: 0}
	n1 := road.Snap{Query: g.Points[1], Point: g.Points[1], Segment: 0, Offset: 1}
	if p, err := d.Route(n0, n1); err != nil || p.Straight || p.Time != 100000 {
		t.Fatalf("node to node: %+v, %v; want 100000 ms on the road", p, err)
	}
}
