package osm

import (
	"fmt"
	"math"
	"testing"

	osmdata "github.com/paulmach/osm"

	"github.com/arv-project/arv/road"
)

// Values of the built-in profile (bluelight.yaml) that the expected
// speeds below are computed from.
const (
	ef = 1.25 // emergency_factor
)

func TestWay(t *testing.T) {
	cases := []struct {
		name             string
		tags             osmdata.Tags
		wantOK           bool
		wantFwd, wantBwd float64 // km/h
		wantClass        road.Class
		wantName         string
	}{
		// Speeds.
		{
			name:   "national-limit single-carriageway A road",
			tags:   tags("highway", "primary", "maxspeed", "national", "ref", "A6003", "name", "Oakham Road"),
			wantOK: true,
			// min(primary 75, 60 mph × 1.25 = 120.7) = 75: the class ceiling.
			wantFwd: 75, wantBwd: 75, wantClass: road.ClassPrimary, wantName: "A6003",
		},
		{
			name:   "30 mph A road through a town",
			tags:   tags("highway", "primary", "maxspeed", "30 mph", "ref", "A606"),
			wantOK: true,
			// min(primary 75, 30 mph × 1.25 = 60.35) = 60.35: the posted limit binds.
			wantFwd: 30 * mph * ef, wantBwd: 30 * mph * ef, wantClass: road.ClassPrimary, wantName: "A606",
		},
		{
			name:   "30 mph residential street",
			tags:   tags("highway", "residential", "maxspeed", "30 mph", "name", "High Street"),
			wantOK: true,
			// min(residential 35, 60.35) = 35.
			wantFwd: 35, wantBwd: 35, wantClass: road.ClassResidential, wantName: "High Street",
		},
		{
			name:   "20 mph zone on a B road",
			tags:   tags("highway", "secondary", "maxspeed", "20 mph", "maxspeed:type", "GB:zone20"),
			wantOK: true,
			// min(secondary 60, 20 mph × 1.25 = 40.23) = 40.23.
			wantFwd: 20 * mph * ef, wantBwd: 20 * mph * ef, wantClass: road.ClassSecondary,
		},
		{
			name:   "20 mph zone from source:maxspeed only",
			tags:   tags("highway", "tertiary", "source:maxspeed", "GB:zone20"),
			wantOK: true,
			// min(tertiary 50, 40.23) = 40.23.
			wantFwd: 20 * mph * ef, wantBwd: 20 * mph * ef, wantClass: road.ClassTertiary,
		},
		{
			name:    "unknown limit",
			tags:    tags("highway", "unclassified"),
			wantOK:  true,
			wantFwd: 45, wantBwd: 45, // unclassified class speed
			wantClass: road.ClassUnclassified,
		},
		{
			name:    "no limit",
			tags:    tags("highway", "trunk", "maxspeed", "none"),
			wantOK:  true,
			wantFwd: 95, wantBwd: 95, // trunk class speed
			wantClass: road.ClassTrunk,
		},
		{
			name:   "directional limits",
			tags:   tags("highway", "primary", "maxspeed:forward", "30 mph", "maxspeed:backward", "50 mph"),
			wantOK: true,
			// forward min(75, 60.35); backward min(75, 50 mph × 1.25 = 100.6) = 75.
			wantFwd: 30 * mph * ef, wantBwd: 75, wantClass: road.ClassPrimary,
		},
		{
			name:   "US street in mph",
			tags:   tags("highway", "secondary", "maxspeed", "25 mph", "name", "Main Street"),
			wantOK: true,
			// min(secondary 60, 25 mph × 1.25 = 50.29) = 50.29.
			wantFwd: 25 * mph * ef, wantBwd: 25 * mph * ef, wantClass: road.ClassSecondary, wantName: "Main Street",
		},
		{
			name:   "living street at walking pace",
			tags:   tags("highway", "living_street", "maxspeed", "walk"),
			wantOK: true,
			// min(living_street 15, 6 × 1.25 = 7.5) = 7.5.
			wantFwd: 6 * ef, wantBwd: 6 * ef, wantClass: road.ClassLivingStreet,
		},
		{
			name:    "road of unknown class",
			tags:    tags("highway", "road"),
			wantOK:  true,
			wantFwd: 30, wantBwd: 30, // road class speed
			wantClass: road.ClassOther,
		},

		// Direction.
		{
			name:   "motorway",
			tags:   tags("highway", "motorway", "maxspeed", "70 mph", "ref", "M4"),
			wantOK: true,
			// Implied oneway; min(110, 70 mph × 1.25 = 140.8) = 110.
			wantFwd: 110, wantBwd: 0, wantClass: road.ClassMotorway, wantName: "M4",
		},
		{
			name:    "motorway tagged two-way",
			tags:    tags("highway", "motorway", "oneway", "no"),
			wantOK:  true,
			wantFwd: 110, wantBwd: 110,
			wantClass: road.ClassMotorway,
		},
		{
			name:    "motorway link without oneway is two-way",
			tags:    tags("highway", "motorway_link"),
			wantOK:  true,
			wantFwd: 70, wantBwd: 70, // motorway_link class speed
			wantClass: road.ClassMotorway,
		},
		{
			name:    "trunk slip road",
			tags:    tags("highway", "trunk_link", "oneway", "yes"),
			wantOK:  true,
			wantFwd: 60, wantBwd: 0, // trunk_link class speed
			wantClass: road.ClassTrunk,
		},
		{
			name:    "roundabout",
			tags:    tags("highway", "primary", "junction", "roundabout"),
			wantOK:  true,
			wantFwd: 75, wantBwd: 0,
			wantClass: road.ClassPrimary,
		},
		{
			name:    "circular junction",
			tags:    tags("highway", "secondary", "junction", "circular"),
			wantOK:  true,
			wantFwd: 60, wantBwd: 0,
			wantClass: road.ClassSecondary,
		},
		{
			name:    "roundabout tagged two-way",
			tags:    tags("highway", "tertiary", "junction", "roundabout", "oneway", "no"),
			wantOK:  true,
			wantFwd: 50, wantBwd: 50,
			wantClass: road.ClassTertiary,
		},
		{
			name:    "oneway=-1",
			tags:    tags("highway", "residential", "oneway", "-1"),
			wantOK:  true,
			wantFwd: 0, wantBwd: 35,
			wantClass: road.ClassResidential,
		},
		{
			name:    "oneway=reverse",
			tags:    tags("highway", "residential", "oneway", "reverse"),
			wantOK:  true,
			wantFwd: 0, wantBwd: 35,
			wantClass: road.ClassResidential,
		},
		{
			name:    "oneway in capitals",
			tags:    tags("highway", "residential", "oneway", " YES "),
			wantOK:  true,
			wantFwd: 35, wantBwd: 0,
			wantClass: road.ClassResidential,
		},
		{
			name:    "oneway value unknown",
			tags:    tags("highway", "residential", "oneway", "maybe"),
			wantOK:  true,
			wantFwd: 35, wantBwd: 35,
			wantClass: road.ClassResidential,
		},
		{
			name:   "reversible",
			tags:   tags("highway", "trunk", "oneway", "reversible"),
			wantOK: false,
		},
		{
			name:    "alternating single-lane bridge",
			tags:    tags("highway", "unclassified", "oneway", "alternating", "bridge", "yes"),
			wantOK:  true,
			wantFwd: 45, wantBwd: 45,
			wantClass: road.ClassUnclassified,
		},

		// Access.
		{
			name:   "private",
			tags:   tags("highway", "service", "access", "private"),
			wantOK: false,
		},
		{
			name:    "private with emergency=yes",
			tags:    tags("highway", "service", "access", "private", "emergency", "yes"),
			wantOK:  true,
			wantFwd: 20, wantBwd: 20, // service class speed
			wantClass: road.ClassService,
		},
		{
			name:    "access=no with emergency=designated",
			tags:    tags("highway", "unclassified", "access", "no", "emergency", "designated"),
			wantOK:  true,
			wantFwd: 45, wantBwd: 45,
			wantClass: road.ClassUnclassified,
		},
		{
			name:    "emergency access road",
			tags:    tags("highway", "service", "service", "emergency_access", "access", "no"),
			wantOK:  true,
			wantFwd: 20, wantBwd: 20,
			wantClass: road.ClassService,
		},
		{
			name:    "motor_vehicle=emergency",
			tags:    tags("highway", "service", "motor_vehicle", "emergency"),
			wantOK:  true,
			wantFwd: 20, wantBwd: 20,
			wantClass: road.ClassService,
		},
		{
			name:   "emergency=no",
			tags:   tags("highway", "residential", "access", "yes", "emergency", "no"),
			wantOK: false,
		},
		{
			name:    "bus gate",
			tags:    tags("highway", "residential", "motor_vehicle", "no", "bus", "yes"),
			wantOK:  true,
			wantFwd: 35, wantBwd: 35,
			wantClass: road.ClassResidential,
		},
		{
			name:    "bus-only street",
			tags:    tags("highway", "tertiary", "access", "no", "psv", "designated"),
			wantOK:  true,
			wantFwd: 50, wantBwd: 50,
			wantClass: road.ClassTertiary,
		},
		{
			name:    "motor_vehicle=psv",
			tags:    tags("highway", "tertiary", "motor_vehicle", "psv"),
			wantOK:  true,
			wantFwd: 50, wantBwd: 50,
			wantClass: road.ClassTertiary,
		},
		{
			name:    "destination",
			tags:    tags("highway", "residential", "motor_vehicle", "destination"),
			wantOK:  true,
			wantFwd: 35, wantBwd: 35,
			wantClass: road.ClassResidential,
		},
		{
			name:    "customers",
			tags:    tags("highway", "service", "access", "customers"),
			wantOK:  true,
			wantFwd: 20, wantBwd: 20,
			wantClass: road.ClassService,
		},
		{
			name:    "motorcar=yes overrides access=no",
			tags:    tags("highway", "unclassified", "access", "no", "motorcar", "yes"),
			wantOK:  true,
			wantFwd: 45, wantBwd: 45,
			wantClass: road.ClassUnclassified,
		},
		{
			name:   "vehicle=no overrides access=yes",
			tags:   tags("highway", "unclassified", "access", "yes", "vehicle", "no"),
			wantOK: false,
		},
		{
			name:   "agricultural",
			tags:   tags("highway", "unclassified", "motor_vehicle", "agricultural"),
			wantOK: false,
		},
		{
			name:   "military",
			tags:   tags("highway", "unclassified", "access", "military"),
			wantOK: false,
		},

		// Not routable at all.
		{name: "track", tags: tags("highway", "track", "tracktype", "grade2"), wantOK: false},
		{name: "pedestrian area", tags: tags("highway", "pedestrian", "area", "yes"), wantOK: false},
		{name: "pedestrian street", tags: tags("highway", "pedestrian"), wantOK: false},
		{name: "car park area", tags: tags("highway", "service", "area", "yes"), wantOK: false},
		{name: "footway", tags: tags("highway", "footway"), wantOK: false},
		{name: "cycleway", tags: tags("highway", "cycleway"), wantOK: false},
		{name: "under construction", tags: tags("highway", "construction", "construction", "primary"), wantOK: false},
		{name: "proposed", tags: tags("highway", "proposed", "proposed", "trunk"), wantOK: false},
		{name: "construction tag on a road", tags: tags("highway", "primary", "construction", "yes"), wantOK: false},
		{name: "impassable", tags: tags("highway", "unclassified", "impassable", "yes"), wantOK: false},
		{name: "status impassable", tags: tags("highway", "unclassified", "status", "impassable"), wantOK: false},
		{name: "no highway", tags: tags("name", "Nowhere"), wantOK: false},
		{name: "no tags", tags: nil, wantOK: false},
		{
			name:    "minor works",
			tags:    tags("highway", "primary", "construction", "minor"),
			wantOK:  true,
			wantFwd: 75, wantBwd: 75,
			wantClass: road.ClassPrimary,
		},
		{
			name:    "highway value in capitals",
			tags:    tags("highway", "Primary"),
			wantOK:  true,
			wantFwd: 75, wantBwd: 75,
			wantClass: road.ClassPrimary,
		},
	}
	p := DefaultProfile()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := p.Way(tc.tags)
			if ok != tc.wantOK {
				t.Fatalf("Way ok=%v, want %v (%+v)", ok, tc.wantOK, got)
			}
			if !ok {
				if got != (WayInfo{}) {
					t.Fatalf("Way=%+v with ok=false, want the zero WayInfo", got)
				}
				return
			}
			if !near(got.ForwardKmh, tc.wantFwd) || !near(got.BackwardKmh, tc.wantBwd) {
				t.Fatalf("speeds %v/%v km/h, want %v/%v", got.ForwardKmh, got.BackwardKmh, tc.wantFwd, tc.wantBwd)
			}
			if got.Class != tc.wantClass {
				t.Fatalf("Class=%v, want %v", got.Class, tc.wantClass)
			}
			if got.Name != tc.wantName {
				t.Fatalf("Name=%q, want %q", got.Name, tc.wantName)
			}
		})
	}
}

