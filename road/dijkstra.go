package road

import (
	"errors"

	"github.com/arv-project/arv/road/internal/minheap"
)

// ErrNoRoute is returned when no route joins two positions.
var ErrNoRoute = errors.New("road: no route")

// Dijkstra is the reference shortest-path search: plain Dijkstra with a
// binary heap, reusable across queries. It is the oracle the contraction
// hierarchy is tested against, and the baseline its speed is measured
// against. A Dijkstra is not safe for concurrent use.
type Dijkstra struct {
	g     *Graph
	dist  []uint32
	pred  []int32 // edge into the node on the best path, -1 at a seed
	stamp []uint32
	round uint32
	heap  minheap.Heap[uint32]
	// Settled counts the nodes settled by the last search.
	Settled int
}

// NewDijkstra returns a search over g.
func NewDijkstra(g *Graph) *Dijkstra {
	n := g.NumNodes()
	return &Dijkstra{g: g, dist: make([]uint32, n), pred: make([]int32, n), stamp: make([]uint32, n)}
}

func (d *Dijkstra) reset() {
	d.round++
	if d.round == 0 { // wrapped: clear stamps once every 2^32 searches
		clear(d.stamp)
		d.round = 1
	}
	d.heap.Reset()
	d.Settled = 0
}

// Dist returns the time to node v found by the last search, or Unreachable.
func (d *Dijkstra) Dist(v int32) uint32 {
	if d.stamp[v] != d.round {
		return Unreachable
	}
	return d.dist[v]
}

func (d *Dijkstra) relax(v int32, t uint32, via int32) {
	if t == Unreachable {
		return
	}
	if d.stamp[v] != d.round || t < d.dist[v] {
		d.stamp[v] = d.round
		d.dist[v] = t
		d.pred[v] = via
		d.heap.Push(t, v)
	}
}

// Run searches from the seeds. If target >= 0 it stops once target is
// settled; otherwise it settles every reachable node.
func (d *Dijkstra) Run(seeds []Seed, target int32) {
	d.run(seeds, target, Unreachable)
}

// RunUntil is Run that stops once every node has been settled or the
// smallest unsettled time exceeds limit (milliseconds).
func (d *Dijkstra) RunUntil(seeds []Seed, limit uint32) {
	d.run(seeds, -1, limit)
}

func (d *Dijkstra) run(seeds []Seed, target int32, limit uint32) {
	d.reset()
	for _, s := range seeds {
		d.relax(s.Node, s.Time, -1)
	}
	g := d.g
	for d.heap.Len() > 0 {
		it := d.heap.Pop()
		u, t := it.Node, it.Key
		if t != d.dist[u] {
			continue // stale entry
		}
		if t > limit {
			return
		}
		d.Settled++
		if u == target {
			return
		}
		for e := g.FirstOut[u]; e < g.FirstOut[u+1]; e++ {
			d.relax(g.Head[e], AddTime(t, g.Time[e]), e)
		}
	}
}

// Edges returns the edges of the best path found to v, in driving order.
func (d *Dijkstra) Edges(v int32) []int32 {
	var out []int32
	for d.stamp[v] == d.round && d.pred[v] >= 0 {
		e := d.pred[v]
		out = append(out, e)
		v = d.g.EdgeTail(e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Route returns the fastest path from a to b using plain Dijkstra. It
// returns ErrNoRoute when b cannot be reached.
func (d *Dijkstra) Route(a, b Snap) (Path, error) {
	g := d.g
	src := g.SourceSeeds(a)
	dst := g.TargetSeeds(b)
	d.Run(src.Slice(), -1)
	best := uint32(Unreachable)
	end := int32(-1)
	for _, s := range dst.Slice() {
		if t := AddTime(d.Dist(s.Node), s.Time); t < best {
			best, end = t, s.Node
		}
	}
	if p, ok := g.DirectPath(a, b); ok && p.Time <= best {
		return p, nil
	}
	if end < 0 {
		return Path{}, ErrNoRoute
	}
	return g.AssemblePath(a, b, end, d.Edges(end), best), nil
}

// AddTime returns a+b in milliseconds, or Unreachable when either is
// Unreachable or the sum would overflow.
func AddTime(a, b uint32) uint32 {
	s := a + b
	if s < a { // overflow; also catches Unreachable plus anything positive
		return Unreachable
	}
	return s
}
