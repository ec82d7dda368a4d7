package arvtest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// After a discharge (issue 12): discharges, the post-incident procedure
// and its IOPC alert, sign-off and the lock it puts on the record, and
// the discharge column of the annual return.

type ctxT = context.Context

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// armedIncident records an incident, authorises it and sends unit.
func armedIncident(t *testing.T, s arv.Services, itfc ctxT, f *Force, unit string) *arv.Incident {
	t.Helper()
	inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Swindon, 1), Description: "Man with a handgun outside the station"}))
	must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	return must[*arv.Incident](t)(s.Assign(itfc, inc.ID, f.Units[unit].ID))
}

// shot is a discharge by officer with injury.
func shot(officer int64, w arv.WeaponClass, atPerson bool, injury arv.Injury) arv.NewDischarge {
	return arv.NewDischarge{OfficerID: officer, Weapon: w, Rounds: 2, AtPerson: atPerson, Injury: injury, Circumstances: "Subject raised a handgun towards the public."}
}

func testDischarges(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	u := Commanders(t, s, clock.Now(), Users()) // linked to officers with command tickets
	itfc, tfc, sfc := As(ctx, u[arv.RoleITFC]), As(ctx, u[arv.RoleTFC]), As(ctx, u[arv.RoleSFC])
	a1, a2, a5 := f.Officers["A1"].ID, f.Officers["A2"].ID, f.Officers["A5"].ID

	// No discharge without an armed deployment.
	bare := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Swindon, 1), Description: "Report of a gun"}))
	_, err := s.RecordDischarge(tfc, bare.ID, shot(a1, arv.WeaponCarbine, true, arv.InjuryNone))
	wantCode(t, err, arv.ECONFLICT, "no authorised")

	inc := armedIncident(t, s, itfc, f, "ARV1")
	call := inc.CallAt
	for _, tt := range []struct {
		name  string
		ctx   ctxT
		d     arv.NewDischarge
		code  string
		words string
	}{
		{"call handler may not", As(ctx, u[arv.RoleCallHandler]), shot(a1, arv.WeaponPistol, true, arv.InjuryNone), arv.EFORBIDDEN, ""},
		{"armed officer may not", As(ctx, u[arv.RoleArmedOfficer]), shot(a1, arv.WeaponPistol, true, arv.InjuryNone), arv.EFORBIDDEN, ""},
		{"unknown officer", tfc, shot(9999, arv.WeaponPistol, true, arv.InjuryNone), arv.ENOTFOUND, "Officer 9999"},
		{"taser", tfc, shot(a1, "taser", true, arv.InjuryNone), arv.EINVALID, "Taser"},
		{"future", tfc, func() arv.NewDischarge {
			d := shot(a1, arv.WeaponPistol, true, arv.InjuryNone)
			d.At = clock.Now().Add(time.Hour)
			return d
		}(), arv.EINVALID, "future"},
		{"before the call", tfc, func() arv.NewDischarge {
			d := shot(a1, arv.WeaponPistol, true, arv.InjuryNone)
			d.At = call.Add(-time.Hour)
			return d
		}(), arv.EINVALID, "before the call"},
	} {
		_, err := s.RecordDischarge(tt.ctx, inc.ID, tt.d)
		if tt.words == "" {
			wantCode(t, err, tt.code)
		} else {
			wantCode(t, err, tt.code, tt.words)
		}
	}

	// Discharges without death or serious injury open no procedure.
	for _, inj := range []arv.Injury{arv.InjuryNone, arv.InjuryMinor} {
		inc = must[*arv.Incident](t)(s.RecordDischarge(tfc, inc.ID, shot(a1, arv.WeaponAEP, true, inj)))
		if inc.PostIncident != nil {
			t.Fatalf("injury %s opened a post-incident procedure", inj)
		}
	}
	_, err = s.ReferToIOPC(sfc, inc.ID, arv.NewIOPCReferral{Reference: "R1", By: "PSD"})
	wantCode(t, err, arv.ECONFLICT, "no post-incident procedure")

	// Serious injury opens it, with an urgent alert naming the incident.
	clock.Advance(2 * time.Minute)
	firedAt := clock.Now()
	inc = must[*arv.Incident](t)(s.RecordDischarge(tfc, inc.ID, shot(a2, arv.WeaponCarbine, true, arv.InjurySerious)))
	if len(inc.Discharges) != 3 || inc.PostIncident == nil || !inc.PostIncident.OpenedAt.Equal(firedAt) ||
		!inc.PostIncident.ReferralDue.Equal(firedAt.Add(arv.DefaultIOPCReferWithin)) || inc.PostIncident.DischargeID != inc.Discharges[2].ID {
		t.Fatalf("after a serious injury: discharges %d, procedure %+v", len(inc.Discharges), inc.PostIncident)
	}
	if d := inc.Discharges[2]; d.Officer != "PC A2 (A2)" || d.Weapon != arv.WeaponCarbine || !d.AtPerson || d.Rounds != 2 || d.RecordedBy != "tfc1" {
		t.Fatalf("discharge = %+v", d)
	}
	// A later fatal discharge keeps the one procedure.
	inc = must[*arv.Incident](t)(s.RecordDischarge(tfc, inc.ID, shot(a1, arv.WeaponPistol, true, arv.InjuryFatal)))
	if inc.PostIncident.DischargeID != inc.Discharges[2].ID {
		t.Fatalf("a second DSI discharge moved the procedure: %+v", inc.PostIncident)
	}
	clock.Advance(47 * time.Minute)
	a := find(must[[]arv.Alert](t)(s.Alerts(itfc)), arv.AlertIOPCReferral)
	if a == nil || a.Severity != "urgent" || a.Entity != "incident/"+itoa(inc.ID) || !a.Since.Equal(firedAt) ||
		!strings.Contains(a.Message, "Incident "+itoa(inc.ID)) || !strings.Contains(a.Message, "47 min ago") || !strings.Contains(a.Message, "expected by") {
		t.Fatalf("IOPC alert = %+v", a)
	}
	clock.Advance(arv.DefaultIOPCReferWithin)
	if a := find(must[[]arv.Alert](t)(s.Alerts(itfc)), arv.AlertIOPCReferral); a == nil || !strings.Contains(a.Message, "overdue since") {
		t.Fatalf("overdue IOPC alert = %+v", a)
	}

	// Post-incident manager and key police witnesses.
	_, err = s.AppointPostIncidentManager(tfc, inc.ID, arv.PostIncidentManager{OfficerID: a2})
	wantCode(t, err, arv.ECONFLICT, "not involved")
	inc = must[*arv.Incident](t)(s.AppointPostIncidentManager(tfc, inc.ID, arv.PostIncidentManager{OfficerID: a5}))
	if inc.PostIncident.ManagerID != a5 || inc.PostIncident.Manager != "PC A5 (A5)" {
		t.Fatalf("manager = %+v", inc.PostIncident)
	}
	_, err = s.AddKeyWitness(tfc, inc.ID, arv.NewKeyWitness{OfficerID: a5, Note: "manager"})
	wantCode(t, err, arv.ECONFLICT, "post-incident manager")
	inc = must[*arv.Incident](t)(s.AddKeyWitness(tfc, inc.ID, arv.NewKeyWitness{OfficerID: a2, Note: "fired two carbine rounds"}))
	_, err = s.AddKeyWitness(tfc, inc.ID, arv.NewKeyWitness{OfficerID: a2, Note: "again"})
	wantCode(t, err, arv.ECONFLICT, "already a key police witness")
	_, err = s.AddKeyWitness(As(ctx, u[arv.RolePlanner]), inc.ID, arv.NewKeyWitness{OfficerID: a1, Note: "x"})
	wantCode(t, err, arv.EFORBIDDEN)
	if w := inc.PostIncident.Witnesses; len(w) != 1 || w[0].OfficerID != a2 || w[0].Note != "fired two carbine rounds" || w[0].AddedBy != "tfc1" {
		t.Fatalf("witnesses = %+v", w)
	}

	// The referral clears the alert; it is recorded once.
	_, err = s.ReferToIOPC(sfc, inc.ID, arv.NewIOPCReferral{At: firedAt.Add(-time.Minute), Reference: "IOPC/2026/0042", By: "Supt Ray, PSD"})
	wantCode(t, err, arv.EINVALID, "before the discharge")
	inc = must[*arv.Incident](t)(s.ReferToIOPC(sfc, inc.ID, arv.NewIOPCReferral{At: firedAt.Add(40 * time.Minute), Reference: "IOPC/2026/0042", By: "Supt Ray, PSD"}))
	if r := inc.PostIncident.Referral; r == nil || r.Reference != "IOPC/2026/0042" || !r.At.Equal(firedAt.Add(40*time.Minute)) || r.By != "Supt Ray, PSD" || r.RecordedBy != "sfc1" {
		t.Fatalf("referral = %+v", r)
	}
	if a := find(must[[]arv.Alert](t)(s.Alerts(itfc)), arv.AlertIOPCReferral); a != nil {
		t.Fatalf("IOPC alert still standing after the referral: %+v", a)
	}
	_, err = s.ReferToIOPC(sfc, inc.ID, arv.NewIOPCReferral{Reference: "again", By: "x"})
	wantCode(t, err, arv.ECONFLICT, "already referred")

	// The record reads back the same.
	got := must[*arv.Incident](t)(s.FindIncidentByID(itfc, inc.ID))
	if len(got.Discharges) != 4 || got.PostIncident == nil || got.PostIncident.Referral == nil || len(got.PostIncident.Witnesses) != 1 {
		t.Fatalf("read back: %+v", got.AfterDischarge)
	}
}

