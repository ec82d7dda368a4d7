package arv

import (
	"fmt"
	"slices"
	"time"
)

// Accreditation is a firearms or command qualification an officer holds
// (../shared/domain/armed-policing-facts.md §2).
type Accreditation string

// The accreditations the server records.
const (
	AccAFO   Accreditation = "AFO"   // authorised firearms officer
	AccARV   Accreditation = "ARV"   // armed response vehicle officer
	AccSFO   Accreditation = "SFO"   // specialist firearms officer
	AccCTSFO Accreditation = "CTSFO" // counter-terrorist specialist firearms officer
	AccTaser Accreditation = "Taser" // conducted energy device
	AccITFC  Accreditation = "ITFC"  // initial tactical firearms commander (command.go)
	AccTFC   Accreditation = "TFC"   // tactical firearms commander
	AccSFC   Accreditation = "SFC"   // strategic firearms commander
)

// Accreditations lists every accreditation.
var Accreditations = []Accreditation{AccAFO, AccARV, AccSFO, AccCTSFO, AccTaser, AccITFC, AccTFC, AccSFC}

// Valid reports whether a is one of Accreditations.
func (a Accreditation) Valid() bool { return slices.Contains(Accreditations, a) }

// ARVCrewRequires lists what an officer needs, in date, to crew an ARV or
// be assigned to an incident: the AFO authorisation, the ARV
// accreditation, and a passed annual fitness test (facts §2.4: AFOs
// requalify each year and re-pass fitness every year).
var ARVCrewRequires = []Accreditation{AccAFO, AccARV}

// FitnessValidFor is how long a passed fitness test counts (facts §2.4:
// "AFO fitness must be re-passed every year").
const FitnessValidFor = 365 * 24 * time.Hour

// ReminderDays are the days before expiry at which reminders fall due
// (issue 6).
var ReminderDays = []int{30, 14, 7}

// Date is a calendar day, written YYYY-MM-DD. An accreditation is valid
// through the whole of its expiry day.
type Date string

// ParseDate checks s is a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", Errorf(EINVALID, "%q is not a date (YYYY-MM-DD).", s)
	}
	return Date(s), nil
}

// Time is the start of the day in London (midnight GMT or BST: a
// calendar day is a London day, issue 12); the zero time for a malformed
// date. (Parsed by hand: dispatch checks every crew member's tickets on
// every recommendation.)
func (d Date) Time() time.Time {
	s := string(d)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}
	}
	n := func(b string) int {
		v := 0
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, day := n(s[:4]), n(s[5:7]), n(s[8:])
	if y < 0 || m < 1 || m > 12 || day < 1 || day > 31 {
		return time.Time{}
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, London)
	if t.Day() != day {
		return time.Time{} // 31 April and the like
	}
	return t
}

// End is the first instant after the day (the next London midnight: the
// day is 23 or 25 hours long when the clocks change).
func (d Date) End() time.Time {
	t := d.Time()
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, London)
}

// DateOf returns the London calendar day of t.
func DateOf(t time.Time) Date { return Date(t.In(London).Format(time.DateOnly)) }

// Officer is a police officer on the force's firearms strength.
type Officer struct {
	ID int64 `json:"id"`
	// Collar is the force's identifier for the officer (warrant or collar
	// number), unique.
	Collar string `json:"collar"`
	Name   string `json:"name"`
	Rank   string `json:"rank"`
	// Team is the shift team (1..teams of the force's shift pattern); 0
	// for none.
	Team           int                   `json:"team"`
	Accreditations []AccreditationRecord `json:"accreditations"`
	Fitness        []FitnessTest         `json:"fitness"`
	Created        time.Time             `json:"created"`
	// Duty is the officer's recorded duty status periods (duty.go).
	Duty []DutyRecord `json:"duty"`
}

// AccreditationRecord is one grant of an accreditation.
type AccreditationRecord struct {
	ID      int64         `json:"id"`
	Kind    Accreditation `json:"kind"`
	Issued  Date          `json:"issued"`
	Expires Date          `json:"expires"`
	// Revoked is set when the ticket was withdrawn before expiry.
	Revoked bool `json:"revoked,omitempty"`
}

