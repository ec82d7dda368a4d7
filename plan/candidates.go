package plan

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// candidate is a place an ARV could stand.
type candidate struct {
	Label string
	Point geo.Point
	Kind  string // "base", "standby", "police", "settlement", "junction"
	ID    string // the scenario's base or standby id, if it is one
}

// junctionCellKm is the grid on which major-road junctions are offered as
// standby candidates: one per cell. Assumption: 5 km, fine enough that a
// candidate is within a few minutes of any point, coarse enough to keep
// the problem small (about 140 cells for Wiltshire's 3,485 km²).
const junctionCellKm = 5

// candidates lists the places an ARV could stand, one per 100 m: the
// scenario's bases and standby points, the network's police sites, the
// demand settlements and a major-road junction per junctionCellKm cell
// over the demand sites. It also takes the demand sites.
func (p *Plan) candidates() {
	s, m := p.Scenario, p.model
	add := func(c candidate) {
		for _, o := range p.cands {
			if geo.Distance(o.Point, c.Point) < 100 {
				return
			}
		}
		p.cands = append(p.cands, c)
	}
	for _, b := range s.Bases {
		if pt, err := p.router.Locate(string(b.At)); err == nil {
			add(candidate{b.Name, pt, "base", b.ID})
		}
	}
	for _, b := range s.StandbyPoints {
		if pt, err := p.router.Locate(string(b.At)); err == nil {
			add(candidate{b.Name, pt, "standby", b.ID})
		}
	}
	if p.network != nil {
		g := p.network.Road()
		for _, pl := range g.Places {
			if strings.HasPrefix(pl.Kind, "police") && !strings.Contains(pl.Kind, "closed") {
				if _, err := g.Snap(pl.Point, 0); err == nil {
					add(candidate{pl.Name, pl.Point, "police", ""})
				}
			}
		}
	}
	for _, d := range s.DemandPoints {
		if pt, err := p.router.Locate(string(d.At)); err == nil {
			add(candidate{d.Name, pt, "settlement", ""})
		}
	}
	for _, st := range m.Sites {
		if st.Weight > 0 {
			p.demand = append(p.demand, st)
		}
	}
	for _, c := range p.junctions() {
		add(c)
	}
}

// junctions returns, for each junctionCellKm cell over the demand, the
// end of a motorway, trunk or primary road segment nearest the cell's
// centre: standby points by the fast roads, where ARVs often wait. It
// returns none without a road graph.
func (p *Plan) junctions() []candidate {
	if p.network == nil {
		return nil
	}
	g, m := p.network.Road(), p.model
	var b geo.Bound
	for _, st := range p.demand {
		b = b.Extend(m.Points[st.Point])
	}
	if b.Empty() {
		return nil
	}
	dLat := junctionCellKm / 111.32
	dLon := dLat / math.Max(0.01, math.Cos(b.Center().Lat*math.Pi/180))
	type pick struct {
		node int32
		seg  int32
		d    float64
	}
	best := map[[2]int]pick{}
	for sg := range g.SegFrom {
		if c := g.SegClass[sg]; c == road.ClassOther || c > road.ClassPrimary {
			continue
		}
		for _, n := range []int32{g.SegFrom[sg], g.SegTo[sg]} {
			pt := g.Points[n]
			if !b.Contains(pt) {
				continue
			}
			i, j := int((pt.Lat-b.Min.Lat)/dLat), int((pt.Lon-b.Min.Lon)/dLon)
			centre := geo.Point{Lat: b.Min.Lat + (float64(i)+0.5)*dLat, Lon: b.Min.Lon + (float64(j)+0.5)*dLon}
			d := geo.Distance(pt, centre)
			if q, ok := best[[2]int{i, j}]; !ok || d < q.d || (d == q.d && n < q.node) {
				best[[2]int{i, j}] = pick{n, int32(sg), d}
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(best), func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	var out []candidate
	for _, k := range keys {
		q := best[k]
		pt := g.Points[q.node]
		out = append(out, candidate{junctionLabel(g, q.seg, pt), pt, "junction", ""})
	}
	return out
}

// junctionLabel names a junction by its road and the nearest settlement:
// "A303 near Amesbury".
func junctionLabel(g *road.Graph, seg int32, pt geo.Point) string {
	name := cmp.Or(g.SegmentName(seg), g.SegClass[seg].String()+" road")
	near, nd := "", math.Inf(1)
	for _, pl := range g.Places {
		switch pl.Kind {
		case "city", "town", "village", "hamlet", "suburb":
			if d := geo.Distance(pt, pl.Point); d < nd {
				near, nd = pl.Name, d
			}
		}
	}
	if near == "" {
		return name
	}
	return fmt.Sprintf("%s near %s", name, near)
}

// resolveKeep finds the candidate of each base that keeps an ARV.
func (p *Plan) resolveKeep(bases []arv.Base) error {
	for _, b := range bases {
		pt, err := p.router.Locate(string(b.At))
		if err != nil {
			return fmt.Errorf("keep %q: %w", b.ID, err)
		}
		p.keep = append(p.keep, p.nearestCandidate(pt))
	}
	return nil
}

// currentSites returns the candidate of each ARV's base in s.
func (p *Plan) currentSites(s *arv.Scenario) []int {
	at := map[string]arv.Location{}
	for _, b := range s.Bases {
		at[b.ID] = b.At
	}
	for _, b := range s.StandbyPoints {
		at[b.ID] = b.At
	}
	var out []int
	for _, a := range s.ARVs {
		pt, err := p.router.Locate(string(at[a.Base]))
		if err != nil {
			continue
		}
		out = append(out, p.nearestCandidate(pt))
	}
	return out
}

func (p *Plan) nearestCandidate(pt geo.Point) int {
	best, bd := 0, math.Inf(1)
	for i, c := range p.cands {
		if d := geo.Distance(c.Point, pt); d < bd {
			best, bd = i, d
		}
	}
	return best
}

// siteNames names a standby set: "Swindon, Salisbury (2 ARVs)".
func (p *Plan) siteNames(sites []int) string {
	count := map[int]int{}
	var order []int
	for _, c := range sites {
		if count[c] == 0 {
			order = append(order, c)
		}
		count[c]++
	}
	var names []string
	for _, c := range order {
		n := p.cands[c].Label
		if count[c] > 1 {
			n = fmt.Sprintf("%s (%d ARVs)", n, count[c])
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}
