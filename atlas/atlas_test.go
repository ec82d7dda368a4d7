package atlas_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/geo"
)

// mustLookup returns the built-in area called name.
func mustLookup(tb testing.TB, name string) *atlas.Area {
	tb.Helper()
	a, err := atlas.Lookup(name)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestNames(t *testing.T) {
	if got, want := atlas.Names(), []string{"kent", "wiltshire"}; !slices.Equal(got, want) {
		t.Fatalf("Names()=%q, want %q", got, want)
	}
}

func TestLookup(t *testing.T) {
	cases := []struct {
		name, id string
	}{
		{"wiltshire", "wiltshire"},
		{"Wiltshire", "wiltshire"},
		{"  KENT ", "kent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := atlas.Lookup(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := a.ID, tc.id; got != want {
				t.Fatalf("ID=%q, want %q", got, want)
			}
		})
	}
	for _, name := range []string{"", "devon", "wilts", "wiltshire police"} {
		t.Run("Err"+name, func(t *testing.T) {
			a, err := atlas.Lookup(name)
			if err == nil {
				t.Fatalf("Lookup(%q)=%v, want error", name, a.ID)
			}
			if msg := err.Error(); !strings.Contains(msg, "kent, wiltshire") || !strings.HasPrefix(msg, "atlas: ") {
				t.Fatalf("error %q should start with \"atlas: \" and list the known areas", msg)
			}
		})
	}
}

// TestLookupCopies checks that a caller changing its Area does not change
// what the next caller gets.
func TestLookupCopies(t *testing.T) {
	a := mustLookup(t, "wiltshire")
	a.Settlements[0].Population = -1
	a.Links = a.Links[:1]
	b := mustLookup(t, "wiltshire")
	if got := b.Settlements[0].Population; got <= 0 {
		t.Fatalf("Population=%d after another caller's change, want the file's figure", got)
	}
	if got, want := len(b.Links), 85; got != want {
		t.Fatalf("len(Links)=%d after another caller's change, want %d", got, want)
	}
}

// TestCounts checks the row counts against geography.md: the counts in the
// headings of §1.2 (46), §3 (85 links), §4.2 (37), §4.4 (65 links), and the
// rows of §2.1 (14 sites) and §4.3 (4 protected sites, 2 police sites).
func TestCounts(t *testing.T) {
	cases := []struct {
		area                                string
		settlements, sites, keySites, links int
	}{
		{"wiltshire", 46, 14, 0, 85},
		{"kent", 37, 2, 4, 65},
	}
	for _, tc := range cases {
		t.Run(tc.area, func(t *testing.T) {
			a := mustLookup(t, tc.area)
			if got, want := len(a.Settlements), tc.settlements; got != want {
				t.Errorf("len(Settlements)=%d, want %d", got, want)
			}
			if got, want := len(a.Sites), tc.sites; got != want {
				t.Errorf("len(Sites)=%d, want %d", got, want)
			}
			if got, want := len(a.KeySites), tc.keySites; got != want {
				t.Errorf("len(KeySites)=%d, want %d", got, want)
			}
			if got, want := len(a.Links), tc.links; got != want {
				t.Errorf("len(Links)=%d, want %d", got, want)
			}
		})
	}
}

// TestAreaFacts checks the area-level figures of geography.md §1.1 and
// §4.1, and that the force-area population is the sum of its parts, as
// the file says ("Sum of the two rows above").
func TestAreaFacts(t *testing.T) {
	cases := []struct {
		area             string
		name             string
		km2              float64
		pop              int
		approx           bool
		areaSrc, popSrc  string
		parts            [2]string
		wantFactsAtLeast int
	}{
		// §1.1: 3,485 km² [S1][S2]; 510,400 [S33] + 233,400 [S34] (S35 is
		// cited in the Swindon row too) = 743,800.
		{"wiltshire", "Wiltshire Police area", 3485, 743800, false, "S1, S2", "S33, S34, S35",
			[2]string{"population_2021_census_wiltshire_ua", "population_2021_census_swindon_ua"}, 6},
		// §4.1: 3,710 km² [K1]; 279,800 [K6] + ≈1,576,100 [K7] = ≈1,855,900.
		{"kent", "Kent Police area", 3710, 1855900, true, "K1", "K6, K7",
			[2]string{"population_2021_census_medway", "population_2021_census_kcc"}, 6},
	}
	for _, tc := range cases {
		t.Run(tc.area, func(t *testing.T) {
			a := mustLookup(t, tc.area)
			if got, want := a.Name, tc.name; got != want {
				t.Errorf("Name=%q, want %q", got, want)
			}
			if got, want := a.AreaKm2, tc.km2; got != want {
				t.Errorf("AreaKm2=%v, want %v", got, want)
			}
			if got, want := a.Population, tc.pop; got != want {
				t.Errorf("Population=%v, want %v", got, want)
			}
			if got, want := a.PopulationApprox, tc.approx; got != want {
				t.Errorf("PopulationApprox=%v, want %v", got, want)
			}
			if got, want := a.AreaSource, tc.areaSrc; got != want {
				t.Errorf("AreaSource=%q, want %q", got, want)
			}
			if got, want := a.PopulationSource, tc.popSrc; got != want {
				t.Errorf("PopulationSource=%q, want %q", got, want)
			}
			if got := len(a.Facts); got < tc.wantFactsAtLeast {
				t.Errorf("len(Facts)=%d, want at least %d", got, tc.wantFactsAtLeast)
			}
			sum := 0
			for _, f := range a.Facts {
				if slices.Contains(tc.parts[:], f.Quantity) {
					sum += parseFactNumber(t, f.Value)
				}
			}
			if got, want := sum, a.Population; got != want {
				t.Errorf("sum of %v = %d, want Population %d", tc.parts, got, want)
			}
		})
	}
}

