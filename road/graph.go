package road

import (
	"math"
	"sync"

	"github.com/arv-project/arv/geo"
)

// Unreachable is the travel time reported for a node or position that
// cannot be reached.
const Unreachable = math.MaxUint32

// MaxEdgeTime is the longest travel time a single edge may have, one day in
// milliseconds. It keeps sums of edge times far from uint32 overflow on any
// real network (a route may total up to about 49 days).
const MaxEdgeTime = 24 * 60 * 60 * 1000

// DefaultSnapLimit is how far (metres) a position may be from the nearest
// road before Snap refuses it, for graphs that do not set their own limit.
const DefaultSnapLimit = 2000

// Graph is a directed road network in CSR form. A Graph is immutable once
// built and safe for concurrent use; its exported slices must not be
// modified.
type Graph struct {
	// Points holds the position of each node; len(Points) is the number of
	// nodes.
	Points []geo.Point

	// FirstOut, Head, Time and EdgeSeg describe the directed edges grouped
	// by tail: the edges leaving node u are FirstOut[u] to FirstOut[u+1]-1,
	// edge e ends at node Head[e] and takes Time[e] milliseconds.
	// EdgeSeg[e] is the segment the edge runs along: s when it runs from
	// SegFrom[s] to SegTo[s], ^s (bitwise complement) when it runs the
	// other way.
	FirstOut []int32
	Head     []int32
	Time     []uint32
	EdgeSeg  []int32

	// Segments are the undirected road pieces. Segment s joins SegFrom[s]
	// to SegTo[s]; SegFwd[s] and SegBwd[s] are its edges in each direction,
	// -1 where that direction may not be driven. SegLength is in metres.
	// The shape of s, both ends included, is
	// Shape[ShapeFirst[s]:ShapeFirst[s+1]].
	SegFrom    []int32
	SegTo      []int32
	SegFwd     []int32
	SegBwd     []int32
	SegLength  []uint32
	SegClass   []Class
	SegName    []int32 // index into Names, -1 when unnamed
	ShapeFirst []int32
	Shape      []geo.Point

	// Names are road names and numbers ("A6003", "High Street").
	Names []string

	// Places are named locations that queries may use instead of
	// coordinates.
	Places []Place

	// Meta describes where the graph came from and how to read it.
	Meta Meta

	indexOnce sync.Once
	index     *snapIndex
}

// Meta describes a graph's origin and the rules for positions off the
// network.
type Meta struct {
	// Name is a short label for the network ("rutland-latest",
	// "wiltshire").
	Name string
	// Source says what the graph was built from (a file name, "built-in").
	Source string
	// Attribution is the licence notice results must carry, such as
	// "© OpenStreetMap contributors, ODbL". Empty when none is needed.
	Attribution string
	// Note is a caveat printed with every result, for example that
	// distances are estimates.
	Note string
	// Profile names the vehicle profile the times were computed with.
	Profile string
	// SnapLimit is the furthest (metres) a position may lie from the
	// network. 0 means DefaultSnapLimit.
	SnapLimit float64
	// AccessKmh, when positive, times the straight-line leg between a
	// position and the point it snapped to at this speed, and adds it to
	// every route. Sparse strategic networks use it to stand for the
	// minor roads they leave out; full road networks leave it 0.
	AccessKmh float64
}

// Place is a named location.
type Place struct {
	Name       string
	Kind       string // "town", "village", "police", ...
	Point      geo.Point
	Population int // 0 when unknown
	// Aliases are other names the place answers to: stable ids, full
	// official names.
	Aliases []string `json:",omitempty"`
}

// NumNodes returns the number of nodes.
func (g *Graph) NumNodes() int { return len(g.Points) }

// NumEdges returns the number of directed edges.
func (g *Graph) NumEdges() int { return len(g.Head) }

// NumSegments returns the number of segments.
func (g *Graph) NumSegments() int { return len(g.SegFrom) }

// EdgeTail returns the node edge e leaves from.
func (g *Graph) EdgeTail(e int32) int32 {
	s := g.EdgeSeg[e]
	if s >= 0 {
		return g.SegFrom[s]
	}
	return g.SegTo[^s]
}

// SegmentShape returns the polyline of segment s from SegFrom to SegTo.
func (g *Graph) SegmentShape(s int32) []geo.Point {
	return g.Shape[g.ShapeFirst[s]:g.ShapeFirst[s+1]]
}

// EdgeShape appends the polyline of edge e, in driving order, to dst.
func (g *Graph) EdgeShape(dst []geo.Point, e int32) []geo.Point {
	s := g.EdgeSeg[e]
	if s >= 0 {
		return append(dst, g.SegmentShape(s)...)
	}
	sh := g.SegmentShape(^s)
	for i := len(sh) - 1; i >= 0; i-- {
		dst = append(dst, sh[i])
	}
	return dst
}

// SegmentName returns the name of segment s, or "".
func (g *Graph) SegmentName(s int32) string {
	if n := g.SegName[s]; n >= 0 {
		return g.Names[n]
	}
	return ""
}

// Bound returns the box around every node and shape point.
func (g *Graph) Bound() geo.Bound {
	return geo.BoundOf(g.Shape...)
}

// snapLimit returns the graph's snap limit in metres.
func (g *Graph) snapLimit() float64 {
	if g.Meta.SnapLimit > 0 {
		return g.Meta.SnapLimit
	}
	return DefaultSnapLimit
}
