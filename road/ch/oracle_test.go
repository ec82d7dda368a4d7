package ch

import (
	"math/rand/v2"
	"testing"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
)

// TestOracleRealExtracts is the correctness oracle on real roads: on the
// Rutland and Delaware extracts, 10,000 random node pairs (100 random
// sources, 100 random targets each) must get exactly the plain-Dijkstra
// time from the point-to-point query; for each of those 100 sources the
// PHAST one-to-all times must equal Dijkstra's at every node of the graph;
// and 200 routes between random positions must equal Dijkstra's routes in
// time and unpack into a chain of road edges.
func TestOracleRealExtracts(t *testing.T) {
	for _, x := range extracts {
		t.Run(x.Name, func(t *testing.T) {
			h := hierarchy(t, x)
			g := h.Road
			n := g.NumNodes()
			r := rand.New(rand.NewPCG(2026, 11))
			q := NewQuery(h)
			d := road.NewDijkstra(g)
			pairs, unreachable := 0, 0
			all := make([]uint32, n)
			for s := 0; s < 100; s++ {
				src := int32(r.IntN(n))
				d.Run([]road.Seed{{Node: src}}, -1)
				all = q.NodeOneToAll(src, all)
				for v := int32(0); v < int32(n); v++ {
					if all[v] != d.Dist(v) {
						t.Fatalf("PHAST %d→%d = %d ms, Dijkstra %d ms", src, v, all[v], d.Dist(v))
					}
				}
				for k := 0; k < 100; k++ {
					dst := int32(r.IntN(n))
					want := d.Dist(dst)
					if got := q.NodeTime(src, dst); got != want {
						t.Fatalf("CH %d→%d = %d ms, Dijkstra %d ms", src, dst, got, want)
					}
					if want == road.Unreachable {
						unreachable++
					}
					pairs++
				}
			}
			// The graph is one strongly connected component.
			if unreachable > 0 {
				t.Fatalf("%d of %d pairs unreachable", unreachable, pairs)
			}
			b := g.Bound()
			routes := 0
			for routes < 200 {
				pa := geo.Point{Lat: b.Min.Lat + r.Float64()*(b.Max.Lat-b.Min.Lat), Lon: b.Min.Lon + r.Float64()*(b.Max.Lon-b.Min.Lon)}
				pb := geo.Point{Lat: b.Min.Lat + r.Float64()*(b.Max.Lat-b.Min.Lat), Lon: b.Min.Lon + r.Float64()*(b.Max.Lon-b.Min.Lon)}
				sa, err1 := g.Snap(pa, 0)
				sb, err2 := g.Snap(pb, 0)
				if err1 != nil || err2 != nil {
					continue // in the sea or beyond the extract
				}
				want, err := d.Route(sa, sb)
				if err != nil {
					t.Fatal(err)
				}
				got, err := q.Route(sa, sb)
				if err != nil {
					t.Fatal(err)
				}
				if got.Time != want.Time {
					t.Fatalf("route %v→%v: CH %d ms, Dijkstra %d ms", pa, pb, got.Time, want.Time)
				}
				checkPath(t, g, got)
				routes++
			}
			t.Logf("%s: %d node pairs, %d full one-to-all trees, %d snapped routes agree with Dijkstra", x.Name, pairs, 100, routes)
		})
	}
}
