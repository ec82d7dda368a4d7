package plan

import (
	"fmt"
	"math"
	"strings"

	"github.com/arv-project/arv"
)

// Figures from the research files used by the staffing comparisons.
const (
	// DaysPerYear is the mean length of a year in days, leap years
	// included (the simulator's year).
	DaysPerYear = 365.25

	// WiltshireOfficersPerSeat is Wiltshire Police's own statement (2019):
	// "at least six officers are required to make sure that there is one
	// firearms officer on duty 24/7 in the county" (facts §2.4).
	WiltshireOfficersPerSeat = 6

	// ScotlandArmedOnShiftPer1000 is Police Scotland's ratio: "For every
	// 1,000 officers there will be 10 officers armed and on shift"
	// (facts §2.4).
	ScotlandArmedOnShiftPer1000 = 10

	// ScotlandARVShare is Police Scotland's 275 ARV officers, "under 2%"
	// of the service (facts §2.4): an upper bound on the share.
	ScotlandARVShare = 0.02

	// WeeksPerYear is 365.25 / 7.
	WeeksPerYear = DaysPerYear / 7
)

// nationalOfficers2017 is the officers of all roles in England and Wales
// in March 2017: "6,278 of 125,851" were AFOs (facts §3.2).
const nationalOfficers2017 = 125851

// englandWalesPopulation is the population of England and Wales at the
// 2021 census, 59.6 million (GK; the figure docs/scenarios.md uses).
const englandWalesPopulation = 59.6e6

// ForceOfficers returns the number of police officers of all roles in
// the scenario's force and where the figure comes from. The scenario
// has no such field: the figure is known for the built-in scenarios
// (by name) and otherwise derived from the force's population at the
// national rate of officers per resident, which it says.
func ForceOfficers(s *arv.Scenario) (int, string) {
	if s == nil {
		return 0, "no scenario"
	}
	switch strings.ToLower(strings.TrimSpace(s.Name)) {
	case "wiltshire":
		return 974, "facts §3.4: Wiltshire force profile, HMICFRS PEEL 2018, 974 officers"
	case "kent":
		// No Kent officer total is in the files (facts §3.4 gives only its
		// firearms officers). The national rate per resident would give
		// 125,851 × 1,855,900 / 59.6 million = 3,919, but the same rule
		// gives Wiltshire 1,571 against PEEL's 974, so it overstates
		// county forces; the general-knowledge figure is used instead.
		return 3200, "assumption (GK, unverified): Kent Police had about 3,200 officers in 2017; " +
			"the national rate per resident (125,851 officers in March 2017, facts §3.2, over 59.6 million, GK) would give 3,919 " +
			"but gives Wiltshire 1,571 against its 974"
	}
	n := int(math.Round(nationalOfficers2017 * float64(s.Force.Population) / englandWalesPopulation))
	return n, fmt.Sprintf("assumption: %s residents × the national 125,851 officers of March 2017 (facts §3.2) per resident of England and Wales (59.6 million, GK); county forces have fewer (Wiltshire 974 against 1,571 by this rule)",
		Num(float64(s.Force.Population)))
}

// StaffingOptions override the scenario's figures in a staffing
// calculation. The zero value uses the scenario's own figures, which are
// the ones the simulator uses.
type StaffingOptions struct {
	// Teams is the number of teams in the rota. Default (0): the
	// scenario's shifts.teams.
	Teams int
	// ShiftsPerDay is the number of shifts a day, each worked by one
	// team. Default (0): the number of the scenario's shifts.shifts.
	ShiftsPerDay int
	// ShiftHours is the length of a shift in hours. Default (0): the
	// scenario's shifts.hours.
	ShiftHours float64
	// AnnualHours, when positive, caps the hours a year each officer is
	// rostered: the rostered shifts become the lesser of the rota's and
	// AnnualHours / ShiftHours. A 40-hour week is 40 × 52.18 = 2,087
	// hours (GK). Default (0): no cap, the rota as the simulator runs it.
	AnnualHours float64
	// Abstraction, when set, replaces the scenario's shifts a year away
	// from ARV duty (leave, sickness, training, courses).
	Abstraction *arv.Abstraction
	// ForceOfficers is the force's officers of all roles, for the Police
	// Scotland comparison. Default (0): ForceOfficers(s).
	ForceOfficers int
}

