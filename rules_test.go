package arv_test

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// mustTime parses an RFC 3339 time or fails the test.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

// allActions is the permission table's actions, written out so that an
// action added without a stance in this test fails TestActionsListed.
var allActions = []arv.Action{
	arv.ActionViewOperations, arv.ActionRecordIncident, arv.ActionDecide,
	arv.ActionRatify, arv.ActionDispatch, arv.ActionReportUnit,
	arv.ActionSelfDeploy, arv.ActionCheckIn, arv.ActionViewOfficers,
	arv.ActionManageRoster, arv.ActionManageOfficers, arv.ActionManageUnits,
	arv.ActionManageUsers, arv.ActionViewAudit, arv.ActionViewReturns,
	arv.ActionViewPlanning,
	arv.ActionSetStrategy,
	arv.ActionSubmitReturns,
}

// wantPermitted is the permission table written from the command chain
// (APP): the call handler records incidents but cannot decide; the
// (initial) tactical firearms commanders decide, dispatch and may record;
// only the strategic firearms commander ratifies; armed officers report
// status, check in and self-deploy; administrators manage users, officers
// and units but neither decide nor ratify; planners manage rosters and see
// returns and planning.
var wantPermitted = map[arv.Role][]arv.Action{
	arv.RoleCallHandler: {
		arv.ActionViewOperations, arv.ActionRecordIncident,
	},
	arv.RoleITFC: {
		arv.ActionViewOperations, arv.ActionRecordIncident, arv.ActionDecide,
		arv.ActionDispatch, arv.ActionReportUnit, arv.ActionCheckIn,
		arv.ActionViewOfficers,
	},
	arv.RoleTFC: {
		arv.ActionViewOperations, arv.ActionRecordIncident, arv.ActionDecide,
		arv.ActionDispatch, arv.ActionReportUnit, arv.ActionCheckIn,
		arv.ActionViewOfficers,
	},
	arv.RoleSFC: {
		arv.ActionViewOperations, arv.ActionDecide, arv.ActionRatify,
		arv.ActionViewOfficers, arv.ActionViewAudit, arv.ActionViewReturns,
		arv.ActionViewPlanning,
		arv.ActionSetStrategy, // command.go: the SFC sets the strategy
		arv.ActionSubmitReturns,
	},
	arv.RoleArmedOfficer: {
		arv.ActionViewOperations, arv.ActionReportUnit, arv.ActionSelfDeploy,
		arv.ActionCheckIn, arv.ActionViewOfficers,
	},
	arv.RolePlanner: {
		arv.ActionViewOperations, arv.ActionViewOfficers, arv.ActionManageRoster,
		arv.ActionViewAudit, arv.ActionViewReturns, arv.ActionViewPlanning,
	},
	arv.RoleAdministrator: {
		arv.ActionViewOperations, arv.ActionViewOfficers, arv.ActionManageRoster,
		arv.ActionManageOfficers, arv.ActionManageUnits, arv.ActionManageUsers,
		arv.ActionViewAudit, arv.ActionViewReturns, arv.ActionViewPlanning,
		arv.ActionSubmitReturns,
	},
}

func TestActionsListed(t *testing.T) {
	got := arv.Actions()
	want := slices.Clone(allActions)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Actions() = %q, want %q", got, want)
	}
	if got, want := len(arv.Roles), len(wantPermitted); got != want {
		t.Errorf("len(Roles) = %d, want %d roles in the test table", got, want)
	}
	for _, r := range arv.Roles {
		if _, ok := wantPermitted[r]; !ok {
			t.Errorf("role %q has no row in the test table", r)
		}
	}
}

func TestPermitted(t *testing.T) {
	for _, role := range arv.Roles {
		for _, action := range allActions {
			want := slices.Contains(wantPermitted[role], action)
			if got := arv.Permitted(role, action); got != want {
				t.Errorf("Permitted(%s, %q) = %t, want %t", role, action, got, want)
			}
		}
	}
}

func TestPermittedChainOfCommand(t *testing.T) {
	// The rules of the command chain stated one by one, so that a failure
	// names the rule broken.
	cases := []struct {
		rule   string
		role   arv.Role
		action arv.Action
		want   bool
	}{
		{"call handler records incidents", arv.RoleCallHandler, arv.ActionRecordIncident, true},
		{"call handler cannot decide", arv.RoleCallHandler, arv.ActionDecide, false},
		{"call handler cannot dispatch", arv.RoleCallHandler, arv.ActionDispatch, false},
		{"call handler cannot ratify", arv.RoleCallHandler, arv.ActionRatify, false},
		{"ITFC decides", arv.RoleITFC, arv.ActionDecide, true},
		{"ITFC cannot ratify", arv.RoleITFC, arv.ActionRatify, false},
		{"TFC decides", arv.RoleTFC, arv.ActionDecide, true},
		{"TFC cannot ratify", arv.RoleTFC, arv.ActionRatify, false},
		{"SFC ratifies", arv.RoleSFC, arv.ActionRatify, true},
		{"armed officer cannot ratify", arv.RoleArmedOfficer, arv.ActionRatify, false},
		{"armed officer self-deploys", arv.RoleArmedOfficer, arv.ActionSelfDeploy, true},
		{"armed officer reports status", arv.RoleArmedOfficer, arv.ActionReportUnit, true},
		{"armed officer cannot decide", arv.RoleArmedOfficer, arv.ActionDecide, false},
		{"armed officer cannot record incidents", arv.RoleArmedOfficer, arv.ActionRecordIncident, false},
		{"commanders do not self-deploy", arv.RoleTFC, arv.ActionSelfDeploy, false},
		{"administrator manages users", arv.RoleAdministrator, arv.ActionManageUsers, true},
		{"administrator manages officers", arv.RoleAdministrator, arv.ActionManageOfficers, true},
		{"administrator manages units", arv.RoleAdministrator, arv.ActionManageUnits, true},
		{"administrator cannot decide", arv.RoleAdministrator, arv.ActionDecide, false},
		{"administrator cannot ratify", arv.RoleAdministrator, arv.ActionRatify, false},
		{"administrator cannot dispatch", arv.RoleAdministrator, arv.ActionDispatch, false},
		{"planner manages rosters", arv.RolePlanner, arv.ActionManageRoster, true},
		{"planner views returns", arv.RolePlanner, arv.ActionViewReturns, true},
		{"planner may not submit the return", arv.RolePlanner, arv.ActionSubmitReturns, false},
		{"SFC submits the return", arv.RoleSFC, arv.ActionSubmitReturns, true},
		{"planner cannot manage users", arv.RolePlanner, arv.ActionManageUsers, false},
		{"planner cannot decide", arv.RolePlanner, arv.ActionDecide, false},
		{"unknown role gets nothing", arv.Role("chief_constable"), arv.ActionViewOperations, false},
		{"empty role gets nothing", arv.Role(""), arv.ActionViewOperations, false},
		{"unknown action is refused", arv.RoleAdministrator, arv.Action("launch missiles"), false},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			if got := arv.Permitted(tc.role, tc.action); got != tc.want {
				t.Errorf("Permitted(%q, %q) = %t, want %t", tc.role, tc.action, got, tc.want)
			}
		})
	}
}

func TestRoleValid(t *testing.T) {
	for _, r := range arv.Roles {
		if !r.Valid() {
			t.Errorf("%q.Valid() = false", r)
		}
		if r.Title() == string(r) {
			t.Errorf("%q has no title", r)
		}
	}
	for _, r := range []arv.Role{"", "admin", "SFC", "sfc "} {
		if r.Valid() {
			t.Errorf("%q.Valid() = true", r)
		}
	}
}