// parseFactNumber reads "510400" or "≈ 1,576,100".
func parseFactNumber(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	if n == 0 {
		t.Fatalf("no number in %q", s)
	}
	return n
}

// box is a latitude/longitude box around a county.
type box struct{ minLat, maxLat, minLon, maxLon float64 }

func (b box) contains(p geo.Point) bool {
	return p.Lat >= b.minLat && p.Lat <= b.maxLat && p.Lon >= b.minLon && p.Lon <= b.maxLon
}

// countyBox holds each county's extent, general knowledge (Wiltshire spans
// about 50.94–51.70°N and 2.37–1.49°W, Kent about 50.91–51.50°N and
// 0.03–1.45°E), padded by about 0.05°. The boxes do not overlap, so the
// test also catches one county's rows filed under the other.
var countyBox = map[string]box{
	"wiltshire": {50.90, 51.75, -2.42, -1.44},
	"kent":      {50.86, 51.55, -0.02, 1.50},
}

func TestPlaces(t *testing.T) {
	for _, name := range atlas.Names() {
		t.Run(name, func(t *testing.T) {
			a := mustLookup(t, name)
			b := countyBox[name]
			ids := make(map[string]bool)
			for _, s := range a.Settlements {
				if ids[s.ID] {
					t.Errorf("duplicate id %q", s.ID)
				}
				ids[s.ID] = true
				if s.Population <= 0 {
					t.Errorf("%s: Population=%d, want > 0", s.ID, s.Population)
				}
				if !b.contains(s.Point) {
					t.Errorf("%s: %v outside the county box %+v", s.ID, s.Point, b)
				}
				if s.PlaceKind == "settlement" {
					t.Errorf("%s: kind %q not reduced to city, town, village or hamlet", s.ID, s.Kind)
				}
				if s.ShortName == "" || s.PopYear == "" || s.PopSource == "" || s.CoordSource == "" {
					t.Errorf("%s: empty field in %+v", s.ID, s)
				}
			}
			for _, s := range slices.Concat(a.Sites, a.KeySites) {
				if ids[s.ID] {
					t.Errorf("duplicate id %q", s.ID)
				}
				ids[s.ID] = true
				if !b.contains(s.Point) {
					t.Errorf("%s: %v outside the county box %+v", s.ID, s.Point, b)
				}
				if s.ShortName == "" || s.Role == "" || s.CoordSource == "" {
					t.Errorf("%s: empty field in %+v", s.ID, s)
				}
				if got, ok := a.Site(s.ID); !ok || got.Name != s.Name {
					t.Errorf("Site(%q)=%v, %v", s.ID, got.Name, ok)
				}
			}
			if _, ok := a.Site("nowhere"); ok {
				t.Errorf("Site(%q) found", "nowhere")
			}
		})
	}
}

// TestSettlementPopulations checks the sum of the Wiltshire rows against
// geography.md §1.2: "The rows add up to about 559,000".
func TestSettlementPopulations(t *testing.T) {
	a := mustLookup(t, "wiltshire")
	sum := 0
	for _, s := range a.Settlements {
		sum += s.Population
	}
	if math.Abs(float64(sum)-559000) > 1000 {
		t.Fatalf("sum of populations %d, want about 559,000", sum)
	}
	s, ok := a.Settlement("rwb")
	if !ok {
		t.Fatal(`Settlement("rwb") not found`)
	}
	// §1.2, row rwb.
	if got, want := s.Population, 13570; got != want {
		t.Errorf("rwb Population=%d, want %d", got, want)
	}
	if got, want := s.Name, "Royal Wootton Bassett"; got != want {
		t.Errorf("rwb Name=%q, want %q", got, want)
	}
	if _, ok := a.Settlement("wp_hq_devizes"); ok {
		t.Error(`Settlement("wp_hq_devizes") found; it is a site`)
	}
}

