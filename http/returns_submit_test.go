package http_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/internal/arvtest"
)

// Issue 12 over HTTP on a real SQLite store: the annual return's CSV
// columns, submitting it and seeing amendments, the planning export,
// the demo marker, duty status and the pre-planned checkbox.

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV %q: %v", body, err)
	}
	return rows
}

func TestAnnualReturnSubmitOverHTTP(t *testing.T) {
	m := newMatrix(t)
	planner, sfc := m.session[arv.RolePlanner], m.session[arv.RoleSFC]
	// Two armed incidents in February 2026 (2025/26).
	now := m.now
	m.now = time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	m.incident(true)
	m.incident(true)
	m.now = now

	rec := m.raw("GET", "/api/v1/returns/annual?year=2025&format=csv", planner, "", "")
	rows := readCSV(t, rec.Body.String())
	if rec.Code != 200 || len(rows) != 2 {
		t.Fatalf("annual CSV: %d %s", rec.Code, rec.Body)
	}
	head, row := rows[0], rows[1]
	col := func(name string) string {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %s in %q", name, head)
		}
		return row[i]
	}
	for _, h := range head {
		if strings.Contains(strings.ToLower(h), "taser") {
			t.Errorf("the Home Office return has a Taser column: %q", head)
		}
	}
	if col("year") != "2025/26" || col("from") != "2025-04-01T00:00:00+01:00" || col("firearms_operations") != "2" ||
		col("operationally_deployable_officers") != "0" || col("authorised_firearms_officers") != "0" || col("submitted_version") != "" {
		t.Errorf("annual CSV row %q %q", head, row)
	}

	// Submit as the SFC; the planner may not.
	rec = m.raw("POST", "/api/v1/returns/annual/submissions", planner, planner.csrf, `{"year":2025}`)
	if rec.Code != http.StatusForbidden {
		t.Errorf("planner submits: %d %s", rec.Code, rec.Body)
	}
	rec = m.raw("POST", "/api/v1/returns/annual/submissions", sfc, sfc.csrf, `{"year":2026}`)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "ends at 00:00 on 1 April 2027") {
		t.Errorf("unfinished year: %d %s", rec.Code, rec.Body)
	}
	rec = m.raw("POST", "/api/v1/returns/annual/submissions", sfc, sfc.csrf, `{"year":2025}`)
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"version":1`) {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}
	rec = m.raw("POST", "/api/v1/returns/annual/submissions", sfc, sfc.csrf, `{"year":2025}`)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "already submitted (version 1, by sfc") {
		t.Errorf("second submission without a reason: %d %s", rec.Code, rec.Body)
	}

	// A ticket backdated into the year: an amendment, the figure stays.
	m.officer()
	rec = m.raw("GET", "/api/v1/returns/annual?year=2025", planner, "", "")
	var ret arv.AnnualReturn
	m.must(json.Unmarshal(rec.Body.Bytes(), &ret))
	if ret.Submitted == nil || ret.AuthorisedFirearmsOfficers != 0 || len(ret.Amendments) != 2 || ret.Amendments[0].Field != "authorised_firearms_officers" ||
		string(ret.Amendments[0].Submitted) != "0" || string(ret.Amendments[0].Current) != "1" {
		t.Errorf("after a backdated ticket: %s", rec.Body)
	}
	rec = m.raw("GET", "/api/v1/returns/annual?year=2025&format=csv", planner, "", "")
	rows = readCSV(t, rec.Body.String())
	head, row = rows[0], rows[1]
	if col("submitted_version") != "1" || col("submitted_by") != "sfc" || len(col("sha256")) != 64 ||
		col("amendments") != "authorised_firearms_officers: 0 -> 1; operationally_deployable_officers: 0 -> 1" {
		t.Errorf("submitted CSV %q %q", head, row)
	}
	page := m.raw("GET", "/reports?year=2025", sfc, "", "").Body.String()
	for _, want := range []string{`id="submitted"`, `id="amendments"`, "authorised_firearms_officers", "Resubmit the 2025/26 return", "of which operationally deployable"} {
		if !strings.Contains(page, want) {
			t.Errorf("returns page lacks %q", want)
		}
	}
	if strings.Contains(page, "Taser") {
		t.Error("returns page still shows Taser")
	}
	rec = m.raw("GET", "/api/v1/returns/annual/submissions?year=2025", planner, "", "")
	if rec.Code != 200 || strings.Count(rec.Body.String(), `"version"`) != 1 {
		t.Errorf("submissions: %d %s", rec.Code, rec.Body)
	}
	// The setting (arv serve --submit-unfinished-year) allows a year
	// still running.
	m.st.SubmitUnfinishedYear = true
	if rec := m.raw("POST", "/api/v1/returns/annual/submissions", sfc, sfc.csrf, `{"year":2026}`); rec.Code != http.StatusCreated {
		t.Errorf("unfinished year with the setting: %d %s", rec.Code, rec.Body)
	}
}

func TestIncidentExportOverHTTP(t *testing.T) {
	m := newMatrix(t)
	planner, itfc := m.session[arv.RolePlanner], m.session[arv.RoleITFC]
	start := m.now
	i := m.incident(true)
	u := m.unit()
	_, err := m.st.Assign(m.sys(), i.ID, u.ID)
	m.must(err)
	m.now = start.Add(9 * time.Minute)
	_, err = m.st.ReportStatus(m.sys(), u.ID, arv.StatusReport{Status: arv.StatusOnScene})
	m.must(err)
	m.now = start.Add(29 * time.Minute)
	_, err = m.st.StandDown(m.sys(), i.ID, arv.StandDown{Reason: "resolved"})
	m.must(err)
	// A demo incident, closed: not exported, marked on its page.
	d, err := m.st.CreateIncident(arv.WithDemo(m.sys()), arv.NewIncident{Position: &arvtest.Devizes, Description: "Demo: matrix"})
	m.must(err)
	_, err = m.st.Decide(m.sys(), d.ID, arvtest.Decision(true))
	m.must(err)
	_, err = m.st.StandDown(m.sys(), d.ID, arv.StandDown{Reason: "resolved"})
	m.must(err)

	rec := m.raw("GET", "/api/v1/incidents/export?from=2026-11-26&to=2026-11-26&format=csv", planner, "", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
		rec.Header().Get("Content-Disposition") != `attachment; filename="incidents-2026-11-26-2026-11-26.csv"` {
		t.Fatalf("export: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	rows := readCSV(t, rec.Body.String())
	want := [][]string{arv.ExportColumns, {fmt.Sprint(i.ID), "2026-11-26T09:00:00Z", fmt.Sprintf("%.6f", i.Location.Lat), fmt.Sprintf("%.6f", i.Location.Lon), i.Class, "9.0", "1", "20.0", "false"}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("export CSV = %q, want %q", rows, want)
	}
	if strings.Join(rows[0], ",") != "incident_id,call_at,lat,lon,class,response_minutes,arvs_sent,on_scene_minutes,pre_planned" {
		t.Errorf("export header changed: %q", rows[0])
	}
	rec = m.raw("GET", "/api/v1/incidents/export?from=2026-11-26&to=2026-11-26", planner, "", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"response_minutes":9`) {
		t.Errorf("export JSON: %d %s", rec.Code, rec.Body)
	}
	for _, c := range []struct {
		path string
		s    sess
		code int
	}{
		{"/api/v1/incidents/export?from=26/11/2026&to=2026-11-26&format=csv", planner, 400},
		{"/api/v1/incidents/export?from=2026-11-26&format=csv", planner, 400},
		{"/api/v1/incidents/export?from=2026-11-27&to=2026-11-26&format=csv", planner, 400},
		{"/api/v1/incidents/export?from=2026-11-26&to=2026-11-26&format=xls", planner, 400},
		{"/api/v1/incidents/export?from=2026-11-26&to=2026-11-26&format=csv", itfc, 403},
	} {
		if rec := m.raw("GET", c.path, c.s, "", ""); rec.Code != c.code {
			t.Errorf("GET %s: %d %s, want %d", c.path, rec.Code, rec.Body, c.code)
		}
	}
	page := m.raw("GET", fmt.Sprintf("/incidents/%d", d.ID), itfc, "", "").Body.String()
	if !strings.Contains(page, `id="demo-marker"`) {
		t.Error("demo incident page has no demo marker")
	}
	if page := m.raw("GET", fmt.Sprintf("/incidents/%d", i.ID), itfc, "", "").Body.String(); strings.Contains(page, `id="demo-marker"`) {
		t.Error("a real incident is marked demo")
	}
}

