package hypercube_test

import (
	"context"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/hypercube"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/sim"
)

// TestAgainstSimulator runs the simulator and the exact hypercube on the
// same zero-variance system: three ARVs always crewed at three bases,
// five demand points, no delays, no second ARVs, no stand-downs, queueing
// when all are busy, exponential on-scene times of an hour. The
// hypercube's workload and share of calls of each ARV must fall within
// the simulator's 95% confidence intervals.
func TestAgainstSimulator(t *testing.T) {
	zero := arv.Dist{Kind: arv.DistFixed, Mean: 0, Source: "test"}
	flat := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = 1
		}
		return v
	}
	s := &arv.Scenario{
		Name:    "hypercube",
		Force:   arv.Force{Name: "Test", AreaKm2: 100, Population: 5},
		Network: arv.NetworkRef{Builtin: "test"},
		DemandPoints: []arv.DemandPoint{
			{ID: "a", Name: "A", At: "52.00,-1.00", Population: 3, Class: arv.Urban},
			{ID: "b", Name: "B", At: "52.05,-1.00", Population: 1, Class: arv.Urban},
			{ID: "c", Name: "C", At: "52.10,-1.00", Population: 2, Class: arv.Urban},
			{ID: "d", Name: "D", At: "52.00,-1.10", Population: 1, Class: arv.Rural},
			{ID: "e", Name: "E", At: "52.10,-1.10", Population: 1, Class: arv.Rural},
		},
		Bases: []arv.Base{
			{ID: "x", Name: "X", At: "52.01,-1.00"},
			{ID: "y", Name: "Y", At: "52.09,-1.01"},
			{ID: "z", Name: "Z", At: "52.05,-1.09"},
		},
		ARVs: []arv.ARV{
			{CallSign: "X1", Base: "x", Crew: 1, Shifts: []string{"all"}},
			{CallSign: "Y1", Base: "y", Crew: 1, Shifts: []string{"all"}},
			{CallSign: "Z1", Base: "z", Crew: 1, Shifts: []string{"all"}},
		},
		Shifts:   arv.ShiftPattern{Teams: 1, Hours: 24, Shifts: []arv.Shift{{Name: "all", Start: "00:00"}}},
		Officers: arv.Officers{ARV: 3},
		Demand: arv.Demand{
			// 1.2 calls an hour against 3 servers of 1 an hour: load 0.4.
			IncidentsPerYear: 1.2 * 24 * 365.25,
			HourOfDay:        flat(24), DayOfWeek: flat(7),
			OnScene: arv.Dist{Kind: arv.DistExponential, Mean: 60, Source: "test"},
		},
		Delays:     arv.Delays{CallHandling: zero, Authorisation: zero, Mobilisation: zero},
		Targets:    arv.Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9},
		Simulation: arv.SimulationSettings{Years: 1, Replications: 1},
	}
	// Straight lines at a high speed, so that trips are short against the
	// hour-long jobs and the simulator's service time is, as the hypercube
	// assumes, essentially the on-scene time: a 10 km trip takes 12 s.
	router := arvtest.LineRouter{SpeedKmh: 3000}
	m, err := sim.Compile(context.Background(), s, router)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Years: 10, Replications: 20, WarmupDays: 10, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}

	// The same system as a hypercube: atoms are the demand sites, rates
	// per minute, preferences and travel from the bases.
	perMinute := s.Demand.IncidentsPerYear / (365.25 * 24 * 60)
	hm := &hypercube.Model{Servers: len(m.ARVs), Atoms: len(m.Sites), Service: 1.0 / 60, Queue: true}
	for _, st := range m.Sites {
		hm.Rate = append(hm.Rate, perMinute*st.Weight)
	}
	hm.Travel = make([]float64, hm.Servers*hm.Atoms)
	for n, a := range m.ARVs {
		for j, st := range m.Sites {
			hm.Travel[n*hm.Atoms+j] = float64(m.Travel[a.Base*len(m.Points)+st.Point]) / 60
		}
	}
	hm.Prefer = hypercube.PreferenceByTravel(hm.Servers, hm.Atoms, hm.Travel)
	hr, err := hypercube.Exact(context.Background(), hm)
	if err != nil {
		t.Fatal(err)
	}
	for n, a := range res.ARVs {
		u := a.Utilisation
		t.Logf("%s: hypercube workload %.4f, simulated utilisation %.4f [%.4f, %.4f]", a.CallSign, hr.Workload[n], u.Mean, u.Low, u.High)
		if hr.Workload[n] < u.Low || hr.Workload[n] > u.High {
			t.Errorf("%s: hypercube workload %.4f outside the simulator's 95%% CI [%.4f, %.4f]", a.CallSign, hr.Workload[n], u.Low, u.High)
		}
		c := a.Calls
		t.Logf("%s: hypercube share of calls %.4f, simulated %.4f [%.4f, %.4f]", a.CallSign, hr.Share[n], c.Mean, c.Low, c.High)
		if hr.Share[n] < c.Low || hr.Share[n] > c.High {
			t.Errorf("%s: hypercube share of calls %.4f outside the simulator's 95%% CI [%.4f, %.4f]", a.CallSign, hr.Share[n], c.Low, c.High)
		}
	}
}
