package http_test

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
)

var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"X-Frame-Options":         "DENY",
	"Cache-Control":           "no-store",
}

func checkSecurityHeaders(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	for k, v := range securityHeaders {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, req{method: "GET", path: "/healthz"})
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", w.Code, w.Body)
	}
	checkSecurityHeaders(t, w)
	if w.Header().Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS sent without Secure")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t)
	token, csrf := e.login(t, "administrator")
	e.f.annual = &arv.AnnualReturn{Year: "2025/26"}
	for _, rq := range []req{
		{method: "GET", path: "/api/v1/nope"},
		{method: "DELETE", path: "/api/v1/officers"},
		{method: "GET", path: "/api/v1/officers"},
		{method: "GET", path: "/api/v1/me", cookie: token},
		{method: "POST", path: "/api/v1/officers", cookie: token, body: `{`, csrf: csrf},
		{method: "GET", path: "/api/v1/returns/annual?format=csv", cookie: token},
	} {
		w := e.do(t, rq)
		t.Run(rq.method+" "+rq.path, func(t *testing.T) { checkSecurityHeaders(t, w) })
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.do(t, req{method: "GET", path: "/api/v1/nope"}), http.StatusNotFound, arv.ENOTFOUND)
	wantError(t, e.do(t, req{method: "GET", path: "/nope"}), http.StatusNotFound, arv.ENOTFOUND)
	if w := e.do(t, req{method: "GET", path: "/"}); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/board" {
		t.Errorf("GET / = %d to %q, want 303 to /board", w.Code, w.Header().Get("Location"))
	}

	w := e.do(t, req{method: "DELETE", path: "/api/v1/officers"})
	wantError(t, w, http.StatusMethodNotAllowed, arv.EINVALID)
	if got := w.Header().Get("Allow"); got != "GET, POST, HEAD" {
		t.Errorf("Allow %q", got)
	}
	w = e.do(t, req{method: "GET", path: "/api/v1/login"})
	wantError(t, w, http.StatusMethodNotAllowed, arv.EINVALID)
	if got := w.Header().Get("Allow"); got != "POST" {
		t.Errorf("Allow %q", got)
	}
}

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{arv.Errorf(arv.EINVALID, "Bad."), 400, arv.EINVALID},
		{arv.Errorf(arv.EUNAUTHORIZED, "Who?"), 401, arv.EUNAUTHORIZED},
		{arv.Errorf(arv.EFORBIDDEN, "No."), 403, arv.EFORBIDDEN},
		{arv.Errorf(arv.ENOTFOUND, "Incident 9 not found."), 404, arv.ENOTFOUND},
		{arv.Errorf(arv.ECONFLICT, "Taken."), 409, arv.ECONFLICT},
		{arv.Errorf(arv.ERATELIMITED, "Slow down."), 429, arv.ERATELIMITED},
		{arv.Errorf(arv.ETOOLARGE, "Too big."), 413, arv.ETOOLARGE},
		{arv.Errorf(arv.ENOTIMPLEMENTED, "Not yet."), 501, arv.ENOTIMPLEMENTED},
		{arv.Errorf(arv.EINTERNAL, "Boom."), 500, arv.EINTERNAL},
		{arv.Errorf("strange", "Odd."), 500, arv.EINTERNAL},
		{errors.New("pq: password authentication failed for secret-host"), 500, arv.EINTERNAL},
	}
	e := newEnv(t)
	token, _ := e.login(t, "call_handler")
	for _, tc := range cases {
		t.Run(tc.err.Error(), func(t *testing.T) {
			e.f.err = tc.err
			w := e.do(t, req{method: "GET", path: "/api/v1/incidents/9", cookie: token})
			er := wantError(t, w, tc.status, tc.code)
			if tc.code == arv.EINTERNAL {
				if er.Message != "Internal error." {
					t.Errorf("internal message %q", er.Message)
				}
			} else if er.Message != arv.ErrorMessage(tc.err) {
				t.Errorf("message %q, want %q", er.Message, arv.ErrorMessage(tc.err))
			}
		})
	}
	log := e.log.String()
	if !strings.Contains(log, "secret-host") || !strings.Contains(log, "method=GET") || !strings.Contains(log, "path=/api/v1/incidents/9") {
		t.Errorf("internal error not logged with method and path:\n%s", log)
	}
}

func TestPanicIsInternalError(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "call_handler")
	// The fake does not implement FindUnits: its nil embedded interface
	// panics.
	w := e.do(t, req{method: "GET", path: "/api/v1/units", cookie: token})
	er := wantError(t, w, http.StatusInternalServerError, arv.EINTERNAL)
	if er.Message != "Internal error." {
		t.Errorf("message %q", er.Message)
	}
	checkSecurityHeaders(t, w)
	if !strings.Contains(e.log.String(), "panic") {
		t.Errorf("panic not logged")
	}
}

