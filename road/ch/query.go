package ch

import (
	"errors"
	"sort"

	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/internal/minheap"
)

const inf = road.Unreachable

// nodeState is a query's per-node record for both search directions, kept
// together so that one cache line serves the meeting test.
type nodeState struct {
	df, db uint32 // tentative times, forward and backward
	rf, rb uint32 // round stamps: the values are valid when equal to Query.round
	pf, pb int32  // arc used to reach the node (Up index forward, Down index backward), -1 at a seed
}

// Query answers shortest-path questions on a hierarchy. It keeps its
// working arrays between calls, so it allocates nothing after the first
// query (except to return paths). A Query is not safe for concurrent use;
// give each goroutine its own, or use a Router.
type Query struct {
	h        *Graph
	state    []nodeState
	round    uint32
	fheap    minheap.Heap[uint32]
	bheap    minheap.Heap[uint32]
	sweepBuf []uint32
	stack    []unpackItem
	edges    []int32

	// Settled counts the nodes settled (both directions) by the last
	// point-to-point query.
	Settled int
}

// NewQuery returns a query over h.
func NewQuery(h *Graph) *Query {
	return &Query{h: h, state: make([]nodeState, len(h.Order))}
}

func (q *Query) reset() {
	q.round++
	if q.round == 0 {
		clear(q.state)
		q.round = 1
	}
	q.fheap.Reset()
	q.bheap.Reset()
	q.Settled = 0
}

func (q *Query) seedForward(seeds []road.Seed) {
	for _, s := range seeds {
		v := q.h.Rank[s.Node]
		st := &q.state[v]
		if st.rf != q.round || s.Time < st.df {
			st.rf, st.df, st.pf = q.round, s.Time, -1
			q.fheap.Push(s.Time, v)
		}
	}
}

func (q *Query) seedBackward(seeds []road.Seed) {
	for _, s := range seeds {
		v := q.h.Rank[s.Node]
		st := &q.state[v]
		if st.rb != q.round || s.Time < st.db {
			st.rb, st.db, st.pb = q.round, s.Time, -1
			q.bheap.Push(s.Time, v)
		}
	}
}

// search runs the bidirectional upward search between the seeded sides
// and returns the best time and the meeting node (-1 if none).
func (q *Query) search() (uint32, int32) {
	h := q.h
	best, meet := uint32(inf), int32(-1)
	round := q.round
	for {
		fOK := q.fheap.Len() > 0 && q.fheap.Min() < best
		bOK := q.bheap.Len() > 0 && q.bheap.Min() < best
		if !fOK && !bOK {
			return best, meet
		}
		if fOK && (!bOK || q.fheap.Min() <= q.bheap.Min()) {
			it := q.fheap.Pop()
			u := it.Node
			st := &q.state[u]
			if it.Key != st.df {
				continue
			}
			q.Settled++
			if st.rb == round && road.AddTime(it.Key, st.db) < best {
				best, meet = road.AddTime(it.Key, st.db), u
			}
			if q.stalledF(u, it.Key) {
				continue
			}
			for i := h.First[u]; i < h.Mid[u]; i++ {
				a := h.Arcs[i]
				t := road.AddTime(it.Key, a.Time)
				s := &q.state[a.Node]
				if s.rf != round || t < s.df {
					s.rf, s.df, s.pf = round, t, i
					q.fheap.Push(t, a.Node)
				}
			}
		} else {
			it := q.bheap.Pop()
			u := it.Node
			st := &q.state[u]
			if it.Key != st.db {
				continue
			}
			q.Settled++
			if st.rf == round && road.AddTime(it.Key, st.df) < best {
				best, meet = road.AddTime(it.Key, st.df), u
			}
			if q.stalledB(u, it.Key) {
				continue
			}
			for i := h.Mid[u]; i < h.First[u+1]; i++ {
				a := h.Arcs[i]
				t := road.AddTime(it.Key, a.Time)
				s := &q.state[a.Node]
				if s.rb != round || t < s.db {
					s.rb, s.db, s.pb = round, t, i
					q.bheap.Push(t, a.Node)
				}
			}
		}
	}
}

// stalledF reports whether u, settled forward at time t, is reached
// faster through a higher-ranked node by an arc going down into it
// (stall-on-demand).
func (q *Query) stalledF(u int32, t uint32) bool {
	h, round := q.h, q.round
	for _, a := range h.Arcs[h.Mid[u]:h.First[u+1]] {
		if s := &q.state[a.Node]; s.rf == round && road.AddTime(s.df, a.Time) < t {
			return true
		}
	}
	return false
}

// stalledB is stalledF for the backward search.
func (q *Query) stalledB(u int32, t uint32) bool {
	h, round := q.h, q.round
	for _, a := range h.Arcs[h.First[u]:h.Mid[u]] {
		if s := &q.state[a.Node]; s.rb == round && road.AddTime(s.db, a.Time) < t {
			return true
		}
	}
	return false
}

