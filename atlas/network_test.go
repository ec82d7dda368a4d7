package atlas_test

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// mustNetwork returns the network of the built-in area called name.
func mustNetwork(tb testing.TB, name string) (*atlas.Area, *road.Graph) {
	tb.Helper()
	a := mustLookup(tb, name)
	g, err := a.Network()
	if err != nil {
		tb.Fatal(err)
	}
	return a, g
}

// route returns the fastest path between two places named as a user
// would name them.
func route(tb testing.TB, a *atlas.Area, g *road.Graph, from, to string) road.Path {
	tb.Helper()
	snap := func(name string) road.Snap {
		p, ok := a.Find(name)
		if !ok {
			tb.Fatalf("Find(%q) failed", name)
		}
		s, err := g.Snap(p.Point, 0)
		if err != nil {
			tb.Fatal(err)
		}
		return s
	}
	p, err := road.NewDijkstra(g).Route(snap(from), snap(to))
	if err != nil {
		tb.Fatalf("%s to %s: %v", from, to, err)
	}
	return p
}

func TestNetwork(t *testing.T) {
	cases := []struct {
		area       string
		connectors int // sites the link table does not reach
	}{
		{"wiltshire", 14},
		{"kent", 0},
	}
	for _, tc := range cases {
		t.Run(tc.area, func(t *testing.T) {
			a, g := mustNetwork(t, tc.area)
			nodes := len(a.Settlements) + len(a.Sites) + len(a.KeySites)
			if got, want := g.NumNodes(), nodes; got != want {
				t.Errorf("NumNodes()=%d, want %d", got, want)
			}
			if got, want := len(g.Places), nodes; got != want {
				t.Errorf("len(Places)=%d, want %d", got, want)
			}
			if got, want := g.NumSegments(), len(a.Links)+tc.connectors; got != want {
				t.Errorf("NumSegments()=%d, want %d", got, want)
			}
			if got, want := g.NumEdges(), 2*g.NumSegments(); got != want {
				t.Errorf("NumEdges()=%d, want %d (every segment both ways)", got, want)
			}
			if _, n := road.Components(g); n != 1 {
				t.Errorf("%d strongly connected components, want 1", n)
			}
			m := g.Meta
			if m.Name != tc.area || m.Source != atlas.Source || m.Attribution != "" || m.Note == "" {
				t.Errorf("Meta=%+v", m)
			}
			// 20 km, see TestSnapLimitCoversArea; 45 km/h over a 1.3
			// detour for the access legs.
			if got, want := m.SnapLimit, 20000.0; got != want {
				t.Errorf("SnapLimit=%v, want %v", got, want)
			}
			if got, want := m.AccessKmh, 45/1.3; math.Abs(got-want) > 1e-9 {
				t.Errorf("AccessKmh=%v, want %v", got, want)
			}
			// Each link's segment has the file's length, to the metre
			// (SegLength is rounded to whole metres).
			for i, l := range a.Links {
				if got, want := float64(g.SegLength[i]), l.EstRoadKm*1000; math.Abs(got-want) > 0.5 {
					t.Errorf("segment %d (%s-%s): %v m, want %v", i, l.From, l.To, got, want)
				}
				if got, want := g.SegmentName(int32(i)), l.Road; got != want {
					t.Errorf("segment %d name %q, want %q", i, got, want)
				}
			}
			names := make(map[string]bool)
			for _, p := range g.Places {
				k := strings.ToLower(p.Name)
				if names[k] {
					t.Errorf("place name %q twice", p.Name)
				}
				names[k] = true
			}
		})
	}
}

