package arvtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

// Who may decide and the command log (issue 12).

// commanderTickets is the ticket each commander role's officer holds.
var commanderTickets = map[arv.Role]arv.Accreditation{arv.RoleITFC: arv.AccITFC, arv.RoleTFC: arv.AccTFC, arv.RoleSFC: arv.AccSFC}

// Commanders links the ITFC, TFC and SFC users of users to officers
// holding that ticket from a year before now to a year after (created
// once per store, collars CMD-ITFC, CMD-TFC, CMD-SFC) and returns users.
func Commanders(tb testing.TB, s arv.Services, now time.Time, users map[arv.Role]*arv.User) map[arv.Role]*arv.User {
	tb.Helper()
	ctx := As(context.Background(), arv.SystemUser)
	all, err := s.FindOfficers(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for role, kind := range commanderTickets {
		u := users[role]
		if u == nil {
			continue
		}
		collar := "CMD-" + string(kind)
		for _, o := range all {
			if o.Collar == collar {
				u.OfficerID = o.ID
			}
		}
		if u.OfficerID == 0 {
			u.OfficerID = CommandOfficer(tb, s, collar, kind, arv.DateOf(now.AddDate(-1, 0, 0)), arv.DateOf(now.AddDate(1, 0, 0))).ID
		}
	}
	return users
}

// CommandOfficer creates an inspector holding kind from issued to
// expires.
func CommandOfficer(tb testing.TB, s arv.Services, collar string, kind arv.Accreditation, issued, expires arv.Date) *arv.Officer {
	tb.Helper()
	ctx := As(context.Background(), arv.SystemUser)
	o, err := s.CreateOfficer(ctx, arv.NewOfficer{Collar: collar, Name: "Insp " + collar, Rank: "Inspector"})
	if err != nil {
		tb.Fatalf("create officer: %v", err)
	}
	if o, err = s.AddAccreditation(ctx, o.ID, arv.NewAccreditation{Kind: kind, Issued: issued, Expires: expires}); err != nil {
		tb.Fatalf("accreditation: %v", err)
	}
	return o
}

func testWhoMayDecide(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	now := clock.Now()
	f := MustForce(t, s, now)
	admin := As(ctx, arv.SystemUser)
	yearAgo, yearOn := arv.DateOf(now.AddDate(-1, 0, 0)), arv.DateOf(now.AddDate(1, 0, 0))
	yesterday, tomorrow := arv.DateOf(now.AddDate(0, 0, -1)), arv.DateOf(now.AddDate(0, 0, 1))
	itfc := CommandOfficer(t, s, "I1", arv.AccITFC, yearAgo, yearOn)
	tfc := CommandOfficer(t, s, "T1", arv.AccTFC, yearAgo, yearOn)
	sfcA := CommandOfficer(t, s, "S1", arv.AccSFC, yearAgo, yearOn)
	sfcB := CommandOfficer(t, s, "S2", arv.AccSFC, yearAgo, yearOn)
	expired := CommandOfficer(t, s, "X1", arv.AccTFC, arv.DateOf(now.AddDate(-2, 0, 0)), yesterday)
	early := CommandOfficer(t, s, "E1", arv.AccITFC, tomorrow, yearOn)
	revoked := CommandOfficer(t, s, "R1", arv.AccITFC, yearAgo, yearOn)
	must[*arv.Officer](t)(s.RevokeAccreditation(admin, revoked.ID, revoked.Accreditations[0].ID))
	sfcExpired := CommandOfficer(t, s, "S3", arv.AccSFC, arv.DateOf(now.AddDate(-2, 0, 0)), yesterday)
	tfcOnly := CommandOfficer(t, s, "T2", arv.AccTFC, yearAgo, yearOn)
	// A suspended officer's authorisation is withdrawn, command tickets too.
	suspended := CommandOfficer(t, s, "S4", arv.AccSFC, yearAgo, yearOn)
	must[*arv.Officer](t)(s.RecordDuty(admin, suspended.ID, arv.NewDuty{Status: arv.DutySuspended, From: yesterday}))

	user := func(name string, role arv.Role, officer *arv.Officer) context.Context {
		u := &arv.User{ID: int64(len(name)) + 500, Username: name, Name: name, Role: role}
		if officer != nil {
			u.OfficerID = officer.ID
		}
		return As(ctx, u)
	}
	newIncident := func() int64 {
		return must[*arv.Incident](t)(s.CreateIncident(admin, arv.NewIncident{Position: near(Devizes, 2), Description: "Man with a gun"})).ID
	}

	// Authorising: an in-date ITFC, TFC or SFC ticket.
	for _, c := range []struct {
		name string
		as   context.Context
		want string // "" for success, else a part of the refusal
	}{
		{"ITFC in date", user("itfc.ok", arv.RoleITFC, itfc), ""},
		{"TFC in date", user("tfc.ok", arv.RoleTFC, tfc), ""},
		{"SFC in date", user("sfc.ok", arv.RoleSFC, sfcA), ""},
		{"not linked", user("itfc.nolink", arv.RoleITFC, nil), "You cannot authorise: your user is not linked to an officer"},
		{"expired", user("tfc.expired", arv.RoleTFC, expired), "You cannot authorise: your TFC accreditation expired on " + string(yesterday) + "."},
		{"not yet valid", user("itfc.early", arv.RoleITFC, early), "your ITFC accreditation is not valid until " + string(tomorrow)},
		{"revoked", user("itfc.revoked", arv.RoleITFC, revoked), "your ITFC accreditation was revoked"},
		{"wrong ticket", user("itfc.afo", arv.RoleITFC, f.Officers["A1"]), "no ITFC, TFC or SFC accreditation is recorded for PC A1 (A1)"},
		{"suspended", user("sfc.suspended", arv.RoleSFC, suspended), "You cannot authorise: you are suspended from " + string(yesterday) + " until further notice"},
	} {
		t.Run("authorise/"+c.name, func(t *testing.T) {
			id := newIncident()
			inc, err := s.Decide(c.as, id, Decision(true))
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if d := inc.Decisions[len(inc.Decisions)-1]; d.OfficerID == 0 || !strings.Contains(d.Officer, "Insp ") {
					t.Fatalf("decision officer = %d %q", d.OfficerID, d.Officer)
				}
				return
			}
			wantCode(t, err, arv.EFORBIDDEN, c.want)
			if got := must[*arv.Incident](t)(s.FindIncidentByID(admin, id)); len(got.Decisions) != 0 {
				t.Fatalf("refused decision recorded: %+v", got.Decisions)
			}
		})
	}

	// Ratifying: an in-date SFC ticket, and not one's own authorisation.
	for _, c := range []struct {
		name       string
		authoriser context.Context
		ratifier   context.Context
		want       string
	}{
		{"another SFC", user("itfc.ok", arv.RoleITFC, itfc), user("sfc.b", arv.RoleSFC, sfcB), ""},
		{"SFC ratifies an SFC", user("sfc.a", arv.RoleSFC, sfcA), user("sfc.b", arv.RoleSFC, sfcB), ""},
		{"own authorisation", user("sfc.a", arv.RoleSFC, sfcA), user("sfc.a", arv.RoleSFC, sfcA), arv.SelfRatificationRule},
		{"own officer, other user", user("sfc.a", arv.RoleSFC, sfcA), user("sfc.a2", arv.RoleSFC, sfcA), arv.SelfRatificationRule},
		{"expired SFC", user("itfc.ok", arv.RoleITFC, itfc), user("sfc.old", arv.RoleSFC, sfcExpired), "You cannot ratify: your SFC accreditation expired on " + string(yesterday) + "."},
		{"TFC ticket only", user("itfc.ok", arv.RoleITFC, itfc), user("sfc.tfc", arv.RoleSFC, tfcOnly), "no SFC accreditation is recorded for Insp T2 (T2)"},
		{"not linked", user("itfc.ok", arv.RoleITFC, itfc), user("sfc.nolink", arv.RoleSFC, nil), "your user is not linked to an officer"},
		{"suspended SFC", user("itfc.ok", arv.RoleITFC, itfc), user("sfc.suspended", arv.RoleSFC, suspended), "You cannot ratify: you are suspended from"},
	} {
		t.Run("ratify/"+c.name, func(t *testing.T) {
			id := newIncident()
			must[*arv.Incident](t)(s.Decide(c.authoriser, id, Decision(true)))
			inc, err := s.Ratify(c.ratifier, id, arv.RatificationRequest{Ratify: true, Rationale: "Proportionate."})
			if c.want == "" {
				if err != nil || inc.RatifiedAt == nil {
					t.Fatalf("ratify: %v", err)
				}
				return
			}
			wantCode(t, err, arv.EFORBIDDEN, c.want)
			if got := must[*arv.Incident](t)(s.FindIncidentByID(admin, id)); got.RatifiedAt != nil {
				t.Fatal("refused ratification recorded")
			}
		})
	}

	// Rescinding needs the SFC ticket too, but one's own authorisation
	// may be rescinded.
	id := newIncident()
	must[*arv.Incident](t)(s.Decide(user("sfc.a", arv.RoleSFC, sfcA), id, Decision(true)))
	_, err := s.Ratify(user("sfc.old", arv.RoleSFC, sfcExpired), id, arv.RatificationRequest{Ratify: false, Rationale: "No."})
	wantCode(t, err, arv.EFORBIDDEN, "You cannot rescind: your SFC accreditation expired")
	inc := must[*arv.Incident](t)(s.Ratify(user("sfc.a", arv.RoleSFC, sfcA), id, arv.RatificationRequest{Ratify: false, Rationale: "Threat withdrawn."}))
	if inc.Status != arv.IncidentStoodDown {
		t.Fatalf("own rescission: status %s", inc.Status)
	}

	// Linking users to officers.
	u := must[*arv.User](t)(s.CreateUser(admin, arv.NewUser{Username: "insp.shah", Name: "Insp Shah", Role: arv.RoleITFC, Password: "correct horse battery", OfficerID: itfc.ID}))
	if u.OfficerID != itfc.ID {
		t.Fatalf("created user officer %d, want %d", u.OfficerID, itfc.ID)
	}
	_, err = s.SetUserOfficer(user("itfc.ok", arv.RoleITFC, itfc), u.ID, tfc.ID)
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.SetUserOfficer(admin, u.ID, 99999)
	wantCode(t, err, arv.ENOTFOUND, "Officer 99999")
	_, err = s.SetUserOfficer(admin, 99999, tfc.ID)
	wantCode(t, err, arv.ENOTFOUND, "User 99999")
	_, err = s.CreateUser(admin, arv.NewUser{Username: "insp.x", Name: "X", Role: arv.RoleITFC, Password: "correct horse battery", OfficerID: 99999})
	wantCode(t, err, arv.ENOTFOUND, "Officer 99999")
	u = must[*arv.User](t)(s.SetUserOfficer(admin, u.ID, tfc.ID))
	if u.OfficerID != tfc.ID {
		t.Fatalf("linked officer %d, want %d", u.OfficerID, tfc.ID)
	}
	token, _ := must2(t)(s.CreateSession(admin, u.ID, time.Hour))
	su, _, err := s.FindSession(ctx, token)
	if err != nil || su.OfficerID != tfc.ID {
		t.Fatalf("session user %+v %v, want officer %d", su, err, tfc.ID)
	}
	u = must[*arv.User](t)(s.SetUserOfficer(admin, u.ID, 0))
	if u.OfficerID != 0 {
		t.Fatalf("unlinked user has officer %d", u.OfficerID)
	}
	if rep := must[*arv.AuditReport](t)(s.VerifyAudit(admin)); !rep.OK {
		t.Fatalf("audit chain broken: %+v", rep)
	}
}

