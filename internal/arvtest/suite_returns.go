package arvtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// Issue 12: officers' duty status, the annual return by London year,
// its submission, and the history export for planning.

func testDutyStatus(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open) // Thursday 26 November 2026, 09:00 GMT
	s := b.Services
	f := MustForce(t, s, clock.Now())
	admin, itfc := As(ctx, Users()[arv.RoleAdministrator]), As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleITFC])
	a1 := f.Officers["A1"].ID

	_, err := s.RecordDuty(itfc, a1, arv.NewDuty{Status: arv.DutySick, From: "2026-11-26"})
	wantCode(t, err, arv.EFORBIDDEN)
	for _, c := range []struct {
		name string
		n    arv.NewDuty
		want string
	}{
		{"unknown status", arv.NewDuty{Status: "holiday", From: "2026-11-26"}, "not one of available, sick, restricted, suspended"},
		{"no first day", arv.NewDuty{Status: arv.DutySick}, "first day"},
		{"first day before 2000", arv.NewDuty{Status: arv.DutySick, From: "1999-12-31"}, "first day"},
		{"last before first", arv.NewDuty{Status: arv.DutySick, From: "2026-11-26", To: "2026-11-25"}, "before the first day"},
		{"bad last day", arv.NewDuty{Status: arv.DutySick, From: "2026-11-26", To: "2026-02-30"}, "last day"},
		{"note too long", arv.NewDuty{Status: arv.DutySick, From: "2026-11-26", Note: strings.Repeat("x", 1001)}, "Note"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.RecordDuty(admin, a1, c.n)
			wantCode(t, err, arv.EINVALID, c.want)
		})
	}
	_, err = s.RecordDuty(admin, 999999, arv.NewDuty{Status: arv.DutySick, From: "2026-11-26"})
	wantCode(t, err, arv.ENOTFOUND)

	// A1 off sick today and tomorrow: ARV1 cannot be sent, nor A1
	// rostered tomorrow; the day after, A1 may be rostered again.
	o := must[*arv.Officer](t)(s.RecordDuty(admin, a1, arv.NewDuty{Status: arv.DutySick, From: "2026-11-26", To: "2026-11-27", Note: "flu"}))
	if len(o.Duty) != 1 || o.Duty[0].Status != arv.DutySick || o.Duty[0].RecordedBy != "administrator1" || o.Duty[0].Note != "flu" {
		t.Fatalf("duty = %+v", o.Duty)
	}
	for _, c := range []struct {
		day  arv.Date
		want arv.DutyStatus
	}{{"2026-11-25", arv.DutyAvailable}, {"2026-11-26", arv.DutySick}, {"2026-11-27", arv.DutySick}, {"2026-11-28", arv.DutyAvailable}} {
		if got, _ := o.DutyOn(c.day); got != c.want {
			t.Errorf("DutyOn(%s) = %s, want %s", c.day, got, c.want)
		}
	}
	inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Duty test"}))
	must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	_, err = s.Assign(itfc, inc.ID, f.Units["ARV1"].ID)
	wantCode(t, err, arv.EINVALID, "ARV1 cannot be assigned", "PC A1 (A1) cannot be deployed: off sick from 2026-11-26 until 2026-11-27")
	recs := must[[]arv.Recommendation](t)(s.Recommend(itfc, inc.ID))
	for _, r := range recs {
		if r.CallSign == "ARV1" && (r.Eligible || !strings.Contains(r.Reason, "off sick")) {
			t.Errorf("ARV1 recommendation = %+v, want ineligible naming the sickness", r)
		}
	}
	tomorrow := clock.Now().Add(24 * time.Hour)
	for _, c := range []struct {
		start time.Time
		want  string // "" for accepted
	}{
		{tomorrow, "off sick"},
		{tomorrow.Add(-20 * time.Hour), "off sick"}, // 13:00 today to 23:00 today
		{tomorrow.Add(24 * time.Hour), ""},          // Saturday: back at work
		{tomorrow.Add(-34 * time.Hour), "off sick"}, // 23:00 yesterday to 09:00 today: ends on a sick day
		{tomorrow.Add(-(48 + 12) * time.Hour), ""},  // Tuesday night: before the sickness
	} {
		sh := must[*arv.RosterShift](t)(s.AddShift(As(ctx, arv.SystemUser), arv.NewShift{Name: "Test", Start: c.start, End: c.start.Add(10 * time.Hour), Reason: "Test of the duty check"}))
		// A shift already ended needs a reason (an amendment to the roster).
		_, err := s.AssignCrew(As(ctx, arv.SystemUser), sh.ID, arv.RosterAssignment{UnitID: f.Units["ARV1"].ID, OfficerID: a1, Reason: "Test of the duty check"})
		if c.want == "" && err != nil || c.want != "" && !strings.Contains(arv.ErrorMessage(err), c.want) {
			t.Errorf("roster A1 on %s: %v, want %q", c.start, err, c.want)
		}
	}
	// Each status that is not "available" refuses deployment and names
	// itself; a later record covering a day overrides an earlier one.
	for _, c := range []struct {
		collar string
		status arv.DutyStatus
		words  string
	}{{"A3", arv.DutyRestricted, "on restricted duties"}, {"A5", arv.DutySuspended, "suspended"}, {"A6", arv.DutySick, "off sick"}} {
		o := must[*arv.Officer](t)(s.RecordDuty(admin, f.Officers[c.collar].ID, arv.NewDuty{Status: c.status, From: "2026-11-20", To: "2026-11-30"}))
		err := o.CheckARVCrew(clock.Now())
		wantCode(t, err, arv.EINVALID, "PC "+c.collar, c.words, "until 2026-11-30")
		if o.OperationallyDeployable(clock.Now()) {
			t.Errorf("%s %s counts as operationally deployable", c.collar, c.status)
		}
	}
	o = must[*arv.Officer](t)(s.RecordDuty(admin, f.Officers["A6"].ID, arv.NewDuty{Status: arv.DutyAvailable, From: "2026-11-26"}))
	if err := o.CheckARVCrew(clock.Now()); err != nil {
		t.Errorf("A6 back at work: %v", err)
	}
	if st, _ := o.DutyOn("2026-11-25"); st != arv.DutySick {
		t.Errorf("A6 on 25 November: %s, want still sick", st)
	}

	// Deployable count at 31 March 2027: A2 sick open-ended from 20
	// March, A4 restricted that day only; A5's suspension ended 30
	// November.
	must[*arv.Officer](t)(s.RecordDuty(admin, f.Officers["A2"].ID, arv.NewDuty{Status: arv.DutySick, From: "2027-03-20"}))
	must[*arv.Officer](t)(s.RecordDuty(admin, f.Officers["A4"].ID, arv.NewDuty{Status: arv.DutyRestricted, From: "2027-03-31", To: "2027-03-31"}))
	ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(As(ctx, Users()[arv.RolePlanner]), 2026))
	if ann.AuthorisedFirearmsOfficers != 6 || ann.OperationallyDeployable != 4 {
		t.Errorf("armed officers %d, deployable %d; want 6 and 4", ann.AuthorisedFirearmsOfficers, ann.OperationallyDeployable)
	}
	audit := must[[]*arv.AuditEntry](t)(s.FindAudit(As(ctx, arv.SystemUser), arv.AuditFilter{Entity: fmt.Sprintf("officer/%d", a1)}))
	n := 0
	for _, e := range audit {
		if e.Action == "officer.duty" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d officer.duty audit rows for A1, want 1", n)
	}
}

