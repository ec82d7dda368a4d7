package atlas

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arv-project/arv/geo"
)

// Area is one force area: its settlements, police sites, other key sites
// and strategic road links, as tabled in geography.md. An Area returned by
// Lookup is the caller's own copy.
type Area struct {
	// ID is the short lower-case key ("wiltshire", "kent").
	ID string
	// Name is the force area's name ("Wiltshire Police area").
	Name string
	// Covers says which local authorities make up the area, from the
	// section heading ("Wiltshire Council area plus the Borough of
	// Swindon").
	Covers string

	// AreaKm2 is the force area in square kilometres, from the area_km2
	// row of the area table (geography.md §1.1, §4.1).
	AreaKm2 float64
	// AreaSource lists the source ids cited for AreaKm2 ("S1, S2").
	AreaSource string
	// Population is the 2021 census population of the force area (people),
	// from the population_2021_census_force_area row.
	Population int
	// PopulationSource lists the source ids cited by the rows that
	// Population is the sum of ("S33, S34, S35").
	PopulationSource string
	// PopulationApprox is true when Population is marked "≈" in the file:
	// Kent's county figure is derived, not found (geography.md §4.1, §7).
	PopulationApprox bool
	// Facts are the rows of the area table, verbatim.
	Facts []Fact

	// Settlements are the towns and villages, in the file's order (by
	// population, largest first). Their populations add up to well under
	// Population: the rest live in smaller villages (geography.md §1.2).
	Settlements []Settlement
	// Sites are the police estate: stations, HQ, custody suites, including
	// closed and planned ones (see Site.State).
	Sites []Site
	// KeySites are other places the file lists with the police sites,
	// such as Kent's protected sites where armed patrols deploy (Canterbury
	// Cathedral, Port of Dover). Empty for Wiltshire.
	KeySites []Site
	// Links are the strategic road links between settlements and sites.
	Links []Link

	linkSection string // "§3": where the file tables the links
}

// Fact is a row of an area table (geography.md §1.1, §4.1), verbatim.
type Fact struct {
	Quantity string // "area_km2", "population_2021_census_force_area", ...
	Value    string // "3485", "≈ 1,855,900"
	Source   string // prose with bracketed source ids ("... [S1]")
}

// Settlement is a town or village: a demand point and a road-graph node.
type Settlement struct {
	// ID is the stable lower-case key used by the link table ("rwb").
	ID string
	// Name is the file's name, with its qualifier
	// ("Durrington (incl. Larkhill)").
	Name string
	// ShortName is Name without a bracketed qualifier ("Durrington"): what
	// a user types, and the road.Place name.
	ShortName string
	// Authority is the unitary authority ("Wiltshire", "Swindon"); empty
	// for Kent, whose table has no authority column.
	Authority string
	// Point is the position (WGS84 degrees, 4 decimals, about 10 m).
	Point geo.Point
	// Population is the number of residents (civil parish unless the name
	// says otherwise; Kent figures are GeoNames town figures, for relative
	// weighting only).
	Population int
	// PopYear is the year of the population figure: "2021", "2011",
	// "2001", "unstated" or "approx".
	PopYear string
	// PopSource is the population's source: "S3".."S32" (geography.md §6),
	// "GN" (GeoNames) or "GK" (general knowledge, approximate).
	PopSource string
	// CoordSource is the position's source: "G" (GeoNames), "W" (Wikipedia
	// infobox) or "GK" (general knowledge, ±0.5–1 km).
	CoordSource string
	// Kind is the file's description ("large village / garrison").
	Kind string
	// PlaceKind is Kind reduced to "city", "town", "village", "hamlet" or,
	// if none of those words appears, "settlement".
	PlaceKind string
}

// SiteState is what a site's status says about its use today.
type SiteState uint8

// Site states.
const (
	// SiteOpen: in use.
	SiteOpen SiteState = iota
	// SiteUnverified: open when last reported, but its current status was
	// not checked (geography.md §7: Warminster, Royal Wootton Bassett).
	SiteUnverified
	// SiteClosed: no longer in use.
	SiteClosed
	// SitePlanned: not yet built; its position is one reported option.
	SitePlanned
)

var stateNames = [...]string{
	SiteOpen:       "open",
	SiteUnverified: "unverified",
	SiteClosed:     "closed",
	SitePlanned:    "planned",
}

// String returns "open", "unverified", "closed" or "planned".
func (s SiteState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("SiteState(%d)", uint8(s))
}

