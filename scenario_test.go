package arv_test

import (
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// validScenario returns a small scenario that passes Validate.
func validScenario() *arv.Scenario {
	fixed := func(m float64) arv.Dist { return arv.Dist{Kind: arv.DistFixed, Mean: m, Source: "test"} }
	return &arv.Scenario{
		Name:         "test",
		Force:        arv.Force{Name: "Test Police", AreaKm2: 100, Population: 1000},
		Network:      arv.NetworkRef{Builtin: "wiltshire"},
		DemandPoints: []arv.DemandPoint{{ID: "a", Name: "A", At: "51,-2", Population: 1000, Class: arv.Urban}},
		Bases:        []arv.Base{{ID: "hq", Name: "HQ", At: "51,-2"}},
		ARVs:         []arv.ARV{{CallSign: "ARV1", Base: "hq", Crew: 2, Shifts: []string{"day", "night"}}},
		Shifts: arv.ShiftPattern{Teams: 5, Hours: 10, Shifts: []arv.Shift{
			{Name: "day", Start: "07:00"}, {Name: "night", Start: "19:00"},
		}},
		Officers:          arv.Officers{ARV: 12, Abstraction: arv.Abstraction{AnnualLeave: 25, Sickness: 8, Training: 20, Courses: 5}},
		MinimumComplement: 1,
		Demand: arv.Demand{
			IncidentsPerYear: 100,
			HourOfDay:        make24(1),
			DayOfWeek:        []float64{1, 1, 1, 1, 1, 1, 1},
			OnScene:          fixed(60),
		},
		Delays:     arv.Delays{CallHandling: fixed(1), Authorisation: fixed(1), Mobilisation: fixed(1)},
		MutualAid:  arv.MutualAid{AfterMinutes: 15},
		Targets:    arv.Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9},
		Simulation: arv.SimulationSettings{Years: 1, Replications: 2},
	}
}

func make24(w float64) []float64 {
	v := make([]float64, 24)
	for i := range v {
		v[i] = w
	}
	return v
}

func TestValidate(t *testing.T) {
	if errs := validScenario().Validate(); len(errs) != 0 {
		t.Fatalf("valid scenario: %v", errs)
	}
	cases := []struct {
		name string
		edit func(s *arv.Scenario)
		path string
		want string
	}{
		{"unknown base", func(s *arv.Scenario) { s.ARVs[0].Base = "hq2" }, "arvs[0].base", `unknown base "hq2" (bases and standby points: hq)`},
		{"negative rate", func(s *arv.Scenario) { s.Demand.IncidentsPerYear = -3 }, "demand.incidents_per_year", "must be a rate between 0 and 1,000,000 a year, got -3"},
		{"crew larger than a team", func(s *arv.Scenario) { s.ARVs[0].Crew = 3 }, "arvs[0].crew", "a crew of 3 is more than the 2 ARV officers of one team on shift (12 officers in 5 teams)"},
		{"unknown shift", func(s *arv.Scenario) { s.ARVs[0].Shifts[1] = "nite" }, "arvs[0].shifts[1]", `unknown shift "nite" (shifts: day, night)`},
		{"duplicate call sign", func(s *arv.Scenario) { s.ARVs = append(s.ARVs, s.ARVs[0]) }, "arvs[1].call_sign", `"ARV1" is used twice (first at arvs[0].call_sign)`},
		{"no source", func(s *arv.Scenario) { s.Delays.Mobilisation.Source = "" }, "delays.mobilisation.source", "give a source"},
		{"bad clock", func(s *arv.Scenario) { s.Shifts.Shifts[1].Start = "25:00" }, "shifts.shifts[1].start", "is not a time of day"},
		{"too much abstraction", func(s *arv.Scenario) { s.Officers.Abstraction.AnnualLeave = 200 }, "officers.abstraction", "is not less than the 146 shifts"},
		{"two networks", func(s *arv.Scenario) { s.Network.Graph = "x.arvg" }, "network", "exactly one"},
		{"hour weights", func(s *arv.Scenario) { s.Demand.HourOfDay = s.Demand.HourOfDay[:23] }, "demand.hour_of_day", "give 24 weights, got 23"},
		{"class", func(s *arv.Scenario) { s.DemandPoints[0].Class = "town" }, "demand_points[0].class", `must be "urban" or "rural"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := validScenario()
			tc.edit(s)
			errs := s.Validate()
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want exactly one", len(errs), errs)
			}
			if errs[0].Path != tc.path || !strings.Contains(errs[0].Message, tc.want) {
				t.Fatalf("got %q: %q; want %q: ...%q...", errs[0].Path, errs[0].Message, tc.path, tc.want)
			}
		})
	}
}

func TestAvailability(t *testing.T) {
	s := validScenario()
	// 2 shifts a day shared by 5 teams: 365.25 × 2 / 5 = 146.1 rostered
	// shifts; 58 abstracted leaves 1 − 58/146.1 = 0.603.
	if got := s.Availability(); got < 0.602 || got > 0.604 {
		t.Fatalf("Availability=%.4f, want 0.603", got)
	}
}

func TestScenarioCrew(t *testing.T) {
	s := validScenario()
	s.ARVs[0].Crew = 3
	if got := s.Crew(); got != 3 {
		t.Errorf("Crew() = %d, want the first ARV's 3", got)
	}
	s.ARVs = nil
	if got := s.Crew(); got != 2 {
		t.Errorf("Crew() without ARVs = %d, want 2", got)
	}
}
