package http_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/arvtest"
)

// commandOfficer returns, for a commander role, an officer holding that
// role's ticket and the TFC ticket (so that every commander may take
// command as TFC in the matrix), and 0 for other roles.
func (m *matrix) commandOfficer(r arv.Role) int64 {
	kind := map[arv.Role]arv.Accreditation{arv.RoleITFC: arv.AccITFC, arv.RoleTFC: arv.AccTFC, arv.RoleSFC: arv.AccSFC}[r]
	if kind == "" {
		return 0
	}
	from, to := arv.DateOf(m.now.AddDate(-1, 0, 0)), arv.DateOf(m.now.AddDate(1, 0, 0))
	o := arvtest.CommandOfficer(m.t, m.st, "CMD-"+string(r), kind, from, to)
	if kind != arv.AccTFC {
		_, err := m.st.AddAccreditation(m.sys(), o.ID, arv.NewAccreditation{Kind: arv.AccTFC, Issued: from, Expires: to})
		m.must(err)
	}
	return o.ID
}

// TestSelfRatificationRefused: an SFC who authorised cannot ratify; the
// API answers 403 with a message naming the APP rule, and another SFC
// then ratifies. A ground changed after ratification shows the incident
// awaiting ratification again, on the page and in the API, and the
// page's timeline says why.
func TestSelfRatificationRefused(t *testing.T) {
	m := newMatrix(t)
	sfc := m.session[arv.RoleSFC]
	i := m.incident(false)
	path := fmt.Sprintf("/api/v1/incidents/%d", i.ID)
	if rec := m.raw("POST", path+"/decision", sfc, sfc.csrf, decision); rec.Code != 200 {
		t.Fatalf("SFC authorises: %d %s", rec.Code, rec.Body)
	}
	rec := m.raw("POST", path+"/ratification", sfc, sfc.csrf, `{"ratify":true,"rationale":"Proportionate."}`)
	var body struct{ Message, Code string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusForbidden || body.Code != "forbidden" || !strings.Contains(body.Message, arv.SelfRatificationRule) {
		t.Fatalf("self-ratification: %d %s", rec.Code, rec.Body)
	}

	// Another SFC, linked to another officer with an SFC ticket, ratifies.
	from, to := arv.DateOf(m.now.AddDate(-1, 0, 0)), arv.DateOf(m.now.AddDate(1, 0, 0))
	o := arvtest.CommandOfficer(t, m.st, "SFC-2", arv.AccSFC, from, to)
	admin := m.session[arv.RoleAdministrator]
	rec = m.raw("POST", "/api/v1/users", admin, admin.csrf, `{"username":"sfc2","name":"Supt Two","role":"sfc","password":"another long password"}`)
	var u arv.User
	m.must(json.Unmarshal(rec.Body.Bytes(), &u))
	if rec = m.raw("PUT", fmt.Sprintf("/api/v1/users/%d/officer", u.ID), admin, admin.csrf, fmt.Sprintf(`{"officer_id":%d}`, o.ID)); rec.Code != 200 || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"officer_id":%d`, o.ID)) {
		t.Fatalf("link: %d %s", rec.Code, rec.Body)
	}
	login := m.raw("POST", "/api/v1/login", sess{}, "", `{"username":"sfc2","password":"another long password"}`)
	var lb struct {
		CSRF string `json:"csrf_token"`
	}
	m.must(json.Unmarshal(login.Body.Bytes(), &lb))
	sfc2 := sess{csrf: lb.CSRF}
	for _, c := range login.Result().Cookies() {
		sfc2.cookie = c.Name + "=" + c.Value
	}
	if rec = m.raw("POST", path+"/ratification", sfc2, sfc2.csrf, `{"ratify":true,"rationale":"Proportionate."}`); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ratified_at"`) {
		t.Fatalf("another SFC ratifies: %d %s", rec.Code, rec.Body)
	}

	// A new ground after ratification: awaiting ratification again.
	itfc := m.session[arv.RoleITFC]
	changed := strings.Replace(decision, "weapon_access", "otherwise_dangerous", 1)
	if rec = m.raw("POST", path+"/decision", itfc, itfc.csrf, changed); rec.Code != 200 || strings.Contains(rec.Body.String(), `"ratified_at"`) {
		t.Fatalf("revised ground: %d %s", rec.Code, rec.Body)
	}
	page := m.raw("GET", fmt.Sprintf("/incidents/%d", i.ID), itfc, "", "")
	if !strings.Contains(page.Body.String(), "awaiting ratification") || !strings.Contains(page.Body.String(), "Command log") {
		t.Fatalf("incident page does not show awaiting ratification and the command log: %s", page.Body)
	}
	// The timeline says why, once: the first authorisation was not a change.
	if n := strings.Count(page.Body.String(), "another ground or new tactics after ratification"); n != 1 {
		t.Errorf("the timeline gives the reason for ratifying again %d times, want 1: %s", n, page.Body)
	}
	// The same ground and tactics again keep the new ratification.
	if rec = m.raw("POST", path+"/ratification", sfc2, sfc2.csrf, `{"ratify":true,"rationale":"Still proportionate."}`); rec.Code != 200 {
		t.Fatalf("ratify the revision: %d %s", rec.Code, rec.Body)
	}
	if rec = m.raw("POST", path+"/decision", itfc, itfc.csrf, changed); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ratified_at"`) {
		t.Fatalf("same ground again: %d %s", rec.Code, rec.Body)
	}
	page = m.raw("GET", fmt.Sprintf("/incidents/%d", i.ID), itfc, "", "")
	if n := strings.Count(page.Body.String(), "another ground or new tactics after ratification"); n != 1 {
		t.Errorf("after an unchanged authorisation the timeline gives the reason %d times, want 1", n)
	}
}

