package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/ch"
)

// roadRouter is the arv.Router the domain and the simulator use, over a
// contraction hierarchy.
type roadRouter struct {
	rt *ch.Router
	// snaps remembers the snap of each located point, so that Matrix uses
	// exactly the positions Locate accepted.
	snaps map[geo.Point]road.Snap
}

var _ arv.Router = (*roadRouter)(nil)

func newRoadRouter(rt *ch.Router) *roadRouter {
	return &roadRouter{rt: rt, snaps: make(map[geo.Point]road.Snap)}
}

// openNetwork loads the network a scenario names; a graph path is taken
// relative to the scenario file's directory.
func openNetwork(ctx context.Context, ref arv.NetworkRef, scenarioDir string) (*roadRouter, error) {
	nf := networkFlags{network: ref.Builtin}
	if ref.Graph != "" {
		path := ref.Graph
		if !filepath.IsAbs(path) && scenarioDir != "" {
			path = filepath.Join(scenarioDir, path)
		}
		rt, err := loadGraphFile(path)
		if err != nil {
			return nil, err
		}
		return newRoadRouter(rt), nil
	}
	rt, err := nf.loadBuiltin(ctx)
	if err != nil {
		return nil, err
	}
	return newRoadRouter(rt), nil
}

// Locate implements arv.Router.
func (r *roadRouter) Locate(loc arv.Location) (geo.Point, error) {
	g := r.rt.Road()
	l, err := resolve(g, string(loc))
	if err != nil {
		return geo.Point{}, err
	}
	s, err := g.Snap(l.Point, 0)
	if err != nil {
		var se *road.SnapError
		if errors.As(err, &se) {
			return geo.Point{}, fmt.Errorf("%s is %s from the nearest road of network %s, beyond its %.0f m limit",
				l.Label, distText(se.Nearest), g.Meta.Name, se.Limit)
		}
		return geo.Point{}, err
	}
	r.snaps[l.Point] = s
	return l.Point, nil
}

func distText(m float64) string {
	if m >= 10000 {
		return fmt.Sprintf("%.0f km", m/1000)
	}
	return fmt.Sprintf("%.0f m", m)
}

// Matrix implements arv.Router.
func (r *roadRouter) Matrix(ctx context.Context, from, to []geo.Point) ([]float64, error) {
	snap := func(ps []geo.Point) ([]road.Snap, error) {
		out := make([]road.Snap, len(ps))
		for i, p := range ps {
			s, ok := r.snaps[p]
			if !ok {
				var err error
				if s, err = r.rt.Road().Snap(p, 0); err != nil {
					return nil, err
				}
				r.snaps[p] = s
			}
			out[i] = s
		}
		return out, nil
	}
	a, err := snap(from)
	if err != nil {
		return nil, err
	}
	b, err := snap(to)
	if err != nil {
		return nil, err
	}
	ms, err := r.rt.Table(ctx, a, b)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(ms))
	for i, t := range ms {
		if t == road.Unreachable {
			out[i] = math.Inf(1)
		} else {
			out[i] = float64(t) / 1000
		}
	}
	return out, nil
}