func TestAuthorize(t *testing.T) {
	callHandler := &arv.User{ID: 1, Username: "ch1", Name: "Call Handler", Role: arv.RoleCallHandler}
	sfc := &arv.User{ID: 2, Username: "sfc1", Name: "Strategic", Role: arv.RoleSFC}
	admin := &arv.User{ID: 3, Username: "admin1", Name: "Admin", Role: arv.RoleAdministrator}
	// A user that looks like the system user is not it: the exemption is
	// by identity, not by name.
	impostor := &arv.User{ID: 0, Username: "system", Name: "arv", Role: arv.RoleAdministrator}
	cases := []struct {
		name     string
		ctx      context.Context
		action   arv.Action
		wantCode string // "" for allowed
		wantUser *arv.User
		wantMsg  []string // substrings of the message
	}{
		{"no user", context.Background(), arv.ActionViewOperations, arv.EUNAUTHORIZED, nil, nil},
		{"nil user", arv.NewContextWithUser(context.Background(), nil), arv.ActionViewOperations, arv.EUNAUTHORIZED, nil, nil},
		{"call handler records", arv.NewContextWithUser(context.Background(), callHandler), arv.ActionRecordIncident, "", callHandler, nil},
		{"call handler decides", arv.NewContextWithUser(context.Background(), callHandler), arv.ActionDecide, arv.EFORBIDDEN, nil,
			[]string{"call handler", string(arv.ActionDecide)}},
		{"sfc ratifies", arv.NewContextWithUser(context.Background(), sfc), arv.ActionRatify, "", sfc, nil},
		{"sfc manages users", arv.NewContextWithUser(context.Background(), sfc), arv.ActionManageUsers, arv.EFORBIDDEN, nil,
			[]string{"strategic firearms commander"}},
		{"administrator ratifies", arv.NewContextWithUser(context.Background(), admin), arv.ActionRatify, arv.EFORBIDDEN, nil,
			[]string{"administrator"}},
		{"impostor of the system user ratifies", arv.NewContextWithUser(context.Background(), impostor), arv.ActionRatify, arv.EFORBIDDEN, nil,
			[]string{"administrator"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := arv.Authorize(tc.ctx, tc.action)
			if got, want := arv.ErrorCode(err), tc.wantCode; got != want {
				t.Fatalf("Authorize: code %q (%v), want %q", got, err, want)
			}
			if u != tc.wantUser {
				t.Errorf("Authorize: user %v, want %v", u, tc.wantUser)
			}
			for _, s := range tc.wantMsg {
				if msg := arv.ErrorMessage(err); !strings.Contains(msg, s) {
					t.Errorf("message %q does not contain %q", msg, s)
				}
			}
		})
	}

	t.Run("system user", func(t *testing.T) {
		ctx := arv.NewContextWithUser(context.Background(), arv.SystemUser)
		for _, a := range append(slices.Clone(allActions), arv.Action("unlisted action")) {
			u, err := arv.Authorize(ctx, a)
			if err != nil {
				t.Errorf("Authorize(system, %q) = %v", a, err)
			}
			if u != arv.SystemUser {
				t.Errorf("Authorize(system, %q) user = %v", a, u)
			}
		}
	})

	t.Run("every role and action", func(t *testing.T) {
		for _, role := range arv.Roles {
			u := &arv.User{Username: "u", Role: role}
			ctx := arv.NewContextWithUser(context.Background(), u)
			for _, a := range allActions {
				_, err := arv.Authorize(ctx, a)
				want := ""
				if !slices.Contains(wantPermitted[role], a) {
					want = arv.EFORBIDDEN
				}
				if got := arv.ErrorCode(err); got != want {
					t.Errorf("Authorize(%s, %q) code %q, want %q", role, a, got, want)
				}
				if err != nil && !strings.Contains(strings.ToLower(arv.ErrorMessage(err)), strings.ToLower(role.Title())) {
					t.Errorf("Authorize(%s, %q) message %q does not name the role", role, a, arv.ErrorMessage(err))
				}
			}
		}
	})
}

func TestUserFromContext(t *testing.T) {
	if u := arv.UserFromContext(context.Background()); u != nil {
		t.Errorf("UserFromContext(empty) = %v, want nil", u)
	}
	want := &arv.User{Username: "x"}
	if got := arv.UserFromContext(arv.NewContextWithUser(context.Background(), want)); got != want {
		t.Errorf("UserFromContext = %v, want %v", got, want)
	}
}

// crewOfficer returns an officer who may crew an ARV on 2026-03-10: AFO
// and ARV current, fitness passed on 2025-06-01.
func crewOfficer() *arv.Officer {
	return &arv.Officer{
		ID: 7, Collar: "AB123", Name: "Pat Jones",
		Accreditations: []arv.AccreditationRecord{
			{ID: 1, Kind: arv.AccAFO, Issued: "2025-01-01", Expires: "2026-12-31"},
			{ID: 2, Kind: arv.AccARV, Issued: "2025-01-01", Expires: "2026-12-31"},
		},
		Fitness: []arv.FitnessTest{{ID: 1, Taken: "2025-06-01", Passed: true}},
	}
}

// withAcc returns crewOfficer with its record of kind replaced by recs.
func withAcc(kind arv.Accreditation, recs ...arv.AccreditationRecord) *arv.Officer {
	o := crewOfficer()
	o.Accreditations = slices.DeleteFunc(o.Accreditations, func(a arv.AccreditationRecord) bool { return a.Kind == kind })
	o.Accreditations = append(o.Accreditations, recs...)
	return o
}

func withFitness(tests ...arv.FitnessTest) *arv.Officer {
	o := crewOfficer()
	o.Fitness = tests
	return o
}

