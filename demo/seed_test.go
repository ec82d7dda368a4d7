package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// TestSeed: the demo force is the scenario's, the same in every demo
// database, with the lapsed tickets and the short shift it shows; a
// second seeding leaves the store alone.
func TestSeed(t *testing.T) {
	f := newFixture(t) // seeded
	ctx := context.Background()
	s := f.scenario
	units, err := f.st.FindUnits(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	officers, err := f.st.FindOfficers(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != len(s.ARVs) || len(officers) != s.Officers.ARV+len(commanders) { // and the commanders of command.go
		t.Fatalf("%d ARVs, %d officers; the scenario has %d and %d", len(units), len(officers), len(s.ARVs), s.Officers.ARV)
	}
	var names []string
	for _, o := range officers[:4] {
		names = append(names, o.Collar+" "+o.Rank+" "+o.Name)
	}
	if want := []string{"WP1001 PS Tariq Stone", "WP1002 PS Gareth Mason", "WP1003 PS Sophie Clarke", "WP1004 PS Nadia Stone"}; !slices.Equal(names, want) {
		t.Errorf("first officers %q, want %q (every demo database has the same: docs/operations.md shows them)", names, want)
	}

	// WP1005's ARV ticket lapsed three days ago.
	lapsed, err := f.st.FindOfficerByID(f.sys, officers[4].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := arv.DateOf(f.now()).Time().AddDate(0, 0, -3)
	if i := slices.IndexFunc(lapsed.Accreditations, func(a arv.AccreditationRecord) bool { return a.Kind == arv.AccARV }); i < 0 ||
		lapsed.Collar != "WP1005" || !lapsed.Accreditations[i].Expires.Time().Equal(want) {
		t.Errorf("WP1005's tickets: %+v", lapsed.Accreditations)
	}

	// The last shift of day 4 is short.
	day4 := arv.DateOf(f.now()).Time().AddDate(0, 0, 4)
	gaps, err := f.st.Gaps(f.sys, day4, day4.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	last := s.Shifts.Shifts[len(s.Shifts.Shifts)-1].Name
	if !slices.ContainsFunc(gaps, func(g arv.Gap) bool { return g.Shift == last }) {
		t.Errorf("day 4's gaps %+v: no %s shift", gaps, last)
	}

	// Crewed now, so the generator has ARVs to send.
	if free := slices.IndexFunc(units, func(u *arv.Unit) bool { return len(u.Crew) > 0 }); free < 0 {
		t.Errorf("no ARV crewed at noon: %+v", units)
	}

	var progress strings.Builder
	seeded, err := Seed(ctx, f.st, s, f.router.Locate, f.now(), &progress)
	if err != nil || seeded || progress.Len() != 0 {
		t.Errorf("second seeding: %v, %v, %q", seeded, err, progress.String())
	}
	if again, _ := f.st.FindUnits(f.sys); len(again) != len(units) {
		t.Errorf("second seeding: %d ARVs", len(again))
	}
}

// TestSetPasswords: every demo user gets a new password that signs in,
// and the old one no longer does.
func TestSetPasswords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first, err := SetPasswords(ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	second, err := SetPasswords(ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != len(Users) {
		t.Fatalf("%d passwords for %d users", len(second), len(Users))
	}
	for _, u := range Users {
		got, err := f.st.Authenticate(ctx, u.Username, second[u.Username])
		if err != nil || got.Role != u.Role || got.Name != u.Name {
			t.Errorf("%s: %+v, %v", u.Username, got, err)
		}
		if first[u.Username] == second[u.Username] {
			t.Errorf("%s: the same password twice", u.Username)
		}
		if _, err := f.st.Authenticate(ctx, u.Username, first[u.Username]); arv.ErrorCode(err) != arv.EUNAUTHORIZED {
			t.Errorf("%s: the old password: %v", u.Username, err)
		}
	}
}
