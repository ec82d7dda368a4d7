package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/ch"
)

// networkFlags choose the road network a command runs on.
type networkFlags struct {
	graph     string
	network   string
	snapLimit float64
	fs        *flagSet
}

func (nf *networkFlags) register(fs *flagSet) {
	nf.fs = fs
	fs.StringVar(&nf.graph, "graph", "", "road graph `file` built by \"arv graph build\" (default: the built-in network)")
	fs.StringVar(&nf.network, "network", "wiltshire", "built-in strategic `network` used without --graph: "+strings.Join(atlas.Names(), " or "))
	fs.Float64Var(&nf.snapLimit, "snap-limit", 0, "furthest a position may be from a road, in `metres` (default: the network's own: 2000 for OSM graphs, 20000 for built-in networks)")
}

// load returns a router over the chosen network.
func (nf *networkFlags) load(ctx context.Context) (*ch.Router, error) {
	if nf.graph != "" && nf.fs.explicit("network") {
		return nil, usagef("give --graph or --network, not both")
	}
	if nf.snapLimit < 0 || math.IsNaN(nf.snapLimit) {
		return nil, usagef("--snap-limit must be a positive number of metres")
	}
	if nf.graph != "" {
		return load.GraphFile(nf.graph)
	}
	return nf.loadBuiltin(ctx)
}

// loadBuiltin builds the hierarchy of the built-in network nf.network.
func (nf *networkFlags) loadBuiltin(ctx context.Context) (*ch.Router, error) {
	if _, err := atlas.Lookup(nf.network); err != nil {
		return nil, usagef("--network: %v", err)
	}
	return load.Builtin(ctx, nf.network)
}

// location is a position given on the command line.
type location struct {
	Label string      // what the user typed, or the place's name
	Point geo.Point   // the position asked for
	Place *road.Place // the named place, if it was one
}

// resolve reads "LAT,LON" or a place name of g.
func resolve(g *road.Graph, s string) (location, error) {
	p, label, err := g.Resolve(s)
	if err != nil {
		return location{}, err
	}
	if label == p.String() {
		return location{Label: label, Point: p}, nil
	}
	pl, _ := g.FindPlace(s)
	return location{Label: label, Point: p, Place: &pl}, nil
}

// snapLocation resolves and snaps s, naming the flag in errors.
func (nf *networkFlags) snapLocation(g *road.Graph, flagName, s string) (location, road.Snap, error) {
	loc, err := resolve(g, s)
	if err != nil {
		return location{}, road.Snap{}, fmt.Errorf("--%s: %w", flagName, err)
	}
	sn, err := g.Snap(loc.Point, nf.snapLimit)
	if err != nil {
		if loc.Place == nil {
			return location{}, road.Snap{}, fmt.Errorf("--%s: %w", flagName, err)
		}
		return location{}, road.Snap{}, fmt.Errorf("--%s %s: %w", flagName, loc.Label, err)
	}
	return loc, sn, nil
}

// describe returns a one-line description of the network for reports.
func describe(g *road.Graph) string {
	m := g.Meta
	if m.Source == "" || m.Source == m.Name {
		return m.Name
	}
	return m.Name + ": " + m.Source
}

// notes writes the network's caveat and licence notice, if any.
func notes(w io.Writer, g *road.Graph) {
	if g.Meta.Note != "" {
		fmt.Fprintln(w, "Note:", g.Meta.Note)
	}
	if g.Meta.Attribution != "" {
		fmt.Fprintln(w, "Data:", g.Meta.Attribution)
	}
}

// minSec formats milliseconds as m:ss, rounded to the second.
func minSec(ms uint32) string {
	s := int64(math.Round(float64(ms) / 1000))
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// minutes returns milliseconds as minutes.
func minutes(ms uint32) float64 { return float64(ms) / 60000 }