func TestCheckARVCrew(t *testing.T) {
	noon := mustTime(t, "2026-03-10T12:00:00Z")
	cases := []struct {
		name    string
		officer *arv.Officer
		at      time.Time
		wantErr []string // substrings of the message; nil for no error
	}{
		{"valid", crewOfficer(), noon, nil},
		{"ARV expired yesterday", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-09"}),
			noon, []string{"ARV", "2026-03-09", "expired", "Pat Jones", "AB123"}},
		{"AFO expired yesterday", withAcc(arv.AccAFO, arv.AccreditationRecord{Kind: arv.AccAFO, Issued: "2025-03-10", Expires: "2026-03-09"}),
			noon, []string{"AFO", "2026-03-09"}},
		{"ARV expires today, noon", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-10"}),
			noon, nil},
		{"ARV expires today, 23:59:59", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-10"}),
			mustTime(t, "2026-03-10T23:59:59Z"), nil},
		{"ARV expired, 00:00 next day", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-10"}),
			mustTime(t, "2026-03-11T00:00:00Z"), []string{"ARV", "2026-03-10", "expired"}},
		{"expiry day is a UTC day", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-10"}),
			mustTime(t, "2026-03-11T00:30:00+01:00"), nil},
		{"ARV not yet issued", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-11", Expires: "2027-03-10"}),
			noon, []string{"ARV", "2026-03-11"}},
		{"ARV issued today", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-10", Expires: "2027-03-09"}),
			mustTime(t, "2026-03-10T00:00:00Z"), nil},
		{"ARV issued today, a second before", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-10", Expires: "2027-03-09"}),
			mustTime(t, "2026-03-09T23:59:59Z"), []string{"ARV", "2026-03-10"}},
		{"no ARV", withAcc(arv.AccARV), noon, []string{"ARV"}},
		{"no AFO", withAcc(arv.AccAFO), noon, []string{"AFO"}},
		{"SFO is not ARV", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccSFO, Issued: "2025-01-01", Expires: "2027-01-01"}),
			noon, []string{"ARV"}},
		{"revoked ARV does not count", withAcc(arv.AccARV, arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-01-01", Expires: "2027-01-01", Revoked: true}),
			noon, []string{"ARV"}},
		{"revoked ARV ignored, older expired one named",
			withAcc(arv.AccARV,
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2024-01-01", Expires: "2025-12-31"},
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-01-01", Expires: "2027-01-01", Revoked: true}),
			noon, []string{"ARV", "2025-12-31", "expired"}},
		{"renewed ARV counts",
			withAcc(arv.AccARV,
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2024-03-10", Expires: "2025-03-09"},
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-09"},
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-10", Expires: "2027-03-09"}),
			noon, nil},
		{"renewed ARV counts, listed first",
			withAcc(arv.AccARV,
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-10", Expires: "2027-03-09"},
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-10", Expires: "2026-03-09"}),
			noon, nil},
		{"current ARV counts beside a future renewal",
			withAcc(arv.AccARV,
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-20", Expires: "2026-03-19"},
				arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-20", Expires: "2027-03-19"}),
			noon, nil},
		{"lapsed ARV with a future renewal", withAcc(arv.AccARV,
			arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2025-03-01", Expires: "2026-03-01"},
			arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2026-03-20", Expires: "2027-03-19"}),
			noon, []string{"ARV", "2026-03-20"}},
		{"no fitness", withFitness(), noon, []string{"fitness"}},
		{"failed fitness only", withFitness(arv.FitnessTest{Taken: "2026-01-01", Passed: false}), noon, []string{"fitness"}},
		{"fitness day 364, last second", withFitness(arv.FitnessTest{Taken: "2025-03-10", Passed: true}),
			mustTime(t, "2026-03-09T23:59:59Z"), nil},
		{"fitness lapsed exactly 365 days after", withFitness(arv.FitnessTest{Taken: "2025-03-10", Passed: true}),
			mustTime(t, "2026-03-10T00:00:00Z"), []string{"fitness", "2026-03-10", "2025-03-10"}},
		{"fitness renewed", withFitness(
			arv.FitnessTest{Taken: "2024-03-01", Passed: true},
			arv.FitnessTest{Taken: "2025-09-01", Passed: true},
			arv.FitnessTest{Taken: "2025-02-01", Passed: true}),
			noon, nil},
		{"fitness: a failed test stops deployment", withFitness(
			arv.FitnessTest{Taken: "2025-03-01", Passed: true},
			arv.FitnessTest{Taken: "2026-03-05", Passed: false}),
			noon, []string{"failed the fitness test on 2026-03-05"}},
		{"fitness: a pass after a fail restores it", withFitness(
			arv.FitnessTest{Taken: "2026-03-01", Passed: false},
			arv.FitnessTest{Taken: "2026-03-05", Passed: true}),
			noon, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.officer.CheckARVCrew(tc.at)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("CheckARVCrew(%s) = %v, want nil", tc.at, err)
				}
				return
			}
			if got, want := arv.ErrorCode(err), arv.EINVALID; got != want {
				t.Fatalf("CheckARVCrew(%s) code %q (%v), want %q", tc.at, got, err, want)
			}
			for _, s := range tc.wantErr {
				if msg := arv.ErrorMessage(err); !strings.Contains(msg, s) {
					t.Errorf("message %q does not contain %q", msg, s)
				}
			}
		})
	}
}

func TestReminders(t *testing.T) {
	const today = arv.Date("2026-03-10")
	day := func(n int) arv.Date { return arv.DateOf(today.Time().AddDate(0, 0, n)) }
	onlyARV := func(recs ...arv.AccreditationRecord) *arv.Officer {
		return &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee", Accreditations: recs}
	}
	arvExp := func(n int) arv.AccreditationRecord {
		return arv.AccreditationRecord{Kind: arv.AccARV, Issued: "2024-01-01", Expires: day(n)}
	}
	type rem struct {
		what     string
		expires  arv.Date
		daysLeft int
		stage    int
	}
	cases := []struct {
		name    string
		officer *arv.Officer
		want    []rem
	}{
		{"31 days ahead: nothing", onlyARV(arvExp(31)), nil},
		{"30 days ahead", onlyARV(arvExp(30)), []rem{{"ARV", day(30), 30, 30}}},
		{"15 days ahead", onlyARV(arvExp(15)), []rem{{"ARV", day(15), 15, 30}}},
		{"14 days ahead", onlyARV(arvExp(14)), []rem{{"ARV", day(14), 14, 14}}},
		{"8 days ahead", onlyARV(arvExp(8)), []rem{{"ARV", day(8), 8, 14}}},
		{"7 days ahead", onlyARV(arvExp(7)), []rem{{"ARV", day(7), 7, 7}}},
		{"1 day ahead", onlyARV(arvExp(1)), []rem{{"ARV", day(1), 1, 7}}},
		{"expires today", onlyARV(arvExp(0)), []rem{{"ARV", day(0), 0, 7}}},
		{"lapsed yesterday", onlyARV(arvExp(-1)), []rem{{"ARV", day(-1), -1, 0}}},
		{"lapsed 30 days ago", onlyARV(arvExp(-30)), []rem{{"ARV", day(-30), -30, 0}}},
		{"lapsed more than 30 days ago: nothing", onlyARV(arvExp(-31)), nil},
		{"long lapsed: nothing", onlyARV(arvExp(-400)), nil},
		{"renewed: nothing", onlyARV(arvExp(5), arv.AccreditationRecord{Kind: arv.AccARV, Issued: day(6), Expires: day(370)}), nil},
		{"revoked renewal ignored", onlyARV(arvExp(5), arv.AccreditationRecord{Kind: arv.AccARV, Issued: day(-10), Expires: day(370), Revoked: true}),
			[]rem{{"ARV", day(5), 5, 7}}},
		{"two kinds", onlyARV(arvExp(20), arv.AccreditationRecord{Kind: arv.AccTaser, Issued: "2024-01-01", Expires: day(10)}),
			[]rem{{"ARV", day(20), 20, 30}, {"Taser", day(10), 10, 14}}},
		{"fitness for an AFO", &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee",
			Accreditations: []arv.AccreditationRecord{{Kind: arv.AccAFO, Issued: "2024-01-01", Expires: day(300)}},
			// Taken 365 days before day(10): the last valid day is day(9).
			Fitness: []arv.FitnessTest{{Taken: day(10 - 365), Passed: true}}},
			[]rem{{"fitness", day(9), 9, 14}}},
		{"fitness lapsed for an ARV officer", &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee",
			Accreditations: []arv.AccreditationRecord{arvExp(300)},
			Fitness:        []arv.FitnessTest{{Taken: day(-365), Passed: true}}},
			[]rem{{"fitness", day(-1), -1, 0}}},
		{"fitness lapsed over 30 days ago: nothing", &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee",
			Accreditations: []arv.AccreditationRecord{arvExp(300)},
			Fitness:        []arv.FitnessTest{{Taken: day(-400), Passed: true}}},
			nil},
		{"no fitness reminder for a Taser-only officer", &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee",
			Accreditations: []arv.AccreditationRecord{{Kind: arv.AccTaser, Issued: "2024-01-01", Expires: day(300)}},
			Fitness:        []arv.FitnessTest{{Taken: day(10 - 365), Passed: true}}},
			nil},
		{"no fitness reminder for a commander", &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee",
			Accreditations: []arv.AccreditationRecord{{Kind: arv.AccTFC, Issued: "2024-01-01", Expires: day(300)}},
			Fitness:        []arv.FitnessTest{{Taken: day(10 - 365), Passed: true}}},
			nil},
		{"failed fitness test ignored", &arv.Officer{ID: 9, Collar: "C9", Name: "Sam Lee",
			Accreditations: []arv.AccreditationRecord{arvExp(300)},
			Fitness: []arv.FitnessTest{
				{Taken: day(10 - 365), Passed: true},
				{Taken: day(-2), Passed: false},
			}},
			[]rem{{"fitness", day(9), 9, 14}}},
		{"nothing due", crewOfficer(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.officer.Reminders(today)
			if len(got) != len(tc.want) {
				t.Fatalf("Reminders(%s) = %+v, want %d reminders %+v", today, got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.What != w.what || g.Expires != w.expires || g.DaysLeft != w.daysLeft || g.Stage != w.stage {
					t.Errorf("reminder %d = {%s %s days %d stage %d}, want {%s %s days %d stage %d}",
						i, g.What, g.Expires, g.DaysLeft, g.Stage, w.what, w.expires, w.daysLeft, w.stage)
				}
				if g.OfficerID != tc.officer.ID || g.Collar != tc.officer.Collar || g.Officer != tc.officer.Name {
					t.Errorf("reminder %d names officer %d %q %q, want %d %q %q",
						i, g.OfficerID, g.Officer, g.Collar, tc.officer.ID, tc.officer.Name, tc.officer.Collar)
				}
			}
		})
	}
}

