package http_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/arv-project/arv"

	arvhttp "github.com/arv-project/arv/http"
)

// TestAPIReferenceListsEveryRoute: docs/operations.md §7 has a row for
// every API route, with the permission the route needs.
func TestAPIReferenceListsEveryRoute(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, ref, ok := strings.Cut(string(doc), "## 7. API reference")
	if !ok {
		t.Fatal("docs/operations.md has no section 7, API reference")
	}
	ref, _, _ = strings.Cut(ref, "\n## ")
	for _, rt := range arvhttp.Routes() {
		if !strings.HasPrefix(rt.Pattern, "/api/") {
			continue
		}
		row := fmt.Sprintf("| %s | `%s` | ", rt.Method, rt.Pattern)
		i := strings.Index(ref, row)
		if i < 0 {
			t.Errorf("docs/operations.md §7 has no row for %s %s", rt.Method, rt.Pattern)
			continue
		}
		if rt.Action != "" && !strings.HasPrefix(ref[i+len(row):], string(rt.Action)+" |") {
			t.Errorf("docs/operations.md §7: %s %s does not say it needs %q", rt.Method, rt.Pattern, rt.Action)
		}
	}
}

// TestBoardRefreshesAfterADischarge: the board re-renders on a discharge
// (its IOPC-referral alert is urgent), on the referral that clears it
// and on the sign-off, not only at its 15-second refresh.
func TestBoardRefreshesAfterADischarge(t *testing.T) {
	js, err := os.ReadFile("assets/board.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"incident.discharge", "incident.iopc_referral", "incident.sign_off"} {
		if !strings.Contains(string(js), `"`+kind+`"`) {
			t.Errorf("the board does not refresh on %s events", kind)
		}
	}
}

// TestPermissionTableAsTheCodeHasIt: docs/operations.md's permission
// table (§1) has the roles of arv.Permitted for every action, in the
// order of arv.Roles.
func TestPermissionTableAsTheCodeHasIt(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(doc), "| Action (as the code names it) |")
	table, _, _ = strings.Cut(table, "\n\n")
	rows := 0
	for _, line := range strings.Split(table, "\n")[2:] {
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "|"), "|"), "|")
		if len(cells) != 1+len(arv.Roles) {
			t.Errorf("permission table row %q: %d cells", line, len(cells))
			continue
		}
		name := strings.TrimSpace(cells[0])
		if i := strings.Index(name, " ("); i >= 0 {
			name = name[:i]
		}
		rows++
		for k, r := range arv.Roles {
			if got, want := strings.TrimSpace(cells[1+k]) == "✓", arv.Permitted(r, arv.Action(name)); got != want {
				t.Errorf("permission table: %q for %s is %v, the code says %v", name, r, got, want)
			}
		}
	}
	if rows < 20 {
		t.Errorf("read %d rows of the permission table", rows)
	}
}