func must2(t *testing.T) func(a, b string, err error) (string, string) {
	return func(a, b string, err error) (string, string) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}

func testReratification(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	MustForce(t, s, clock.Now())
	users := Commanders(t, s, clock.Now(), Users())
	itfc, sfc := As(ctx, users[arv.RoleITFC]), As(ctx, users[arv.RoleSFC])
	for _, c := range []struct {
		name    string
		limb    arv.Limb
		tactics string
		again   bool
	}{
		{"same ground and tactics", arv.LimbWeapon, "", false},
		{"same tactics, other spacing", arv.LimbWeapon, "  Contain  and call out.\n", false},
		{"ground changed", arv.LimbDangerous, "", true},
		{"tactics changed", arv.LimbWeapon, "Armed entry to the flat.", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			first := Decision(true)
			first.Tactics = "Contain and call out."
			inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Threats with a knife"}))
			must[*arv.Incident](t)(s.Decide(itfc, inc.ID, first))
			clock.Advance(5 * time.Minute)
			inc = must[*arv.Incident](t)(s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: true, Rationale: "Proportionate."}))
			ratified := *inc.RatifiedAt
			clock.Advance(20 * time.Minute)
			rev := first
			rev.Limb = c.limb
			if c.tactics != "" {
				rev.Tactics = c.tactics
			}
			inc = must[*arv.Incident](t)(s.Decide(itfc, inc.ID, rev))
			if !c.again {
				if inc.RatifiedAt == nil || !inc.RatifiedAt.Equal(ratified) {
					t.Fatalf("ratification lost: %v", inc.RatifiedAt)
				}
				return
			}
			if inc.RatifiedAt != nil {
				t.Fatalf("still ratified at %v after a revision", inc.RatifiedAt)
			}
			if want := clock.Now().Add(arv.DefaultRatifyWithin); inc.RatifyDue == nil || !inc.RatifyDue.Equal(want) {
				t.Fatalf("ratify due %v, want %v", inc.RatifyDue, want)
			}
			if n := countKind(inc.Decisions, arv.DecisionRatify); n != 1 {
				t.Fatalf("%d ratify decisions kept, want 1", n)
			}
			clock.Advance(arv.DefaultRatifyWithin + time.Minute)
			if a := find(must[[]arv.Alert](t)(s.Alerts(itfc)), arv.AlertRatificationOverdue); a == nil {
				t.Fatal("no overdue-ratification alert for the revised authorisation")
			}
			inc = must[*arv.Incident](t)(s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: true, Rationale: "Revised plan proportionate."}))
			if inc.RatifiedAt == nil || countKind(inc.Decisions, arv.DecisionRatify) != 2 {
				t.Fatalf("re-ratification: %+v", inc)
			}
			must[*arv.Incident](t)(s.StandDown(itfc, inc.ID, arv.StandDown{Reason: "done"}))
		})
	}

	// The decisions of one incident are bounded: revisions beyond
	// arv.MaxDecisions are refused, and a rescission is still taken.
	inc := must[*arv.Incident](t)(s.CreateIncident(itfc, arv.NewIncident{Position: near(Devizes, 1), Description: "Siege"}))
	for k := 0; k < arv.MaxDecisions; k++ {
		must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	}
	_, err := s.Decide(itfc, inc.ID, Decision(true))
	wantCode(t, err, arv.EINVALID, fmt.Sprintf("%d decisions", arv.MaxDecisions))
	inc = must[*arv.Incident](t)(s.Ratify(sfc, inc.ID, arv.RatificationRequest{Ratify: false, Rationale: "Threat over."}))
	if inc.Status != arv.IncidentStoodDown {
		t.Fatalf("rescission after the cap: status %s", inc.Status)
	}
}

