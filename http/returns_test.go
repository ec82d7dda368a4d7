package http_test

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

func TestReturnsCSV(t *testing.T) {
	e := newEnv(t)
	token, _ := e.login(t, "planner")
	e.f.annual = &arv.AnnualReturn{Year: "2025/26", FirearmsOperations: 12, ARVOperations: 10, IncidentsDischargedAtPersons: 1, CountedOn: "2026-03-31",
		From: arv.FinancialYearStart(2025), To: arv.FinancialYearStart(2026)}
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
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "year,from,to,firearms_operations") || !strings.HasPrefix(lines[1], "2025/26,2025-04-01T00:00:00+01:00,2026-04-01T00:00:00+01:00,") {
		t.Errorf("annual CSV:\n%s", w.Body)
	}
	if head, row := strings.Split(lines[0], ","), strings.Split(lines[len(lines)-1], ","); len(head) != len(row) ||
		slices.Index(head, "incidents_firearms_discharged_at_persons") < 0 || row[slices.Index(head, "incidents_firearms_discharged_at_persons")] != "1" {
		t.Errorf("annual CSV lacks the discharge column:\n%s", w.Body)
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