func testSignOff(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	u := Commanders(t, s, clock.Now(), Users()) // linked to officers with command tickets
	itfc, tfc, sfc := As(ctx, u[arv.RoleITFC]), As(ctx, u[arv.RoleTFC]), As(ctx, u[arv.RoleSFC])
	inc := armedIncident(t, s, itfc, f, "ARV1")
	must[*arv.Incident](t)(s.RecordDischarge(tfc, inc.ID, shot(f.Officers["A1"].ID, arv.WeaponCarbine, true, arv.InjurySerious)))

	signOff := func(c ctxT) error {
		_, err := s.SignOff(c, inc.ID, arv.SignOffRequest{Note: "Log complete."})
		return err
	}
	// Refusals before the record may close.
	for _, tt := range []struct {
		name  string
		ctx   ctxT
		code  string
		words string
	}{
		{"tfc not allowed by the force setting", tfc, arv.EFORBIDDEN, "strategic firearms commander"},
		{"itfc not in the permission table", itfc, arv.EFORBIDDEN, ""},
		{"before stand-down", sfc, arv.ECONFLICT, "not been stood down"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.words == "" {
				wantCode(t, signOff(tt.ctx), tt.code)
			} else {
				wantCode(t, signOff(tt.ctx), tt.code, tt.words)
			}
		})
	}
	must[*arv.Incident](t)(s.StandDown(tfc, inc.ID, arv.StandDown{Reason: "Subject detained, taken to hospital"}))
	wantCode(t, signOff(sfc), arv.ECONFLICT, "no IOPC referral")
	must[*arv.Incident](t)(s.ReferToIOPC(sfc, inc.ID, arv.NewIOPCReferral{Reference: "IOPC/7", By: "PSD duty officer"}))
	clock.Advance(3 * time.Hour)
	inc = must[*arv.Incident](t)(s.RecordDebrief(tfc, inc.ID, arv.NewDebrief{LedBy: "Insp Hale (PIM)", Notes: "Learning: AEP was not on the first ARV."}))
	if len(inc.Debriefs) != 1 || inc.Debriefs[0].LedBy != "Insp Hale (PIM)" || inc.Debriefs[0].RecordedBy != "tfc1" {
		t.Fatalf("debriefs = %+v", inc.Debriefs)
	}
	// An amendment before sign-off is refused: the record is still open.
	_, err := s.Amend(tfc, inc.ID, arv.NewAmendment{Corrects: "x", Text: "y"})
	wantCode(t, err, arv.ECONFLICT, "not signed off")

	inc = must[*arv.Incident](t)(s.SignOff(sfc, inc.ID, arv.SignOffRequest{Note: "Log complete."}))
	if so := inc.SignedOff; so == nil || so.By != "sfc1" || so.Role != arv.RoleSFC || !so.At.Equal(clock.Now()) {
		t.Fatalf("sign-off = %+v", inc.SignedOff)
	}

	// Every write is refused afterwards.
	unit := f.Units["ARV2"].ID
	for _, tt := range []struct {
		name string
		do   func() error
	}{
		{"decide", func() error { _, err := s.Decide(tfc, inc.ID, Decision(true)); return err }},
		{"ratify", func() error {
			_, err := s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: true, Rationale: "x"})
			return err
		}},
		{"assign", func() error { _, err := s.Assign(tfc, inc.ID, unit); return err }},
		{"release", func() error { _, err := s.Release(tfc, inc.ID, unit, ""); return err }},
		{"stand down", func() error { _, err := s.StandDown(tfc, inc.ID, arv.StandDown{Reason: "x"}); return err }},
		{"discharge", func() error {
			_, err := s.RecordDischarge(tfc, inc.ID, shot(f.Officers["A2"].ID, arv.WeaponPistol, false, arv.InjuryNone))
			return err
		}},
		{"manager", func() error {
			_, err := s.AppointPostIncidentManager(tfc, inc.ID, arv.PostIncidentManager{OfficerID: f.Officers["A6"].ID})
			return err
		}},
		{"witness", func() error {
			_, err := s.AddKeyWitness(tfc, inc.ID, arv.NewKeyWitness{OfficerID: f.Officers["A3"].ID, Note: "x"})
			return err
		}},
		{"referral", func() error {
			_, err := s.ReferToIOPC(sfc, inc.ID, arv.NewIOPCReferral{Reference: "x", By: "y"})
			return err
		}},
		{"debrief", func() error {
			_, err := s.RecordDebrief(tfc, inc.ID, arv.NewDebrief{LedBy: "x", Notes: "y"})
			return err
		}},
		{"sign-off again", func() error { return signOff(sfc) }},
	} {
		t.Run("after sign-off "+tt.name, func(t *testing.T) {
			wantCode(t, tt.do(), arv.ECONFLICT, "signed off by sfc1", "amendment")
		})
	}

	// Annotated amendments are accepted, each its own audit row.
	inc = must[*arv.Incident](t)(s.Amend(tfc, inc.ID, arv.NewAmendment{Corrects: "discharge 1: rounds", Text: "Three rounds were fired, not two (armourer's count)."}))
	inc = must[*arv.Incident](t)(s.Amend(itfc, inc.ID, arv.NewAmendment{Corrects: "stand-down reason", Text: "Subject was detained at 10:12."}))
	if len(inc.Amendments) != 2 || inc.Amendments[0].By != "tfc1" || inc.Amendments[1].Corrects != "stand-down reason" || inc.Discharges[0].Rounds != 2 {
		t.Fatalf("amendments = %+v, discharge %+v", inc.Amendments, inc.Discharges[0])
	}
	_, err = s.Amend(As(ctx, u[arv.RoleArmedOfficer]), inc.ID, arv.NewAmendment{Corrects: "x", Text: "y"})
	wantCode(t, err, arv.EFORBIDDEN)
	audit := must[[]*arv.AuditEntry](t)(s.FindAudit(sfc, arv.AuditFilter{Entity: "incident/" + itoa(inc.ID)}))
	var amends, signs int
	for _, e := range audit {
		switch e.Action {
		case "incident.amend":
			amends++
		case "incident.sign_off":
			signs++
		}
	}
	if amends != 2 || signs != 1 {
		t.Fatalf("audit has %d amendments and %d sign-offs, want 2 and 1", amends, signs)
	}
	if rep := must[*arv.AuditReport](t)(s.VerifyAudit(sfc)); !rep.OK {
		t.Fatalf("audit chain broken: %+v", rep)
	}
}

