package road

import (
	"errors"
	"fmt"
	"math"

	"github.com/arv-project/arv/geo"
)

// Builder assembles a Graph from nodes and segments. The zero Builder is
// ready to use.
type Builder struct {
	// Meta is copied to the built graph.
	Meta Meta

	points   []geo.Point
	segs     []segSpec
	shape    []geo.Point
	names    []string
	nameIdx  map[string]int32
	places   []Place
	numEdges int
}

type segSpec struct {
	from, to       int32
	shapeStart     int32 // index into shape of the first intermediate point
	shapeEnd       int32
	length         float64
	fwdKmh, bwdKmh float64
	class          Class
	name           int32
}

// Segment describes a road piece for Builder.AddSegment.
type Segment struct {
	// From and To are nodes returned by AddNode.
	From, To int32
	// Via holds the shape points between From and To, in order; nil for a
	// straight piece.
	Via []geo.Point
	// Length is the length in metres; 0 means measure the shape.
	Length float64
	// ForwardKmh and BackwardKmh are the speeds from From to To and back;
	// 0 means that direction may not be driven.
	ForwardKmh, BackwardKmh float64
	Class                   Class
	Name                    string
}

// Minimum and maximum speeds a segment may carry.
const (
	MinSpeedKmh = 1
	MaxSpeedKmh = 300
)

// AddNode adds a node at p and returns its index.
func (b *Builder) AddNode(p geo.Point) int32 {
	b.points = append(b.points, p)
	return int32(len(b.points) - 1)
}

// NumNodes returns the number of nodes added so far.
func (b *Builder) NumNodes() int { return len(b.points) }

// AddPlace records a named location.
func (b *Builder) AddPlace(p Place) { b.places = append(b.places, p) }

// AddSegment adds a road piece. It returns an error for unknown nodes,
// invalid speeds or a segment that is too long to time.
func (b *Builder) AddSegment(s Segment) error {
	n := int32(len(b.points))
	if s.From < 0 || s.From >= n || s.To < 0 || s.To >= n {
		return fmt.Errorf("road: segment %d-%d: unknown node", s.From, s.To)
	}
	if !b.points[s.From].Valid() || !b.points[s.To].Valid() {
		return fmt.Errorf("road: segment %d-%d: node at an invalid position", s.From, s.To)
	}
	for _, p := range s.Via {
		if !p.Valid() {
			return fmt.Errorf("road: segment %d-%d: shape point at invalid position %v", s.From, s.To, p)
		}
	}
	for _, v := range []float64{s.ForwardKmh, s.BackwardKmh} {
		if v != 0 && !(v >= MinSpeedKmh && v <= MaxSpeedKmh) {
			return fmt.Errorf("road: segment %d-%d: speed %g km/h outside %d..%d", s.From, s.To, v, MinSpeedKmh, MaxSpeedKmh)
		}
	}
	if s.ForwardKmh == 0 && s.BackwardKmh == 0 {
		return errors.New("road: segment may not be driven in either direction")
	}
	start := int32(len(b.shape))
	b.shape = append(b.shape, s.Via...)
	length := s.Length
	if length == 0 {
		prev := b.points[s.From]
		for _, p := range s.Via {
			length += geo.Distance(prev, p)
			prev = p
		}
		length += geo.Distance(prev, b.points[s.To])
	}
	if !(length >= 0 && length < math.MaxUint32) {
		b.shape = b.shape[:start]
		return fmt.Errorf("road: segment %d-%d: bad length %g m", s.From, s.To, length)
	}
	for _, v := range []float64{s.ForwardKmh, s.BackwardKmh} {
		if v > 0 && edgeTime(length, v) > MaxEdgeTime {
			b.shape = b.shape[:start]
			return fmt.Errorf("road: segment %d-%d: %.0f m at %g km/h takes longer than a day", s.From, s.To, length, v)
		}
	}
	name := int32(-1)
	if s.Name != "" {
		if b.nameIdx == nil {
			b.nameIdx = make(map[string]int32)
		}
		i, ok := b.nameIdx[s.Name]
		if !ok {
			i = int32(len(b.names))
			b.names = append(b.names, s.Name)
			b.nameIdx[s.Name] = i
		}
		name = i
	}
	b.segs = append(b.segs, segSpec{
		from: s.From, to: s.To,
		shapeStart: start, shapeEnd: int32(len(b.shape)),
		length: length, fwdKmh: s.ForwardKmh, bwdKmh: s.BackwardKmh,
		class: s.Class, name: name,
	})
	if s.ForwardKmh > 0 {
		b.numEdges++
	}
	if s.BackwardKmh > 0 {
		b.numEdges++
	}
	return nil
}