// TestReminderMatchesCheck checks the two rules agree: the fitness
// reminder's expiry day is the last day CheckARVCrew passes.
func TestReminderMatchesCheck(t *testing.T) {
	o := withFitness(arv.FitnessTest{Taken: "2025-03-20", Passed: true})
	rs := o.Reminders("2026-03-10")
	var exp arv.Date
	for _, r := range rs {
		if r.What == "fitness" {
			exp = r.Expires
		}
	}
	if exp == "" {
		t.Fatalf("no fitness reminder in %+v", rs)
	}
	if err := o.CheckARVCrew(exp.End().Add(-time.Second)); err != nil {
		t.Errorf("on the last second of %s: %v", exp, err)
	}
	if err := o.CheckARVCrew(exp.End()); err == nil {
		t.Errorf("on the day after %s: no error", exp)
	}
}

func TestCheckComplement(t *testing.T) {
	ok := func(id int64) arv.CrewMember {
		return arv.CrewMember{OfficerID: id, Name: "Officer", Collar: "C"}
	}
	bad := func(id int64, problem string) arv.CrewMember {
		return arv.CrewMember{OfficerID: id, Name: "Officer", Collar: "C", Problem: problem}
	}
	start := mustTime(t, "2026-03-10T07:00:00Z")
	shift := func(crews ...arv.ShiftCrew) arv.RosterShift {
		return arv.RosterShift{ID: 40, Name: "Day", Start: start, End: start.Add(10 * time.Hour), Crews: crews}
	}
	two := arv.Complement{ARVs: 2, OfficersPerARV: 2}
	cases := []struct {
		name       string
		shift      arv.RosterShift
		c          arv.Complement
		wantGap    bool
		wantCrewed int
		wantDetail []string // substrings, each in some detail line
	}{
		{"met", shift(
			arv.ShiftCrew{UnitID: 1, CallSign: "Trojan 1", Officers: []arv.CrewMember{ok(1), ok(2)}},
			arv.ShiftCrew{UnitID: 2, CallSign: "Trojan 2", Officers: []arv.CrewMember{ok(3), ok(4)}}),
			two, false, 2, nil},
		{"met with a spare officer who may not deploy", shift(
			arv.ShiftCrew{UnitID: 1, CallSign: "Trojan 1", Officers: []arv.CrewMember{ok(1), ok(2), bad(5, "ARV expired")}},
			arv.ShiftCrew{UnitID: 2, CallSign: "Trojan 2", Officers: []arv.CrewMember{ok(3), ok(4)}}),
			two, false, 2, nil},
		{"met by two of three units", shift(
			arv.ShiftCrew{UnitID: 1, CallSign: "Trojan 1", Officers: []arv.CrewMember{ok(1), ok(2)}},
			arv.ShiftCrew{UnitID: 2, CallSign: "Trojan 2", Officers: []arv.CrewMember{ok(3)}},
			arv.ShiftCrew{UnitID: 3, CallSign: "Trojan 3", Officers: []arv.CrewMember{ok(4), ok(6)}}),
			two, false, 2, nil},
		{"one officer short", shift(
			arv.ShiftCrew{UnitID: 1, CallSign: "Trojan 1", Officers: []arv.CrewMember{ok(1), ok(2)}},
			arv.ShiftCrew{UnitID: 2, CallSign: "Trojan 2", Officers: []arv.CrewMember{ok(3)}}),
			two, true, 1, []string{"Trojan 2", "1 of 2"}},
		{"officer may not deploy", shift(
			arv.ShiftCrew{UnitID: 1, CallSign: "Trojan 1", Officers: []arv.CrewMember{ok(1), ok(2)}},
			arv.ShiftCrew{UnitID: 2, CallSign: "Trojan 2", Officers: []arv.CrewMember{ok(3), bad(4, "annual fitness test lapsed")}}),
			two, true, 1, []string{"Trojan 2: annual fitness test lapsed", "Trojan 2: 1 of 2"}},
		{"too few units", shift(
			arv.ShiftCrew{UnitID: 1, CallSign: "Trojan 1", Officers: []arv.CrewMember{ok(1), ok(2)}}),
			two, true, 1, nil},
		{"nobody rostered", shift(), arv.Complement{ARVs: 1, OfficersPerARV: 2}, true, 0, nil},
		{"no complement required", shift(), arv.Complement{}, false, 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := arv.CheckComplement(tc.shift, tc.c)
			if got, want := g != nil, tc.wantGap; got != want {
				t.Fatalf("CheckComplement gap = %+v, want gap %t", g, want)
			}
			if g == nil {
				return
			}
			if got, want := g.Crewed, tc.wantCrewed; got != want {
				t.Errorf("Crewed = %d, want %d", got, want)
			}
			if got, want := g.Need, tc.c.ARVs; got != want {
				t.Errorf("Need = %d, want %d", got, want)
			}
			if g.ShiftID != tc.shift.ID || g.Shift != tc.shift.Name || !g.Start.Equal(tc.shift.Start) {
				t.Errorf("gap names shift %d %q %s, want %d %q %s", g.ShiftID, g.Shift, g.Start, tc.shift.ID, tc.shift.Name, tc.shift.Start)
			}
			for _, s := range tc.wantDetail {
				if !slices.ContainsFunc(g.Detail, func(d string) bool { return strings.Contains(d, s) }) {
					t.Errorf("Detail %q has no line containing %q", g.Detail, s)
				}
			}
			// Every unit that falls short is named.
			for _, cr := range tc.shift.Crews {
				n := 0
				for _, o := range cr.Officers {
					if o.Problem == "" {
						n++
					}
				}
				if n < tc.c.OfficersPerARV && !slices.ContainsFunc(g.Detail, func(d string) bool { return strings.Contains(d, cr.CallSign) }) {
					t.Errorf("Detail %q does not name short unit %q", g.Detail, cr.CallSign)
				}
			}
		})
	}
}

func TestCrewProblems(t *testing.T) {
	ok := arv.CrewMember{OfficerID: 1, Name: "A", Collar: "1"}
	bad := arv.CrewMember{OfficerID: 2, Name: "B", Collar: "2", Problem: "B (2) cannot be deployed: no ARV accreditation recorded."}
	bad2 := arv.CrewMember{OfficerID: 3, Name: "C", Collar: "3", Problem: "second problem"}
	cases := []struct {
		name string
		crew []arv.CrewMember
		need int
		want []string // substrings; nil means ""
	}{
		{"full crew", []arv.CrewMember{ok, ok}, 2, nil},
		{"more than enough", []arv.CrewMember{ok, ok, ok}, 2, nil},
		// An ARV does not go with an undeployable officer on board, even
		// with enough others (the assignment would deploy them).
		{"third officer lapsed", []arv.CrewMember{ok, ok, bad}, 2, []string{"no ARV accreditation"}},
		{"one officer", []arv.CrewMember{ok}, 2, []string{"crew of 1, 2 needed"}},
		{"officer may not deploy", []arv.CrewMember{ok, bad}, 2, []string{"no ARV accreditation"}},
		{"first problem named", []arv.CrewMember{bad, bad2}, 2, []string{"no ARV accreditation"}},
		{"no crew", nil, 2, []string{"crew of 0, 2 needed"}},
		{"none needed", nil, 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := arv.CrewProblems(tc.crew, tc.need)
			if tc.want == nil {
				if got != "" {
					t.Errorf("CrewProblems = %q, want \"\"", got)
				}
				return
			}
			for _, s := range tc.want {
				if !strings.Contains(got, s) {
					t.Errorf("CrewProblems = %q, want it to contain %q", got, s)
				}
			}
			if strings.Contains(got, "second problem") {
				t.Errorf("CrewProblems = %q names a later problem", got)
			}
		})
	}
}

