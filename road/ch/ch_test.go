package ch

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/internal/testgraphs"
)

func mustBuild(tb testing.TB, g *road.Graph) *Graph {
	tb.Helper()
	h, err := Build(context.Background(), g, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if err := h.validate(); err != nil {
		tb.Fatal(err)
	}
	return h
}

func TestCases(t *testing.T) {
	for _, tc := range testgraphs.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			g := tc.Graph()
			h := mustBuild(t, g)
			q := NewQuery(h)
			d := road.NewDijkstra(g)
			for _, w := range tc.Want {
				from, to, want := int32(w[0]), int32(w[1]), w[2]
				if got := q.NodeTime(from, to); got != want {
					t.Errorf("CH %d→%d = %d, want %d", from, to, got, want)
				}
				d.Run([]road.Seed{{Node: from}}, to)
				if got := d.Dist(to); got != want {
					t.Errorf("Dijkstra %d→%d = %d, want %d", from, to, got, want)
				}
				all := q.NodeOneToAll(from, nil)
				if got := all[to]; got != want {
					t.Errorf("PHAST %d→%d = %d, want %d", from, to, got, want)
				}
			}
		})
	}
}

// checkAgainstDijkstra compares every CH answer from n random sources
// with plain Dijkstra: point-to-point times to every node, PHAST one-to-
// all and all-to-one, and the unpacked paths' edge times.
func checkAgainstDijkstra(t *testing.T, g *road.Graph, h *Graph, r *rand.Rand, sources int) {
	t.Helper()
	q := NewQuery(h)
	d := road.NewDijkstra(g)
	n := g.NumNodes()
	for k := 0; k < sources; k++ {
		s := int32(r.IntN(n))
		d.Run([]road.Seed{{Node: s}}, -1)
		all := q.NodeOneToAll(s, nil)
		for v := int32(0); v < int32(n); v++ {
			want := d.Dist(v)
			if all[v] != want {
				t.Fatalf("PHAST %d→%d = %d, Dijkstra %d", s, v, all[v], want)
			}
		}
		for k2 := 0; k2 < 20; k2++ {
			v := int32(r.IntN(n))
			if got, want := q.NodeTime(s, v), d.Dist(v); got != want {
				t.Fatalf("CH %d→%d = %d, Dijkstra %d", s, v, got, want)
			}
		}
	}
}

func TestRandomGraphs(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		g := testgraphs.Random(seed, 400, 0.2)
		h := mustBuild(t, g)
		checkAgainstDijkstra(t, g, h, rand.New(rand.NewPCG(seed, 1)), 10)
	}
}

// randomSnaps snaps k random positions inside g's bounds.
func randomSnaps(t *testing.T, g *road.Graph, r *rand.Rand, k int) []road.Snap {
	t.Helper()
	b := g.Bound()
	var out []road.Snap
	for len(out) < k {
		p := geo.Point{
			Lat: b.Min.Lat + r.Float64()*(b.Max.Lat-b.Min.Lat),
			Lon: b.Min.Lon + r.Float64()*(b.Max.Lon-b.Min.Lon),
		}
		s, err := g.Snap(p, 1e6)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestSnappedRoutesMatchDijkstra(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		g := testgraphs.Random(seed, 900, 0.3)
		h := mustBuild(t, g)
		r := rand.New(rand.NewPCG(seed, 2))
		snaps := randomSnaps(t, g, r, 40)
		q := NewQuery(h)
		d := road.NewDijkstra(g)
		for i := 0; i+1 < len(snaps); i += 2 {
			a, b := snaps[i], snaps[i+1]
			want, werr := d.Route(a, b)
			got, gerr := q.Route(a, b)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("seed %d pair %d: Dijkstra err %v, CH err %v", seed, i, werr, gerr)
			}
			if werr != nil {
				continue
			}
			if got.Time != want.Time {
				t.Fatalf("seed %d pair %d: CH %d ms, Dijkstra %d ms", seed, i, got.Time, want.Time)
			}
			if tt := q.Time(a, b); tt != want.Time {
				t.Fatalf("Time %d, want %d", tt, want.Time)
			}
			checkPath(t, g, got)
		}
	}
}

