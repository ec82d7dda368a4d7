package road

import (
	"math"

	"github.com/arv-project/arv/geo"
)

// Path is a route between two snapped positions.
type Path struct {
	From, To Snap
	// Time is the travel time in milliseconds, access legs included.
	Time uint32
	// Length is the distance driven on the network, in metres (the
	// straight-line access legs, From.Dist and To.Dist, are not included).
	Length float64
	// Edges are the whole edges driven, in order; the partial pieces of the
	// first and last segments are not listed.
	Edges []int32
	// Points is the driven polyline from From.Point to To.Point.
	Points []geo.Point
	// Segments lists every segment driven on, in order, including the
	// partial first and last ones (for road names and classes); Driven
	// holds the metres driven on each.
	Segments []int32
	Driven   []float64
	// Straight is set when the route is a straight off-network leg
	// between two positions, on a graph that times such legs
	// (Meta.AccessKmh > 0): nearby positions off a sparse network. Length
	// is then the straight-line distance.
	Straight bool
}

func (p *Path) drive(s int32, metres float64) {
	p.Segments = append(p.Segments, s)
	p.Driven = append(p.Driven, metres)
	p.Length += metres
}

// AssemblePath builds the Path that leaves a, drives edges (which must
// form a chain ending at node end) and arrives at b. With end < 0 and no
// edges, the path runs directly along the shared segment of a and b.
func (g *Graph) AssemblePath(a, b Snap, end int32, edges []int32, t uint32) Path {
	p := Path{From: a, To: b, Time: t, Edges: edges}
	if end < 0 {
		p.Points = g.segmentPart(nil, a.Segment, a.Offset, b.Offset)
		p.drive(a.Segment, float64(g.SegLength[a.Segment])*math.Abs(b.Offset-a.Offset))
		return p
	}
	start := end
	if len(edges) > 0 {
		start = g.EdgeTail(edges[0])
	}
	// Leg from a to the first node.
	s := a.Segment
	toEnd := g.SegTo[s] == start && g.SegFwd[s] >= 0
	if g.SegFrom[s] == start && g.SegBwd[s] >= 0 && (!toEnd || a.Offset < 0.5) {
		toEnd = false
	}
	if toEnd {
		p.Points = g.segmentPart(p.Points, s, a.Offset, 1)
		p.drive(s, float64(g.SegLength[s])*(1-a.Offset))
	} else {
		p.Points = g.segmentPart(p.Points, s, a.Offset, 0)
		p.drive(s, float64(g.SegLength[s])*a.Offset)
	}
	for _, e := range edges {
		sh := len(p.Points)
		p.Points = g.EdgeShape(p.Points, e)
		if sh > 0 { // drop the repeated joint
			p.Points = append(p.Points[:sh-1], p.Points[sh:]...)
		}
		seg := g.EdgeSeg[e]
		if seg < 0 {
			seg = ^seg
		}
		p.drive(seg, float64(g.SegLength[seg]))
	}
	// Leg from the last node to b.
	s = b.Segment
	fromStart := g.SegFrom[s] == end && g.SegFwd[s] >= 0
	if g.SegTo[s] == end && g.SegBwd[s] >= 0 && (!fromStart || b.Offset > 0.5) {
		fromStart = false
	}
	sh := len(p.Points)
	if fromStart {
		p.Points = g.segmentPart(p.Points, s, 0, b.Offset)
		p.drive(s, float64(g.SegLength[s])*b.Offset)
	} else {
		p.Points = g.segmentPart(p.Points, s, 1, b.Offset)
		p.drive(s, float64(g.SegLength[s])*(1-b.Offset))
	}
	if sh > 0 && len(p.Points) > sh {
		p.Points = append(p.Points[:sh-1], p.Points[sh:]...)
	}
	return p
}

// segmentPart appends the part of segment s's shape between fractions f1
// and f2 of its length, in the order from f1 to f2.
func (g *Graph) segmentPart(dst []geo.Point, s int32, f1, f2 float64) []geo.Point {
	sh := g.SegmentShape(s)
	cum := make([]float64, len(sh))
	for i := 1; i < len(sh); i++ {
		cum[i] = cum[i-1] + geo.Distance(sh[i-1], sh[i])
	}
	total := cum[len(cum)-1]
	at := func(f float64) geo.Point {
		d := f * total
		for i := 1; i < len(sh); i++ {
			if cum[i] >= d {
				seg := cum[i] - cum[i-1]
				if seg == 0 {
					return sh[i]
				}
				return geo.Interpolate(sh[i-1], sh[i], (d-cum[i-1])/seg)
			}
		}
		return sh[len(sh)-1]
	}
	dst = append(dst, at(f1))
	lo, hi := f1*total, f2*total
	if f1 <= f2 {
		for i := range sh {
			if cum[i] > lo && cum[i] < hi {
				dst = append(dst, sh[i])
			}
		}
	} else {
		for i := len(sh) - 1; i >= 0; i-- {
			if cum[i] < lo && cum[i] > hi {
				dst = append(dst, sh[i])
			}
		}
	}
	return append(dst, at(f2))
}

// Via returns the names of the roads the path uses for at least minShare
// of its length, in the order they are first driven, at most n of them.
func (g *Graph) Via(p Path, n int, minShare float64) []string {
	if p.Length <= 0 {
		return nil
	}
	byName := map[int32]float64{}
	var order []int32
	for k, s := range p.Segments {
		nm := g.SegName[s]
		if nm < 0 || p.Driven[k] <= 0 {
			continue
		}
		if _, ok := byName[nm]; !ok {
			order = append(order, nm)
		}
		byName[nm] += p.Driven[k]
	}
	var out []string
	for _, nm := range order {
		if byName[nm] >= minShare*p.Length && len(out) < n {
			out = append(out, g.Names[nm])
		}
	}
	return out
}
