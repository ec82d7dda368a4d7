package ch

import (
	"context"
	"fmt"

	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/internal/minheap"
)

// Arc is one arc of the hierarchy: the node at its other end (the head of
// an Up arc, the tail of a Down arc, always the higher-ranked end) and its
// travel time in milliseconds.
type Arc struct {
	Node int32
	Time uint32
}

// Graph is a contraction hierarchy over a road.Graph. It is immutable and
// safe for concurrent use; run queries through a Query (one per goroutine)
// or a Router.
type Graph struct {
	// Road is the graph the hierarchy was built for.
	Road *road.Graph

	// Rank maps a road node to its hierarchy node (its rank in the
	// contraction order); Order is the inverse.
	Rank  []int32
	Order []int32

	// The arcs of hierarchy node v are Arcs[First[v]:First[v+1]]: first
	// its Up arcs, Arcs[First[v]:Mid[v]], to higher-ranked nodes (what a
	// forward search relaxes), then its Down arcs, Arcs[Mid[v]:First[v+1]],
	// from higher-ranked nodes into v (what a backward search relaxes).
	// Keeping both halves together serves a search's relaxation and its
	// stall test from one stretch of memory. Via[i] says what arc i stands
	// for: a road edge index (>= 0), or ^m for a shortcut bypassing
	// hierarchy node m.
	First []int32
	Mid   []int32
	Arcs  []Arc
	Via   []int32
}

// upRanges returns, for every node v, the bounds lo[v]:hi[v] of its Up
// arcs in Arcs; downRanges those of its Down arcs.
func (h *Graph) upRanges() (lo, hi []int32)   { return h.First[:len(h.Mid)], h.Mid }
func (h *Graph) downRanges() (lo, hi []int32) { return h.Mid, h.First[1:] }

// Options tune Build. The zero value is ready to use.
type Options struct {
	// Progress, when set, is called from Build's goroutine with the number
	// of nodes contracted so far, about a hundred times per build.
	Progress func(done, total int)
	// WitnessLimit caps the nodes one witness search may settle.
	// Default: DefaultWitnessLimit.
	WitnessLimit int
}

// DefaultWitnessLimit is the default cap on nodes settled by one witness
// search. Lower limits build faster but add superfluous shortcuts; the
// value was tuned on the Delaware and Rutland extracts (docs/BENCHMARKS.md).
const DefaultWitnessLimit = 500

// Priority weights: a node's priority is
//
//	edgeWeight·(shortcuts added − arcs removed)
//	+ deletedWeight·(neighbours already contracted)
//	+ hopsWeight·(original edges in added shortcuts − in removed arcs)
//	+ levelWeight·(its level: 1 + the highest level of a contracted neighbour)
//
// Smaller priorities are contracted first. The weights were chosen on the
// Delaware extract for the fewest nodes settled per query at a modest
// number of shortcuts (docs/BENCHMARKS.md lists the candidates tried).
const (
	edgeWeight    = 2
	deletedWeight = 1
	hopsWeight    = 1
	levelWeight   = 8
)

// NumArcs returns the number of arcs (Up plus Down).
func (h *Graph) NumArcs() int { return len(h.Arcs) }

// NumShortcuts returns the number of arcs that are shortcuts.
func (h *Graph) NumShortcuts() int {
	n := 0
	for _, v := range h.Via {
		if v < 0 {
			n++
		}
	}
	return n
}

// darc is an arc of the graph being contracted.
type darc struct {
	node int32 // other end
	time uint32
	via  int32 // road edge, or ^middle road node
	hops int32 // original edges represented
}

type contractor struct {
	g          *road.Graph
	out, in    [][]darc
	contracted []bool
	deleted    []int32 // contracted neighbours
	level      []int32 // 1 + the highest level of a contracted neighbour
	prio       []int32
	w          witness
	limit      int
	shortcuts  []shortcut
}

type shortcut struct {
	from, to int32
	time     uint32
	hops     int32
}

