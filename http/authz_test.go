package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/inmem"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/sqlstore"
	"github.com/arv-project/arv/sqlite"
)

// matrix is a real server on a real SQLite store, with a road map and a
// planner so that every page works, and a signed-in session per role.
type matrix struct {
	t       *testing.T
	dbPath  string
	st      *sqlstore.Store
	srv     *arvhttp.Server
	h       http.Handler
	now     time.Time
	shift   *arv.RosterShift
	session map[arv.Role]sess
	seq     atomic.Int64
	// plans counts the plans run from the planning page.
	plans atomic.Int64
}

// sess is a signed-in session: its cookie ("arv_session=…") and CSRF
// token.
type sess struct{ cookie, csrf string }

// matrixPassword is the password of the user of role r.
func matrixPassword(r arv.Role) string { return "matrix password " + string(r) }

func newMatrix(t *testing.T) *matrix {
	dbPath := filepath.Join(t.TempDir(), "arv.db")
	st, err := sqlite.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := &matrix{t: t, dbPath: dbPath, st: st, now: arvtest.Start, session: map[arv.Role]sess{}}
	st.Now = func() time.Time { return m.now }
	st.Router = arvtest.LineRouter{}
	st.UrbanTarget, st.RuralTarget = 15, 20
	st.MinComplement = arv.Complement{ARVs: 1, OfficersPerARV: 2}
	st.PasswordCost = sqlstore.PasswordCost{Time: 1, MemoryKiB: 64, Threads: 1}
	st.Events = inmem.NewEventService()
	srv := arvhttp.NewServer()
	srv.Services, srv.Events, srv.Now = st, st.Events, st.Now
	srv.Logger = slog.New(slog.DiscardHandler)
	srv.Roads = []arvhttp.MapLine{{Points: []geo.Point{arvtest.Swindon, arvtest.Devizes, arvtest.Salisbury}, Major: true}}
	srv.Planner = testPlanner{names: []string{"matrix", "slow"}, plan: func(ctx context.Context, scenario string) (string, error) {
		if scenario == "slow" {
			<-ctx.Done() // runs until cancelled
			return "", ctx.Err()
		}
		m.plans.Add(1)
		return `<!doctype html><title>Plan</title><p class="summary">Matrix plan for ` + scenario + `</p>`, nil
	}}
	m.srv = srv
	m.h = srv.Handler()
	sys := m.sys()
	if m.shift, err = st.AddShift(sys, arv.NewShift{Name: "Day", Start: m.now.Add(-time.Hour), End: m.now.Add(9 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, r := range arv.Roles {
		if _, err := st.CreateUser(sys, arv.NewUser{Username: string(r), Name: r.Title(), Role: r, Password: matrixPassword(r), OfficerID: m.commandOfficer(r)}); err != nil {
			t.Fatal(err)
		}
		m.session[r] = m.login(r)
	}
	return m
}

// login starts a new session as the user of role r.
func (m *matrix) login(r arv.Role) sess {
	m.t.Helper()
	rec := m.raw("POST", "/api/v1/login", sess{}, "", fmt.Sprintf(`{"username":%q,"password":%q}`, r, matrixPassword(r)))
	if rec.Code != 200 {
		m.t.Fatalf("login %s: %d %s", r, rec.Code, rec.Body)
	}
	var body struct {
		CSRF string `json:"csrf_token"`
	}
	m.must(json.Unmarshal(rec.Body.Bytes(), &body))
	s := sess{csrf: body.CSRF}
	for _, c := range rec.Result().Cookies() {
		if c.Name == arvhttp.SessionCookie {
			s.cookie = c.Name + "=" + c.Value
		}
	}
	if s.cookie == "" || s.csrf == "" {
		m.t.Fatalf("login %s: no session", r)
	}
	return s
}

func (m *matrix) sys() context.Context {
	return arv.NewContextWithUser(context.Background(), arv.SystemUser)
}

// raw sends a request with the session's cookie, if any, and csrf in the
// X-CSRF-Token header, if not empty.
func (m *matrix) raw(method, path string, s sess, csrf, body string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	return m.serve(req, s, csrf)
}

func (m *matrix) serve(req *http.Request, s sess, csrf string) *httptest.ResponseRecorder {
	if s.cookie != "" {
		req.Header.Set("Cookie", s.cookie)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	if strings.HasSuffix(req.URL.Path, "/events") {
		ctx, cancel := context.WithTimeout(req.Context(), 50*time.Millisecond)
		defer cancel()
		req = req.WithContext(ctx)
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	return rec
}

// call is one request to a route, built fresh for each send.
type call struct {
	path string
	// json is the body of an API request.
	json string
	// form is the body of a page's form, without the CSRF token.
	form url.Values
	// location is, for a form, the pattern of the Location that its
	// success redirects to.
	location string
	// check, if set, tells whether a success really changed the record;
	// location is the redirect's.
	check func(s sess, location string) error
}

// send sends c to rt as s, with csrf as the session's CSRF token: in the
// form of a page's form post, in the header of an API request.
func (m *matrix) send(rt arvhttp.Route, c call, s sess, csrf string) *httptest.ResponseRecorder {
	if !rt.Page {
		return m.raw(rt.Method, c.path, s, csrf, c.json)
	}
	var req *http.Request
	if c.form != nil {
		form := url.Values{}
		for k, v := range c.form {
			form[k] = v
		}
		if csrf != "" {
			form.Set("csrf_token", csrf)
		}
		req = httptest.NewRequest(rt.Method, c.path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(rt.Method, c.path, nil)
	}
	return m.serve(req, s, "")
}

// succeeded returns why rec is not the success of c, "" if it is: 2xx for
// the API and page views; for a form, 303 to its location and the record
// changed.
func (m *matrix) succeeded(rt arvhttp.Route, c call, s sess, rec *httptest.ResponseRecorder) string {
	body := strings.TrimSpace(rec.Body.String())
	switch {
	case !rt.Page || rt.Method == "GET":
		if rec.Code < 200 || rec.Code > 299 {
			return fmt.Sprintf("%d %.300s", rec.Code, body)
		}
		if rt.Page && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			return "Content-Type " + rec.Header().Get("Content-Type")
		}
	default:
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !regexp.MustCompile("^"+c.location+"$").MatchString(loc) {
			return fmt.Sprintf("%d to %q, want 303 to %s: %.300s", rec.Code, loc, c.location, body)
		}
		if c.check != nil {
			if err := c.check(s, loc); err != nil {
				return err.Error()
			}
		}
	}
	return ""
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
	// Each ARV has a shift of its own (the day's times): a roster change
	// then reads one crew, not the hundreds the matrix makes.
	sh, err := m.st.AddShift(m.sys(), arv.NewShift{Name: "Day " + u.CallSign, Start: m.shift.Start, End: m.shift.End})
	m.must(err)
	for range 2 {
		_, err := m.st.AssignCrew(m.sys(), sh.ID, arv.RosterAssignment{UnitID: u.ID, OfficerID: m.officer().ID})
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

// patrol creates a key-site patrol plan.
func (m *matrix) patrol() *arv.PatrolPlan {
	pl, err := m.st.CreatePatrolPlan(m.sys(), arv.NewPatrolPlan{Site: fmt.Sprintf("Plan %d", m.n()), Position: arvtest.Salisbury, Start: "08:00", HoursPerDay: 12, CheckInMinutes: 60})
	m.must(err)
	return pl
}

// incidentWhere checks incident id against ok.
func (m *matrix) incidentWhere(id int64, what string, ok func(*arv.Incident) bool) error {
	i, err := m.st.FindIncidentByID(m.sys(), id)
	if err != nil {
		return err
	}
	if !ok(i) {
		return fmt.Errorf("incident %d is not %s: status %s", id, what, i.Status)
	}
	return nil
}

// assignment returns the assignment of unit to i, if any.
func assignment(i *arv.Incident, unit int64) *arv.Assignment {
	for k := range i.Assignments {
		if i.Assignments[k].UnitID == unit {
			return &i.Assignments[k]
		}
	}
	return nil
}

// runPlan runs a plan from the planning page as the administrator and
// returns the new report's id.
func (m *matrix) runPlan() int64 {
	m.t.Helper()
	m.startPlan("matrix")
	if failed := arvhttp.WaitForPlans(m.srv); failed != "" {
		m.t.Fatal(failed)
	}
	reports, err := m.st.FindPlanReports(m.sys(), 1)
	if err != nil || len(reports) == 0 {
		m.t.Fatalf("no plan report kept: %v", err)
	}
	return reports[0].ID
}

// startPlan starts a plan of scenario from the planning page as the
// administrator, once any plan left running is cancelled.
func (m *matrix) startPlan(scenario string) {
	m.t.Helper()
	arvhttp.CancelPlan(m.srv)
	rt := arvhttp.Route{Method: "POST", Pattern: "/planning", Page: true}
	if rec := m.send(rt, call{path: "/planning", form: url.Values{"scenario": {scenario}}}, m.session[arv.RoleAdministrator], m.session[arv.RoleAdministrator].csrf); rec.Code != http.StatusSeeOther {
		m.t.Fatalf("run a plan: %d %s", rec.Code, rec.Body)
	}
}

// testPlanner is a Planner whose plans a function makes.
type testPlanner struct {
	names []string
	plan  func(ctx context.Context, scenario string) (string, error)
}

func (p testPlanner) Scenarios() []string { return p.names }

func (p testPlanner) Plan(ctx context.Context, scenario string) (string, error) {
	return p.plan(ctx, scenario)
}

const decision = `{"authorised":true,"limb":"weapon_access","ndm":{"information":"i","threat":"t","powers_and_policy":"p","options":"o","action_and_review":"a"},"tactics":"containment"}`

// request returns a request to rt that succeeds for a permitted role,
// building fresh records so that each call stands alone.
func (m *matrix) request(rt arvhttp.Route) call {
	if rt.Page {
		return m.pageRequest(rt)
	}
	path, body := m.apiRequest(rt)
	return call{path: path, json: body}
}

// apiRequest returns the path and body of an API request to rt.
func (m *matrix) apiRequest(rt arvhttp.Route) (string, string) {
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
	case "PUT /api/v1/users/{id}/officer":
		u, err := m.st.CreateUser(m.sys(), arv.NewUser{Username: fmt.Sprintf("link%d", m.n()), Name: "Linked", Role: arv.RoleTFC, Password: "a long enough password"})
		m.must(err)
		id("id", u.ID)
		return p, fmt.Sprintf(`{"officer_id":%d}`, m.officer().ID)
	case "POST /api/v1/incidents/{id}/command":
		id("id", m.incident(true).ID)
		return p, `{"level":"TFC","note":"Taking command."}`
	case "POST /api/v1/incidents/{id}/advice":
		id("id", m.incident(true).ID)
		return p, `{"adviser":"PS Reid","advice":"Contain from the north."}`
	case "POST /api/v1/incidents/{id}/strategy":
		id("id", m.incident(true).ID)
		return p, `{"strategy":"Contain and arrest.","tactical_parameters":"No armed entry."}`
	case "GET /api/v1/returns/annual":
		return p + "?year=2026", ""
	case "GET /api/v1/returns/response-times":
		return p + "?month=2026-11", ""
	// Issue 12: duty status, return submission, the planning export.
	case "POST /api/v1/officers/{id}/duty":
		id("id", m.officer().ID)
		return p, `{"status":"sick","from":"2026-11-26","to":"2026-11-27","note":"matrix"}`
	case "POST /api/v1/returns/annual/submissions":
		return p, `{"year":2025,"reason":"Matrix resubmission."}`
	case "GET /api/v1/returns/annual/submissions":
		return p + "?year=2025", ""
	case "GET /api/v1/incidents/export":
		return p + "?from=2026-11-01&to=2026-11-30&format=csv", ""
	}
	if path, body, ok := m.dischargeAPIRequest(rt); ok {
		return path, body
	}
	if strings.Contains(p, "{") {
		m.t.Fatalf("no request built for %s %s: add it to the matrix", rt.Method, rt.Pattern)
	}
	return p, ""
}

// pageRequest returns a request to page route rt: its path and, for a
// form, the form, the Location of its success and how to see that the
// record changed.
func (m *matrix) pageRequest(rt arvhttp.Route) call {
	p := rt.Pattern
	id := func(name string, v int64) { p = strings.Replace(p, "{"+name+"}", fmt.Sprint(v), 1) }
	form := func(kv ...string) url.Values {
		f := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	incident := func(i *arv.Incident, what string, ok func(*arv.Incident) bool) func(sess, string) error {
		return func(sess, string) error { return m.incidentWhere(i.ID, what, ok) }
	}
	switch rt.Method + " " + rt.Pattern {
	case "POST /logout":
		return call{path: p, form: form(), location: "/login", check: func(s sess, _ string) error {
			if rec := m.raw("GET", "/api/v1/me", s, "", ""); rec.Code != http.StatusUnauthorized {
				return fmt.Errorf("the session still answers: %d", rec.Code)
			}
			return nil
		}}
	case "POST /units/{id}/status":
		u := m.unit()
		id("id", u.ID)
		return call{path: p, form: form("status", "mobile", "back", "/board"), location: "/board", check: func(sess, string) error {
			got, err := m.st.FindUnitByID(m.sys(), u.ID)
			if err == nil && got.Status != arv.StatusMobile {
				err = fmt.Errorf("%s is %s, want mobile", got.CallSign, got.Status)
			}
			return err
		}}
	case "POST /incidents/new":
		desc := fmt.Sprintf("Matrix page call %d", m.n())
		return call{path: p, form: form("place", "51.35, -1.99", "description", desc, "firearm_seen", "on"), location: `/incidents/\d+`,
			check: func(_ sess, loc string) error {
				n, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/incidents/"), 10, 64)
				return m.incidentWhere(n, "the call recorded", func(i *arv.Incident) bool { return i.Description == desc && i.Indicators.FirearmSeen })
			}}
	case "GET /incidents/{id}":
		id("id", m.incident(true).ID)
		return call{path: p}
	case "POST /incidents/{id}/decision":
		i := m.incident(false)
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")],
			form: form("authorised", "yes", "limb", "weapon_access", "information", "i", "threat", "t", "powers_and_policy", "p",
				"options", "o", "action_and_review", "a", "tactics", "containment"),
			check: incident(i, "authorised", func(i *arv.Incident) bool { return i.AuthorisedAt != nil })}
	case "POST /incidents/{id}/ratification":
		i := m.incident(true)
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")], form: form("ratify", "yes", "rationale", "Proportionate."),
			check: incident(i, "ratified", func(i *arv.Incident) bool { return i.RatifiedAt != nil })}
	case "POST /incidents/{id}/assignments":
		i, u := m.incident(true), m.unit()
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")], form: form("unit_id", fmt.Sprint(u.ID)),
			check: incident(i, "assigned "+u.CallSign, func(i *arv.Incident) bool { return assignment(i, u.ID) != nil })}
	case "POST /incidents/{id}/assignments/{unit}/release":
		i, u := m.incident(true), m.unit()
		_, err := m.st.Assign(m.sys(), i.ID, u.ID)
		m.must(err)
		id("id", i.ID)
		id("unit", u.ID)
		return call{path: p, location: fmt.Sprintf("/incidents/%d", i.ID), form: form("reason", "needed elsewhere"),
			check: incident(i, u.CallSign+" released", func(i *arv.Incident) bool { a := assignment(i, u.ID); return a != nil && a.ReleasedAt != nil })}
	case "POST /incidents/{id}/stand-down":
		i := m.incident(true)
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")], form: form("reason", "resolved"),
			check: incident(i, "stood down", func(i *arv.Incident) bool { return i.Status == arv.IncidentStoodDown })}
	case "POST /incidents/{id}/command":
		i := m.incident(true)
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")], form: form("level", "TFC", "note", "Taking command."),
			check: incident(i, "commanded", func(i *arv.Incident) bool {
				return i.Command.InCommand != nil && i.Command.InCommand.Level == arv.AccTFC
			})}
	case "POST /incidents/{id}/advice":
		i := m.incident(true)
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")], form: form("adviser", "PS Reid", "advice", "Contain.", "consulted_at", ""),
			check: incident(i, "advised", func(i *arv.Incident) bool { return len(i.Command.Advice) == 1 })}
	case "POST /incidents/{id}/strategy":
		i := m.incident(true)
		id("id", i.ID)
		return call{path: p, location: p[:strings.LastIndex(p, "/")], form: form("strategy", "Contain.", "tactical_parameters", "No entry."),
			check: incident(i, "given a strategy", func(i *arv.Incident) bool { return i.Command.Strategy != nil })}
	case "POST /patrols/{id}/check-ins":
		pl := m.patrol()
		id("id", pl.ID)
		return call{path: p, form: form(), location: "/patrols", check: func(sess, string) error {
			plans, err := m.st.FindPatrolPlans(m.sys())
			if err != nil {
				return err
			}
			if i := slices.IndexFunc(plans, func(x *arv.PatrolPlan) bool { return x.ID == pl.ID }); i < 0 || plans[i].LastCheckIn == nil {
				return fmt.Errorf("no check-in recorded on %s", pl.Site)
			}
			return nil
		}}
	case "POST /planning":
		arvhttp.CancelPlan(m.srv) // one plan runs at a time
		before := m.plans.Load()
		return call{path: p, form: form("scenario", "matrix"), location: "/planning", check: func(sess, string) error {
			arvhttp.WaitForPlans(m.srv)
			if got := m.plans.Load(); got != before+1 {
				return fmt.Errorf("%d plans run, want %d", got, before+1)
			}
			if r, err := m.st.FindPlanReports(m.sys(), 1); err != nil || len(r) == 0 || r[0].Scenario != "matrix" {
				return fmt.Errorf("no report kept: %v %v", r, err)
			}
			return nil
		}}
	case "POST /planning/cancel":
		m.startPlan("slow")
		return call{path: p, form: url.Values{}, location: "/planning", check: func(sess, string) error {
			if failed := arvhttp.WaitForPlans(m.srv); !strings.Contains(failed, "The plan for slow was cancelled by ") {
				return fmt.Errorf("after cancelling: %q", failed)
			}
			return nil
		}}
	case "GET /planning/{id}":
		id("id", m.runPlan())
		return call{path: p}
	case "POST /officers/duty":
		o := m.officer()
		return call{path: p, form: form("officer_id", fmt.Sprint(o.ID), "status", "restricted", "from", "2026-11-26", "to", "", "note", "matrix"), location: "/officers",
			check: func(sess, string) error {
				got, err := m.st.FindOfficerByID(m.sys(), o.ID)
				if err == nil && (len(got.Duty) != 1 || got.Duty[0].Status != arv.DutyRestricted) {
					err = fmt.Errorf("%s duty = %+v, want restricted", got, got.Duty)
				}
				return err
			}}
	case "POST /reports/submit":
		y := 2010 + int(m.n()%10)
		before, err := m.st.ReturnSubmissions(m.sys(), y)
		m.must(err)
		return call{path: p, form: form("year", fmt.Sprint(y), "reason", "Matrix resubmission."), location: fmt.Sprintf(`/reports\?year=%d`, y),
			check: func(sess, string) error {
				after, err := m.st.ReturnSubmissions(m.sys(), y)
				if err == nil && len(after) != len(before)+1 {
					err = fmt.Errorf("%d submissions of %d, want %d", len(after), y, len(before)+1)
				}
				return err
			}}
	}
	if c, ok := m.dischargePageRequest(rt); ok {
		return c
	}
	if strings.Contains(p, "{") || rt.Method != "GET" {
		m.t.Fatalf("no request built for %s %s: add it to the matrix", rt.Method, rt.Pattern)
	}
	return call{path: p}
}

// sessionFor returns the session to send a request to rt as role r: a
// fresh one for a route that needs no permission and changes state (it
// ends the session), the role's own otherwise.
func (m *matrix) sessionFor(rt arvhttp.Route, r arv.Role) sess {
	if rt.Action == "" && rt.Method != "GET" {
		return m.login(r)
	}
	return m.session[r]
}

// refused returns why rec is not the refusal of a role that may not
// take action: "" when it is 403, as JSON code forbidden for the API
// and as the error page naming the action for pages.
func refused(rt arvhttp.Route, rec *httptest.ResponseRecorder) string {
	body := strings.TrimSpace(rec.Body.String())
	if rec.Code != http.StatusForbidden {
		return fmt.Sprintf("%d %.300s", rec.Code, body)
	}
	if !rt.Page {
		if !strings.Contains(body, `"code":"forbidden"`) {
			return "not code forbidden: " + body
		}
		return ""
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, `<div class="error" role="alert">Your role (`) ||
		!strings.Contains(body, "may not "+string(rt.Action)+".") {
		return "not the error page naming the action: " + body
	}
	return ""
}

// anonymous returns why rec is not the answer to a request without a
// session: 401 for the API, form posts and the live fragments, and 303
// to the sign-in page for other pages.
func anonymous(rt arvhttp.Route, path string, rec *httptest.ResponseRecorder) string {
	switch {
	case !rt.Page:
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"code":"unauthorized"`) {
			return fmt.Sprintf("%d %s, want 401 unauthorized", rec.Code, rec.Body)
		}
	case rt.Method == "GET" && !strings.HasSuffix(rt.Pattern, "/live"):
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(path) {
			return fmt.Sprintf("%d to %q, want 303 to the sign-in page", rec.Code, loc)
		}
	default:
		if rec.Code != http.StatusUnauthorized {
			return fmt.Sprintf("%d %s, want 401", rec.Code, rec.Body)
		}
	}
	return ""
}

// TestAuthorisationMatrix sends every route that needs a session, API and
// page, as every role and anonymously. A permitted role succeeds: 2xx, or
// for a form 303 to where its success goes, with the record changed. Any
// other role gets 403: code forbidden from the API, the error page naming
// what the role may not do from a page. An anonymous request gets 401
// from the API and from form posts, and is sent to the sign-in page from
// other pages.
func TestAuthorisationMatrix(t *testing.T) {
	m := newMatrix(t)
	var apiRoutes, pageRoutes, pairs int
	for _, rt := range arvhttp.Routes() {
		if rt.Public {
			continue
		}
		if rt.Page {
			pageRoutes++
		} else {
			apiRoutes++
		}
		key := rt.Method + " " + rt.Pattern
		c := m.request(rt)
		if why := anonymous(rt, c.path, m.send(rt, c, sess{}, "")); why != "" {
			t.Errorf("anonymous %s: %s", key, why)
		}
		for _, role := range arv.Roles {
			c := m.request(rt)
			s := m.sessionFor(rt, role)
			rec := m.send(rt, c, s, s.csrf)
			pairs++
			if rt.Action == "" || arv.Permitted(role, rt.Action) {
				if why := m.succeeded(rt, c, s, rec); why != "" {
					t.Errorf("%s as %s: %s; want success", key, role, why)
				}
			} else if why := refused(rt, rec); why != "" {
				t.Errorf("%s as %s: %s; want 403", key, role, why)
			}
		}
	}
	t.Logf("checked %d API routes and %d page routes that need a session: %d role x route pairs", apiRoutes, pageRoutes, pairs)
	// 42 API routes and 26 pages need a session today; a route dropped
	// from the table (and so from the server) must be noticed.
	if want := (42 + 26) * len(arv.Roles); pairs < want || apiRoutes < 42 || pageRoutes < 26 {
		t.Errorf("checked %d API routes, %d page routes, %d role x route pairs; want at least 42, 26, %d", apiRoutes, pageRoutes, pairs, want)
	}
}

// TestCSRFEveryUnsafeRoute sends every unsafe route, API and page, as a
// role that may use it, without the CSRF token and with a wrong one: both
// are refused with 403 and change nothing, and the same request with the
// token then succeeds. PUT, PATCH and DELETE sent to a page's path, which
// no page is routed for, are refused as methods not allowed.
func TestCSRFEveryUnsafeRoute(t *testing.T) {
	m := newMatrix(t)
	checked := 0
	routed := map[string]bool{}
	for _, rt := range arvhttp.Routes() {
		routed[rt.Method+" "+rt.Pattern] = true
	}
	for _, rt := range arvhttp.Routes() {
		if rt.Public || rt.Method == "GET" {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		role := arv.Roles[0]
		if rt.Action != "" {
			role = arv.Roles[slices.IndexFunc(arv.Roles, func(r arv.Role) bool { return arv.Permitted(r, rt.Action) })]
		}
		c := m.request(rt)
		s := m.sessionFor(rt, role)
		for _, token := range []string{"", "not-the-" + s.csrf} {
			rec := m.send(rt, c, s, token)
			body := rec.Body.String()
			wantType := "application/json"
			if rt.Page {
				wantType = "text/html"
			}
			if rec.Code != http.StatusForbidden || !strings.Contains(body, "Missing or wrong CSRF token.") || !strings.HasPrefix(rec.Header().Get("Content-Type"), wantType) {
				t.Errorf("%s as %s with CSRF token %q: %d %.300s; want 403", key, role, token, rec.Code, body)
			}
		}
		// Nothing changed: the request still succeeds once, with the
		// token.
		if why := m.succeeded(rt, c, s, m.send(rt, c, s, s.csrf)); why != "" {
			t.Errorf("%s as %s with the CSRF token: %s; want success", key, role, why)
		}
		checked++
	}
	// PUT, PATCH and DELETE on the pages' paths.
	s := m.session[arv.RoleAdministrator]
	for _, rt := range arvhttp.Routes() {
		if !rt.Page || rt.Public {
			continue
		}
		for _, method := range []string{"PUT", "PATCH", "DELETE"} {
			if routed[method+" "+rt.Pattern] {
				continue // checked above
			}
			path := strings.NewReplacer("{id}", "1", "{unit}", "2").Replace(rt.Pattern)
			rec := m.raw(method, path, s, "", "")
			if rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Header().Get("Allow"), rt.Method) {
				t.Errorf("%s %s: %d (Allow %q), want 405", method, path, rec.Code, rec.Header().Get("Allow"))
			}
		}
	}
	t.Logf("checked %d unsafe routes", checked)
	// 22 API routes and 12 pages change state today.
	if checked < 34 {
		t.Errorf("checked %d unsafe routes, want at least 34", checked)
	}
}
