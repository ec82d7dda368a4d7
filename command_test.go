package arv_test

import (
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

func TestCheckCommander(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	rec := func(kind arv.Accreditation, issued, expires arv.Date, revoked bool) arv.AccreditationRecord {
		return arv.AccreditationRecord{Kind: kind, Issued: issued, Expires: expires, Revoked: revoked}
	}
	officer := func(recs ...arv.AccreditationRecord) *arv.Officer {
		return &arv.Officer{ID: 7, Name: "PC Smith", Collar: "1234", Accreditations: recs}
	}
	suspended := func(o *arv.Officer, from, to arv.Date) *arv.Officer {
		o.Duty = []arv.DutyRecord{{ID: 1, Status: arv.DutySuspended, From: from, To: to}}
		return o
	}
	itfc := &arv.User{Username: "insp.shah", Role: arv.RoleITFC, OfficerID: 7}
	sfc := &arv.User{Username: "supt.morgan", Role: arv.RoleSFC, OfficerID: 7}
	for _, c := range []struct {
		name  string
		u     *arv.User
		o     *arv.Officer
		kinds []arv.Accreditation
		want  arv.Accreditation
		err   string
	}{
		{"ITFC in date", itfc, officer(rec(arv.AccITFC, "2025-01-01", "2027-01-01", false)), arv.DefaultAuthorisers, arv.AccITFC, ""},
		{"valid on its expiry day", itfc, officer(rec(arv.AccTFC, "2025-01-01", "2026-11-26", false)), arv.DefaultAuthorisers, arv.AccTFC, ""},
		{"role's ticket preferred", itfc, officer(rec(arv.AccITFC, "2025-01-01", "2027-01-01", false), rec(arv.AccSFC, "2025-01-01", "2027-01-01", false)), arv.DefaultAuthorisers, arv.AccITFC, ""},
		{"system user exempt", arv.SystemUser, nil, arv.Ratifiers, "", ""},
		{"not linked", itfc, nil, arv.DefaultAuthorisers, "", "You cannot authorise: your user is not linked to an officer"},
		{"expired", itfc, officer(rec(arv.AccTFC, "2024-01-01", "2026-11-25", false)), arv.DefaultAuthorisers, "", "You cannot authorise: your TFC accreditation expired on 2026-11-25."},
		{"not yet valid", itfc, officer(rec(arv.AccITFC, "2026-12-01", "2027-12-01", false)), arv.DefaultAuthorisers, "", "your ITFC accreditation is not valid until 2026-12-01."},
		{"revoked", itfc, officer(rec(arv.AccITFC, "2025-01-01", "2027-01-01", true)), arv.DefaultAuthorisers, "", "your ITFC accreditation was revoked."},
		{"wrong ticket", itfc, officer(rec(arv.AccAFO, "2025-01-01", "2027-01-01", false)), arv.DefaultAuthorisers, "", "no ITFC, TFC or SFC accreditation is recorded for PC Smith (1234)."},
		{"narrowed setting", itfc, officer(rec(arv.AccITFC, "2025-01-01", "2027-01-01", false)), []arv.Accreditation{arv.AccTFC, arv.AccSFC}, "", "no TFC or SFC accreditation is recorded"},
		{"ratify needs SFC", sfc, officer(rec(arv.AccTFC, "2025-01-01", "2027-01-01", false)), arv.Ratifiers, "", "no SFC accreditation is recorded for PC Smith (1234)."},
		{"SFC ratifies", sfc, officer(rec(arv.AccSFC, "2025-01-01", "2027-01-01", false)), arv.Ratifiers, arv.AccSFC, ""},
		{"suspended SFC", sfc, suspended(officer(rec(arv.AccSFC, "2025-01-01", "2027-01-01", false)), "2026-11-20", ""), arv.Ratifiers, "",
			"You cannot authorise: you are suspended from 2026-11-20 until further notice"},
		{"suspension ended", sfc, suspended(officer(rec(arv.AccSFC, "2025-01-01", "2027-01-01", false)), "2026-11-20", "2026-11-25"), arv.Ratifiers, arv.AccSFC, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			doing := "authorise"
			got, err := arv.CheckCommander(c.u, c.o, c.kinds, at, doing)
			if c.err == "" {
				if err != nil || got != c.want {
					t.Fatalf("got %q %v, want %q", got, err, c.want)
				}
				return
			}
			if arv.ErrorCode(err) != arv.EFORBIDDEN || !strings.Contains(arv.ErrorMessage(err), c.err) {
				t.Fatalf("error %v, want forbidden with %q", err, c.err)
			}
		})
	}
}

