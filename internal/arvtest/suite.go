package arvtest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// Run runs the whole conformance suite against stores from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"Users", testUsers},
		{"Officers", testOfficers},
		{"Roster", testRoster},
		{"IncidentFlow", testIncidentFlow},
		{"Rescind", testRescind},
		{"SelfDeployment", testSelfDeployment},
		{"Dispatch", testDispatch},
		{"Patrols", testPatrols},
		{"Audit", testAudit},
		{"Returns", testReturns},
		{"Events", testEvents},
		{"ConcurrentWrites", testConcurrentWrites},
		{"PlanReports", testPlanReports},
		{"WhoMayDecide", testWhoMayDecide},     // suite_command.go
		{"Reratification", testReratification}, // suite_command.go
		{"CommandLog", testCommandLog},         // suite_command.go
		{"Discharges", testDischarges},
		{"SignOff", testSignOff},
		{"DischargeReturn", testDischargeReturn},
		{"DutyStatus", testDutyStatus},               // suite_returns.go
		{"ReturnsLondonYear", testReturnsLondonYear}, // suite_returns.go
		{"ReturnSubmission", testReturnSubmission},   // suite_returns.go
		{"ExportIncidents", testExportIncidents},     // suite_returns.go
		{"LateEntries", testLateEntries},
		{"RosterAmendments", testRosterAmendments},
		{"DateBounds", testDateBounds},
		{"PatrolClockChanges", testPatrolClockChanges},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

func setup(t *testing.T, open Opener) (*Backend, *Clock, context.Context) {
	t.Helper()
	c := NewClock(Start)
	b := open(t, defaultConfig(c))
	return b, c, t.Context()
}

