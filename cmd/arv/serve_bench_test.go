package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/demo"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/internal/fixtures"
)

// serveFixture is the load-test force (scripts/load/rutland-20.yaml: 20
// ARVs on the real Rutland roads) on a fresh SQLite database behind the
// HTTP handler, with a commander's and a call handler's session and one
// authorised incident.
type serveFixture struct {
	h                    http.Handler
	cmdCookie, cmdCSRF   string
	callCookie, callCSRF string
	close                func()
}

func newServeFixture(tb testing.TB) *serveFixture {
	tb.Helper()
	dir := tb.TempDir()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Now: time.Now}
	ctx := context.Background()
	if err := m.Run(ctx, []string{"graph", "build", "--osm", fixtures.Rutland.Path(tb), "--out", filepath.Join(dir, "rutland.arvg")}); err != nil {
		tb.Fatal(err)
	}
	yml, err := os.ReadFile("../../scripts/load/rutland-20.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	scen := filepath.Join(dir, "rutland-20.yaml")
	if err := os.WriteFile(scen, yml, 0o644); err != nil {
		tb.Fatal(err)
	}
	ls, err := m.loadScenario(ctx, scen, nil)
	if err != nil {
		tb.Fatal(err)
	}
	db := filepath.Join(dir, "arv.db")
	sf := storeFlags{db: &db, postgres: new(string), schema: new(string)}
	st, err := sf.open(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	configureStore(st.Store, ls.Scenario, ls.Router, m)
	if _, err := demo.Seed(ctx, st.Store, ls.Scenario, ls.Router.Locate, m.now(), io.Discard); err != nil {
		tb.Fatal(err)
	}
	pw, err := demo.SetPasswords(ctx, st.Store)
	if err != nil {
		tb.Fatal(err)
	}
	srv := arvhttp.NewServer()
	srv.Services, srv.Events = st.Store, st.Events
	f := &serveFixture{h: srv.Handler(), close: func() { st.Close() }}
	f.cmdCookie, f.cmdCSRF = f.login(tb, "itfc", pw["itfc"])
	f.callCookie, f.callCSRF = f.login(tb, "handler", pw["handler"])
	f.do(tb, "POST", "/api/v1/incidents", f.callCookie, f.callCSRF, `{"place":"Oakham","description":"Benchmark: man with a firearm"}`, 201)
	f.do(tb, "POST", "/api/v1/incidents/1/decision", f.cmdCookie, f.cmdCSRF,
		`{"authorised":true,"limb":"weapon_access","ndm":{"information":"i","threat":"t","powers_and_policy":"p","options":"o","action_and_review":"a"},"tactics":"containment"}`, 200)
	return f
}

func (f *serveFixture) login(tb testing.TB, user, pw string) (cookie, csrf string) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(`{"username":"`+user+`","password":"`+pw+`"}`))
	req.Header.Set("Content-Type", "application/json")
	f.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		tb.Fatalf("login %s: %d %s", user, rec.Code, rec.Body)
	}
	var body struct {
		CSRF string `json:"csrf_token"`
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "arv_session" {
			return c.Name + "=" + c.Value, body.CSRF
		}
	}
	tb.Fatal("no session cookie")
	return "", ""
}

func (f *serveFixture) do(tb testing.TB, method, path, cookie, csrf, body string, want int) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Cookie", cookie)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrf)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != want {
		tb.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	return rec
}

// BenchmarkServe measures the operations server's hot paths in process
// (no network): the dispatch recommendation ranking 20 ARVs by road on
// Rutland, and recording an incident on SQLite (a committed, audited
// write). scripts/load/run.sh measures the same over loopback with wrk.
func BenchmarkServe(b *testing.B) {
	f := newServeFixture(b)
	defer f.close()
	b.Run("Recommend20", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := f.do(b, "GET", "/api/v1/incidents/1/recommendation", f.cmdCookie, "", "", 200)
			if !strings.Contains(rec.Body.String(), `"eligible":true`) {
				b.Fatal("no eligible ARV")
			}
		}
	})
	b.Run("CreateIncident", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.do(b, "POST", "/api/v1/incidents", f.callCookie, f.callCSRF, `{"position":{"lat":52.6703,"lon":-0.7270},"description":"Benchmark call"}`, 201)
		}
	})
	_ = arv.Urban
}