// FitnessTest is one annual fitness test or requalification.
type FitnessTest struct {
	ID     int64  `json:"id"`
	Taken  Date   `json:"taken"`
	Passed bool   `json:"passed"`
	Note   string `json:"note,omitempty"`
}

// NewOfficer is an officer to create.
type NewOfficer struct {
	Collar string `json:"collar"`
	Name   string `json:"name"`
	Rank   string `json:"rank"`
	Team   int    `json:"team"`
}

// Validate checks a new officer.
func (o *NewOfficer) Validate() error {
	switch {
	case !validName(o.Collar, 32):
		return Errorf(EINVALID, "Collar number must be 1 to 32 characters.")
	case !validName(o.Name, 200):
		return Errorf(EINVALID, "Name must be 1 to 200 characters.")
	case o.Rank != "" && !validName(o.Rank, 64):
		return Errorf(EINVALID, "Rank must be at most 64 characters.")
	case o.Team < 0 || o.Team > 99:
		return Errorf(EINVALID, "Team must be between 0 and 99.")
	}
	return nil
}

// NewAccreditation is an accreditation to record.
type NewAccreditation struct {
	Kind    Accreditation `json:"kind"`
	Issued  Date          `json:"issued"`
	Expires Date          `json:"expires"`
}

// Validate checks a new accreditation.
func (a *NewAccreditation) Validate() error {
	if !a.Kind.Valid() {
		return Errorf(EINVALID, "Accreditation %q is not one of AFO, ARV, SFO, CTSFO, Taser, ITFC, TFC, SFC.", a.Kind)
	}
	if _, err := ParseDate(string(a.Issued)); err != nil {
		return Errorf(EINVALID, "Issued: %s", ErrorMessage(err))
	}
	if _, err := ParseDate(string(a.Expires)); err != nil {
		return Errorf(EINVALID, "Expires: %s", ErrorMessage(err))
	}
	if a.Expires < a.Issued {
		return Errorf(EINVALID, "Expiry %s is before issue %s.", a.Expires, a.Issued)
	}
	if err := CheckDateBounds("The issue date", a.Issued); err != nil {
		return err
	}
	return CheckDateBounds("The expiry date", a.Expires)
}

// Latest returns the record of kind that expires last, ignoring revoked
// ones, and whether there is one.
func (o *Officer) Latest(kind Accreditation) (AccreditationRecord, bool) {
	var best AccreditationRecord
	found := false
	for _, a := range o.Accreditations {
		if a.Kind == kind && !a.Revoked && (!found || a.Expires > best.Expires) {
			best, found = a, true
		}
	}
	return best, found
}

// HasValid reports whether o holds kind, issued and unexpired, at t.
func (o *Officer) HasValid(kind Accreditation, at time.Time) bool {
	for _, a := range o.Accreditations {
		if a.Kind == kind && !a.Revoked && !at.Before(a.Issued.Time()) && at.Before(a.Expires.End()) {
			return true
		}
	}
	return false
}

// LastFitness returns the latest passed fitness test, if any.
func (o *Officer) LastFitness() (FitnessTest, bool) {
	return o.fitnessAt(time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC))
}

// CheckARVCrew returns nil if o may crew an ARV or be assigned to an
// incident at t, and otherwise an EINVALID error naming the duty status
// (sick, restricted duties, suspended: duty.go) or the missing or lapsed
// accreditation and its expiry.
func (o *Officer) CheckARVCrew(at time.Time) error {
	if err := o.checkDuty(at); err != nil {
		return err // sick, restricted or suspended that day (duty.go)
	}
	for _, kind := range ARVCrewRequires {
		if o.HasValid(kind, at) {
			continue
		}
		if a, ok := o.Latest(kind); ok {
			if a.Expires.End().After(at) {
				return Errorf(EINVALID, "%s (%s) cannot be deployed: %s accreditation is not valid until %s.", o.Name, o.Collar, kind, a.Issued)
			}
			return Errorf(EINVALID, "%s (%s) cannot be deployed: %s accreditation expired on %s.", o.Name, o.Collar, kind, a.Expires)
		}
		if o.hasRevoked(kind) {
			return Errorf(EINVALID, "%s (%s) cannot be deployed: %s accreditation revoked.", o.Name, o.Collar, kind)
		}
		return Errorf(EINVALID, "%s (%s) cannot be deployed: no %s accreditation recorded.", o.Name, o.Collar, kind)
	}
	if last, ok := o.lastTestAt(at); ok && !last.Passed {
		return Errorf(EINVALID, "%s (%s) cannot be deployed: failed the fitness test on %s.", o.Name, o.Collar, last.Taken)
	}
	f, ok := o.fitnessAt(at)
	if !ok {
		return Errorf(EINVALID, "%s (%s) cannot be deployed: no passed fitness test recorded.", o.Name, o.Collar)
	}
	if due := f.Taken.AddDays(FitnessValidDays).Time(); !at.Before(due) {
		return Errorf(EINVALID, "%s (%s) cannot be deployed: annual fitness test lapsed on %s (last passed %s).", o.Name, o.Collar, DateOf(due), f.Taken)
	}
	return nil
}

