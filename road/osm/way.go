package osm

import (
	"slices"
	"strings"

	osmdata "github.com/paulmach/osm"

	"github.com/arv-project/arv/road"
)

// WayInfo is what the profile decides for one way.
type WayInfo struct {
	// ForwardKmh and BackwardKmh are the speeds, in km/h, in the
	// direction of the way's nodes and against it; 0 where that direction
	// may not be driven. A non-zero speed lies between road.MinSpeedKmh
	// and the profile's MaxSpeedKmh.
	ForwardKmh, BackwardKmh float64
	// Class is the road class from highway=*; link values map to their
	// parent class (trunk_link to road.ClassTrunk), and road, track,
	// pedestrian and busway to road.ClassOther.
	Class road.Class
	// Name is the way's ref if it has one ("A6003", "M4"), else its
	// name ("High Street"), else "".
	Name string
}

// highwayClass maps highway=* values to road classes; values not listed
// are road.ClassOther.
var highwayClass = map[string]road.Class{
	"motorway":       road.ClassMotorway,
	"motorway_link":  road.ClassMotorway,
	"trunk":          road.ClassTrunk,
	"trunk_link":     road.ClassTrunk,
	"primary":        road.ClassPrimary,
	"primary_link":   road.ClassPrimary,
	"secondary":      road.ClassSecondary,
	"secondary_link": road.ClassSecondary,
	"tertiary":       road.ClassTertiary,
	"tertiary_link":  road.ClassTertiary,
	"unclassified":   road.ClassUnclassified,
	"residential":    road.ClassResidential,
	"service":        road.ClassService,
	"living_street":  road.ClassLivingStreet,
}

// constructionOpen are the construction=* values that leave a road open:
// minor works and widening under traffic (as in OSRM's car profile,
// construction_whitelist). Any other value closes the road.
var constructionOpen = map[string]bool{"no": true, "minor": true, "widening": true}

// accessKeys are the access keys for a car, most specific first.
var accessKeys = [...]string{"motorcar", "motor_vehicle", "vehicle", "access"}

// Way decides whether the vehicle may use a way with these tags, in which
// directions and how fast. It returns false when the way is not routable
// at all. Tag values are compared after trimming spaces and lower-casing.
//
// A way is routable when all of these hold:
//
//   - its highway value is a key of p.Speeds;
//   - it is not an area (area=yes);
//   - it is not under construction (a construction tag other than no,
//     minor or widening);
//   - it is not marked impassable (impassable=yes, status=impassable);
//   - its oneway tag is not reversible: a reversible way changes
//     direction by time of day, which a static graph cannot show (OSRM's
//     car profile leaves them out too);
//   - its access allows the vehicle (see below).
//
// Direction: oneway=yes, true or 1 allows the forward direction only,
// oneway=-1 or reverse the backward only, and oneway=no, false or 0 both.
// Without one of those values, highway=motorway and junction=roundabout
// or circular are oneway forward (the OpenStreetMap wiki's implied
// oneways, and OSRM's), and every other way is two-way. motorway_link is
// not implied oneway: the wiki does not say so, current OSRM does not
// either, and British slip roads carry an explicit oneway tag; reading an
// untagged link as two-way keeps the network connected. oneway=alternating
// (one lane shared in turns, under signals or priority, as on narrow
// bridges) is two-way: it changes within minutes, and leaving it out would
// cut villages off.
//
// Access: emergency=no closes the way; emergency=yes, designated or
// permissive, or service=emergency_access, opens it. Otherwise the most
// specific of motorcar, motor_vehicle, vehicle and access that is present
// decides: a value in p.DeniedAccess closes the way, except that, with
// p.BusGates, a way open to buses (bus or psv = yes or designated, or the
// value bus or psv itself) stays open; the value emergency, and any value
// not in p.DeniedAccess, leaves it open. Conditional (…:conditional) and
// directional (…:forward, oneway:bus) access tags are out of scope and
// ignored.
//
// Speed: the rule in the Profile documentation, per direction, with the
// posted limits of WayMaxspeed.
//
// Way assumes p is valid (Validate); with an invalid profile it does not
// panic, but its answers are unspecified.
func (p *Profile) Way(tags osmdata.Tags) (WayInfo, bool) {
	if p == nil {
		return WayInfo{}, false
	}
	hw := tagValue(tags, "highway")
	classKmh, ok := p.Speeds[hw]
	if !ok || hw == "" {
		return WayInfo{}, false
	}
	if isYes(tags.Find("area")) {
		return WayInfo{}, false
	}
	if c := tagValue(tags, "construction"); c != "" && !constructionOpen[c] {
		return WayInfo{}, false
	}
	if isYes(tags.Find("impassable")) || tagValue(tags, "status") == "impassable" {
		return WayInfo{}, false
	}
	if !p.open(tags) {
		return WayInfo{}, false
	}

	fwd, bwd := true, true
	switch tagValue(tags, "oneway") {
	case "yes", "true", "1":
		bwd = false
	case "-1", "reverse":
		fwd = false
	case "no", "false", "0", "alternating":
	case "reversible":
		return WayInfo{}, false
	default:
		if j := tagValue(tags, "junction"); hw == "motorway" || j == "roundabout" || j == "circular" {
			bwd = false
		}
	}

	info := WayInfo{Class: highwayClass[hw], Name: wayName(tags)}
	limF, limB := WayMaxspeed(tags)
	if fwd {
		info.ForwardKmh = p.speed(classKmh, limF)
	}
	if bwd {
		info.BackwardKmh = p.speed(classKmh, limB)
	}
	if info.ForwardKmh == 0 && info.BackwardKmh == 0 {
		return WayInfo{}, false
	}
	return info, true
}