// Build contracts g into a hierarchy. It checks ctx between nodes and
// returns ctx.Err() if cancelled. Build takes O(n·s) time for n nodes and
// witness searches of s settled nodes in the typical road-network case.
func Build(ctx context.Context, g *road.Graph, opt *Options) (*Graph, error) {
	if opt == nil {
		opt = &Options{}
	}
	n := g.NumNodes()
	c := &contractor{
		g:          g,
		out:        make([][]darc, n),
		in:         make([][]darc, n),
		contracted: make([]bool, n),
		deleted:    make([]int32, n),
		level:      make([]int32, n),
		prio:       make([]int32, n),
		limit:      opt.WitnessLimit,
	}
	if c.limit <= 0 {
		c.limit = DefaultWitnessLimit
	}
	c.w.init(n)
	for u := int32(0); u < int32(n); u++ {
		for e := g.FirstOut[u]; e < g.FirstOut[u+1]; e++ {
			if v := g.Head[e]; v != u {
				c.addArc(u, v, g.Time[e], e, 1)
			}
		}
	}

	var pq minheap.Heap[int64]
	for v := int32(0); v < int32(n); v++ {
		c.prio[v] = c.priority(v)
		pq.Push(prioKey(c.prio[v], v), v)
	}

	order := make([]int32, 0, n)
	upArcs := make([][]darc, n)
	downArcs := make([][]darc, n)
	step := max(n/100, 1)
	for pq.Len() > 0 {
		it := pq.Pop()
		v := it.Node
		if c.contracted[v] || keyPrio(it.Key) != c.prio[v] {
			continue // stale entry
		}
		// Lazy update: recompute and take v only if it is still the least.
		if p := c.priority(v); p != c.prio[v] {
			c.prio[v] = p
			if pq.Len() > 0 && p > keyPrio(pq.Min()) {
				pq.Push(prioKey(p, v), v)
				continue
			}
		}
		if len(order)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		upArcs[v] = append([]darc(nil), c.out[v]...)
		downArcs[v] = append([]darc(nil), c.in[v]...)
		neighbours := c.contract(v)
		order = append(order, v)
		for _, u := range neighbours {
			c.deleted[u]++
			c.level[u] = max(c.level[u], c.level[v]+1)
		}
		for _, u := range neighbours {
			if c.contracted[u] {
				continue
			}
			if p := c.priority(u); p != c.prio[u] {
				c.prio[u] = p
				pq.Push(prioKey(p, u), u)
			}
		}
		if opt.Progress != nil && len(order)%step == 0 {
			opt.Progress(len(order), n)
		}
	}
	if opt.Progress != nil {
		opt.Progress(n, n)
	}
	return assemble(g, order, upArcs, downArcs), nil
}

// addArc adds u→v or lowers the time of an existing u→v arc.
func (c *contractor) addArc(u, v int32, t uint32, via, hops int32) {
	for i := range c.out[u] {
		if a := &c.out[u][i]; a.node == v {
			if t < a.time {
				a.time, a.via, a.hops = t, via, hops
				for j := range c.in[v] {
					if b := &c.in[v][j]; b.node == u {
						b.time, b.via, b.hops = t, via, hops
					}
				}
			}
			return
		}
	}
	c.out[u] = append(c.out[u], darc{v, t, via, hops})
	c.in[v] = append(c.in[v], darc{u, t, via, hops})
}