func TestWayProfileSettings(t *testing.T) {
	busGate := tags("highway", "residential", "motor_vehicle", "no", "bus", "yes")
	t.Run("bus gates off", func(t *testing.T) {
		p := DefaultProfile()
		p.BusGates = false
		if _, ok := p.Way(busGate); ok {
			t.Fatal("bus gate routable with BusGates=false")
		}
	})
	t.Run("destination denied", func(t *testing.T) {
		p := DefaultProfile()
		p.DeniedAccess = append(p.DeniedAccess, "destination")
		if _, ok := p.Way(tags("highway", "residential", "access", "destination")); ok {
			t.Fatal("access=destination routable with destination denied")
		}
	})
	t.Run("cap", func(t *testing.T) {
		p := DefaultProfile()
		p.MaxSpeedKmh = 100
		got, _ := p.Way(tags("highway", "motorway"))
		if got, want := got.ForwardKmh, 100.0; got != want { // the cap, below motorway's 110
			t.Fatalf("ForwardKmh=%v, want %v", got, want)
		}
	})
	t.Run("factor 1", func(t *testing.T) {
		p := DefaultProfile()
		p.EmergencyFactor = 1
		got, _ := p.Way(tags("highway", "primary", "maxspeed", "30 mph"))
		if got, want := got.ForwardKmh, 30*mph; !near(got, want) { // the posted limit itself
			t.Fatalf("ForwardKmh=%v, want %v", got, want)
		}
	})
	t.Run("pedestrian added", func(t *testing.T) {
		p := DefaultProfile()
		p.Speeds["pedestrian"] = 10
		got, ok := p.Way(tags("highway", "pedestrian"))
		if !ok || got.ForwardKmh != 10 || got.Class != road.ClassOther {
			t.Fatalf("Way=%+v,%v, want 10 km/h, class other", got, ok)
		}
	})
	t.Run("nil profile", func(t *testing.T) {
		var p *Profile
		if _, ok := p.Way(tags("highway", "primary")); ok {
			t.Fatal("nil profile routes a way")
		}
		if p.BlocksPassage(tags("barrier", "bollard")) {
			t.Fatal("nil profile blocks a node")
		}
	})
}

