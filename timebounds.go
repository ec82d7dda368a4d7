package arv

import (
	"fmt"
	"strings"
	"time"
)

// Time bounds and London wall-clock readings (issue 12, "Local time").
//
// The server stores UTC. People read and type Europe/London time. Two
// nights a year the London clock is not a one-to-one map of UTC:
//
//   - Spring gap (last Sunday of March): clocks go from 01:00 GMT to
//     02:00 BST, so 01:00-01:59 never happens. A typed time in the gap is
//     refused (ParseLocal) with a message that says so; a patrol window
//     that starts in the gap starts at the same instant one hour later on
//     the clock (01:30 is read as 02:30 BST, which is 01:30 UTC).
//   - Autumn overlap (last Sunday of October): clocks go from 02:00 BST
//     back to 01:00 GMT, so 01:00-01:59 happens twice. A typed time in the
//     overlap is read as the first occurrence (BST); to mean the second,
//     give the time with its offset in the API (RFC 3339, +00:00).
//
// These are choices (APP says nothing about clocks); docs/operations.md
// ("Local time") records them.

// Earliest is the earliest time the server accepts for an event a person
// enters (a call time, a shift): 00:00 on 1 January 2000, London. Nothing
// older belongs in an operational record; the year 1900 or 0000 is a
// typing error.
var Earliest = time.Date(2000, time.January, 1, 0, 0, 0, 0, London)

// FutureSlack is how far past the server's clock an entered event time may
// lie (clocks on the control room's machines drift a little).
const FutureSlack = time.Minute

// DefaultLateEntryAfter is how long after a call the record may be created
// before it counts as a late entry and needs a reason (the default of the
// arv serve --late-entry-after flag).
//
// APP requires "an auditable log of each armed deployment"
// (https://www.college.police.uk/app/armed-policing/post-deployment) and
// uses the NDM as "a structure for documenting decisions and their
// rationale" (https://www.college.police.uk/app/armed-policing/armed-deployment);
// a record written up well after the call is still part of that log, so
// it is kept, flagged and its reason recorded rather than refused. APP
// sets no time after which an entry is late: one hour is our choice, a
// setting (Store.LateEntryAfter, arv serve --late-entry-after).
const DefaultLateEntryAfter = time.Hour

// MaxShiftAhead is how far ahead a shift may be rostered: two years, a
// constant (a roster further ahead than two shift-pattern cycles of leave
// planning is a typing error, not a plan).
const MaxShiftAhead = 2 * 365 * 24 * time.Hour

// MinDateYear and MaxDateYear bound the calendar days and years people
// give: accreditations, fitness tests, duty status, the years of returns
// and the days of the incident export.
const (
	MinDateYear = 2000
	MaxDateYear = 2100
)

// MaxReasonLen bounds a late-entry or amendment reason.
const MaxReasonLen = 1000

// HumanLayout is how a time is written in messages: London wall clock and
// the zone abbreviation (GMT or BST), so it cannot be misread.
const HumanLayout = "2006-01-02 15:04 MST"

// FormatLocal writes t for a person: London time with its zone, such as
// "2026-03-29 02:30 BST". A time before 1900 (only ever a typing error)
// is written in GMT, not in London's local mean time of before 1847.
func FormatLocal(t time.Time) string {
	if t.UTC().Year() < 1900 {
		return t.UTC().Format("2006-01-02 15:04") + " GMT"
	}
	return t.In(London).Format(HumanLayout)
}

// ClockLocal writes the London time of day of t with its zone, such as
// "15:04:05 GMT", for messages about today.
func ClockLocal(t time.Time) string { return t.In(London).Format("15:04:05 MST") }

// LocalLayouts are the layouts ParseLocal accepts, in order: the HTML
// datetime-local value, with and without seconds, and a space-separated
// form.
var LocalLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"}

// LocalAt returns the instant of the London wall-clock reading y-m-d
// hh:mm:ss. In the spring gap it returns the instant the same reading
// names in GMT (01:30 is 02:30 BST) and gap is true; in the autumn overlap
// it returns the first occurrence (BST).
func LocalAt(y int, m time.Month, d, hh, mm, ss int) (t time.Time, gap bool) {
	t = time.Date(y, m, d, hh, mm, ss, 0, London)
	l := t.In(London)
	want := time.Date(y, m, d, hh, mm, ss, 0, time.UTC) // normalised wall clock
	wall := func(x time.Time) time.Time {
		return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), 0, time.UTC)
	}
	if !wall(l).Equal(want) {
		return t, true
	}
	if e := t.Add(-time.Hour); wall(e.In(London)).Equal(want) {
		return e, false // the first of two
	}
	return t, false
}

// ParseLocal reads a London wall-clock time typed by a person (see
// LocalLayouts) or an RFC 3339 time with its offset. A reading in the
// spring gap is refused; one in the autumn overlap is the first (BST).
func ParseLocal(what, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range LocalLayouts {
		w, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t, gap := LocalAt(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second())
		if gap {
			return time.Time{}, Errorf(EINVALID, "%s %s did not happen in London: the clocks went forward an hour at 01:00 GMT that night. Give the time as it was on the clock after the change (an hour later).", what, w.Format("2006-01-02 15:04"))
		}
		return t, nil
	}
	return time.Time{}, Errorf(EINVALID, "%s must be a London date and time such as 2026-11-05T14:00 or an RFC 3339 time with its offset such as 2026-11-05T14:00:00Z.", what)
}

