package report

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/isochrone"
)

// The types the lead converts from keep the shapes the documentation
// promises: arv.Targets converts to Targets, an isochrone ring assigns
// to []geo.Point, road classes name the road styles.
func TestFromEngineTypes(t *testing.T) {
	tg := Targets(arv.Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9})
	if tg.Minutes(arv.Urban) != 15 || tg.Minutes(arv.Rural) != 20 {
		t.Errorf("Targets from arv.Targets = %+v", tg)
	}
	if ClassUrban != arv.Urban || ClassRural != arv.Rural {
		t.Errorf("area classes %q, %q differ from arv's %q, %q", ClassUrban, ClassRural, arv.Urban, arv.Rural)
	}
	for _, c := range []road.Class{road.ClassMotorway, road.ClassTrunk, road.ClassPrimary, road.ClassSecondary} {
		if roadStyle(c.String()) == 0 {
			t.Errorf("road class %q is drawn as a minor road", c)
		}
	}

	c := geo.Point{Lat: 51.3, Lon: -1.9}
	bands := []isochrone.Band{{Limit: 10 * time.Minute, Polygons: []isochrone.Polygon{{isochrone.Ring(circle(c, 5000, 24, 0))}}}}
	var d Data
	for _, b := range bands {
		rb := Band{Minutes: b.Limit.Minutes()}
		for _, pg := range b.Polygons {
			var rings [][]geo.Point
			for _, r := range pg {
				rings = append(rings, r)
			}
			rb.Polygons = append(rb.Polygons, rings)
		}
		d.Map.Isochrones = append(d.Map.Isochrones, rb)
	}
	out := mustRender(t, &d)
	if !strings.Contains(out, "Within 10 min") {
		t.Error("converted band not drawn")
	}
}

// A whole county of roads stays a reasonable file: points closer than
// about a pixel are dropped, and one path is written per class.
func TestManyRoads(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := sampleData()
	classes := []string{"motorway", "trunk", "primary", "secondary", "tertiary", "residential"}
	for range 50000 {
		p := geo.Point{Lat: 50.95 + 0.7*rng.Float64(), Lon: -2.35 + 0.9*rng.Float64()}
		line := []geo.Point{p}
		for range 8 {
			p = geo.Point{Lat: p.Lat + 0.0005*(rng.Float64()-0.5), Lon: p.Lon + 0.0008*(rng.Float64()-0.5)}
			line = append(line, p)
		}
		d.Map.Roads = append(d.Map.Roads, Polyline{Points: line, Class: classes[rng.IntN(len(classes))]})
	}
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes", buf.Len())
	if n := buf.Len(); n > 6<<20 {
		t.Errorf("report with 50,000 roads is %d bytes, want under 6 MiB", n)
	}
	if got := strings.Count(buf.String(), `class="road road-`); got != 5 {
		t.Errorf("%d road paths, want one per drawn style (5)", got)
	}
}

func BenchmarkRender(b *testing.B) {
	d := sampleData()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/report")
}
