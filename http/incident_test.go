package http_test

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

func TestRecommendationInfiniteETA(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "itfc")
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

func TestIncidentListQuery(t *testing.T) {
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
	for _, p := range []string{
		"/api/v1/incidents?open=maybe", "/api/v1/incidents?from=yesterday", "/api/v1/incidents?limit=0",
		"/api/v1/incidents?limit=1001", "/api/v1/incidents?from=2026-11-05&to=2026-11-01",
	} {
		wantError(t, e.do(t, req{method: "GET", path: p, cookie: token}), http.StatusBadRequest, arv.EINVALID)
	}
}