// validator is anything with a Validate method.
type validator interface{ Validate() error }

// validateCase is a value to validate and the message substring wanted,
// "" when valid.
type validateCase struct {
	name    string
	v       validator
	wantErr string
}

func runValidate(t *testing.T, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", tc.v, err)
				}
				return
			}
			if got, want := arv.ErrorCode(err), arv.EINVALID; got != want {
				t.Fatalf("Validate(%+v) code %q (%v), want %q", tc.v, got, err, want)
			}
			if msg := arv.ErrorMessage(err); !strings.Contains(msg, tc.wantErr) {
				t.Errorf("message %q does not contain %q", msg, tc.wantErr)
			}
		})
	}
}

func TestNewUserValidate(t *testing.T) {
	u := func(f func(*arv.NewUser)) *arv.NewUser {
		v := &arv.NewUser{Username: "j.smith-2_x", Name: "Jo Smith", Role: arv.RoleTFC, Password: "correct horse"}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", u(func(*arv.NewUser) {}), ""},
		{"every role", u(func(v *arv.NewUser) { v.Role = arv.RoleCallHandler }), ""},
		{"blank username", u(func(v *arv.NewUser) { v.Username = "" }), "Username"},
		{"username with space", u(func(v *arv.NewUser) { v.Username = "jo smith" }), "Username"},
		{"username with accent", u(func(v *arv.NewUser) { v.Username = "josé" }), "Username"},
		{"username with control", u(func(v *arv.NewUser) { v.Username = "jo\x00" }), "Username"},
		{"username 64", u(func(v *arv.NewUser) { v.Username = strings.Repeat("a", 64) }), ""},
		{"username 65", u(func(v *arv.NewUser) { v.Username = strings.Repeat("a", 65) }), "Username"},
		{"blank name", u(func(v *arv.NewUser) { v.Name = "   " }), "Name"},
		{"empty name", u(func(v *arv.NewUser) { v.Name = "" }), "Name"},
		{"name with newline", u(func(v *arv.NewUser) { v.Name = "Jo\nSmith" }), "Name"},
		{"name with DEL", u(func(v *arv.NewUser) { v.Name = "Jo\x7f" }), "Name"},
		{"name with escape", u(func(v *arv.NewUser) { v.Name = "\x1b[31mJo" }), "Name"},
		{"name 201", u(func(v *arv.NewUser) { v.Name = strings.Repeat("n", 201) }), "Name"},
		{"no role", u(func(v *arv.NewUser) { v.Role = "" }), "Role"},
		{"unknown role", u(func(v *arv.NewUser) { v.Role = "superintendent" }), "superintendent"},
		{"password 11", u(func(v *arv.NewUser) { v.Password = strings.Repeat("p", 11) }), "Password"},
		{"password 12", u(func(v *arv.NewUser) { v.Password = strings.Repeat("p", 12) }), ""},
		{"password 256", u(func(v *arv.NewUser) { v.Password = strings.Repeat("p", 256) }), ""},
		{"password 257", u(func(v *arv.NewUser) { v.Password = strings.Repeat("p", 257) }), "Password"},
	})
}

func TestNewOfficerValidate(t *testing.T) {
	o := func(f func(*arv.NewOfficer)) *arv.NewOfficer {
		v := &arv.NewOfficer{Collar: "AB123", Name: "Pat Jones", Rank: "PC", Team: 3}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", o(func(*arv.NewOfficer) {}), ""},
		{"no rank, no team", o(func(v *arv.NewOfficer) { v.Rank, v.Team = "", 0 }), ""},
		{"blank collar", o(func(v *arv.NewOfficer) { v.Collar = " " }), "Collar"},
		{"collar with tab", o(func(v *arv.NewOfficer) { v.Collar = "AB\t123" }), "Collar"},
		{"collar 33", o(func(v *arv.NewOfficer) { v.Collar = strings.Repeat("1", 33) }), "Collar"},
		{"blank name", o(func(v *arv.NewOfficer) { v.Name = "" }), "Name"},
		{"name with control", o(func(v *arv.NewOfficer) { v.Name = "Pat\rJones" }), "Name"},
		{"blank rank", o(func(v *arv.NewOfficer) { v.Rank = "  " }), "Rank"},
		{"rank with control", o(func(v *arv.NewOfficer) { v.Rank = "PC\x00" }), "Rank"},
		{"rank 65", o(func(v *arv.NewOfficer) { v.Rank = strings.Repeat("r", 65) }), "Rank"},
		{"team -1", o(func(v *arv.NewOfficer) { v.Team = -1 }), "Team"},
		{"team 99", o(func(v *arv.NewOfficer) { v.Team = 99 }), ""},
		{"team 100", o(func(v *arv.NewOfficer) { v.Team = 100 }), "Team"},
	})
}

func TestNewAccreditationValidate(t *testing.T) {
	a := func(f func(*arv.NewAccreditation)) *arv.NewAccreditation {
		v := &arv.NewAccreditation{Kind: arv.AccARV, Issued: "2026-01-01", Expires: "2026-12-31"}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", a(func(*arv.NewAccreditation) {}), ""},
		{"one day", a(func(v *arv.NewAccreditation) { v.Expires = v.Issued }), ""},
		{"unknown kind", a(func(v *arv.NewAccreditation) { v.Kind = "Glock" }), "Glock"},
		{"kind in wrong case", a(func(v *arv.NewAccreditation) { v.Kind = "arv" }), "arv"},
		{"blank issued", a(func(v *arv.NewAccreditation) { v.Issued = "" }), "Issued"},
		{"issued month 13", a(func(v *arv.NewAccreditation) { v.Issued = "2026-13-01" }), "Issued"},
		{"expires 30 February", a(func(v *arv.NewAccreditation) { v.Expires = "2026-02-30" }), "Expires"},
		{"expires short form", a(func(v *arv.NewAccreditation) { v.Expires = "2026-3-1" }), "Expires"},
		{"expires with time", a(func(v *arv.NewAccreditation) { v.Expires = "2026-12-31T00:00:00Z" }), "Expires"},
		{"expiry before issue", a(func(v *arv.NewAccreditation) { v.Issued, v.Expires = "2026-06-02", "2026-06-01" }), "before"},
		{"expiry a year before issue", a(func(v *arv.NewAccreditation) { v.Issued, v.Expires = "2027-01-01", "2026-12-31" }), "before"},
	})
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"2026-03-10", true}, {"2024-02-29", true}, {"2025-02-29", false},
		{"", false}, {"10/03/2026", false}, {"2026-03-10 ", false},
	}
	for _, tc := range cases {
		d, err := arv.ParseDate(tc.in)
		if got := err == nil; got != tc.ok {
			t.Errorf("ParseDate(%q) error %v, want ok %t", tc.in, err, tc.ok)
		}
		if err == nil && string(d) != tc.in {
			t.Errorf("ParseDate(%q) = %q", tc.in, d)
		}
		if err != nil && arv.ErrorCode(err) != arv.EINVALID {
			t.Errorf("ParseDate(%q) code %q, want %q", tc.in, arv.ErrorCode(err), arv.EINVALID)
		}
	}
	if got, want := arv.Date("2026-03-10").End(), mustTime(t, "2026-03-11T00:00:00Z"); !got.Equal(want) {
		t.Errorf("End = %s, want %s", got, want)
	}
	if got, want := arv.DateOf(mustTime(t, "2026-03-11T00:30:00+01:00")), arv.Date("2026-03-10"); got != want {
		t.Errorf("DateOf = %s, want %s (UTC day)", got, want)
	}
}

func pt(lat, lon float64) *geo.Point { return &geo.Point{Lat: lat, Lon: lon} }

