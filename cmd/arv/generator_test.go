package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv/demo"
	"github.com/arv-project/arv/internal/arvtest"
)

// The generator's own tests are in package demo; these check its wiring
// into arv serve.

// TestGeneratorNeedsDemo refuses to generate into a database without
// --demo: generated incidents would enter a real force's returns.
func TestGeneratorNeedsDemo(t *testing.T) {
	_, errs, code := run(t, "serve", "--db", filepath.Join(t.TempDir(), "arv.db"), "--generate", "6/h")
	if code != 2 || !strings.Contains(errs, "--demo") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, errs, code = run(t, "serve", "--demo", "--generate", "6/week")
	if code != 2 || !strings.Contains(errs, "/h, /min or /day") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestGeneratorCannotStart: without users to act as, the server runs on
// without the generator.
func TestGeneratorCannotStart(t *testing.T) {
	ctx := context.Background()
	var out, errb arvtest.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now}
	ls, err := m.loadScenario(ctx, "wiltshire", nil)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "arv.db")
	st, err := storeFlags{db: &db, postgres: new(string), schema: new(string)}.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stop := startGenerator(ctx, m, st.Store, ls, demo.Rate{PerHour: 3600})
	stop()
	if !strings.Contains(errb.String(), "serving without generated incidents") || strings.Contains(out.String(), "Generating") {
		t.Fatalf("stdout %q, stderr %q", out.String(), errb.String())
	}
}

// TestGeneratorServe runs arv serve --demo --generate and sees generated
// incidents on the API, then stops it and verifies the audit log.
func TestGeneratorServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "arv.db")
	d := startDemo(t, "--db", db, "--generate", "3600/h,speedup=1000,seed=7")
	c := d.login(t, "planner")
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list struct {
			Incidents []struct {
				Description string `json:"description"`
				RecordedBy  string `json:"recorded_by"`
			} `json:"incidents"`
		}
		c.do("GET", "/api/v1/incidents", nil, 200, &list)
		if len(list.Incidents) > 0 {
			if i := list.Incidents[0]; !strings.HasPrefix(i.Description, "Demo: ") || i.RecordedBy != "handler" {
				t.Fatalf("generated incident: %+v", i)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no incident generated within 30 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.stop()
	if out := mustRun(t, "audit", "verify", "--db", db); !strings.Contains(out, "audit log verified") {
		t.Fatalf("verify: %s", out)
	}
}
