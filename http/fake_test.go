package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
)

// fake is a minimal arv.Services for testing the HTTP mechanics: sign-in
// and sessions, and a few methods with settable results. The embedded nil
// interface makes every other method panic, which the server answers as
// an internal error.
type fake struct {
	arv.Services

	mu       sync.Mutex
	users    map[string]*arv.User // by username
	sessions map[string]string    // token -> username
	next     int

	// Results of the methods below, set by tests.
	incident  *arv.Incident
	err       error
	recs      []arv.Recommendation
	annual    *arv.AnnualReturn
	report    *arv.ResponseReport
	rosterArg [2]time.Time
	incFilter arv.IncidentFilter
	audFilter arv.AuditFilter

	// What CreateOfficer saw.
	officerCtxCancellable bool
	officerBy             string
}

// password is every fake user's password.
const password = "correct horse battery"

func newFake() *fake {
	f := &fake{users: map[string]*arv.User{}, sessions: map[string]string{}}
	for i, r := range arv.Roles {
		name := string(r)
		f.users[name] = &arv.User{ID: int64(i + 1), Username: name, Name: r.Title(), Role: r}
	}
	return f
}

func (f *fake) Authenticate(ctx context.Context, username, pw string) (*arv.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u, ok := f.users[username]; ok && pw == password {
		return u, nil
	}
	return nil, arv.Errorf(arv.EUNAUTHORIZED, "Wrong username or password.")
}

func (f *fake) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, u := range f.users {
		if u.ID == userID {
			f.next++
			token := "token-" + strconv.Itoa(f.next)
			f.sessions[token] = name
			return token, "csrf-" + token, nil
		}
	}
	return "", "", arv.Errorf(arv.ENOTFOUND, "No such user.")
}

func (f *fake) FindSession(ctx context.Context, token string) (*arv.User, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name, ok := f.sessions[token]
	if !ok {
		return nil, "", arv.Errorf(arv.EUNAUTHORIZED, "Session not found.")
	}
	return f.users[name], "csrf-" + token, nil
}

func (f *fake) DeleteSession(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sessions, token)
	return nil
}

func (f *fake) CreateOfficer(ctx context.Context, o arv.NewOfficer) (*arv.Officer, error) {
	u, err := arv.Authorize(ctx, arv.ActionManageOfficers)
	if err != nil {
		return nil, err
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.officerCtxCancellable = ctx.Done() != nil
	f.officerBy = u.Username
	return &arv.Officer{ID: 7, Collar: o.Collar, Name: o.Name, Rank: o.Rank, Team: o.Team}, nil
}

func (f *fake) FindIncidentByID(ctx context.Context, id int64) (*arv.Incident, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.incident, f.err
}

func (f *fake) FindIncidents(ctx context.Context, flt arv.IncidentFilter) ([]*arv.Incident, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.incFilter = flt
	return nil, f.err
}

func (f *fake) FindAudit(ctx context.Context, flt arv.AuditFilter) ([]*arv.AuditEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.audFilter = flt
	return nil, f.err
}

func (f *fake) Recommend(ctx context.Context, id int64) ([]arv.Recommendation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.recs, f.err
}

func (f *fake) AnnualReturn(ctx context.Context, startYear int) (*arv.AnnualReturn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.annual, f.err
}

func (f *fake) ResponseReport(ctx context.Context, month string) (*arv.ResponseReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.report, f.err
}

func (f *fake) FindRoster(ctx context.Context, from, to time.Time) ([]*arv.RosterShift, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rosterArg = [2]time.Time{from, to}
	return nil, nil
}

func (f *fake) Gaps(ctx context.Context, from, to time.Time) ([]arv.Gap, error) { return nil, nil }

func (f *fake) Complement() arv.Complement { return arv.Complement{ARVs: 2, OfficersPerARV: 2} }

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server over the fake with a settable clock and a captured log.
type env struct {
	s     *arvhttp.Server
	f     *fake
	clock *clock
	log   *syncBuffer
	h     http.Handler
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newEnv returns a server over a fake; configure may change options
// before the handler is built.
func newEnv(t *testing.T, configure ...func(*arvhttp.Server)) *env {
	t.Helper()
	e := &env{f: newFake(), clock: &clock{t: time.Date(2026, 11, 5, 14, 0, 0, 0, time.UTC)}, log: &syncBuffer{}}
	e.s = arvhttp.NewServer()
	e.s.Services = e.f
	e.s.Now = e.clock.Now
	e.s.Logger = slog.New(slog.NewTextHandler(e.log, nil))
	for _, c := range configure {
		c(e.s)
	}
	e.h = e.s.Handler()
	return e
}

// req describes a test request.
type req struct {
	method, path, body string
	// contentType defaults to application/json when there is a body.
	contentType string
	cookie      string // session token
	csrf        string
	header      map[string]string
	remote      string
}

// do serves rq in process.
func (e *env) do(t *testing.T, rq req) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	if ct := rq.contentType; ct != "" {
		r.Header.Set("Content-Type", ct)
	} else if rq.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if rq.cookie != "" {
		r.AddCookie(&http.Cookie{Name: arvhttp.SessionCookie, Value: rq.cookie})
	}
	if rq.csrf != "" {
		r.Header.Set(arvhttp.CSRFHeader, rq.csrf)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	if rq.remote != "" {
		r.RemoteAddr = rq.remote
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// login signs username in and returns the session token and CSRF token.
func (e *env) login(t *testing.T, username string) (token, csrf string) {
	t.Helper()
	w := e.do(t, req{method: "POST", path: "/api/v1/login", body: `{"username":"` + username + `","password":"` + password + `"}`})
	if w.Code != http.StatusOK {
		t.Fatalf("login %s: status %d: %s", username, w.Code, w.Body)
	}
	var resp arvhttp.SessionResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == arvhttp.SessionCookie {
			token = c.Value
		}
	}
	if token == "" || resp.CSRFToken == "" {
		t.Fatalf("login %s: no session cookie or CSRF token: %s", username, w.Body)
	}
	return token, resp.CSRFToken
}

// wantError checks w is an error response of status and code.
func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, code string) arvhttp.ErrorResponse {
	t.Helper()
	var er arvhttp.ErrorResponse
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&er); err != nil {
		t.Fatalf("error body: %v", err)
	}
	if er.Code != code {
		t.Fatalf("code %q, want %q (message %q)", er.Code, code, er.Message)
	}
	if er.Message == "" {
		t.Errorf("empty message")
	}
	return er
}
