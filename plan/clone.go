package plan

import (
	"slices"

	"github.com/arv-project/arv"
)

// Clone returns a deep copy of s: changing the copy, its slices or the
// values they hold never changes s. Clone(nil) is nil.
func Clone(s *arv.Scenario) *arv.Scenario {
	if s == nil {
		return nil
	}
	c := *s
	c.DemandPoints = slices.Clone(s.DemandPoints)
	if s.DemandGrid != nil {
		g := *s.DemandGrid
		c.DemandGrid = &g
	}
	c.Bases = slices.Clone(s.Bases)
	c.StandbyPoints = slices.Clone(s.StandbyPoints)
	c.ARVs = slices.Clone(s.ARVs)
	for i := range c.ARVs {
		c.ARVs[i].Shifts = slices.Clone(s.ARVs[i].Shifts)
	}
	c.Shifts.Shifts = slices.Clone(s.Shifts.Shifts)
	c.Demand.HourOfDay = slices.Clone(s.Demand.HourOfDay)
	c.Demand.DayOfWeek = slices.Clone(s.Demand.DayOfWeek)
	c.Demand.Hotspots = slices.Clone(s.Demand.Hotspots)
	c.KeySites = slices.Clone(s.KeySites)
	c.MutualAid.Neighbours = slices.Clone(s.MutualAid.Neighbours)
	return &c
}