// testReturnsLondonYear: the year starts at 00:00 London time on 1
// April, 23:00 UTC on 31 March in BST; demo incidents never count.
func testReturnsLondonYear(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	clock.Set(time.Date(2026, 3, 31, 21, 0, 0, 0, time.UTC))
	f := MustForce(t, s, clock.Now())
	itfc, planner := As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleITFC]), As(ctx, Users()[arv.RolePlanner])
	armed := func(at time.Time, send bool, demo bool) *arv.Incident {
		t.Helper()
		clock.Set(at)
		c := itfc
		if demo {
			c = arv.WithDemo(itfc)
		}
		inc := must[*arv.Incident](t)(s.CreateIncident(c, arv.NewIncident{Position: near(Devizes, 1), Description: "Year boundary"}))
		must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
		if send {
			must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units["ARV1"].ID))
			must[*arv.Incident](t)(s.StandDown(itfc, inc.ID, arv.StandDown{Reason: "resolved"}))
		}
		return inc
	}
	// 23:30 BST on 31 March 2026 (22:30 UTC): 2025/26.
	armed(time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), false, false)
	// 00:30 BST on 1 April 2026 (23:30 UTC on 31 March): 2026/27, an ARV
	// operation.
	armed(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), true, false)
	// A demo incident at 01:00 BST, sent and stood down: never counts.
	d := armed(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), true, true)
	if got := must[*arv.Incident](t)(s.FindIncidentByID(itfc, d.ID)); !got.Demo {
		t.Errorf("incident recorded by the demo is not marked demo")
	}
	for _, c := range []struct {
		year          int
		label         string
		from, to      time.Time
		ops, arv, afo int
	}{
		{2025, "2025/26", time.Date(2025, 3, 31, 23, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), 1, 0, 6},
		{2026, "2026/27", time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 23, 0, 0, 0, time.UTC), 1, 1, 6},
	} {
		ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, c.year))
		if ann.Year != c.label || !ann.From.Equal(c.from) || !ann.To.Equal(c.to) || ann.FirearmsOperations != c.ops || ann.ARVOperations != c.arv ||
			ann.AuthorisedFirearmsOfficers != c.afo || ann.CountedOn != arv.Date(fmt.Sprintf("%d-03-31", c.year+1)) {
			t.Errorf("return %d = %+v; want %s from %s to %s, %d operations, %d ARV, %d AFOs", c.year, ann, c.label, c.from, c.to, c.ops, c.arv, c.afo)
		}
	}
	// April is a London month: it holds the 00:30 BST incident and the
	// demo one at 01:00 BST; only the first counts.
	rep := must[*arv.ResponseReport](t)(s.ResponseReport(planner, "2026-04"))
	for _, r := range rep.Rows {
		if r.Class == "all" && r.Incidents != 1 {
			t.Errorf("April report counts %d incidents; want 1 (00:30 BST on 1 April; the demo incident must not count)", r.Incidents)
		}
	}
	// Nor in the export of 1 April (London day).
	rows := must[[]arv.ExportRow](t)(s.ExportIncidents(planner, "2026-04-01", "2026-04-01"))
	if len(rows) != 1 || rows[0].CallAt.Format(time.RFC3339) != "2026-03-31T23:30:00Z" {
		t.Errorf("export of 1 April = %+v, want the 00:30 BST incident only", rows)
	}
}