// edgeTime returns the time in milliseconds to drive length metres at kmh.
func edgeTime(length, kmh float64) uint32 {
	ms := math.Round(length / (kmh / 3.6) * 1000)
	if ms > math.MaxUint32-1 {
		return math.MaxUint32 - 1
	}
	return uint32(ms)
}

// Graph returns the built graph. The Builder should not be used afterwards.
func (b *Builder) Graph() *Graph {
	n := len(b.points)
	g := &Graph{
		Points:     b.points,
		FirstOut:   make([]int32, n+1),
		Head:       make([]int32, b.numEdges),
		Time:       make([]uint32, b.numEdges),
		EdgeSeg:    make([]int32, b.numEdges),
		SegFrom:    make([]int32, len(b.segs)),
		SegTo:      make([]int32, len(b.segs)),
		SegFwd:     make([]int32, len(b.segs)),
		SegBwd:     make([]int32, len(b.segs)),
		SegLength:  make([]uint32, len(b.segs)),
		SegClass:   make([]Class, len(b.segs)),
		SegName:    make([]int32, len(b.segs)),
		ShapeFirst: make([]int32, len(b.segs)+1),
		Shape:      make([]geo.Point, 0, len(b.shape)+2*len(b.segs)),
		Names:      b.names,
		Places:     b.places,
		Meta:       b.Meta,
	}
	// Count out-degrees, then place edges by counting sort on the tail.
	for _, s := range b.segs {
		if s.fwdKmh > 0 {
			g.FirstOut[s.from+1]++
		}
		if s.bwdKmh > 0 {
			g.FirstOut[s.to+1]++
		}
	}
	for u := 0; u < n; u++ {
		g.FirstOut[u+1] += g.FirstOut[u]
	}
	next := make([]int32, n)
	copy(next, g.FirstOut[:n])
	for i, s := range b.segs {
		g.SegFrom[i], g.SegTo[i] = s.from, s.to
		g.SegLength[i] = uint32(math.Round(s.length))
		g.SegClass[i] = s.class
		g.SegName[i] = s.name
		g.SegFwd[i], g.SegBwd[i] = -1, -1
		g.ShapeFirst[i] = int32(len(g.Shape))
		g.Shape = append(g.Shape, b.points[s.from])
		g.Shape = append(g.Shape, b.shape[s.shapeStart:s.shapeEnd]...)
		g.Shape = append(g.Shape, b.points[s.to])
		if s.fwdKmh > 0 {
			e := next[s.from]
			next[s.from]++
			g.Head[e], g.Time[e], g.EdgeSeg[e] = s.to, edgeTime(s.length, s.fwdKmh), int32(i)
			g.SegFwd[i] = e
		}
		if s.bwdKmh > 0 {
			e := next[s.to]
			next[s.to]++
			g.Head[e], g.Time[e], g.EdgeSeg[e] = s.from, edgeTime(s.length, s.bwdKmh), ^int32(i)
			g.SegBwd[i] = e
		}
	}
	g.ShapeFirst[len(b.segs)] = int32(len(g.Shape))
	*b = Builder{}
	return g
}