func wantCode(t *testing.T, err error, code string, contains ...string) {
	t.Helper()
	if got := arv.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	for _, s := range contains {
		if !strings.Contains(arv.ErrorMessage(err), s) {
			t.Fatalf("message %q does not mention %q", arv.ErrorMessage(err), s)
		}
	}
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func testUsers(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	admin := As(ctx, arv.SystemUser)
	u, err := s.CreateUser(admin, arv.NewUser{Username: "insp.jones", Name: "Insp Jones", Role: arv.RoleITFC, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateUser(admin, arv.NewUser{Username: "insp.jones", Name: "Other", Role: arv.RolePlanner, Password: "correct horse battery"})
	wantCode(t, err, arv.ECONFLICT, "insp.jones")
	_, err = s.CreateUser(admin, arv.NewUser{Username: "short", Name: "Short", Role: arv.RolePlanner, Password: "short"})
	wantCode(t, err, arv.EINVALID, "12")
	_, err = s.CreateUser(As(ctx, Users()[arv.RoleITFC]), arv.NewUser{Username: "x", Name: "X", Role: arv.RolePlanner, Password: "correct horse battery"})
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.CreateUser(ctx, arv.NewUser{Username: "x", Name: "X", Role: arv.RolePlanner, Password: "correct horse battery"})
	wantCode(t, err, arv.EUNAUTHORIZED)

	got, err := s.Authenticate(ctx, "insp.jones", "correct horse battery")
	if err != nil || got.ID != u.ID || got.Role != arv.RoleITFC {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	_, err = s.Authenticate(ctx, "insp.jones", "wrong horse battery")
	wantCode(t, err, arv.EUNAUTHORIZED)
	_, err2 := s.Authenticate(ctx, "nobody", "wrong horse battery")
	if arv.ErrorMessage(err) != arv.ErrorMessage(err2) {
		t.Fatalf("wrong password %q and unknown user %q must read the same", arv.ErrorMessage(err), arv.ErrorMessage(err2))
	}

	token, csrf, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	su, gotCSRF, err := s.FindSession(ctx, token)
	if err != nil || su.ID != u.ID || gotCSRF != csrf {
		t.Fatalf("FindSession = %+v %q %v", su, gotCSRF, err)
	}
	_, _, err = s.FindSession(ctx, token+"x")
	wantCode(t, err, arv.EUNAUTHORIZED)
	clock.Advance(time.Hour + time.Second)
	_, _, err = s.FindSession(ctx, token)
	wantCode(t, err, arv.EUNAUTHORIZED)

	token, _, _ = s.CreateSession(ctx, u.ID, time.Hour)
	if err := s.DeleteSession(As(ctx, su), token); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.FindSession(ctx, token)
	wantCode(t, err, arv.EUNAUTHORIZED)

	users := must[[]*arv.User](t)(s.FindUsers(admin))
	if len(users) != 1 || users[0].Username != "insp.jones" {
		t.Fatalf("FindUsers = %+v", users)
	}
}

func testOfficers(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	admin := As(ctx, arv.SystemUser)
	o := must[*arv.Officer](t)(s.CreateOfficer(admin, arv.NewOfficer{Collar: "W123", Name: "PC Smith", Rank: "PC", Team: 2}))
	_, err := s.CreateOfficer(admin, arv.NewOfficer{Collar: "W123", Name: "PC Other"})
	wantCode(t, err, arv.ECONFLICT, "W123")
	_, err = s.CreateOfficer(As(ctx, Users()[arv.RolePlanner]), arv.NewOfficer{Collar: "W9", Name: "PC Nine"})
	wantCode(t, err, arv.EFORBIDDEN)

	today := arv.DateOf(clock.Now())
	in10 := arv.DateOf(clock.Now().AddDate(0, 0, 10))
	o = must[*arv.Officer](t)(s.AddAccreditation(admin, o.ID, arv.NewAccreditation{Kind: arv.AccAFO, Issued: "2025-01-01", Expires: in10}))
	o = must[*arv.Officer](t)(s.AddAccreditation(admin, o.ID, arv.NewAccreditation{Kind: arv.AccARV, Issued: "2025-01-01", Expires: "2027-06-30"}))
	o = must[*arv.Officer](t)(s.AddFitnessTest(admin, o.ID, arv.FitnessTest{Taken: "2026-03-01", Passed: true}))
	_, err = s.AddAccreditation(admin, o.ID, arv.NewAccreditation{Kind: "Pistol", Issued: today, Expires: today})
	wantCode(t, err, arv.EINVALID)
	_, err = s.AddAccreditation(admin, 9999, arv.NewAccreditation{Kind: arv.AccAFO, Issued: today, Expires: today})
	wantCode(t, err, arv.ENOTFOUND)

	got := must[*arv.Officer](t)(s.FindOfficerByID(As(ctx, Users()[arv.RoleTFC]), o.ID))
	if len(got.Accreditations) != 2 || len(got.Fitness) != 1 || got.Team != 2 {
		t.Fatalf("officer = %+v", got)
	}
	if err := got.CheckARVCrew(clock.Now()); err != nil {
		t.Fatalf("officer should be deployable: %v", err)
	}
	rem := must[[]arv.Reminder](t)(s.Reminders(As(ctx, Users()[arv.RolePlanner])))
	if len(rem) != 1 || rem[0].What != "AFO" || rem[0].DaysLeft != 10 || rem[0].Stage != 14 {
		t.Fatalf("reminders = %+v, want AFO in 10 days at the 14-day stage", rem)
	}
	// Revoking the AFO ticket makes the officer undeployable at once.
	var afoID int64
	for _, a := range got.Accreditations {
		if a.Kind == arv.AccAFO {
			afoID = a.ID
		}
	}
	o = must[*arv.Officer](t)(s.RevokeAccreditation(admin, o.ID, afoID))
	if err := o.CheckARVCrew(clock.Now()); err == nil {
		t.Fatal("revoked AFO ticket still deployable")
	}
	_, err = s.RevokeAccreditation(admin, o.ID, afoID)
	wantCode(t, err, arv.ECONFLICT)
	all := must[[]*arv.Officer](t)(s.FindOfficers(As(ctx, Users()[arv.RolePlanner])))
	if len(all) != 1 {
		t.Fatalf("FindOfficers = %d officers", len(all))
	}
	_, err = s.FindOfficers(As(ctx, Users()[arv.RoleCallHandler]))
	wantCode(t, err, arv.EFORBIDDEN)
}

func testRoster(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	now := clock.Now()
	f := MustForce(t, s, now)
	planner := As(ctx, Users()[arv.RolePlanner])

	// The standard force meets the complement of 2 ARVs x 2.
	if gaps := must[[]arv.Gap](t)(s.Gaps(planner, now, now.Add(time.Hour))); len(gaps) != 0 {
		t.Fatalf("gaps = %+v, want none", gaps)
	}
	// An officer whose ARV ticket lapses mid-shift cannot be rostered.
	// Its tickets run to the end of today; the night shift runs 23:00 to
	// 09:00.
	lapsing := MustOfficer(t, s, "L1", arv.DateOf(now), now)
	night := must[*arv.RosterShift](t)(s.AddShift(planner, arv.NewShift{Name: "Night", Start: now.Add(14 * time.Hour), End: now.Add(24 * time.Hour)}))
	_, err := s.AssignCrew(planner, night.ID, arv.RosterAssignment{UnitID: f.Units["ARV1"].ID, OfficerID: lapsing.ID})
	wantCode(t, err, arv.EINVALID, "AFO", "expires on "+string(arv.DateOf(now)), "cannot be rostered on this shift")
	_, err = s.AddShift(planner, arv.NewShift{Name: "Long", Start: now, End: now.Add(30 * time.Hour)})
	wantCode(t, err, arv.EINVALID)
	// Double booking is refused.
	_, err = s.AssignCrew(planner, night.ID, arv.RosterAssignment{UnitID: f.Units["ARV1"].ID, OfficerID: f.Officers["A1"].ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AssignCrew(planner, night.ID, arv.RosterAssignment{UnitID: f.Units["ARV2"].ID, OfficerID: f.Officers["A1"].ID})
	wantCode(t, err, arv.ECONFLICT)
	_, err = s.AssignCrew(As(ctx, Users()[arv.RoleCallHandler]), night.ID, arv.RosterAssignment{UnitID: f.Units["ARV2"].ID, OfficerID: f.Officers["A2"].ID})
	wantCode(t, err, arv.EFORBIDDEN)

	// The night shift has one officer on one unit: below the complement.
	gaps := must[[]arv.Gap](t)(s.Gaps(planner, now, now.Add(arv.RosterHorizon)))
	if len(gaps) != 1 || gaps[0].ShiftID != night.ID || gaps[0].Crewed != 0 || gaps[0].Need != 2 {
		t.Fatalf("gaps = %+v, want the night shift with 0 of 2 crewed", gaps)
	}
	// Removing one of ARV3's crew takes today's shift below complement too.
	if _, err := s.UnassignCrew(planner, f.Shift.ID, f.Officers["A5"].ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnassignCrew(planner, f.Shift.ID, f.Officers["A3"].ID, ""); err != nil {
		t.Fatal(err)
	}
	gaps = must[[]arv.Gap](t)(s.Gaps(planner, now, now.Add(time.Hour)))
	if len(gaps) != 1 || gaps[0].Crewed != 1 {
		t.Fatalf("gaps now = %+v, want 1 of 2 crewed", gaps)
	}
	alerts := must[[]arv.Alert](t)(s.Alerts(As(ctx, Users()[arv.RoleITFC])))
	if a := find(alerts, arv.AlertComplement); a == nil || a.Severity != "urgent" {
		t.Fatalf("alerts = %+v, want an urgent complement alert", alerts)
	}
	roster := must[[]*arv.RosterShift](t)(s.FindRoster(planner, now, now.Add(arv.RosterHorizon)))
	if len(roster) != 2 {
		t.Fatalf("roster has %d shifts, want 2", len(roster))
	}
}

func find(alerts []arv.Alert, kind arv.AlertKind) *arv.Alert {
	for i := range alerts {
		if alerts[i].Kind == kind {
			return &alerts[i]
		}
	}
	return nil
}

// near returns a point about km kilometres north of p.
func near(p geo.Point, km float64) *geo.Point {
	return &geo.Point{Lat: p.Lat + km/111.2, Lon: p.Lon}
}

func testIncidentFlow(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	users := Commanders(t, s, clock.Now(), Users()) // linked to officers with command tickets
	handler, itfc, sfc, officer := As(ctx, users[arv.RoleCallHandler]), As(ctx, users[arv.RoleITFC]), As(ctx, users[arv.RoleSFC]), As(ctx, users[arv.RoleArmedOfficer])

	inc, err := s.CreateIncident(handler, arv.NewIncident{Position: near(Devizes, 3), Address: "Market Place", Description: "Man with a handgun", Indicators: arv.Indicators{FirearmSeen: true}})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != arv.IncidentAwaitingDecision || inc.Class != arv.Rural || inc.TargetMinutes != 30 || inc.RecordedBy != "call_handler1" {
		t.Fatalf("incident = %+v", inc)
	}
	_, err = s.CreateIncident(handler, arv.NewIncident{Description: "no place"})
	wantCode(t, err, arv.EINVALID)
	_, err = s.Decide(handler, inc.ID, Decision(true))
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.Assign(itfc, inc.ID, f.Units["ARV1"].ID)
	wantCode(t, err, arv.ECONFLICT, "not been authorised")
	bad := Decision(true)
	bad.NDM.Threat = " "
	_, err = s.Decide(itfc, inc.ID, bad)
	wantCode(t, err, arv.EINVALID, "threat")

	// A "no" first, then a "yes": both are kept.
	clock.Advance(2 * time.Minute)
	inc = must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(false)))
	if inc.Status != arv.IncidentNotAuthorised || inc.AuthorisedAt != nil {
		t.Fatalf("after no: %+v", inc)
	}
	clock.Advance(time.Minute)
	inc = must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	if inc.Status != arv.IncidentAuthorised || len(inc.Decisions) != 2 || inc.Decisions[0].Authorised || !inc.Decisions[1].Authorised {
		t.Fatalf("after yes: %+v", inc)
	}
	if want := clock.Now().Add(arv.DefaultRatifyWithin); inc.RatifyDue == nil || !inc.RatifyDue.Equal(want) {
		t.Fatalf("ratify due %v, want %v", inc.RatifyDue, want)
	}
	if d := inc.Decisions[1]; d.By != "itfc1" || d.Role != arv.RoleITFC || d.Limb != arv.LimbWeapon || d.NDM.Information == "" || d.Tactics == "" {
		t.Fatalf("decision = %+v", d)
	}

	// Recommendation: ARV1 at Devizes is nearest by road.
	recs := must[[]arv.Recommendation](t)(s.Recommend(itfc, inc.ID))
	if len(recs) != 3 || recs[0].CallSign != "ARV1" || !recs[0].Eligible || recs[0].ETASeconds <= 0 || recs[0].ETASeconds > recs[1].ETASeconds {
		t.Fatalf("recommendations = %+v", recs)
	}
	_, err = s.Recommend(handler, inc.ID)
	wantCode(t, err, arv.EFORBIDDEN)

	inc = must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units["ARV1"].ID))
	if len(inc.Assignments) != 1 || inc.DispatchedAt == nil || math.IsInf(inc.Assignments[0].ETASeconds, 0) || inc.Assignments[0].ETASeconds <= 0 {
		t.Fatalf("after assign: %+v", inc)
	}
	_, err = s.Assign(itfc, inc.ID, f.Units["ARV1"].ID)
	wantCode(t, err, arv.ECONFLICT)

	// Ratification overdue after 15 minutes.
	clock.Advance(16 * time.Minute)
	alerts := must[[]arv.Alert](t)(s.Alerts(itfc))
	if find(alerts, arv.AlertRatificationOverdue) == nil {
		t.Fatalf("alerts = %+v, want ratification overdue", alerts)
	}
	_, err = s.Ratify(itfc, inc.ID, arv.RatificationRequest{Ratify: true, Rationale: "ok"})
	wantCode(t, err, arv.EFORBIDDEN)
	inc = must[*arv.Incident](t)(s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: true, Rationale: "Proportionate: firearm seen."}))
	if inc.RatifiedAt == nil {
		t.Fatal("not ratified")
	}
	if find(must[[]arv.Alert](t)(s.Alerts(itfc)), arv.AlertRatificationOverdue) != nil {
		t.Fatal("ratification alert still standing")
	}
	// 19 minutes since the call, no arrival yet: within the 30 min rural
	// target; at 31 minutes it is breached.
	clock.Advance(12 * time.Minute)
	if find(must[[]arv.Alert](t)(s.Alerts(itfc)), arv.AlertTargetBreach) == nil {
		t.Fatal("no target breach alert 31 minutes after the call")
	}
	u := must[*arv.Unit](t)(s.ReportStatus(officer, f.Units["ARV1"].ID, arv.StatusReport{Status: arv.StatusOnScene, Position: near(Devizes, 3)}))
	if u.Status != arv.StatusOnScene || u.IncidentID != inc.ID {
		t.Fatalf("unit = %+v", u)
	}
	inc = must[*arv.Incident](t)(s.FindIncidentByID(handler, inc.ID))
	if m, ok := inc.ResponseMinutes(); !ok || m != 31 || !inc.Breached(clock.Now()) {
		t.Fatalf("response %v %v breached %v", m, ok, inc.Breached(clock.Now()))
	}
	_, err = s.ReportStatus(handler, f.Units["ARV1"].ID, arv.StatusReport{Status: arv.StatusAvailable})
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.ReportStatus(officer, f.Units["ARV2"].ID, arv.StatusReport{Status: arv.StatusOnScene})
	wantCode(t, err, arv.EINVALID, "not assigned")

	clock.Advance(40 * time.Minute)
	_, err = s.StandDown(itfc, inc.ID, arv.StandDown{Reason: "detained\x00"})
	wantCode(t, err, arv.EINVALID, "control characters")
	inc = must[*arv.Incident](t)(s.StandDown(itfc, inc.ID, arv.StandDown{Reason: "Suspect detained; weapon recovered (replica)."}))
	if inc.Status != arv.IncidentStoodDown || inc.Assignments[0].ReleasedAt == nil || inc.StoodDownAt == nil {
		t.Fatalf("after stand-down: %+v", inc)
	}
	u = must[*arv.Unit](t)(s.FindUnitByID(itfc, f.Units["ARV1"].ID))
	if !u.Status.Free() || u.IncidentID != 0 {
		t.Fatalf("unit after stand-down = %+v", u)
	}
	_, err = s.Decide(itfc, inc.ID, Decision(true))
	wantCode(t, err, arv.ECONFLICT)
	open2 := must[[]*arv.Incident](t)(s.FindIncidents(handler, arv.IncidentFilter{Open: true}))
	if len(open2) != 0 {
		t.Fatalf("open incidents = %d", len(open2))
	}
}

func testRescind(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	users := Commanders(t, s, clock.Now(), Users()) // linked to officers with command tickets
	itfc, sfc := As(ctx, users[arv.RoleITFC]), As(ctx, users[arv.RoleSFC])
	inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Swindon, 1), Description: "Knife threats"}))
	if inc.Class != arv.Urban || inc.TargetMinutes != 20 {
		t.Fatalf("class %q target %v, want urban 20", inc.Class, inc.TargetMinutes)
	}
	_, err := s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: true, Rationale: "x"})
	wantCode(t, err, arv.ECONFLICT)
	must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units["ARV2"].ID))
	inc = must[*arv.Incident](t)(s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: false, Rationale: "Threat not credible: caller withdrew."}))
	if inc.Status != arv.IncidentStoodDown || !strings.Contains(inc.StandDownReason, "rescinded") {
		t.Fatalf("after rescind: %+v", inc)
	}
	if last := inc.Decisions[len(inc.Decisions)-1]; last.Kind != arv.DecisionRescind || last.By != "sfc1" {
		t.Fatalf("last decision %+v", last)
	}
	u := must[*arv.Unit](t)(s.FindUnitByID(itfc, f.Units["ARV2"].ID))
	if u.IncidentID != 0 || !u.Status.Free() {
		t.Fatalf("unit not stood down: %+v", u)
	}
}

