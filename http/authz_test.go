package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/inmem"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/sqlite"
)

// matrix is a real server on a real SQLite store with a signed-in session
// per role.
type matrix struct {
	t       *testing.T
	st      *sqlstore.Store
	h       http.Handler
	now     time.Time
	shift   *arv.RosterShift
	session map[arv.Role][2]string // cookie, csrf
	seq     atomic.Int64
}

func newMatrix(t *testing.T) *matrix {
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "arv.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := &matrix{t: t, st: st, now: arvtest.Start, session: map[arv.Role][2]string{}}
	st.Now = func() time.Time { return m.now }
	st.Router = arvtest.LineRouter{}
	st.UrbanTarget, st.RuralTarget = 15, 20
	st.MinComplement = arv.Complement{ARVs: 1, OfficersPerARV: 2}
	st.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
	st.Events = inmem.NewEventService()
	srv := arvhttp.NewServer()
	srv.Services, srv.Events, srv.Now = st, st.Events, st.Now
	m.h = srv.Handler()
	sys := m.sys()
	if m.shift, err = st.AddShift(sys, arv.NewShift{Name: "Day", Start: m.now.Add(-time.Hour), End: m.now.Add(9 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, r := range arv.Roles {
		pw := "matrix password " + string(r)
		if _, err := st.CreateUser(sys, arv.NewUser{Username: string(r), Name: r.Title(), Role: r, Password: pw}); err != nil {
			t.Fatal(err)
		}
		rec := m.raw("POST", "/api/v1/login", "", "", fmt.Sprintf(`{"username":%q,"password":%q}`, r, pw))
		if rec.Code != 200 {
			t.Fatalf("login %s: %d %s", r, rec.Code, rec.Body)
		}
		var body struct {
			CSRF string `json:"csrf_token"`
		}
		json.Unmarshal(rec.Body.Bytes(), &body)
		var cookie string
		for _, c := range rec.Result().Cookies() {
			if c.Name == "arv_session" {
				cookie = c.Name + "=" + c.Value
			}
		}
		m.session[r] = [2]string{cookie, body.CSRF}
	}
	return m
}

func (m *matrix) sys() context.Context {
	return arv.NewContextWithUser(context.Background(), arv.SystemUser)
}

func (m *matrix) raw(method, path, cookie, csrf, body string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	if strings.HasSuffix(path, "/events") {
		ctx, cancel := context.WithTimeout(req.Context(), 50*time.Millisecond)
		defer cancel()
		req = req.WithContext(ctx)
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	return rec
}

func (m *matrix) n() int64 { return m.seq.Add(1) }

func (m *matrix) must(err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
}

// officer creates a deployable officer.
func (m *matrix) officer() *arv.Officer {
	return arvtest.MustOfficer(m.t, m.st, fmt.Sprintf("M%d", m.n()), arv.DateOf(m.now.AddDate(1, 0, 0)), m.now)
}

// unit creates a free ARV crewed on the current shift.
func (m *matrix) unit() *arv.Unit {
	u, err := m.st.CreateUnit(m.sys(), arv.NewUnit{CallSign: fmt.Sprintf("U%d", m.n()), Base: "Devizes", Position: arvtest.Devizes})
	m.must(err)
	for range 2 {
		_, err := m.st.AssignCrew(m.sys(), m.shift.ID, arv.RosterAssignment{UnitID: u.ID, OfficerID: m.officer().ID})
		m.must(err)
	}
	return u
}

// incident creates an incident, authorised when asked.
func (m *matrix) incident(authorised bool) *arv.Incident {
	i, err := m.st.CreateIncident(m.sys(), arv.NewIncident{Position: &arvtest.Devizes, Description: "matrix"})
	m.must(err)
	if authorised {
		i, err = m.st.Decide(m.sys(), i.ID, arvtest.Decision(true))
		m.must(err)
	}
	return i
}

const decision = `{"authorised":true,"limb":"weapon_access","ndm":{"information":"i","threat":"t","powers_and_policy":"p","options":"o","action_and_review":"a"},"tactics":"containment"}`

// request returns the path and body of a request to rt that succeeds for a
// permitted role, building fresh records so that each call stands alone.
func (m *matrix) request(rt arvhttp.Route) (string, string) {
	p := rt.Pattern
	id := func(name string, v int64) { p = strings.Replace(p, "{"+name+"}", fmt.Sprint(v), 1) }
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/users":
		return p, fmt.Sprintf(`{"username":"u%d","name":"New User","role":"planner","password":"a long enough password"}`, m.n())
	case "POST /api/v1/officers":
		return p, fmt.Sprintf(`{"collar":"C%d","name":"PC New","rank":"PC","team":1}`, m.n())
	case "GET /api/v1/officers/{id}", "POST /api/v1/officers/{id}/accreditations", "POST /api/v1/officers/{id}/fitness":
		id("id", m.officer().ID)
		switch {
		case strings.HasSuffix(p, "accreditations"):
			return p, `{"kind":"Taser","issued":"2026-01-01","expires":"2027-01-01"}`
		case strings.HasSuffix(p, "fitness"):
			return p, `{"taken":"2026-11-01","passed":true}`
		}
		return p, ""
	case "POST /api/v1/officers/{id}/accreditations/{aid}/revoke":
		o := m.officer()
		id("id", o.ID)
		id("aid", o.Accreditations[0].ID)
		return p, ""
	case "POST /api/v1/units":
		return p, fmt.Sprintf(`{"call_sign":"N%d","base":"Devizes","position":{"lat":51.35,"lon":-1.99}}`, m.n())
	case "GET /api/v1/units/{id}":
		id("id", m.unit().ID)
		return p, ""
	case "POST /api/v1/units/{id}/status":
		id("id", m.unit().ID)
		return p, `{"status":"mobile","position":{"lat":51.36,"lon":-1.98}}`
	case "POST /api/v1/roster/shifts":
		start := m.now.Add(time.Duration(m.n()) * 24 * time.Hour)
		return p, fmt.Sprintf(`{"name":"Late","start":%q,"end":%q}`, start.Format(time.RFC3339), start.Add(10*time.Hour).Format(time.RFC3339))
	case "POST /api/v1/roster/shifts/{id}/crew", "DELETE /api/v1/roster/shifts/{id}/crew/{officer}":
		start := m.now.Add(time.Duration(m.n()) * 24 * time.Hour)
		sh, err := m.st.AddShift(m.sys(), arv.NewShift{Name: "Late", Start: start, End: start.Add(10 * time.Hour)})
		m.must(err)
		u := m.unit()
		o := m.officer()
		id("id", sh.ID)
		if rt.Method == "DELETE" {
			_, err := m.st.AssignCrew(m.sys(), sh.ID, arv.RosterAssignment{UnitID: u.ID, OfficerID: o.ID})
			m.must(err)
			id("officer", o.ID)
			return p, ""
		}
		return p, fmt.Sprintf(`{"unit_id":%d,"officer_id":%d}`, u.ID, o.ID)
	case "POST /api/v1/incidents":
		return p, `{"position":{"lat":51.35,"lon":-1.99},"description":"Matrix call"}`
	case "GET /api/v1/incidents/{id}", "GET /api/v1/incidents/{id}/recommendation", "POST /api/v1/incidents/{id}/decision":
		id("id", m.incident(false).ID)
		if rt.Method == "POST" {
			return p, decision
		}
		return p, ""
	case "POST /api/v1/incidents/{id}/ratification":
		id("id", m.incident(true).ID)
		return p, `{"ratify":true,"rationale":"Proportionate."}`
	case "POST /api/v1/incidents/{id}/assignments":
		id("id", m.incident(true).ID)
		return p, fmt.Sprintf(`{"unit_id":%d}`, m.unit().ID)
	case "POST /api/v1/incidents/{id}/assignments/{unit}/release":
		i, u := m.incident(true), m.unit()
		_, err := m.st.Assign(m.sys(), i.ID, u.ID)
		m.must(err)
		id("id", i.ID)
		id("unit", u.ID)
		return p, `{"reason":"needed elsewhere"}`
	case "POST /api/v1/incidents/{id}/stand-down":
		id("id", m.incident(true).ID)
		return p, `{"reason":"resolved"}`
	case "POST /api/v1/self-deployments":
		return p, fmt.Sprintf(`{"unit_id":%d,"position":{"lat":51.35,"lon":-1.99},"description":"Shots","reason":"Shots heard nearby"}`, m.unit().ID)
	case "POST /api/v1/patrols":
		return p, fmt.Sprintf(`{"site":"Site %d","position":{"lat":51.17,"lon":-1.82},"start":"08:00","hours_per_day":12,"check_in_minutes":60}`, m.n())
	case "POST /api/v1/patrols/{id}/check-ins":
		pl, err := m.st.CreatePatrolPlan(m.sys(), arv.NewPatrolPlan{Site: fmt.Sprintf("Plan %d", m.n()), Position: arvtest.Salisbury, Start: "08:00", HoursPerDay: 12, CheckInMinutes: 60})
		m.must(err)
		id("id", pl.ID)
		return p, `{"unit_id":0}`
	case "GET /api/v1/returns/annual":
		return p + "?year=2026", ""
	case "GET /api/v1/returns/response-times":
		return p + "?month=2026-11", ""
	}
	if strings.Contains(p, "{") {
		m.t.Fatalf("no request built for %s %s: add it to the matrix", rt.Method, rt.Pattern)
	}
	return p, ""
}

// TestAuthorisationMatrix sends every route as every role and anonymously:
// a permitted role succeeds (2xx), any other gets 403 with code forbidden,
// and an anonymous request gets 401.
func TestAuthorisationMatrix(t *testing.T) {
	m := newMatrix(t)
	checked := 0
	for _, rt := range arvhttp.Routes() {
		if rt.Public {
			continue
		}
		path, body := m.request(rt)
		if rec := m.raw(rt.Method, path, "", "", body); rec.Code != http.StatusUnauthorized {
			t.Errorf("anonymous %s %s: %d, want 401", rt.Method, rt.Pattern, rec.Code)
		}
		for _, role := range arv.Roles {
			if rt.Action == "" {
				continue
			}
			path, body := m.request(rt)
			s := m.session[role]
			rec := m.raw(rt.Method, path, s[0], s[1], body)
			checked++
			allowed := arv.Permitted(role, rt.Action)
			switch {
			case allowed && (rec.Code < 200 || rec.Code > 299):
				t.Errorf("%s %s as %s: %d %s, want success", rt.Method, rt.Pattern, role, rec.Code, strings.TrimSpace(rec.Body.String()))
			case !allowed && (rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"forbidden"`)):
				t.Errorf("%s %s as %s: %d %s, want 403 forbidden", rt.Method, rt.Pattern, role, rec.Code, strings.TrimSpace(rec.Body.String()))
			}
		}
	}
	// 36 routes need a permission today; a route dropped from the list
	// (and so from the server) must be noticed.
	if want := 36 * len(arv.Roles); checked < want {
		t.Errorf("checked %d role x route pairs, want at least %d", checked, want)
	}
	t.Logf("checked %d role x route pairs", checked)
}