func TestBlocksPassage(t *testing.T) {
	cases := []struct {
		name string
		tags osmdata.Tags
		want bool
	}{
		{"no tags", nil, false},
		{"traffic signals", tags("highway", "traffic_signals"), false},
		{"barrier=no", tags("barrier", "no"), false},
		{"bollard", tags("barrier", "bollard"), true},
		{"bollard in capitals", tags("barrier", "Bollard"), true},
		{"rising bollard", tags("barrier", "bollard", "bollard", "rising"), true},
		{"bollard, emergency=yes", tags("barrier", "bollard", "emergency", "yes"), false},
		{"bollard, emergency=designated", tags("barrier", "bollard", "emergency", "designated"), false},
		{"bollard, motor_vehicle=yes", tags("barrier", "bollard", "motor_vehicle", "yes"), false},
		{"bollard, access=no, motorcar=yes", tags("barrier", "bollard", "access", "no", "motorcar", "yes"), false},
		{"bollard, access=yes, motor_vehicle=no", tags("barrier", "bollard", "access", "yes", "motor_vehicle", "no"), true},
		{"bollard, bus=yes", tags("barrier", "bollard", "bus", "yes"), true},
		{"block", tags("barrier", "block"), true},
		{"jersey barrier", tags("barrier", "jersey_barrier"), true},
		{"planter", tags("barrier", "planter"), true},
		{"cycle barrier", tags("barrier", "cycle_barrier"), true},
		{"kissing gate", tags("barrier", "kissing_gate"), true},
		{"stile", tags("barrier", "stile"), true},
		{"gate", tags("barrier", "gate"), false},
		{"private gate", tags("barrier", "gate", "access", "private"), false},
		{"gate, emergency=no", tags("barrier", "gate", "emergency", "no"), true},
		{"lift gate", tags("barrier", "lift_gate"), false},
		{"swing gate", tags("barrier", "swing_gate"), false},
		{"cattle grid", tags("barrier", "cattle_grid"), false},
		{"toll booth", tags("barrier", "toll_booth"), false},
		{"border control", tags("barrier", "border_control"), false},
		{"entrance", tags("barrier", "entrance"), false},
		{"kerb", tags("barrier", "kerb"), false},
		{"chain", tags("barrier", "chain"), false},
		{"unknown barrier", tags("barrier", "something_new"), false},
		{"emergency=no without barrier", tags("emergency", "no"), false},
		{"access=no without barrier", tags("access", "no"), false},
	}
	p := DefaultProfile()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.BlocksPassage(tc.tags); got != tc.want {
				t.Fatalf("BlocksPassage=%v, want %v", got, tc.want)
			}
		})
	}
}