func testSelfDeployment(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	users := Commanders(t, s, clock.Now(), Users()) // linked to officers with command tickets
	officer, tfc := As(ctx, users[arv.RoleArmedOfficer]), As(ctx, users[arv.RoleTFC])
	_, err := s.SelfDeploy(tfc, arv.SelfDeployment{UnitID: f.Units["ARV3"].ID, Position: near(Salisbury, 1), Description: "Shots", Reason: "Shots heard"})
	wantCode(t, err, arv.EFORBIDDEN)
	inc := must[*arv.Incident](t)(s.SelfDeploy(officer, arv.SelfDeployment{UnitID: f.Units["ARV3"].ID, Position: near(Salisbury, 1),
		Description: "Shots fired in the High Street", Reason: "Shots heard while passing; people running."}))
	if !inc.SelfDeployed || inc.AuthorisedAt != nil || len(inc.Assignments) != 1 || inc.Decisions[0].Kind != arv.DecisionSelfDeploy {
		t.Fatalf("self-deployment = %+v", inc)
	}
	if find(must[[]arv.Alert](t)(s.Alerts(tfc)), arv.AlertRetrospective) == nil {
		t.Fatal("no retrospective-authorisation alert")
	}
	// The retrospective authorisation needs a ticket like any other.
	_, err = s.Decide(As(ctx, &arv.User{ID: 900, Username: "itfc.nolink", Name: "Insp Nolink", Role: arv.RoleITFC}), inc.ID, Decision(true))
	wantCode(t, err, arv.EFORBIDDEN, "You cannot authorise: your user is not linked to an officer")
	inc = must[*arv.Incident](t)(s.Decide(tfc, inc.ID, Decision(true)))
	if d := inc.Decisions[len(inc.Decisions)-1]; !d.Retrospective || inc.AuthorisedAt == nil {
		t.Fatalf("retrospective decision = %+v", d)
	}
	if find(must[[]arv.Alert](t)(s.Alerts(tfc)), arv.AlertRetrospective) != nil {
		t.Fatal("retrospective alert still standing")
	}
	// A second self-deployment refused retrospectively stands down.
	must[*arv.Incident](t)(s.StandDown(tfc, inc.ID, arv.StandDown{Reason: "done"}))
	inc = must[*arv.Incident](t)(s.SelfDeploy(officer, arv.SelfDeployment{UnitID: f.Units["ARV3"].ID, Position: near(Salisbury, 2), Description: "Report of gun", Reason: "Imminent threat"}))
	inc = must[*arv.Incident](t)(s.Decide(tfc, inc.ID, Decision(false)))
	if inc.Status != arv.IncidentStoodDown {
		t.Fatalf("refused retrospective authorisation: status %s", inc.Status)
	}
}

