package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
)

func TestGeneratorParse(t *testing.T) {
	for _, c := range []struct {
		in      string
		perHour float64
		speedup float64
		seed    uint64
		hasSeed bool
	}{
		{"12/h", 12, defaultSpeedup, 0, false},
		{"6", 6, defaultSpeedup, 0, false},
		{"0", 0, defaultSpeedup, 0, false},
		{"0.5/min", 30, defaultSpeedup, 0, false},
		{"48/day", 2, defaultSpeedup, 0, false},
		{" 12 / hour , speedup=60, seed=42", 12, 60, 42, true},
		{"3600/h,seed=0", 3600, defaultSpeedup, 0, true},
	} {
		g, err := parseGenerate(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if g.PerHour != c.perHour || g.speedup() != c.speedup || g.Seed != c.seed || g.HasSeed != c.hasSeed {
			t.Errorf("%q = %+v", c.in, g)
		}
	}
	for _, in := range []string{"", "fast", "-1/h", "12/week", "3601/h", "61/min", "NaN", "Inf/h", "12/h,speedup=0", "12/h,speedup=1001", "12/h,seed=-1", "12/h,turbo=2", "12/h,"} {
		if g, err := parseGenerate(in); err == nil {
			t.Errorf("%q: no error, got %+v", in, g)
		}
	}
}

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

// generatorFixture is the Wiltshire demo force on a fresh SQLite file,
// on a clock that reads noon UTC today and runs (the demo roster crews
// the ARVs from 07:00 UTC on its first day).
type generatorFixture struct {
	m      *Main
	ls     *loadedScenario
	st     *openedStore
	stderr *lockedBuffer
	sys    context.Context
	users  map[string]*arv.User
}

func newGeneratorFixture(t *testing.T) *generatorFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	off := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, time.UTC).Sub(now)
	f := &generatorFixture{stderr: &lockedBuffer{}, sys: arv.NewContextWithUser(ctx, arv.SystemUser), users: map[string]*arv.User{}}
	f.m = &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: f.stderr, Now: func() time.Time { return time.Now().Add(off) }}
	var err error
	if f.ls, err = f.m.loadScenario(ctx, "wiltshire", nil); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "arv.db")
	sf := storeFlags{db: &db, postgres: new(string), schema: new(string)}
	if f.st, err = sf.open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	configureStore(f.st.Store, f.ls.Scenario, f.ls.Router, f.m)
	if _, err := seedDemo(ctx, f.st.Store, f.ls.Scenario, f.ls.Router, f.m.now(), io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := demoPasswords(ctx, f.st.Store); err != nil {
		t.Fatal(err)
	}
	users, err := f.st.FindUsers(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		f.users[u.Username] = u
	}
	return f
}

// fullFlow reports whether incident id went all the way: authorised by
// the ITFC, an ARV assigned by the ITFC and arrived, ratified by the SFC
// and stood down after the arrival.
func fullFlow(inc *arv.Incident) bool {
	if inc.Status != arv.IncidentStoodDown || inc.ArrivedAt == nil || inc.RatifiedAt == nil || len(inc.Decisions) != 2 || len(inc.Assignments) != 1 {
		return false
	}
	d0, d1, a := inc.Decisions[0], inc.Decisions[1], inc.Assignments[0]
	return d0.Kind == arv.DecisionAuthorisation && d0.Authorised && d0.By == "itfc" &&
		d1.Kind == arv.DecisionRatify && d1.By == "sfc" &&
		a.AssignedBy == "itfc" && a.ArrivedAt != nil && a.ReleasedAt != nil &&
		!strings.HasPrefix(inc.StandDownReason, "Stood down before arrival") && !strings.HasPrefix(inc.StandDownReason, "No ARV free")
}

