package plan

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/sim"
)

// The built-in scenarios share a rota and abstraction (docs/scenarios.md):
// 5 teams, 3 shifts a day, 62 shifts a year away.
const (
	rostered  = 3 * 365.25 / 5 // 219.15 shifts a year per officer
	available = rostered - 62  // 157.15
	perSeat   = 3 * 365.25 / available
)

// TestStaffingBuiltIn checks the answers docs/planning.md gives for the
// built-in scenarios, with the arithmetic spelt out.
func TestStaffingBuiltIn(t *testing.T) {
	cases := []struct {
		name                        string
		arvs                        int
		seats                       int
		exact                       float64
		needed, teams, est, surplus int
		rule                        int
		scotland                    float64
		full                        float64
	}{
		// 3 ARVs × 2 = 6 seats × 6.9726 = 41.84 → 42 → 45 in five teams
		// of 9; the scenario has 45. Wiltshire's rule: 6 × 6 = 36.
		// Scotland: 974 × 10 / 1,000 = 9.74 armed officers on shift.
		// docs/scenarios.md: all three ARVs crewed on 77% of shifts.
		{"wiltshire", 3, 6, 6 * perSeat, 42, 45, 45, 3, 36, 9.74, 0.768},
		// 5 ARVs × 2 = 10 seats × 6.9726 = 69.73 → 70, already whole
		// teams (5 × 14); the scenario has 75. Rule: 10 × 6 = 60.
		// Scotland: 3,200 (assumption) × 10 / 1,000 = 32.
		{"kent", 5, 10, 10 * perSeat, 70, 70, 75, 5, 60, 32, 0.770},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := builtin(t, tc.name)
			res, err := Staffing(s, tc.arvs, 2, StaffingOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res.RosteredShifts, rostered; !near(got, want, 1e-9) {
				t.Errorf("RosteredShifts = %v, want %v", got, want)
			}
			if got, want := res.AbstractedShifts, 62.0; got != want {
				t.Errorf("AbstractedShifts = %v, want %v", got, want)
			}
			if got, want := res.OfficersPerSeat, perSeat; !near(got, want, 1e-9) {
				t.Errorf("OfficersPerSeat = %v, want %v", got, want)
			}
			if got, want := res.Availability, s.Availability(); !near(got, want, 1e-12) {
				t.Errorf("Availability = %v, want the simulator's %v", got, want)
			}
			if res.Seats != tc.seats || !near(res.Exact, tc.exact, 1e-9) || res.Needed != tc.needed || res.NeededTeams != tc.teams {
				t.Errorf("seats %d, exact %v, needed %d, whole teams %d; want %d, %v, %d, %d",
					res.Seats, res.Exact, res.Needed, res.NeededTeams, tc.seats, tc.exact, tc.needed, tc.teams)
			}
			if res.Establishment != tc.est || res.Surplus != tc.surplus {
				t.Errorf("establishment %d, surplus %d; want %d, %d", res.Establishment, res.Surplus, tc.est, tc.surplus)
			}
			if res.WiltshireRule != tc.rule || !near(res.ScotlandOnShift, tc.scotland, 1e-9) {
				t.Errorf("Wiltshire rule %d, Scotland %v; want %d, %v", res.WiltshireRule, res.ScotlandOnShift, tc.rule, tc.scotland)
			}
			if !near(res.FullComplement, tc.full, 0.001) {
				t.Errorf("FullComplement = %v, want %v", res.FullComplement, tc.full)
			}
			// Every step has a label and a source: a report prints them.
			for _, st := range res.Steps {
				if st.Label == "" || st.Source == "" {
					t.Errorf("step %+v lacks a label or a source", st)
				}
			}
		})
	}
}