func TestSettlementNames(t *testing.T) {
	cases := []struct {
		area, id, short, kind string
	}{
		{"wiltshire", "durrington", "Durrington", "village"}, // "large village / garrison"
		{"wiltshire", "lyneham", "Lyneham", "village"},
		{"wiltshire", "winterslow", "Winterslow", "village"},
		{"wiltshire", "swindon", "Swindon", "town"}, // "large town (built-up area)"
		{"wiltshire", "trowbridge", "Trowbridge", "town"},
		{"wiltshire", "salisbury", "Salisbury", "city"},
		{"wiltshire", "tollard", "Tollard Royal", "hamlet"},
		{"kent", "leysdown", "Leysdown-on-Sea", "town"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			s, ok := mustLookup(t, tc.area).Settlement(tc.id)
			if !ok {
				t.Fatalf("Settlement(%q) not found", tc.id)
			}
			if got, want := s.ShortName, tc.short; got != want {
				t.Errorf("ShortName=%q, want %q", got, want)
			}
			if got, want := s.PlaceKind, tc.kind; got != want {
				t.Errorf("PlaceKind=%q, want %q", got, want)
			}
		})
	}
}

// TestSiteStates reads each site's status as geography.md §2.1 gives it;
// Warminster ("open (as of the 2016 strategy)") and Royal Wootton Bassett
// are unverified per §7. The Kent table has no status column.
func TestSiteStates(t *testing.T) {
	want := map[string]atlas.SiteState{
		"wp_hq_devizes":           atlas.SiteOpen,
		"wp_gablecross":           atlas.SiteOpen,
		"wp_melksham":             atlas.SiteOpen,
		"wp_chippenham":           atlas.SiteOpen,
		"wp_trowbridge":           atlas.SiteOpen,
		"wp_warminster":           atlas.SiteUnverified,
		"wp_rwb":                  atlas.SiteUnverified,
		"wp_salisbury_bournehill": atlas.SiteOpen,
		"wp_salisbury_wiltonrd":   atlas.SiteClosed,
		"wp_tidworth":             atlas.SiteOpen,
		"wp_amesbury":             atlas.SiteClosed,
		"wp_devizes_borough":      atlas.SiteClosed,
		"wp_marlborough":          atlas.SiteOpen,
		"wp_south_hub_planned":    atlas.SitePlanned,
		"kenthq":                  atlas.SiteOpen,
		"northkent":               atlas.SiteOpen,
	}
	n := 0
	for _, name := range atlas.Names() {
		a := mustLookup(t, name)
		for _, s := range a.Sites {
			n++
			if got, ok := want[s.ID]; !ok {
				t.Errorf("site %q not in the test table", s.ID)
			} else if got != s.State {
				t.Errorf("%s: State=%v, want %v (status %q)", s.ID, s.State, got, s.Status)
			}
		}
		for _, s := range a.OpenSites() {
			if s.State != atlas.SiteOpen {
				t.Errorf("OpenSites includes %s (%v)", s.ID, s.State)
			}
		}
	}
	if got, want := n, len(want); got != want {
		t.Errorf("%d sites, want %d", got, want)
	}
	if got, want := len(mustLookup(t, "wiltshire").OpenSites()), 8; got != want {
		t.Errorf("Wiltshire has %d open sites, want %d (the 14 less 3 closed, 1 planned, 2 unverified)", got, want)
	}
	if got, want := atlas.SiteState(9).String(), "SiteState(9)"; got != want {
		t.Errorf("String()=%q, want %q", got, want)
	}
}

// detour is the factor by class from the geography.md header: "1.2 for
// motorway and trunk, 1.25 for primary, 1.3 for secondary and minor".
var detour = map[string]float64{"motorway": 1.2, "trunk": 1.2, "primary": 1.25, "secondary": 1.3, "minor": 1.3}

