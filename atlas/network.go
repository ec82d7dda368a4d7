package atlas

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// Source is the Meta.Source of every built-in network.
const Source = "built-in (shared/domain/geography.md)"

// ConnectorRoad is the name of the segments that join a site the link
// table leaves out to its nearest settlement.
const ConnectorRoad = "local roads (estimated)"

const (
	// snapLimit is Meta.SnapLimit, metres. The strategic network leaves
	// out minor roads, and with no boundary polygon it cannot know where
	// the county ends, so the limit must let any position in the county
	// snap. Inside the outline of each area's places no point is more than
	// 7.1 km (Wiltshire, by the Donheads between Mere and Tollard Royal) or 10.5 km (Kent, Romney Marsh)
	// from a link, as TestSnapLimitCoversArea measures; the county reaches
	// a few km beyond that outline. 20 km covers both with a margin, and
	// also accepts positions just over the county boundary.
	snapLimit = 20000

	// localDetour is the detour factor of roads the network leaves out:
	// the file's factor for secondary and minor roads (geography.md
	// header). It lengthens the connectors and slows the access legs.
	localDetour = 1.3
)

// roadClass maps a link class to the road class of its segments.
func roadClass(class string) (road.Class, bool) {
	switch class {
	case "motorway":
		return road.ClassMotorway, true
	case "trunk":
		return road.ClassTrunk, true
	case "primary":
		return road.ClassPrimary, true
	case "secondary":
		return road.ClassSecondary, true
	case "minor":
		return road.ClassUnclassified, true
	}
	return road.ClassOther, false
}

// node is a settlement, site or key site as a network node and place.
type node struct {
	id    string
	names [2]string // short and full name, besides id
	place road.Place
}

// nodes returns the area's nodes in order (settlements, sites, key sites),
// checking that no id or name could mean two of them.
func (a *Area) nodes() ([]node, error) {
	var out []node
	for _, s := range a.Settlements {
		out = append(out, node{s.ID, [2]string{s.ShortName, s.Name}, road.Place{
			Name: s.ShortName, Kind: s.PlaceKind, Point: s.Point, Population: s.Population,
		}})
	}
	for _, s := range a.Sites {
		kind := "police"
		if s.State != SiteOpen {
			kind += " (" + s.State.String() + ")"
		}
		out = append(out, node{s.ID, [2]string{s.ShortName, s.Name}, road.Place{Name: s.ShortName, Kind: kind, Point: s.Point}})
	}
	for _, s := range a.KeySites {
		kind, _, _ := strings.Cut(s.Role, " (")
		out = append(out, node{s.ID, [2]string{s.ShortName, s.Name}, road.Place{Name: s.ShortName, Kind: kind, Point: s.Point}})
	}
	owner := make(map[string]int)
	for i, n := range out {
		if n.place.Name == "" {
			return nil, fmt.Errorf("atlas: %s: %q has no name", a.ID, n.id)
		}
		if !n.place.Point.Valid() {
			return nil, fmt.Errorf("atlas: %s: %q has invalid position %v", a.ID, n.id, n.place.Point)
		}
		for _, k := range []string{n.id, n.names[0], n.names[1]} {
			k = strings.ToLower(k)
			if j, ok := owner[k]; ok && j != i {
				return nil, fmt.Errorf("atlas: %s: %q names both %q and %q", a.ID, k, out[j].id, n.id)
			}
			owner[k] = i
		}
		// The id and the full name resolve too (road.Graph.FindPlace).
		for _, k := range []string{n.id, n.names[1]} {
			if !strings.EqualFold(k, n.place.Name) && !slices.Contains(out[i].place.Aliases, k) {
				out[i].place.Aliases = append(out[i].place.Aliases, k)
			}
		}
	}
	return out, nil
}

// Find returns the place a user means by name: a settlement or site id
// ("rwb"), short name ("Durrington", "Wiltshire Police HQ (Devizes)") or
// full name ("Wiltshire Police HQ, London Road, Devizes"), ignoring case
// and surrounding spaces. The place is the one Network records.
func (a *Area) Find(name string) (road.Place, bool) {
	ns, err := a.nodes()
	if err != nil {
		return road.Place{}, false
	}
	name = strings.TrimSpace(name)
	for _, n := range ns {
		if strings.EqualFold(name, n.id) || strings.EqualFold(name, n.names[0]) || strings.EqualFold(name, n.names[1]) {
			return n.place, true
		}
	}
	return road.Place{}, false
}

