package http_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
)

// TestRoutes checks the route table: no duplicates, known actions, API
// routes under /api/v1 and pages outside it, every route registered, and
// every private route refusing an anonymous request the way its kind
// answers.
func TestRoutes(t *testing.T) {
	routes := arvhttp.Routes()
	var api, pages int
	for _, rt := range routes {
		if rt.Page {
			pages++
		} else {
			api++
		}
	}
	if api < 40 || pages < 28 {
		t.Fatalf("only %d API routes and %d page routes", api, pages)
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
		if rt.Public && rt.Action != "" {
			t.Errorf("%s: public, yet needs %q", key, rt.Action)
		}
		api := rt.Pattern == "/healthz" || strings.HasPrefix(rt.Pattern, "/api/v1/")
		if rt.Page == api {
			t.Errorf("%s: page %v under the API's paths %v", key, rt.Page, api)
		}
		// Every route is registered, and every private route refuses
		// anonymous requests.
		path := strings.NewReplacer("{id}", "1", "{aid}", "2", "{officer}", "3", "{unit}", "4", "{$}", "").Replace(rt.Pattern)
		if strings.HasSuffix(path, "/assets/") {
			path += "style.css" // a file: the directory itself is not listed
		}
		w := e.do(t, req{method: rt.Method, path: path})
		switch {
		case rt.Public:
			if w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed {
				t.Errorf("%s: public route answered %d", key, w.Code)
			}
		case !rt.Page:
			wantError(t, w, http.StatusUnauthorized, arv.EUNAUTHORIZED)
		case rt.Method == "GET" && !strings.HasSuffix(rt.Pattern, "/live"):
			if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(path) {
				t.Errorf("anonymous %s: %d to %q, want 303 to the sign-in page", key, w.Code, loc)
			}
		default:
			// Form posts, and the live fragments that the board's
			// script fetches (it goes to the sign-in page itself).
			if w.Code != http.StatusUnauthorized || strings.TrimSpace(w.Body.String()) != "Sign in first." {
				t.Errorf("anonymous %s: %d %q, want 401", key, w.Code, w.Body)
			}
		}
	}
	for _, want := range []string{"POST /api/v1/login", "POST /api/v1/logout", "GET /api/v1/me", "GET /healthz", "GET /api/v1/events",
		"GET /login", "POST /login", "POST /logout", "GET /board", "GET /assets/"} {
		if !seen[want] {
			t.Errorf("missing %s", want)
		}
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

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	token, csrf := e.login(t, "administrator")
	body := `{"collar":"1234","name":"PC Smith","rank":"PC","team":2}`
	for name, h := range map[string]string{"missing": "", "wrong": "csrf-token-999", "prefix": csrf[:len(csrf)-1]} {
		w := e.do(t, req{method: "POST", path: "/api/v1/officers", body: body, cookie: token, csrf: h})
		if er := wantError(t, w, http.StatusForbidden, arv.EFORBIDDEN); er.Message != "Missing or wrong CSRF token." {
			t.Errorf("%s: message %q", name, er.Message)
		}
	}
	// Another session's token does not do.
	_, other := e.login(t, "planner")
	wantError(t, e.do(t, req{method: "POST", path: "/api/v1/officers", body: body, cookie: token, csrf: other}), http.StatusForbidden, arv.EFORBIDDEN)

	w := e.do(t, req{method: "POST", path: "/api/v1/officers", body: body, cookie: token, csrf: csrf})
	if w.Code != http.StatusCreated {
		t.Fatalf("create officer: %d %s", w.Code, w.Body)
	}
	if loc := w.Header().Get("Location"); loc != "/api/v1/officers/7" {
		t.Errorf("Location %q", loc)
	}
	var o arv.Officer
	if err := json.Unmarshal(w.Body.Bytes(), &o); err != nil || o.Collar != "1234" {
		t.Errorf("officer %s (%v)", w.Body, err)
	}
	// The write ran as the signed-in user on a context that the client
	// going away cannot cancel.
	if e.f.officerBy != "administrator" || e.f.officerCtxCancellable {
		t.Errorf("service saw user %q, cancellable context %v", e.f.officerBy, e.f.officerCtxCancellable)
	}
	// A role the route does not permit is refused before the service is
	// called.
	e.f.officerBy = ""
	token, csrf = e.login(t, "planner")
	wantError(t, e.do(t, req{method: "POST", path: "/api/v1/officers", body: body, cookie: token, csrf: csrf}), http.StatusForbidden, arv.EFORBIDDEN)
	if e.f.officerBy != "" {
		t.Errorf("the service was called as %q", e.f.officerBy)
	}
}

// TestPageSessions checks how pages answer requests without a session or
// with a bad CSRF token, through the same authenticate as the API.
func TestPageSessions(t *testing.T) {
	e := newEnv(t)

	w := e.do(t, req{method: "GET", path: "/incidents?open=true"})
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/login?next=%2Fincidents%3Fopen%3Dtrue" {
		t.Errorf("anonymous GET: %d to %q", w.Code, loc)
	}
	// An ended session's cookie is dropped on the way to the sign-in page.
	w = e.do(t, req{method: "GET", path: "/board", cookie: "forged"})
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
		t.Errorf("ended session: %d to %q", w.Code, loc)
	}
	if c := sessionCookie(t, w.Header()); c.MaxAge >= 0 {
		t.Errorf("ended session's cookie kept: %+v", c)
	}

	token, csrf := e.login(t, "administrator")
	formType := "application/x-www-form-urlencoded"
	alive := func() bool {
		return e.do(t, req{method: "GET", path: "/api/v1/me", cookie: token}).Code == http.StatusOK
	}
	// Without the token, or with another, the form is refused on the
	// error page, which still shows who is signed in.
	for name, rq := range map[string]req{
		"no token":     {method: "POST", path: "/logout", cookie: token, body: "x=1", contentType: formType},
		"wrong token":  {method: "POST", path: "/logout", cookie: token, body: "csrf_token=csrf-token-999", contentType: formType},
		"wrong header": {method: "POST", path: "/logout", cookie: token, csrf: "csrf-token-999"},
	} {
		w := e.do(t, rq)
		body := w.Body.String()
		if w.Code != http.StatusForbidden || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "Missing or wrong CSRF token.") || !strings.Contains(body, "Administrator (Administrator)") {
			t.Errorf("%s: %d %s", name, w.Code, body)
		}
		if !alive() {
			t.Fatalf("%s: the session ended", name)
		}
	}
	// The token is taken from the header for a page too.
	w = e.do(t, req{method: "POST", path: "/logout", cookie: token, csrf: csrf})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" || alive() {
		t.Errorf("sign out with the token in the header: %d to %q", w.Code, w.Header().Get("Location"))
	}
	// And from a form for the API.
	token, csrf = e.login(t, "administrator")
	w = e.do(t, req{method: "POST", path: "/api/v1/logout", cookie: token, body: "csrf_token=" + url.QueryEscape(csrf), contentType: formType})
	if w.Code != http.StatusNoContent || alive() {
		t.Errorf("API sign-out with the token in a form: %d %s", w.Code, w.Body)
	}
}