// Reminder is an accreditation or fitness test falling due.
type Reminder struct {
	OfficerID int64  `json:"officer_id"`
	Officer   string `json:"officer"`
	Collar    string `json:"collar"`
	// What is the accreditation, or "fitness".
	What    string `json:"what"`
	Expires Date   `json:"expires"`
	// DaysLeft is whole days from today to the expiry day (0 = expires
	// today, negative = lapsed).
	DaysLeft int `json:"days_left"`
	// Stage is the reminder stage reached: 30, 14 or 7 days, or 0 once
	// lapsed.
	Stage int `json:"stage"`
}

// Reminders returns what of o falls due within the largest of
// ReminderDays of today, and what has lapsed within the last 30 days
// without renewal, latest record of each kind only.
func (o *Officer) Reminders(today Date) []Reminder {
	var out []Reminder
	add := func(what string, exp Date) {
		days := DaysBetween(today, exp)
		if days > ReminderDays[0] || days < -30 {
			return
		}
		stage := 0
		for _, d := range ReminderDays {
			if days <= d && days >= 0 {
				stage = d
			}
		}
		out = append(out, Reminder{OfficerID: o.ID, Officer: o.Name, Collar: o.Collar, What: what, Expires: exp, DaysLeft: days, Stage: stage})
	}
	for _, kind := range Accreditations {
		if a, ok := o.Latest(kind); ok {
			add(string(kind), a.Expires)
		}
	}
	if f, ok := o.LastFitness(); ok && o.HasAny(ARVCrewRequires...) {
		add("fitness", f.Taken.AddDays(FitnessValidDays-1))
	}
	return out
}

func (o *Officer) hasRevoked(kind Accreditation) bool {
	for _, a := range o.Accreditations {
		if a.Kind == kind && a.Revoked {
			return true
		}
	}
	return false
}

// lastTestAt returns the latest fitness test, passed or failed, taken on
// or before the day of at (facts §2.4: failing a requalification can
// revoke the ticket; a later pass restores it).
func (o *Officer) lastTestAt(at time.Time) (FitnessTest, bool) {
	var best FitnessTest
	found := false
	for _, f := range o.Fitness {
		if f.Taken.Time().Before(at.Add(time.Nanosecond)) && (!found || f.Taken >= best.Taken) {
			best, found = f, true
		}
	}
	return best, found
}

// fitnessAt returns the latest passed fitness test taken on or before
// the day of at.
func (o *Officer) fitnessAt(at time.Time) (FitnessTest, bool) {
	var best FitnessTest
	found := false
	for _, f := range o.Fitness {
		if f.Passed && f.Taken.Time().Before(at.Add(time.Nanosecond)) && (!found || f.Taken > best.Taken) {
			best, found = f, true
		}
	}
	return best, found
}

// HasAny reports whether o has an unrevoked record of any of kinds.
func (o *Officer) HasAny(kinds ...Accreditation) bool {
	for _, a := range o.Accreditations {
		if !a.Revoked && slices.Contains(kinds, a.Kind) {
			return true
		}
	}
	return false
}

// String names the officer for messages.
func (o *Officer) String() string { return fmt.Sprintf("%s (%s)", o.Name, o.Collar) }
