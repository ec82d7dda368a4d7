// Package testgraphs holds small road graphs with known shortest travel
// times, and a generator of random graphs, shared by the tests of road and
// road/ch (in the manner of gonum's graph/path/internal/testgraphs).
package testgraphs

import (
	"math/rand/v2"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// Edge is a directed edge for building a test graph: From→To in Time ms.
type Edge struct {
	From, To int32
	Time     uint32
}

// Case is a graph with the expected shortest times between some nodes.
type Case struct {
	Name  string
	Nodes int
	Edges []Edge
	// Want lists (from, to, time) triples; road.Unreachable where no route
	// exists.
	Want [][3]uint32
}

// Graph builds the case's graph. Nodes are placed on a line 1 km apart
// (positions do not affect times in these cases).
func (c Case) Graph() *road.Graph {
	return FromEdges(c.Nodes, c.Edges)
}

// FromEdges builds a road.Graph with n nodes and exactly the given
// directed edges and times: each edge becomes a one-way segment.
func FromEdges(n int, edges []Edge) *road.Graph {
	var b road.Builder
	for i := 0; i < n; i++ {
		b.AddNode(geo.Point{Lat: 52, Lon: float64(i) * 0.0147})
	}
	for _, e := range edges {
		// Any speed will do: the exact times are set below.
		if err := b.AddSegment(road.Segment{From: e.From, To: e.To, Length: 1000, ForwardKmh: 50}); err != nil {
			panic(err) // programmer error in a test table
		}
	}
	g := b.Graph()
	for i, e := range edges {
		g.Time[g.SegFwd[i]] = e.Time
	}
	return g
}

// Cases are the hand-made graphs. Their expected times were worked out by
// hand from the edge lists.
var Cases = []Case{
	{
		Name:  "single edge",
		Nodes: 2,
		Edges: []Edge{{0, 1, 7}},
		Want:  [][3]uint32{{0, 1, 7}, {1, 0, road.Unreachable}, {0, 0, 0}},
	},
	{
		Name:  "shortcut beats direct edge",
		Nodes: 4,
		Edges: []Edge{{0, 3, 100}, {0, 1, 10}, {1, 2, 10}, {2, 3, 10}},
		Want:  [][3]uint32{{0, 3, 30}, {1, 3, 20}, {3, 0, road.Unreachable}},
	},
	{
		Name:  "parallel edges keep the faster",
		Nodes: 2,
		Edges: []Edge{{0, 1, 50}, {0, 1, 20}, {1, 0, 5}},
		Want:  [][3]uint32{{0, 1, 20}, {1, 0, 5}},
	},
	{
		Name:  "one-way ring",
		Nodes: 5,
		Edges: []Edge{{0, 1, 1}, {1, 2, 2}, {2, 3, 3}, {3, 4, 4}, {4, 0, 5}},
		// 1→0 goes the long way round: 2+3+4+5.
		Want: [][3]uint32{{0, 4, 10}, {1, 0, 14}, {4, 3, 11}},
	},
	{
		Name:  "two components",
		Nodes: 4,
		Edges: []Edge{{0, 1, 3}, {1, 0, 3}, {2, 3, 4}, {3, 2, 4}},
		Want:  [][3]uint32{{0, 1, 3}, {0, 2, road.Unreachable}, {3, 2, 4}},
	},
	{
		Name:  "zero-time edges and a self-loop",
		Nodes: 3,
		Edges: []Edge{{0, 0, 9}, {0, 1, 0}, {1, 2, 0}, {2, 0, 4}},
		Want:  [][3]uint32{{0, 2, 0}, {2, 1, 4}, {1, 0, 4}},
	},
	{
		// The classic diamond where the hierarchy must keep a shortcut
		// through the middle: 0→1→3 and 0→2→3 with the lower route faster.
		Name:  "diamond",
		Nodes: 4,
		Edges: []Edge{{0, 1, 5}, {1, 3, 5}, {0, 2, 3}, {2, 3, 4}, {3, 0, 1}},
		// 1→2 is 1→3→0→2 = 5+1+3; 2→1 is 2→3→0→1 = 4+1+5.
		Want: [][3]uint32{{0, 3, 7}, {1, 2, 9}, {2, 1, 10}},
	},
}

// Random returns a random road-like graph of about n nodes: a jittered
// grid of junctions 500 m apart, each joined to its east and north
// neighbours with probability 0.85 and diagonally with probability 0.1,
// at 20–110 km/h; each segment is one-way with probability oneway, and a
// third of them bend through a shape point. Grid roads are planar like
// real ones but, being random, give many equal-time ties and dead ends.
// The same seed gives the same graph.
func Random(seed uint64, n int, oneway float64) *road.Graph {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	side := intSqrt(n)
	if side < 2 {
		side = 2
	}
	const step = 0.0045 // degrees of latitude, about 500 m
	var b road.Builder
	at := func(i, j int) int32 { return int32(i*side + j) }
	pts := make([]geo.Point, 0, side*side)
	for i := 0; i < side; i++ {
		for j := 0; j < side; j++ {
			p := geo.Point{
				Lat: 52 + (float64(i)+0.6*(r.Float64()-0.5))*step,
				Lon: -1 + (float64(j)+0.6*(r.Float64()-0.5))*step*1.6,
			}
			pts = append(pts, p)
			b.AddNode(p)
		}
	}
	link := func(u, v int32) {
		speed := 20 + r.Float64()*90
		fwd, bwd := speed, speed
		if r.Float64() < oneway {
			if r.IntN(2) == 0 {
				fwd = 0
			} else {
				bwd = 0
			}
		}
		var via []geo.Point
		if r.IntN(3) == 0 {
			m := geo.Interpolate(pts[u], pts[v], 0.5)
			m.Lat += (r.Float64() - 0.5) * step * 0.3
			via = []geo.Point{m}
		}
		_ = b.AddSegment(road.Segment{From: u, To: v, Via: via, ForwardKmh: fwd, BackwardKmh: bwd, Class: road.ClassResidential})
	}
	for i := 0; i < side; i++ {
		for j := 0; j < side; j++ {
			if j+1 < side && r.Float64() < 0.85 {
				link(at(i, j), at(i, j+1))
			}
			if i+1 < side && r.Float64() < 0.85 {
				link(at(i, j), at(i+1, j))
			}
			if i+1 < side && j+1 < side && r.Float64() < 0.1 {
				link(at(i, j), at(i+1, j+1))
			}
		}
	}
	return b.Graph()
}

func intSqrt(n int) int {
	r := 0
	for (r+1)*(r+1) <= n {
		r++
	}
	return r
}
