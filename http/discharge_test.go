package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/inmem"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/postgres"
	"github.com/arv-project/arv/sqlite"
)

// After a discharge (issue 12): the authorisation matrix's requests for
// the new routes, and the API flow through a discharge with serious
// injury to the IOPC referral, debrief, sign-off and an amendment, on
// SQLite and PostgreSQL.

// dischargeIncident returns an authorised incident with an ARV assigned
// and, when dsi, a carbine discharge causing serious injury; stood down
// when asked, and then referred to the IOPC.
func (m *matrix) dischargeIncident(dsi, stoodDown bool) *arv.Incident {
	m.t.Helper()
	i, u := m.incident(true), m.unit()
	_, err := m.st.Assign(m.sys(), i.ID, u.ID)
	m.must(err)
	if dsi {
		_, err = m.st.RecordDischarge(m.sys(), i.ID, arv.NewDischarge{OfficerID: m.officer().ID, Weapon: arv.WeaponCarbine, Rounds: 2, AtPerson: true, Injury: arv.InjurySerious, Circumstances: "matrix"})
		m.must(err)
	}
	if stoodDown {
		_, err = m.st.StandDown(m.sys(), i.ID, arv.StandDown{Reason: "resolved"})
		m.must(err)
		if dsi {
			_, err = m.st.ReferToIOPC(m.sys(), i.ID, arv.NewIOPCReferral{Reference: "IOPC/1", By: "PSD"})
			m.must(err)
		}
	}
	i, err = m.st.FindIncidentByID(m.sys(), i.ID)
	m.must(err)
	return i
}

// signedOff returns a stood-down incident whose log is signed off.
func (m *matrix) signedOff() *arv.Incident {
	i := m.dischargeIncident(false, true)
	i, err := m.st.SignOff(m.sys(), i.ID, arv.SignOffRequest{})
	m.must(err)
	return i
}

// dischargeAPIRequest builds the matrix's API requests for the
// after-discharge routes.
func (m *matrix) dischargeAPIRequest(rt arvhttp.Route) (string, string, bool) {
	// Sign-off is narrowed by a force setting; here the permission table
	// alone decides, so both roles it names may sign off.
	m.st.SignOffRoles = []arv.Role{arv.RoleTFC, arv.RoleSFC}
	p := rt.Pattern
	id := func(v int64) string { return strings.Replace(p, "{id}", fmt.Sprint(v), 1) }
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/incidents/{id}/discharges":
		return id(m.dischargeIncident(false, false).ID), fmt.Sprintf(`{"officer_id":%d,"weapon":"pistol","rounds":1,"at_person":false,"injury":"none","circumstances":"Dog destroyed."}`, m.officer().ID), true
	case "POST /api/v1/incidents/{id}/post-incident/manager":
		return id(m.dischargeIncident(true, false).ID), fmt.Sprintf(`{"officer_id":%d}`, m.officer().ID), true
	case "POST /api/v1/incidents/{id}/post-incident/witnesses":
		return id(m.dischargeIncident(true, false).ID), fmt.Sprintf(`{"officer_id":%d,"note":"cover officer"}`, m.officer().ID), true
	case "POST /api/v1/incidents/{id}/post-incident/iopc-referral":
		return id(m.dischargeIncident(true, false).ID), `{"reference":"IOPC/2026/9","by":"PSD duty officer"}`, true
	case "POST /api/v1/incidents/{id}/debriefs":
		return id(m.dischargeIncident(false, true).ID), `{"led_by":"Insp Hale","notes":"Learning points."}`, true
	case "POST /api/v1/incidents/{id}/sign-off":
		return id(m.dischargeIncident(true, true).ID), `{"note":"Complete."}`, true
	case "POST /api/v1/incidents/{id}/amendments":
		return id(m.signedOff().ID), `{"corrects":"stand-down reason","text":"Resolved by arrest."}`, true
	}
	return "", "", false
}

