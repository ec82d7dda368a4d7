package arv

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Scenario describes one force for planning and simulation: where its
// armed response vehicles stand, who crews them and when, where and when
// armed incidents arise, how long the steps of a response take, and what
// the force is measured against. Scenarios are read from YAML files (the
// yaml package) whose keys are the yaml tags below; every duration is in
// minutes.
//
// A Scenario says nothing about roads beyond naming its network: travel
// times come from a Router.
type Scenario struct {
	// Name is a short identifier ("wiltshire").
	Name string `yaml:"name"`
	// Description says what the scenario represents and its main caveats.
	Description string `yaml:"description,omitempty"`
	// Force describes the police force and its area.
	Force Force `yaml:"force"`
	// Network names the road network travel times come from.
	Network NetworkRef `yaml:"network"`

	// DemandPoints are where incidents happen: settlements, or any point
	// with a population weight.
	DemandPoints []DemandPoint `yaml:"demand_points"`
	// DemandGrid spreads the population that lives outside the listed
	// demand points over a grid of cells. Optional.
	DemandGrid *DemandGrid `yaml:"demand_grid,omitempty"`

	// Bases are police sites where ARVs start their shifts, stand by
	// between jobs and return to.
	Bases []Base `yaml:"bases"`
	// StandbyPoints are other places an ARV may be posted to wait between
	// jobs (an ARV's base may name one).
	StandbyPoints []Base `yaml:"standby_points,omitempty"`
	// ARVs are the force's armed response vehicles, in the order they are
	// crewed when there are not enough officers for all.
	ARVs []ARV `yaml:"arvs"`

	// Shifts is the shift pattern ARV officers work.
	Shifts ShiftPattern `yaml:"shifts"`
	// Officers is the armed-officer establishment and its abstraction.
	Officers Officers `yaml:"officers"`
	// MinimumComplement is the fewest ARVs the force means to have crewed
	// at any time.
	MinimumComplement int `yaml:"minimum_complement"`

	// Demand is the armed-incident demand.
	Demand Demand `yaml:"demand"`
	// Delays are the steps between a 999 call and an ARV leaving.
	Delays Delays `yaml:"delays"`
	// KeySites are places where an ARV crew is committed to armed patrol
	// for some hours each day, away from response.
	KeySites []KeySite `yaml:"key_sites,omitempty"`
	// MutualAid is help from neighbouring forces when no own ARV is free.
	MutualAid MutualAid `yaml:"mutual_aid"`
	// Targets are the response-time standards the force is measured
	// against.
	Targets Targets `yaml:"targets"`
	// Simulation holds the default run settings.
	Simulation SimulationSettings `yaml:"simulation"`
}

// Force describes a police force and its area.
type Force struct {
	// Name is the force's name ("Wiltshire Police").
	Name string `yaml:"name"`
	// AreaKm2 is the force area in square kilometres.
	AreaKm2 float64 `yaml:"area_km2"`
	// Population is the number of residents of the force area.
	Population int `yaml:"population"`
}

// NetworkRef names a road network: a built-in one or a graph file built
// by "arv graph build". Exactly one is set.
type NetworkRef struct {
	// Builtin is the name of a built-in network ("wiltshire", "kent").
	Builtin string `yaml:"builtin,omitempty"`
	// Graph is the path of a graph file, relative to the scenario file.
	Graph string `yaml:"graph,omitempty"`
}

// Location is where something is: "LAT,LON" in decimal degrees, or the
// name (or id) of a place of the scenario's road network.
type Location string

// Area classes of demand points, which set the response-time target.
const (
	Urban = "urban"
	Rural = "rural"
)

// DemandPoint is a place where incidents arise.
type DemandPoint struct {
	// ID is a short unique key.
	ID string `yaml:"id"`
	// Name is what reports call it.
	Name string `yaml:"name"`
	// At is its position.
	At Location `yaml:"at"`
	// Population is the number of residents: the point's share of demand.
	Population int `yaml:"population"`
	// Class is Urban or Rural.
	Class string `yaml:"class"`
}

// DemandGrid spreads population over square cells covering the area the
// demand points span (their convex hull), for people living outside them.
type DemandGrid struct {
	// CellKm is the side of a cell in kilometres.
	CellKm float64 `yaml:"cell_km"`
	// Population is the number of residents spread evenly over the cells.
	Population int `yaml:"population"`
	// Class is the area class of every cell, normally Rural.
	Class string `yaml:"class"`
}

// Base is a police site or a standby point.
type Base struct {
	// ID is a short unique key (unique across bases and standby points).
	ID string `yaml:"id"`
	// Name is what reports call it.
	Name string `yaml:"name"`
	// At is its position.
	At Location `yaml:"at"`
}

// ARV is an armed response vehicle.
type ARV struct {
	// CallSign is its radio call sign, unique in the force.
	CallSign string `yaml:"call_sign"`
	// Base is the ID of the base or standby point it works from.
	Base string `yaml:"base"`
	// Crew is the number of armed officers it needs: usually 2 in county
	// forces, 3 in London.
	Crew int `yaml:"crew"`
	// Shifts are the names of the shifts it is crewed on.
	Shifts []string `yaml:"shifts"`
}