func TestStaffingOptions(t *testing.T) {
	s := builtin(t, "wiltshire")
	t.Run("AnnualHours", func(t *testing.T) {
		// A 40-hour week, 2,087 hours, is 208.7 ten-hour shifts, fewer
		// than the rota's 219.15: 146.7 available, 1,095.75 / 146.7 =
		// 7.47 per seat, 44.8 → 45 officers for 6 seats.
		res, err := Staffing(s, 3, 2, StaffingOptions{AnnualHours: 2087})
		if err != nil {
			t.Fatal(err)
		}
		if !near(res.RosteredShifts, 208.7, 1e-9) || res.Needed != 45 {
			t.Errorf("rostered %v, needed %d; want 208.7, 45", res.RosteredShifts, res.Needed)
		}
	})
	t.Run("SixPerSeat", func(t *testing.T) {
		// Wiltshire's six officers per seat on a five-team rota means an
		// availability of 5/6: 219.15 / 6 = 36.525 shifts away a year.
		res, err := Staffing(s, 1, 1, StaffingOptions{Abstraction: &arv.Abstraction{AnnualLeave: rostered / 6}})
		if err != nil {
			t.Fatal(err)
		}
		if !near(res.OfficersPerSeat, 6, 1e-9) {
			t.Errorf("OfficersPerSeat = %v, want 6", res.OfficersPerSeat)
		}
	})
	t.Run("Teams", func(t *testing.T) {
		// Six teams: 182.625 rostered, 120.625 available, 9.08 per seat.
		res, err := Staffing(s, 3, 2, StaffingOptions{Teams: 6})
		if err != nil {
			t.Fatal(err)
		}
		if want := 3 * 365.25 / (3*365.25/6 - 62); !near(res.OfficersPerSeat, want, 1e-9) || res.Teams != 6 {
			t.Errorf("OfficersPerSeat = %v with %d teams, want %v with 6", res.OfficersPerSeat, res.Teams, want)
		}
	})
	t.Run("ForceOfficers", func(t *testing.T) {
		res, err := Staffing(s, 3, 2, StaffingOptions{ForceOfficers: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if res.ScotlandOnShift != 10 || res.ForceOfficersSource != "option" {
			t.Errorf("Scotland %v (%s), want 10 (option)", res.ScotlandOnShift, res.ForceOfficersSource)
		}
	})
}

func TestStaffingErrors(t *testing.T) {
	good := testshire()
	noTeams := testshire()
	noTeams.Shifts.Teams = 0
	noShifts := testshire()
	noShifts.Shifts.Shifts = nil
	allAway := testshire()
	allAway.Officers.Abstraction.AnnualLeave = 300 // more than 219.15 rostered
	negative := testshire()
	negative.Officers.Abstraction.Sickness = -1
	cases := []struct {
		name string
		s    *arv.Scenario
		arvs int
		crew int
		opt  StaffingOptions
	}{
		{"nil scenario", nil, 3, 2, StaffingOptions{}},
		{"no teams", noTeams, 3, 2, StaffingOptions{}},
		{"no shifts", noShifts, 3, 2, StaffingOptions{}},
		{"abstraction beyond the rota", allAway, 3, 2, StaffingOptions{}},
		{"negative abstraction", negative, 3, 2, StaffingOptions{}},
		{"negative ARVs", good, -1, 2, StaffingOptions{}},
		{"no crew", good, 3, 0, StaffingOptions{}},
		{"crew of 7", good, 3, 7, StaffingOptions{}},
		{"negative annual hours", good, 3, 2, StaffingOptions{AnnualHours: -1}},
		{"NaN shift hours", good, 3, 2, StaffingOptions{ShiftHours: math.NaN()}},
	}
	for _, tc := range cases {
		if _, err := Staffing(tc.s, tc.arvs, tc.crew, tc.opt); err == nil {
			t.Errorf("%s: Staffing returned no error", tc.name)
		}
	}
	if _, err := Crewable(good, -5, 2, StaffingOptions{}); err == nil {
		t.Error("Crewable with -5 officers returned no error")
	}
	if _, err := Crewable(nil, 5, 2, StaffingOptions{}); err == nil {
		t.Error("Crewable with no scenario returned no error")
	}
}

// TestBinomialTail checks the tail sums against brute force: every
// subset of a team present or absent.
func TestBinomialTail(t *testing.T) {
	for _, n := range []int{0, 1, 9, 15} {
		for _, p := range []float64{0, 0.3, 157.15 / 219.15, 1} {
			tail := binomialTail(n, p)
			want := make([]float64, n+1)
			for mask := uint32(0); mask < 1<<n; mask++ {
				k := bits.OnesCount32(mask)
				pr := math.Pow(p, float64(k)) * math.Pow(1-p, float64(n-k))
				for m := 0; m <= k; m++ {
					want[m] += pr
				}
			}
			for m := range want {
				if !near(tail[m], want[m], 1e-12) {
					t.Errorf("n %d, p %v: P(X ≥ %d) = %v, want %v", n, p, m, tail[m], want[m])
				}
			}
		}
	}
}

func TestCrewable(t *testing.T) {
	s := builtin(t, "wiltshire")
	cases := []struct {
		officers int
		arvs     int
		teams    []int
	}{
		{45, 3, []int{9, 9, 9, 9, 9}}, // 45 / 6.97 = 6.45 seats
		{36, 2, []int{8, 7, 7, 7, 7}}, // 5.16 seats: the 2010–2016 loss
		{42, 3, []int{9, 9, 8, 8, 8}}, // 6.02 seats, shared as the simulator does
		{41, 2, []int{9, 8, 8, 8, 8}}, // 5.88 seats: one short of three ARVs
		{99, 7, []int{20, 20, 20, 20, 19}},
		{0, 0, []int{0, 0, 0, 0, 0}},
	}
	for _, tc := range cases {
		c, err := Crewable(s, tc.officers, 2, StaffingOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c.ARVs != tc.arvs || !slices.Equal(c.Teams, tc.teams) {
			t.Errorf("%d officers: %d ARVs, teams %v; want %d, %v", tc.officers, c.ARVs, c.Teams, tc.arvs, tc.teams)
		}
		if c.Full(0) != 1 || c.Full(len(c.AtLeast)) != 0 {
			t.Errorf("%d officers: Full(0) = %v, Full(beyond) = %v; want 1 and 0", tc.officers, c.Full(0), c.Full(len(c.AtLeast)))
		}
		for k := 1; k < len(c.AtLeast); k++ {
			if c.AtLeast[k] > c.AtLeast[k-1] {
				t.Errorf("%d officers: AtLeast not decreasing: %v", tc.officers, c.AtLeast)
			}
		}
	}
	// With 42 officers (teams 9, 9, 8, 8, 8) the chance of 6 present is
	// the mean over the teams: (2 × P9 + 3 × P8) / 5.
	c, _ := Crewable(s, 42, 2, StaffingOptions{})
	p := s.Availability()
	want := (2*binomialTail(9, p)[6] + 3*binomialTail(8, p)[6]) / 5
	if !near(c.Full(3), want, 1e-12) {
		t.Errorf("Full(3) = %v, want %v", c.Full(3), want)
	}
}

// TestCrewableMatchesSimulator runs the simulator and checks that the
// share of time each ARV is crewed is the chance Crewable gives that a
// shift has its crew: the simulator crews the ARVs in order at each
// shift start, each officer present with the scenario's availability.
func TestCrewableMatchesSimulator(t *testing.T) {
	ctx := context.Background()
	s := testshire()
	s.KeySites = nil
	s.Demand.IncidentsPerYear = 20 // few incidents: crewing is what is measured
	c, err := Crewable(s, s.Officers.ARV, 2, StaffingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := lineCompiler(ctx)(s)
	if err != nil {
		t.Fatal(err)
	}
	// 20 years × 3 shifts × 365.25 days = 21,915 shifts per replication:
	// a crewed share near 0.77 has a standard error of
	// √(0.77 × 0.23 / 21,915) = 0.003 per replication, 0.0014 over 4.
	res, err := sim.Run(ctx, m, sim.Options{Years: 20, Replications: 4, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range res.ARVs {
		// 0.01 is 7 standard errors of the mean, and covers the minutes
		// an ARV stays crewed after its shift to finish a job.
		if want := c.Full(i + 1); !near(a.Crewed.Mean, want, 0.01) {
			t.Errorf("%s crewed %.4f of the time, Crewable says %.4f", a.CallSign, a.Crewed.Mean, want)
		}
	}
}

func TestNum(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{1095.75, "1,095.75"}, {6.972638, "6.97"}, {157.15 / 219.15, "0.717"}, {-525000, "-525,000"},
		{0, "0"}, {1e6, "1,000,000"}, {41.8358, "41.84"}, {-0.0001, "0"}, {math.NaN(), "n/a"}, {math.Inf(1), "∞"},
	}
	for _, tc := range cases {
		if got := Num(tc.v); got != tc.want {
			t.Errorf("Num(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	st := Step{Label: "cost", Value: 1234.4, Unit: "£ a year", Formula: "1 + 2", Source: "test"}
	if got, want := st.String(), "cost: £1,234 a year = 1 + 2 [test]"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := Text([]Step{st, st}); strings.Count(got, "\n") != 2 {
		t.Errorf("Text gave %q, want two lines", got)
	}
}