// TestRoutes checks routes between settlements against times summed by
// hand: est_road_km / speed per link, each edge rounded to the
// millisecond as road.Builder rounds it.
func TestRoutes(t *testing.T) {
	cases := []struct {
		area, from, to string
		ms             uint32
		km             float64
	}{
		// §3 swindon-wroughton, A4361, primary at 75 km/h:
		// 4,900 m ÷ (75/3.6 m/s) = 235.2 s.
		{"wiltshire", "Swindon", "Wroughton", 235200, 4.9},
		// The file's spot check "Swindon → Marlborough via Chiseldon:
		// 20.5 km": 7.2 + 13.3 km, both primary at 75 km/h:
		// 345.6 s + 638.4 s = 984.0 s.
		{"wiltshire", "Swindon", "Marlborough", 984000, 20.5},
		// "Warminster → Salisbury on the A36": 17.4 + 13.9 + 5.7 km, trunk
		// at 95 km/h: 659.368 s + 526.737 s + 216.000 s = 1,402.105 s.
		{"wiltshire", "Warminster", "Salisbury", 1402105, 37.0},
		// §4.4 M25 and M20, motorway at 110 km/h: 7.4 + 24.1 + 9.6 km:
		// 242.182 s + 788.727 s + 314.182 s = 1,345.091 s.
		{"kent", "Dartford", "Maidstone", 1345091, 41.1},
		// §4.4 maidstone-kenthq, 2.6 km primary at 75 km/h: 124.8 s;
		// sites are linked in Kent's table, not connected.
		{"kent", "Maidstone", "Kent Police HQ (Maidstone)", 124800, 2.6},
	}
	for _, tc := range cases {
		t.Run(tc.from+"-"+tc.to, func(t *testing.T) {
			a, g := mustNetwork(t, tc.area)
			for _, dir := range [][2]string{{tc.from, tc.to}, {tc.to, tc.from}} {
				p := route(t, a, g, dir[0], dir[1])
				if got, want := p.Time, tc.ms; got != want {
					t.Errorf("%s to %s: Time=%d ms, want %d", dir[0], dir[1], got, want)
				}
				if got, want := p.Length/1000, tc.km; math.Abs(got-want) > 0.001 {
					t.Errorf("%s to %s: Length=%.3f km, want %v", dir[0], dir[1], got, want)
				}
			}
		})
	}
}

// TestConnectors checks that every Wiltshire police site, open or not, is
// reached from its nearest settlement over local roads: the straight line
// × 1.3 at the urban 35 km/h.
func TestConnectors(t *testing.T) {
	a, g := mustNetwork(t, "wiltshire")
	for _, s := range a.Sites {
		t.Run(s.ID, func(t *testing.T) {
			var near atlas.Settlement
			best := math.Inf(1)
			for _, c := range a.Settlements {
				if d := geo.Distance(s.Point, c.Point); d < best {
					near, best = c, d
				}
			}
			p := route(t, a, g, s.ShortName, near.ID)
			want := uint32(math.Round(best * 1.3 / (35 / 3.6) * 1000))
			if got := p.Time; got != want {
				t.Errorf("to %s (%.0f m): Time=%d ms, want %d", near.ID, best, got, want)
			}
			var names []string
			for _, seg := range p.Segments {
				names = append(names, g.SegmentName(seg))
			}
			if !slices.Contains(names, atlas.ConnectorRoad) {
				t.Errorf("route to %s runs on %q, want %q", near.ID, names, atlas.ConnectorRoad)
			}
		})
	}
}

