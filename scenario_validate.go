package arv

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Validate checks the scenario's own consistency (not its positions,
// which need the road network) and returns every problem found, in the
// order of the fields, each with its path and one clear sentence.
func (s *Scenario) Validate() []FieldError {
	v := &validator{}
	v.nonEmpty("name", s.Name)

	if (s.Network.Builtin == "") == (s.Network.Graph == "") {
		v.add("network", "give exactly one of builtin (a built-in network name) or graph (a graph file)")
	}
	v.positive("force.area_km2", s.Force.AreaKm2)
	if s.Force.Population <= 0 {
		v.add("force.population", "must be a positive number of residents, got %d", s.Force.Population)
	}

	if len(s.DemandPoints) == 0 && (s.DemandGrid == nil || s.DemandGrid.Population <= 0) {
		v.add("demand_points", "give at least one demand point (or a populated demand_grid)")
	}
	ids := map[string]string{}
	names := map[string]string{} // reports group results by name
	for i, d := range s.DemandPoints {
		p := fmt.Sprintf("demand_points[%d]", i)
		v.id(p+".id", d.ID, ids)
		v.id(p+".name", d.Name, names)
		v.nonEmpty(p+".at", string(d.At))
		if d.Population < 0 {
			v.add(p+".population", "must not be negative, got %d", d.Population)
		}
		v.class(p+".class", d.Class)
	}
	if g := s.DemandGrid; g != nil {
		if !(g.CellKm >= 1 && g.CellKm <= 50) {
			v.add("demand_grid.cell_km", "must be between 1 and 50 km, got %g", g.CellKm)
		}
		if g.Population < 0 {
			v.add("demand_grid.population", "must not be negative, got %d", g.Population)
		}
		v.class("demand_grid.class", g.Class)
	}

	if len(s.Bases) == 0 {
		v.add("bases", "give at least one base")
	}
	baseIDs := map[string]string{}
	for i, b := range s.Bases {
		p := fmt.Sprintf("bases[%d]", i)
		v.id(p+".id", b.ID, baseIDs)
		v.nonEmpty(p+".at", string(b.At))
	}
	for i, b := range s.StandbyPoints {
		p := fmt.Sprintf("standby_points[%d]", i)
		v.id(p+".id", b.ID, baseIDs)
		v.nonEmpty(p+".at", string(b.At))
	}

	shiftNames := map[string]bool{}
	sp := s.Shifts
	if sp.Teams < 1 || sp.Teams > 20 {
		v.add("shifts.teams", "must be between 1 and 20 teams, got %d", sp.Teams)
	}
	if !(sp.Hours > 0 && sp.Hours <= 24) {
		v.add("shifts.hours", "must be between 0 and 24 hours, got %g", sp.Hours)
	}
	if len(sp.Shifts) == 0 {
		v.add("shifts.shifts", "give at least one shift")
	}
	prev := -1.0
	for i, sh := range sp.Shifts {
		p := fmt.Sprintf("shifts.shifts[%d]", i)
		if v.nonEmpty(p+".name", sh.Name) {
			if shiftNames[sh.Name] {
				v.add(p+".name", "shift %q is named twice", sh.Name)
			}
			shiftNames[sh.Name] = true
		}
		m, err := ClockMinutes(sh.Start)
		if err != nil {
			v.add(p+".start", "%v", err)
		} else if m <= prev {
			v.add(p+".start", "shifts must be listed in order of start time within the day")
		} else {
			prev = m
		}
	}

	o := s.Officers
	for _, c := range []struct {
		path string
		n    int
	}{{"officers.arv", o.ARV}, {"officers.afo", o.AFO}, {"officers.taser", o.Taser}} {
		if c.n < 0 {
			v.add(c.path, "must not be negative, got %d", c.n)
		}
	}
	a := o.Abstraction
	for _, c := range []struct {
		path string
		d    float64
	}{
		{"officers.abstraction.annual_leave_shifts", a.AnnualLeave},
		{"officers.abstraction.sickness_shifts", a.Sickness},
		{"officers.abstraction.training_shifts", a.Training},
		{"officers.abstraction.course_shifts", a.Courses},
	} {
		if !(c.d >= 0 && c.d <= 366) {
			v.add(c.path, "must be between 0 and 366 days, got %g", c.d)
		}
	}
	if r := sp.RosteredShifts(); r > 0 && a.Total() >= r {
		v.add("officers.abstraction", "%.0f days away from duty a year is not less than the %.0f shifts a year each officer is rostered for (%d shifts a day shared by %d teams)",
			a.Total(), r, len(sp.Shifts), sp.Teams)
	}

	if len(s.ARVs) == 0 {
		v.add("arvs", "give at least one ARV")
	}
	calls := map[string]string{}
	team := 0
	if sp.Teams > 0 {
		team = o.ARV / sp.Teams
	}
	for i, r := range s.ARVs {
		p := fmt.Sprintf("arvs[%d]", i)
		v.id(p+".call_sign", r.CallSign, calls)
		if r.Base == "" {
			v.add(p+".base", "give the id of its base or standby point")
		} else if _, ok := baseIDs[r.Base]; !ok {
			v.add(p+".base", "unknown base %q (bases and standby points: %s)", r.Base, keys(baseIDs))
		}
		switch {
		case r.Crew < 1 || r.Crew > 6:
			v.add(p+".crew", "must be between 1 and 6 officers, got %d", r.Crew)
		case sp.Teams > 0 && r.Crew > team:
			v.add(p+".crew", "a crew of %d is more than the %d ARV officers of one team on shift (%d officers in %d teams)",
				r.Crew, team, o.ARV, sp.Teams)
		}
		if len(r.Shifts) == 0 {
			v.add(p+".shifts", "give the shifts it is crewed on")
		}
		for j, name := range r.Shifts {
			if !shiftNames[name] {
				v.add(fmt.Sprintf("%s.shifts[%d]", p, j), "unknown shift %q (shifts: %s)", name, boolKeys(shiftNames))
			}
		}
	}
	if s.MinimumComplement < 0 || s.MinimumComplement > len(s.ARVs) {
		v.add("minimum_complement", "must be between 0 and the %d ARVs, got %d", len(s.ARVs), s.MinimumComplement)
	}

	d := s.Demand
	if !(d.IncidentsPerYear >= 0 && d.IncidentsPerYear <= 1e6) {
		v.add("demand.incidents_per_year", "must be a rate between 0 and 1,000,000 a year, got %g", d.IncidentsPerYear)
	}
	v.weights("demand.hour_of_day", d.HourOfDay, 24)
	v.weights("demand.day_of_week", d.DayOfWeek, 7)
	hot := 0.0
	for i, h := range d.Hotspots {
		p := fmt.Sprintf("demand.hotspots[%d]", i)
		v.id(p+".name", h.Name, names)
		v.nonEmpty(p+".at", string(h.At))
		v.share(p+".share", h.Share)
		v.class(p+".class", h.Class)
		hot += h.Share
	}
	if hot > 1+1e-9 {
		v.add("demand.hotspots", "shares add up to %g, more than all incidents", hot)
	}
	v.share("demand.two_arv_share", d.TwoARVShare)
	v.dist("demand.on_scene", d.OnScene)
	v.share("demand.stood_down_share", d.StoodDownShare)

	v.dist("delays.call_handling", s.Delays.CallHandling)
	v.dist("delays.authorisation", s.Delays.Authorisation)
	v.dist("delays.mobilisation", s.Delays.Mobilisation)

	for i, k := range s.KeySites {
		p := fmt.Sprintf("key_sites[%d]", i)
		v.nonEmpty(p+".name", k.Name)
		v.nonEmpty(p+".at", string(k.At))
		if _, err := ClockMinutes(k.Start); err != nil {
			v.add(p+".start", "%v", err)
		}
		if !(k.HoursPerDay > 0 && k.HoursPerDay <= 24) {
			v.add(p+".hours_per_day", "must be between 0 and 24 hours, got %g", k.HoursPerDay)
		}
	}

	if !(s.MutualAid.AfterMinutes >= 0 && s.MutualAid.AfterMinutes <= 24*60) {
		v.add("mutual_aid.after_minutes", "must be between 0 and 1440 minutes, got %g", s.MutualAid.AfterMinutes)
	}
	for i, n := range s.MutualAid.Neighbours {
		p := fmt.Sprintf("mutual_aid.neighbours[%d]", i)
		v.nonEmpty(p+".name", n.Name)
		if n.At != "" {
			v.nonEmpty(p+".at", string(n.At))
		}
		v.dist(p+".arrival", n.Arrival)
	}

	v.positive("targets.urban_minutes", s.Targets.UrbanMinutes)
	v.positive("targets.rural_minutes", s.Targets.RuralMinutes)
	if !(s.Targets.Share > 0 && s.Targets.Share <= 1) {
		v.add("targets.share", "must be a share between 0 and 1, got %g", s.Targets.Share)
	}

	sim := s.Simulation
	if !(sim.Years > 0 && sim.Years <= 1000) {
		v.add("simulation.years", "must be between 0 and 1000 years, got %g", sim.Years)
	}
	if sim.Replications < 1 || sim.Replications > 10000 {
		v.add("simulation.replications", "must be between 1 and 10,000, got %d", sim.Replications)
	}
	if !(sim.WarmupDays >= 0 && sim.WarmupDays <= 3650) {
		v.add("simulation.warmup_days", "must be between 0 and 3650 days, got %g", sim.WarmupDays)
	}
	return v.errs
}