// TestPageRefusedRole checks that a role the route does not permit gets
// the error page, 403, naming what it may not do, before the handler runs
// (the fake has no FindOfficers: calling it would be a 500).
func TestPageRefusedRole(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "call_handler")
	w := e.do(t, req{method: "GET", path: "/officers", cookie: token})
	body := w.Body.String()
	if w.Code != http.StatusForbidden || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(body, "Your role (call handler) may not view officers and rosters.") {
		t.Errorf("officers page as a call handler: %d %s", w.Code, body)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/v1/officers", cookie: token}), http.StatusForbidden, arv.EFORBIDDEN)
}

// TestPageLogin signs in through the form.
func TestPageLogin(t *testing.T) {
	e := newEnv(t)
	formType := "application/x-www-form-urlencoded"
	form := func(user, pw string) string { return url.Values{"username": {user}, "password": {pw}}.Encode() }
	for next, want := range map[string]string{"": "/board", "?next=%2Fincidents%2F4": "/incidents/4", "?next=%2F%2Fevil.example": "/board"} {
		w := e.do(t, req{method: "POST", path: "/login" + next, body: form("planner", password), contentType: formType})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("sign in %q: %d to %q, want %q", next, w.Code, w.Header().Get("Location"), want)
		}
		if c := sessionCookie(t, w.Header()); c.Value == "" || !c.HttpOnly {
			t.Errorf("cookie %+v", c)
		}
	}
	w := e.do(t, req{method: "POST", path: "/login", body: form("planner", "wrong password"), contentType: formType})
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "Wrong username or password.") || !strings.Contains(w.Body.String(), `value="planner"`) {
		t.Errorf("wrong password: %d %s", w.Code, w.Body)
	}
	w = e.do(t, req{method: "POST", path: "/login", body: form("planner", password), contentType: formType, header: map[string]string{"Origin": "https://evil.example"}})
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Sign-in from another site is refused.") {
		t.Errorf("cross-site sign-in: %d %s", w.Code, w.Body)
	}
}