// TestSnapOffNetwork snaps a position 10 km due west of Box, whose links
// both leave eastwards, so the nearest network point is Box itself, and
// checks that the off-network leg is timed at Meta.AccessKmh.
func TestSnapOffNetwork(t *testing.T) {
	a, g := mustNetwork(t, "wiltshire")
	box, _ := a.Settlement("box")
	far := geo.NewProjection(box.Point).Unproject(-10000, 0)
	s, err := g.Snap(far, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The projection is exact to well under a metre over 10 km.
	if math.Abs(s.Dist-10000) > 1 || geo.Distance(s.Point, box.Point) > 1 {
		t.Fatalf("snapped %.1f m to %v, want 10,000 m to Box %v", s.Dist, s.Point, box.Point)
	}
	to, _ := a.Find("Salisbury")
	dst, _ := g.Snap(to.Point, 0)
	src, _ := g.Snap(box.Point, 0)
	d := road.NewDijkstra(g)
	fromBox, err := d.Route(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	fromFar, err := d.Route(s, dst)
	if err != nil {
		t.Fatal(err)
	}
	// 10,000 m at 45/1.3 km/h is about 1,040 s.
	access := uint32(math.Round(s.Dist / (g.Meta.AccessKmh / 3.6) * 1000))
	if got, want := fromFar.Time, fromBox.Time+access; got != want {
		t.Fatalf("Time=%d ms, want %d (Box to Salisbury) + %d (access)", got, fromBox.Time, access)
	}

	// 25 km west is beyond the 20 km limit.
	_, err = g.Snap(geo.NewProjection(box.Point).Unproject(-25000, 0), 0)
	if !errors.Is(err, road.ErrTooFar) {
		t.Fatalf("Snap 25 km off: err=%v, want ErrTooFar", err)
	}
}

// TestSnapLimitCoversArea checks that every position inside the outline
// (convex hull) of an area's places, on a 500 m grid, snaps within the
// network's limit, and logs the largest distance to the network. There is
// no boundary polygon, so the hull stands in for the county; the county
// extends a few km beyond it, which the limit's margin covers.
func TestSnapLimitCoversArea(t *testing.T) {
	for _, name := range atlas.Names() {
		t.Run(name, func(t *testing.T) {
			_, g := mustNetwork(t, name)
			pr := geo.NewProjection(g.Bound().Center())
			var pts [][2]float64
			for _, p := range g.Points {
				x, y := pr.Project(p)
				pts = append(pts, [2]float64{x, y})
			}
			hull := convexHull(pts)
			lo, hi := pts[0], pts[0]
			for _, p := range pts {
				lo = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}
				hi = [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
			}
			worst, n := 0.0, 0
			var at geo.Point
			for x := lo[0]; x <= hi[0]; x += 500 {
				for y := lo[1]; y <= hi[1]; y += 500 {
					if !inConvex(hull, [2]float64{x, y}) {
						continue
					}
					n++
					p := pr.Unproject(x, y)
					s, err := g.Snap(p, 0)
					if err != nil {
						t.Fatal(err)
					}
					if s.Dist > worst {
						worst, at = s.Dist, p
					}
				}
			}
			t.Logf("%d grid points; farthest from the network: %.0f m at %v", n, worst, at)
		})
	}
}

// convexHull returns the hull of pts anticlockwise (Andrew's monotone
// chain).
func convexHull(pts [][2]float64) [][2]float64 {
	p := slices.Clone(pts)
	slices.SortFunc(p, func(a, b [2]float64) int {
		if a[0] != b[0] {
			return cmpFloat(a[0], b[0])
		}
		return cmpFloat(a[1], b[1])
	})
	cross := func(o, a, b [2]float64) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	var h [][2]float64
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, q := range p {
			for len(h) >= start+2 && cross(h[len(h)-2], h[len(h)-1], q) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, q)
		}
		h = h[:len(h)-1]
		slices.Reverse(p)
	}
	return h
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// inConvex reports whether q lies in the anticlockwise convex polygon h.
func inConvex(h [][2]float64, q [2]float64) bool {
	for i := range h {
		a, b := h[i], h[(i+1)%len(h)]
		if (b[0]-a[0])*(q[1]-a[1])-(b[1]-a[1])*(q[0]-a[0]) < 0 {
			return false
		}
	}
	return true
}

func TestFind(t *testing.T) {
	cases := []struct {
		area, query, name, kind string
	}{
		{"wiltshire", "rwb", "Royal Wootton Bassett", "town"},
		{"wiltshire", "durrington", "Durrington", "village"},
		{"wiltshire", "Durrington (incl. Larkhill)", "Durrington", "village"},
		{"wiltshire", " salisbury ", "Salisbury", "city"},
		{"wiltshire", "WP_HQ_DEVIZES", "Wiltshire Police HQ (Devizes)", "police"},
		{"wiltshire", "Wiltshire Police HQ, London Road, Devizes", "Wiltshire Police HQ (Devizes)", "police"},
		{"wiltshire", "wiltshire police hq (devizes)", "Wiltshire Police HQ (Devizes)", "police"},
		{"wiltshire", "wp_salisbury_wiltonrd", "Wilton Road Police Station (Salisbury)", "police (closed)"},
		{"wiltshire", "wp_south_hub_planned", "Southern Policing Hub (planned)", "police (planned)"},
		{"wiltshire", "wp_rwb", "Royal Wootton Bassett Police Station", "police (unverified)"},
		{"kent", "Bluewater Shopping Centre", "Bluewater", "protected site"},
		{"kent", "ashfordoutlet", "Ashford Designer Outlet", "protected site"},
		{"kent", "kenthq", "Kent Police HQ (Maidstone)", "police"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			p, ok := mustLookup(t, tc.area).Find(tc.query)
			if !ok {
				t.Fatalf("Find(%q) failed", tc.query)
			}
			if p.Name != tc.name || p.Kind != tc.kind {
				t.Fatalf("Find(%q)=%q (%s), want %q (%s)", tc.query, p.Name, p.Kind, tc.name, tc.kind)
			}
		})
	}
	for _, q := range []string{"", "Larkhill", "nowhere"} {
		if p, ok := mustLookup(t, "wiltshire").Find(q); ok {
			t.Errorf("Find(%q)=%q, want not found", q, p.Name)
		}
	}
}

