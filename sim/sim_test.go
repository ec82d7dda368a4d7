package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/arvtest"
)

func flat(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

func fixed(m float64) arv.Dist { return arv.Dist{Kind: arv.DistFixed, Mean: m, Source: "test"} }

// queueScenario is an M/M/c queue dressed as a force: c single-crewed
// ARVs on duty around the clock at one base, incidents at the base itself
// (no travel), no delays, exponential on-scene times, nobody stood down,
// no second ARVs and no mutual aid.
func queueScenario(c int, perHour, sceneMinutes float64) *arv.Scenario {
	s := &arv.Scenario{
		Name:         "queue",
		Force:        arv.Force{Name: "Queue", AreaKm2: 1, Population: 1},
		Network:      arv.NetworkRef{Builtin: "test"},
		DemandPoints: []arv.DemandPoint{{ID: "here", Name: "Here", At: "52,-1", Population: 1, Class: arv.Urban}},
		Bases:        []arv.Base{{ID: "base", Name: "Base", At: "52,-1"}},
		Shifts:       arv.ShiftPattern{Teams: 1, Hours: 24, Shifts: []arv.Shift{{Name: "all", Start: "00:00"}}},
		Officers:     arv.Officers{ARV: c},
		Demand: arv.Demand{
			IncidentsPerYear: perHour * 24 * 365.25,
			HourOfDay:        flat(24), DayOfWeek: flat(7),
			OnScene: arv.Dist{Kind: arv.DistExponential, Mean: sceneMinutes, Source: "test"},
		},
		Delays:     arv.Delays{CallHandling: fixed(0), Authorisation: fixed(0), Mobilisation: fixed(0)},
		Targets:    arv.Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9},
		Simulation: arv.SimulationSettings{Years: 1, Replications: 1},
	}
	for i := 0; i < c; i++ {
		s.ARVs = append(s.ARVs, arv.ARV{CallSign: string(rune('A' + i)), Base: "base", Crew: 1, Shifts: []string{"all"}})
	}
	return s
}

// erlangC returns the probability that an arrival waits, and the mean
// wait, in an M/M/c queue with arrival rate lambda and service rate mu
// (A. K. Erlang, 1917; e.g. Gross and Harris, "Fundamentals of Queueing
// Theory", §2.3).
func erlangC(c int, lambda, mu float64) (pWait, meanWait float64) {
	a := lambda / mu
	rho := a / float64(c)
	sum, term := 0.0, 1.0
	for k := 0; k < c; k++ {
		if k > 0 {
			term *= a / float64(k)
		}
		sum += term
	}
	last := term * a / float64(c) // a^c / c!
	pc := last / (1 - rho)
	pWait = pc / (sum + pc)
	return pWait, pWait / (float64(c)*mu - lambda)
}