func TestSelfRatification(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	auth := func(by string, officer int64) arv.Decision {
		return arv.Decision{Kind: arv.DecisionAuthorisation, Authorised: true, By: by, OfficerID: officer, At: at, Limb: arv.LimbWeapon, Tactics: "contain"}
	}
	ratify := arv.Decision{Kind: arv.DecisionRatify, By: "sfc.b", OfficerID: 9}
	sfcA := &arv.User{Username: "sfc.a", Role: arv.RoleSFC, OfficerID: 8}
	for _, c := range []struct {
		name      string
		decisions []arv.Decision
		u         *arv.User
		refused   bool
	}{
		{"another's authorisation", []arv.Decision{auth("itfc", 3)}, sfcA, false},
		{"own authorisation", []arv.Decision{auth("sfc.a", 8)}, sfcA, true},
		{"own officer under another user", []arv.Decision{auth("sfc.other", 8)}, sfcA, true},
		{"own revision among others", []arv.Decision{auth("itfc", 3), auth("sfc.a", 8)}, sfcA, true},
		{"own authorisation already ratified by another", []arv.Decision{auth("sfc.a", 8), ratify, auth("itfc", 3)}, sfcA, false},
		{"a refusal is no authorisation", []arv.Decision{{Kind: arv.DecisionAuthorisation, By: "sfc.a", OfficerID: 8}, auth("itfc", 3)}, sfcA, false},
		{"system user", []arv.Decision{auth("system", 0)}, arv.SystemUser, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			i := &arv.Incident{ID: 4, Decisions: c.decisions}
			err := arv.CheckNotOwnAuthorisation(c.u, c.u.OfficerID, i)
			if !c.refused {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if arv.ErrorCode(err) != arv.EFORBIDDEN || !strings.HasPrefix(arv.ErrorMessage(err), arv.SelfRatificationRule) {
				t.Fatalf("error %v, want the rule", err)
			}
		})
	}
}

func TestNeedsRatificationAgain(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	ratified := &arv.Incident{RatifiedAt: &now, Decisions: []arv.Decision{
		{Kind: arv.DecisionAuthorisation, Authorised: true, Limb: arv.LimbWeapon, Tactics: "Contain and call out."},
		{Kind: arv.DecisionRatify, Authorised: true}}}
	unratified := &arv.Incident{Decisions: ratified.Decisions[:1]}
	for _, c := range []struct {
		name string
		i    *arv.Incident
		d    arv.DecisionRequest
		want bool
	}{
		{"no change", ratified, arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon, Tactics: "Contain and call out."}, false},
		{"spacing only", ratified, arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon, Tactics: " Contain and\ncall out. "}, false},
		{"ground changed", ratified, arv.DecisionRequest{Authorised: true, Limb: arv.LimbDangerous, Tactics: "Contain and call out."}, true},
		{"tactics changed", ratified, arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon, Tactics: "Armed entry."}, true},
		{"not yet ratified", unratified, arv.DecisionRequest{Authorised: true, Limb: arv.LimbDangerous, Tactics: "Armed entry."}, false},
	} {
		if got := arv.NeedsRatificationAgain(c.i, c.d); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestParseAccreditations(t *testing.T) {
	got, err := arv.ParseAccreditations("TFC, SFC,TFC")
	if err != nil || len(got) != 2 || got[0] != arv.AccTFC || got[1] != arv.AccSFC {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"", "AFO", "TFC,gold"} {
		if _, err := arv.ParseAccreditations(bad); arv.ErrorCode(err) != arv.EINVALID {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}

func TestCommandRequestsValidate(t *testing.T) {
	long := strings.Repeat("x", 8001)
	for _, c := range []struct {
		name string
		err  error
	}{
		{"level", (&arv.TakeCommand{Level: "gold"}).Validate()},
		{"note", (&arv.TakeCommand{Level: arv.AccTFC, Note: strings.Repeat("n", 2001)}).Validate()},
		{"adviser", (&arv.NewAdvice{Adviser: "a\nb", Advice: "x"}).Validate()},
		{"advice", (&arv.NewAdvice{Adviser: "PS Reid", Advice: long}).Validate()},
		{"adviser officer", (&arv.NewAdvice{Adviser: "PS Reid", Advice: "x", AdviserOfficerID: -1}).Validate()},
		{"strategy", (&arv.NewStrategy{Strategy: " ", Parameters: "p"}).Validate()},
		{"parameters", (&arv.NewStrategy{Strategy: "s", Parameters: long}).Validate()},
	} {
		if arv.ErrorCode(c.err) != arv.EINVALID {
			t.Errorf("%s: %v, want invalid", c.name, c.err)
		}
	}
	if err := (&arv.TakeCommand{Level: arv.AccITFC}).Validate(); err != nil {
		t.Error(err)
	}
}