func removeArc(list []darc, node int32) []darc {
	for i := range list {
		if list[i].node == node {
			list[i] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

// findShortcuts fills c.shortcuts with the shortcuts contracting v needs.
func (c *contractor) findShortcuts(v int32) {
	c.shortcuts = c.shortcuts[:0]
	outs := c.out[v]
	if len(outs) == 0 {
		return
	}
	var maxOut uint32
	for _, a := range outs {
		maxOut = max(maxOut, a.time)
	}
	for _, ia := range c.in[v] {
		u := ia.node
		limit := road.AddTime(ia.time, maxOut)
		c.w.run(c, u, v, limit, c.limit, outs)
		for _, oa := range outs {
			x := oa.node
			if x == u {
				continue
			}
			t := road.AddTime(ia.time, oa.time)
			if c.w.dist(x) <= t {
				continue // a witness path avoids v
			}
			c.shortcuts = append(c.shortcuts, shortcut{u, x, t, ia.hops + oa.hops})
		}
	}
}

// priority simulates contracting v.
func (c *contractor) priority(v int32) int32 {
	c.findShortcuts(v)
	removed := int32(len(c.in[v]) + len(c.out[v]))
	var removedHops, addedHops int32
	for _, a := range c.in[v] {
		removedHops += a.hops
	}
	for _, a := range c.out[v] {
		removedHops += a.hops
	}
	for _, s := range c.shortcuts {
		addedHops += s.hops
	}
	ed := int32(len(c.shortcuts)) - removed
	return edgeWeight*ed + deletedWeight*c.deleted[v] + hopsWeight*(addedHops-removedHops) + levelWeight*c.level[v]
}

// contract removes v, adds its shortcuts and returns its neighbours.
func (c *contractor) contract(v int32) []int32 {
	c.findShortcuts(v)
	var neighbours []int32
	for _, a := range c.in[v] {
		c.out[a.node] = removeArc(c.out[a.node], v)
		neighbours = append(neighbours, a.node)
	}
	for _, a := range c.out[v] {
		c.in[a.node] = removeArc(c.in[a.node], v)
		neighbours = append(neighbours, a.node)
	}
	for _, s := range c.shortcuts {
		c.addArc(s.from, s.to, s.time, ^v, s.hops)
	}
	c.contracted[v] = true
	c.out[v], c.in[v] = nil, nil
	return neighbours
}

// assemble renumbers the nodes by rank and lays the arcs out in CSR form.
func assemble(g *road.Graph, order []int32, upArcs, downArcs [][]darc) *Graph {
	n := len(order)
	h := &Graph{
		Road:  g,
		Rank:  make([]int32, n),
		Order: order,
		First: make([]int32, n+1),
		Mid:   make([]int32, n),
	}
	for r, v := range order {
		h.Rank[v] = int32(r)
	}
	via := func(a darc) int32 {
		if a.via < 0 {
			return ^h.Rank[^a.via]
		}
		return a.via
	}
	for r, v := range order {
		for _, a := range upArcs[v] {
			h.Arcs = append(h.Arcs, Arc{h.Rank[a.node], a.time})
			h.Via = append(h.Via, via(a))
		}
		h.Mid[r] = int32(len(h.Arcs))
		for _, a := range downArcs[v] {
			h.Arcs = append(h.Arcs, Arc{h.Rank[a.node], a.time})
			h.Via = append(h.Via, via(a))
		}
		h.First[r+1] = int32(len(h.Arcs))
	}
	return h
}

// witness is the bounded Dijkstra used to look for paths avoiding a node.
type witness struct {
	distv []uint32
	stamp []uint32
	round uint32
	heap  minheap.Heap[uint32]
}

func (w *witness) init(n int) {
	w.distv = make([]uint32, n)
	w.stamp = make([]uint32, n)
}

func (w *witness) dist(v int32) uint32 {
	if w.stamp[v] != w.round {
		return road.Unreachable
	}
	return w.distv[v]
}

// run searches from u over uncontracted nodes other than skip, until the
// smallest tentative time exceeds limit, maxSettled nodes are settled, or
// every target is settled.
func (w *witness) run(c *contractor, u, skip int32, limit uint32, maxSettled int, targets []darc) {
	w.round++
	if w.round == 0 {
		clear(w.stamp)
		w.round = 1
	}
	w.heap.Reset()
	w.stamp[u], w.distv[u] = w.round, 0
	w.heap.Push(0, u)
	remaining := len(targets)
	settled := 0
	for w.heap.Len() > 0 {
		it := w.heap.Pop()
		x := it.Node
		if it.Key != w.distv[x] {
			continue
		}
		if it.Key > limit || settled >= maxSettled {
			return
		}
		settled++
		for _, t := range targets {
			if t.node == x {
				if remaining--; remaining == 0 {
					return
				}
				break
			}
		}
		for _, a := range c.out[x] {
			y := a.node
			if y == skip {
				continue
			}
			t := road.AddTime(it.Key, a.time)
			if w.stamp[y] != w.round || t < w.distv[y] {
				w.stamp[y], w.distv[y] = w.round, t
				w.heap.Push(t, y)
			}
		}
	}
}

// prioKey is the contraction queue's key for node v at priority p: by
// priority, ties to the lower node number so builds are deterministic
// (v is never negative, so it fills the low half without a borrow).
func prioKey(p, v int32) int64 { return int64(p)<<32 | int64(v) }

// keyPrio returns the priority in a prioKey.
func keyPrio(k int64) int32 { return int32(k >> 32) }

// validate checks the structural invariants of a hierarchy read from a
// file, so that queries can index without bounds surprises.
func (h *Graph) validate() error {
	n := int32(h.Road.NumNodes())
	if len(h.Rank) != int(n) || len(h.Order) != int(n) || len(h.First) != int(n)+1 || len(h.Mid) != int(n) {
		return fmt.Errorf("ch: node arrays do not match the %d road nodes", n)
	}
	seen := make([]bool, n)
	for r, v := range h.Order {
		if v < 0 || v >= n || seen[v] || h.Rank[v] != int32(r) {
			return fmt.Errorf("ch: rank and order are not inverse permutations")
		}
		seen[v] = true
	}
	if len(h.Arcs) != len(h.Via) || h.First[0] != 0 || int(h.First[n]) != len(h.Arcs) {
		return fmt.Errorf("ch: arc arrays inconsistent")
	}
	g := h.Road
	m := int32(g.NumEdges())
	for v := int32(0); v < n; v++ {
		if h.Mid[v] < h.First[v] || h.First[v+1] < h.Mid[v] || int(h.First[v+1]) > len(h.Arcs) {
			return fmt.Errorf("ch: arc offsets out of order at node %d", v)
		}
		for i := h.First[v]; i < h.First[v+1]; i++ {
			a := h.Arcs[i]
			if a.Node <= v || a.Node >= n {
				return fmt.Errorf("ch: arc %d of node %d does not climb in rank", i, v)
			}
			x := h.Via[i]
			if x >= m || (x < 0 && (^x >= v || ^x < 0)) {
				return fmt.Errorf("ch: arc %d of node %d has a bad unpacking record", i, v)
			}
			if x < 0 {
				// A shortcut must be exactly its two halves, both arcs of
				// its middle node, so unpacking always finds them.
				mid := ^x
				from, to := v, a.Node // an Up arc runs v→a.Node
				if i >= h.Mid[v] {
					from, to = a.Node, v
				}
				t1, ok1 := h.arcTime(h.Mid[mid], h.First[mid+1], from)
				t2, ok2 := h.arcTime(h.First[mid], h.Mid[mid], to)
				if !ok1 || !ok2 || road.AddTime(t1, t2) != a.Time {
					return fmt.Errorf("ch: shortcut %d of node %d does not match its halves through node %d", i, v, mid)
				}
			}
			if x >= 0 {
				// An original arc must be its road edge.
				tail, head := h.Order[v], h.Order[a.Node]
				if i >= h.Mid[v] { // a Down arc runs into v
					tail, head = head, tail
				}
				if g.EdgeTail(x) != tail || g.Head[x] != head || g.Time[x] != a.Time {
					return fmt.Errorf("ch: arc %d of node %d does not match road edge %d", i, v, x)
				}
			}
		}
	}
	return nil
}