func testDischargeReturn(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	f := MustForce(t, s, clock.Now())
	u := Commanders(t, s, clock.Now(), Users()) // linked to officers with command tickets
	itfc, tfc, planner := As(ctx, u[arv.RoleITFC]), As(ctx, u[arv.RoleTFC]), As(ctx, u[arv.RolePlanner])
	a1 := f.Officers["A1"].ID
	for _, tt := range []struct {
		name   string
		shots  []arv.NewDischarge
		counts bool
	}{
		{"carbine at a person", []arv.NewDischarge{shot(a1, arv.WeaponCarbine, true, arv.InjurySerious)}, true},
		{"two pistols at a person count once", []arv.NewDischarge{shot(a1, arv.WeaponPistol, true, arv.InjuryNone), shot(a1, arv.WeaponPistol, true, arv.InjuryMinor)}, true},
		{"AEP at a person is less lethal", []arv.NewDischarge{shot(a1, arv.WeaponAEP, true, arv.InjuryMinor)}, false},
		{"shotgun not at a person", []arv.NewDischarge{shot(a1, arv.WeaponShotgun, false, arv.InjuryNone)}, false},
		{"no discharge", nil, false},
	} {
		inc := armedIncident(t, s, itfc, f, "ARV1")
		for _, d := range tt.shots {
			must[*arv.Incident](t)(s.RecordDischarge(tfc, inc.ID, d))
		}
		must[*arv.Incident](t)(s.StandDown(tfc, inc.ID, arv.StandDown{Reason: tt.name}))
		clock.Advance(time.Hour)
	}
	ann := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, 2026))
	if ann.IncidentsDischargedAtPersons != 2 || ann.FirearmsOperations != 5 {
		t.Fatalf("annual return = %+v, want 2 incidents with firearms discharged at persons of 5 operations", ann)
	}
	if prev := must[*arv.AnnualReturn](t)(s.AnnualReturn(planner, 2025)); prev.IncidentsDischargedAtPersons != 0 {
		t.Fatalf("2025/26 return counts %d discharges", prev.IncidentsDischargedAtPersons)
	}
}