// rota is a scenario's shift pattern and abstraction, with options
// applied, reduced to what staffing needs.
type rota struct {
	teams        int
	shiftsPerDay int
	hours        float64
	rostered     float64 // shifts a year per officer
	abstracted   float64 // shifts a year per officer
	available    float64 // shifts a year per officer
	availability float64 // available / rostered
	seatShifts   float64 // officer-shifts a year per 24/7 seat
	perSeat      float64 // officers per 24/7 seat
	steps        []Step
}

// newRota works out the officer-shifts a seat needs and an officer
// gives, with the steps that show it.
func newRota(s *arv.Scenario, opt StaffingOptions) (rota, error) {
	if s == nil {
		return rota{}, errPlan("no scenario")
	}
	r := rota{teams: s.Shifts.Teams, shiftsPerDay: len(s.Shifts.Shifts), hours: s.Shifts.Hours}
	teamSrc, shiftSrc, hourSrc := "scenario: shifts.teams", "scenario: shifts.shifts", "scenario: shifts.hours"
	if opt.Teams != 0 {
		r.teams, teamSrc = opt.Teams, "option"
	}
	if opt.ShiftsPerDay != 0 {
		r.shiftsPerDay, shiftSrc = opt.ShiftsPerDay, "option"
	}
	if opt.ShiftHours != 0 {
		r.hours, hourSrc = opt.ShiftHours, "option"
	}
	ab, abSrc := s.Officers.Abstraction, "scenario: officers.abstraction (assumptions, docs/scenarios.md)"
	if opt.Abstraction != nil {
		ab, abSrc = *opt.Abstraction, "option"
	}
	switch {
	case r.teams < 1 || r.teams > 1000:
		return rota{}, fmt.Errorf("plan: the rota needs 1 to 1,000 teams, got %d", r.teams)
	case r.shiftsPerDay < 1 || r.shiftsPerDay > 1000:
		return rota{}, fmt.Errorf("plan: the rota needs 1 to 1,000 shifts a day, got %d", r.shiftsPerDay)
	case !(r.hours > 0 && r.hours <= 24):
		return rota{}, fmt.Errorf("plan: a shift must last between 0 and 24 hours, got %g", r.hours)
	case !(opt.AnnualHours >= 0 && opt.AnnualHours <= 8784):
		return rota{}, fmt.Errorf("plan: annual hours must be between 0 (no cap) and 8,784, got %g", opt.AnnualHours)
	}
	for _, x := range []float64{ab.AnnualLeave, ab.Sickness, ab.Training, ab.Courses} {
		if !(x >= 0 && x <= 366) {
			return rota{}, fmt.Errorf("plan: abstraction must be between 0 and 366 shifts a year for each reason, got %g", x)
		}
	}

	T, S := float64(r.teams), float64(r.shiftsPerDay)
	r.seatShifts = S * DaysPerYear
	r.rostered = S * DaysPerYear / T
	r.steps = []Step{
		{Label: "shifts a day", Value: S, Unit: "shifts", Source: shiftSrc},
		{Label: "teams in the rota", Value: T, Unit: "teams", Source: teamSrc},
		{Label: "officer-shifts a year per 24/7 seat", Value: r.seatShifts, Unit: "shifts",
			Formula: Num(S) + " × 365.25", Source: "one officer on every shift of every day"},
		{Label: "rostered shifts a year per officer", Value: r.rostered, Unit: "shifts",
			Formula: Num(S) + " × 365.25 / " + Num(T), Source: "each shift is worked by one team"},
		{Label: "rostered hours a year per officer", Value: r.rostered * r.hours, Unit: "hours",
			Formula: Num(r.rostered) + " × " + Num(r.hours), Source: hourSrc},
		{Label: "rostered hours a week per officer", Value: r.rostered * r.hours / WeeksPerYear, Unit: "hours",
			Formula: Num(r.rostered*r.hours) + " / 52.18", Source: "derived"},
	}
	if opt.AnnualHours > 0 {
		capped := opt.AnnualHours / r.hours
		if capped < r.rostered {
			r.rostered = capped
		}
		r.steps = append(r.steps, Step{Label: "rostered shifts a year per officer, capped by annual hours", Value: r.rostered, Unit: "shifts",
			Formula: "min(" + Num(S*DaysPerYear/T) + ", " + Num(opt.AnnualHours) + " / " + Num(r.hours) + ")", Source: "option: annual hours"})
	}
	r.abstracted = ab.Total()
	r.steps = append(r.steps,
		Step{Label: "annual leave", Value: ab.AnnualLeave, Unit: "shifts a year", Source: abSrc},
		Step{Label: "sickness", Value: ab.Sickness, Unit: "shifts a year", Source: abSrc},
		Step{Label: "firearms training", Value: ab.Training, Unit: "shifts a year", Source: abSrc},
		Step{Label: "other courses", Value: ab.Courses, Unit: "shifts a year", Source: abSrc},
		Step{Label: "abstracted shifts a year per officer", Value: r.abstracted, Unit: "shifts",
			Formula: Num(ab.AnnualLeave) + " + " + Num(ab.Sickness) + " + " + Num(ab.Training) + " + " + Num(ab.Courses), Source: abSrc},
	)
	r.available = r.rostered - r.abstracted
	if !(r.available > 0) {
		return rota{}, fmt.Errorf("plan: %s shifts a year of abstraction leave nothing of the %s rostered", Num(r.abstracted), Num(r.rostered))
	}
	r.availability = r.available / r.rostered
	r.perSeat = r.seatShifts / r.available
	r.steps = append(r.steps,
		Step{Label: "available shifts a year per officer", Value: r.available, Unit: "shifts",
			Formula: Num(r.rostered) + " − " + Num(r.abstracted), Source: "derived"},
		Step{Label: "availability (chance a rostered officer is on duty)", Value: r.availability,
			Formula: Num(r.available) + " / " + Num(r.rostered), Source: "derived; the simulator's figure"},
		Step{Label: "officers per 24/7 seat", Value: r.perSeat, Unit: "officers",
			Formula: Num(r.seatShifts) + " / " + Num(r.available), Source: "derived"},
	)
	return r, nil
}