// dischargePageRequest builds the matrix's form posts for the
// after-discharge routes.
func (m *matrix) dischargePageRequest(rt arvhttp.Route) (call, bool) {
	m.st.SignOffRoles = []arv.Role{arv.RoleTFC, arv.RoleSFC}
	var i *arv.Incident
	var form url.Values
	var what string
	var ok func(*arv.Incident) bool
	switch rt.Method + " " + rt.Pattern {
	case "POST /incidents/{id}/discharges":
		i = m.dischargeIncident(false, false)
		form = url.Values{"officer_id": {fmt.Sprint(m.officer().ID)}, "weapon": {"aep"}, "rounds": {"1"}, "at_person": {"yes"}, "injury": {"minor"}, "circumstances": {"AEP fired at a man with a knife."}}
		what, ok = "with a discharge", func(i *arv.Incident) bool { return len(i.Discharges) == 1 }
	case "POST /incidents/{id}/post-incident/manager":
		i = m.dischargeIncident(true, false)
		form = url.Values{"officer_id": {fmt.Sprint(m.officer().ID)}}
		what, ok = "with a post-incident manager", func(i *arv.Incident) bool { return i.PostIncident.ManagerID != 0 }
	case "POST /incidents/{id}/post-incident/witnesses":
		i = m.dischargeIncident(true, false)
		form = url.Values{"officer_id": {fmt.Sprint(m.officer().ID)}, "note": {"cover officer"}}
		what, ok = "with a key witness", func(i *arv.Incident) bool { return len(i.PostIncident.Witnesses) == 1 }
	case "POST /incidents/{id}/post-incident/iopc-referral":
		i = m.dischargeIncident(true, false)
		form = url.Values{"reference": {"IOPC/2026/10"}, "by": {"PSD"}, "at": {arv.Local(m.now).Format("2006-01-02T15:04")}}
		what, ok = "referred", func(i *arv.Incident) bool { return i.PostIncident.Referral != nil }
	case "POST /incidents/{id}/debriefs":
		i = m.dischargeIncident(false, true)
		form = url.Values{"led_by": {"Insp Hale"}, "notes": {"Learning points."}}
		what, ok = "debriefed", func(i *arv.Incident) bool { return len(i.Debriefs) == 1 }
	case "POST /incidents/{id}/sign-off":
		i = m.dischargeIncident(true, true)
		form = url.Values{"note": {"Complete."}}
		what, ok = "signed off", func(i *arv.Incident) bool { return i.SignedOff != nil }
	case "POST /incidents/{id}/amendments":
		i = m.signedOff()
		form = url.Values{"corrects": {"stand-down reason"}, "text": {"Resolved by arrest."}}
		what, ok = "amended", func(i *arv.Incident) bool { return len(i.Amendments) == 1 }
	default:
		return call{}, false
	}
	path := strings.Replace(rt.Pattern, "{id}", fmt.Sprint(i.ID), 1)
	return call{path: path, form: form, location: fmt.Sprintf("/incidents/%d", i.ID),
		check: func(sess, string) error { return m.incidentWhere(i.ID, what, ok) }}, true
}

// flowClient is a signed-in API client of one role.
type flowClient struct {
	t    *testing.T
	h    http.Handler
	cook string
	csrf string
}

