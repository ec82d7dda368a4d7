package http_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
)

func loginBody(username, pw string) string {
	b, _ := json.Marshal(arvhttp.LoginRequest{Username: username, Password: pw})
	return string(b)
}

func sessionCookie(t *testing.T, h http.Header) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == arvhttp.SessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", arvhttp.SessionCookie, h.Values("Set-Cookie"))
	return nil
}

func TestLoginCookieAndSession(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run("secure="+strconv.FormatBool(secure), func(t *testing.T) {
			e := newEnv(t, func(s *arvhttp.Server) { s.Secure = secure; s.SessionTTL = 2 * time.Hour })
			w := e.do(t, req{method: "POST", path: "/api/v1/login", body: loginBody("administrator", password)})
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			c := sessionCookie(t, w.Header())
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure != secure || c.MaxAge != 7200 {
				t.Errorf("cookie %+v", c)
			}
			if got := w.Header().Get("Strict-Transport-Security") != ""; got != secure {
				t.Errorf("HSTS sent: %v", got)
			}
			var resp arvhttp.SessionResponse
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			if resp.User == nil || resp.User.Username != "administrator" || resp.CSRFToken != "csrf-"+c.Value {
				t.Errorf("login response %s", w.Body)
			}

			w = e.do(t, req{method: "GET", path: "/api/v1/me", cookie: c.Value})
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"csrf_token":"csrf-`+c.Value+`"`) || !strings.Contains(w.Body.String(), `"username":"administrator"`) {
				t.Fatalf("me: %d %s", w.Code, w.Body)
			}

			// Logout is an unsafe request: it needs the CSRF token.
			wantError(t, e.do(t, req{method: "POST", path: "/api/v1/logout", cookie: c.Value}), http.StatusForbidden, arv.EFORBIDDEN)
			w = e.do(t, req{method: "POST", path: "/api/v1/logout", cookie: c.Value, csrf: resp.CSRFToken})
			if w.Code != http.StatusNoContent {
				t.Fatalf("logout: %d %s", w.Code, w.Body)
			}
			if c := sessionCookie(t, w.Header()); c.MaxAge >= 0 || c.Value != "" {
				t.Errorf("logout cookie %+v", c)
			}
			w = e.do(t, req{method: "GET", path: "/api/v1/me", cookie: c.Value})
			wantError(t, w, http.StatusUnauthorized, arv.EUNAUTHORIZED)
			if c := sessionCookie(t, w.Header()); c.MaxAge >= 0 {
				t.Errorf("stale session cookie not cleared: %+v", c)
			}
		})
	}
}

func TestLoginFailures(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.do(t, req{method: "POST", path: "/api/v1/login", body: loginBody("administrator", "wrong password!")}), http.StatusUnauthorized, arv.EUNAUTHORIZED)
	wantError(t, e.do(t, req{method: "POST", path: "/api/v1/login", body: `{"username":"administrator","password":"x","remember":true}`}), http.StatusBadRequest, arv.EINVALID)
	wantError(t, e.do(t, req{method: "GET", path: "/api/v1/me"}), http.StatusUnauthorized, arv.EUNAUTHORIZED)
	wantError(t, e.do(t, req{method: "GET", path: "/api/v1/me", cookie: "forged"}), http.StatusUnauthorized, arv.EUNAUTHORIZED)
}

func TestLoginOrigin(t *testing.T) {
	e := newEnv(t)
	login := func(origin string) int {
		rq := req{method: "POST", path: "/api/v1/login", body: loginBody("administrator", password), header: map[string]string{"Origin": origin}}
		return e.do(t, rq).Code // httptest requests have Host example.com
	}
	for _, o := range []string{"http://example.com", "https://example.com", "http://EXAMPLE.com:80"} {
		if code := login(o); code != http.StatusOK {
			t.Errorf("Origin %s: %d, want 200", o, code)
		}
	}
	for _, o := range []string{"https://evil.example", "null", "http://example.com:8080", "http://example.com.evil.example"} {
		if code := login(o); code != http.StatusForbidden {
			t.Errorf("Origin %s: %d, want 403", o, code)
		}
	}
	w := e.do(t, req{method: "POST", path: "/api/v1/login", body: loginBody("administrator", password), header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	wantError(t, w, http.StatusForbidden, arv.EFORBIDDEN)
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	const ip = "192.0.2.7:4000"
	try := func(user, pw, remote string) *httpResult {
		w := e.do(t, req{method: "POST", path: "/api/v1/login", body: loginBody(user, pw), remote: remote})
		return &httpResult{w.Code, w.Body.String(), w.Header().Get("Retry-After")}
	}
	for i := range 5 {
		if r := try("administrator", "wrong", ip); r.code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, r.code, r.body)
		}
		e.clock.Advance(time.Minute)
	}
	// Five failures in the window: even the right password is refused,
	// from any address, and case does not get round it.
	for _, u := range []string{"administrator", "ADMINISTRATOR"} {
		r := try(u, password, "198.51.100.1:1")
		if r.code != http.StatusTooManyRequests {
			t.Fatalf("sixth attempt as %s: %d %s", u, r.code, r.body)
		}
		// The first failure leaves the window 15 minutes after it: 10
		// minutes from now.
		if !strings.Contains(r.body, `"code":"rate_limited"`) || !strings.Contains(r.body, "Too many failed sign-ins; try again in 10 minutes.") || r.retryAfter != "600" {
			t.Errorf("rate limited: %s (Retry-After %s)", r.body, r.retryAfter)
		}
	}
	// Other users are not affected.
	if r := try("planner", password, ip); r.code != http.StatusOK {
		t.Errorf("other user: %d %s", r.code, r.body)
	}
	e.clock.Advance(9*time.Minute + 59*time.Second)
	if r := try("administrator", password, ip); r.code != http.StatusTooManyRequests || !strings.Contains(r.body, "try again in 1 minute.") {
		t.Errorf("just before the window: %d %s", r.code, r.body)
	}
	e.clock.Advance(time.Second)
	if r := try("administrator", password, ip); r.code != http.StatusOK {
		t.Fatalf("after the first failure left the window: %d %s", r.code, r.body)
	}
	// A success clears the username's failures.
	for range 4 {
		try("administrator", "wrong", ip)
	}
	if r := try("administrator", password, ip); r.code != http.StatusOK {
		t.Fatalf("after reset: %d %s", r.code, r.body)
	}

	// Twenty failures from one address block it for every username.
	e.clock.Advance(time.Hour)
	const ip2 = "203.0.113.9:5555"
	for i := range 20 {
		if r := try("nobody"+strconv.Itoa(i), "wrong", ip2); r.code != http.StatusUnauthorized {
			t.Fatalf("address failure %d: %d %s", i+1, r.code, r.body)
		}
	}
	if r := try("planner", password, "203.0.113.9:6666"); r.code != http.StatusTooManyRequests {
		t.Errorf("blocked address: %d %s", r.code, r.body)
	}
	if r := try("planner", password, "203.0.113.10:6666"); r.code != http.StatusOK {
		t.Errorf("other address: %d %s", r.code, r.body)
	}
	e.clock.Advance(15 * time.Minute)
	if r := try("planner", password, ip2); r.code != http.StatusOK {
		t.Errorf("address after the window: %d %s", r.code, r.body)
	}
}

type httpResult struct {
	code       int
	body       string
	retryAfter string
}

// TestSignInGoesOn checks that signing in from a page that sent the user
// to the sign-in page goes back to it, and never off the server.
func TestSignInGoesOn(t *testing.T) {
	m := newMatrix(t)
	anon := m.raw("GET", "/roster", sess{}, "", "")
	if anon.Code != http.StatusSeeOther || anon.Header().Get("Location") != "/login?next=%2Froster" {
		t.Fatalf("GET /roster signed out: %d to %q", anon.Code, anon.Header().Get("Location"))
	}
	form := m.raw("GET", "/login?next=%2Froster", sess{}, "", "")
	if !strings.Contains(form.Body.String(), `name="next" value="/roster"`) {
		t.Fatalf("the sign-in form does not carry next:\n%s", form.Body)
	}
	for next, want := range map[string]string{"/roster": "/roster", "//evil.example": "/board", "https://evil.example/": "/board", "": "/board"} {
		body := url.Values{"username": {string(arv.RolePlanner)}, "password": {matrixPassword(arv.RolePlanner)}, "next": {next}}
		req := httptest.NewRequest("POST", "/login", strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := m.serve(req, sess{}, "")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("sign in with next %q: %d to %q, want %q", next, rec.Code, rec.Header().Get("Location"), want)
		}
	}
	if rec := m.raw("GET", "/assets/", m.session[arv.RolePlanner], "", ""); rec.Code != http.StatusNotFound {
		t.Errorf("GET /assets/: %d, want 404 (no listing)", rec.Code)
	}
}