func TestNewIncidentValidate(t *testing.T) {
	n := func(f func(*arv.NewIncident)) *arv.NewIncident {
		v := &arv.NewIncident{Position: pt(52.2, 0.12), Description: "Man seen with a shotgun", Address: "1 High St"}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good position", n(func(*arv.NewIncident) {}), ""},
		{"good place", n(func(v *arv.NewIncident) { v.Position, v.Place = nil, "Market Square, Cambridge" }), ""},
		{"corner of the map", n(func(v *arv.NewIncident) { v.Position = pt(-90, 180) }), ""},
		{"neither position nor place", n(func(v *arv.NewIncident) { v.Position = nil }), "position"},
		{"both position and place", n(func(v *arv.NewIncident) { v.Place = "Cambridge" }), "not both"},
		{"blank description", n(func(v *arv.NewIncident) { v.Description = " " }), "Description"},
		{"description with control", n(func(v *arv.NewIncident) { v.Description = "shots\x00" }), "Description"},
		{"description 4001", n(func(v *arv.NewIncident) { v.Description = strings.Repeat("d", 4001) }), "Description"},
		{"address 501", n(func(v *arv.NewIncident) { v.Address = strings.Repeat("a", 501) }), "Address"},
		{"place 201", n(func(v *arv.NewIncident) { v.Position, v.Place = nil, strings.Repeat("p", 201) }), "Place"},
		{"casualties -1", n(func(v *arv.NewIncident) { v.Indicators.Casualties = -1 }), "Casualties"},
		{"casualties 10001", n(func(v *arv.NewIncident) { v.Indicators.Casualties = 10001 }), "Casualties"},
		{"latitude 91", n(func(v *arv.NewIncident) { v.Position = pt(91, 0) }), "Position"},
		{"latitude -90.5", n(func(v *arv.NewIncident) { v.Position = pt(-90.5, 0) }), "Position"},
		{"longitude 181", n(func(v *arv.NewIncident) { v.Position = pt(52, 181) }), "Position"},
		{"longitude -180.1", n(func(v *arv.NewIncident) { v.Position = pt(52, -180.1) }), "Position"},
		{"latitude NaN", n(func(v *arv.NewIncident) { v.Position = pt(math.NaN(), 0) }), "Position"},
		{"longitude NaN", n(func(v *arv.NewIncident) { v.Position = pt(52, math.NaN()) }), "Position"},
		{"latitude +Inf", n(func(v *arv.NewIncident) { v.Position = pt(math.Inf(1), 0) }), "Position"},
		{"longitude -Inf", n(func(v *arv.NewIncident) { v.Position = pt(0, math.Inf(-1)) }), "Position"},
	})
}

func goodNDM() arv.NDM {
	return arv.NDM{
		Information:     "Caller reports a man with a shotgun.",
		Threat:          "High: threat to life.",
		PowersAndPolicy: "APP armed policing, s.3 CLA 1967.",
		Options:         "ARV to contain, negotiator on call.",
		ActionAndReview: "Deploy two ARVs, review in 15 min.",
	}
}

func TestDecisionRequestValidate(t *testing.T) {
	d := func(f func(*arv.DecisionRequest)) *arv.DecisionRequest {
		v := &arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon, NDM: goodNDM(), Tactics: "Contain and call out."}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good authorisation", d(func(*arv.DecisionRequest) {}), ""},
		{"every ground", d(func(v *arv.DecisionRequest) { v.Limb = arv.LimbAnimal }), ""},
		{"multi-line tactics", d(func(v *arv.DecisionRequest) { v.Tactics = "Contain.\n\tCall out." }), ""},
		{"good refusal", d(func(v *arv.DecisionRequest) { v.Authorised, v.Limb, v.Tactics = false, "", "" }), ""},
		{"refusal naming a ground", d(func(v *arv.DecisionRequest) { v.Authorised, v.Tactics = false, "" }), ""},
		{"authorisation without ground", d(func(v *arv.DecisionRequest) { v.Limb = "" }), "ground"},
		{"authorisation with unknown ground", d(func(v *arv.DecisionRequest) { v.Limb = "gut_feeling" }), "ground"},
		{"refusal with unknown ground", d(func(v *arv.DecisionRequest) { v.Authorised, v.Limb = false, "gut_feeling" }), "gut_feeling"},
		{"authorisation without tactics", d(func(v *arv.DecisionRequest) { v.Tactics = "" }), "tactics"},
		{"authorisation with blank tactics", d(func(v *arv.DecisionRequest) { v.Tactics = " \n\t " }), "tactics"},
		{"NDM information missing", d(func(v *arv.DecisionRequest) { v.NDM.Information = "" }), "information"},
		{"NDM threat missing", d(func(v *arv.DecisionRequest) { v.NDM.Threat = "  " }), "threat"},
		{"NDM powers missing", d(func(v *arv.DecisionRequest) { v.NDM.PowersAndPolicy = "" }), "powers and policy"},
		{"NDM options missing", d(func(v *arv.DecisionRequest) { v.NDM.Options = "\n" }), "options"},
		{"NDM action missing", d(func(v *arv.DecisionRequest) { v.NDM.ActionAndReview = "" }), "action and review"},
		{"refusal needs the NDM too", d(func(v *arv.DecisionRequest) { v.Authorised, v.Limb, v.Tactics, v.NDM.Threat = false, "", "", "" }), "threat"},
		{"NDM heading too long", d(func(v *arv.DecisionRequest) { v.NDM.Options = strings.Repeat("o", 8001) }), "options"},
		{"tactics too long", d(func(v *arv.DecisionRequest) { v.Tactics = strings.Repeat("t", 8001) }), "tactics"},
		{"refusal tactics too long", d(func(v *arv.DecisionRequest) { v.Authorised, v.Limb, v.Tactics = false, "", strings.Repeat("t", 8001) }), "8000"},
		{"rationale too long", d(func(v *arv.DecisionRequest) { v.Rationale = strings.Repeat("r", 8001) }), "8000"},
		{"rationale at the limit", d(func(v *arv.DecisionRequest) { v.Rationale = strings.Repeat("r", 8000) }), ""},
	})
}

func TestRatificationRequestValidate(t *testing.T) {
	runValidate(t, []validateCase{
		{"ratify", &arv.RatificationRequest{Ratify: true, Rationale: "Proportionate."}, ""},
		{"rescind", &arv.RatificationRequest{Ratify: false, Rationale: "Threat has passed."}, ""},
		{"no rationale", &arv.RatificationRequest{Ratify: true}, "rationale"},
		{"blank rationale", &arv.RatificationRequest{Ratify: false, Rationale: " \r\n\t"}, "rationale"},
		{"rationale too long", &arv.RatificationRequest{Ratify: true, Rationale: strings.Repeat("r", 8001)}, "rationale"},
	})
}

func TestSelfDeploymentValidate(t *testing.T) {
	s := func(f func(*arv.SelfDeployment)) *arv.SelfDeployment {
		v := &arv.SelfDeployment{UnitID: 3, Position: pt(52.2, 0.12), Description: "Shots fired at the retail park", Reason: "Active shooter; life at immediate risk."}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", s(func(*arv.SelfDeployment) {}), ""},
		{"good place", s(func(v *arv.SelfDeployment) { v.Position, v.Place = nil, "Retail park" }), ""},
		{"no location", s(func(v *arv.SelfDeployment) { v.Position = nil }), "position"},
		{"both locations", s(func(v *arv.SelfDeployment) { v.Place = "Retail park" }), "not both"},
		{"blank description", s(func(v *arv.SelfDeployment) { v.Description = "" }), "Description"},
		{"description with control", s(func(v *arv.SelfDeployment) { v.Description = "shots\x07" }), "Description"},
		{"no reason", s(func(v *arv.SelfDeployment) { v.Reason = "" }), "risked life"},
		{"blank reason", s(func(v *arv.SelfDeployment) { v.Reason = "\t" }), "risked life"},
		{"reason too long", s(func(v *arv.SelfDeployment) { v.Reason = strings.Repeat("r", 8001) }), "risked life"},
		{"latitude NaN", s(func(v *arv.SelfDeployment) { v.Position = pt(math.NaN(), 0.12) }), "Position"},
		{"longitude 200", s(func(v *arv.SelfDeployment) { v.Position = pt(52, 200) }), "Position"},
	})
}

