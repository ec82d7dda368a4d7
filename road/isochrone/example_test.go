package isochrone_test

import (
	"fmt"
	"time"

	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/isochrone"
)

func ExampleCompute() {
	// A 20 km road running east at 60 km/h, with a junction every 2 km.
	var b road.Builder
	proj := geo.NewProjection(geo.Point{Lat: 52.6, Lon: -0.7})
	prev := b.AddNode(proj.Unproject(0, 0))
	for x := 2000.0; x <= 20000; x += 2000 {
		n := b.AddNode(proj.Unproject(x, 0))
		if err := b.AddSegment(road.Segment{From: prev, To: n, ForwardKmh: 60, BackwardKmh: 60}); err != nil {
			fmt.Println(err)
			return
		}
		prev = n
	}
	g := b.Graph()

	// Times from the middle of the road, as a one-to-all search gives them.
	src, err := g.Snap(proj.Unproject(10000, 50), 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	limits := []time.Duration{5 * time.Minute, 10 * time.Minute}
	d := road.NewDijkstra(g)
	seeds := g.SourceSeeds(src)
	d.RunUntil(seeds.Slice(), uint32((limits[1] + 2*time.Minute).Milliseconds()))
	times := make([]uint32, g.NumNodes())
	for v := range times {
		times[v] = d.Dist(int32(v))
	}

	bands, err := isochrone.Compute(g, src, times, limits, isochrone.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, band := range bands {
		// A farm 4.5 km along the road and 250 m off it: 270 s of
		// driving and at least 89 s on foot at the default 10 km/h.
		fmt.Printf("%v: %d polygon(s), %.1f km², farm reached: %v\n",
			band.Limit, len(band.Polygons), band.AreaKm2, band.Contains(proj.Unproject(14500, 250)))
	}
	// Output:
	// 5m0s: 1 polygon(s), 4.9 km², farm reached: false
	// 10m0s: 1 polygon(s), 10.9 km², farm reached: true
}