// NodeTime returns the travel time in milliseconds between two road
// nodes, or road.Unreachable.
func (q *Query) NodeTime(from, to int32) uint32 {
	q.reset()
	q.seedForward([]road.Seed{{Node: from}})
	q.seedBackward([]road.Seed{{Node: to}})
	t, _ := q.search()
	return t
}

// Time returns the travel time in milliseconds from a to b, or
// road.Unreachable.
func (q *Query) Time(a, b road.Snap) uint32 {
	g := q.h.Road
	q.reset()
	src, dst := g.SourceSeeds(a), g.TargetSeeds(b)
	q.seedForward(src.Slice())
	q.seedBackward(dst.Slice())
	t, _ := q.search()
	if d, ok := g.DirectTime(a, b); ok && d <= t {
		return d
	}
	return t
}

// Route returns the fastest path from a to b, unpacked into road edges,
// or road.ErrNoRoute.
func (q *Query) Route(a, b road.Snap) (road.Path, error) {
	g := q.h.Road
	q.reset()
	src, dst := g.SourceSeeds(a), g.TargetSeeds(b)
	q.seedForward(src.Slice())
	q.seedBackward(dst.Slice())
	t, meet := q.search()
	if p, ok := g.DirectPath(a, b); ok && p.Time <= t {
		return p, nil
	}
	if meet < 0 {
		return road.Path{}, road.ErrNoRoute
	}
	edges, end, err := q.unpackPath(meet)
	if err != nil {
		return road.Path{}, err
	}
	return g.AssemblePath(a, b, end, edges, t), nil
}

// unpackPath returns the road edges of the path through meet found by the
// last search, and the road node it ends at.
func (q *Query) unpackPath(meet int32) ([]int32, int32, error) {
	h := q.h
	q.edges = q.edges[:0]
	// Forward half: collect the Up arcs from meet back to the seed.
	var up []int32
	for v := meet; q.state[v].pf >= 0; {
		i := q.state[v].pf
		up = append(up, i)
		v = owner(h.First, i)
	}
	for k := len(up) - 1; k >= 0; k-- {
		i := up[k]
		if !q.unpack(owner(h.First, i), h.Arcs[i].Node, h.Via[i]) {
			return nil, 0, errCorrupt
		}
	}
	// Backward half: follow Down arcs from meet to the target's seed.
	v := meet
	for q.state[v].pb >= 0 {
		i := q.state[v].pb
		w := owner(h.First, i)
		if !q.unpack(v, w, h.Via[i]) {
			return nil, 0, errCorrupt
		}
		v = w
	}
	out := make([]int32, len(q.edges))
	copy(out, q.edges)
	return out, h.Order[v], nil
}

// errCorrupt reports a hierarchy whose shortcuts do not unpack into a
// path of the road graph.
var errCorrupt = errors.New("ch: the hierarchy is damaged: a route does not unpack into a path; rebuild the graph file")

// owner returns the node whose arc range in first contains arc i.
func owner(first []int32, i int32) int32 {
	return int32(sort.Search(len(first)-1, func(v int) bool { return first[v+1] > i }))
}

type unpackItem struct{ from, to, via int32 }

// unpack appends to q.edges the road edges of the arc from→to (hierarchy
// nodes) recorded as via.
// It reports false if the path grows longer than the road graph has
// edges, which only a damaged hierarchy can cause.
func (q *Query) unpack(from, to, via int32) bool {
	h := q.h
	limit := h.Road.NumEdges()
	q.stack = append(q.stack[:0], unpackItem{from, to, via})
	for len(q.stack) > 0 {
		it := q.stack[len(q.stack)-1]
		q.stack = q.stack[:len(q.stack)-1]
		if it.via >= 0 {
			if len(q.edges) >= limit {
				return false
			}
			q.edges = append(q.edges, it.via)
			continue
		}
		m := ^it.via
		// from→m is a Down arc of m (from is higher); m→to an Up arc of m.
		v1, ok1 := h.findArc(h.Mid[m], h.First[m+1], it.from)
		v2, ok2 := h.findArc(h.First[m], h.Mid[m], it.to)
		if !ok1 || !ok2 {
			continue // cannot happen in a validated hierarchy
		}
		// Push the second half first so the first is unpacked first.
		q.stack = append(q.stack, unpackItem{m, it.to, v2}, unpackItem{it.from, m, v1})
	}
	return true
}

// findArc returns the record of the fastest arc among Arcs[lo:hi] whose
// other end is x.
func (h *Graph) findArc(lo, hi, x int32) (int32, bool) {
	i, ok := h.fastest(lo, hi, x)
	if !ok {
		return 0, false
	}
	return h.Via[i], true
}

// arcTime returns the time of the fastest arc among Arcs[lo:hi] whose
// other end is x.
func (h *Graph) arcTime(lo, hi, x int32) (uint32, bool) {
	i, ok := h.fastest(lo, hi, x)
	if !ok {
		return 0, false
	}
	return h.Arcs[i].Time, true
}