// TestLinks recomputes every link from the coordinates, as the file says
// it can be: straight_km is the haversine distance and est_road_km is
// that distance times the factor, each rounded to 0.1 km (so within
// 0.05 km; 0.0005 km more allows for the file's earth radius, which may
// differ from geo.EarthRadius by a few metres in 6,371 km).
func TestLinks(t *testing.T) {
	const tol = 0.05 + 0.0005
	for _, name := range atlas.Names() {
		t.Run(name, func(t *testing.T) {
			a := mustLookup(t, name)
			type end struct {
				name string
				p    geo.Point
			}
			ends := make(map[string]end)
			for _, s := range a.Settlements {
				ends[s.ID] = end{s.Name, s.Point}
			}
			for _, s := range slices.Concat(a.Sites, a.KeySites) {
				ends[s.ID] = end{s.Name, s.Point}
			}
			pairs := make(map[[2]string]bool)
			for _, l := range a.Links {
				from, ok1 := ends[l.From]
				to, ok2 := ends[l.To]
				if !ok1 || !ok2 {
					t.Errorf("%s-%s: unknown end", l.From, l.To)
					continue
				}
				if from.name != l.FromName || to.name != l.ToName {
					t.Errorf("%s-%s: names %q-%q, want %q-%q", l.From, l.To, l.FromName, l.ToName, from.name, to.name)
				}
				pair := [2]string{min(l.From, l.To), max(l.From, l.To)}
				if pairs[pair] {
					t.Errorf("%s-%s: twice", l.From, l.To)
				}
				pairs[pair] = true
				km := geo.Distance(from.p, to.p) / 1000
				if math.Abs(km-l.StraightKm) > tol {
					t.Errorf("%s-%s: straight_km %v, haversine %.3f", l.From, l.To, l.StraightKm, km)
				}
				if math.Abs(km*l.Factor-l.EstRoadKm) > tol {
					t.Errorf("%s-%s: est_road_km %v, haversine × %v = %.3f", l.From, l.To, l.EstRoadKm, l.Factor, km*l.Factor)
				}
				if f, ok := detour[l.Class]; !ok || f != l.Factor {
					t.Errorf("%s-%s: class %q with factor %v", l.From, l.To, l.Class, l.Factor)
				}
				if l.Road == "" {
					t.Errorf("%s-%s: no road", l.From, l.To)
				}
			}
		})
	}
}

// TestLinkTotals checks the totals stated in geography.md: about 1,065 km
// for Wiltshire (§3) and about 912 km for Kent (§4.4), to the nearest km.
func TestLinkTotals(t *testing.T) {
	for name, want := range map[string]float64{"wiltshire": 1065, "kent": 912} {
		sum := 0.0
		for _, l := range mustLookup(t, name).Links {
			sum += l.EstRoadKm
		}
		if math.Abs(sum-want) > 0.5 {
			t.Errorf("%s: links total %.1f km, want about %v", name, sum, want)
		}
	}
}

// TestDegrees checks the file's statements on the graph's shape: in
// Wiltshire "every node has degree ≥ 2" (§3; the police sites are not in
// the link table), and in Kent "the only degree-1 nodes are the sites and
// the peninsula ends (Grain, Leysdown-on-Sea, Lydd)" (§4.4).
func TestDegrees(t *testing.T) {
	cases := []struct {
		area    string
		mayEnd  []string // settlements allowed degree 1
		sitesIn bool     // whether sites appear in the link table
	}{
		{"wiltshire", nil, false},
		{"kent", []string{"grain", "leysdown", "lydd"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.area, func(t *testing.T) {
			a := mustLookup(t, tc.area)
			deg := make(map[string]int)
			for _, l := range a.Links {
				deg[l.From]++
				deg[l.To]++
			}
			for _, s := range a.Settlements {
				if d := deg[s.ID]; d < 1 || (d < 2 && !slices.Contains(tc.mayEnd, s.ID)) {
					t.Errorf("%s: degree %d", s.ID, d)
				}
			}
			for _, s := range slices.Concat(a.Sites, a.KeySites) {
				if got, want := deg[s.ID] > 0, tc.sitesIn; got != want {
					t.Errorf("%s: linked=%v, want %v", s.ID, got, want)
				}
			}
		})
	}
}

// TestBlueLightKmh checks the "typical" column of geography.md §5.2.
func TestBlueLightKmh(t *testing.T) {
	cases := []struct {
		class string
		kmh   float64
	}{
		{"motorway", 110},
		{"trunk", 95},
		{"primary", 75},
		{"secondary", 60},
		{"minor", 45},
		{"urban", 35},
	}
	for _, tc := range cases {
		t.Run(tc.class, func(t *testing.T) {
			got, ok := atlas.BlueLightKmh(tc.class)
			if !ok || got != tc.kmh {
				t.Fatalf("BlueLightKmh(%q)=%v, %v, want %v", tc.class, got, ok, tc.kmh)
			}
		})
	}
	if v, ok := atlas.BlueLightKmh("footpath"); ok {
		t.Errorf("BlueLightKmh(footpath)=%v, want not found", v)
	}
	sp := atlas.Speeds()
	if got, want := len(sp), len(cases); got != want {
		t.Fatalf("len(Speeds())=%d, want %d", got, want)
	}
	for _, s := range sp {
		if !(s.LowKmh < s.TypicalKmh && s.TypicalKmh < s.HighKmh) {
			t.Errorf("%s: low %v, typical %v, high %v not increasing", s.Class, s.LowKmh, s.TypicalKmh, s.HighKmh)
		}
	}
	sp[0].TypicalKmh = 1
	if got, _ := atlas.BlueLightKmh(sp[0].Class); got == 1 {
		t.Error("changing the slice from Speeds changed BlueLightKmh")
	}
}
