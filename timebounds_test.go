package arv_test

import (
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

func londonTestUTC(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

// Times either side of both clock changes of 2026 are written in London
// time with the right zone.
func TestFormatLocalAcrossClockChanges(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{londonTestUTC(2026, 3, 29, 0, 59), "2026-03-29 00:59 GMT"},
		{londonTestUTC(2026, 3, 29, 1, 0), "2026-03-29 02:00 BST"},
		{londonTestUTC(2026, 7, 1, 12, 0), "2026-07-01 13:00 BST"},
		{londonTestUTC(2026, 10, 25, 0, 59), "2026-10-25 01:59 BST"},
		{londonTestUTC(2026, 10, 25, 1, 0), "2026-10-25 01:00 GMT"},
		{londonTestUTC(2026, 11, 26, 9, 0), "2026-11-26 09:00 GMT"},
		{londonTestUTC(1026, 12, 1, 7, 0), "1026-12-01 07:00 GMT"},
		{londonTestUTC(0, 1, 1, 0, 0), "0000-01-01 00:00 GMT"},
	}
	for _, tt := range tests {
		if got := arv.FormatLocal(tt.at); got != tt.want {
			t.Errorf("FormatLocal(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
	if got := arv.ClockLocal(londonTestUTC(2026, 3, 29, 1, 0)); got != "02:00:00 BST" {
		t.Errorf("ClockLocal = %q", got)
	}
}

// A typed London time: the spring gap is refused; the autumn overlap is
// its first occurrence (BST); RFC 3339 keeps its offset.
func TestParseLocal(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		refused string
	}{
		{"2026-11-05T14:00", londonTestUTC(2026, 11, 5, 14, 0), ""},
		{"2026-07-01T14:00", londonTestUTC(2026, 7, 1, 13, 0), ""},
		{"2026-07-01 14:00:30", time.Date(2026, 7, 1, 13, 0, 30, 0, time.UTC), ""},
		{"2026-03-29T00:59", londonTestUTC(2026, 3, 29, 0, 59), ""},
		{"2026-03-29T01:00", time.Time{}, "2026-03-29 01:00 did not happen in London"},
		{"2026-03-29T01:30", time.Time{}, "clocks went forward"},
		{"2026-03-29T02:00", londonTestUTC(2026, 3, 29, 1, 0), ""},
		{"2026-10-25T00:59", londonTestUTC(2026, 10, 24, 23, 59), ""},
		{"2026-10-25T01:30", londonTestUTC(2026, 10, 25, 0, 30), ""}, // first 01:30 (BST)
		{"2026-10-25T02:00", londonTestUTC(2026, 10, 25, 2, 0), ""},
		{"2026-10-25T01:30:00Z", londonTestUTC(2026, 10, 25, 1, 30), ""}, // the second, by offset
		{"2026-10-25T01:30:00+01:00", londonTestUTC(2026, 10, 25, 0, 30), ""},
		{"25/10/2026 01:30", time.Time{}, "must be a London date and time"},
		{"", time.Time{}, "must be a London date and time"},
	}
	for _, tt := range tests {
		got, err := arv.ParseLocal("The call time", tt.in)
		if tt.refused != "" {
			if arv.ErrorCode(err) != arv.EINVALID || !strings.Contains(arv.ErrorMessage(err), tt.refused) {
				t.Errorf("ParseLocal(%q) = %v, %v; want refusal mentioning %q", tt.in, got, err, tt.refused)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseLocal(%q) = %v, %v; want %v", tt.in, got.UTC(), err, tt.want)
		}
	}
	// London dates start at London midnight.
	for in, want := range map[string]time.Time{"2026-07-01": londonTestUTC(2026, 6, 30, 23, 0), "2026-12-01": londonTestUTC(2026, 12, 1, 0, 0), "2026-03-29": londonTestUTC(2026, 3, 29, 0, 0), "2026-10-25": londonTestUTC(2026, 10, 24, 23, 0)} {
		if got, err := arv.ParseLocalDate("from", in); err != nil || !got.Equal(want) {
			t.Errorf("ParseLocalDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestCheckEventTime(t *testing.T) {
	now := londonTestUTC(2026, 11, 26, 9, 0)
	tests := []struct {
		at   time.Time
		want string // "" = accepted
	}{
		{time.Date(1900, 1, 1, 0, 0, 0, 0, arv.London), "The call time 1900-01-01 00:00 GMT is before 2000; check the date and enter it again."},
		{time.Date(1999, 12, 31, 23, 59, 59, 0, arv.London), "before 2000"},
		{time.Date(2000, 1, 1, 0, 0, 0, 0, arv.London), ""},
		{now.Add(-24 * time.Hour), ""},
		{now.Add(time.Minute), ""},
		{now.Add(time.Minute + time.Second), "is in the future (it is now 2026-11-26 09:00 GMT)"},
	}
	for _, tt := range tests {
		err := arv.CheckEventTime("The call time", tt.at, now)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v refused: %v", tt.at, err)
		case tt.want != "" && !strings.Contains(arv.ErrorMessage(err), tt.want):
			t.Errorf("%v: %v, want %q", tt.at, err, tt.want)
		}
	}
	if arv.IsLate(now.Add(-time.Hour), now, time.Hour) || !arv.IsLate(now.Add(-time.Hour-time.Second), now, time.Hour) {
		t.Error("IsLate: an hour is on time, an hour and a second is late")
	}
}

func TestShiftAndDateBounds(t *testing.T) {
	now := londonTestUTC(2026, 11, 26, 9, 0)
	for _, tt := range []struct {
		start time.Time
		ok    bool
	}{
		{londonTestUTC(1000, 1, 1, 7, 0), false}, {londonTestUTC(1999, 12, 31, 23, 0), false}, {londonTestUTC(2000, 1, 1, 7, 0), true},
		{now.Add(arv.MaxShiftAhead), true}, {now.Add(arv.MaxShiftAhead + time.Minute), false},
	} {
		if err := arv.CheckShiftBounds(tt.start, now); (err == nil) != tt.ok {
			t.Errorf("CheckShiftBounds(%v) = %v, want ok %v", tt.start, err, tt.ok)
		}
	}
	for _, tt := range []struct {
		d  arv.Date
		ok bool
	}{{"1999-12-31", false}, {"2000-01-01", true}, {"2100-12-31", true}, {"2101-01-01", false}, {"0000-01-01", false}, {"2026-02-30", false}} {
		if err := arv.CheckDateBounds("The expiry date", tt.d); (err == nil) != tt.ok {
			t.Errorf("CheckDateBounds(%s) = %v, want ok %v", tt.d, err, tt.ok)
		}
	}
	if err := arv.CheckReason("", true, "rule"); arv.ErrorMessage(err) != "rule" {
		t.Errorf("CheckReason = %v", err)
	}
}

// Calendar days are London days: a ticket is valid through the whole of
// its expiry day in London, and the days of the clock changes are 23 and
// 25 hours long.
func TestDatesAreLondonDays(t *testing.T) {
	if d := arv.Date("2026-03-29"); d.End().Sub(d.Time()) != 23*time.Hour {
		t.Errorf("29 March 2026 is %v long", d.End().Sub(d.Time()))
	}
	if d := arv.Date("2026-10-25"); d.End().Sub(d.Time()) != 25*time.Hour {
		t.Errorf("25 October 2026 is %v long", d.End().Sub(d.Time()))
	}
	if got := arv.DateOf(londonTestUTC(2026, 6, 30, 23, 30)); got != "2026-07-01" {
		t.Errorf("DateOf(23:30 UTC 30 June) = %s, want 2026-07-01 (00:30 BST)", got)
	}
	o := &arv.Officer{Accreditations: []arv.AccreditationRecord{{Kind: arv.AccAFO, Issued: "2025-07-01", Expires: "2026-07-01"}}}
	if !o.HasValid(arv.AccAFO, londonTestUTC(2026, 7, 1, 22, 59)) || o.HasValid(arv.AccAFO, londonTestUTC(2026, 7, 1, 23, 0)) {
		t.Error("an AFO ticket expiring 1 July runs to 23:59 BST (22:59 UTC), not after")
	}
	if got := arv.DaysBetween("2026-03-28", "2026-03-30"); got != 2 {
		t.Errorf("DaysBetween across the spring change = %d", got)
	}
	if got := arv.DaysBetween("2026-10-26", "2026-10-24"); got != -2 {
		t.Errorf("DaysBetween across the autumn change = %d", got)
	}
	if got := arv.Date("2026-03-28").AddDays(365); got != "2027-03-28" {
		t.Errorf("AddDays = %s", got)
	}
}

// Patrol windows are London wall-clock windows on the nights the clocks
// change: 22:00-06:00 London is 7 hours on 28-29 March 2026 and 9 hours
// on 24-25 October 2026.
func TestPatrolWindowsAcrossClockChanges(t *testing.T) {
	night := &arv.PatrolPlan{Start: "22:00", HoursPerDay: 8, CheckInMinutes: 60}
	early := &arv.PatrolPlan{Start: "01:30", HoursPerDay: 2, CheckInMinutes: 30}
	tests := []struct {
		name       string
		plan       *arv.PatrolPlan
		at         time.Time
		start, end time.Time
	}{
		{"winter night", night, londonTestUTC(2026, 11, 26, 3, 0), londonTestUTC(2026, 11, 25, 22, 0), londonTestUTC(2026, 11, 26, 6, 0)},
		{"summer night", night, londonTestUTC(2026, 7, 1, 3, 0), londonTestUTC(2026, 6, 30, 21, 0), londonTestUTC(2026, 7, 1, 5, 0)},
		{"spring night, before the change", night, londonTestUTC(2026, 3, 29, 0, 30), londonTestUTC(2026, 3, 28, 22, 0), londonTestUTC(2026, 3, 29, 5, 0)},
		{"spring night, after the change", night, londonTestUTC(2026, 3, 29, 4, 0), londonTestUTC(2026, 3, 28, 22, 0), londonTestUTC(2026, 3, 29, 5, 0)},
		{"spring evening after", night, londonTestUTC(2026, 3, 29, 21, 30), londonTestUTC(2026, 3, 29, 21, 0), londonTestUTC(2026, 3, 30, 5, 0)},
		{"autumn night, before the change", night, londonTestUTC(2026, 10, 24, 23, 0), londonTestUTC(2026, 10, 24, 21, 0), londonTestUTC(2026, 10, 25, 6, 0)},
		{"autumn night, after the change", night, londonTestUTC(2026, 10, 25, 5, 30), londonTestUTC(2026, 10, 24, 21, 0), londonTestUTC(2026, 10, 25, 6, 0)},
		{"autumn evening after", night, londonTestUTC(2026, 10, 25, 22, 30), londonTestUTC(2026, 10, 25, 22, 0), londonTestUTC(2026, 10, 26, 6, 0)},
		// 01:30 does not happen on 29 March: the window opens when the
		// clocks have gone forward (01:30 UTC = 02:30 BST) and ends at
		// 03:30 BST by the wall clock.
		{"start in the spring gap", early, londonTestUTC(2026, 3, 29, 1, 45), londonTestUTC(2026, 3, 29, 1, 30), londonTestUTC(2026, 3, 29, 2, 30)},
		// 01:30 happens twice on 25 October: the first (BST).
		{"start in the autumn overlap", early, londonTestUTC(2026, 10, 25, 0, 45), londonTestUTC(2026, 10, 25, 0, 30), londonTestUTC(2026, 10, 25, 3, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, e := tt.plan.Window(tt.at)
			if !s.Equal(tt.start) || !e.Equal(tt.end) {
				t.Fatalf("Window(%v) = %v to %v, want %v to %v", tt.at, s.UTC(), e.UTC(), tt.start, tt.end)
			}
		})
	}
	// The patrol is not overdue after 06:00 BST on 29 March (05:00 UTC),
	// and is overdue at 05:30 GMT on 25 October (still in the window).
	if _, missed := night.MissedCheckIn(londonTestUTC(2026, 3, 29, 5, 30)); missed {
		t.Error("check-in overdue after the spring window closed at 06:00 BST")
	}
	if due, missed := night.MissedCheckIn(londonTestUTC(2026, 10, 25, 5, 30)); !missed || !due.Equal(londonTestUTC(2026, 10, 24, 22, 0)) {
		t.Errorf("autumn night: missed %v due %v, want overdue since 23:00 BST", missed, due)
	}
}

// Whatever a person types, reading it as a London time never panics and
// an accepted reading round-trips to the same London wall clock (or, for
// RFC 3339, the same instant).
func FuzzParseLocal(f *testing.F) {
	for _, s := range []string{"2026-03-29T01:30", "2026-10-25T01:30", "2026-10-25T01:30:00Z", "0000-01-01", "9999-12-31T23:59:59", "2026-02-30", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := arv.ParseLocal("The call time", s); err == nil && len(s) == len("2006-01-02T15:04") && s[10] == 'T' {
			if w := got.In(arv.London).Format("2006-01-02T15:04"); w != s {
				t.Fatalf("ParseLocal(%q) = %v, London %s", s, got, w)
			}
		}
		if _, err := arv.ParseLocalDate("from", s); err != nil && arv.ErrorCode(err) != arv.EINVALID {
			t.Fatalf("ParseLocalDate(%q): %v", s, err)
		}
		d := arv.Date(s)
		_ = arv.CheckDateBounds("The date", d)
		_, _ = d.Time(), d.End()
		_ = arv.DaysBetween(d, d.AddDays(3))
		_ = arv.FormatLocal(d.Time())
	})
}
