package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/sqlite"
)

// exportDB makes an operations database with one closed incident called
// at 00:30 BST on 1 April 2026 (an ARV arriving after 11 minutes, stood
// down 20 minutes later), one closed demo incident and one open one.
func exportDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arv.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	call := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	now := call
	st.Now = func() time.Time { return now }
	st.Router = arvtest.LineRouter{}
	st.UrbanTarget, st.RuralTarget = 15, 20
	f := arvtest.MustForce(t, st, now)
	sys := arv.NewContextWithUser(context.Background(), arv.SystemUser)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	inc, err := st.CreateIncident(sys, arv.NewIncident{Position: &arvtest.Devizes, Description: "Export", PrePlanned: true})
	must(inc, err)
	must(st.Decide(sys, inc.ID, arvtest.Decision(true)))
	must(st.Assign(sys, inc.ID, f.Units["ARV1"].ID))
	now = call.Add(11 * time.Minute)
	must(st.ReportStatus(sys, f.Units["ARV1"].ID, arv.StatusReport{Status: arv.StatusOnScene}))
	now = call.Add(31 * time.Minute)
	must(st.StandDown(sys, inc.ID, arv.StandDown{Reason: "resolved"}))
	d, err := st.CreateIncident(arv.WithDemo(sys), arv.NewIncident{Position: &arvtest.Devizes, Description: "Demo: export"})
	must(d, err)
	must(st.StandDown(sys, d.ID, arv.StandDown{Reason: "resolved"}))
	must(st.CreateIncident(sys, arv.NewIncident{Position: &arvtest.Swindon, Description: "Still open"}))
	return path
}

func TestIncidentsExport(t *testing.T) {
	db := exportDB(t)
	want := "incident_id,call_at,lat,lon,class,response_minutes,arvs_sent,on_scene_minutes,pre_planned\n" +
		"1,2026-04-01T00:30:00+01:00,51.350000,-1.995000,rural,11.0,1,20.0,true\n"
	want = strings.Replace(want, "51.350000,-1.995000", formatPoint(arvtest.Devizes.Lat, arvtest.Devizes.Lon), 1)
	if out := mustRun(t, "incidents", "export", "--db", db, "--from", "2026-04-01", "--to", "2026-04-01"); out != want {
		t.Errorf("export:\n%s\nwant:\n%s", out, want)
	}
	// 1 April is a London day: 31 March (London) has nothing.
	if out := mustRun(t, "incidents", "export", "--db", db, "--from", "2026-03-31", "--to", "2026-03-31"); strings.Count(out, "\n") != 1 {
		t.Errorf("export of 31 March:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "history.csv")
	_, errs, code := run(t, "incidents", "export", "--db", db, "--from", "2026-03-01", "--to", "2026-04-30", "--out", file)
	got, err := os.ReadFile(file)
	if code != 0 || err != nil || string(got) != want || !strings.Contains(errs, "1 incidents from 2026-03-01 to 2026-04-30 written to") {
		t.Errorf("--out: exit %d %v %q\n%s", code, err, errs, got)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"incidents"}, 2, "give export"},
		{[]string{"incidents", "export", "--db", db, "--from", "2026-04-01"}, 2, "--from and --to are required"},
		{[]string{"incidents", "export", "--db", db, "--from", "1 April", "--to", "2026-04-01"}, 2, "not a date"},
		{[]string{"incidents", "export", "--db", db, "--from", "2026-04-02", "--to", "2026-04-01"}, 1, "before the first day"},
		{[]string{"incidents", "export", "--db", filepath.Join(t.TempDir(), "none.db"), "--from", "2026-04-01", "--to", "2026-04-01"}, 1, "no such database"},
	} {
		_, errs, code := run(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("arv %s: exit %d %q; want %d mentioning %q", strings.Join(c.args, " "), code, errs, c.code, c.msg)
		}
	}
}

func formatPoint(lat, lon float64) string {
	return strconv.FormatFloat(lat, 'f', 6, 64) + "," + strconv.FormatFloat(lon, 'f', 6, 64)
}
