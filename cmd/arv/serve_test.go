package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/arv-project/arv/demo"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/postgres"
)

// servedDemo is `arv serve --demo` running in-process.
type servedDemo struct {
	url       string
	passwords map[string]string
	stop      func()
}

// startDemo runs arv serve --demo with the extra flags and waits until it
// prints its address and the demo sign-ins.
func startDemo(t *testing.T, flags ...string) *servedDemo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb arvtest.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now}
	done := make(chan error, 1)
	go func() {
		args := []string{"serve", "--demo", "--addr", "127.0.0.1:0"}
		if !slices.ContainsFunc(flags, func(f string) bool { return strings.HasPrefix(f, "--generate") }) {
			args = append(args, "--generate", "0") // tests count incidents
		}
		done <- m.Run(ctx, append(args, flags...))
	}()
	d := &servedDemo{passwords: map[string]string{}}
	d.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("arv serve: %v", err)
		}
	}
	apiRE := regexp.MustCompile(`API: (http://\S+)/api/v1`)
	deadline := time.Now().Add(60 * time.Second)
	for {
		s := out.String()
		if mm := apiRE.FindStringSubmatch(s); mm != nil && strings.Contains(s, "Ctrl-C") {
			d.url = mm[1]
			for _, u := range demo.Users {
				re := regexp.MustCompile(`\s` + u.Username + `\s+(\S+)\n`)
				if p := re.FindStringSubmatch(s); p != nil {
					d.passwords[u.Username] = p[1]
				}
			}
			break
		}
		select {
		case err := <-done:
			t.Fatalf("arv serve ended: %v\n%s\n%s", err, s, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("arv serve did not start within 60 s:\n%s\n%s", s, errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return d
}

// client is one signed-in user.
type client struct {
	t    *testing.T
	http *http.Client
	base string
	csrf string
}

func (d *servedDemo) login(t *testing.T, user string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, base: d.url}
	var body struct {
		CSRF string `json:"csrf_token"`
	}
	c.do("POST", "/api/v1/login", map[string]string{"username": user, "password": d.passwords[user]}, 200, &body)
	c.csrf = body.CSRF
	return c
}

// do sends a JSON request and decodes the response into out, failing
// unless the status is want.
func (c *client) do(method, path string, in any, want int, out any) string {
	c.t.Helper()
	var r io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return string(b)
}

var ndm = map[string]string{
	"information":       "Caller saw a man load a shotgun in a car park.",
	"threat":            "High: firearm, public nearby.",
	"powers_and_policy": "APP armed deployment; s3 Criminal Law Act 1967.",
	"options":           "ARV to contain; unarmed units to cordon.",
	"action_and_review": "Deploy the nearest ARV; review on arrival.",
}

// apiFlow runs an armed incident end to end through the API, role by
// role, and checks the record it leaves.
func apiFlow(t *testing.T, d *servedDemo) {
	handler, itfc, officer := d.login(t, "handler"), d.login(t, "itfc"), d.login(t, "officer")
	sfc, planner := d.login(t, "sfc"), d.login(t, "planner")

	var inc struct {
		ID          int64  `json:"id"`
		Class       string `json:"class"`
		Status      string `json:"status"`
		Decisions   []struct{ Kind, By string }
		Assignments []struct {
			CallSign   string   `json:"call_sign"`
			ETASeconds *float64 `json:"eta_seconds"`
		}
		ArrivedAt *time.Time `json:"arrived_at"`
	}
	handler.do("POST", "/api/v1/incidents", map[string]any{"place": "Chippenham", "description": "Man loading a shotgun in the Borough Parade car park",
		"indicators": map[string]any{"firearm_seen": true}}, 201, &inc)
	if inc.Class != "urban" || inc.Status != "awaiting_decision" {
		t.Fatalf("incident = %+v", inc)
	}
	handler.do("POST", fmt.Sprintf("/api/v1/incidents/%d/decision", inc.ID), map[string]any{"authorised": true, "limb": "weapon_access", "ndm": ndm, "tactics": "contain"}, 403, nil)
	itfc.do("POST", fmt.Sprintf("/api/v1/incidents/%d/decision", inc.ID), map[string]any{"authorised": true, "limb": "weapon_access", "ndm": ndm, "tactics": "Containment and call-out."}, 200, &inc)

	var recs struct {
		Recommendations []struct {
			UnitID     int64    `json:"unit_id"`
			CallSign   string   `json:"call_sign"`
			ETASeconds *float64 `json:"eta_seconds"`
			Eligible   bool     `json:"eligible"`
		} `json:"recommendations"`
	}
	itfc.do("GET", fmt.Sprintf("/api/v1/incidents/%d/recommendation", inc.ID), nil, 200, &recs)
	if len(recs.Recommendations) != 3 || !recs.Recommendations[0].Eligible || recs.Recommendations[0].ETASeconds == nil {
		t.Fatalf("recommendations = %+v", recs)
	}
	for i := 1; i < len(recs.Recommendations); i++ {
		a, b := recs.Recommendations[i-1], recs.Recommendations[i]
		if a.Eligible == b.Eligible && *a.ETASeconds > *b.ETASeconds {
			t.Fatalf("recommendations not in road-time order: %+v", recs)
		}
	}
	first := recs.Recommendations[0]
	itfc.do("POST", fmt.Sprintf("/api/v1/incidents/%d/assignments", inc.ID), map[string]any{"unit_id": first.UnitID}, 200, &inc)
	officer.do("POST", fmt.Sprintf("/api/v1/units/%d/status", first.UnitID), map[string]any{"status": "on_scene"}, 200, nil)
	sfc.do("POST", fmt.Sprintf("/api/v1/incidents/%d/ratification", inc.ID), map[string]any{"ratify": true, "rationale": "Proportionate and necessary."}, 200, &inc)
	itfc.do("POST", fmt.Sprintf("/api/v1/incidents/%d/stand-down", inc.ID), map[string]any{"reason": "Suspect detained; shotgun recovered."}, 200, &inc)
	if inc.Status != "stood_down" || inc.ArrivedAt == nil || len(inc.Decisions) != 2 || inc.Assignments[0].CallSign != first.CallSign {
		t.Fatalf("incident after the flow = %+v", inc)
	}

	// A lapsed ticket: WP1005's ARV accreditation lapsed three days ago
	// (demo.Seed sets some to lapse), so the roster refuses them, naming it.
	var officers struct {
		Officers []struct {
			ID     int64  `json:"id"`
			Collar string `json:"collar"`
		} `json:"officers"`
	}
	planner.do("GET", "/api/v1/officers", nil, 200, &officers)
	var lapsed int64
	for _, o := range officers.Officers {
		if o.Collar == "WP1005" {
			lapsed = o.ID
		}
	}
	var sh struct {
		ID int64 `json:"id"`
	}
	start := time.Now().Add(40 * 24 * time.Hour).UTC().Truncate(time.Hour)
	planner.do("POST", "/api/v1/roster/shifts", map[string]any{"name": "extra", "start": start, "end": start.Add(10 * time.Hour)}, 201, &sh)
	body := planner.do("POST", fmt.Sprintf("/api/v1/roster/shifts/%d/crew", sh.ID), map[string]any{"unit_id": first.UnitID, "officer_id": lapsed}, 400, nil)
	want := "ARV accreditation expired on " + time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly)
	if !strings.Contains(body, want) {
		t.Fatalf("refusal %s does not say %q", body, want)
	}

	var rep struct {
		Rows []struct {
			Class     string  `json:"class"`
			Incidents int     `json:"incidents"`
			Arrived   int     `json:"arrived"`
			P50       float64 `json:"p50_minutes"`
		} `json:"rows"`
	}
	planner.do("GET", "/api/v1/returns/response-times?month="+time.Now().UTC().Format("2006-01"), nil, 200, &rep)
	if rep.Rows[0].Class != "urban" || rep.Rows[0].Incidents != 1 || rep.Rows[0].Arrived != 1 {
		t.Fatalf("response report = %+v", rep)
	}
	var ver struct {
		OK      bool  `json:"ok"`
		Checked int64 `json:"checked"`
	}
	planner.do("GET", "/api/v1/audit/verify", nil, 200, &ver)
	if !ver.OK || ver.Checked < 500 {
		t.Fatalf("audit verify = %+v", ver)
	}
}

// TestServeSQLite runs the demo on the embedded SQLite, the incident flow
// through the API, and `arv audit verify` before and after tampering with
// the file.
func TestServeSQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "arv.db")
	d := startDemo(t, "--db", db)
	apiFlow(t, d)
	d.stop()

	out := mustRun(t, "audit", "verify", "--db", db)
	if !strings.Contains(out, "audit log verified") {
		t.Fatalf("verify: %s", out)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	if err := raw.QueryRow(`SELECT seq FROM audit WHERE action = 'incident.decide'`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit SET actor = 'sfc' WHERE seq = ?`, seq); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, _, code := run(t, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, fmt.Sprintf("row %d: contents do not match its hash (edited)", seq)) {
		t.Fatalf("verify after tampering: exit %d\n%s", code, out)
	}

	// A restart with --demo keeps the force and gives new passwords.
	d2 := startDemo(t, "--db", db)
	defer d2.stop()
	if d2.passwords["handler"] == d.passwords["handler"] {
		t.Error("demo passwords did not change on restart")
	}
	c := d2.login(t, "planner")
	var units struct {
		Units []struct{} `json:"units"`
	}
	c.do("GET", "/api/v1/units", nil, 200, &units)
	if len(units.Units) != 3 {
		t.Fatalf("%d units after restart, want 3", len(units.Units))
	}
}

// TestServePostgres runs the same flow on PostgreSQL.
func TestServePostgres(t *testing.T) {
	dsn := os.Getenv("ARV_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("ARV_REQUIRE_POSTGRES") != "" {
			t.Fatal("ARV_REQUIRE_POSTGRES is set but ARV_TEST_POSTGRES_DSN is not")
		}
		t.Skip("set ARV_TEST_POSTGRES_DSN to run against PostgreSQL; .ci/run does")
	}
	schema := fmt.Sprintf("arvserve_%d", os.Getpid())
	t.Cleanup(func() { postgres.DropSchema(context.Background(), dsn, schema) })
	d := startDemo(t, "--postgres", dsn, "--schema", schema)
	apiFlow(t, d)
	d.stop()
	out := mustRun(t, "audit", "verify", "--postgres", dsn, "--schema", schema)
	if !strings.Contains(out, "audit log verified") {
		t.Fatalf("verify: %s", out)
	}
}

// TestUserAdd bootstraps an administrator from the command line.
func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "arv.db")
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader("a sufficiently long password\n"), Stdout: &out, Stderr: &errb}
	if err := m.Run(context.Background(), []string{"user", "add", "--db", db, "--username", "chief", "--name", "Ch Insp Firearms", "--role", "administrator"}); err != nil {
		t.Fatal(err, errb.String())
	}
	if !strings.Contains(out.String(), "added chief (Ch Insp Firearms) as Administrator") || strings.Contains(out.String(), "password:") {
		t.Fatalf("output: %s", out.String())
	}
	_, errs, code := run(t, "user", "add", "--db", db, "--username", "chief", "--name", "Other", "--role", "planner")
	if code != 1 || !strings.Contains(errs, "taken") {
		t.Fatalf("duplicate: exit %d %s", code, errs)
	}
	_, errs, code = run(t, "user", "add", "--db", db, "--username", "x", "--name", "X", "--role", "sheriff")
	if code != 1 || !strings.Contains(errs, "is not one of") {
		t.Fatalf("bad role: exit %d %s", code, errs)
	}
	out2, _, code := run(t, "user", "password", "--db", db, "--username", "chief")
	if code != 0 || !regexp.MustCompile(`password: \S{16}`).MatchString(out2) {
		t.Fatalf("generated password: exit %d %s", code, out2)
	}
}
