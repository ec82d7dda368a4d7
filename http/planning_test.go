package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/sqlite"
)

// TestPlanningKeepsReports runs a plan from the page, then opens a new
// server on the same database: the report is listed and served whole, as
// stored, with its digest.
func TestPlanningKeepsReports(t *testing.T) {
	m := newMatrix(t)
	id := m.runPlan()
	first, err := m.st.FindPlanReportByID(m.sys(), id)
	if err != nil {
		t.Fatal(err)
	}
	if first.SHA256 != arv.Digest(first.HTML) || first.CreatedBy != string(arv.RoleAdministrator) {
		t.Fatalf("stored %+v", first)
	}

	// A restart: a new store and server on the same file.
	st2, err := sqlite.Open(t.Context(), m.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	st2.Now = m.st.Now
	srv2 := arvhttp.NewServer()
	srv2.Services, srv2.Now = st2, m.srv.Now
	srv2.Planner = testPlanner{names: []string{"matrix"}}
	m.h = srv2.Handler()
	// The sessions live in the database too.
	admin := m.session[arv.RoleAdministrator]
	list := m.raw("GET", "/planning", admin, "", "")
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), "/planning/"+itoa(id)) || !strings.Contains(list.Body.String(), first.SHA256[:12]) {
		t.Fatalf("planning page after a restart: %d\n%s", list.Code, list.Body)
	}
	rep := m.raw("GET", "/planning/"+itoa(id), admin, "", "")
	if rep.Code != http.StatusOK || rep.Body.String() != first.HTML || !strings.Contains(rep.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("report after a restart: %d %q", rep.Code, rep.Body)
	}
	if miss := m.raw("GET", "/planning/"+itoa(id+1), admin, "", ""); miss.Code != http.StatusNotFound {
		t.Errorf("missing report: %d", miss.Code)
	}
}

// TestPlanningClose checks that closing the server cancels a plan
// running in the background and waits for it, and that a refused or
// failed plan says why on the page.
func TestPlanningClose(t *testing.T) {
	m := newMatrix(t)
	started, stopped := make(chan struct{}), make(chan error, 1)
	m.srv.Planner = testPlanner{names: []string{"slow", "broken"}, plan: func(ctx context.Context, scenario string) (string, error) {
		if scenario == "broken" {
			return "", arv.Errorf(arv.EINVALID, "The scenario has no ARVs.")
		}
		close(started)
		<-ctx.Done()
		stopped <- ctx.Err()
		return "", ctx.Err()
	}}
	planner := m.session[arv.RolePlanner]
	post := func(scenario string) int {
		rt := arvhttp.Route{Method: "POST", Pattern: "/planning", Page: true}
		return m.send(rt, call{path: "/planning", form: url.Values{"scenario": {scenario}}}, planner, planner.csrf).Code
	}
	if code := post("broken"); code != http.StatusSeeOther {
		t.Fatalf("run: %d", code)
	}
	if failed := arvhttp.WaitForPlans(m.srv); failed != "The plan for broken failed: The scenario has no ARVs." {
		t.Errorf("failure shown as %q", failed)
	}
	if code := post("slow"); code != http.StatusSeeOther {
		t.Fatalf("run: %d", code)
	}
	<-started
	if code := post("slow"); code != http.StatusConflict {
		t.Errorf("a second plan while one runs: %d, want 409", code)
	}
	page := m.raw("GET", "/planning", planner, "", "")
	if !strings.Contains(page.Body.String(), `id="plan-running"`) || !strings.Contains(page.Body.String(), "by planner") {
		t.Errorf("the page does not show the running plan:\n%s", page.Body)
	}

	done := make(chan error)
	go func() { done <- m.srv.Close() }()
	select {
	case err := <-stopped:
		if err != context.Canceled {
			t.Errorf("plan stopped with %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not cancel the running plan")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if failed := arvhttp.WaitForPlans(m.srv); failed != "The plan for slow was cancelled by the server stopping." {
		t.Errorf("after Close: %q", failed)
	}
	if code := post("slow"); code != http.StatusConflict {
		t.Errorf("a plan after Close: %d, want 409", code)
	}
	if r, _ := m.st.FindPlanReports(m.sys(), 10); len(r) != 0 {
		t.Errorf("a cancelled plan left %d reports", len(r))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
