package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/arv-project/arv/road/isochrone"
)

const isochroneUsage = `isochrone --from LAT,LON|PLACE --minutes 10,20,30 [--graph FILE | --network NAME] [--out FILE.geojson]

Writes, as GeoJSON, the areas a blue-light car leaving --from reaches within
each number of minutes: one MultiPolygon feature per band (bands nest), with
its area in km², and a point feature for the start.`

func runIsochrone(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("isochrone", isochroneUsage)
	var nf networkFlags
	nf.register(fs)
	from := fs.String("from", "", "start: `LAT,LON` or a place name")
	mins := fs.String("minutes", "10,20,30", "comma-separated `limits` in minutes")
	out := fs.String("out", "", "write the GeoJSON to `file` (default: standard output)")
	cell := fs.Float64("cell", 0, "grid cell side in `metres` (default: automatic, finer for smaller areas)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("--from is required")
	}
	limits, err := parseMinutes(*mins)
	if err != nil {
		return usagef("--minutes: %v", err)
	}
	if *cell < 0 || math.IsNaN(*cell) {
		return usagef("--cell must be a positive number of metres")
	}
	rt, err := nf.load(ctx)
	if err != nil {
		return err
	}
	g := rt.Road()
	loc, s, err := nf.snapLocation(g, "from", *from)
	if err != nil {
		return err
	}
	times := rt.OneToAll(s)
	bands, err := isochrone.Compute(g, s, times, limits, isochrone.Options{CellSize: *cell})
	if err != nil {
		return err
	}

	fc := geojson.NewFeatureCollection()
	for _, b := range bands {
		var mp orb.MultiPolygon
		for _, poly := range b.Polygons {
			var op orb.Polygon
			for _, ring := range poly {
				r := make(orb.Ring, len(ring))
				for i, p := range ring {
					r[i] = orb.Point{round7(p.Lon), round7(p.Lat)}
				}
				op = append(op, r)
			}
			mp = append(mp, op)
		}
		f := geojson.NewFeature(mp)
		f.Properties = geojson.Properties{
			"minutes":  b.Limit.Minutes(),
			"area_km2": math.Round(b.AreaKm2*10) / 10,
			"from":     loc.Label,
		}
		fc.Append(f)
	}
	start := geojson.NewFeature(orb.Point{round7(s.Query.Lon), round7(s.Query.Lat)})
	start.Properties = geojson.Properties{"name": loc.Label, "snap_m": math.Round(s.Dist)}
	fc.Append(start)
	fc.ExtraMembers = geojson.Properties{"network": describe(g)}
	if g.Meta.Note != "" {
		fc.ExtraMembers["note"] = g.Meta.Note
	}
	if g.Meta.Attribution != "" {
		fc.ExtraMembers["attribution"] = g.Meta.Attribution
	}

	var w io.Writer = m.Stdout
	summary := m.Stderr
	if *out != "" {
		if err := writeFile(*out, func(w io.Writer) error { return writeJSON(w, fc) }); err != nil {
			return err
		}
		summary = m.Stdout
		fmt.Fprintf(summary, "Wrote %s\n", *out)
	} else if err := writeJSON(w, fc); err != nil {
		return err
	}
	fmt.Fprintf(summary, "From %s:", loc.Label)
	for _, b := range bands {
		fmt.Fprintf(summary, "  %g min %.0f km²", b.Limit.Minutes(), b.AreaKm2)
	}
	fmt.Fprintln(summary)
	notes(summary, g)
	return nil
}

// parseMinutes reads "10,20,30" into sorted, distinct durations.
func parseMinutes(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || !(v > 0) || v > 24*60 {
			return nil, fmt.Errorf("%q is not a number of minutes between 0 and 1440", f)
		}
		out = append(out, time.Duration(v*float64(time.Minute)))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no limits given")
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