// ShiftPattern is how ARV officers' duty is organised: officers form
// Teams equal teams, and each shift of the day is worked by one team.
type ShiftPattern struct {
	// Teams is the number of teams in the rota (a 5-team rota is common).
	Teams int `yaml:"teams"`
	// Hours is the length of one shift in hours. Shifts may overlap (for
	// briefings and handovers): an ARV crewed by a shift counts as crewed
	// from that shift's start to the next shift's start.
	Hours float64 `yaml:"hours"`
	// Shifts are the shifts of each day in order of their start times.
	Shifts []Shift `yaml:"shifts"`
}

// Shift is one shift of the day.
type Shift struct {
	// Name identifies the shift ("early", "late", "night").
	Name string `yaml:"name"`
	// Start is the time of day it starts, "HH:MM".
	Start string `yaml:"start"`
}

// Officers is the armed-officer establishment and how much of the year
// each officer is away from duty on rostered days.
type Officers struct {
	// ARV is the number of ARV-accredited officers, who crew ARVs.
	ARV int `yaml:"arv"`
	// AFO is the number of other authorised firearms officers (protection,
	// specialist teams) who do not crew ARVs.
	AFO int `yaml:"afo"`
	// Taser is the number of Taser-trained officers who are not AFOs.
	Taser int `yaml:"taser"`
	// Abstraction is the time away from rostered duty.
	Abstraction Abstraction `yaml:"abstraction"`
}

// Abstraction is the number of rostered shifts a year an officer is away
// from ARV duty, by reason. Shifts, not days: with ten-hour shifts, 35
// days of 8-hour leave are 28 shifts.
type Abstraction struct {
	// AnnualLeave is leave, public holidays included.
	AnnualLeave float64 `yaml:"annual_leave_shifts"`
	// Sickness is time off sick.
	Sickness float64 `yaml:"sickness_shifts"`
	// Training is firearms training: reclassification, requalification,
	// development days.
	Training float64 `yaml:"training_shifts"`
	// Courses is other courses (driving, first aid, tactics).
	Courses float64 `yaml:"course_shifts"`
}

// Total returns the shifts a year an officer is abstracted.
func (a Abstraction) Total() float64 {
	return a.AnnualLeave + a.Sickness + a.Training + a.Courses
}

// RosteredShifts returns the shifts a year each officer is rostered for:
// every day has one shift per entry of Shifts, shared by Teams teams.
func (p ShiftPattern) RosteredShifts() float64 {
	if p.Teams <= 0 {
		return 0
	}
	return 365.25 * float64(len(p.Shifts)) / float64(p.Teams)
}

// Availability returns the probability that a rostered officer is on
// duty: 1 − abstracted shifts / rostered shifts, at least 0.
func (s *Scenario) Availability() float64 {
	r := s.Shifts.RosteredShifts()
	if r <= 0 {
		return 0
	}
	return math.Max(0, 1-s.Officers.Abstraction.Total()/r)
}

// Demand is the armed-incident demand.
type Demand struct {
	// IncidentsPerYear is the mean number of armed incidents a year that
	// need an ARV.
	IncidentsPerYear float64 `yaml:"incidents_per_year"`
	// HourOfDay holds 24 relative weights, hour 0 (00:00–01:00) first.
	HourOfDay []float64 `yaml:"hour_of_day"`
	// DayOfWeek holds 7 relative weights, Monday first.
	DayOfWeek []float64 `yaml:"day_of_week"`
	// Hotspots are places with extra demand on top of the population
	// weights.
	Hotspots []Hotspot `yaml:"hotspots,omitempty"`
	// TwoARVShare is the share of incidents that need two ARVs.
	TwoARVShare float64 `yaml:"two_arv_share"`
	// OnScene is how long the ARVs stay at an incident after the first
	// arrives.
	OnScene Dist `yaml:"on_scene"`
	// StoodDownShare is the share of incidents stood down before an ARV
	// arrives (resolved, or the deployment not authorised or rescinded).
	StoodDownShare float64 `yaml:"stood_down_share"`
}

// Hotspot is a place with extra demand.
type Hotspot struct {
	// Name is what reports call it.
	Name string `yaml:"name"`
	// At is its position.
	At Location `yaml:"at"`
	// Share is the share of all incidents that arise here, 0..1; the rest
	// are spread by population.
	Share float64 `yaml:"share"`
	// Class is Urban or Rural.
	Class string `yaml:"class"`
}

// Delays are the steps of a response before an ARV drives.
type Delays struct {
	// CallHandling is from the 999 call to the incident being raised to
	// the control-room commander.
	CallHandling Dist `yaml:"call_handling"`
	// Authorisation is the commander's decision to deploy armed officers.
	Authorisation Dist `yaml:"authorisation"`
	// Mobilisation is from authorisation to the ARV moving.
	Mobilisation Dist `yaml:"mobilisation"`
}

