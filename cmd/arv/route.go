package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

const routeUsage = `route --from LAT,LON|PLACE --to LAT,LON|PLACE [--graph FILE | --network NAME] [--format text|json|geojson]

Prints the fastest blue-light route: time (m:ss), distance (km), the roads
used and, with --format json or geojson, the geometry.`

func runRoute(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("route", routeUsage)
	var nf networkFlags
	nf.register(fs)
	from := fs.String("from", "", "start: `LAT,LON` or a place name")
	to := fs.String("to", "", "destination: `LAT,LON` or a place name")
	format := fs.String("format", "text", "output `format`: text, json or geojson")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usagef("--from and --to are required")
	}
	switch *format {
	case "text", "json", "geojson":
	default:
		return usagef("unknown --format %q (text, json or geojson)", *format)
	}
	rt, err := nf.load(ctx)
	if err != nil {
		return err
	}
	g := rt.Road()
	fromLoc, a, err := nf.snapLocation(g, "from", *from)
	if err != nil {
		return err
	}
	toLoc, b, err := nf.snapLocation(g, "to", *to)
	if err != nil {
		return err
	}
	p, err := rt.Route(a, b)
	if errors.Is(err, road.ErrNoRoute) {
		return fmt.Errorf("no route from %s to %s on this network", fromLoc.Label, toLoc.Label)
	} else if err != nil {
		return err
	}
	r := newRouteReport(g, fromLoc, toLoc, p)
	switch *format {
	case "json":
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "geojson":
		return writeJSON(m.Stdout, r.feature())
	}
	r.text(m)
	return nil
}

// routeReport is a route as printed.
type routeReport struct {
	From        endReport    `json:"from"`
	To          endReport    `json:"to"`
	Time        string       `json:"time"`        // m:ss
	Seconds     float64      `json:"seconds"`     // travel time
	DistanceKm  float64      `json:"distance_km"` // on the network
	Via         []string     `json:"via"`
	Network     string       `json:"network"`
	Note        string       `json:"note,omitempty"`
	Attribution string       `json:"attribution,omitempty"`
	Geometry    [][2]float64 `json:"geometry"` // [lon, lat] pairs, GeoJSON order
	// Straight marks a straight off-network leg between nearby positions
	// on a sparse network.
	Straight  bool `json:"straight,omitempty"`
	accessKmh float64
}

type endReport struct {
	Name       string     `json:"name"`
	Asked      [2]float64 `json:"asked"`   // [lon, lat]
	Snapped    [2]float64 `json:"snapped"` // [lon, lat]
	SnapMetres float64    `json:"snap_m"`  // straight-line distance between them
	Road       string     `json:"road,omitempty"`
	isCoords   bool
}

func lonLat(p geo.Point) [2]float64 {
	return [2]float64{round7(p.Lon), round7(p.Lat)}
}

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

func newRouteReport(g *road.Graph, from, to location, p road.Path) *routeReport {
	end := func(l location, s road.Snap) endReport {
		e := endReport{Name: l.Label, Asked: lonLat(s.Query), Snapped: lonLat(s.Point), SnapMetres: math.Round(s.Dist), isCoords: l.Place == nil}
		if s.Offset > 0 && s.Offset < 1 { // on a road, not at a junction
			e.Road = g.SegmentName(s.Segment)
		}
		return e
	}
	r := &routeReport{
		From: end(from, p.From), To: end(to, p.To),
		Time:        minSec(p.Time),
		Seconds:     math.Round(float64(p.Time)) / 1000,
		DistanceKm:  math.Round(p.Length) / 1000,
		Via:         g.Via(p, 6, 0.05),
		Network:     describe(g),
		Note:        g.Meta.Note,
		Attribution: g.Meta.Attribution,
		Straight:    p.Straight,
		accessKmh:   g.Meta.AccessKmh,
	}
	if r.Via == nil {
		r.Via = []string{}
	}
	for _, q := range p.Points {
		r.Geometry = append(r.Geometry, lonLat(q))
	}
	return r
}

func (r *routeReport) text(m *Main) {
	w := m.Stdout
	fmt.Fprintf(w, "From      %s\n", r.endText(r.From))
	fmt.Fprintf(w, "To        %s\n", r.endText(r.To))
	fmt.Fprintf(w, "Time      %s (m:ss)\n", r.Time)
	fmt.Fprintf(w, "Distance  %.1f km\n", r.DistanceKm)
	if len(r.Via) > 0 {
		fmt.Fprintf(w, "Via       %s\n", strings.Join(r.Via, ", "))
	}
	if r.Straight {
		fmt.Fprintf(w, "Via       a straight line off the network (the positions are near each other; timed at %.0f km/h)\n", r.accessKmh)
	}
	fmt.Fprintf(w, "Geometry  %d points (--format geojson or json to print them)\n", len(r.Geometry))
	fmt.Fprintf(w, "Network   %s\n", r.Network)
	if r.Note != "" {
		fmt.Fprintf(w, "Note      %s\n", r.Note)
	}
	if r.Attribution != "" {
		fmt.Fprintf(w, "Data      %s\n", r.Attribution)
	}
}

func (r *routeReport) endText(e endReport) string {
	s := fmt.Sprintf("%.5f,%.5f", e.Asked[1], e.Asked[0])
	if e.Name != "" && !e.isCoords {
		s = fmt.Sprintf("%s (%s)", e.Name, s)
	}
	if e.SnapMetres >= 1 {
		s += fmt.Sprintf(", %.0f m from the road", e.SnapMetres)
		if r.accessKmh > 0 {
			s += fmt.Sprintf(" (timed at %.0f km/h)", r.accessKmh)
		}
	}
	if e.Road != "" {
		s += ", joining " + e.Road
	}
	return s
}

func (r *routeReport) feature() *geojson.FeatureCollection {
	line := make(orb.LineString, len(r.Geometry))
	for i, c := range r.Geometry {
		line[i] = orb.Point(c)
	}
	f := geojson.NewFeature(line)
	f.Properties = geojson.Properties{
		"from": r.From.Name, "to": r.To.Name,
		"time": r.Time, "seconds": r.Seconds, "distance_km": r.DistanceKm,
		"via": r.Via, "network": r.Network,
	}
	fc := geojson.NewFeatureCollection()
	fc.Append(f)
	for _, e := range []endReport{r.From, r.To} {
		pf := geojson.NewFeature(orb.Point(e.Asked))
		pf.Properties = geojson.Properties{"name": e.Name, "snap_m": e.SnapMetres}
		fc.Append(pf)
	}
	fc.ExtraMembers = geojson.Properties{}
	if r.Note != "" {
		fc.ExtraMembers["note"] = r.Note
	}
	if r.Attribution != "" {
		fc.ExtraMembers["attribution"] = r.Attribution
	}
	return fc
}
