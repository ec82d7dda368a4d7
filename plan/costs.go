package plan

import (
	"fmt"
	"math"
)

// Taser figures (facts §2.5).
const (
	// TaserFunding and TaserDevices: "In 2020 forces got £6.7m for an
	// extra 8,155 devices."
	TaserFunding = 6.7e6
	TaserDevices = 8155
	// TaserInitialHours is the initial course's "minimum contact time of
	// 18 hours" (3 days, College of Policing 2017).
	TaserInitialHours = 18
	// TaserRefresherHours is the "mandatory yearly refresher of at least
	// 6 hours" (1 day).
	TaserRefresherHours = 6
)

// Costs are the money and workforce figures of the what-ifs' costs, in
// pounds and hours. Only the Taser figures are in the files; every other
// is an assumption (GK where it is general knowledge), labelled here and
// in docs/planning.md. Costs are the force's own (officer time, kit,
// vehicles); central training costs and capital works (armouries,
// ranges) are left out.
type Costs struct {
	// OfficerPerYear is what a constable costs a year: pay near the top
	// of the scale and the employer's National Insurance and pension
	// contributions. Default £55,000 (GK, assumption: about £40,000 pay
	// in 2017–2020 plus about 38% on-costs).
	OfficerPerYear float64 `json:"officer_per_year"`
	// PaidHoursPerYear is the hours a year an officer is paid for.
	// Default 2,087: a 40-hour week × 52.18 weeks (GK). OfficerPerYear /
	// PaidHoursPerYear is the cost of an officer-hour (£26.35).
	PaidHoursPerYear float64 `json:"paid_hours_per_year"`
	// ARVPerYear is the cost a year of one more ARV on the road, its
	// officers apart: the vehicle and its fit-out (the Tri-Force ARVs
	// were BMW X5s fitted out at Devizes, geo §2.2) spread over its life,
	// fuel, maintenance, and the weapons and kit it carries. Default
	// £30,000 (GK, assumption).
	ARVPerYear float64 `json:"arv_per_year"`
	// CourseHoursPerWeek is the hours of a week on a course. Default 40
	// (GK: a working week).
	CourseHoursPerWeek float64 `json:"course_hours_per_week"`
	// ArmedTrainingHoursPerYear is the firearms training a year of an
	// armed patrol officer (not an ARV officer): AFOs are "tested every
	// four months, and requalifying for the role each year" (facts
	// §2.4). Default 40: three one-day tests and a two-day
	// requalification, 5 days of 8 hours (assumption for the days).
	ArmedTrainingHoursPerYear float64 `json:"armed_training_hours_per_year"`
	// ArmedCareerYears is how long an officer stays armed, over which
	// the initial course is spread in the steady state. Default 10
	// (assumption, as DefaultAttrition).
	ArmedCareerYears float64 `json:"armed_career_years"`
	// ArmedDirectPerYear is the training cost a year per armed officer
	// beyond the officer's time: instructors, range time and
	// ammunition. Default £1,000 (GK, assumption).
	ArmedDirectPerYear float64 `json:"armed_direct_per_year"`
	// ArmedKitPerYear is the equipment of an armed officer a year: a
	// sidearm, holster, magazines and secure storage, replaced over about
	// five years. Default £300 (GK, assumption).
	ArmedKitPerYear float64 `json:"armed_kit_per_year"`
	// ResponseShare is the share of a force's officers on response
	// patrol, who would be the armed patrols if every officer were
	// armed. Default 0.3 (GK, unverified: response teams are roughly a
	// quarter to a third of a force's officers).
	ResponseShare float64 `json:"response_share"`
	// FrontLineShare is the share of a force's officers on the front line
	// "likely to face violence" (Kent 2019, facts §2.5), who would carry
	// Taser. Default 0.5 (assumption; cross-check: Kent planned 1,500
	// Taser officers, facts §2.5, of about 3,200 officers, 47%).
	FrontLineShare float64 `json:"front_line_share"`
	// TaserDevice is the price of one Taser: £6.7m for 8,155 devices in
	// 2020 = £821.58 (facts §2.5, derived).
	TaserDevice float64 `json:"taser_device"`
	// TaserDeviceYears is the life of a Taser, over which its price is
	// spread. Default 5 (GK, assumption).
	TaserDeviceYears float64 `json:"taser_device_years"`
	// TaserInitialHours and TaserRefresherHours are the training: 18
	// hours once, 6 hours a year (facts §2.5).
	TaserInitialHours   float64 `json:"taser_initial_hours"`
	TaserRefresherHours float64 `json:"taser_refresher_hours"`
}