func TestNewPatrolPlanValidate(t *testing.T) {
	p := func(f func(*arv.NewPatrolPlan)) *arv.NewPatrolPlan {
		v := &arv.NewPatrolPlan{Site: "Sizewell B", Position: geo.Point{Lat: 52.21, Lon: 1.62}, Start: "22:00", HoursPerDay: 8, CheckInMinutes: 60}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", p(func(*arv.NewPatrolPlan) {}), ""},
		{"all day", p(func(v *arv.NewPatrolPlan) { v.Start, v.HoursPerDay = "00:00", 24 }), ""},
		{"half an hour", p(func(v *arv.NewPatrolPlan) { v.HoursPerDay = 0.5 }), ""},
		{"blank site", p(func(v *arv.NewPatrolPlan) { v.Site = "" }), "Site"},
		{"site with control", p(func(v *arv.NewPatrolPlan) { v.Site = "Sizewell\nB" }), "Site"},
		{"no start", p(func(v *arv.NewPatrolPlan) { v.Start = "" }), "Start"},
		{"start 24:00", p(func(v *arv.NewPatrolPlan) { v.Start = "24:00" }), "Start"},
		{"start 12:60", p(func(v *arv.NewPatrolPlan) { v.Start = "12:60" }), "Start"},
		{"start 10pm", p(func(v *arv.NewPatrolPlan) { v.Start = "10pm" }), "Start"},
		{"start with seconds", p(func(v *arv.NewPatrolPlan) { v.Start = "22:00:00" }), "Start"},
		{"zero hours", p(func(v *arv.NewPatrolPlan) { v.HoursPerDay = 0 }), "Hours"},
		{"negative hours", p(func(v *arv.NewPatrolPlan) { v.HoursPerDay = -1 }), "Hours"},
		{"25 hours", p(func(v *arv.NewPatrolPlan) { v.HoursPerDay = 24.5 }), "Hours"},
		{"NaN hours", p(func(v *arv.NewPatrolPlan) { v.HoursPerDay = math.NaN() }), "Hours"},
		{"check-in 4 minutes", p(func(v *arv.NewPatrolPlan) { v.CheckInMinutes = 4 }), "Check-in"},
		{"check-in 5 minutes", p(func(v *arv.NewPatrolPlan) { v.CheckInMinutes = 5 }), ""},
		{"check-in 1440 minutes", p(func(v *arv.NewPatrolPlan) { v.CheckInMinutes = 1440 }), ""},
		{"check-in 1441 minutes", p(func(v *arv.NewPatrolPlan) { v.CheckInMinutes = 1441 }), "Check-in"},
		{"latitude 100", p(func(v *arv.NewPatrolPlan) { v.Position.Lat = 100 }), "Position"},
		{"longitude NaN", p(func(v *arv.NewPatrolPlan) { v.Position.Lon = math.NaN() }), "Position"},
	})
}

func TestNewShiftValidate(t *testing.T) {
	start := mustTime(t, "2026-03-10T07:00:00Z")
	s := func(f func(*arv.NewShift)) *arv.NewShift {
		v := &arv.NewShift{Name: "Day", Start: start, End: start.Add(10 * time.Hour)}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", s(func(*arv.NewShift) {}), ""},
		{"24 hours", s(func(v *arv.NewShift) { v.End = start.Add(24 * time.Hour) }), ""},
		{"24 hours and a second", s(func(v *arv.NewShift) { v.End = start.Add(24*time.Hour + time.Second) }), "longer"},
		{"ends as it starts", s(func(v *arv.NewShift) { v.End = start }), "end after"},
		{"ends before it starts", s(func(v *arv.NewShift) { v.End = start.Add(-time.Hour) }), "end after"},
		{"zero times", s(func(v *arv.NewShift) { v.Start, v.End = time.Time{}, time.Time{} }), "end after"},
		{"blank name", s(func(v *arv.NewShift) { v.Name = "  " }), "name"},
		{"name with control", s(func(v *arv.NewShift) { v.Name = "Day\x1b" }), "name"},
		{"name 65", s(func(v *arv.NewShift) { v.Name = strings.Repeat("n", 65) }), "name"},
	})
}

func TestNewUnitValidate(t *testing.T) {
	u := func(f func(*arv.NewUnit)) *arv.NewUnit {
		v := &arv.NewUnit{CallSign: "Trojan 1", Base: "Parkside", Position: geo.Point{Lat: 52.2, Lon: 0.13}}
		f(v)
		return v
	}
	runValidate(t, []validateCase{
		{"good", u(func(*arv.NewUnit) {}), ""},
		{"blank call sign", u(func(v *arv.NewUnit) { v.CallSign = "" }), "Call sign"},
		{"call sign with control", u(func(v *arv.NewUnit) { v.CallSign = "Trojan\t1" }), "Call sign"},
		{"call sign 33", u(func(v *arv.NewUnit) { v.CallSign = strings.Repeat("c", 33) }), "Call sign"},
		{"blank base", u(func(v *arv.NewUnit) { v.Base = " " }), "Base"},
		{"latitude NaN", u(func(v *arv.NewUnit) { v.Position.Lat = math.NaN() }), "Position"},
		{"latitude -91", u(func(v *arv.NewUnit) { v.Position.Lat = -91 }), "Position"},
		{"longitude 180.5", u(func(v *arv.NewUnit) { v.Position.Lon = 180.5 }), "Position"},
		{"longitude +Inf", u(func(v *arv.NewUnit) { v.Position.Lon = math.Inf(1) }), "Position"},
	})
}

func TestPatrolWindow(t *testing.T) {
	night := &arv.PatrolPlan{Start: "22:00", HoursPerDay: 8, CheckInMinutes: 60}
	day := &arv.PatrolPlan{Start: "08:30", HoursPerDay: 10, CheckInMinutes: 30}
	early := &arv.PatrolPlan{Start: "00:30", HoursPerDay: 4, CheckInMinutes: 30}
	cases := []struct {
		name       string
		plan       *arv.PatrolPlan
		at         string
		start, end string
	}{
		{"night: evening", night, "2026-03-10T23:00:00Z", "2026-03-10T22:00:00Z", "2026-03-11T06:00:00Z"},
		{"night: at the start", night, "2026-03-10T22:00:00Z", "2026-03-10T22:00:00Z", "2026-03-11T06:00:00Z"},
		{"night: after midnight", night, "2026-03-11T03:00:00Z", "2026-03-10T22:00:00Z", "2026-03-11T06:00:00Z"},
		{"night: a second before the start", night, "2026-03-10T21:59:59Z", "2026-03-09T22:00:00Z", "2026-03-10T06:00:00Z"},
		{"night: after the end, last window", night, "2026-03-11T12:00:00Z", "2026-03-10T22:00:00Z", "2026-03-11T06:00:00Z"},
		{"night: other time zone", night, "2026-03-11T00:30:00+02:00", "2026-03-10T22:00:00Z", "2026-03-11T06:00:00Z"},
		{"night: across a year", night, "2026-01-01T01:00:00Z", "2025-12-31T22:00:00Z", "2026-01-01T06:00:00Z"},
		{"early: local date behind UTC", early, "2026-03-10T20:00:00-05:00", "2026-03-11T00:30:00Z", "2026-03-11T04:30:00Z"},
		{"day", day, "2026-03-10T09:00:00Z", "2026-03-10T08:30:00Z", "2026-03-10T18:30:00Z"},
		{"day: before it starts", day, "2026-03-10T08:00:00Z", "2026-03-09T08:30:00Z", "2026-03-09T18:30:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start, end := tc.plan.Window(mustTime(t, tc.at))
			if want := mustTime(t, tc.start); !start.Equal(want) {
				t.Errorf("Window(%s) start %s, want %s", tc.at, start, want)
			}
			if want := mustTime(t, tc.end); !end.Equal(want) {
				t.Errorf("Window(%s) end %s, want %s", tc.at, end, want)
			}
		})
	}
}