// do sends a JSON request and checks the status; out, if not nil,
// receives the body.
func (c *flowClient) do(method, path, body string, want int, out any) string {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.cook != "" {
		req.Header.Set("Cookie", c.cook)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, rec.Code, rec.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return rec.Body.String()
}

// dischargeFlow runs the after-discharge API flow on st.
func dischargeFlow(t *testing.T, st *sqlstore.Store) {
	now := arvtest.Start
	st.Now = func() time.Time { return now }
	st.Router = arvtest.LineRouter{}
	st.UrbanTarget, st.RuralTarget = 15, 20
	st.MinComplement = arv.Complement{ARVs: 1, OfficersPerARV: 2}
	st.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
	if st.Events == nil {
		st.Events = inmem.NewEventService()
	}
	srv := arvhttp.NewServer()
	srv.Services, srv.Events, srv.Now = st, st.Events, st.Now
	srv.Logger = slog.New(slog.DiscardHandler)
	h := srv.Handler()

	sys := arv.NewContextWithUser(context.Background(), arv.SystemUser)
	f := arvtest.MustForce(t, st, now)
	clients := map[arv.Role]*flowClient{}
	tickets := map[arv.Role]arv.Accreditation{arv.RoleITFC: arv.AccITFC, arv.RoleTFC: arv.AccTFC, arv.RoleSFC: arv.AccSFC}
	for _, r := range []arv.Role{arv.RoleITFC, arv.RoleTFC, arv.RoleSFC} {
		pw := "flow password " + string(r)
		// Commanders are linked to officers holding their command ticket.
		o := arvtest.CommandOfficer(t, st, "CMD-"+string(tickets[r]), tickets[r], arv.DateOf(now.AddDate(-1, 0, 0)), arv.DateOf(now.AddDate(1, 0, 0)))
		if _, err := st.CreateUser(sys, arv.NewUser{Username: string(r), Name: r.Title(), Role: r, Password: pw, OfficerID: o.ID}); err != nil {
			t.Fatal(err)
		}
		c := &flowClient{t: t, h: h}
		var login struct {
			CSRF string `json:"csrf_token"`
		}
		req := httptest.NewRequest("POST", "/api/v1/login", bytes.NewBufferString(fmt.Sprintf(`{"username":%q,"password":%q}`, r, pw)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &login) != nil {
			t.Fatalf("login %s: %d %s", r, rec.Code, rec.Body)
		}
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == arvhttp.SessionCookie {
				c.cook = ck.Name + "=" + ck.Value
			}
		}
		c.csrf = login.CSRF
		clients[r] = c
	}
	itfc, tfc, sfc := clients[arv.RoleITFC], clients[arv.RoleTFC], clients[arv.RoleSFC]

	var inc struct {
		ID           int64  `json:"id"`
		Status       string `json:"status"`
		Discharges   []arv.Discharge
		PostIncident *arv.PostIncident `json:"post_incident"`
		Debriefs     []arv.Debrief
		SignedOff    *arv.SignOff `json:"signed_off"`
		Amendments   []arv.Amendment
	}
	itfc.do("POST", "/api/v1/incidents", `{"position":{"lat":51.5580,"lon":-1.7820},"description":"Man with a handgun in the car park"}`, 201, &inc)
	base := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)
	itfc.do("POST", base+"/decision", decision, 200, nil)
	itfc.do("POST", base+"/assignments", fmt.Sprintf(`{"unit_id":%d}`, f.Units["ARV2"].ID), 200, nil)

	now = now.Add(9 * time.Minute)
	a3, a4, a5 := f.Officers["A3"].ID, f.Officers["A4"].ID, f.Officers["A5"].ID
	tfc.do("POST", base+"/discharges", fmt.Sprintf(`{"officer_id":%d,"weapon":"carbine","rounds":2,"at_person":true,"injury":"serious","circumstances":"Subject pointed a handgun at the public; two carbine rounds fired."}`, a3), 200, &inc)
	if len(inc.Discharges) != 1 || inc.PostIncident == nil || inc.PostIncident.Referral != nil {
		t.Fatalf("after the discharge: %+v", inc)
	}
	now = now.Add(20 * time.Minute)
	var alerts struct{ Alerts []arv.Alert }
	itfc.do("GET", "/api/v1/alerts", "", 200, &alerts)
	var iopc *arv.Alert
	for k := range alerts.Alerts {
		if alerts.Alerts[k].Kind == arv.AlertIOPCReferral {
			iopc = &alerts.Alerts[k]
		}
	}
	if iopc == nil || iopc.Severity != "urgent" || !strings.Contains(iopc.Message, fmt.Sprintf("Incident %d", inc.ID)) || !strings.Contains(iopc.Message, "20 min ago") {
		t.Fatalf("IOPC alert = %+v in %+v", iopc, alerts.Alerts)
	}

	tfc.do("POST", base+"/stand-down", `{"reason":"Subject detained; taken to hospital under armed escort"}`, 200, nil)
	if body := sfc.do("POST", base+"/sign-off", `{}`, 409, nil); !strings.Contains(body, "no IOPC referral") {
		t.Fatalf("sign-off without the referral: %s", body)
	}
	tfc.do("POST", base+"/post-incident/manager", fmt.Sprintf(`{"officer_id":%d}`, a5), 200, nil)
	tfc.do("POST", base+"/post-incident/witnesses", fmt.Sprintf(`{"officer_id":%d,"note":"fired two carbine rounds"}`, a3), 200, nil)
	tfc.do("POST", base+"/post-incident/witnesses", fmt.Sprintf(`{"officer_id":%d,"note":"cover officer, saw the discharge"}`, a4), 200, nil)
	sfc.do("POST", base+"/post-incident/iopc-referral", fmt.Sprintf(`{"at":%q,"reference":"IOPC/2026/0042","by":"Supt Ray, professional standards"}`, now.Add(-5*time.Minute).Format(time.RFC3339)), 200, &inc)
	if r := inc.PostIncident.Referral; r == nil || r.Reference != "IOPC/2026/0042" || len(inc.PostIncident.Witnesses) != 2 || inc.PostIncident.ManagerID != a5 {
		t.Fatalf("post-incident procedure = %+v", inc.PostIncident)
	}
	itfc.do("GET", "/api/v1/alerts", "", 200, &alerts)
	for _, a := range alerts.Alerts {
		if a.Kind == arv.AlertIOPCReferral {
			t.Fatalf("IOPC alert after the referral: %+v", a)
		}
	}
	now = now.Add(4 * time.Hour)
	tfc.do("POST", base+"/debriefs", `{"led_by":"Insp Hale (post-incident manager)","notes":"Learning: AEP was not carried on the first ARV."}`, 200, nil)
	if body := tfc.do("POST", base+"/sign-off", `{}`, 403, nil); !strings.Contains(body, "strategic firearms commander") {
		t.Fatalf("sign-off by the TFC: %s", body)
	}
	sfc.do("POST", base+"/sign-off", `{"note":"Log complete and checked."}`, 200, &inc)
	if inc.SignedOff == nil || inc.SignedOff.By != "sfc" || len(inc.Debriefs) != 1 {
		t.Fatalf("after sign-off: %+v", inc)
	}
	for _, w := range []struct{ path, body string }{
		{"/decision", decision},
		{"/discharges", fmt.Sprintf(`{"officer_id":%d,"weapon":"pistol","rounds":1,"at_person":false,"injury":"none","circumstances":"late entry"}`, a4)},
		{"/debriefs", `{"led_by":"x","notes":"y"}`},
	} {
		if body := tfc.do("POST", base+w.path, w.body, 409, nil); !strings.Contains(body, "signed off by sfc") || !strings.Contains(body, "amendment") {
			t.Fatalf("write %s after sign-off: %s", w.path, body)
		}
	}
	tfc.do("POST", base+"/amendments", `{"corrects":"discharge: rounds","text":"Three rounds were fired, not two (armourer's count)."}`, 200, &inc)
	if len(inc.Amendments) != 1 || inc.Amendments[0].By != "tfc" || inc.Discharges[0].Rounds != 2 {
		t.Fatalf("amendment: %+v, discharge %+v", inc.Amendments, inc.Discharges)
	}
	var audit struct {
		Entries []arv.AuditEntry `json:"entries"`
	}
	sfc.do("GET", "/api/v1/audit?entity="+url.QueryEscape(fmt.Sprintf("incident/%d", inc.ID)), "", 200, &audit)
	var actions []string
	for _, e := range audit.Entries {
		actions = append(actions, e.Action)
	}
	got := strings.Join(actions, " ")
	for _, want := range []string{"incident.discharge", "incident.iopc_referral", "incident.debrief", "incident.sign_off", "incident.amend"} {
		if !strings.Contains(got, want) {
			t.Fatalf("audit of the incident lacks %s: %s", want, got)
		}
	}
	// The incident page shows the record.
	req := httptest.NewRequest("GET", fmt.Sprintf("/incidents/%d", inc.ID), nil)
	req.Header.Set("Cookie", sfc.cook)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	page := rec.Body.String()
	for _, want := range []string{"IOPC/2026/0042", "Deployment log signed off by sfc", "Three rounds were fired", "carbine",
		"Discharge: carbine, 2 round(s) by PC A3 (A3) at a person; injury serious", "Referred to the IOPC by Supt Ray"} {
		if rec.Code != 200 || !strings.Contains(page, want) {
			t.Fatalf("incident page %d lacks %q", rec.Code, want)
		}
	}
}

func TestDischargeFlowSQLite(t *testing.T) {
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "arv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	dischargeFlow(t, st)
}

func TestDischargeFlowPostgres(t *testing.T) {
	dsn := os.Getenv("ARV_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("ARV_REQUIRE_POSTGRES") != "" {
			t.Fatal("ARV_REQUIRE_POSTGRES is set but ARV_TEST_POSTGRES_DSN is not")
		}
		t.Skip("set ARV_TEST_POSTGRES_DSN to run against PostgreSQL; .ci/run does")
	}
	schema := fmt.Sprintf("arvhttp_discharge_%d", os.Getpid())
	t.Cleanup(func() { postgres.DropSchema(context.Background(), dsn, schema) })
	db, err := postgres.Open(t.Context(), dsn, schema, inmem.NewEventService())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	dischargeFlow(t, db.Store)
}