// Site is a police site (station, HQ, custody suite) or another key site.
type Site struct {
	// ID is the stable lower-case key ("wp_hq_devizes").
	ID string
	// Name is the file's full name
	// ("Wiltshire Police HQ, London Road, Devizes").
	Name string
	// ShortName is a short readable name ("Wiltshire Police HQ (Devizes)"):
	// what a user types, and the road.Place name. It is chosen in this
	// package, not taken from the file.
	ShortName string
	// Role lists what the site does: the role column for Wiltshire, the
	// kind column for Kent ("police HQ", "protected site").
	Role string
	// Status is the status column, verbatim ("closed by end of Apr 2025");
	// empty for Kent, whose table has none.
	Status string
	// State is Status read as open, unverified, closed or planned. A site
	// without a status is taken as open: the Kent table lists only sites
	// in use (geography.md §4.1).
	State SiteState
	// Point is the position (WGS84 degrees). Every police-site position in
	// the file is general knowledge, approximate (±0.5–1 km).
	Point geo.Point
	// CoordSource is the position's source ("GK", "GK (High Post option)").
	CoordSource string
	// FactSource lists the sources for the role and status ("S37, S38");
	// empty for Kent, whose table has no such column (the sites are
	// confirmed by the sources cited in geography.md §4.1).
	FactSource string
}

// Link is a strategic road link between two settlements or sites, drivable
// both ways.
type Link struct {
	// From and To are settlement or site ids.
	From, To string
	// FromName and ToName are the file's names of the two ends.
	FromName, ToName string
	// Road is the road number and route ("A3102 (via M4 J16)"), general
	// knowledge, approximate.
	Road string
	// Class is "motorway", "trunk", "primary", "secondary" or "minor"
	// (general knowledge).
	Class string
	// StraightKm is the great-circle distance between the ends, km.
	StraightKm float64
	// EstRoadKm is the estimated road distance, km: StraightKm times
	// Factor. No road-distance source was found (geography.md §3).
	EstRoadKm float64
	// Factor is the detour factor: 1.2 for motorway and trunk, 1.25 for
	// primary, 1.3 for secondary and minor.
	Factor float64
}

// Speed is a row of the blue-light speed table (geography.md §5.2). The
// values are general knowledge, not sourced: the file found no UK source
// giving blue-light average speeds by road class.
type Speed struct {
	// Class is a link class, or "urban" for town streets.
	Class string
	// TypicalLimitMph is the usual speed limit, as written ("60–70").
	TypicalLimitMph string
	// LowKmh, TypicalKmh and HighKmh are average driving speeds under
	// blue lights, km/h, excluding mobilisation.
	LowKmh, TypicalKmh, HighKmh float64
	// Note says where the class applies.
	Note string
}

// Names returns the ids of the built-in areas, sorted: "kent",
// "wiltshire".
func Names() []string {
	names := make([]string, len(builtin))
	for i, s := range builtin {
		names[i] = s.id
	}
	slices.Sort(names)
	return names
}

// Lookup returns a copy of the built-in area called name ("wiltshire",
// "Kent"; case and surrounding spaces are ignored).
func Lookup(name string) (*Area, error) {
	c, err := load()
	if err != nil {
		return nil, err
	}
	key := strings.ToLower(strings.TrimSpace(name))
	a, ok := c.areas[key]
	if !ok {
		return nil, fmt.Errorf("atlas: unknown area %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return a.clone(), nil
}

// Speeds returns the rows of the blue-light speed table. It returns nil
// only if the embedded data is corrupt, which the package tests rule out.
func Speeds() []Speed {
	c, err := load()
	if err != nil {
		return nil
	}
	return slices.Clone(c.speeds)
}

// BlueLightKmh returns the typical blue-light average speed in km/h for a
// link class ("motorway" 110, "trunk" 95, "primary" 75, "secondary" 60,
// "minor" 45) or for "urban" streets (35), from geography.md §5.2. Those
// speeds are general knowledge, not sourced. It returns false for an
// unknown class.
func BlueLightKmh(class string) (float64, bool) {
	c, err := load()
	if err != nil {
		return 0, false
	}
	for _, s := range c.speeds {
		if s.Class == class {
			return s.TypicalKmh, true
		}
	}
	return 0, false
}

// Settlement returns the settlement with the given id.
func (a *Area) Settlement(id string) (Settlement, bool) {
	for _, s := range a.Settlements {
		if s.ID == id {
			return s, true
		}
	}
	return Settlement{}, false
}

// Site returns the police site or key site with the given id.
func (a *Area) Site(id string) (Site, bool) {
	for _, s := range a.Sites {
		if s.ID == id {
			return s, true
		}
	}
	for _, s := range a.KeySites {
		if s.ID == id {
			return s, true
		}
	}
	return Site{}, false
}

// OpenSites returns the police sites whose State is SiteOpen, the
// candidates for bases.
func (a *Area) OpenSites() []Site {
	var out []Site
	for _, s := range a.Sites {
		if s.State == SiteOpen {
			out = append(out, s)
		}
	}
	return out
}

func (a *Area) clone() *Area {
	b := *a
	b.Facts = slices.Clone(a.Facts)
	b.Settlements = slices.Clone(a.Settlements)
	b.Sites = slices.Clone(a.Sites)
	b.KeySites = slices.Clone(a.KeySites)
	b.Links = slices.Clone(a.Links)
	return &b
}