// DefaultCosts returns the costs described on each field of Costs.
func DefaultCosts() Costs {
	return Costs{
		OfficerPerYear:            55000,
		PaidHoursPerYear:          40 * WeeksPerYear,
		ARVPerYear:                30000,
		CourseHoursPerWeek:        40,
		ArmedTrainingHoursPerYear: 40,
		ArmedCareerYears:          10,
		ArmedDirectPerYear:        1000,
		ArmedKitPerYear:           300,
		ResponseShare:             0.3,
		FrontLineShare:            0.5,
		TaserDevice:               TaserFunding / TaserDevices,
		TaserDeviceYears:          5,
		TaserInitialHours:         TaserInitialHours,
		TaserRefresherHours:       TaserRefresherHours,
	}
}

// hourly returns the cost of an officer-hour.
func (c Costs) hourly() float64 { return c.OfficerPerYear / c.PaidHoursPerYear }

// check reports the first figure that makes no sense.
func (c Costs) check() error {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"officer cost a year", c.OfficerPerYear}, {"ARV cost a year", c.ARVPerYear},
		{"course hours a week", c.CourseHoursPerWeek}, {"armed training hours a year", c.ArmedTrainingHoursPerYear},
		{"armed direct cost a year", c.ArmedDirectPerYear}, {"armed kit a year", c.ArmedKitPerYear},
		{"Taser price", c.TaserDevice}, {"Taser initial hours", c.TaserInitialHours}, {"Taser refresher hours", c.TaserRefresherHours},
	} {
		if !(f.v >= 0) || math.IsInf(f.v, 1) {
			return fmt.Errorf("plan: costs: %s must be a non-negative number, got %g", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"paid hours a year", c.PaidHoursPerYear}, {"armed career years", c.ArmedCareerYears}, {"Taser life in years", c.TaserDeviceYears}} {
		if !(f.v > 0) || math.IsInf(f.v, 1) {
			return fmt.Errorf("plan: costs: %s must be a positive number, got %g", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"response share", c.ResponseShare}, {"front-line share", c.FrontLineShare}} {
		if !(f.v >= 0 && f.v <= 1) {
			return fmt.Errorf("plan: costs: %s must be between 0 and 1, got %g", f.name, f.v)
		}
	}
	return nil
}

// CostModel is what a what-if costs against the scenario it changes.
type CostModel struct {
	// Known is false when the files and Costs give no way to cost the
	// change.
	Known bool `json:"known"`
	// PerYear is the change in the force's spending a year, in pounds;
	// negative is a saving.
	PerYear float64 `json:"per_year"`
	// OneOff is the spending once, in pounds (training the officers
	// added, buying devices).
	OneOff float64 `json:"one_off"`
	// Steps show the arithmetic.
	Steps []Step `json:"steps"`
}

// officerCost costs a change of delta officers a year and, for new
// officers, their initial AFO and ARV courses once.
func officerCost(c Costs, delta int, arvDelta int) CostModel {
	m := CostModel{Known: true}
	m.PerYear = float64(delta)*c.OfficerPerYear + float64(arvDelta)*c.ARVPerYear
	m.Steps = append(m.Steps,
		Step{Label: "officer cost a year", Value: c.OfficerPerYear, Unit: "£", Source: "assumption (GK): Costs.OfficerPerYear"},
		Step{Label: "ARV cost a year, its officers apart", Value: c.ARVPerYear, Unit: "£", Source: "assumption (GK): Costs.ARVPerYear"},
		Step{Label: "change in spending a year", Value: m.PerYear, Unit: "£ a year",
			Formula: signed(delta, "officer", c.OfficerPerYear, true) + signed(arvDelta, "ARV", c.ARVPerYear, false), Source: "derived"},
	)
	if delta > 0 {
		hours := (AFOCourseWeeks + ARVCourseWeeks) * c.CourseHoursPerWeek
		m.OneOff = float64(delta) * hours * c.hourly()
		m.Steps = append(m.Steps, Step{Label: "initial training of the new officers (their time)", Value: m.OneOff, Unit: "£ once",
			Formula: fmt.Sprintf("%d × (%d + %d weeks) × %s h × %s an hour", delta, AFOCourseWeeks, ARVCourseWeeks, Num(c.CourseHoursPerWeek), money2(c.hourly())),
			Source:  "facts §2.3 (course weeks); assumption: officer-hour cost"})
	}
	return m
}

// signed writes "n things × £x" as a term of a sum: "−9 officers ×
// £55,000", " − 1 ARV × £30,000" (first: no leading operator for a
// positive term).
func signed(n int, thing string, each float64, first bool) string {
	op := " + "
	if n < 0 {
		op = " − "
		if first {
			op = "−"
		}
	} else if first {
		op = ""
	}
	a := max(n, -n)
	if a != 1 {
		thing += "s"
	}
	return fmt.Sprintf("%s%d %s × %s", op, a, thing, money(each))
}

// money2 formats pounds and pence.
func money2(v float64) string {
	return "£" + Num(math.Round(v*100)/100)
}