func compile(t testing.TB, s *arv.Scenario, r arv.Router) *Model {
	t.Helper()
	m, err := Compile(context.Background(), s, r)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestErlangC checks the simulator against queueing theory: with no travel
// and exponential on-scene times, the response time is the M/M/c wait, so
// the simulated mean response must contain Erlang C's mean wait in its 95%
// confidence interval, and the share of incidents answered at once must
// match 1 − C(c, a).
func TestErlangC(t *testing.T) {
	cases := []struct {
		name         string
		c            int
		perHour      float64
		sceneMinutes float64
	}{
		// M/M/1 at load 0.5: mean wait ρ/(μ−λ) = 0.5 / (2 − 1) h = 30 min.
		{"M/M/1", 1, 1, 30},
		// M/M/3 at load 0.56: a = 1/h × 100 min = 5/3 Erlangs.
		{"M/M/3", 3, 1, 100},
		// M/M/5 at load 0.8.
		{"M/M/5", 5, 2, 120},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := compile(t, queueScenario(tc.c, tc.perHour, tc.sceneMinutes), arvtest.LineRouter{Instant: true})
			res, err := Run(context.Background(), m, Options{Years: 4, Replications: 20, WarmupDays: 30, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			lambda, mu := tc.perHour/60, 1/tc.sceneMinutes // per minute
			pWait, wantWait := erlangC(tc.c, lambda, mu)
			got := res.All.Mean
			t.Logf("%s: Erlang C mean wait %.3f min; simulated %.3f [%.3f, %.3f] over %d incidents",
				tc.name, wantWait, got.Mean, got.Low, got.High, res.All.Incidents)
			if wantWait < got.Low || wantWait > got.High {
				t.Errorf("Erlang C mean wait %.3f min outside the simulated 95%% CI [%.3f, %.3f]", wantWait, got.Low, got.High)
			}
			// The whole waiting-time distribution: in M/M/c,
			// P(W <= t) = 1 − C(c, a)·exp(−(cμ − λ)t), here at the
			// 15-minute urban target.
			wantWithin := 1 - pWait*math.Exp(-(float64(tc.c)*mu-lambda)*15)
			gotWithin := res.All.WithinTarget
			t.Logf("%s: P(W <= 15 min) %.4f; simulated %.4f [%.4f, %.4f]", tc.name, wantWithin, gotWithin.Mean, gotWithin.Low, gotWithin.High)
			if wantWithin < gotWithin.Low || wantWithin > gotWithin.High {
				t.Errorf("P(W <= 15 min) %.4f outside the simulated 95%% CI [%.4f, %.4f]", wantWithin, gotWithin.Low, gotWithin.High)
			}
			// The pooled CDF agrees (0.01: the CI above is ±0.005).
			if c := res.CDF[15]; math.Abs(c-wantWithin) > 0.01 {
				t.Errorf("CDF[15] = %.4f, want %.4f", c, wantWithin)
			}
			for m := 1; m < len(res.CDF); m++ {
				if res.CDF[m] < res.CDF[m-1] {
					t.Fatalf("CDF decreases at %d minutes", m)
				}
			}
			if o := res.Outcomes; o.Unconserved != 0 || o.Responded+o.EnRoute+o.Waiting != o.Incidents {
				t.Errorf("outcomes do not add up: %+v", o)
			}
		})
	}
}

// wiltshireLike is a small force with every feature switched on: two
// bases, ARVs on different shifts, abstraction, two-ARV incidents,
// stand-downs, mutual aid, a key-site patrol, hotspots and a demand grid.
func wiltshireLike() *arv.Scenario {
	ln := func(mean, sd float64) arv.Dist {
		return arv.Dist{Kind: arv.DistLognormal, Mean: mean, SD: sd, Source: "test"}
	}
	hours := flat(24)
	for h := 18; h < 24; h++ {
		hours[h] = 2
	}
	return &arv.Scenario{
		Name:    "testshire",
		Force:   arv.Force{Name: "Testshire Police", AreaKm2: 3000, Population: 700000},
		Network: arv.NetworkRef{Builtin: "test"},
		DemandPoints: []arv.DemandPoint{
			{ID: "city", Name: "City", At: "51.55,-1.78", Population: 200000, Class: arv.Urban},
			{ID: "town", Name: "Town", At: "51.07,-1.80", Population: 40000, Class: arv.Urban},
			{ID: "west", Name: "West", At: "51.32,-2.20", Population: 30000, Class: arv.Urban},
			{ID: "hamlet", Name: "Hamlet", At: "50.95,-2.08", Population: 120, Class: arv.Rural},
		},
		DemandGrid: &arv.DemandGrid{CellKm: 10, Population: 150000, Class: arv.Rural},
		Bases: []arv.Base{
			{ID: "hq", Name: "HQ", At: "51.357,-1.9785"},
			{ID: "north", Name: "North", At: "51.5745,-1.7320"},
		},
		StandbyPoints: []arv.Base{{ID: "south", Name: "South", At: "51.07,-1.79"}},
		ARVs: []arv.ARV{
			{CallSign: "A1", Base: "hq", Crew: 2, Shifts: []string{"early", "late", "night"}},
			{CallSign: "A2", Base: "north", Crew: 2, Shifts: []string{"early", "late", "night"}},
			{CallSign: "A3", Base: "south", Crew: 2, Shifts: []string{"early", "late"}},
		},
		Shifts: arv.ShiftPattern{Teams: 5, Hours: 10, Shifts: []arv.Shift{
			{Name: "early", Start: "07:00"}, {Name: "late", Start: "14:00"}, {Name: "night", Start: "22:00"},
		}},
		Officers:          arv.Officers{ARV: 40, Abstraction: arv.Abstraction{AnnualLeave: 25, Sickness: 9, Training: 20, Courses: 5}},
		MinimumComplement: 2,
		Demand: arv.Demand{
			IncidentsPerYear: 400,
			HourOfDay:        hours, DayOfWeek: []float64{1, 1, 1, 1, 1.3, 1.5, 1.2},
			Hotspots:       []arv.Hotspot{{Name: "Stadium", At: "51.56,-1.77", Share: 0.05, Class: arv.Urban}},
			TwoARVShare:    0.3,
			OnScene:        ln(60, 40),
			StoodDownShare: 0.15,
		},
		Delays:   arv.Delays{CallHandling: ln(1.5, 1), Authorisation: ln(1.5, 1), Mobilisation: ln(1, 0.5)},
		KeySites: []arv.KeySite{{Name: "Cathedral", At: "51.065,-1.797", Start: "10:00", HoursPerDay: 6}},
		MutualAid: arv.MutualAid{AfterMinutes: 10, Neighbours: []arv.Neighbour{
			{Name: "Next Door", Arrival: arv.Dist{Kind: arv.DistUniform, Min: 20, Max: 60, Source: "test"}},
		}},
		Targets:    arv.Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9},
		Simulation: arv.SimulationSettings{Years: 2, Replications: 4, WarmupDays: 10, Seed: 3},
	}
}