func TestMissedCheckIn(t *testing.T) {
	plan := func(last string) *arv.PatrolPlan {
		p := &arv.PatrolPlan{ID: 1, Site: "Sizewell B", Start: "22:00", HoursPerDay: 8, CheckInMinutes: 60}
		if last != "" {
			p.LastCheckIn = &arv.CheckIn{PlanID: 1, At: mustTime(t, last), By: "afo1"}
		}
		return p
	}
	cases := []struct {
		name    string
		plan    *arv.PatrolPlan
		now     string
		wantDue string // "" for not missed
	}{
		{"before the first check-in is due", plan(""), "2026-03-10T22:30:00Z", ""},
		{"first check-in due exactly now", plan(""), "2026-03-10T23:00:00Z", ""},
		{"first check-in overdue", plan(""), "2026-03-10T23:01:00Z", "2026-03-10T23:00:00Z"},
		{"overdue after midnight", plan(""), "2026-03-11T02:00:00Z", "2026-03-10T23:00:00Z"},
		{"check-in inside the window resets", plan("2026-03-11T02:30:00Z"), "2026-03-11T03:00:00Z", ""},
		{"overdue since the last check-in", plan("2026-03-11T01:30:00Z"), "2026-03-11T03:00:00Z", "2026-03-11T02:30:00Z"},
		{"check-in before the window does not count", plan("2026-03-10T21:55:00Z"), "2026-03-10T23:30:00Z", "2026-03-10T23:00:00Z"},
		{"check-in of yesterday's window does not count", plan("2026-03-10T05:50:00Z"), "2026-03-10T23:30:00Z", "2026-03-10T23:00:00Z"},
		{"overdue near the end", plan("2026-03-11T04:30:00Z"), "2026-03-11T05:59:00Z", "2026-03-11T05:30:00Z"},
		{"window closed exactly", plan(""), "2026-03-11T06:00:00Z", ""},
		{"outside the window", plan(""), "2026-03-11T12:00:00Z", ""},
		{"just before the next window", plan(""), "2026-03-11T21:59:00Z", ""},
		{"other time zone", plan(""), "2026-03-11T01:30:00+02:00", "2026-03-10T23:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			due, missed := tc.plan.MissedCheckIn(mustTime(t, tc.now))
			if got, want := missed, tc.wantDue != ""; got != want {
				t.Fatalf("MissedCheckIn(%s) = %s, %t, want missed %t", tc.now, due, got, want)
			}
			if tc.wantDue == "" {
				if !due.IsZero() {
					t.Errorf("MissedCheckIn(%s) due %s, want zero", tc.now, due)
				}
				return
			}
			if want := mustTime(t, tc.wantDue); !due.Equal(want) {
				t.Errorf("MissedCheckIn(%s) due %s, want %s", tc.now, due, want)
			}
		})
	}
}

func TestIncidentBreached(t *testing.T) {
	call := mustTime(t, "2026-03-10T20:00:00Z")
	at := func(min float64) *time.Time {
		v := call.Add(time.Duration(min * float64(time.Minute)))
		return &v
	}
	inc := func(f func(*arv.Incident)) *arv.Incident {
		i := &arv.Incident{ID: 1, CallAt: call, Class: "urban", TargetMinutes: 15, Status: arv.IncidentAuthorised, AuthorisedAt: at(3)}
		f(i)
		return i
	}
	cases := []struct {
		name        string
		inc         *arv.Incident
		now         float64 // minutes after the call
		want        bool
		wantMinutes float64 // -1 before arrival
	}{
		{"arrived in time", inc(func(i *arv.Incident) { i.ArrivedAt = at(10) }), 60, false, 10},
		{"arrived on the target", inc(func(i *arv.Incident) { i.ArrivedAt = at(15) }), 60, false, 15},
		{"arrived late", inc(func(i *arv.Incident) { i.ArrivedAt = at(16) }), 60, true, 16},
		{"arrived 90 seconds in", inc(func(i *arv.Incident) { i.ArrivedAt = at(1.5) }), 60, false, 1.5},
		{"en route within target", inc(func(*arv.Incident) {}), 14, false, -1},
		{"en route at target", inc(func(*arv.Incident) {}), 15, false, -1},
		{"en route past target", inc(func(*arv.Incident) {}), 16, true, -1},
		{"awaiting decision", inc(func(i *arv.Incident) { i.Status, i.AuthorisedAt = arv.IncidentAwaitingDecision, nil }), 60, false, -1},
		{"not authorised", inc(func(i *arv.Incident) { i.Status, i.AuthorisedAt = arv.IncidentNotAuthorised, nil }), 60, false, -1},
		{"self-deployed, no arrival", inc(func(i *arv.Incident) { i.AuthorisedAt, i.SelfDeployed = nil, true }), 20, true, -1},
		{"self-deployed, arrived in time", inc(func(i *arv.Incident) { i.AuthorisedAt, i.SelfDeployed, i.ArrivedAt = nil, true, at(5) }), 20, false, 5},
		{"stood down before arrival", inc(func(i *arv.Incident) { i.Status, i.StoodDownAt = arv.IncidentStoodDown, at(10) }), 60, false, -1},
		{"arrived late, then stood down", inc(func(i *arv.Incident) { i.Status, i.ArrivedAt, i.StoodDownAt = arv.IncidentStoodDown, at(20), at(40) }), 60, true, 20},
		{"no target", inc(func(i *arv.Incident) { i.TargetMinutes = 0 }), 60, false, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.inc.Breached(*at(tc.now)); got != tc.want {
				t.Errorf("Breached(call+%vmin) = %t, want %t", tc.now, got, tc.want)
			}
			m, ok := tc.inc.ResponseMinutes()
			if got, want := ok, tc.wantMinutes >= 0; got != want {
				t.Fatalf("ResponseMinutes ok = %t, want %t", got, want)
			}
			if !ok {
				if m != 0 {
					t.Errorf("ResponseMinutes = %v before arrival, want 0", m)
				}
				return
			}
			if math.Abs(m-tc.wantMinutes) > 1e-9 {
				t.Errorf("ResponseMinutes = %v, want %v", m, tc.wantMinutes)
			}
		})
	}
}

func TestUnitStatus(t *testing.T) {
	cases := []struct {
		s           arv.UnitStatus
		valid, free bool
	}{
		{arv.StatusAvailable, true, true},
		{arv.StatusMobile, true, true},
		{arv.StatusEnRoute, true, false},
		{arv.StatusOnScene, true, false},
		{arv.StatusOffDuty, true, false},
		{"", false, false},
		{"busy", false, false},
	}
	for _, tc := range cases {
		if got := tc.s.Valid(); got != tc.valid {
			t.Errorf("%q.Valid() = %t, want %t", tc.s, got, tc.valid)
		}
		if got := tc.s.Free(); got != tc.free {
			t.Errorf("%q.Free() = %t, want %t", tc.s, got, tc.free)
		}
	}
}

// TestETAJSON checks that an unreachable ETA encodes as null, not as an
// encoding error that would lose the audit row carrying it.
func TestETAJSON(t *testing.T) {
	inc := arv.Incident{Assignments: []arv.Assignment{{UnitID: 1, ETASeconds: math.Inf(1)}, {UnitID: 2, ETASeconds: 90}}}
	b, err := json.Marshal(inc)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"unit_id":1,`) || !strings.Contains(s, `"eta_seconds":null`) || !strings.Contains(s, `"eta_seconds":90`) {
		t.Fatalf("incident JSON = %s", s)
	}
	b, err = json.Marshal([]arv.Recommendation{{UnitID: 3, ETASeconds: math.Inf(1)}})
	if err != nil || !strings.Contains(string(b), `"eta_seconds":null`) {
		t.Fatalf("recommendation JSON = %s, %v", b, err)
	}
}