// TestFindEveryName checks that each id, short name and full name finds
// its own place, the one the network records, so no name is ambiguous.
func TestFindEveryName(t *testing.T) {
	for _, name := range atlas.Names() {
		a, g := mustNetwork(t, name)
		i := 0
		check := func(id string, names ...string) {
			t.Helper()
			want := g.Places[i]
			i++
			for _, n := range append(names, id) {
				if got, ok := a.Find(n); !ok || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: Find(%q)=%+v, want %+v", name, n, got, want)
				}
				// The graph resolves the same names through its aliases.
				if got, err := g.FindPlace(n); err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s: FindPlace(%q)=%+v, %v, want %+v", name, n, got, err, want)
				}
			}
		}
		for _, s := range a.Settlements {
			check(s.ID, s.ShortName, s.Name)
			if g.Places[i-1].Population != s.Population {
				t.Errorf("%s: place population %d, want %d", s.ID, g.Places[i-1].Population, s.Population)
			}
		}
		for _, s := range slices.Concat(a.Sites, a.KeySites) {
			check(s.ID, s.ShortName, s.Name)
		}
	}
}

// TestNetworkErrors builds networks of made-up areas.
func TestNetworkErrors(t *testing.T) {
	town := func(id string, lat float64) atlas.Settlement {
		return atlas.Settlement{ID: id, Name: strings.ToUpper(id), ShortName: strings.ToUpper(id), Point: geo.Point{Lat: lat, Lon: -2}}
	}
	link := func(from, to, class string) atlas.Link {
		return atlas.Link{From: from, To: to, Class: class, Road: "B1", EstRoadKm: 12}
	}
	cases := []struct {
		name    string
		area    atlas.Area
		wantErr string // "" for success
	}{
		{"OK", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("b", 51.1)},
			Sites:       []atlas.Site{{ID: "s", Name: "S", ShortName: "S", Point: geo.Point{Lat: 51.05, Lon: -2}}},
			Links:       []atlas.Link{link("a", "b", "minor")}}, ""},
		{"Empty", atlas.Area{ID: "t"}, "no places"},
		{"UnknownEnd", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("b", 51.1)},
			Links:       []atlas.Link{link("a", "c", "minor")}}, "unknown end"},
		{"UnknownClass", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("b", 51.1)},
			Links:       []atlas.Link{link("a", "b", "footpath")}}, "unknown class"},
		{"ZeroLength", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("b", 51.1)},
			Links:       []atlas.Link{{From: "a", To: "b", Class: "minor"}}}, "length"},
		{"SameName", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("A", 51.1)},
			Links:       []atlas.Link{link("a", "A", "minor")}}, "names both"},
		{"BadPoint", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("b", 95)},
			Links:       []atlas.Link{link("a", "b", "minor")}}, "invalid position"},
		{"Disconnected", atlas.Area{ID: "t",
			Settlements: []atlas.Settlement{town("a", 51), town("b", 51.1), town("c", 51.2)},
			Links:       []atlas.Link{link("a", "b", "minor")}}, "cannot reach the rest both ways: c"},
		{"SiteWithoutSettlement", atlas.Area{ID: "t",
			Sites: []atlas.Site{{ID: "s", Name: "S", ShortName: "S", Point: geo.Point{Lat: 51, Lon: -2}}}}, "no settlement"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := tc.area.Network()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, want := g.NumSegments(), 2; got != want {
					t.Fatalf("NumSegments()=%d, want %d (a link and a connector)", got, want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err=%v, want one containing %q", err, tc.wantErr)
			}
			if g != nil {
				t.Fatal("graph returned with an error")
			}
		})
	}
}