// Network builds the area's strategic road network. Each call returns a
// new graph.
//
// There is a node per settlement, site and key site, in that order, each
// recorded as a road.Place named by its short name. Every link becomes a
// segment of length EstRoadKm, drivable both ways at BlueLightKmh(Class),
// straight, named by its Road. A site that no link reaches (every
// Wiltshire police site) is joined to its nearest settlement by a
// ConnectorRoad segment of the straight-line distance × 1.3, at the urban
// speed (35 km/h). Closed and planned sites are kept and connected like
// open ones, so that they can be routed to and studied as candidate bases;
// their place Kind says "police (closed)" or "police (planned)" ("police
// (unverified)" for sites whose current status is unknown).
//
// Positions off the network snap up to 20 km from it, and the straight
// leg to the network is timed at 45/1.3 ≈ 34.6 km/h: the minor-road
// speed over the minor-road detour factor.
//
// Network returns an error if a link names an unknown place or class, if
// two places share a name, or if some place cannot reach every other.
func (a *Area) Network() (*road.Graph, error) {
	if _, err := load(); err != nil {
		return nil, err
	}
	ns, err := a.nodes()
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, fmt.Errorf("atlas: %s: no places", a.ID)
	}
	minor, ok1 := BlueLightKmh("minor")
	urban, ok2 := BlueLightKmh("urban")
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("atlas: speed table lacks the minor or urban class")
	}
	b := road.Builder{Meta: road.Meta{
		Name:   a.ID,
		Source: Source,
		Note: "Built-in strategic road network: road distances are straight-line distances × 1.2–1.3 " +
			"and speeds are assumed blue-light averages (geography.md " + a.linkSectionOf() + ", §5.2), " +
			"so treat times as estimates.",
		// GeoNames (CC BY 4.0) supplied many positions, but a few dozen
		// town coordinates are facts, not a substantial part of the
		// database, so results need carry no notice; doc.go credits it.
		Attribution: "",
		Profile:     "blue-light",
		SnapLimit:   snapLimit,
		// Off the network a car drives minor roads, 45 km/h along a road
		// 1.3 times the straight line: 45/1.3 ≈ 34.6 km/h straight-line.
		AccessKmh: minor / localDetour,
	}}
	idx := make(map[string]int32, len(ns))
	for _, n := range ns {
		idx[n.id] = b.AddNode(n.place.Point)
		b.AddPlace(n.place)
	}
	linked := make(map[string]bool)
	for i, l := range a.Links {
		from, ok1 := idx[l.From]
		to, ok2 := idx[l.To]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("atlas: %s: link %d (%s-%s): unknown end", a.ID, i+1, l.From, l.To)
		}
		kmh, ok1 := BlueLightKmh(l.Class)
		class, ok2 := roadClass(l.Class)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("atlas: %s: link %d (%s-%s): unknown class %q", a.ID, i+1, l.From, l.To, l.Class)
		}
		if !(l.EstRoadKm > 0) {
			return nil, fmt.Errorf("atlas: %s: link %d (%s-%s): length %g km", a.ID, i+1, l.From, l.To, l.EstRoadKm)
		}
		err := b.AddSegment(road.Segment{
			From: from, To: to,
			Length:     l.EstRoadKm * 1000,
			ForwardKmh: kmh, BackwardKmh: kmh,
			Class: class,
			Name:  l.Road,
		})
		if err != nil {
			return nil, fmt.Errorf("atlas: %s: link %d (%s-%s): %w", a.ID, i+1, l.From, l.To, err)
		}
		linked[l.From], linked[l.To] = true, true
	}
	for _, s := range slices.Concat(a.Sites, a.KeySites) {
		if linked[s.ID] {
			continue
		}
		near, d, ok := a.nearestSettlement(s.Point)
		if !ok {
			return nil, fmt.Errorf("atlas: %s: site %q: no settlement to connect to", a.ID, s.ID)
		}
		err := b.AddSegment(road.Segment{
			From: idx[s.ID], To: idx[near.ID],
			Length:     d * localDetour,
			ForwardKmh: urban, BackwardKmh: urban,
			Class: road.ClassResidential,
			Name:  ConnectorRoad,
		})
		if err != nil {
			return nil, fmt.Errorf("atlas: %s: site %q: %w", a.ID, s.ID, err)
		}
	}
	g := b.Graph()
	if _, st := road.LargestComponent(g); st.DroppedNodes > 0 {
		comp, _ := road.Components(g)
		big := largest(comp)
		var cut []string
		for v, c := range comp {
			if c != big {
				cut = append(cut, ns[v].id)
			}
		}
		return nil, fmt.Errorf("atlas: %s: %d places cannot reach the rest both ways: %s",
			a.ID, len(cut), strings.Join(cut, ", "))
	}
	return g, nil
}

// largest returns the label of the biggest component, the lowest label
// on a tie (as road.LargestComponent chooses).
func largest(comp []int32) int32 {
	var size []int
	for _, c := range comp {
		for int(c) >= len(size) {
			size = append(size, 0)
		}
		size[c]++
	}
	best := 0
	for c := range size {
		if size[c] > size[best] {
			best = c
		}
	}
	return int32(best)
}

// nearestSettlement returns the settlement nearest p and its great-circle
// distance in metres; ties go to the earlier settlement.
func (a *Area) nearestSettlement(p geo.Point) (Settlement, float64, bool) {
	best, bestD := -1, 0.0
	for i, s := range a.Settlements {
		if d := geo.Distance(p, s.Point); best < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return Settlement{}, 0, false
	}
	return a.Settlements[best], bestD, true
}

// linkSectionOf returns the section of geography.md that holds the
// area's link table.
func (a *Area) linkSectionOf() string {
	if a.linkSection != "" {
		return a.linkSection
	}
	return "§3, §4.4"
}