func testDispatch(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	now := clock.Now()
	f := MustForce(t, s, now)
	admin, itfc := As(ctx, arv.SystemUser), As(ctx, Commanders(t, s, now, Users())[arv.RoleITFC])
	// A1's ARV ticket is revoked: ARV1 (at Devizes, the nearest) is then
	// crewed by one deployable officer and must not be assigned.
	o := f.Officers["A1"]
	for _, a := range o.Accreditations {
		if a.Kind == arv.AccARV {
			must[*arv.Officer](t)(s.RevokeAccreditation(admin, o.ID, a.ID))
		}
	}
	// Replace with a lapsed record so the message names the expiry.
	must[*arv.Officer](t)(s.AddAccreditation(admin, o.ID, arv.NewAccreditation{Kind: arv.AccARV, Issued: "2024-01-01", Expires: "2026-11-01"}))
	inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Armed robbery"}))
	must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	recs := must[[]arv.Recommendation](t)(s.Recommend(itfc, inc.ID))
	if recs[0].CallSign == "ARV1" || !recs[0].Eligible {
		t.Fatalf("recommendations = %+v: ARV1's crew is not deployable", recs)
	}
	last := recs[len(recs)-1]
	if last.CallSign != "ARV1" || last.Eligible || !strings.Contains(last.Reason, "ARV accreditation expired on 2026-11-01") {
		t.Fatalf("ARV1 recommendation = %+v", last)
	}
	_, err := s.Assign(itfc, inc.ID, f.Units["ARV1"].ID)
	wantCode(t, err, arv.EINVALID, "ARV accreditation expired on 2026-11-01", o.Name)
	// The officer also cannot be rostered.
	sh := must[*arv.RosterShift](t)(s.AddShift(admin, arv.NewShift{Name: "Late", Start: now.Add(24 * time.Hour), End: now.Add(34 * time.Hour)}))
	_, err = s.AssignCrew(admin, sh.ID, arv.RosterAssignment{UnitID: f.Units["ARV1"].ID, OfficerID: o.ID})
	wantCode(t, err, arv.EINVALID, "ARV accreditation expired on 2026-11-01")

	// Off-duty units are not eligible; a unit busy elsewhere cannot be
	// assigned.
	must[*arv.Unit](t)(s.ReportStatus(itfc, f.Units["ARV3"].ID, arv.StatusReport{Status: arv.StatusOffDuty}))
	recs = must[[]arv.Recommendation](t)(s.Recommend(itfc, inc.ID))
	if recs[0].CallSign != "ARV2" || recs[1].Eligible || recs[2].Eligible {
		t.Fatalf("recommendations = %+v, want only ARV2 eligible", recs)
	}
	must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units["ARV2"].ID))
	inc2 := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Swindon, 1), Description: "Second"}))
	must[*arv.Incident](t)(s.Decide(itfc, inc2.ID, Decision(true)))
	_, err = s.Assign(itfc, inc2.ID, f.Units["ARV2"].ID)
	wantCode(t, err, arv.ECONFLICT, "release it")
	// Release and reassign.
	_, err = s.Release(itfc, inc.ID, f.Units["ARV2"].ID, "needed\x00")
	wantCode(t, err, arv.EINVALID, "control characters")
	must[*arv.Incident](t)(s.Release(itfc, inc.ID, f.Units["ARV2"].ID, "needed at a higher-risk call"))
	inc2 = must[*arv.Incident](t)(s.Assign(itfc, inc2.ID, f.Units["ARV2"].ID))
	if inc2.Assignments[0].CallSign != "ARV2" {
		t.Fatalf("reassigned: %+v", inc2.Assignments)
	}
	inc = must[*arv.Incident](t)(s.FindIncidentByID(itfc, inc.ID))
	if inc.Assignments[0].ReleaseReason != "needed at a higher-risk call" {
		t.Fatalf("release reason %q", inc.Assignments[0].ReleaseReason)
	}
}

