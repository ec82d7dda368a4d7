package osm

import (
	"strconv"
	"strings"

	osmdata "github.com/paulmach/osm"
)

// Unit conversions, both exact by definition.
const (
	// KmhPerMph is the number of km/h in one mile per hour: the
	// international mile is 1609.344 m (1959 agreement).
	KmhPerMph = 1.609344
	// KmhPerKnot is the number of km/h in one knot: the international
	// nautical mile is 1852 m.
	KmhPerKnot = 1.852
)

// WalkKmh is the speed, in km/h, that ParseMaxspeed gives for
// maxspeed=walk (and DE:living_street). OpenStreetMap defines "walk" as
// walking pace without a number; 6 km/h, a brisk walk, is an assumption.
const WalkKmh = 6

// Limits of a usable posted speed, in km/h. Values outside them are
// treated as mapping errors. No public road is signed below walking pace
// (the lowest British sign is 5 mph, 8 km/h), so "1" or "3" is a typo, and
// at 1 km/h a long rural way would take more than a day to drive; the
// upper bound is the engine's highest segment speed (road.MaxSpeedKmh).
const (
	minMaxspeedKmh = 5
	maxMaxspeedKmh = 300
)

// Legal limits in Great Britain (GK: Road Traffic Regulation Act 1984
// and the Highway Code speed-limit table), in km/h.
const (
	gbSingleKmh     = 60 * KmhPerMph // national limit, single carriageway
	gbDualKmh       = 70 * KmhPerMph // national limit, dual carriageway and motorway
	gbRestrictedKmh = 30 * KmhPerMph // restricted (street-lit) road in England and Scotland
)

// countryLimits holds the implicit speed limits ("XX:type") that
// ParseMaxspeed understands, in km/h. It is deliberately short: the
// countries around our British data (GB, its alias UK, and IE) and the
// two most common elsewhere in OpenStreetMap (DE, FR). Values are the
// national defaults as listed on the OpenStreetMap wiki page
// "Key:maxspeed" (implicit values) and in OSRM's car profile
// (profiles/car.lua, maxspeed_table); they are general knowledge, not
// checked against legislation. Types not listed, and types meaning "no
// limit" (DE:motorway), give no usable value.
var countryLimits = map[string]float64{
	// Great Britain. GB:nsl_restricted is 30 mph in England and Scotland;
	// Wales lowered restricted roads to 20 mph in September 2023, which
	// the tag does not tell apart.
	"gb:nsl_single":     gbSingleKmh,
	"gb:nsl_dual":       gbDualKmh,
	"gb:motorway":       gbDualKmh,
	"gb:nsl_restricted": gbRestrictedKmh,
	"gb:national":       gbSingleKmh, // the way-level reading refines it, see WayMaxspeed
	// Ireland.
	"ie:urban":    50,
	"ie:rural":    80,
	"ie:national": 100,
	"ie:motorway": 120,
	// Germany. DE:motorway has no general limit (advisory 130 km/h).
	"de:urban":         50,
	"de:rural":         100,
	"de:living_street": WalkKmh,
	// France. FR:rural has been 80 km/h since July 2018; some
	// départements have since restored 90 km/h.
	"fr:urban":    50,
	"fr:rural":    80,
	"fr:motorway": 130,
}

// mphCountries are the country codes whose "XX:zoneNN" and "XX:NN"
// values are in miles per hour ("UK" is read as "GB" before the lookup).
var mphCountries = map[string]bool{"gb": true, "us": true}

// ParseMaxspeed returns the speed limit that an OpenStreetMap maxspeed
// value states, in km/h. ok is false when the value gives no usable
// number: "none" (no limit), "signals" and "variable" (limits shown on
// signs), "unknown", unknown implicit types, garbage, and numbers outside
// 5..300 km/h.
//
// Recognised forms (values are trimmed; letters and units are
// case-insensitive):
//
//   - a bare number, in km/h: "50", "50.5";
//   - a number and a unit, with or without a space: "50 km/h", "50kmh",
//     "50 kph", "30 mph", "30mph", "10 knots" (also "knot", "kn");
//   - British implicit limits: "GB:nsl_single" (60 mph), "GB:nsl_dual"
//     and "GB:motorway" (70 mph), "GB:nsl_restricted" (30 mph),
//     "GB:zone20" and the like (20 mph); "UK:" is read as "GB:";
//   - "national" and "GB:national", the British national limit, which
//     depends on the road: ParseMaxspeed, having no road, returns the
//     single-carriageway 60 mph; WayMaxspeed gives 70 mph on motorways
//     and dual carriageways;
//   - a few other countries' implicit limits, "IE:", "DE:" and "FR:"
//     followed by "urban", "rural", "motorway" and the like (see the
//     table in maxspeed.go), and "XX:zoneNN" or "XX:NN" for a zone of
//     NN km/h (NN mph for GB, UK and US);
//   - "walk", walking pace, WalkKmh;
//   - a semicolon list such as "30;40" (used where a way carries two
//     limits, for example by time or lane): the lowest usable value, so
//     the estimate errs on the slow side.
func ParseMaxspeed(v string) (kmh float64, ok bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if !strings.Contains(v, ";") {
		return parseOneMaxspeed(v)
	}
	for part := range strings.SplitSeq(v, ";") {
		if k, good := parseOneMaxspeed(strings.TrimSpace(part)); good && (!ok || k < kmh) {
			kmh, ok = k, true
		}
	}
	return kmh, ok
}

