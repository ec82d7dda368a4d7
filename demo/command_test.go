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

// handedOver reports whether the generator played the command log of
// inc: the ITFC, linked to the demo officer Priya Shah, in command first
// as the authorising commander, then the TFC taking command from them.
func handedOver(inc *arv.Incident) bool {
	if inc.Command == nil || len(inc.Command.Handovers) != 2 || inc.Decisions[0].Officer != "Priya Shah (WP9001)" {
		return false
	}
	h0, h1 := inc.Command.Handovers[0], inc.Command.Handovers[1]
	return h0.Commander == "itfc" && h0.Level == arv.AccITFC && h1.Commander == "tfc" && h1.Level == arv.AccTFC && h1.From == "itfc" &&
		inc.Command.InCommand.Commander == "tfc"
}