func testPatrols(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	admin, officer := As(ctx, arv.SystemUser), As(ctx, Users()[arv.RoleArmedOfficer])
	// Window 08:00-20:00; the clock starts at 09:00 and check-ins are due
	// every 30 minutes from 08:00, so one is overdue now.
	p := must[*arv.PatrolPlan](t)(s.CreatePatrolPlan(admin, arv.NewPatrolPlan{Site: "Stonehenge", Position: geo.Point{Lat: 51.1789, Lon: -1.8262}, Start: "08:00", HoursPerDay: 12, CheckInMinutes: 30}))
	_, err := s.CreatePatrolPlan(admin, arv.NewPatrolPlan{Site: "Stonehenge", Position: geo.Point{Lat: 51.1789, Lon: -1.8262}, Start: "08:00", HoursPerDay: 12, CheckInMinutes: 30})
	wantCode(t, err, arv.ECONFLICT)
	if find(must[[]arv.Alert](t)(s.Alerts(officer)), arv.AlertCheckInMissed) == nil {
		t.Fatal("no missed check-in alert")
	}
	p = must[*arv.PatrolPlan](t)(s.CheckIn(officer, p.ID, f.Units["ARV3"].ID))
	if p.LastCheckIn == nil || p.LastCheckIn.By != "armed_officer1" {
		t.Fatalf("plan = %+v", p)
	}
	if find(must[[]arv.Alert](t)(s.Alerts(officer)), arv.AlertCheckInMissed) != nil {
		t.Fatal("missed check-in alert after checking in")
	}
	clock.Advance(31 * time.Minute)
	if find(must[[]arv.Alert](t)(s.Alerts(officer)), arv.AlertCheckInMissed) == nil {
		t.Fatal("no alert 31 minutes after the last check-in")
	}
	clock.Set(time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC))
	if find(must[[]arv.Alert](t)(s.Alerts(officer)), arv.AlertCheckInMissed) != nil {
		t.Fatal("alert outside the patrol window")
	}
	_, err = s.CheckIn(As(ctx, Users()[arv.RolePlanner]), p.ID, 0)
	wantCode(t, err, arv.EFORBIDDEN)
}

