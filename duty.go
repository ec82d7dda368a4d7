package arv

import (
	"context"
	"slices"
	"time"
)

// DutyStatus is whether an officer is at work for armed duty on a day.
//
// The Home Office counts armed officers at 31 March and, of those, the
// "operationally deployable": "available to work and not absent due to
// sickness (long or short-term) or on restricted duties" (Police use of
// firearms statistics, England and Wales, April 2023 to March 2024,
// https://www.gov.uk/government/statistics/police-use-of-firearms-statistics-april-2023-to-march-2024/police-use-of-firearms-statistics-england-and-wales-april-2023-to-march-2024).
// APP: an AFO is "selected, trained, accredited and authorised by their
// chief officer to carry a firearm operationally"
// (https://www.college.police.uk/app/armed-policing/deployment-authorised-firearms-officers-afos);
// a suspended officer's authorisation is withdrawn for the time being.
// APP leaves to the force whether restricted duties allow armed work; we
// choose that they do not, as the Home Office definition does.
type DutyStatus string

// Duty statuses.
const (
	DutyAvailable  DutyStatus = "available"
	DutySick       DutyStatus = "sick"
	DutyRestricted DutyStatus = "restricted"
	DutySuspended  DutyStatus = "suspended"
)

// DutyStatuses lists every duty status.
var DutyStatuses = []DutyStatus{DutyAvailable, DutySick, DutyRestricted, DutySuspended}

// Words is the status for people.
func (s DutyStatus) Words() string {
	switch s {
	case DutySick:
		return "off sick"
	case DutyRestricted:
		return "on restricted duties"
	case DutySuspended:
		return "suspended"
	}
	return "available"
}

// DutyRecord is one recorded period of an officer's duty status, from a
// London day through an optional last London day (To "" is open-ended).
// The latest record covering a day decides the status that day; with
// none, the officer is available.
type DutyRecord struct {
	ID     int64      `json:"id"`
	Status DutyStatus `json:"status"`
	From   Date       `json:"from"`
	To     Date       `json:"to,omitempty"`
	Note   string     `json:"note,omitempty"`
	// RecordedBy and RecordedAt are who recorded it and when.
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Covers reports whether the record covers London day d.
func (r DutyRecord) Covers(d Date) bool {
	return r.From <= d && (r.To == "" || d <= r.To)
}

// NewDuty is a duty status to record.
type NewDuty struct {
	Status DutyStatus `json:"status"`
	From   Date       `json:"from"`
	To     Date       `json:"to,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// Validate checks a duty record.
func (n *NewDuty) Validate() error {
	if !slices.Contains(DutyStatuses, n.Status) {
		return Errorf(EINVALID, "Duty status %q is not one of available, sick, restricted, suspended.", n.Status)
	}
	if _, err := ParseDate(string(n.From)); err != nil || n.From.Time().Year() < MinDateYear || n.From.Time().Year() > MaxDateYear {
		return Errorf(EINVALID, "Give the first day of the status as YYYY-MM-DD, from %d to %d.", MinDateYear, MaxDateYear)
	}
	if n.To != "" {
		if _, err := ParseDate(string(n.To)); err != nil || n.To.Time().Year() > MaxDateYear {
			return Errorf(EINVALID, "Give the last day of the status as YYYY-MM-DD, or leave it empty while it lasts.")
		}
		if n.To < n.From {
			return Errorf(EINVALID, "The last day %s is before the first day %s.", n.To, n.From)
		}
	}
	if n.Note != "" && !validText(n.Note) || len(n.Note) > 1000 {
		return Errorf(EINVALID, "Note must be at most 1000 characters, without control characters.")
	}
	return nil
}

// LocalDate returns the London calendar day of t.
func LocalDate(t time.Time) Date { return Date(t.In(London).Format(time.DateOnly)) }

// DutyOn returns the officer's duty status on London day d and the
// record that sets it (zero for the default, available).
func (o *Officer) DutyOn(d Date) (DutyStatus, DutyRecord) {
	var best DutyRecord
	found := false
	for _, r := range o.Duty {
		if r.Covers(d) && (!found || r.ID > best.ID) {
			best, found = r, true
		}
	}
	if !found {
		return DutyAvailable, DutyRecord{}
	}
	return best.Status, best
}

// checkDuty returns an EINVALID error naming the status when o is not
// available on the London day of at.
func (o *Officer) checkDuty(at time.Time) error {
	d := LocalDate(at)
	st, r := o.DutyOn(d)
	if st == DutyAvailable {
		return nil
	}
	until := "until further notice"
	if r.To != "" {
		until = "until " + string(r.To)
	}
	return Errorf(EINVALID, "%s (%s) cannot be deployed: %s from %s %s; an administrator records the return to duty.", o.Name, o.Collar, st.Words(), r.From, until)
}

// CheckDutyDuring returns an EINVALID error naming the status when o is
// not available on any London day of [start, end).
func (o *Officer) CheckDutyDuring(start, end time.Time) error {
	if !end.After(start) {
		return o.checkDuty(start)
	}
	last := LocalDate(end.Add(-time.Microsecond))
	// Each London day of the span in turn: the latest record covering a
	// day decides it, so a day set available must not hide a sick record
	// that still covers a later day. (Shifts are at most a day long.)
	for d, n := LocalDate(start), 0; d <= last && n <= 366; d, n = d.AddDays(1), n+1 {
		if st, _ := o.DutyOn(d); st != DutyAvailable {
			return o.checkDuty(localNoonOf(d, start))
		}
	}
	return nil
}

// localNoonOf returns noon London time on day d (t when d is malformed).
func localNoonOf(d Date, t time.Time) time.Time {
	p, err := time.ParseInLocation(time.DateOnly, string(d), London)
	if err != nil {
		return t
	}
	return p.Add(12 * time.Hour)
}

// OperationallyDeployable reports whether o counts as an operationally
// deployable armed officer at at: a valid AFO authorisation and
// available for duty that London day (see DutyStatus for the
// definition).
func (o *Officer) OperationallyDeployable(at time.Time) bool {
	st, _ := o.DutyOn(LocalDate(at))
	return o.HasValid(AccAFO, at) && st == DutyAvailable
}

// DutyService records officers' duty status.
type DutyService interface {
	// RecordDuty records a duty status period for an officer
	// (ActionManageOfficers) and returns the officer.
	RecordDuty(ctx context.Context, officerID int64, n NewDuty) (*Officer, error)
}