func TestBadPathID(t *testing.T) {
	e := newEnv(t)
	token, csrf := e.login(t, "administrator")
	for _, p := range []string{"/api/v1/incidents/abc", "/api/v1/incidents/0", "/api/v1/incidents/-3", "/api/v1/incidents/99999999999999999999", "/api/v1/incidents/1e3"} {
		wantError(t, e.do(t, req{method: "GET", path: p, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
	wantError(t, e.do(t, req{method: "DELETE", path: "/api/v1/roster/shifts/1/crew/x", cookie: token, csrf: csrf}), http.StatusBadRequest, arv.EINVALID)
}

func TestRecommendationInfiniteETA(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "administrator")
	e.f.recs = []arv.Recommendation{
		{UnitID: 1, CallSign: "ZULU1", ETASeconds: 312.5, Eligible: true},
		{UnitID: 2, CallSign: "ZULU2", ETASeconds: math.Inf(1), Reason: "no route"},
		{UnitID: 3, CallSign: "ZULU3", ETASeconds: math.NaN()},
	}
	w := e.do(t, req{method: "GET", path: "/api/v1/incidents/4/recommendation", cookie: token})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got struct {
		Recommendations []map[string]any `json:"recommendations"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Recommendations) != 3 {
		t.Fatalf("got %d recommendations", len(got.Recommendations))
	}
	if got.Recommendations[0]["eta_seconds"] != 312.5 || got.Recommendations[0]["call_sign"] != "ZULU1" {
		t.Errorf("first: %v", got.Recommendations[0])
	}
	for _, r := range got.Recommendations[1:] {
		if v, ok := r["eta_seconds"]; !ok || v != nil {
			t.Errorf("eta_seconds %v (present %v), want null", v, ok)
		}
	}

	// An incident whose assignment has no finite ETA still encodes.
	e.f.err = nil
	e.f.incident = &arv.Incident{ID: 4, Assignments: []arv.Assignment{{ID: 1, UnitID: 2, ETASeconds: math.Inf(1)}}}
	w = e.do(t, req{method: "GET", path: "/api/v1/incidents/4", cookie: token})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"eta_seconds":null`) || !strings.Contains(w.Body.String(), `"id":4`) {
		t.Fatalf("incident: %d %s", w.Code, w.Body)
	}
}

func TestReturnsCSV(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "planner")
	e.f.annual = &arv.AnnualReturn{Year: "2025/26", FirearmsOperations: 12, ARVOperations: 10, CountedOn: "2026-03-31",
		From: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	w := e.do(t, req{method: "GET", path: "/api/v1/returns/annual?year=2025&format=csv", cookie: token})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "2025") {
		t.Errorf("Content-Disposition %q", cd)
	}
	lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "year,from,to,firearms_operations") || !strings.HasPrefix(lines[1], "2025/26,2025-04-01T00:00:00Z,") {
		t.Errorf("annual CSV:\n%s", w.Body)
	}

	e.f.report = &arv.ResponseReport{Month: "2026-11", Rows: []arv.ResponseRow{
		{Class: "urban", Incidents: 3, Arrived: 3, P50: 9.5, P90: 14, WithinTarget: 1, TargetMinutes: 15},
		{Class: "rural", Incidents: 1, Arrived: 0, WithinTarget: math.NaN(), TargetMinutes: 20},
	}}
	w = e.do(t, req{method: "GET", path: "/api/v1/returns/response-times?month=2026-11&format=csv", cookie: token})
	want := "month,class,incidents,arrived,p50_minutes,p90_minutes,within_target,target_minutes\n2026-11,urban,3,3,9.5,14,1,15\n2026-11,rural,1,0,0,0,,20\n"
	if w.Code != http.StatusOK || w.Body.String() != want {
		t.Errorf("response CSV: %d\n%s\nwant\n%s", w.Code, w.Body, want)
	}
	w = e.do(t, req{method: "GET", path: "/api/v1/returns/response-times?month=2026-11", cookie: token})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"within_target":null`) || !strings.Contains(w.Body.String(), `"p50_minutes":9.5`) {
		t.Errorf("response JSON: %d %s", w.Code, w.Body)
	}

	for _, p := range []string{"/api/v1/returns/annual?format=xml", "/api/v1/returns/annual?year=twenty", "/api/v1/returns/response-times?month=2026-13"} {
		wantError(t, e.do(t, req{method: "GET", path: p, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
}

func TestRosterQuery(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "planner")
	w := e.do(t, req{method: "GET", path: "/api/v1/roster", cookie: token})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	now := e.clock.Now()
	if got := e.f.rosterArg; !got[0].Equal(now) || !got[1].Equal(now.AddDate(0, 0, 28)) {
		t.Errorf("default range %v, want %v + 28 days", got, now)
	}
	var resp struct {
		Complement arv.Complement    `json:"complement"`
		Shifts     []json.RawMessage `json:"shifts"`
		Gaps       []json.RawMessage `json:"gaps"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Complement.ARVs != 2 || resp.Shifts == nil || resp.Gaps == nil {
		t.Errorf("roster: %s", w.Body)
	}

	e.do(t, req{method: "GET", path: "/api/v1/roster?from=2026-12-01&days=7", cookie: token})
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if got := e.f.rosterArg; !got[0].Equal(from) || !got[1].Equal(from.AddDate(0, 0, 7)) {
		t.Errorf("range %v", got)
	}
	for _, q := range []string{"days=93", "days=0", "days=x", "from=tomorrow"} {
		wantError(t, e.do(t, req{method: "GET", path: "/api/v1/roster?" + q, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
}

func TestListQueries(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "administrator")
	w := e.do(t, req{method: "GET", path: "/api/v1/incidents", cookie: token})
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"incidents":[]}` {
		t.Fatalf("incidents: %d %s", w.Code, w.Body)
	}
	if f := e.f.incFilter; f.Open || !f.From.IsZero() || !f.To.IsZero() || f.Limit != 100 {
		t.Errorf("default filter %+v", f)
	}
	e.do(t, req{method: "GET", path: "/api/v1/incidents?open=true&from=2026-11-01&to=2026-11-05T12:00:00%2B01:00&limit=5", cookie: token})
	want := arv.IncidentFilter{Open: true, From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 5, 11, 0, 0, 0, time.UTC), Limit: 5}
	if f := e.f.incFilter; f.Open != want.Open || !f.From.Equal(want.From) || !f.To.Equal(want.To) || f.Limit != want.Limit {
		t.Errorf("filter %+v, want %+v", f, want)
	}
	w = e.do(t, req{method: "GET", path: "/api/v1/audit?after=41&entity=incident/12&limit=2", cookie: token})
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"entries":[]}` {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	if f := e.f.audFilter; f != (arv.AuditFilter{AfterSeq: 41, Entity: "incident/12", Limit: 2}) {
		t.Errorf("audit filter %+v", f)
	}
	for _, p := range []string{
		"/api/v1/incidents?open=maybe", "/api/v1/incidents?from=yesterday", "/api/v1/incidents?limit=0",
		"/api/v1/incidents?limit=1001", "/api/v1/incidents?from=2026-11-05&to=2026-11-01",
		"/api/v1/audit?after=-1", "/api/v1/audit?limit=x", "/api/v1/audit?entity=" + strings.Repeat("a", 201),
	} {
		wantError(t, e.do(t, req{method: "GET", path: p, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
}

func TestRoutes(t *testing.T) {
	routes := arvhttp.Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes", len(routes))
	}
	e := newEnv(t)
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		if seen[key] {
			t.Errorf("duplicate route %s", key)
		}
		seen[key] = true
		if rt.Action != "" && !slices.Contains(arv.Actions(), rt.Action) {
			t.Errorf("%s: unknown action %q", key, rt.Action)
		}
		if rt.Pattern != "/healthz" && !strings.HasPrefix(rt.Pattern, "/api/v1/") {
			t.Errorf("%s: outside /api/v1", key)
		}
		// Every route is registered, and every private route refuses
		// anonymous requests.
		path := strings.NewReplacer("{id}", "1", "{aid}", "2", "{officer}", "3", "{unit}", "4").Replace(rt.Pattern)
		w := e.do(t, req{method: rt.Method, path: path})
		switch {
		case !rt.Public:
			wantError(t, w, http.StatusUnauthorized, arv.EUNAUTHORIZED)
		case w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed:
			t.Errorf("%s: public route answered %d", key, w.Code)
		}
	}
	for _, want := range []string{"POST /api/v1/login", "POST /api/v1/logout", "GET /api/v1/me", "GET /healthz", "GET /api/v1/events"} {
		if !seen[want] {
			t.Errorf("missing %s", want)
		}
	}
}

func TestOpenClose(t *testing.T) {
	s := arvhttp.NewServer()
	s.Services = newFake()
	s.Addr = "127.0.0.1:0"
	if s.URL() != "" {
		t.Errorf("URL before Open: %q", s.URL())
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Errorf("server still answers after Close")
	}
}