func testAudit(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	itfc, planner := As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleITFC]), As(ctx, Users()[arv.RolePlanner])
	inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Audit me"}))
	must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units["ARV1"].ID))

	rep := must[*arv.AuditReport](t)(s.VerifyAudit(planner))
	if !rep.OK || rep.Checked < 20 || rep.Head.Seq != rep.Checked {
		t.Fatalf("verify = %+v", rep)
	}
	_, err := s.VerifyAudit(itfc)
	wantCode(t, err, arv.EFORBIDDEN)
	hist := must[[]*arv.AuditEntry](t)(s.FindAudit(planner, arv.AuditFilter{Entity: fmt.Sprintf("incident/%d", inc.ID)}))
	if len(hist) != 3 || hist[0].Action != "incident.create" || hist[1].Action != "incident.decide" || hist[2].Action != "incident.assign" || hist[1].Actor != "itfc1" {
		t.Fatalf("incident history = %d entries", len(hist))
	}
	if string(hist[0].Before) != "null" || !strings.Contains(string(hist[1].After), `"authorised"`) {
		t.Fatalf("before/after = %s / %s", hist[0].Before, hist[1].After)
	}
	decideSeq := hist[1].Seq
	n := rep.Checked

	exec := func(q string) {
		t.Helper()
		if _, err := b.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	check := func(wantSeq int64, wantWord string) {
		t.Helper()
		rep, err := b.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK || len(rep.Problems) == 0 || rep.Problems[0].Seq != wantSeq || !strings.Contains(rep.Problems[0].Message, wantWord) {
			t.Fatalf("verify after tampering = %+v, want first problem at row %d mentioning %q", rep, wantSeq, wantWord)
		}
	}
	// Edit: who authorised.
	exec(fmt.Sprintf(`UPDATE audit SET actor = 'someone.else' WHERE seq = %d`, decideSeq))
	check(decideSeq, "edited")
	exec(fmt.Sprintf(`UPDATE audit SET actor = 'itfc1' WHERE seq = %d`, decideSeq))
	if rep, _ := b.Verify(ctx); !rep.OK {
		t.Fatalf("restored row still fails: %+v", rep)
	}
	// Delete a row in the middle.
	exec(fmt.Sprintf(`DELETE FROM audit WHERE seq = %d`, decideSeq))
	check(decideSeq+1, "missing")
	// Delete the newest row (head still records it).
	b2, clock2, ctx2 := setup(t, open)
	_ = clock2
	must[*arv.Officer](t)(b2.Services.CreateOfficer(As(ctx2, arv.SystemUser), arv.NewOfficer{Collar: "X1", Name: "PC X"}))
	must[*arv.Officer](t)(b2.Services.CreateOfficer(As(ctx2, arv.SystemUser), arv.NewOfficer{Collar: "X2", Name: "PC Y"}))
	if _, err := b2.DB.ExecContext(ctx2, `DELETE FROM audit WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	rep2, err := b2.Verify(ctx2)
	if err != nil || rep2.OK || !strings.Contains(rep2.Problems[0].Message, "missing from the end") {
		t.Fatalf("tail deletion: %+v %v", rep2, err)
	}
	_ = n
}

func testReturns(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	itfc, officer, planner := As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleITFC]), As(ctx, Users()[arv.RoleArmedOfficer]), As(ctx, Users()[arv.RolePlanner])
	admin := As(ctx, arv.SystemUser)
	// Three armed incidents: response 10 min (urban), 25 and 40 min
	// (rural); one not authorised.
	for _, c := range []struct {
		at   *geo.Point
		unit string
		mins int
	}{{near(Swindon, 1), "ARV2", 10}, {near(Devizes, 2), "ARV1", 25}, {near(Salisbury, 2), "ARV3", 40}} {
		call := clock.Now()
		inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: c.at, Description: "Return test"}))
		must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
		must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units[c.unit].ID))
		clock.Set(call.Add(time.Duration(c.mins) * time.Minute))
		must[*arv.Unit](t)(s.ReportStatus(officer, f.Units[c.unit].ID, arv.StatusReport{Status: arv.StatusOnScene}))
		must[*arv.Incident](t)(s.StandDown(itfc, inc.ID, arv.StandDown{Reason: "resolved"}))
		clock.Set(call.Add(time.Hour))
	}
	no := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Not armed"}))
	must[*arv.Incident](t)(s.Decide(itfc, no.ID, Decision(false)))
	// Taser for one officer: not part of the Home Office return.
	must[*arv.Officer](t)(s.AddAccreditation(admin, f.Officers["A1"].ID, arv.NewAccreditation{Kind: arv.AccTaser, Issued: "2026-01-01", Expires: "2027-12-31"}))

	rep := must[*arv.ResponseReport](t)(s.ResponseReport(planner, "2026-11"))
	want := map[string][4]float64{ // incidents, p50, p90, within
		arv.Urban: {1, 10, 10, 1},
		arv.Rural: {2, 25, 40, 0.5},
		"all":     {3, 25, 40, 0},
	}
	for _, r := range rep.Rows {
		w := want[r.Class]
		if float64(r.Incidents) != w[0] || r.P50 != w[1] || r.P90 != w[2] || (r.Class != "all" && r.WithinTarget != w[3]) {
			t.Errorf("%s row = %+v, want incidents %v p50 %v p90 %v within %v", r.Class, r, w[0], w[1], w[2], w[3])
		}
	}
	ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, 2026))
	if ann.Year != "2026/27" || ann.FirearmsOperations != 3 || ann.ARVOperations != 3 || ann.AuthorisedFirearmsOfficers != 6 || ann.OperationallyDeployable != 6 || ann.CountedOn != "2027-03-31" {
		t.Fatalf("annual return = %+v", ann)
	}
	_, err := s.AnnualReturn(itfc, 2026)
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.ResponseReport(planner, "November")
	wantCode(t, err, arv.EINVALID)
}

func testEvents(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	if b.Events == nil {
		t.Skip("backend has no event service")
	}
	_ = clock
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := b.Events.Subscribe(sub)
	inc := must[*arv.Incident](t)(b.Services.CreateIncident(As(ctx, Users()[arv.RoleCallHandler]), arv.NewIncident{Position: near(Devizes, 1), Description: "Event test"}))
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e := <-ch:
			if e.Kind == "incident.create" && e.Entity == fmt.Sprintf("incident/%d", inc.ID) {
				if !strings.Contains(string(e.Data), "Event test") {
					t.Fatalf("event data %s", e.Data)
				}
				return
			}
		case <-timeout:
			t.Fatal("no incident.create event within 10 s")
		}
	}
}

func testConcurrentWrites(t *testing.T, open Opener) {
	b, _, ctx := setup(t, open)
	s := b.Services
	handler := As(ctx, Users()[arv.RoleCallHandler])
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	ids := make(chan int64, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				inc, err := s.CreateIncident(handler, arv.NewIncident{Position: near(Devizes, float64(w+i)/10), Description: fmt.Sprintf("w%d-%d", w, i)})
				if err != nil {
					errs <- err
					continue
				}
				ids <- inc.ID
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Fatalf("concurrent create: %v", err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	all := must[[]*arv.Incident](t)(s.FindIncidents(handler, arv.IncidentFilter{}))
	if len(seen) != workers*each || len(all) != workers*each {
		t.Fatalf("%d acknowledged, %d stored, want %d", len(seen), len(all), workers*each)
	}
	rep, err := b.Verify(ctx)
	if err != nil || !rep.OK || rep.Checked != workers*each {
		t.Fatalf("audit after concurrent writes: %+v %v", rep, err)
	}
}

// testPlanReports stores planning reports: who may, what is kept and
// listed, the audit row with the report's digest, and refusals.
func testPlanReports(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	planner, itfc := As(ctx, Users()[arv.RolePlanner]), As(ctx, Users()[arv.RoleITFC])
	html := "<!doctype html><title>Plan – Wiltshire</title><p>54% within target</p>"
	first := must[*arv.PlanReport](t)(s.CreatePlanReport(planner, arv.NewPlanReport{Scenario: "wiltshire", HTML: html}))
	if first.ID == 0 || first.CreatedBy != "planner1" || !first.CreatedAt.Equal(clock.Now()) || first.Size != len(html) || first.SHA256 != arv.Digest(html) || first.HTML != "" {
		t.Fatalf("created %+v", first)
	}
	clock.Advance(time.Minute)
	second := must[*arv.PlanReport](t)(s.CreatePlanReport(planner, arv.NewPlanReport{Scenario: "kent", HTML: "<p>Kent</p>"}))

	list := must[[]*arv.PlanReport](t)(s.FindPlanReports(planner, 10))
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID || list[0].HTML != "" || list[1].Scenario != "wiltshire" {
		t.Fatalf("FindPlanReports = %+v", list)
	}
	if one := must[[]*arv.PlanReport](t)(s.FindPlanReports(planner, 1)); len(one) != 1 || one[0].ID != second.ID {
		t.Fatalf("FindPlanReports(1) = %+v", one)
	}
	got := must[*arv.PlanReport](t)(s.FindPlanReportByID(planner, first.ID))
	if got.HTML != html || got.SHA256 != first.SHA256 || got.Scenario != "wiltshire" || !got.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("FindPlanReportByID = %+v", got)
	}
	_, err := s.FindPlanReportByID(planner, second.ID+100)
	wantCode(t, err, arv.ENOTFOUND)

	// The audit log names who made it and which document it was.
	hist := must[[]*arv.AuditEntry](t)(s.FindAudit(planner, arv.AuditFilter{Entity: fmt.Sprintf("plan_report/%d", first.ID)}))
	if len(hist) != 1 || hist[0].Action != "plan_report.create" || hist[0].Actor != "planner1" || !strings.Contains(string(hist[0].After), first.SHA256) || strings.Contains(string(hist[0].After), "54% within") {
		t.Fatalf("audit = %+v", hist)
	}

	_, err = s.CreatePlanReport(itfc, arv.NewPlanReport{Scenario: "wiltshire", HTML: html})
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.FindPlanReports(itfc, 10)
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.FindPlanReportByID(ctx, first.ID)
	wantCode(t, err, arv.EUNAUTHORIZED)
	_, err = s.CreatePlanReport(planner, arv.NewPlanReport{Scenario: " ", HTML: html})
	wantCode(t, err, arv.EINVALID, "scenario")
	_, err = s.CreatePlanReport(planner, arv.NewPlanReport{Scenario: "kent", HTML: strings.Repeat("x", arv.MaxPlanReportBytes+1)})
	wantCode(t, err, arv.EINVALID, "bytes")
	_, err = s.CreatePlanReport(planner, arv.NewPlanReport{Scenario: "kent", HTML: "\xff\xfe"})
	wantCode(t, err, arv.EINVALID, "UTF-8")
	if rep := must[*arv.AuditReport](t)(s.VerifyAudit(planner)); !rep.OK {
		t.Fatalf("verify = %+v", rep)
	}
}
