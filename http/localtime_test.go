package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
)

// Local time (issue 12): pages show London time with its zone; forms and
// query dates are read as London time.

// roster and new-incident results for the local-time tests.
type localFake struct {
	*fake
	mu     sync.Mutex
	newInc *arv.NewIncident
	shifts []*arv.RosterShift
}

func (f *localFake) CreateIncident(ctx context.Context, n arv.NewIncident) (*arv.Incident, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.newInc = &n
	return &arv.Incident{ID: 41, CallAt: n.CallAt}, nil
}

func (f *localFake) FindRoster(ctx context.Context, from, to time.Time) ([]*arv.RosterShift, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.shifts, nil
}

func newLocalEnv(t *testing.T) (*env, *localFake) {
	var lf *localFake
	e := newEnv(t, func(s *arvhttp.Server) {
		lf = &localFake{fake: s.Services.(*fake)}
		s.Services = lf
	})
	return e, lf
}

func TestPagesShowLondonTime(t *testing.T) {
	e, lf := newLocalEnv(t)
	token, _ := e.login(t, "call_handler")
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	ratified := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // 01:30 GMT, the second 01:30
	e.f.incident = &arv.Incident{ID: 1, CallAt: summer, Description: "Man with a handgun", Status: arv.IncidentAuthorised,
		RatifiedAt: &ratified, LateEntry: true, LateReason: "Radio log written up after the shift"}
	w := e.do(t, req{method: "GET", path: "/incidents/1", cookie: token})
	body := w.Body.String()
	for _, want := range []string{"Wed 1 Jul 13:00:00 BST", "late entry", "Radio log written up after the shift", "ratified 01:30 GMT"} {
		if w.Code != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("incident page %d lacks %q:\n%s", w.Code, want, body)
		}
	}
	if strings.Contains(body, "12:00:00") {
		t.Error("incident page shows the UTC time")
	}

	ended := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC) // 02:00 BST
	lf.shifts = []*arv.RosterShift{{ID: 3, Name: "Night", Start: time.Date(2026, 3, 28, 19, 0, 0, 0, time.UTC), End: ended,
		Amendments: []arv.RosterAmendment{{At: ended.Add(time.Hour), By: "planner", Action: "assign", OfficerID: 9, Reason: "On ARV1 by the radio log"}}}}
	planner, _ := e.login(t, "planner")
	w = e.do(t, req{method: "GET", path: "/roster", cookie: planner})
	body = w.Body.String()
	for _, want := range []string{"Sat 28 Mar 19:00:00 GMT", "Sun 29 Mar 02:00:00 BST", "amended Sun 29 Mar 03:00:00 BST by planner (assign, officer 9): On ARV1 by the radio log"} {
		if w.Code != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("roster page %d lacks %q:\n%s", w.Code, want, body)
		}
	}
}

func TestNewIncidentFormReadsLondonTime(t *testing.T) {
	tests := []struct {
		name, callAt string
		code         int
		want         time.Time // the call time passed on
		message      string
	}{
		{"summer", "2026-07-01T14:00", http.StatusSeeOther, time.Date(2026, 7, 1, 13, 0, 0, 0, time.UTC), ""},
		{"winter", "2026-11-05T13:00", http.StatusSeeOther, time.Date(2026, 11, 5, 13, 0, 0, 0, time.UTC), ""},
		{"autumn overlap: the first 01:30 (BST)", "2026-10-25T01:30", http.StatusSeeOther, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), ""},
		{"spring gap refused", "2026-03-29T01:30", http.StatusBadRequest, time.Time{}, "2026-03-29 01:30 did not happen in London"},
		{"not a time", "tomorrow", http.StatusBadRequest, time.Time{}, "must be a London date and time"},
		{"empty: now", "", http.StatusSeeOther, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, lf := newLocalEnv(t)
			token, csrf := e.login(t, "call_handler")
			form := url.Values{"csrf_token": {csrf}, "place": {"51.35, -1.99"}, "description": {"Shots heard"}, "call_at": {tt.callAt}, "late_reason": {"Written up late"}}
			w := e.do(t, req{method: "POST", path: "/incidents/new", body: form.Encode(), contentType: "application/x-www-form-urlencoded", cookie: token})
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.code, w.Body)
			}
			if tt.message != "" {
				if !strings.Contains(w.Body.String(), tt.message) {
					t.Fatalf("page lacks %q:\n%s", tt.message, w.Body)
				}
				if lf.newInc != nil {
					t.Fatal("incident created from a refused time")
				}
				return
			}
			if lf.newInc == nil || !lf.newInc.CallAt.Equal(tt.want) || lf.newInc.LateReason != "Written up late" {
				t.Fatalf("created %+v, want call at %v", lf.newInc, tt.want)
			}
		})
	}
}

