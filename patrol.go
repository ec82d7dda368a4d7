package arv

import (
	"time"

	"github.com/arv-project/arv/geo"
)

// PatrolPlan is a key site's armed-patrol plan: armed officers must be
// there for HoursPerDay from Start each day and check in every
// CheckInMinutes while on patrol.
type PatrolPlan struct {
	ID       int64     `json:"id"`
	Site     string    `json:"site"`
	Position geo.Point `json:"position"`
	// Start is the start of the patrol window, "HH:MM" London wall clock
	// (the window keeps its London times across the clock changes).
	Start          string  `json:"start"`
	HoursPerDay    float64 `json:"hours_per_day"`
	CheckInMinutes int     `json:"check_in_minutes"`
	// LastCheckIn is the latest check-in, if any.
	LastCheckIn *CheckIn `json:"last_check_in,omitempty"`
}

// CheckIn is an armed patrol's report from a key site.
type CheckIn struct {
	ID     int64     `json:"id"`
	PlanID int64     `json:"plan_id"`
	UnitID int64     `json:"unit_id,omitempty"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

// NewPatrolPlan is a plan to create.
type NewPatrolPlan struct {
	Site           string    `json:"site"`
	Position       geo.Point `json:"position"`
	Start          string    `json:"start"`
	HoursPerDay    float64   `json:"hours_per_day"`
	CheckInMinutes int       `json:"check_in_minutes"`
}

// Validate checks a plan.
func (p *NewPatrolPlan) Validate() error {
	if !validName(p.Site, 200) {
		return Errorf(EINVALID, "Site must be 1 to 200 characters.")
	}
	if _, err := time.Parse("15:04", p.Start); err != nil {
		return Errorf(EINVALID, "Start %q is not a time of day (HH:MM).", p.Start)
	}
	if !(p.HoursPerDay > 0 && p.HoursPerDay <= 24) {
		return Errorf(EINVALID, "Hours per day must be more than 0 and at most 24.")
	}
	if p.CheckInMinutes < 5 || p.CheckInMinutes > 24*60 {
		return Errorf(EINVALID, "Check-in interval must be 5 to 1440 minutes.")
	}
	return CheckPoint(p.Position)
}

// Window returns the patrol window that contains t or, when t is in none,
// the last one that started before t. Windows are London wall-clock
// times: a 22:00 plan of 8 hours runs 22:00-06:00 London on the nights
// the clocks change too (7 or 9 hours by the clock on the wall of a
// server in UTC). A start in the spring gap begins when the clocks have
// gone forward; one in the autumn overlap at its first occurrence (see
// LocalAt).
func (p *PatrolPlan) Window(t time.Time) (start, end time.Time) {
	hm, _ := time.Parse("15:04", p.Start)
	l := t.In(London)
	mins := int(p.HoursPerDay*60 + 0.5)
	at := func(y int, m time.Month, d int) (time.Time, time.Time) {
		s, _ := LocalAt(y, m, d, hm.Hour(), hm.Minute(), 0)
		e, _ := LocalAt(y, m, d, hm.Hour(), hm.Minute()+mins, 0)
		return s, e
	}
	start, end = at(l.Year(), l.Month(), l.Day())
	if start.After(t) {
		start, end = at(l.Year(), l.Month(), l.Day()-1)
	}
	return start, end
}

// MissedCheckIn returns when a check-in became overdue at now, or false
// when the patrol is on time or outside its window. The first check-in of
// a window is due CheckInMinutes after the window opens.
func (p *PatrolPlan) MissedCheckIn(now time.Time) (time.Time, bool) {
	start, end := p.Window(now)
	if !now.Before(end) {
		return time.Time{}, false
	}
	last := start
	if p.LastCheckIn != nil && p.LastCheckIn.At.After(last) {
		last = p.LastCheckIn.At
	}
	due := last.Add(time.Duration(p.CheckInMinutes) * time.Minute)
	if now.After(due) {
		return due, true
	}
	return time.Time{}, false
}
