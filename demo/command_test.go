package demo

import (
	"testing"

	"github.com/arv-project/arv"
)

// commandOfficer returns, for a commander role, a new officer holding
// that role's command ticket for the person username (0 for other
// roles), so that the person may decide as the server requires.
func (f *fixture) commandOfficer(t *testing.T, username string, role arv.Role) int64 {
	t.Helper()
	kind := map[arv.Role]arv.Accreditation{arv.RoleITFC: arv.AccITFC, arv.RoleTFC: arv.AccTFC, arv.RoleSFC: arv.AccSFC}[role]
	if kind == "" {
		return 0
	}
	o, err := f.st.CreateOfficer(f.sys, arv.NewOfficer{Collar: "P-" + username, Name: "Insp " + username, Rank: "Inspector"})
	if err != nil {
		t.Fatal(err)
	}
	now := f.now()
	if _, err := f.st.AddAccreditation(f.sys, o.ID, arv.NewAccreditation{Kind: kind, Issued: arv.DateOf(now.AddDate(-1, 0, 0)), Expires: arv.DateOf(now.AddDate(1, 0, 0))}); err != nil {
		t.Fatal(err)
	}
	return o.ID
}