func TestDutyAndPrePlannedPages(t *testing.T) {
	m := newMatrix(t)
	admin, handler := m.session[arv.RoleAdministrator], m.session[arv.RoleCallHandler]
	o := m.officer()
	rec := m.raw("POST", fmt.Sprintf("/api/v1/officers/%d/duty", o.ID), admin, admin.csrf, `{"status":"sick","from":"2026-11-26","to":"2026-11-30"}`)
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"status":"sick"`) {
		t.Fatalf("record duty: %d %s", rec.Code, rec.Body)
	}
	rec = m.raw("POST", fmt.Sprintf("/api/v1/officers/%d/duty", o.ID), admin, admin.csrf, `{"status":"on leave","from":"2026-11-26"}`)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "not one of available, sick, restricted, suspended") {
		t.Errorf("bad status: %d %s", rec.Code, rec.Body)
	}
	page := m.raw("GET", "/officers", admin, "", "").Body.String()
	if !strings.Contains(page, "off sick from 2026-11-26 to 2026-11-30") || !strings.Contains(page, `action="/officers/duty"`) {
		t.Errorf("officers page lacks the duty status or form")
	}
	if page := m.raw("GET", "/officers", m.session[arv.RolePlanner], "", "").Body.String(); strings.Contains(page, `action="/officers/duty"`) {
		t.Error("the planner sees the duty form")
	}
	rt := arvhttp.Route{Method: "POST", Pattern: "/incidents/new", Page: true}
	rec = m.send(rt, call{path: "/incidents/new", form: url.Values{"place": {"51.35, -1.99"}, "description": {"Planned op"}, "pre_planned": {"on"}}}, handler, handler.csrf)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("new incident: %d %s", rec.Code, rec.Body)
	}
	var id int64
	fmt.Sscanf(rec.Header().Get("Location"), "/incidents/%d", &id)
	m.must(m.incidentWhere(id, "pre-planned", func(i *arv.Incident) bool { return i.PrePlanned }))
}
