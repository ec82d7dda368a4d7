package ch

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/internal/fixtures"
	"github.com/arv-project/arv/road"
)

var (
	hierarchies   = map[string]*Graph{}
	hierarchiesMu sync.Mutex
)

// hierarchy returns the extract's hierarchy, built once per process.
func hierarchy(tb testing.TB, x *fixtures.Extract) *Graph {
	tb.Helper()
	g, _ := x.Graph(tb)
	hierarchiesMu.Lock()
	defer hierarchiesMu.Unlock()
	if h := hierarchies[x.Name]; h != nil {
		return h
	}
	h, err := Build(context.Background(), g, nil)
	if err != nil {
		tb.Fatal(err)
	}
	hierarchies[x.Name] = h
	return h
}

var extracts = []*fixtures.Extract{fixtures.Rutland, fixtures.Delaware}

func BenchmarkBuild(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			g, _ := x.Graph(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(context.Background(), g, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// randomPairs returns n random node pairs (fixed seed).
func randomPairs(g *road.Graph, n int) [][2]int32 {
	r := rand.New(rand.NewPCG(42, 42))
	out := make([][2]int32, n)
	for i := range out {
		out[i] = [2]int32{int32(r.IntN(g.NumNodes())), int32(r.IntN(g.NumNodes()))}
	}
	return out
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// BenchmarkQuery times point-to-point queries between random nodes and
// reports the median alongside ns/op, and the same pairs with plain
// Dijkstra (stopping at the target) for the speed-up.
func BenchmarkQuery(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			h := hierarchy(b, x)
			g := h.Road
			pairs := randomPairs(g, 1000)
			q := NewQuery(h)
			for _, p := range pairs { // warm up
				q.NodeTime(p[0], p[1])
			}
			benchPairs(b, pairs, func(from, to int32) { q.NodeTime(from, to) })
		})
	}
}

func BenchmarkDijkstra(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			g, _ := x.Graph(b)
			pairs := randomPairs(g, 1000)
			d := road.NewDijkstra(g)
			benchPairs(b, pairs, func(from, to int32) { d.Run([]road.Seed{{Node: from}}, to) })
		})
	}
}

// benchPairs runs query on the pairs in turn, one per iteration, and
// reports the median latency (of the first 65,536) beside ns/op.
func benchPairs(b *testing.B, pairs [][2]int32, query func(from, to int32)) {
	b.ReportAllocs()
	lat := make([]time.Duration, 0, 1<<16)
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		i++
		t0 := time.Now()
		query(p[0], p[1])
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(t0))
		}
	}
	b.ReportMetric(float64(median(lat).Nanoseconds())/1000, "median-µs")
}

// TestSpeedup measures the CH and plain Dijkstra on the same 1,000 pairs of
// the Delaware extract and reports their medians and ratio. It asserts
// nothing about speed (timing in unit tests is unreliable): the figure is
// logged for docs/BENCHMARKS.md, and the answers must agree.
func TestSpeedup(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs 1,000 plain Dijkstra queries")
	}
	h := hierarchy(t, fixtures.Delaware)
	g := h.Road
	pairs := randomPairs(g, 1000)
	q := NewQuery(h)
	d := road.NewDijkstra(g)
	// Each method runs its 1,000 queries back to back, as a server would,
	// after one warm-up pass; then the answers are compared.
	for _, p := range pairs {
		q.NodeTime(p[0], p[1])
	}
	got := make([]uint32, len(pairs))
	tq := make([]time.Duration, len(pairs))
	for i, p := range pairs {
		t0 := time.Now()
		got[i] = q.NodeTime(p[0], p[1])
		tq[i] = time.Since(t0)
	}
	td := make([]time.Duration, len(pairs))
	for i, p := range pairs {
		t0 := time.Now()
		d.Run([]road.Seed{{Node: p[0]}}, p[1])
		td[i] = time.Since(t0)
		if want := d.Dist(p[1]); got[i] != want {
			t.Fatalf("%d→%d: CH %d, Dijkstra %d", p[0], p[1], got[i], want)
		}
	}
	mq, md := median(tq), median(td)
	t.Logf("delaware, 1000 random pairs: CH median %v, Dijkstra median %v, speed-up %.0f×", mq, md, float64(md)/float64(mq))
}

func BenchmarkRoute(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			h := hierarchy(b, x)
			g := h.Road
			r := rand.New(rand.NewPCG(7, 7))
			bd := g.Bound()
			var snaps []road.Snap
			for len(snaps) < 200 {
				p := geo.Point{Lat: bd.Min.Lat + r.Float64()*(bd.Max.Lat-bd.Min.Lat), Lon: bd.Min.Lon + r.Float64()*(bd.Max.Lon-bd.Min.Lon)}
				if s, err := g.Snap(p, 0); err == nil {
					snaps = append(snaps, s)
				}
			}
			q := NewQuery(h)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := q.Route(snaps[i%len(snaps)], snaps[(i+1)%len(snaps)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkSnap snaps positions up to 200 m from random nodes, as
// incidents and bases lie near roads.
func BenchmarkSnap(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			g, _ := x.Graph(b)
			r := rand.New(rand.NewPCG(8, 8))
			pts := make([]geo.Point, 1000)
			for i := range pts {
				p := g.Points[r.IntN(g.NumNodes())]
				// Up to 200 m off in each direction (1° of latitude is 111 km).
				pts[i] = geo.Point{Lat: p.Lat + (r.Float64()-0.5)*0.0036, Lon: p.Lon + (r.Float64()-0.5)*0.0036}
			}
			g.Snap(pts[0], 0) // build the index outside the loop
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := g.Snap(pts[i%len(pts)], 0); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// tableSnaps returns n positions snapped onto random segments (fixed seed).
func tableSnaps(g *road.Graph, n int, seed uint64) []road.Snap {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]road.Snap, n)
	for i := range out {
		s := int32(r.IntN(g.NumSegments()))
		out[i] = road.Snap{Segment: s, Offset: r.Float64(), Point: g.Points[g.SegFrom[s]]}
	}
	return out
}

func BenchmarkTable(b *testing.B) {
	for _, size := range []struct{ s, t int }{{100, 10000}, {100, 100}, {10, 1000}} {
		b.Run(fmt.Sprintf("delaware-%dx%d", size.s, size.t), func(b *testing.B) {
			h := hierarchy(b, fixtures.Delaware)
			rt := NewRouter(h)
			src := tableSnaps(h.Road, size.s, 1)
			dst := tableSnaps(h.Road, size.t, 2)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rt.Table(context.Background(), src, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOneToAll(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			h := hierarchy(b, x)
			q := NewQuery(h)
			snaps := tableSnaps(h.Road, 100, 3)
			dst := make([]uint32, h.Road.NumNodes())
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				dst = q.OneToAll(snaps[i%len(snaps)], dst)
				i++
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, x := range extracts {
		b.Run(x.Name, func(b *testing.B) {
			h := hierarchy(b, x)
			var buf bytes.Buffer
			if err := Encode(&buf, h); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.ReportMetric(float64(len(data))/1e6, "MB")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