// StaffingResult is the answer of Staffing: how many ARV officers keep
// the ARVs crewed around the clock, with the arithmetic.
type StaffingResult struct {
	// ARVs and Crew are the question: ARVs crewed 24/7 by Crew officers.
	ARVs int `json:"arvs"`
	Crew int `json:"crew"`
	// Seats is ARVs × Crew, the officers on duty at every moment.
	Seats int `json:"seats"`
	// Teams and ShiftsPerDay are the rota used.
	Teams        int `json:"teams"`
	ShiftsPerDay int `json:"shifts_per_day"`
	// RosteredShifts, AbstractedShifts and AvailableShifts are per
	// officer per year.
	RosteredShifts   float64 `json:"rostered_shifts"`
	AbstractedShifts float64 `json:"abstracted_shifts"`
	AvailableShifts  float64 `json:"available_shifts"`
	// Availability is the chance a rostered officer is on duty.
	Availability float64 `json:"availability"`
	// OfficersPerSeat is the officers it takes to fill one seat 24/7.
	OfficersPerSeat float64 `json:"officers_per_seat"`
	// Exact is Seats × OfficersPerSeat, in officers.
	Exact float64 `json:"exact"`
	// Needed is Exact rounded up to whole officers.
	Needed int `json:"needed"`
	// NeededTeams is Needed rounded up to a multiple of the teams, so
	// every team has the same number.
	NeededTeams int `json:"needed_whole_teams"`
	// Establishment is the scenario's ARV officers (officers.arv).
	Establishment int `json:"establishment"`
	// Surplus is Establishment − Needed, in officers (negative: short).
	Surplus int `json:"surplus"`
	// FullComplement is the chance that the establishment has enough
	// officers present on a shift to crew all ARVs (the simulator's
	// binomial model; see Crewable).
	FullComplement float64 `json:"full_complement"`
	// WiltshireRule is Seats × 6, the officers Wiltshire's own "at least
	// six officers… for one firearms officer on duty 24/7" gives
	// (facts §2.4).
	WiltshireRule int `json:"wiltshire_rule"`
	// ForceOfficers is the force's officers of all roles, and
	// ForceOfficersSource where that figure comes from.
	ForceOfficers       int    `json:"force_officers"`
	ForceOfficersSource string `json:"force_officers_source"`
	// ScotlandOnShift is the armed officers on shift Police Scotland's
	// ratio of 10 per 1,000 officers gives the force (facts §2.4), to
	// compare with Seats.
	ScotlandOnShift float64 `json:"scotland_on_shift"`
	// Steps show the arithmetic, in order.
	Steps []Step `json:"steps"`
}