// parseOneMaxspeed parses a single trimmed, lower-case maxspeed value.
func parseOneMaxspeed(v string) (float64, bool) {
	var kmh float64
	switch {
	case v == "walk":
		kmh = WalkKmh
	case v == "national":
		kmh = gbSingleKmh
	case len(v) > 3 && v[2] == ':' && isLetter(v[0]) && isLetter(v[1]):
		var ok bool
		if kmh, ok = parseImplicit(v[:2], v[3:]); !ok {
			return 0, false
		}
	default:
		num, unit := splitNumber(v)
		n, ok := parseDecimal(num)
		if !ok {
			return 0, false
		}
		switch strings.TrimSpace(unit) {
		case "", "km/h", "kmh", "kph":
			kmh = n
		case "mph":
			kmh = n * KmhPerMph
		case "knots", "knot", "kn":
			kmh = n * KmhPerKnot
		default:
			return 0, false
		}
	}
	if !(kmh >= minMaxspeedKmh && kmh <= maxMaxspeedKmh) {
		return 0, false
	}
	return kmh, true
}

// parseImplicit reads the implicit limit "cc:typ" for country code cc.
func parseImplicit(cc, typ string) (float64, bool) {
	if cc == "uk" {
		cc = "gb"
	}
	if kmh, ok := countryLimits[cc+":"+typ]; ok {
		return kmh, true
	}
	// "zone30", "zone:30" and a bare "30" name a zone limit in the
	// country's unit.
	num := strings.TrimPrefix(strings.TrimPrefix(typ, "zone"), ":")
	n, ok := parseDecimal(num)
	if !ok {
		return 0, false
	}
	if mphCountries[cc] {
		return n * KmhPerMph, true
	}
	return n, true
}

// splitNumber splits v after its leading run of digits and dots.
func splitNumber(v string) (num, rest string) {
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	return v[:i], v[i:]
}

// parseDecimal parses digits with an optional fraction ("50", "50.5"),
// and nothing else: no sign, exponent, hex, underscores or infinities.
func parseDecimal(s string) (float64, bool) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(whole) || hasDot && !allDigits(frac) {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// WayMaxspeed returns the posted speed limits of a way in its forward
// and backward directions (the direction of its nodes and the opposite),
// in km/h; 0 means no usable limit in that direction.
//
// For each direction the first usable value wins, in this order:
// maxspeed:forward (or maxspeed:backward), maxspeed, maxspeed:type,
// source:maxspeed, zone:maxspeed. British mappers often record the kind
// of limit ("GB:nsl_single", "GB:zone20") in maxspeed:type or
// source:maxspeed beside or instead of a number.
//
// "national", "GB:national" and "UK:national" take the road into account,
// as British law does: 70 mph on a motorway or motorway link and on a dual
// carriageway (dual_carriageway=yes, or a oneway trunk or primary road,
// which in British data is almost always one carriageway of a dual
// carriageway), else 60 mph.
func WayMaxspeed(tags osmdata.Tags) (forward, backward float64) {
	base := 0.0
	for _, k := range [...]string{"maxspeed", "maxspeed:type", "source:maxspeed", "zone:maxspeed"} {
		if kmh, ok := wayValue(tags, k); ok {
			base = kmh
			break
		}
	}
	forward, backward = base, base
	if kmh, ok := wayValue(tags, "maxspeed:forward"); ok {
		forward = kmh
	}
	if kmh, ok := wayValue(tags, "maxspeed:backward"); ok {
		backward = kmh
	}
	return forward, backward
}

// wayValue parses the maxspeed-like tag k of a way, reading the national
// limit in the way's context.
func wayValue(tags osmdata.Tags, k string) (float64, bool) {
	v := strings.ToLower(strings.TrimSpace(tags.Find(k)))
	switch v {
	case "":
		return 0, false
	case "national", "gb:national", "uk:national":
		return nationalLimit(tags), true
	}
	return ParseMaxspeed(v)
}

// nationalLimit returns the British national speed limit for a way.
func nationalLimit(tags osmdata.Tags) float64 {
	hw := tags.Find("highway")
	if hw == "motorway" || hw == "motorway_link" {
		return gbDualKmh
	}
	if isYes(tags.Find("dual_carriageway")) {
		return gbDualKmh
	}
	if hw == "trunk" || hw == "primary" {
		switch strings.ToLower(strings.TrimSpace(tags.Find("oneway"))) {
		case "yes", "true", "1", "-1", "reverse":
			return gbDualKmh
		}
	}
	return gbSingleKmh
}

// isYes reports whether an OpenStreetMap boolean value is true.
func isYes(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "1":
		return true
	}
	return false
}
