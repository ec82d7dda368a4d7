package arv

import (
	"math"

	"github.com/arv-project/arv/geo"
)

// UrbanRadiusKm is how far from an urban settlement's centre a call
// counts as urban. Assumption: the built-in settlements are points; 3 km
// covers the built-up area of a town of 30,000-200,000 (Swindon's is
// about 5 km across, GK).
const UrbanRadiusKm = 3

// UrbanClassifier returns the function that gives a position's area
// class, which sets its response-time target: Urban within UrbanRadiusKm
// of one of the scenario's urban demand points, Rural otherwise. locate
// places the demand points (an arv.Router's Locate); one it cannot place
// is left out.
func (s *Scenario) UrbanClassifier(locate func(string) (geo.Point, error)) func(geo.Point) string {
	var urban []geo.Point
	for _, d := range s.DemandPoints {
		if d.Class != Urban {
			continue
		}
		if p, err := locate(string(d.At)); err == nil {
			urban = append(urban, p)
		}
	}
	return func(p geo.Point) string {
		best := math.Inf(1)
		for _, u := range urban {
			best = min(best, geo.Distance(p, u))
		}
		if best <= UrbanRadiusKm*1000 {
			return Urban
		}
		return Rural
	}
}