// Staffing returns how many ARV officers keep arvs ARVs, each crewed by
// crew officers, on duty around the clock on the scenario's rota and
// abstraction (overridden by opt), and compares the answer with the
// scenario's officers, Wiltshire's six-officer rule and Police
// Scotland's ratio. It returns an error for a missing scenario, negative
// ARVs, a crew outside 1..6, or a rota that leaves an officer no
// available shifts.
func Staffing(s *arv.Scenario, arvs, crew int, opt StaffingOptions) (StaffingResult, error) {
	r, err := newRota(s, opt)
	if err != nil {
		return StaffingResult{}, err
	}
	if arvs < 0 || arvs > 10000 {
		return StaffingResult{}, fmt.Errorf("plan: ARVs must be between 0 and 10,000, got %d", arvs)
	}
	if crew < 1 || crew > 6 {
		return StaffingResult{}, fmt.Errorf("plan: a crew must be 1 to 6 officers, got %d", crew)
	}
	res := StaffingResult{
		ARVs: arvs, Crew: crew, Seats: arvs * crew,
		Teams: r.teams, ShiftsPerDay: r.shiftsPerDay,
		RosteredShifts: r.rostered, AbstractedShifts: r.abstracted, AvailableShifts: r.available,
		Availability: r.availability, OfficersPerSeat: r.perSeat,
		Establishment: s.Officers.ARV,
	}
	res.Steps = append(res.Steps, Step{Label: "seats (officers on duty at every moment)", Value: float64(res.Seats), Unit: "seats",
		Formula: fmt.Sprintf("%d ARVs × crew %d", arvs, crew), Source: "the question"})
	res.Steps = append(res.Steps, r.steps...)
	res.Exact = float64(res.Seats) * r.perSeat
	res.Needed = ceilInt(res.Exact)
	res.NeededTeams = ceilDiv(res.Needed, r.teams) * r.teams
	res.Surplus = res.Establishment - res.Needed
	c, err := crewing(r, res.Establishment, crew)
	if err != nil {
		return StaffingResult{}, err
	}
	res.FullComplement = c.Full(arvs)
	res.WiltshireRule = res.Seats * WiltshireOfficersPerSeat
	res.ForceOfficers, res.ForceOfficersSource = ForceOfficers(s)
	if opt.ForceOfficers > 0 {
		res.ForceOfficers, res.ForceOfficersSource = opt.ForceOfficers, "option"
	}
	res.ScotlandOnShift = float64(res.ForceOfficers) * ScotlandArmedOnShiftPer1000 / 1000
	res.Steps = append(res.Steps,
		Step{Label: "officers needed, exactly", Value: res.Exact, Unit: "officers",
			Formula: Num(float64(res.Seats)) + " × " + Num(r.perSeat), Source: "derived"},
		Step{Label: "officers needed", Value: float64(res.Needed), Unit: "officers",
			Formula: "⌈" + Num(res.Exact) + "⌉", Source: "derived"},
		Step{Label: "officers needed in whole teams", Value: float64(res.NeededTeams), Unit: "officers",
			Formula: fmt.Sprintf("⌈%d / %d⌉ × %d", res.Needed, r.teams, r.teams), Source: "derived"},
		Step{Label: "the scenario's ARV officers", Value: float64(res.Establishment), Unit: "officers", Source: "scenario: officers.arv"},
		Step{Label: "surplus over the officers needed (negative: short)", Value: float64(res.Surplus), Unit: "officers",
			Formula: fmt.Sprintf("%d − %d", res.Establishment, res.Needed), Source: "derived"},
		Step{Label: fmt.Sprintf("chance the scenario's officers crew all %d ARVs on a shift", arvs), Value: res.FullComplement,
			Formula: fmt.Sprintf("P(at least %d of a team present), teams %s, availability %s", arvs*crew, teamList(c.Teams), Num(r.availability)),
			Source:  "the simulator's model: each officer present independently"},
		Step{Label: "Wiltshire's rule: officers for the seats at 6 per seat", Value: float64(res.WiltshireRule), Unit: "officers",
			Formula: fmt.Sprintf("%d × 6", res.Seats),
			Source:  `facts §2.4: "at least six officers are required to make sure that there is one firearms officer on duty 24/7"`},
		Step{Label: "availability that 6 officers per seat implies on this rota", Value: float64(r.teams) / WiltshireOfficersPerSeat,
			Formula: fmt.Sprintf("%d teams / 6", r.teams), Source: "derived: officers per seat = teams / availability"},
		Step{Label: "force officers of all roles", Value: float64(res.ForceOfficers), Unit: "officers", Source: res.ForceOfficersSource},
		Step{Label: "armed officers on shift at Police Scotland's ratio", Value: res.ScotlandOnShift, Unit: "officers",
			Formula: Num(float64(res.ForceOfficers)) + " × 10 / 1,000",
			Source:  `facts §2.4: "For every 1,000 officers there will be 10 officers armed and on shift"`},
	)
	if res.ForceOfficers > 0 {
		res.Steps = append(res.Steps, Step{Label: "ARV officers as a share of the force (Police Scotland: under 0.02)", Value: float64(res.Establishment) / float64(res.ForceOfficers),
			Formula: fmt.Sprintf("%d / %s", res.Establishment, Num(float64(res.ForceOfficers))),
			Source:  "facts §2.4: Police Scotland's 275 ARV officers are under 2% of the service"})
	}
	return res, nil
}