type validator struct{ errs []FieldError }

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) nonEmpty(path, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.add(path, "must not be empty")
		return false
	}
	return true
}

// id checks that an identifier is present and unique within seen.
func (v *validator) id(path, id string, seen map[string]string) {
	if !v.nonEmpty(path, id) {
		return
	}
	if first, ok := seen[id]; ok {
		v.add(path, "%q is used twice (first at %s)", id, first)
		return
	}
	seen[id] = path
}

func (v *validator) positive(path string, x float64) {
	if !(x > 0) || math.IsInf(x, 0) {
		v.add(path, "must be a positive number, got %g", x)
	}
}

func (v *validator) share(path string, x float64) {
	if !(x >= 0 && x <= 1) {
		v.add(path, "must be a share between 0 and 1, got %g", x)
	}
}

func (v *validator) class(path, c string) {
	if c != Urban && c != Rural {
		v.add(path, "must be %q or %q, got %q", Urban, Rural, c)
	}
}

func (v *validator) weights(path string, w []float64, n int) {
	if len(w) != n {
		v.add(path, "give %d weights, got %d", n, len(w))
		return
	}
	sum := 0.0
	for i, x := range w {
		if !(x >= 0) || math.IsInf(x, 0) {
			v.add(fmt.Sprintf("%s[%d]", path, i), "weights must not be negative, got %g", x)
			return
		}
		sum += x
	}
	if !(sum > 0) {
		v.add(path, "weights must not all be zero")
	}
}