func testReturnSubmission(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	clock.Set(time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC))
	f := MustForce(t, s, clock.Now())
	itfc, planner, sfc := As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleITFC]), As(ctx, Users()[arv.RolePlanner]), As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleSFC])
	admin := As(ctx, Users()[arv.RoleAdministrator])
	for range 2 {
		inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Submission"}))
		must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
		clock.Advance(time.Hour)
	}
	clock.Set(Start) // 26 November 2026: 2025/26 has ended, 2026/27 has not

	_, err := s.SubmitAnnualReturn(planner, arv.ReturnSubmit{StartYear: 2025})
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.SubmitAnnualReturn(sfc, arv.ReturnSubmit{StartYear: 2026})
	wantCode(t, err, arv.EINVALID, "2026/27 year ends at 00:00 on 1 April 2027")
	_, err = s.SubmitAnnualReturn(sfc, arv.ReturnSubmit{StartYear: 1999})
	wantCode(t, err, arv.EINVALID)

	got := must[*arv.AnnualReturn](t)(s.SubmitAnnualReturn(sfc, arv.ReturnSubmit{StartYear: 2025}))
	sub := got.Submitted
	if sub == nil || sub.Version != 1 || sub.SubmittedBy != "sfc1" || !sub.SubmittedAt.Equal(Start) || got.FirearmsOperations != 2 || got.AuthorisedFirearmsOfficers != 6 || got.OperationallyDeployable != 6 {
		t.Fatalf("submitted = %+v (%+v)", got, sub)
	}
	if sum := sha256.Sum256(sub.Figures); hex.EncodeToString(sum[:]) != sub.SHA256 {
		t.Errorf("SHA-256 %s does not match the figures %s", sub.SHA256, sub.Figures)
	}
	_, err = s.SubmitAnnualReturn(admin, arv.ReturnSubmit{StartYear: 2025})
	wantCode(t, err, arv.ECONFLICT, "already submitted (version 1, by sfc1", "give the reason")

	// Later changes to the records: a ticket backdated into the year and
	// two officers found to have been off sick on 31 March.
	MustOfficer(t, s, "B7", "2027-06-30", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, c := range []string{"A1", "A2"} {
		must[*arv.Officer](t)(s.RecordDuty(admin, f.Officers[c].ID, arv.NewDuty{Status: arv.DutySick, From: "2026-03-30", To: "2026-04-02"}))
	}
	ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, 2025))
	if ann.Submitted == nil || ann.Submitted.Version != 1 || ann.AuthorisedFirearmsOfficers != 6 || ann.OperationallyDeployable != 6 {
		t.Fatalf("after changes, the return shows %+v; want the submitted figures", ann)
	}
	want := map[string][2]string{"authorised_firearms_officers": {"6", "7"}, "operationally_deployable_officers": {"6", "5"}}
	if len(ann.Amendments) != len(want) {
		t.Fatalf("amendments = %+v, want %v", ann.Amendments, want)
	}
	for _, a := range ann.Amendments {
		if w, ok := want[a.Field]; !ok || string(a.Submitted) != w[0] || string(a.Current) != w[1] {
			t.Errorf("amendment %s: %s -> %s, want %v", a.Field, a.Submitted, a.Current, w)
		}
	}
	// A resubmission with its reason is version 2; version 1 is kept.
	clock.Advance(time.Hour)
	v2 := must[*arv.AnnualReturn](t)(s.SubmitAnnualReturn(admin, arv.ReturnSubmit{StartYear: 2025, Reason: "Sickness on 31 March recorded late."}))
	if v2.Submitted.Version != 2 || v2.AuthorisedFirearmsOfficers != 7 || v2.OperationallyDeployable != 5 || len(v2.Amendments) != 0 {
		t.Fatalf("resubmitted = %+v", v2)
	}
	if ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, 2025)); ann.Submitted.Version != 2 || len(ann.Amendments) != 0 {
		t.Errorf("after resubmission: %+v", ann)
	}
	subs := must[[]arv.ReturnSubmission](t)(s.ReturnSubmissions(planner, 2025))
	if len(subs) != 2 || subs[0].Version != 1 || !strings.Contains(string(subs[0].Figures), `"authorised_firearms_officers":6`) || subs[1].Reason != "Sickness on 31 March recorded late." {
		t.Errorf("submissions = %+v", subs)
	}
	audit := must[[]*arv.AuditEntry](t)(s.FindAudit(As(ctx, arv.SystemUser), arv.AuditFilter{Entity: "return/2025"}))
	if len(audit) != 2 || audit[0].Action != "return.submit" || audit[0].Actor != "sfc1" || audit[1].Actor != "administrator1" {
		t.Errorf("audit of return/2025 = %d rows", len(audit))
	}
	// A year never submitted is computed live.
	if ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, 2026)); ann.Submitted != nil || ann.Amendments != nil {
		t.Errorf("2026/27 = %+v, want live figures", ann)
	}
}

