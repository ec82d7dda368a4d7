package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/sim"
)

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in      string
		perHour float64
		speedup float64
		seed    uint64
		hasSeed bool
	}{
		{"12/h", 12, DefaultSpeedup, 0, false},
		{"6", 6, DefaultSpeedup, 0, false},
		{"0", 0, DefaultSpeedup, 0, false},
		{"0.5/min", 30, DefaultSpeedup, 0, false},
		{"48/day", 2, DefaultSpeedup, 0, false},
		{" 12 / hour , speedup=60, seed=42", 12, 60, 42, true},
		{"3600/h,seed=0", 3600, DefaultSpeedup, 0, true},
	} {
		r, err := ParseRate(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if r.PerHour != c.perHour || r.speedup() != c.speedup || r.Seed != c.seed || r.HasSeed != c.hasSeed {
			t.Errorf("%q = %+v", c.in, r)
		}
	}
	for _, in := range []string{"", "fast", "-1/h", "12/week", "3601/h", "61/min", "NaN", "Inf/h", "12/h,speedup=0", "12/h,speedup=1001", "12/h,seed=-1", "12/h,turbo=2", "12/h,"} {
		if r, err := ParseRate(in); err == nil {
			t.Errorf("%q: no error, got %+v", in, r)
		}
	}
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
		!strings.HasPrefix(inc.StandDownReason, "Stood down before arrival") && !strings.HasPrefix(inc.StandDownReason, "No ARV free") &&
		handedOver(inc) // command.go
}