// ParseLocalDate reads a YYYY-MM-DD London calendar day and returns its
// first instant (London midnight).
func ParseLocalDate(what, s string) (time.Time, error) {
	w, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%s must be a date (YYYY-MM-DD).", what)
	}
	t, _ := LocalAt(w.Year(), w.Month(), w.Day(), 0, 0, 0) // London midnight is never in a gap
	return t, nil
}

// CheckEventTime refuses an entered event time before Earliest or more than
// FutureSlack after now. what names the time in the message ("The call
// time").
func CheckEventTime(what string, t, now time.Time) error {
	switch {
	case t.Before(Earliest):
		return Errorf(EINVALID, "%s %s is before 2000; check the date and enter it again.", what, FormatLocal(t))
	case t.After(now.Add(FutureSlack)):
		return Errorf(EINVALID, "%s %s is in the future (it is now %s); check the date and time and enter it again.", what, FormatLocal(t), FormatLocal(now))
	}
	return nil
}

// IsLate reports whether an event at t entered at now is a late entry:
// more than after before now.
func IsLate(t, now time.Time, after time.Duration) bool { return now.Sub(t) > after }

// CheckReason checks a late-entry or amendment reason: needed says whether
// one must be given; what it is for names the rule in the message.
func CheckReason(reason string, needed bool, rule string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case len(reason) > MaxReasonLen:
		return Errorf(EINVALID, "The reason must be at most %d characters.", MaxReasonLen)
	case reason != "" && !validText(reason):
		return Errorf(EINVALID, "The reason must be written without control characters; type it again.")
	case needed && reason == "":
		return Errorf(EINVALID, "%s", rule)
	}
	return nil
}

// CheckDateBounds refuses a calendar day outside MinDateYear..MaxDateYear.
func CheckDateBounds(what string, d Date) error {
	t := d.Time()
	if t.IsZero() {
		return Errorf(EINVALID, "%s %q is not a date (YYYY-MM-DD).", what, string(d))
	}
	if y := t.In(London).Year(); y < MinDateYear || y > MaxDateYear {
		return Errorf(EINVALID, "%s %s is outside the years %d to %d; check the date and enter it again.", what, d, MinDateYear, MaxDateYear)
	}
	return nil
}

// CheckShiftBounds refuses a shift that starts before Earliest or more
// than MaxShiftAhead after now.
func CheckShiftBounds(start, now time.Time) error {
	switch {
	case start.Before(Earliest):
		return Errorf(EINVALID, "The shift start %s is before 2000; check the date and enter it again.", FormatLocal(start))
	case start.After(now.Add(MaxShiftAhead)):
		return Errorf(EINVALID, "The shift start %s is more than two years ahead; the roster takes shifts up to %s.", FormatLocal(start), FormatLocal(now.Add(MaxShiftAhead)))
	}
	return nil
}

// ShiftEndedRule is the message when a change to an ended shift has no
// reason. Who was rostered armed on a shift is part of the auditable record
// of deployments (https://www.college.police.uk/app/armed-policing/post-deployment),
// so a change after the shift is an amendment: it needs a reason and is
// kept (RosterAmendment) beside the audit row. Any change once the shift
// has ended counts (our choice; APP sets no period).
func ShiftEndedRule(end time.Time) string {
	return fmt.Sprintf("This shift ended at %s; a change to a shift that has already ended is an amendment to the record and needs a reason (give one in the reason field).", FormatLocal(end))
}

// FitnessValidDays is FitnessValidFor in calendar days: a test passed on a
// day lapses at the start of the same day a year (365 days) later, London
// time, whatever the clock changes in between.
const FitnessValidDays = int(FitnessValidFor / (24 * time.Hour))

// AddDays returns the calendar day n days after d (before, for negative
// n); d itself when d is malformed.
func (d Date) AddDays(n int) Date {
	t := d.Time()
	if t.IsZero() {
		return d
	}
	return Date(time.Date(t.Year(), t.Month(), t.Day()+n, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// DaysBetween returns the whole calendar days from a to b (negative when b
// is before a), counting days not hours, so a 23- or 25-hour day at a
// clock change counts as one.
func DaysBetween(a, b Date) int {
	ta, tb := a.Time(), b.Time()
	if ta.IsZero() || tb.IsZero() {
		return 0
	}
	ua := time.Date(ta.Year(), ta.Month(), ta.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(tb.Year(), tb.Month(), tb.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// HourLocal writes the London hour and minute of t with its zone, such as
// "15:04 GMT", for messages about the next few hours.
func HourLocal(t time.Time) string { return t.In(London).Format("15:04 MST") }

// DayLocal writes the London day and time of t with its zone, such as
// "Sun 29 Mar 22:00 BST".
func DayLocal(t time.Time) string { return t.In(London).Format("Mon 2 Jan 15:04 MST") }

// RosterAmendment is a change to a shift made after it had ended.
type RosterAmendment struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
	// Action is "add shift", "assign" or "unassign".
	Action    string `json:"action"`
	OfficerID int64  `json:"officer_id,omitempty"`
	Reason    string `json:"reason"`
}

// SpanText writes a duration for a person: "1 hour", "90 minutes".
func SpanText(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d == time.Minute:
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}
