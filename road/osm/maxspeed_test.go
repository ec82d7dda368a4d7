package osm

import (
	"math"
	"testing"

	osmdata "github.com/paulmach/osm"
)

// Unit factors for expected values, written out here rather than taken
// from the package so that a wrong constant there shows up.
const (
	mph  = 1.609344 // km/h per mile per hour: the international mile is exactly 1609.344 m
	knot = 1.852    // km/h per knot: the international nautical mile is exactly 1852 m
)

// near reports whether two speeds agree to well below a millimetre per
// hour; the expected values are products of exact decimal factors.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestParseMaxspeed(t *testing.T) {
	cases := []struct {
		in     string
		want   float64
		wantOK bool
	}{
		// Numbers in km/h, bare or with a unit.
		{"50", 50, true},
		{"50.5", 50.5, true},
		{" 50 ", 50, true},
		{"50 km/h", 50, true},
		{"50km/h", 50, true},
		{"50 KM/H", 50, true},
		{"50 kmh", 50, true},
		{"50kph", 50, true},
		{"50 kph", 50, true},
		// Miles per hour, as in British and US data.
		{"30 mph", 30 * mph, true},
		{"30mph", 30 * mph, true},
		{"30 MPH", 30 * mph, true},
		{"25 mph", 25 * mph, true}, // Delaware residential
		{"55 mph", 55 * mph, true}, // Delaware rural highway
		{"70 mph", 70 * mph, true},
		// Knots.
		{"10 knots", 10 * knot, true},
		{"10 knot", 10 * knot, true},
		{"10kn", 10 * knot, true},
		// British implicit limits (GK: national limits 60 mph single,
		// 70 mph dual and motorway, 30 mph restricted roads).
		{"GB:nsl_single", 60 * mph, true},
		{"GB:nsl_dual", 70 * mph, true},
		{"GB:motorway", 70 * mph, true},
		{"GB:nsl_restricted", 30 * mph, true},
		{"GB:zone20", 20 * mph, true},
		{"GB:zone30", 30 * mph, true},
		{"GB:zone:20", 20 * mph, true},
		{"UK:nsl_single", 60 * mph, true},
		{"uk:zone20", 20 * mph, true},
		{"gb:NSL_DUAL", 70 * mph, true},
		{"national", 60 * mph, true}, // no road context: single carriageway
		{"GB:national", 60 * mph, true},
		// Other countries' implicit limits (OSM wiki Key:maxspeed).
		{"IE:national", 100, true},
		{"IE:motorway", 120, true},
		{"DE:urban", 50, true},
		{"DE:rural", 100, true},
		{"DE:motorway", 0, false}, // no general limit
		{"DE:living_street", 6, true},
		{"DE:zone30", 30, true},
		{"DE:zone:30", 30, true},
		{"DE:30", 30, true},
		{"FR:urban", 50, true},
		{"FR:rural", 80, true},
		{"FR:motorway", 130, true},
		{"US:zone25", 25 * mph, true},
		{"XX:rural", 0, false},
		{"GB:fast", 0, false},
		{"DE:zone", 0, false},
		// Walking pace.
		{"walk", 6, true},
		{"WALK", 6, true},
		// Lists: the lowest usable value.
		{"30;40", 30, true},
		{"40;30", 30, true},
		{"3", 0, false}, // below walking pace: a mapping error (no public road is signed under 5 mph)
		{"5", 5, true},
		{"30 mph;50", 30 * mph, true},
		{"none;30", 30, true},
		{"50;signals", 50, true},
		{"none;signals", 0, false},
		{";", 0, false},
		// No usable number.
		{"none", 0, false},
		{"signals", 0, false},
		{"variable", 0, false},
		{"unknown", 0, false},
		{"", 0, false},
		{"   ", 0, false},
		{"fast", 0, false},
		{"-30", 0, false},
		{"+30", 0, false},
		{"0", 0, false},
		{"0.5", 0, false},        // below 1 km/h
		{"301", 0, false},        // above road.MaxSpeedKmh
		{"200 mph", 0, false},    // 321.9 km/h
		{"1e2", 0, false},        // exponents are not OSM syntax
		{"0x20", 0, false},       // nor hex
		{"1_000", 0, false},      // nor digit separators
		{"NaN", 0, false},        // nor NaN
		{"Inf", 0, false},        // nor infinity
		{"50.", 0, false},        // nor a bare point
		{".5", 0, false},         // ...at either end
		{"5.0.0", 0, false},      // two points
		{"50 m/s", 0, false},     // unknown unit
		{"30 mph mph", 0, false}, // unit twice
		{"30 mp/h", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseMaxspeed(tc.in)
			if ok != tc.wantOK {
				t.Fatalf("ParseMaxspeed(%q) ok=%v, want %v (kmh=%v)", tc.in, ok, tc.wantOK, got)
			}
			if ok && !near(got, tc.want) {
				t.Fatalf("ParseMaxspeed(%q)=%v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestWayMaxspeed(t *testing.T) {
	cases := []struct {
		name             string
		tags             osmdata.Tags
		wantFwd, wantBwd float64
	}{
		{"none", tags("highway", "primary"), 0, 0},
		{"numeric", tags("highway", "residential", "maxspeed", "30 mph"), 30 * mph, 30 * mph},
		{"no limit", tags("highway", "primary", "maxspeed", "none"), 0, 0},
		{"national single", tags("highway", "primary", "maxspeed", "national"), 60 * mph, 60 * mph},
		{"national unclassified", tags("highway", "unclassified", "maxspeed", "national"), 60 * mph, 60 * mph},
		{"national motorway", tags("highway", "motorway", "maxspeed", "national"), 70 * mph, 70 * mph},
		{"national motorway link", tags("highway", "motorway_link", "maxspeed", "UK:national"), 70 * mph, 70 * mph},
		{"national dual", tags("highway", "secondary", "maxspeed", "national", "dual_carriageway", "yes"), 70 * mph, 70 * mph},
		{"national oneway trunk", tags("highway", "trunk", "maxspeed", "GB:national", "oneway", "yes"), 70 * mph, 70 * mph},
		{"national oneway secondary", tags("highway", "secondary", "maxspeed", "national", "oneway", "yes"), 60 * mph, 60 * mph},
		{"type only", tags("highway", "primary", "maxspeed:type", "GB:nsl_single"), 60 * mph, 60 * mph},
		{"source only", tags("highway", "residential", "source:maxspeed", "GB:zone20"), 20 * mph, 20 * mph},
		{"zone only", tags("highway", "residential", "zone:maxspeed", "DE:30"), 30, 30},
		{"maxspeed wins over type", tags("highway", "primary", "maxspeed", "40 mph", "maxspeed:type", "GB:nsl_single"), 40 * mph, 40 * mph},
		{"signals falls back to type", tags("highway", "motorway", "maxspeed", "signals", "maxspeed:type", "GB:motorway"), 70 * mph, 70 * mph},
		{"forward overrides", tags("highway", "primary", "maxspeed", "50", "maxspeed:forward", "30"), 30, 50},
		{"backward overrides", tags("highway", "primary", "maxspeed", "50", "maxspeed:backward", "70"), 50, 70},
		{"backward only", tags("highway", "primary", "maxspeed:backward", "40 mph"), 0, 40 * mph},
		{"bad forward ignored", tags("highway", "primary", "maxspeed", "50", "maxspeed:forward", "fast"), 50, 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fwd, bwd := WayMaxspeed(tc.tags)
			if !near(fwd, tc.wantFwd) || !near(bwd, tc.wantBwd) {
				t.Fatalf("WayMaxspeed=%v,%v, want %v,%v", fwd, bwd, tc.wantFwd, tc.wantBwd)
			}
		})
	}
}

// tags builds osm.Tags from alternating keys and values.
func tags(kv ...string) osmdata.Tags {
	var ts osmdata.Tags
	for i := 0; i+1 < len(kv); i += 2 {
		ts = append(ts, osmdata.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return ts
}

func FuzzParseMaxspeed(f *testing.F) {
	for _, s := range []string{
		"50", "50 km/h", "30 mph", "10 knots", "GB:nsl_single", "GB:zone20",
		"national", "none", "walk", "30;40", "DE:zone:30", "US:25", "1e2", ";;", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kmh, ok := ParseMaxspeed(s)
		if !ok {
			if kmh != 0 {
				t.Fatalf("ParseMaxspeed(%q)=%v with ok=false, want 0", s, kmh)
			}
			return
		}
		// 1..400 km/h: no posted limit anywhere lies outside it.
		if math.IsNaN(kmh) || math.IsInf(kmh, 0) || kmh < 1 || kmh > 400 {
			t.Fatalf("ParseMaxspeed(%q)=%v, want a finite speed in 1..400", s, kmh)
		}
	})
}