// Crewing is the answer of Crewable: what a number of ARV officers keeps
// crewed.
type Crewing struct {
	// Officers and Crew are the question.
	Officers int `json:"officers"`
	Crew     int `json:"crew"`
	// Teams are the officers of each team, shared as evenly as the rota
	// allows, as the simulator shares them.
	Teams []int `json:"teams"`
	// Availability is the chance a rostered officer is on duty.
	Availability float64 `json:"availability"`
	// OfficersPerSeat is the officers it takes to fill one seat 24/7.
	OfficersPerSeat float64 `json:"officers_per_seat"`
	// Seats is Officers / OfficersPerSeat: the seats kept filled on
	// average.
	Seats float64 `json:"seats"`
	// ARVs is ⌊Seats / Crew⌋: the ARVs kept crewed 24/7 on average.
	ARVs int `json:"arvs"`
	// AtLeast[k] is the chance that the officers present on a shift can
	// crew at least k ARVs, averaged over the teams; AtLeast[0] is 1 and
	// the last entry is for the most ARVs the largest team can crew.
	AtLeast []float64 `json:"at_least"`
	// Steps show the arithmetic.
	Steps []Step `json:"steps"`
}

// Full returns the chance that a shift has enough officers present to
// crew k ARVs (0 beyond what the largest team could crew).
func (c Crewing) Full(k int) float64 {
	if k <= 0 {
		return 1
	}
	if k >= len(c.AtLeast) {
		return 0
	}
	return c.AtLeast[k]
}

// Crewable is the inverse of Staffing: how many ARVs crewed by crew
// officers the given number of ARV officers keeps on duty 24/7 on
// average (⌊officers / officers per seat / crew⌋) and, with the
// simulator's model, the chance that a shift has enough officers present
// for each number of ARVs. The model: the officers are shared as evenly
// as the rota allows over its teams; each officer of the team on duty
// is present independently with probability availability (1 −
// abstraction / rostered shifts); k crews of c need at least k × c
// present.
func Crewable(s *arv.Scenario, officers, crew int, opt StaffingOptions) (Crewing, error) {
	r, err := newRota(s, opt)
	if err != nil {
		return Crewing{}, err
	}
	return crewing(r, officers, crew)
}

