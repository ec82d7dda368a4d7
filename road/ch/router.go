package ch

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// Router answers routing questions on a hierarchy from any number of
// goroutines, keeping a pool of Queries.
type Router struct {
	H *Graph
	// Workers is the number of goroutines a table may use. Default:
	// runtime.GOMAXPROCS(0).
	Workers int

	pool sync.Pool

	// snaps caches the snaps of recently seen points: a dispatch server
	// asks for the same vehicle and incident positions again and again.
	snapMu sync.RWMutex
	snaps  map[geo.Point]road.Snap
}

// snapCacheSize bounds the snap cache; it is emptied when full.
const snapCacheSize = 4096

// snap snaps p within the graph's limit, through the cache.
func (r *Router) snap(p geo.Point) (road.Snap, error) {
	r.snapMu.RLock()
	s, ok := r.snaps[p]
	r.snapMu.RUnlock()
	if ok {
		return s, nil
	}
	s, err := r.H.Road.Snap(p, 0)
	if err != nil {
		return s, err
	}
	r.snapMu.Lock()
	if r.snaps == nil || len(r.snaps) >= snapCacheSize {
		r.snaps = make(map[geo.Point]road.Snap, 64)
	}
	r.snaps[p] = s
	r.snapMu.Unlock()
	return s, nil
}

// NewRouter returns a router over h.
func NewRouter(h *Graph) *Router {
	r := &Router{H: h, Workers: runtime.GOMAXPROCS(0)}
	r.pool.New = func() any { return NewQuery(h) }
	return r
}

// Road returns the road graph.
func (r *Router) Road() *road.Graph { return r.H.Road }

// get returns a pooled Query, or a new one (a Router made without
// NewRouter has no pool constructor).
func (r *Router) get() *Query {
	if q, ok := r.pool.Get().(*Query); ok {
		return q
	}
	return NewQuery(r.H)
}

func (r *Router) put(q *Query) { r.pool.Put(q) }

// Snap places p on the network within the graph's snap limit.
func (r *Router) Snap(p geo.Point) (road.Snap, error) {
	return r.snap(p)
}

// Locate resolves "LAT,LON" or the name of a place of the network and
// checks that it lies within the graph's snap limit of a road. With Matrix
// it makes a Router satisfy the domain's arv.Router.
func (r *Router) Locate(loc string) (geo.Point, error) {
	g := r.H.Road
	p, label, err := g.Resolve(loc)
	if err != nil {
		return geo.Point{}, err
	}
	if _, err := r.snap(p); err != nil {
		if label != p.String() {
			return geo.Point{}, fmt.Errorf("%s: %w", label, err)
		}
		return geo.Point{}, err
	}
	return p, nil
}