// Fuzz vocabulary: keys and values that Way and BlocksPassage read,
// plus a few they do not.
var (
	fuzzKeys = []string{
		"highway", "oneway", "junction", "access", "vehicle", "motor_vehicle",
		"motorcar", "emergency", "bus", "psv", "service", "area", "construction",
		"impassable", "status", "maxspeed", "maxspeed:forward", "maxspeed:backward",
		"maxspeed:type", "source:maxspeed", "zone:maxspeed", "dual_carriageway",
		"ref", "name", "barrier", "surface",
	}
	fuzzValues = []string{
		"", "yes", "no", "-1", "1", "true", "reverse", "reversible", "alternating",
		"motorway", "motorway_link", "trunk", "primary", "secondary", "tertiary",
		"unclassified", "residential", "living_street", "service", "road", "track",
		"pedestrian", "footway", "roundabout", "circular", "private", "designated",
		"destination", "permissive", "emergency", "emergency_access", "psv", "bus",
		"30 mph", "50", "national", "none", "walk", "GB:nsl_single", "GB:nsl_dual",
		"GB:zone20", "DE:urban", "30;40", "0", "999", "bollard", "gate", "minor",
		"impassable",
	}
)

// fuzzTags builds a tag list from fuzz bytes: each pair of bytes picks a
// key and a value from the vocabulary; a value byte beyond the
// vocabulary takes that many following bytes as a raw value instead.
func fuzzTags(data []byte) osmdata.Tags {
	var ts osmdata.Tags
	for len(data) >= 2 {
		k := fuzzKeys[int(data[0])%len(fuzzKeys)]
		vi := int(data[1])
		data = data[2:]
		var v string
		if vi < len(fuzzValues) {
			v = fuzzValues[vi]
		} else {
			n := min(vi-len(fuzzValues), len(data))
			v, data = string(data[:n]), data[n:]
		}
		ts = append(ts, osmdata.Tag{Key: k, Value: v})
	}
	return ts
}