// speed applies the speed rule to a class speed and a posted limit (0
// when unknown), both in km/h. It returns 0 when the result is not a
// usable speed, which only an invalid profile can cause.
func (p *Profile) speed(classKmh, limitKmh float64) float64 {
	s := classKmh
	if limitKmh > 0 {
		s = min(s, limitKmh*p.EmergencyFactor)
	}
	s = min(s, p.MaxSpeedKmh, road.MaxSpeedKmh)
	if !(s >= road.MinSpeedKmh) {
		return 0
	}
	return s
}

// open reports whether the access tags of a way let the vehicle in.
func (p *Profile) open(tags osmdata.Tags) bool {
	switch tagValue(tags, "emergency") {
	case "no":
		return false
	case "yes", "designated", "permissive":
		return true
	}
	if tagValue(tags, "service") == "emergency_access" {
		return true
	}
	a := carAccess(tags)
	if a == "emergency" || !slices.Contains(p.DeniedAccess, a) {
		return true
	}
	return p.BusGates && (a == "bus" || a == "psv" || busOpen(tagValue(tags, "bus")) || busOpen(tagValue(tags, "psv")))
}

// busOpen reports whether a bus or psv value lets buses through.
func busOpen(v string) bool { return v == "yes" || v == "designated" }

// carAccess returns the value of the most specific access key for a car
// that is present, or "".
func carAccess(tags osmdata.Tags) string {
	for _, k := range accessKeys {
		if v := tagValue(tags, k); v != "" {
			return v
		}
	}
	return ""
}

// BlocksPassage reports whether a node with these tags stops the vehicle.
// Only barriers block: a node with no barrier tag (or barrier=no) never
// does. A barrier blocks when:
//
//   - the node is tagged emergency=no, whatever the barrier; or
//   - its barrier value is in p.BlockingBarriers, unless the node is
//     also tagged emergency=yes, designated or permissive, or its most
//     specific access tag (motorcar, motor_vehicle, vehicle, access) is
//     yes, permissive or designated.
//
// Other barriers (gates, lift gates, cattle grids, ...) are passable
// whatever their access tags: a crew can open a gate, and whether one is
// locked is not reliably mapped. Bus tags do not open barriers: the
// bollards of a bus gate rise for buses, not for cars.
func (p *Profile) BlocksPassage(tags osmdata.Tags) bool {
	if p == nil {
		return false
	}
	b := tagValue(tags, "barrier")
	if b == "" || b == "no" {
		return false
	}
	e := tagValue(tags, "emergency")
	if e == "no" {
		return true
	}
	if !slices.Contains(p.BlockingBarriers, b) {
		return false
	}
	if e == "yes" || e == "designated" || e == "permissive" {
		return false
	}
	switch carAccess(tags) {
	case "yes", "permissive", "designated":
		return false
	}
	return true
}

// wayName returns the ref of a way, else its name, else "".
func wayName(tags osmdata.Tags) string {
	if ref := strings.TrimSpace(tags.Find("ref")); ref != "" {
		return ref
	}
	return strings.TrimSpace(tags.Find("name"))
}

// tagValue returns the value of key k, trimmed and lower-cased.
func tagValue(tags osmdata.Tags, k string) string {
	return strings.ToLower(strings.TrimSpace(tags.Find(k)))
}