// Matrix returns the travel times in seconds from every point of from to
// every point of to, row by row, +Inf where there is no route. Points are
// snapped within the graph's limit; one that cannot be is an error.
func (r *Router) Matrix(ctx context.Context, from, to []geo.Point) ([]float64, error) {
	snap := func(ps []geo.Point) ([]road.Snap, error) {
		out := make([]road.Snap, len(ps))
		for i, p := range ps {
			s, err := r.snap(p)
			if err != nil {
				return nil, err
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
	ms, err := r.Table(ctx, a, b)
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

// Route returns the fastest path from a to b, or road.ErrNoRoute.
func (r *Router) Route(a, b road.Snap) (road.Path, error) {
	q := r.get()
	defer r.put(q)
	return q.Route(a, b)
}

// Time returns the travel time in milliseconds from a to b, or
// road.Unreachable.
func (r *Router) Time(a, b road.Snap) uint32 {
	q := r.get()
	defer r.put(q)
	return q.Time(a, b)
}

// OneToAll returns the time in milliseconds from a to every road node.
func (r *Router) OneToAll(a road.Snap) []uint32 {
	q := r.get()
	defer r.put(q)
	return q.OneToAll(a, nil)
}

// AllToOne returns the time in milliseconds from every road node to b.
func (r *Router) AllToOne(b road.Snap) []uint32 {
	q := r.get()
	defer r.put(q)
	return q.AllToOne(b, nil)
}

// Table returns the travel times in milliseconds from every source to
// every target, row by row: t[i*len(targets)+j] is sources[i] to
// targets[j], road.Unreachable where there is no route. Small tables use
// the bucket method; large ones one PHAST sweep per row (or per column,
// when there are fewer targets than sources). Work is spread over
// r.Workers goroutines. Table stops with ctx.Err() if ctx is cancelled.
func (r *Router) Table(ctx context.Context, sources, targets []road.Snap) ([]uint32, error) {
	out := make([]uint32, len(sources)*len(targets))
	if len(out) == 0 {
		return out, nil
	}
	n := len(r.H.Order)
	small := min(len(sources), len(targets))
	// A PHAST sweep costs O(n); an upward search with its bucket scan
	// costs a few hundred settled nodes. Sweeps win once the smaller
	// side alone needs more work in searches than in sweeps.
	var err error
	if small*n <= phastFactor*(len(sources)+len(targets))*bucketSearchCost {
		err = r.tablePHAST(ctx, sources, targets, out)
	} else {
		err = r.tableBuckets(ctx, sources, targets, out)
	}
	if err != nil {
		return nil, err
	}
	r.direct(sources, targets, out)
	return out, nil
}

// Cost model of Table's choice (tuned on Delaware, docs/BENCHMARKS.md):
// an upward search with bucket work costs about bucketSearchCost node
// visits, a sweep about n/phastFactor.
const (
	bucketSearchCost = 600
	phastFactor      = 4
)

// direct fixes the pairs joined more quickly without passing a node:
// positions on one segment, and, on graphs that time off-network legs,
// positions near each other off the network.
func (r *Router) direct(sources, targets []road.Snap, out []uint32) {
	g := r.H.Road
	if g.Meta.AccessKmh > 0 {
		for i, s := range sources {
			row := out[i*len(targets) : (i+1)*len(targets)]
			for j, t := range targets {
				if d, ok := g.DirectTime(s, t); ok && d < row[j] {
					row[j] = d
				}
			}
		}
		return
	}
	bySeg := make(map[int32][]int)
	for j, t := range targets {
		bySeg[t.Segment] = append(bySeg[t.Segment], j)
	}
	for i, s := range sources {
		for _, j := range bySeg[s.Segment] {
			if t, ok := g.DirectTime(s, targets[j]); ok && t < out[i*len(targets)+j] {
				out[i*len(targets)+j] = t
			}
		}
	}
}

// parallel runs fn(q, i) for i in [0, n) on the router's workers.
func (r *Router) parallel(ctx context.Context, n int, fn func(q *Query, i int)) error {
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := r.get()
			defer r.put(q)
			for i := range next {
				fn(q, i)
			}
		}()
	}
	var err error
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}

func (r *Router) tablePHAST(ctx context.Context, sources, targets []road.Snap, out []uint32) error {
	g := r.H.Road
	cols := len(targets)
	if len(sources) <= len(targets) {
		tseeds := make([]road.Seeds, len(targets))
		for j, t := range targets {
			tseeds[j] = g.TargetSeeds(t)
		}
		return r.parallel(ctx, len(sources), func(q *Query, i int) {
			src := g.SourceSeeds(sources[i])
			d := q.sweep(src.Slice(), true)
			row := out[i*cols : (i+1)*cols]
			for j := range tseeds {
				row[j] = bestSeed(d, r.H.Rank, &tseeds[j])
			}
		})
	}
	sseeds := make([]road.Seeds, len(sources))
	for i, s := range sources {
		sseeds[i] = g.SourceSeeds(s)
	}
	return r.parallel(ctx, len(targets), func(q *Query, j int) {
		dst := g.TargetSeeds(targets[j])
		d := q.sweep(dst.Slice(), false)
		for i := range sseeds {
			out[i*cols+j] = bestSeed(d, r.H.Rank, &sseeds[i])
		}
	})
}

// bestSeed returns the least d[rank of seed] + seed time over the seeds.
func bestSeed(d []uint32, rank []int32, s *road.Seeds) uint32 {
	best := uint32(inf)
	for _, sd := range s.Slice() {
		if t := road.AddTime(d[rank[sd.Node]], sd.Time); t < best {
			best = t
		}
	}
	return best
}

type bucketEntry struct {
	target int32
	time   uint32
}

func (r *Router) tableBuckets(ctx context.Context, sources, targets []road.Snap, out []uint32) error {
	g := r.H.Road
	n := len(r.H.Order)
	cols := len(targets)
	// Backward upward searches from every target, collected per worker.
	type found struct {
		node int32
		e    bucketEntry
	}
	perTarget := make([][]found, len(targets))
	err := r.parallel(ctx, len(targets), func(q *Query, j int) {
		seeds := g.TargetSeeds(targets[j])
		var list []found
		q.upSearch(seeds.Slice(), false, func(v int32, t uint32) {
			list = append(list, found{v, bucketEntry{int32(j), t}})
		})
		perTarget[j] = list
	})
	if err != nil {
		return err
	}
	// Counting sort by node into buckets.
	first := make([]int32, n+1)
	total := 0
	for _, list := range perTarget {
		for _, f := range list {
			first[f.node+1]++
		}
		total += len(list)
	}
	for v := 0; v < n; v++ {
		first[v+1] += first[v]
	}
	buckets := make([]bucketEntry, total)
	next := make([]int32, n)
	copy(next, first[:n])
	for _, list := range perTarget {
		for _, f := range list {
			buckets[next[f.node]] = f.e
			next[f.node]++
		}
	}
	perTarget = nil
	for i := range out {
		out[i] = inf
	}
	return r.parallel(ctx, len(sources), func(q *Query, i int) {
		seeds := g.SourceSeeds(sources[i])
		row := out[i*cols : (i+1)*cols]
		q.upSearch(seeds.Slice(), true, func(v int32, t uint32) {
			for _, b := range buckets[first[v]:first[v+1]] {
				if d := road.AddTime(t, b.time); d < row[b.target] {
					row[b.target] = d
				}
			}
		})
	})
}