func countKind(ds []arv.Decision, k arv.DecisionKind) int {
	n := 0
	for _, d := range ds {
		if d.Kind == k {
			n++
		}
	}
	return n
}

func testCommandLog(t *testing.T, open Opener) {
	b, clock, ctx := setup(t, open)
	s := b.Services
	now := clock.Now()
	MustForce(t, s, now)
	users := Commanders(t, s, now, Users())
	itfc, tfc, sfc, admin := As(ctx, users[arv.RoleITFC]), As(ctx, users[arv.RoleTFC]), As(ctx, users[arv.RoleSFC]), As(ctx, arv.SystemUser)
	handler := As(ctx, users[arv.RoleCallHandler])
	inc := must[*arv.Incident](t)(s.CreateIncident(handler, arv.NewIncident{Position: near(Devizes, 1), Description: "Shotgun seen"}))

	// The first authorising commander is in command by default.
	inc = must[*arv.Incident](t)(s.Decide(itfc, inc.ID, Decision(true)))
	if c := inc.Command.InCommand; c == nil || c.Commander != "itfc1" || c.Level != arv.AccITFC || c.From != "" || c.Officer != "Insp CMD-ITFC (CMD-ITFC)" {
		t.Fatalf("in command = %+v", c)
	}
	if d := inc.Decisions[0]; d.Officer != "Insp CMD-ITFC (CMD-ITFC)" {
		t.Fatalf("decision officer %q", d.Officer)
	}

	// Handovers ITFC -> TFC -> SFC, each from whom to whom.
	clock.Advance(4 * time.Minute)
	_, err := s.TakeCommand(handler, inc.ID, arv.TakeCommand{Level: arv.AccTFC})
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.TakeCommand(tfc, inc.ID, arv.TakeCommand{Level: "gold"})
	wantCode(t, err, arv.EINVALID, "ITFC, TFC or SFC")
	_, err = s.TakeCommand(tfc, inc.ID, arv.TakeCommand{Level: arv.AccSFC})
	wantCode(t, err, arv.EFORBIDDEN, "You cannot take command as SFC: no SFC accreditation is recorded for Insp CMD-TFC (CMD-TFC).")
	_, err = s.TakeCommand(tfc, inc.ID, arv.TakeCommand{Level: arv.AccTFC, Note: strings.Repeat("x", 2001)})
	wantCode(t, err, arv.EINVALID, "2000")
	inc = must[*arv.Incident](t)(s.TakeCommand(tfc, inc.ID, arv.TakeCommand{Level: arv.AccTFC, Note: "Cadre TFC on duty; ITFC briefed me."}))
	if c := inc.Command.InCommand; c.Commander != "tfc1" || c.Level != arv.AccTFC || c.From != "itfc1" || c.FromLevel != arv.AccITFC || !c.At.Equal(clock.Now()) {
		t.Fatalf("after handover to TFC: %+v", c)
	}
	_, err = s.TakeCommand(tfc, inc.ID, arv.TakeCommand{Level: arv.AccTFC})
	wantCode(t, err, arv.ECONFLICT, "already in command")
	clock.Advance(10 * time.Minute)
	inc = must[*arv.Incident](t)(s.TakeCommand(sfc, inc.ID, arv.TakeCommand{Level: arv.AccSFC}))
	if h := inc.Command.Handovers; len(h) != 3 || h[2].From != "tfc1" || h[2].Level != arv.AccSFC || inc.Command.InCommand.Commander != "sfc1" {
		t.Fatalf("handovers = %+v", h)
	}

	// Tactical advice: who, when, what; independent of command.
	consulted := clock.Now().Add(-3 * time.Minute)
	_, err = s.AddAdvice(itfc, inc.ID, arv.NewAdvice{Adviser: "PS Reid", Advice: "x", ConsultedAt: clock.Now().Add(time.Hour)})
	wantCode(t, err, arv.EINVALID, "The advice time", "GMT on", "is in the future")
	_, err = s.AddAdvice(itfc, inc.ID, arv.NewAdvice{Adviser: "PS Reid", Advice: "x", ConsultedAt: inc.CallAt.Add(-time.Hour)})
	wantCode(t, err, arv.EINVALID, "before the call")
	_, err = s.AddAdvice(itfc, inc.ID, arv.NewAdvice{Adviser: "", Advice: "x"})
	wantCode(t, err, arv.EINVALID, "tactical adviser")
	_, err = s.AddAdvice(itfc, inc.ID, arv.NewAdvice{Adviser: "Supt", AdviserOfficerID: users[arv.RoleSFC].OfficerID, Advice: "x"})
	wantCode(t, err, arv.EINVALID, "independent of the command structure")
	adviser := CommandOfficer(t, s, "TA1", arv.AccTFC, arv.DateOf(now.AddDate(-1, 0, 0)), arv.DateOf(now.AddDate(1, 0, 0)))
	inc = must[*arv.Incident](t)(s.AddAdvice(itfc, inc.ID, arv.NewAdvice{Adviser: "PS Reid (tactical adviser)", AdviserOfficerID: adviser.ID,
		ConsultedAt: consulted, Advice: "Contain from the north; ARV to hold at the junction; negotiator on standby."}))
	if a := inc.Command.Advice; len(a) != 1 || a[0].Adviser != "PS Reid (tactical adviser)" || !a[0].ConsultedAt.Equal(consulted) || a[0].RecordedBy != "itfc1" || a[0].AdviserOfficerID != adviser.ID {
		t.Fatalf("advice = %+v", a)
	}

	// The SFC's working strategy and tactical parameters, revisions kept.
	_, err = s.SetStrategy(tfc, inc.ID, arv.NewStrategy{Strategy: "s", Parameters: "p"})
	wantCode(t, err, arv.EFORBIDDEN)
	_, err = s.SetStrategy(sfc, inc.ID, arv.NewStrategy{Strategy: "Protect the public", Parameters: " "})
	wantCode(t, err, arv.EINVALID, "tactical parameters")
	inc = must[*arv.Incident](t)(s.SetStrategy(sfc, inc.ID, arv.NewStrategy{Strategy: "Locate, contain and arrest the man safely.", Parameters: "No armed entry without SFC approval."}))
	clock.Advance(5 * time.Minute)
	inc = must[*arv.Incident](t)(s.SetStrategy(sfc, inc.ID, arv.NewStrategy{Strategy: "Contain and negotiate.", Parameters: "Armed entry only to save life."}))
	lg := inc.Command
	if len(lg.Strategies) != 2 || lg.Strategy == nil || lg.Strategy.Revision != 2 || lg.Strategy.Strategy != "Contain and negotiate." ||
		lg.Strategies[0].Revision != 1 || lg.Strategies[0].Parameters != "No armed entry without SFC approval." || lg.Strategy.By != "sfc1" {
		t.Fatalf("strategy = %+v", lg)
	}
	// A ticket that lapses stops the commander taking command.
	lapsed := CommandOfficer(t, s, "L1", arv.AccTFC, arv.DateOf(now.AddDate(-2, 0, 0)), arv.DateOf(now.AddDate(0, 0, -1)))
	lu := &arv.User{ID: 900, Username: "tfc.lapsed", Role: arv.RoleTFC, OfficerID: lapsed.ID}
	_, err = s.TakeCommand(As(ctx, lu), inc.ID, arv.TakeCommand{Level: arv.AccTFC})
	wantCode(t, err, arv.EFORBIDDEN, fmt.Sprintf("You cannot take command as TFC: your TFC accreditation expired on %s.", arv.DateOf(now.AddDate(0, 0, -1))))

	// Read back, and closed after stand-down.
	got := must[*arv.Incident](t)(s.FindIncidentByID(handler, inc.ID))
	if len(got.Command.Handovers) != 3 || len(got.Command.Advice) != 1 || len(got.Command.Strategies) != 2 {
		t.Fatalf("read back = %+v", got.Command)
	}
	must[*arv.Incident](t)(s.StandDown(itfc, inc.ID, arv.StandDown{Reason: "Arrested."}))
	_, err = s.TakeCommand(tfc, inc.ID, arv.TakeCommand{Level: arv.AccTFC})
	wantCode(t, err, arv.ECONFLICT, "stood down")
	_, err = s.SetStrategy(sfc, inc.ID, arv.NewStrategy{Strategy: "s", Parameters: "p"})
	wantCode(t, err, arv.ECONFLICT, "stood down")
	_, err = s.TakeCommand(tfc, 99999, arv.TakeCommand{Level: arv.AccTFC})
	wantCode(t, err, arv.ENOTFOUND)
	if rep := must[*arv.AuditReport](t)(s.VerifyAudit(admin)); !rep.OK {
		t.Fatalf("audit chain broken: %+v", rep)
	}
	var actions []string
	for _, e := range must[[]*arv.AuditEntry](t)(s.FindAudit(admin, arv.AuditFilter{Entity: fmt.Sprintf("incident/%d", inc.ID)})) {
		actions = append(actions, e.Action)
	}
	for _, a := range []string{"incident.command", "incident.advice", "incident.strategy"} {
		if !strings.Contains(strings.Join(actions, " "), a) {
			t.Fatalf("audit of incident has %v, want %s", actions, a)
		}
	}
}