// TestGeneratorFlow runs the generator fast on the Wiltshire demo force
// until incidents have gone through decision, assignment, arrival,
// ratification and stand-down, then checks the record and the audit log.
func TestGeneratorFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	// A call a person recorded, which the generator must leave alone.
	manual, err := f.st.CreateIncident(f.as("handler"), arv.NewIncident{Place: "Chippenham", Description: "Man with a knife in the High Street",
		Indicators: arv.Indicators{BladedWeapon: true}})
	if err != nil {
		t.Fatal(err)
	}

	// 7,200 an hour at 20,000 times real: a 20-minute drive takes 60 ms,
	// 90 minutes on scene 0.27 s.
	const speedup = 20000
	g := f.generator(t, Rate{PerHour: 7200, Speedup: speedup, Seed: 42, HasSeed: true})
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
			inc := f.incident(t, id)
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
		if !strings.HasPrefix(inc.Description, "Demo: ") || inc.RecordedBy != "handler" || !inc.Demo {
			t.Errorf("incident %d: %q recorded by %s, demo %v", inc.ID, inc.Description, inc.RecordedBy, inc.Demo)
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
	if m := f.incident(t, manual.ID); m.Status != arv.IncidentAwaitingDecision || m.Demo || len(m.Decisions) != 0 || len(m.Assignments) != 0 {
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
	g2 := f.generator(t, Rate{PerHour: 6, Speedup: 60, Seed: 1, HasSeed: true})
	d := g2.draw()
	d.decide, d.authorised = 1, true // a minute: 1 s at 60 times
	g2.wg.Add(1)
	go g2.newIncident(d).play(ctx)
	for len(g2.created()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	id := g2.created()[0]
	if _, err := f.st.Decide(f.as("tfc"), id, arv.DecisionRequest{Authorised: true, Limb: arv.LimbWeapon,
		NDM: arv.NDM{Information: "i", Threat: "t", PowersAndPolicy: "p", Options: "o", ActionAndReview: "a"}, Tactics: "contain"}); err != nil {
		t.Fatal(err)
	}
	g2.wg.Wait()
	taken := f.incident(t, id)
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

// users is a UserService that lists a fixed set of users.
type users struct {
	arv.Services
	list []*arv.User
}

func (u users) FindUsers(context.Context) ([]*arv.User, error) { return u.list, nil }

// TestGeneratorUsers: the generator acts as the demo users, or else as
// the first enabled user of each role; without one it cannot start, nor
// on a model without demand sites.
func TestGeneratorUsers(t *testing.T) {
	l := loadWiltshire(t)
	ctx := context.Background()
	list := []*arv.User{
		{Username: "handler", Role: arv.RoleCallHandler, Disabled: true},
		{Username: "amy", Role: arv.RoleCallHandler},
		{Username: "bob", Role: arv.RoleITFC},
		{Username: "itfc", Role: arv.RoleITFC},
		{Username: "sfc", Role: arv.RoleSFC},
		{Username: "cat", Role: arv.RoleArmedOfficer},
		{Username: "officer", Role: arv.RoleArmedOfficer, Disabled: true},
	}
	g, err := NewGenerator(ctx, users{list: list}, l.scenario, l.model, nil, Options{Rate: Rate{PerHour: 6}})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{g.handler.Username, g.itfc.Username, g.sfc.Username, g.officer.Username}; !slices.Equal(got, []string{"amy", "itfc", "sfc", "cat"}) {
		t.Errorf("acts as %v", got)
	}
	_, err = NewGenerator(ctx, users{list: list[:5]}, l.scenario, l.model, nil, Options{})
	if err == nil || err.Error() != "no enabled armed officer user to act as (start with --demo)" {
		t.Errorf("without an armed officer: %v", err)
	}
	if _, err := newDraws(l.scenario, &sim.Model{}, nil, Options{}); err == nil || !strings.Contains(err.Error(), "no demand site") {
		t.Errorf("a model without demand sites: %v", err)
	}
}

// TestGeneratorSeed: the same seed draws the same calls.
func TestGeneratorSeed(t *testing.T) {
	l := loadWiltshire(t)
	draws := func(seed uint64) []draw {
		g, err := newDraws(l.scenario, l.model, l.router.Locate, Options{Rate: Rate{PerHour: 6, Seed: seed, HasSeed: true}})
		if err != nil {
			t.Fatal(err)
		}
		var out []draw
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

// TestDrawsRepeat: a seed draws the calls it drew before the generator
// moved out of cmd/arv (the values below are the old code's, at commit
// 1706d74), so "--generate ...,seed=N" repeats a run across versions. A
// change to the order or number of draws fails here.
func TestDrawsRepeat(t *testing.T) {
	sc, model := syntheticScenario()
	g, err := newDraws(sc, model, nil, Options{Rate: Rate{Seed: 7, HasSeed: true}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		`demo.draw{at:geo.Point{Lat:51.07291961032764, Lon:-1.7907291444516453}, address:"Salisbury", call:1, decide:8.264933893876513, mobilise:1.9003873316370217, ratify:8.826478265993757, onScene:73.50646344432019, authorised:true, early:false, earlyFrac:0.3621070769355126}`,
		`demo.draw{at:geo.Point{Lat:51.06810945828953, Lon:-1.7905321821407008}, address:"Salisbury", call:0, decide:2.1738115495743, mobilise:2.225701777168038, ratify:7.484243299018369, onScene:82.75612815123222, authorised:true, early:false, earlyFrac:0.003184680302913412}`,
		`demo.draw{at:geo.Point{Lat:51.56111423628002, Lon:-1.7690259816085718}, address:"Swindon", call:1, decide:1.2105275875701995, mobilise:2.8008717479083716, ratify:5.920348991182057, onScene:99.02005521621535, authorised:true, early:false, earlyFrac:0.8699553387382206}`,
		`demo.draw{at:geo.Point{Lat:51.55746815162694, Lon:-1.7718364326083542}, address:"Swindon", call:2, decide:7.152658556870374, mobilise:1.4529247616844305, ratify:4.442602494089028, onScene:73.58635985564983, authorised:false, early:true, earlyFrac:0.7194733591576092}`,
		`demo.draw{at:geo.Point{Lat:51.34031510435077, Lon:-1.9933609592234658}, address:"Rural location 28 km from Swindon", call:2, decide:4.612570042912546, mobilise:2.9695000804806235, ratify:7.182152717866358, onScene:60.58915199188887, authorised:true, early:false, earlyFrac:0.5342488593397754}`,
		`demo.draw{at:geo.Point{Lat:51.34918133302343, Lon:-1.973411335300293}, address:"Rural location 28 km from Swindon", call:3, decide:1.302224296655759, mobilise:2.859083044208224, ratify:5.8907081881174115, onScene:67.36886662041665, authorised:false, early:true, earlyFrac:0.4329901315746595}`,
	} {
		if got := fmt.Sprintf("%#v", g.draw()); got != want {
			t.Errorf("draw %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// syntheticScenario is a scenario with one distribution of each kind
// and a model of three sites: urban, rural and a grid cell.
func syntheticScenario() (*arv.Scenario, *sim.Model) {
	sc := &arv.Scenario{
		Delays: arv.Delays{
			CallHandling:  arv.Dist{Kind: arv.DistLognormal, Mean: 3, SD: 2},
			Authorisation: arv.Dist{Kind: arv.DistExponential, Mean: 4},
			Mobilisation:  arv.Dist{Kind: arv.DistUniform, Min: 1, Max: 3},
		},
		Demand: arv.Demand{
			OnScene:        arv.Dist{Kind: arv.DistTriangular, Min: 30, Mean: 60, Max: 120},
			StoodDownShare: 0.2,
		},
	}
	model := &sim.Model{
		Points: []geo.Point{{Lat: 51.56, Lon: -1.78}, {Lat: 51.07, Lon: -1.79}, {Lat: 51.35, Lon: -2.0}},
		Sites: []sim.Site{
			{Point: 0, Name: "Swindon", Group: "Swindon", Urban: true, Weight: 0.5},
			{Point: 1, Name: "Salisbury", Group: "Salisbury", Weight: 0.3},
			{Point: 2, Name: "grid cell 1", Group: sim.DispersedGroup, Weight: 0.2},
		},
	}
	return sc, model
}