func testExportIncidents(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	itfc, officer, planner := As(ctx, Commanders(t, s, clock.Now(), Users())[arv.RoleITFC]), As(ctx, Users()[arv.RoleArmedOfficer]), As(ctx, Users()[arv.RolePlanner])
	start := clock.Now()
	// A: two ARVs sent, first arrival after 12 minutes, stood down 30
	// minutes later.
	a := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Export A"}))
	must[*arv.Incident](t)(s.Decide(itfc, a.ID, Decision(true)))
	must[*arv.Incident](t)(s.Assign(itfc, a.ID, f.Units["ARV1"].ID))
	must[*arv.Incident](t)(s.Assign(itfc, a.ID, f.Units["ARV2"].ID))
	clock.Set(start.Add(12 * time.Minute))
	must[*arv.Unit](t)(s.ReportStatus(officer, f.Units["ARV1"].ID, arv.StatusReport{Status: arv.StatusOnScene}))
	clock.Set(start.Add(42 * time.Minute))
	must[*arv.Incident](t)(s.StandDown(itfc, a.ID, arv.StandDown{Reason: "resolved"}))
	// B: a pre-planned operation stood down before anyone arrived.
	clock.Set(start.Add(time.Hour))
	bi := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Salisbury, 1), Description: "Export B", PrePlanned: true}))
	if !bi.PrePlanned {
		t.Errorf("pre-planned flag not kept: %+v", bi)
	}
	must[*arv.Incident](t)(s.Decide(itfc, bi.ID, Decision(true)))
	must[*arv.Incident](t)(s.StandDown(itfc, bi.ID, arv.StandDown{Reason: "operation ended"}))
	// C: still open; D: the demo's, closed. Neither is exported.
	must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 2), Description: "Export C"}))
	d := must[*arv.Incident](t)(s.CreateIncident(arv.WithDemo(itfc), arv.NewIncident{Position: near(Devizes, 3), Description: "Export D"}))
	must[*arv.Incident](t)(s.Decide(itfc, d.ID, Decision(true)))
	must[*arv.Incident](t)(s.StandDown(itfc, d.ID, arv.StandDown{Reason: "resolved"}))

	rows := must[[]arv.ExportRow](t)(s.ExportIncidents(planner, "2026-11-26", "2026-11-26"))
	if len(rows) != 2 {
		t.Fatalf("exported %d rows, want 2: %+v", len(rows), rows)
	}
	r := rows[0]
	if r.IncidentID != a.ID || !r.CallAt.Equal(start) || r.ARVsSent != 2 || r.PrePlanned || r.ResponseMinutes == nil || math.Abs(*r.ResponseMinutes-12) > 1e-9 ||
		r.OnSceneMinutes == nil || math.Abs(*r.OnSceneMinutes-30) > 1e-9 || r.Class != a.Class || r.Lat != a.Location.Lat {
		t.Errorf("row A = %+v", r)
	}
	r = rows[1]
	if r.IncidentID != bi.ID || !r.PrePlanned || r.ARVsSent != 0 || r.ResponseMinutes != nil || r.OnSceneMinutes != nil {
		t.Errorf("row B = %+v", r)
	}
	if rows := must[[]arv.ExportRow](t)(s.ExportIncidents(planner, "2026-11-27", "2026-12-31")); len(rows) != 0 {
		t.Errorf("export after the day = %+v", rows)
	}
	_, err := s.ExportIncidents(itfc, "2026-11-26", "2026-11-26")
	wantCode(t, err, arv.EFORBIDDEN)
	for _, c := range []struct {
		from, to arv.Date
		want     string
	}{
		{"2026-11-27", "2026-11-26", "before the first day"},
		{"2000-01-01", "2026-11-26", "at most 3660 days"},
		{"1999-12-31", "2000-01-01", "between 2000 and 2100"},
		{"2026-13-01", "2026-11-26", "not a date"},
	} {
		_, err := s.ExportIncidents(planner, c.from, c.to)
		wantCode(t, err, arv.EINVALID, c.want)
	}
}
