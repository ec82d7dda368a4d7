package arvtest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// Time bounds (issue 12, "Local time"): call times before 2000 or in the
// future are refused; a call time more than an hour before the record
// needs a reason and flags a late entry; shifts are bounded; changes to a
// shift that has ended need a reason and are kept as amendments.

func testLateEntries(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	now := clock.Now() // 2026-11-26 09:00 GMT
	handler := As(ctx, Users()[arv.RoleCallHandler])
	newInc := func(call time.Time, reason string) arv.NewIncident {
		return arv.NewIncident{Position: &Swindon, Description: "Man with a handgun", CallAt: call, LateReason: reason}
	}
	tests := []struct {
		name     string
		call     time.Time
		reason   string
		code     string   // "" = recorded
		contains []string // in the refusal
		late     bool
	}{
		{"year 1900 refused", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), "typed late", arv.EINVALID, []string{"The call time 1900-01-01 00:00 GMT is before 2000"}, false},
		{"year 0 refused", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "x", arv.EINVALID, []string{"is before 2000"}, false},
		{"last minute of 1999 refused", time.Date(1999, 12, 31, 23, 59, 0, 0, arv.London), "x", arv.EINVALID, []string{"1999-12-31 23:59 GMT is before 2000"}, false},
		{"two minutes ahead refused", now.Add(2 * time.Minute), "", arv.EINVALID, []string{"The call time 2026-11-26 09:02 GMT is in the future", "it is now 2026-11-26 09:00 GMT"}, false},
		{"a year ahead refused", now.AddDate(1, 0, 0), "", arv.EINVALID, []string{"in the future"}, false},
		{"30 seconds ahead (clock drift) accepted", now.Add(30 * time.Second), "", "", nil, false},
		{"an hour ago exactly: on time", now.Add(-time.Hour), "", "", nil, false},
		{"61 minutes ago without a reason refused", now.Add(-61 * time.Minute), "", arv.EINVALID, []string{"The call time 2026-11-26 07:59 GMT is more than 1 hour before now (2026-11-26 09:00 GMT); a late entry needs a reason"}, false},
		{"61 minutes ago blank reason refused", now.Add(-61 * time.Minute), "   ", arv.EINVALID, []string{"late entry needs a reason"}, false},
		{"61 minutes ago with a reason: late entry", now.Add(-61 * time.Minute), "Radio log written up after the shift", "", nil, true},
		{"2000-01-01 with a reason: late entry", time.Date(2000, 1, 1, 0, 0, 0, 0, arv.London), "Historic record", "", nil, true},
		{"too long a reason refused", now.Add(-2 * time.Hour), strings.Repeat("x", arv.MaxReasonLen+1), arv.EINVALID, []string{"at most 1000 characters"}, false},
		{"control character in the reason refused", now.Add(-2 * time.Hour), "written up\x00late", arv.EINVALID, []string{"without control characters"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := s.CreateIncident(handler, newInc(tt.call, tt.reason))
			if tt.code != "" {
				wantCode(t, err, tt.code, tt.contains...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if inc.LateEntry != tt.late || (tt.late && inc.LateReason != strings.TrimSpace(tt.reason)) || (!tt.late && inc.LateReason != "") {
				t.Fatalf("late entry %v %q, want %v %q", inc.LateEntry, inc.LateReason, tt.late, tt.reason)
			}
			// Stored: read back one by one and in the list.
			got := must[*arv.Incident](t)(s.FindIncidentByID(handler, inc.ID))
			if got.LateEntry != tt.late || got.LateReason != inc.LateReason {
				t.Fatalf("read back late entry %v %q", got.LateEntry, got.LateReason)
			}
			list := must[[]*arv.Incident](t)(s.FindIncidents(handler, arv.IncidentFilter{}))
			for _, i := range list {
				if i.ID == inc.ID && (i.LateEntry != tt.late || i.LateReason != inc.LateReason) {
					t.Fatalf("listed late entry %v %q", i.LateEntry, i.LateReason)
				}
			}
		})
	}
	// The audit row of a late entry carries the reason.
	list := must[[]*arv.Incident](t)(s.FindIncidents(handler, arv.IncidentFilter{}))
	late := 0
	for _, i := range list {
		if i.LateEntry {
			late++
			hist := must[[]*arv.AuditEntry](t)(s.FindAudit(As(ctx, Users()[arv.RoleAdministrator]), arv.AuditFilter{Entity: fmt.Sprintf("incident/%d", i.ID)}))
			if len(hist) == 0 || !strings.Contains(string(hist[0].After), `"late_reason":"`+i.LateReason+`"`) {
				t.Fatalf("audit of late entry %d: %+v", i.ID, hist)
			}
		}
	}
	if late != 2 {
		t.Fatalf("%d late entries listed, want 2", late)
	}
}

func testRosterAmendments(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	now := clock.Now() // 2026-11-26 09:00 GMT
	f := MustForce(t, s, now)
	planner := As(ctx, Users()[arv.RolePlanner])

	bounds := []struct {
		name     string
		start    time.Time
		code     string
		contains string
	}{
		{"year 1000 refused", time.Date(1000, 1, 1, 7, 0, 0, 0, time.UTC), arv.EINVALID, "before 2000"},
		{"1999 refused", time.Date(1999, 12, 31, 22, 0, 0, 0, time.UTC), arv.EINVALID, "1999-12-31 22:00 GMT is before 2000"},
		{"three years ahead refused", now.AddDate(3, 0, 0), arv.EINVALID, "more than two years ahead"},
		{"a year ahead accepted", now.AddDate(1, 0, 0), "", ""},
	}
	for _, tt := range bounds {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddShift(planner, arv.NewShift{Name: "Day", Start: tt.start, End: tt.start.Add(10 * time.Hour)})
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tt.code, tt.contains)
		})
	}

	// Yesterday's shift has ended: adding it needs a reason.
	start := now.Add(-26 * time.Hour)
	_, err := s.AddShift(planner, arv.NewShift{Name: "Late", Start: start, End: start.Add(10 * time.Hour)})
	wantCode(t, err, arv.EINVALID, "This shift ended at 2026-11-25 17:00 GMT", "needs a reason")
	past := must[*arv.RosterShift](t)(s.AddShift(planner, arv.NewShift{Name: "Late", Start: start, End: start.Add(10 * time.Hour), Reason: "Roster written up after the shift"}))
	if len(past.Amendments) != 1 || past.Amendments[0].Action != "add shift" || past.Amendments[0].Reason != "Roster written up after the shift" || past.Amendments[0].By != "planner1" {
		t.Fatalf("amendments = %+v", past.Amendments)
	}
	a1 := f.Officers["A1"].ID
	_, err = s.AssignCrew(planner, past.ID, arv.RosterAssignment{UnitID: f.Units["ARV1"].ID, OfficerID: a1})
	wantCode(t, err, arv.EINVALID, "already ended", "needs a reason")
	past = must[*arv.RosterShift](t)(s.AssignCrew(planner, past.ID, arv.RosterAssignment{UnitID: f.Units["ARV1"].ID, OfficerID: a1, Reason: "PC Able was on ARV1 (radio log)"}))
	if len(past.Amendments) != 2 || past.Amendments[1].Action != "assign" || past.Amendments[1].OfficerID != a1 {
		t.Fatalf("amendments = %+v", past.Amendments)
	}
	_, err = s.UnassignCrew(planner, past.ID, a1, "")
	wantCode(t, err, arv.EINVALID, "needs a reason")
	past = must[*arv.RosterShift](t)(s.UnassignCrew(planner, past.ID, a1, "Entered on the wrong shift"))
	if len(past.Amendments) != 3 || past.Amendments[2].Action != "unassign" || past.Amendments[2].Reason != "Entered on the wrong shift" {
		t.Fatalf("amendments = %+v", past.Amendments)
	}
	// The roster lists the amendments; the audit rows carry the reasons.
	shifts := must[[]*arv.RosterShift](t)(s.FindRoster(planner, start, now))
	var listed *arv.RosterShift
	for _, sh := range shifts {
		if sh.ID == past.ID {
			listed = sh
		}
	}
	if listed == nil || len(listed.Amendments) != 3 {
		t.Fatalf("roster = %+v", shifts)
	}
	hist := must[[]*arv.AuditEntry](t)(s.FindAudit(As(ctx, Users()[arv.RoleAdministrator]), arv.AuditFilter{Entity: fmt.Sprintf("shift/%d", past.ID)}))
	if len(hist) != 3 || !strings.Contains(string(hist[2].After), "Entered on the wrong shift") || hist[2].Action != "roster.unassign" {
		t.Fatalf("audit = %d entries", len(hist))
	}

	// A shift not yet ended (today's, running) needs no reason and is
	// not marked.
	running := must[*arv.RosterShift](t)(s.UnassignCrew(planner, f.Shift.ID, f.Officers["A5"].ID, ""))
	if len(running.Amendments) != 0 {
		t.Fatalf("running shift amendments = %+v", running.Amendments)
	}
}