func crewing(r rota, officers, crew int) (Crewing, error) {
	if officers < 0 || officers > 1_000_000 {
		return Crewing{}, fmt.Errorf("plan: officers must be between 0 and 1,000,000, got %d", officers)
	}
	if crew < 1 || crew > 6 {
		return Crewing{}, fmt.Errorf("plan: a crew must be 1 to 6 officers, got %d", crew)
	}
	c := Crewing{Officers: officers, Crew: crew, Availability: r.availability, OfficersPerSeat: r.perSeat}
	c.Seats = float64(officers) / r.perSeat
	c.ARVs = int(math.Floor(c.Seats/float64(crew) + 1e-9))
	largest := 0
	for t := 0; t < r.teams; t++ {
		n := officers / r.teams
		if t < officers%r.teams {
			n++
		}
		c.Teams = append(c.Teams, n)
		largest = max(largest, n)
	}
	c.AtLeast = make([]float64, largest/crew+1)
	for _, n := range c.Teams {
		tail := binomialTail(n, r.availability)
		for k := range c.AtLeast {
			if need := k * crew; need <= n {
				c.AtLeast[k] += tail[need] / float64(len(c.Teams))
			}
		}
	}
	c.Steps = []Step{
		{Label: "ARV officers", Value: float64(officers), Unit: "officers", Source: "the question"},
		{Label: "officers per 24/7 seat", Value: r.perSeat, Unit: "officers", Source: "derived from the rota and abstraction"},
		{Label: "seats kept filled on average", Value: c.Seats, Unit: "seats",
			Formula: Num(float64(officers)) + " / " + Num(r.perSeat), Source: "derived"},
		{Label: "ARVs crewed 24/7 on average", Value: float64(c.ARVs), Unit: "ARVs",
			Formula: "⌊" + Num(c.Seats) + " / " + Num(float64(crew)) + "⌋", Source: "derived"},
		{Label: "officers in each team", Value: float64(largest), Unit: "officers (largest team)",
			Formula: teamList(c.Teams), Source: "shared as evenly as the rota allows, as in the simulator"},
	}
	for _, k := range []int{c.ARVs, c.ARVs + 1} {
		if k < 1 {
			continue
		}
		c.Steps = append(c.Steps, Step{Label: fmt.Sprintf("chance a shift can crew at least %d ARVs", k), Value: c.Full(k),
			Formula: fmt.Sprintf("P(Binomial(team, %s) ≥ %d), averaged over the teams", Num(r.availability), k*crew),
			Source:  "the simulator's model: each officer present independently"})
	}
	return c, nil
}

// binomialTail returns P(X ≥ m) for m = 0..n, X ~ Binomial(n, p),
// summing the probabilities from the top (computed through logarithms,
// so large teams do not overflow).
func binomialTail(n int, p float64) []float64 {
	tail := make([]float64, n+2)
	switch {
	case p <= 0:
		tail[0] = 1
		return tail[:n+1]
	case p >= 1:
		for m := 0; m <= n; m++ {
			tail[m] = 1
		}
		return tail[:n+1]
	}
	lgn, _ := math.Lgamma(float64(n + 1))
	lp, lq := math.Log(p), math.Log1p(-p)
	for x := n; x >= 0; x-- {
		lgx, _ := math.Lgamma(float64(x + 1))
		lgy, _ := math.Lgamma(float64(n - x + 1))
		tail[x] = tail[x+1] + math.Exp(lgn-lgx-lgy+float64(x)*lp+float64(n-x)*lq)
	}
	for x := range tail {
		tail[x] = math.Min(1, tail[x])
	}
	tail[0] = 1 // exactly, not a sum with rounding
	return tail[:n+1]
}

func teamList(teams []int) string {
	parts := make([]string, len(teams))
	for i, n := range teams {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}

// ceilInt rounds up, forgiving floating-point dust (41.00000000001 is 41).
func ceilInt(x float64) int { return int(math.Ceil(x - 1e-9)) }

func ceilDiv(a, b int) int { return (a + b - 1) / b }