func (h *Graph) fastest(lo, hi, x int32) (int32, bool) {
	best, found := uint32(inf), int32(-1)
	for i := lo; i < hi; i++ {
		if h.Arcs[i].Node == x && (found < 0 || h.Arcs[i].Time < best) {
			best, found = h.Arcs[i].Time, i
		}
	}
	return found, found >= 0
}

// OneToAll returns the travel time in milliseconds from a to every road
// node (road.Unreachable where there is no route), in dst if it is large
// enough. It runs PHAST: an upward search, then a sweep down the ranks.
func (q *Query) OneToAll(a road.Snap, dst []uint32) []uint32 {
	g := q.h.Road
	src := g.SourceSeeds(a)
	return q.phast(src.Slice(), true, dst)
}

// AllToOne returns the travel time in milliseconds from every road node to
// b, in dst if it is large enough.
func (q *Query) AllToOne(b road.Snap, dst []uint32) []uint32 {
	g := q.h.Road
	seeds := g.TargetSeeds(b)
	return q.phast(seeds.Slice(), false, dst)
}

// NodeOneToAll is OneToAll from a road node.
func (q *Query) NodeOneToAll(from int32, dst []uint32) []uint32 {
	return q.phast([]road.Seed{{Node: from}}, true, dst)
}

func (q *Query) phast(seeds []road.Seed, forward bool, dst []uint32) []uint32 {
	d := q.sweep(seeds, forward)
	n := len(d)
	if cap(dst) < n {
		dst = make([]uint32, n)
	}
	dst = dst[:n]
	for u, r := range q.h.Rank {
		dst[u] = d[r]
	}
	return dst
}

// upward fills d (indexed by hierarchy node) with the times of a full
// upward search from the seeds, road.Unreachable elsewhere.
func (q *Query) upward(seeds []road.Seed, forward bool, d []uint32) {
	h := q.h
	for i := range d {
		d[i] = inf
	}
	lo, hi := h.upRanges()
	if !forward {
		lo, hi = h.downRanges()
	}
	heap := &q.fheap
	heap.Reset()
	for _, s := range seeds {
		v := h.Rank[s.Node]
		if s.Time < d[v] {
			d[v] = s.Time
			heap.Push(s.Time, v)
		}
	}
	for heap.Len() > 0 {
		it := heap.Pop()
		u := it.Node
		if it.Key != d[u] {
			continue
		}
		for _, a := range h.Arcs[lo[u]:hi[u]] {
			if t := road.AddTime(it.Key, a.Time); t < d[a.Node] {
				d[a.Node] = t
				heap.Push(t, a.Node)
			}
		}
	}
}

// sweep runs PHAST from the seeds (forward: from them over Up then Down;
// backward: to them) and returns the times indexed by hierarchy node, in
// a buffer the next call reuses.
func (q *Query) sweep(seeds []road.Seed, forward bool) []uint32 {
	h := q.h
	n := len(h.Order)
	if cap(q.sweepBuf) < n {
		q.sweepBuf = make([]uint32, n)
	}
	d := q.sweepBuf[:n]
	q.upward(seeds, forward, d)
	lo, hi := h.downRanges()
	if !forward {
		lo, hi = h.upRanges()
	}
	for v := n - 1; v >= 0; v-- {
		dv := d[v]
		for _, a := range h.Arcs[lo[v]:hi[v]] {
			if t := road.AddTime(d[a.Node], a.Time); t < dv {
				dv = t
			}
		}
		d[v] = dv
	}
	return d
}

// upSearch runs a complete upward search from the seeds in one direction,
// with stall-on-demand, and calls visit for every settled node that is not
// stalled, with its time.
func (q *Query) upSearch(seeds []road.Seed, forward bool, visit func(v int32, t uint32)) {
	h := q.h
	q.reset()
	if forward {
		q.seedForward(seeds)
	} else {
		q.seedBackward(seeds)
	}
	round := q.round
	heap := &q.fheap
	lo, hi := h.upRanges()
	if !forward {
		heap = &q.bheap
		lo, hi = h.downRanges()
	}
	for heap.Len() > 0 {
		it := heap.Pop()
		u := it.Node
		st := &q.state[u]
		cur := st.df
		if !forward {
			cur = st.db
		}
		if it.Key != cur {
			continue
		}
		if forward && q.stalledF(u, it.Key) || !forward && q.stalledB(u, it.Key) {
			continue
		}
		visit(u, it.Key)
		for i := lo[u]; i < hi[u]; i++ {
			a := h.Arcs[i]
			t := road.AddTime(it.Key, a.Time)
			s := &q.state[a.Node]
			if forward {
				if s.rf != round || t < s.df {
					s.rf, s.df, s.pf = round, t, i
					heap.Push(t, a.Node)
				}
			} else if s.rb != round || t < s.db {
				s.rb, s.db, s.pb = round, t, i
				heap.Push(t, a.Node)
			}
		}
	}
}
