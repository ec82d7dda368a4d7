package http_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
	// A page's panic is shown on the error page.
	w = e.do(t, req{method: "GET", path: "/board", cookie: token})
	if w.Code != http.StatusInternalServerError || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(w.Body.String(), `<div class="error" role="alert">Internal error.</div>`) {
		t.Errorf("page panic: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(e.log.String(), "path=/board") {
		t.Errorf("page panic not logged:\n%s", e.log.String())
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
