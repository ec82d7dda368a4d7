package plan

import (
	"context"
	"math"
	"testing"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/scenarios"
	"github.com/arv-project/arv/sim"
	"github.com/arv-project/arv/yaml"
)

// lineCompiler compiles over the straight-line test router at 60 km/h.
func lineCompiler(ctx context.Context) Compiler {
	return func(s *arv.Scenario) (*sim.Model, error) {
		return sim.Compile(ctx, s, arvtest.LineRouter{SpeedKmh: 60})
	}
}

// builtin returns a built-in scenario, decoded by the project's own
// scenario reader.
func builtin(t testing.TB, name string) *arv.Scenario {
	t.Helper()
	data, ok := scenarios.Get(name)
	if !ok {
		t.Fatalf("no built-in scenario %q", name)
	}
	doc, err := yaml.ParseScenario(data, name+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	if errs := doc.Scenario.Validate(); len(errs) > 0 {
		t.Fatalf("%s: %v", name, errs)
	}
	return doc.Scenario
}

// builtinCompiler compiles over the built-in strategic network of the
// named area, as "arv simulate" does without --graph.
func builtinCompiler(t testing.TB, ctx context.Context, name string) Compiler {
	t.Helper()
	area, err := atlas.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := area.Network()
	if err != nil {
		t.Fatal(err)
	}
	h, err := ch.Build(ctx, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := ch.NewRouter(h)
	return func(s *arv.Scenario) (*sim.Model, error) { return sim.Compile(ctx, s, r) }
}

func flat(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// testshire is a small force on straight-line roads with the built-in
// scenarios' rota and abstraction (5 teams of 10-hour shifts, three a
// day, 62 shifts a year away: availability 157.15 / 219.15), three ARVs
// crewed by two, 45 ARV officers and one key-site patrol.
func testshire() *arv.Scenario {
	ln := func(mean, sd float64) arv.Dist {
		return arv.Dist{Kind: arv.DistLognormal, Mean: mean, SD: sd, Source: "test"}
	}
	all := []string{"early", "late", "night"}
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
			{ID: "north", Name: "North", At: "51.5745,-1.7320"},
			{ID: "south", Name: "South", At: "51.07,-1.79"},
			{ID: "hq", Name: "HQ", At: "51.357,-1.9785"},
		},
		ARVs: []arv.ARV{
			{CallSign: "A1", Base: "north", Crew: 2, Shifts: all},
			{CallSign: "A2", Base: "south", Crew: 2, Shifts: all},
			{CallSign: "A3", Base: "hq", Crew: 2, Shifts: all},
		},
		Shifts: arv.ShiftPattern{Teams: 5, Hours: 10, Shifts: []arv.Shift{
			{Name: "early", Start: "07:00"}, {Name: "late", Start: "14:00"}, {Name: "night", Start: "22:00"},
		}},
		Officers: arv.Officers{ARV: 45, AFO: 25, Taser: 170,
			Abstraction: arv.Abstraction{AnnualLeave: 28, Sickness: 9, Training: 20, Courses: 5}},
		MinimumComplement: 2,
		Demand: arv.Demand{
			IncidentsPerYear: 200,
			HourOfDay:        flat(24), DayOfWeek: flat(7),
			TwoARVShare:    0.25,
			OnScene:        ln(90, 75),
			StoodDownShare: 0.1,
		},
		Delays:   arv.Delays{CallHandling: ln(2, 1), Authorisation: ln(2, 1.5), Mobilisation: ln(1.5, 0.5)},
		KeySites: []arv.KeySite{{Name: "Cathedral", At: "51.065,-1.797", Start: "10:00", HoursPerDay: 4}},
		MutualAid: arv.MutualAid{AfterMinutes: 10, Neighbours: []arv.Neighbour{
			{Name: "Next Door", Arrival: arv.Dist{Kind: arv.DistUniform, Min: 20, Max: 60, Source: "test"}},
		}},
		Targets:    arv.Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9},
		Simulation: arv.SimulationSettings{Years: 2, Replications: 4, WarmupDays: 10, Seed: 3},
	}
}

// near reports whether a and b agree to within tol.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