// dist checks a distribution's kind, parameters (minutes) and source.
func (v *validator) dist(path string, d Dist) {
	ok := func(x float64) bool { return x >= 0 && x <= 7*24*60 } // up to a week
	// Parameters the kind does not use must still be sane numbers.
	for _, p := range []struct {
		name string
		x    float64
	}{{"mean", d.Mean}, {"sd", d.SD}, {"min", d.Min}, {"max", d.Max}} {
		if !ok(p.x) {
			v.add(path+"."+p.name, "must be between 0 and 10080 minutes, got %g", p.x)
			return
		}
	}
	switch d.Kind {
	case DistFixed:
		if !ok(d.Mean) {
			v.add(path+".mean", "must be between 0 and 10080 minutes, got %g", d.Mean)
		}
	case DistExponential:
		if !ok(d.Mean) || d.Mean == 0 {
			v.add(path+".mean", "must be a positive number of minutes up to 10080, got %g", d.Mean)
		}
	case DistLognormal:
		if !ok(d.Mean) || d.Mean == 0 {
			v.add(path+".mean", "must be a positive number of minutes up to 10080, got %g", d.Mean)
		}
		if !ok(d.SD) {
			v.add(path+".sd", "must be between 0 and 10080 minutes, got %g", d.SD)
		}
	case DistUniform:
		if !ok(d.Min) || !ok(d.Max) || d.Min > d.Max {
			v.add(path, "needs 0 <= min <= max <= 10080 minutes, got min %g, max %g", d.Min, d.Max)
		}
	case DistTriangular:
		if !ok(d.Min) || !ok(d.Max) || !(d.Min <= d.Mean && d.Mean <= d.Max) {
			v.add(path, "needs 0 <= min <= mean (the mode) <= max <= 10080 minutes, got min %g, mean %g, max %g", d.Min, d.Mean, d.Max)
		}
	default:
		v.add(path+".dist", "unknown distribution %q (fixed, exponential, lognormal, uniform or triangular)", d.Kind)
	}
	if strings.TrimSpace(d.Source) == "" {
		v.add(path+".source", `give a source, or "assumption: ..." saying why the figures are reasonable`)
	}
}

func keys(m map[string]string) string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}

func boolKeys(m map[string]bool) string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}
