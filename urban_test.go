package arv_test

import (
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// TestUrbanClassifier: a position is urban within 3 km of an urban
// demand point, rural beyond it and near rural points only; demand points
// the router cannot place are left out.
func TestUrbanClassifier(t *testing.T) {
	s := &arv.Scenario{DemandPoints: []arv.DemandPoint{
		{ID: "town", At: "51.5,-1.8", Class: arv.Urban},
		{ID: "village", At: "51.0,-2.0", Class: arv.Rural},
		{ID: "lost", At: "nowhere", Class: arv.Urban},
	}}
	locate := func(s string) (geo.Point, error) { return geo.ParsePoint(s) }
	classify := s.UrbanClassifier(locate)
	// 0.001 degrees of latitude is about 111 m.
	for _, c := range []struct {
		name string
		at   geo.Point
		want string
	}{
		{"the town's centre", geo.Point{Lat: 51.5, Lon: -1.8}, arv.Urban},
		{"2.9 km north of the town", geo.Point{Lat: 51.5 + 0.026, Lon: -1.8}, arv.Urban},
		{"3.1 km south of the town", geo.Point{Lat: 51.5 - 0.028, Lon: -1.8}, arv.Rural},
		{"the rural village", geo.Point{Lat: 51.0, Lon: -2.0}, arv.Rural},
		{"far from everything", geo.Point{Lat: 52.5, Lon: 0.5}, arv.Rural},
	} {
		if d := geo.Distance(c.at, geo.Point{Lat: 51.5, Lon: -1.8}); c.want == arv.Urban && d > arv.UrbanRadiusKm*1000 {
			t.Fatalf("%s: test point %.0f m from the town", c.name, d)
		}
		if got := classify(c.at); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := (&arv.Scenario{}).UrbanClassifier(locate)(geo.Point{Lat: 51.5, Lon: -1.8}); got != arv.Rural {
		t.Errorf("no urban demand points: %s, want rural", got)
	}
}
