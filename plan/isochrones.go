package plan

import (
	"time"

	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/isochrone"
)

// isochroneMinutes are the drive-time bands drawn on the map, in minutes
// from the recommended standby points.
var isochroneMinutes = []float64{10, 20, 30}

// isochrones computes the drive-time bands from the recommended standby
// points; none without a road graph.
func (p *Plan) isochrones() error {
	if p.network == nil {
		return nil
	}
	g := p.network.Road()
	var times []uint32
	var first road.Snap
	for _, c := range dedupe(p.RecommendedStandby().sites) {
		sn, err := g.Snap(p.cands[c].Point, 0)
		if err != nil {
			continue
		}
		t := p.network.OneToAll(sn)
		if times == nil {
			times, first = t, sn
			continue
		}
		for v := range times {
			times[v] = min(times[v], t[v])
		}
	}
	if times == nil {
		return nil
	}
	var limits []time.Duration
	for _, m := range isochroneMinutes {
		limits = append(limits, time.Duration(m*float64(time.Minute)))
	}
	var err error
	p.bands, err = isochrone.Compute(g, first, times, limits, isochrone.Options{})
	return err
}