// TestGeneratorFlow runs the generator fast on the Wiltshire demo force
// until incidents have gone through decision, assignment, arrival,
// ratification and stand-down, then checks the record and the audit log.
func TestGeneratorFlow(t *testing.T) {
	f := newGeneratorFixture(t)
	ctx := context.Background()
	handler := arv.NewContextWithUser(ctx, f.users["handler"])

	// A call a person recorded, which the generator must leave alone.
	manual, err := f.st.CreateIncident(handler, arv.NewIncident{Place: "Chippenham", Description: "Man with a knife in the High Street",
		Indicators: arv.Indicators{BladedWeapon: true}})
	if err != nil {
		t.Fatal(err)
	}

	// 7,200 an hour at 20,000 times real: a 20-minute drive takes 60 ms,
	// 90 minutes on scene 0.27 s.
	const speedup = 20000
	g, err := newGenerator(ctx, f.st.Store, f.ls, f.m, generateSpec{PerHour: 7200, Speedup: speedup, Seed: 42, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	gctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.Run(gctx)
	}()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	defer stop()

	t0 := time.Now()
	var full, closed []*arv.Incident
	for {
		full, closed = nil, nil
		for _, id := range g.created() {
			inc, err := f.st.FindIncidentByID(f.sys, id)
			if err != nil {
				t.Fatal(err)
			}
			if inc.Status == arv.IncidentStoodDown || inc.Status == arv.IncidentNotAuthorised {
				closed = append(closed, inc)
			}
			if fullFlow(inc) {
				full = append(full, inc)
			}
		}
		if len(full) >= 3 {
			break
		}
		if time.Since(t0) > 30*time.Second {
			t.Fatalf("after 30 s, %d incidents generated, %d closed, %d through the whole flow\n%s", len(g.created()), len(closed), len(full), f.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	for _, inc := range closed {
		t.Logf("incident %d: %s %s ratified=%v arrived=%v", inc.ID, inc.Status, inc.StandDownReason, inc.RatifiedAt != nil, inc.ArrivedAt != nil)
	}
	t.Logf("in %.1f s: %d incidents generated, %d closed, %d through decide, assign, arrive, ratify and stand down",
		time.Since(t0).Seconds(), len(g.created()), len(closed), len(full))

	// The audit log names the demo users for each step.
	for _, inc := range full {
		entries, err := f.st.FindAudit(f.sys, arv.AuditFilter{Entity: fmt.Sprintf("incident/%d", inc.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action+" by "+e.Actor)
		}
		want := []string{"incident.create by handler", "incident.decide by itfc", "incident.assign by itfc", "incident.ratify by sfc", "incident.stand_down by itfc"}
		var steps []string
		for _, s := range got {
			if slices.Contains(want, s) {
				steps = append(steps, s)
			}
		}
		slices.Sort(steps)
		slices.Sort(want)
		if !slices.Equal(steps, want) {
			t.Errorf("incident %d audit: %v", inc.ID, got)
		}
		if !strings.HasPrefix(inc.Description, "Demo: ") || inc.RecordedBy != "handler" {
			t.Errorf("incident %d: %q recorded by %s", inc.ID, inc.Description, inc.RecordedBy)
		}
		a := inc.Assignments[0]
		units, err := f.st.FindAudit(f.sys, arv.AuditFilter{Entity: fmt.Sprintf("unit/%d", a.UnitID)})
		if err != nil {
			t.Fatal(err)
		}
		onScene := false
		for _, e := range units {
			if e.Action == "unit.status" && e.Actor == "officer" && strings.Contains(string(e.After), `"status":"on_scene","position":{"lat":`+fmt.Sprint(inc.Location.Lat)) {
				onScene = true
			}
		}
		if !onScene {
			t.Errorf("incident %d: no on-scene report by officer for %s at the incident", inc.ID, a.CallSign)
		}
		if got, want := a.ArrivedAt.Sub(a.AssignedAt).Seconds(), a.ETASeconds/speedup; !math.IsInf(want, 0) && got < want*0.9 {
			t.Errorf("incident %d: arrived %.3f s after assignment, before the scaled ETA %.3f s", inc.ID, got, want)
		}
	}

	// Nothing touched the call recorded by hand.
	if slices.Contains(g.created(), manual.ID) {
		t.Fatalf("the generator counts incident %d as its own", manual.ID)
	}
	m, err := f.st.FindIncidentByID(f.sys, manual.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != arv.IncidentAwaitingDecision || len(m.Decisions) != 0 || len(m.Assignments) != 0 {
		t.Errorf("manual incident changed: %+v", m)
	}

	// Stopped means stopped, and the chain verifies.
	rep1, err := f.st.VerifyAudit(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	rep2, err := f.st.VerifyAudit(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if !rep2.OK || rep2.Checked < 100 {
		t.Errorf("audit verify: %+v", rep2)
	}
	if rep2.Head != rep1.Head {
		t.Errorf("audit grew after the generator stopped: %+v then %+v", rep1.Head, rep2.Head)
	}

	// An incident of its own that a person takes over (the TFC decides
	// before the ITFC would) is left to them.
	g2, err := newGenerator(ctx, f.st.Store, f.ls, f.m, generateSpec{PerHour: 6, Speedup: 60, Seed: 1, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	p := g2.draw()
	p.decide, p.authorised = 1, true // a minute: 1 s at 60 times
	g2.wg.Add(1)
	go g2.play(ctx, p)
	for len(g2.created()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	id := g2.created()[0]
	if _, err := f.st.Decide(arv.NewContextWithUser(ctx, f.users["tfc"]), id, arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon,
		NDM: arv.NDM{Information: "i", Threat: "t", PowersAndPolicy: "p", Options: "o", ActionAndReview: "a"}, Tactics: "contain"}); err != nil {
		t.Fatal(err)
	}
	g2.wg.Wait()
	taken, err := f.st.FindIncidentByID(f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(taken.Decisions) != 1 || taken.Decisions[0].By != "tfc" || len(taken.Assignments) != 0 || taken.Status != arv.IncidentAuthorised {
		t.Errorf("incident taken over by the TFC: %+v", taken)
	}
	if !strings.Contains(f.stderr.String(), "changed by someone else") {
		t.Errorf("no word of leaving the incident:\n%s", f.stderr)
	}

	if strings.Contains(f.stderr.String(), "level=ERROR") {
		t.Errorf("generator logged errors:\n%s", f.stderr)
	}
}

// TestGeneratorCannotStart: without users to act as, the server runs on
// without the generator.
func TestGeneratorCannotStart(t *testing.T) {
	ctx := context.Background()
	var out, errb lockedBuffer
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
	stop := startGenerator(ctx, m, st.Store, ls, generateSpec{PerHour: 3600})
	stop()
	if !strings.Contains(errb.String(), "serving without generated incidents") || strings.Contains(out.String(), "Generating") {
		t.Fatalf("stdout %q, stderr %q", out.String(), errb.String())
	}
}

// TestGeneratorSeed: the same seed draws the same calls.
func TestGeneratorSeed(t *testing.T) {
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	ls, err := m.loadScenario(context.Background(), "wiltshire", nil)
	if err != nil {
		t.Fatal(err)
	}
	draws := func(seed uint64) []genPlan {
		g, err := newDraws(ls, m, generateSpec{PerHour: 6, Seed: seed, HasSeed: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []genPlan
		for range 50 {
			out = append(out, g.draw())
		}
		return out
	}
	a, b, c := draws(7), draws(7), draws(8)
	if !slices.Equal(a, b) {
		t.Error("seed 7 drew different calls twice")
	}
	if slices.Equal(a, c) {
		t.Error("seeds 7 and 8 drew the same calls")
	}
	// Places follow the demand weights: Swindon has a quarter of the
	// county's people, so it should appear.
	n := 0
	for _, p := range draws(1) {
		if p.address == "Swindon" {
			n++
		}
	}
	if n == 0 {
		t.Error("50 calls and none in Swindon")
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