// Distribution kinds.
const (
	DistFixed       = "fixed"       // always Mean
	DistExponential = "exponential" // mean Mean
	DistLognormal   = "lognormal"   // mean Mean, standard deviation SD
	DistUniform     = "uniform"     // between Min and Max
	DistTriangular  = "triangular"  // between Min and Max, mode Mean
)

// Dist is a distribution of durations in minutes.
type Dist struct {
	// Kind is one of the Dist* constants.
	Kind string `yaml:"dist"`
	// Mean is the mean in minutes (fixed, exponential, lognormal), or the
	// mode (triangular).
	Mean float64 `yaml:"mean,omitempty"`
	// SD is the standard deviation in minutes (lognormal).
	SD float64 `yaml:"sd,omitempty"`
	// Min is the least value in minutes (uniform, triangular).
	Min float64 `yaml:"min,omitempty"`
	// Max is the greatest value in minutes (uniform, triangular).
	Max float64 `yaml:"max,omitempty"`
	// Source is where the figures come from, or "assumption: ..." saying
	// why they are reasonable.
	Source string `yaml:"source"`
}

// MeanMinutes returns the distribution's mean in minutes.
func (d Dist) MeanMinutes() float64 {
	switch d.Kind {
	case DistUniform:
		return (d.Min + d.Max) / 2
	case DistTriangular:
		return (d.Min + d.Max + d.Mean) / 3
	}
	return d.Mean
}

// KeySite is a place where an ARV crew is committed to armed patrol for
// some hours each day, away from response.
type KeySite struct {
	// Name is what reports call it.
	Name string `yaml:"name"`
	// At is its position.
	At Location `yaml:"at"`
	// Start is when the daily patrol begins, "HH:MM".
	Start string `yaml:"start"`
	// HoursPerDay is how long the crew is committed each day.
	HoursPerDay float64 `yaml:"hours_per_day"`
}

// MutualAid is help from neighbouring forces.
type MutualAid struct {
	// AfterMinutes is how long an incident waits with no own ARV free
	// before the force asks its neighbours.
	AfterMinutes float64 `yaml:"after_minutes"`
	// Neighbours are the forces asked; the first to arrive responds.
	Neighbours []Neighbour `yaml:"neighbours,omitempty"`
}

// Neighbour is a neighbouring force that can send an ARV.
type Neighbour struct {
	// Name is the force's name.
	Name string `yaml:"name"`
	// At, when set, is where its ARVs enter the force area (a border
	// place of the network): Arrival is then the time from the request to
	// reaching it, and the road time from there to the incident is added.
	// Without At, Arrival is the whole time to the incident, wherever it
	// is.
	At Location `yaml:"at,omitempty"`
	// Arrival is the time from the request to its ARV arriving (at At,
	// when set).
	Arrival Dist `yaml:"arrival"`
}

// Targets are response-time standards.
type Targets struct {
	// UrbanMinutes and RuralMinutes are the thresholds from call to the
	// first armed officers on scene.
	UrbanMinutes float64 `yaml:"urban_minutes" json:"urban_minutes"`
	RuralMinutes float64 `yaml:"rural_minutes" json:"rural_minutes"`
	// Share is the share of incidents that must meet them, 0..1.
	Share float64 `yaml:"share" json:"share"`
}

// Minutes returns the threshold for an area class.
func (t Targets) Minutes(class string) float64 {
	if class == Urban {
		return t.UrbanMinutes
	}
	return t.RuralMinutes
}

// SimulationSettings are the default run settings.
type SimulationSettings struct {
	// Years is the simulated time per replication, after the warm-up.
	Years float64 `yaml:"years"`
	// Replications is the number of independent runs.
	Replications int `yaml:"replications"`
	// WarmupDays is discarded at the start of every replication.
	WarmupDays float64 `yaml:"warmup_days"`
	// Seed makes runs reproducible.
	Seed uint64 `yaml:"seed"`
}

// FieldError is one problem with a scenario, at a field path such as
// "arvs[2].base".
type FieldError struct {
	// Path is the field's path: YAML keys joined by dots, list indexes
	// in brackets.
	Path string
	// Message is one sentence saying what is wrong.
	Message string
}

// Error returns "path: message".
func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// ClockMinutes parses "HH:MM" into minutes after midnight.
func ClockMinutes(s string) (float64, error) {
	h, m, ok := strings.Cut(s, ":")
	digits := func(x string) bool {
		return x != "" && strings.Trim(x, "0123456789") == ""
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || !digits(h) || !digits(m) || len(h) > 2 || len(m) != 2 || err1 != nil || err2 != nil || hh > 23 || mm > 59 {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return float64(hh*60 + mm), nil
}

// Crew is the officers one of the scenario's ARVs needs: its first
// ARV's crew, or 2 when it has none (county forces crew an ARV with two,
// facts §2.1). The staffing arithmetic, the minimum complement and the
// demo roster take every ARV to need this many.
func (s *Scenario) Crew() int {
	if len(s.ARVs) > 0 {
		return s.ARVs[0].Crew
	}
	return 2
}

// Clone returns a deep copy of s: changing the copy, its slices or the
// values they hold never changes s. A nil scenario's clone is nil.
func (s *Scenario) Clone() *Scenario {
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