func testDateBounds(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	admin := As(ctx, Users()[arv.RoleAdministrator])
	o := MustOfficer(t, s, "B1", arv.DateOf(clock.Now().AddDate(1, 0, 0)), clock.Now())
	tests := []struct {
		name            string
		issued, expires arv.Date
		code, contains  string
	}{
		{"issued in 1999", "1999-12-31", "2027-01-01", arv.EINVALID, "The issue date 1999-12-31 is outside the years 2000 to 2100"},
		{"expires in 2101", "2026-01-01", "2101-01-01", arv.EINVALID, "The expiry date 2101-01-01 is outside"},
		{"year 0000", "0000-01-01", "2027-01-01", arv.EINVALID, "outside the years"},
		{"2000 to 2100", "2000-01-01", "2100-12-31", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddAccreditation(admin, o.ID, arv.NewAccreditation{Kind: arv.AccTaser, Issued: tt.issued, Expires: tt.expires})
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tt.code, tt.contains)
		})
	}
	_, err := s.AddFitnessTest(admin, o.ID, arv.FitnessTest{Taken: "1999-06-01", Passed: true})
	wantCode(t, err, arv.EINVALID, "The fitness test date 1999-06-01 is outside the years 2000 to 2100")
}

// Patrol windows keep their London times on the nights the clocks change:
// a 22:00 plan of 8 hours ends at 06:00 BST (05:00 UTC) on 29 March 2026
// and at 06:00 GMT on 25 October 2026.
func testPatrolClockChanges(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	admin, officer := As(ctx, arv.SystemUser), As(ctx, Users()[arv.RoleArmedOfficer])
	clock.Set(time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC))
	must[*arv.PatrolPlan](t)(s.CreatePatrolPlan(admin, arv.NewPatrolPlan{Site: "Stonehenge", Position: Devizes, Start: "22:00", HoursPerDay: 8, CheckInMinutes: 60}))
	tests := []struct {
		name    string
		at      time.Time
		overdue string // "" = no alert
	}{
		{"spring, 05:30 BST: in the window", time.Date(2026, 3, 29, 4, 30, 0, 0, time.UTC), "overdue since 23:00 GMT"},
		{"spring, 06:30 BST: window closed at 06:00 BST", time.Date(2026, 3, 29, 5, 30, 0, 0, time.UTC), ""},
		{"summer, 22:30 BST: the window opened at 22:00 BST", time.Date(2026, 7, 1, 21, 30, 0, 0, time.UTC), ""},
		{"summer, 23:30 BST", time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC), "overdue since 23:00 BST"},
		{"autumn, 05:30 GMT: still in the window", time.Date(2026, 10, 25, 5, 30, 0, 0, time.UTC), "overdue since 23:00 BST"},
		{"autumn, 06:30 GMT: window closed at 06:00 GMT", time.Date(2026, 10, 25, 6, 30, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.Set(tt.at)
			a := find(must[[]arv.Alert](t)(s.Alerts(officer)), arv.AlertCheckInMissed)
			switch {
			case tt.overdue == "" && a != nil:
				t.Fatalf("alert %q outside the window", a.Message)
			case tt.overdue != "" && (a == nil || !strings.Contains(a.Message, tt.overdue)):
				t.Fatalf("alert %+v, want one saying %q", a, tt.overdue)
			}
		})
	}
}