func TestQueryDatesAreLondonDays(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "call_handler")
	w := e.do(t, req{method: "GET", path: "/api/v1/incidents?from=2026-07-01&to=2026-07-02T09:00", cookie: token})
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if want := time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC); !e.f.incFilter.From.Equal(want) {
		t.Errorf("from = %v, want %v (London midnight)", e.f.incFilter.From, want)
	}
	if want := time.Date(2026, 7, 2, 8, 0, 0, 0, time.UTC); !e.f.incFilter.To.Equal(want) {
		t.Errorf("to = %v, want %v", e.f.incFilter.To, want)
	}
	w = e.do(t, req{method: "GET", path: "/api/v1/incidents?from=2026-03-29T01:30", cookie: token})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "did not happen in London") {
		t.Errorf("spring gap: %d %s", w.Code, w.Body)
	}
	planner, _ := e.login(t, "planner")
	w = e.do(t, req{method: "GET", path: "/api/v1/roster?from=2026-10-25&days=1", cookie: planner})
	if want := time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC); w.Code != http.StatusOK || !e.f.rosterArg[0].Equal(want) {
		t.Errorf("roster from = %v (%d), want %v", e.f.rosterArg[0], w.Code, want)
	}
	w = e.do(t, req{method: "GET", path: "/api/v1/returns/response-times?month=1900-01", cookie: planner})
	if w.Code != http.StatusBadRequest {
		t.Errorf("month 1900-01: %d", w.Code)
	}
}

// TestPatrolWindowsHeadedLondon: patrol windows are London wall-clock
// times (arv.PatrolPlan.Window), and the page says so.
func TestPatrolWindowsHeadedLondon(t *testing.T) {
	m := newMatrix(t)
	m.patrol()
	body := m.raw("GET", "/patrols", m.session[arv.RoleITFC], "", "").Body.String()
	if !strings.Contains(body, "Window (London time)") || strings.Contains(body, "UTC") {
		t.Fatalf("patrols page does not head the windows as London time:\n%s", body)
	}
}

// TestFormTimesInTheSpringGap: the discharge, debrief and advice forms
// read their London times as every typed time is read (arv.ParseLocal):
// 01:30 on the last Sunday of March 2026 never happened in London and is
// refused with the reason, not moved silently.
func TestFormTimesInTheSpringGap(t *testing.T) {
	m := newMatrix(t)
	tfc := m.session[arv.RoleTFC]
	i := m.incident(true)
	for _, c := range []struct{ path, field string }{
		{"/incidents/%d/discharges", "at"},
		{"/incidents/%d/debriefs", "at"},
		{"/incidents/%d/advice", "consulted_at"},
	} {
		p := fmt.Sprintf(c.path, i.ID)
		form := url.Values{"officer_id": {fmt.Sprint(m.officer().ID)}, "weapon": {"carbine"}, "rounds": {"1"}, "at_person": {"no"}, "injury": {"none"},
			"circumstances": {"x"}, "led_by": {"x"}, "notes": {"x"}, "adviser": {"PS Reid"}, "advice": {"x"}, c.field: {"2026-03-29T01:30"}}
		rec := m.send(arvhttp.Route{Method: "POST", Pattern: p, Page: true}, call{path: p, form: form}, tfc, tfc.csrf)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "did not happen in London") {
			t.Errorf("%s with %s in the spring gap: %d\n%s", p, c.field, rec.Code, rec.Body)
		}
	}
}

// TestMessagesGiveTheZone: the times in the after-discharge messages (the
// sign-off lock, the IOPC-referral alert) carry GMT or BST, as every time
// a person reads does (docs/operations.md §10).
func TestMessagesGiveTheZone(t *testing.T) {
	m := newMatrix(t)
	tfc := m.session[arv.RoleTFC]
	zone := regexp.MustCompile(`\d\d:\d\d (GMT|BST)`)
	i := m.signedOff()
	rec := m.raw("POST", fmt.Sprintf("/api/v1/incidents/%d/advice", i.ID), tfc, tfc.csrf, `{"adviser":"PS Reid","advice":"Contain."}`)
	if rec.Code != http.StatusConflict || !zone.MatchString(rec.Body.String()) {
		t.Errorf("sign-off lock: %d %s, want a time with its zone", rec.Code, rec.Body)
	}
	m.dischargeIncident(true, false)
	rec = m.raw("GET", "/api/v1/alerts", tfc, "", "")
	for _, msg := range regexp.MustCompile(`"message":"(Incident \d+: death or serious injury[^"]*)"`).FindAllStringSubmatch(rec.Body.String(), -1) {
		if n := len(zone.FindAllString(msg[1], -1)); n != 2 {
			t.Errorf("IOPC alert %q gives %d times with their zone, want 2", msg[1], n)
		}
	}
	if !strings.Contains(rec.Body.String(), "iopc_referral_outstanding") {
		t.Errorf("no IOPC alert: %s", rec.Body)
	}
}