// TestReviseAuthorisationOnThePage: once armed deployment stands, the
// commander revises the authorisation from the incident page (the form
// comes filled with the standing one); a new ground after ratification
// leaves the incident awaiting ratification again.
func TestReviseAuthorisationOnThePage(t *testing.T) {
	m := newMatrix(t)
	itfc, sfc := m.session[arv.RoleITFC], m.session[arv.RoleSFC]
	i := m.incident(false)
	path := fmt.Sprintf("/api/v1/incidents/%d", i.ID)
	if rec := m.raw("POST", path+"/decision", itfc, itfc.csrf, decision); rec.Code != 200 {
		t.Fatalf("ITFC authorises: %d %s", rec.Code, rec.Body)
	}
	if rec := m.raw("POST", path+"/ratification", sfc, sfc.csrf, `{"ratify":true,"rationale":"Proportionate."}`); rec.Code != 200 {
		t.Fatalf("SFC ratifies: %d %s", rec.Code, rec.Body)
	}
	page := m.raw("GET", fmt.Sprintf("/incidents/%d", i.ID), itfc, "", "").Body.String()
	if !strings.Contains(page, "Revise the authorisation") || !strings.Contains(page, "will need the strategic firearms commander to ratify again") ||
		!strings.Contains(page, `<option value="weapon_access" selected>`) {
		t.Fatalf("the incident page offers no revision filled with the standing authorisation: %s", page)
	}
	var d struct {
		NDM     arv.NDM `json:"ndm"`
		Tactics string  `json:"tactics"`
	}
	m.must(json.Unmarshal([]byte(decision), &d))
	form := url.Values{"csrf_token": {itfc.csrf}, "authorised": {"yes"}, "limb": {"otherwise_dangerous"},
		"information": {d.NDM.Information}, "threat": {d.NDM.Threat}, "powers_and_policy": {d.NDM.PowersAndPolicy},
		"options": {d.NDM.Options}, "action_and_review": {d.NDM.ActionAndReview}, "tactics": {d.Tactics}}
	req := httptest.NewRequest("POST", fmt.Sprintf("/incidents/%d/decision", i.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if rec := m.serve(req, itfc, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("revised authorisation from the page: %d %s", rec.Code, rec.Body)
	}
	got, err := m.st.FindIncidentByID(m.sys(), i.ID)
	m.must(err)
	if got.RatifiedAt != nil || got.Decisions[len(got.Decisions)-1].Limb != arv.LimbDangerous {
		t.Fatalf("after a new ground from the page: ratified %v, decisions %+v; want awaiting ratification", got.RatifiedAt, got.Decisions)
	}
	page = m.raw("GET", fmt.Sprintf("/incidents/%d", i.ID), sfc, "", "").Body.String()
	if !strings.Contains(page, "awaiting ratification") || !strings.Contains(page, "Ratify or rescind") {
		t.Errorf("the SFC's page does not ask for ratification again: %s", page)
	}
}