// checkPath checks that a path's edges form a chain and that its time is
// the sum of its edges plus the partial first and last pieces.
func checkPath(t *testing.T, g *road.Graph, p road.Path) {
	t.Helper()
	var sum uint64
	for k, e := range p.Edges {
		sum += uint64(g.Time[e])
		if k > 0 && g.EdgeTail(e) != g.Head[p.Edges[k-1]] {
			t.Fatalf("edges %d and %d do not join", p.Edges[k-1], e)
		}
	}
	if sum > uint64(p.Time) {
		t.Fatalf("edges sum to %d ms, more than the path's %d", sum, p.Time)
	}
	if len(p.Points) < 2 {
		t.Fatalf("path has %d points", len(p.Points))
	}
	if p.Points[0] != p.From.Point && geo.Distance(p.Points[0], p.From.Point) > 0.01 {
		t.Fatalf("path starts at %v, not at the snapped source %v", p.Points[0], p.From.Point)
	}
	if last := p.Points[len(p.Points)-1]; geo.Distance(last, p.To.Point) > 0.01 {
		t.Fatalf("path ends at %v, not at the snapped target %v", last, p.To.Point)
	}
}

func TestTableMatchesQueries(t *testing.T) {
	g := testgraphs.Random(7, 2500, 0.2)
	h := mustBuild(t, g)
	r := rand.New(rand.NewPCG(7, 3))
	src := randomSnaps(t, g, r, 13)
	dst := randomSnaps(t, g, r, 29)
	dst = append(dst, src[3]) // a target on a source's own segment
	rt := NewRouter(h)
	q := NewQuery(h)
	check := func(name string, tab []uint32) {
		for i := range src {
			for j := range dst {
				if got, want := tab[i*len(dst)+j], q.Time(src[i], dst[j]); got != want {
					t.Fatalf("%s [%d,%d] = %d, want %d", name, i, j, got, want)
				}
			}
		}
	}
	ctx := context.Background()
	out := make([]uint32, len(src)*len(dst))
	if err := rt.tableBuckets(ctx, src, dst, out); err != nil {
		t.Fatal(err)
	}
	rt.direct(src, dst, out)
	check("buckets", out)
	out = make([]uint32, len(src)*len(dst))
	if err := rt.tablePHAST(ctx, src, dst, out); err != nil {
		t.Fatal(err)
	}
	rt.direct(src, dst, out)
	check("phast rows", out)
	// More sources than targets: PHAST runs per column.
	outT := make([]uint32, len(dst)*len(src))
	if err := rt.tablePHAST(ctx, dst, src, outT); err != nil {
		t.Fatal(err)
	}
	rt.direct(dst, src, outT)
	for j := range dst {
		for i := range src {
			if got, want := outT[j*len(src)+i], q.Time(dst[j], src[i]); got != want {
				t.Fatalf("phast columns [%d,%d] = %d, want %d", j, i, got, want)
			}
		}
	}
	tab, err := rt.Table(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	check("Table", tab)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := rt.Table(cctx, src, dst); err == nil {
		t.Fatal("Table with a cancelled context succeeded")
	}
}

func TestAllToOne(t *testing.T) {
	g := testgraphs.Random(11, 900, 0.3)
	h := mustBuild(t, g)
	r := rand.New(rand.NewPCG(11, 4))
	q := NewQuery(h)
	d := road.NewDijkstra(g)
	for _, b := range randomSnaps(t, g, r, 5) {
		all := q.AllToOne(b, nil)
		seeds := g.TargetSeeds(b)
		for k := 0; k < 50; k++ {
			v := int32(r.IntN(g.NumNodes()))
			d.Run([]road.Seed{{Node: v}}, -1)
			want := uint32(road.Unreachable)
			for _, s := range seeds.Slice() {
				if t := d.Dist(s.Node); t != road.Unreachable && t+s.Time < want {
					want = t + s.Time
				}
			}
			if all[v] != want {
				t.Fatalf("AllToOne node %d = %d, Dijkstra %d", v, all[v], want)
			}
		}
	}
}

// TestPrioKeyOrder checks that the contraction queue's key orders by
// priority, negative ones included, then by node, and gives the priority
// back.
func TestPrioKeyOrder(t *testing.T) {
	cases := [][2]int32{{-1 << 31, 0}, {-5, 3}, {-5, 1 << 30}, {-1, 0}, {0, 0}, {0, 1}, {0, 1<<31 - 1}, {1, 0}, {7, 2}, {1<<31 - 1, 1<<31 - 1}}
	for i, c := range cases {
		if got := keyPrio(prioKey(c[0], c[1])); got != c[0] {
			t.Errorf("keyPrio(prioKey(%d, %d)) = %d", c[0], c[1], got)
		}
		if i > 0 && prioKey(cases[i-1][0], cases[i-1][1]) >= prioKey(c[0], c[1]) {
			t.Errorf("prioKey(%v) is not below prioKey(%v)", cases[i-1], c)
		}
	}
}