func TestConservation(t *testing.T) {
	m := compile(t, wiltshireLike(), arvtest.LineRouter{SpeedKmh: 60})
	if m.GridCells == 0 {
		t.Fatal("no demand-grid cells")
	}
	res, err := Run(context.Background(), m, Options{Years: 3, Replications: 6, WarmupDays: 10, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outcomes
	if o.Unconserved != 0 || o.Responded+o.MutualAid+o.StoodDown+o.EnRoute+o.Waiting != o.Incidents {
		t.Fatalf("outcomes do not add up: %+v", o)
	}
	// Every path of the model was exercised.
	if o.MutualAid == 0 || o.StoodDown == 0 || o.Responded == 0 {
		t.Fatalf("some outcome never happened: %+v", o)
	}
	// 400 a year over 6 × 3 years: the count is Poisson, so within 4
	// standard deviations of 7,200 (√7200 ≈ 85).
	if d := math.Abs(float64(o.Incidents) - 7200); d > 4*85 {
		t.Fatalf("%d incidents, want about 7200", o.Incidents)
	}
	// Responses include the delays: never faster than call handling plus
	// authorisation plus mobilisation can be (all positive lognormals).
	if res.All.Mean.Mean <= 0 || res.Urban.Median.Mean > res.Rural.Median.Mean {
		t.Fatalf("implausible responses: all %+v, urban median %v, rural median %v", res.All.Mean, res.Urban.Median.Mean, res.Rural.Median.Mean)
	}
	if res.KeySiteUncoveredHoursPerYear.Mean < 0 || res.ARVs[0].Patrol.Mean+res.ARVs[1].Patrol.Mean+res.ARVs[2].Patrol.Mean == 0 {
		t.Fatalf("the key-site patrol never happened: %+v", res.ARVs)
	}
	// A3 is rostered 15 of 24 hours (07:00–22:00).
	if c := res.ARVs[2].Crewed.Mean; c > 15.0/24+1e-9 {
		t.Fatalf("A3 crewed %.3f of the time, more than its 15 rostered hours a day", c)
	}
}

func TestDeterminism(t *testing.T) {
	m := compile(t, wiltshireLike(), arvtest.LineRouter{SpeedKmh: 60})
	out := func(seed uint64, workers int) []byte {
		res, err := Run(context.Background(), m, Options{Years: 1, Replications: 5, WarmupDays: 5, Seed: seed, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := out(7, 1), out(7, 4), out(8, 2)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different results with 1 and 4 workers")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave identical results")
	}
}

func TestCancel(t *testing.T) {
	m := compile(t, wiltshireLike(), arvtest.LineRouter{SpeedKmh: 60})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, m, Options{Years: 50, Replications: 2, Seed: 1}); err == nil {
		t.Fatal("a cancelled run returned no error")
	}
}

func TestCompileErrors(t *testing.T) {
	s := wiltshireLike()
	s.Bases[1].At = "Nowhere"
	_, err := Compile(context.Background(), s, arvtest.LineRouter{SpeedKmh: 60})
	fe, ok := err.(*FieldErrors)
	if !ok || len(fe.Errs) != 1 || fe.Errs[0].Path != "bases[1].at" {
		t.Fatalf("err=%v", err)
	}
}

// TestNeighbourEntry checks that a neighbour with an entry point arrives
// after its own time to the entry plus the road time from there: one ARV
// under heavy load, a neighbour 10 minutes from an entry 60 km away
// (an hour at 60 km/h), asked after 10 minutes, can never arrive within
// 10 + 10 + 60 = 80 minutes of the call.
func TestNeighbourEntry(t *testing.T) {
	s := queueScenario(1, 3, 60) // load 3: most incidents wait
	s.MutualAid = arv.MutualAid{AfterMinutes: 10, Neighbours: []arv.Neighbour{
		{Name: "Far", At: "52.539,-1", Arrival: fixed(10)}, // 0.539° of latitude ≈ 60 km north
	}}
	m := compile(t, s, arvtest.LineRouter{SpeedKmh: 60})
	r := newRep(m, Options{Years: 0.2, Replications: 1, Seed: 1}, 0)
	if err := r.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range r.resp {
		if x.mutual {
			n++
			if x.minutes < 80-0.5 {
				t.Fatalf("mutual aid arrived %.1f minutes after the call, before the 80 it takes", x.minutes)
			}
		}
	}
	if n == 0 {
		t.Fatal("no incident went to mutual aid")
	}
}

// TestShiftEvents checks that each shift starts once a day: three
// shifts over a year of 365.25 days (plus the one on duty at the start).
func TestShiftEvents(t *testing.T) {
	m := compile(t, wiltshireLike(), arvtest.LineRouter{SpeedKmh: 60})
	r := newRep(m, Options{Years: 1, Replications: 1, Seed: 1}, 0)
	if err := r.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := 3*365 + 1; r.shifts < want-3 || r.shifts > want+3 {
		t.Fatalf("%d shift starts in a year, want about %d", r.shifts, want)
	}
}

// TestShiftHours checks that a shift shorter than the gap to the next
// leaves the ARVs uncrewed in between: shifts at 07:00 and 19:00 of 8
// hours crew 16 hours a day.
func TestShiftHours(t *testing.T) {
	s := queueScenario(1, 0.1, 30)
	s.Shifts = arv.ShiftPattern{Teams: 1, Hours: 8, Shifts: []arv.Shift{{Name: "day", Start: "07:00"}, {Name: "night", Start: "19:00"}}}
	s.ARVs[0].Shifts = []string{"day", "night"}
	m := compile(t, s, arvtest.LineRouter{Instant: true})
	res, err := Run(context.Background(), m, Options{Years: 1, Replications: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.ARVs[0].Crewed.Mean; math.Abs(c-16.0/24) > 0.005 {
		t.Fatalf("crewed %.4f of the time, want 16/24 = %.4f", c, 16.0/24)
	}
}

// TestPatrolHandover checks that a patrol left when its crew goes off
// duty passes to an ARV that is free: A works the late shift, B the early
// one; B takes the 18:00–22:00 patrol and goes off at 19:00, when A is on
// duty and idle, so the patrol is never left uncovered.
func TestPatrolHandover(t *testing.T) {
	s := queueScenario(2, 0, 30) // no incidents
	s.Shifts = arv.ShiftPattern{Teams: 1, Hours: 12, Shifts: []arv.Shift{{Name: "early", Start: "07:00"}, {Name: "late", Start: "19:00"}}}
	s.ARVs[0].Shifts = []string{"late"}
	s.ARVs[1].Shifts = []string{"early"}
	s.KeySites = []arv.KeySite{{Name: "Site", At: "52,-1", Start: "18:00", HoursPerDay: 4}}
	m := compile(t, s, arvtest.LineRouter{Instant: true})
	res, err := Run(context.Background(), m, Options{Years: 1, Replications: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if u := res.KeySiteUncoveredHoursPerYear.Mean; u > 0 {
		t.Fatalf("patrol uncovered %.1f hours a year with a free ARV on duty", u)
	}
	// A patrols 19:00–22:00 and B 18:00–19:00 each day.
	if pa, pb := res.ARVs[0].Patrol.Mean, res.ARVs[1].Patrol.Mean; math.Abs(pa-3.0/12) > 0.01 || math.Abs(pb-1.0/12) > 0.01 {
		t.Fatalf("patrol shares %.3f and %.3f of crewed time, want 3/12 and 1/12", pa, pb)
	}
}

// TestZeroPopulationHotspots checks that towns with no residents and
// hotspots taking all demand put every incident at the hotspots.
func TestZeroPopulationHotspots(t *testing.T) {
	s := wiltshireLike()
	for i := range s.DemandPoints {
		s.DemandPoints[i].Population = 0
	}
	s.DemandGrid = nil
	s.Demand.Hotspots = []arv.Hotspot{{Name: "Stadium", At: "51.56,-1.77", Share: 1, Class: arv.Urban}}
	m := compile(t, s, arvtest.LineRouter{SpeedKmh: 60})
	for k := 0; k < 100; k++ {
		if st := m.Sites[m.drawSite(float64(k)/100, float64(k)/100)]; st.Name != "Stadium" {
			t.Fatalf("u=%.2f drew %s", float64(k)/100, st.Name)
		}
	}
}

// trace records the incidents of one replication.
func trace(t *testing.T, s *arv.Scenario) []incident {
	t.Helper()
	m := compile(t, s, arvtest.LineRouter{SpeedKmh: 60})
	r := newRep(m, Options{Years: 1, Replications: 1, Seed: 4}, 0)
	var out []incident
	r.trace = func(in *incident) { out = append(out, *in) }
	if err := r.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommonRandomNumbers checks that changing one part of a scenario
// leaves the random draws of the others alone: another call-handling
// distribution keeps every incident's time, site, mobilisation and
// on-scene time; an extra ARV changes nothing about the incidents; a
// 1% hotspot moves few incidents to other sites.
func TestCommonRandomNumbers(t *testing.T) {
	base := trace(t, wiltshireLike())
	same := func(a, b []incident, what string, eq func(x, y incident) bool) int {
		if len(a) != len(b) {
			t.Fatalf("%s: %d incidents, then %d", what, len(a), len(b))
		}
		n := 0
		for i := range a {
			if eq(a[i], b[i]) {
				n++
			}
		}
		return n
	}
	s := wiltshireLike()
	s.Delays.CallHandling = fixed(2)
	other := trace(t, s)
	if n := same(base, other, "call handling", func(x, y incident) bool {
		return x.t0 == y.t0 && x.site == y.site && x.mob == y.mob && x.onScene == y.onScene && x.need == y.need
	}); n != len(base) {
		t.Fatalf("a new call-handling distribution changed %d of %d incidents' other draws", len(base)-n, len(base))
	}
	s = wiltshireLike()
	s.ARVs = append(s.ARVs, arv.ARV{CallSign: "A4", Base: "hq", Crew: 2, Shifts: []string{"early"}})
	if n := same(base, trace(t, s), "extra ARV", func(x, y incident) bool {
		return x.t0 == y.t0 && x.site == y.site && x.callToReady == y.callToReady && x.mob == y.mob && x.onScene == y.onScene
	}); n != len(base) {
		t.Fatalf("an extra ARV changed %d of %d incidents", len(base)-n, len(base))
	}
	s = wiltshireLike()
	s.Demand.Hotspots = append(s.Demand.Hotspots, arv.Hotspot{Name: "Fair", At: "51.3,-1.9", Share: 0.01, Class: arv.Rural})
	moved := len(base) - same(base, trace(t, s), "hotspot", func(x, y incident) bool { return x.site == y.site })
	// The new hotspot takes about 1% of incidents (4 of 426 here, Poisson
	// 4 ± 2); nothing else moves: allow 3%.
	if moved > len(base)*3/100 {
		t.Fatalf("a 1%% hotspot moved %d of %d incidents to other sites", moved, len(base))
	}
}

// TestEstimateClipped checks that a confidence interval from few
// replications stays within what the figure can be.
func TestEstimateClipped(t *testing.T) {
	e := estimate([]float64{0.02, 0.98})
	if e.Low != 0 || e.High <= 0.98 {
		t.Errorf("estimate(0.02, 0.98) = %+v, want Low clipped to 0 and High above 0.98", e)
	}
	if s := e.share(); s.High != 1 || s.Low != 0 || s.Mean != 0.5 {
		t.Errorf("share() = %+v, want [0, 1] around 0.5", s)
	}
	if e := estimate([]float64{0.4, 0.5, 0.6}); math.Abs(e.Low-(0.5-4.302652729911275*0.1/math.Sqrt(3))) > 1e-9 {
		t.Errorf("estimate(0.4, 0.5, 0.6) = %+v, want the t interval where it is in range", e)
	}
}