func FuzzWay(f *testing.F) {
	f.Add([]byte{0, 12})                    // highway=primary
	f.Add([]byte{0, 9, 15, 35})             // highway=motorway, maxspeed=national
	f.Add([]byte{0, 16, 3, 25, 7, 1})       // highway=residential, access=private, emergency=yes
	f.Add([]byte{0, 12, 1, 7})              // highway=primary, oneway=reversible
	f.Add([]byte{24, 45, 7, 2})             // barrier=bollard, emergency=no
	f.Add([]byte{0, 11, 15, 200, 'f', 'a'}) // highway=trunk, maxspeed=raw bytes
	p := DefaultProfile()
	f.Fuzz(func(t *testing.T, data []byte) {
		ts := fuzzTags(data)
		p.BlocksPassage(ts)
		info, ok := p.Way(ts)
		if !ok {
			if info != (WayInfo{}) {
				t.Fatalf("Way(%v)=%+v with ok=false", ts, info)
			}
			return
		}
		if info.ForwardKmh == 0 && info.BackwardKmh == 0 {
			t.Fatalf("Way(%v) routable in neither direction", ts)
		}
		for _, v := range []float64{info.ForwardKmh, info.BackwardKmh} {
			if math.IsNaN(v) || v < 0 || v > p.MaxSpeedKmh || v != 0 && v < road.MinSpeedKmh {
				t.Fatalf("Way(%v) speed %v outside {0} ∪ [%d, %v]", ts, v, road.MinSpeedKmh, p.MaxSpeedKmh)
			}
		}
		if info.Class.String() == "" {
			t.Fatalf("Way(%v) class %d has no name", ts, info.Class)
		}
	})
}

func ExampleProfile_Way() {
	p := DefaultProfile()
	for _, ts := range []osmdata.Tags{
		{{Key: "highway", Value: "primary"}, {Key: "maxspeed", Value: "national"}, {Key: "ref", Value: "A6003"}},
		{{Key: "highway", Value: "primary"}, {Key: "maxspeed", Value: "30 mph"}, {Key: "name", Value: "High Street"}},
		{{Key: "highway", Value: "motorway"}, {Key: "ref", Value: "M4"}},
		{{Key: "highway", Value: "service"}, {Key: "access", Value: "private"}},
	} {
		w, ok := p.Way(ts)
		fmt.Printf("%-14q routable=%-5v forward=%.1f backward=%.1f class=%v\n", w.Name, ok, w.ForwardKmh, w.BackwardKmh, w.Class)
	}
	// Output:
	// "A6003"        routable=true  forward=75.0 backward=75.0 class=primary
	// "High Street"  routable=true  forward=60.4 backward=60.4 class=primary
	// "M4"           routable=true  forward=110.0 backward=0.0 class=motorway
	// ""             routable=false forward=0.0 backward=0.0 class=other
}
