package plan

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/hypercube"
	"github.com/arv-project/arv/locate"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/isochrone"
	"github.com/arv-project/arv/sim"
)

// Network is what a router offers beyond arv.Router when it drives on a
// road graph (road/ch.Router does): the graph, for junction candidates,
// police sites and the map, and one-to-all drive times, for the
// isochrones. A plan on a router without it (a straight-line stand-in)
// leaves those out.
type Network interface {
	// Road returns the road graph.
	Road() *road.Graph
	// OneToAll returns the drive time in milliseconds from a snapped
	// position to every node of the graph.
	OneToAll(from road.Snap) []uint32
}

// Progress is told what a plan is doing: each stage as it starts, with
// detail "", then what the stage is doing within it.
type Progress func(stage, detail string)

// Planner answers the planning questions for one scenario: where the
// ARVs should stand, how busy they are, how many officers keep a full
// complement and how many applicants that takes, and the what-ifs of
// the public debate, all simulated with the same seed. Set its fields
// and call Run.
type Planner struct {
	// Router resolves the scenario's places and times the drives. When
	// it also implements Network, the plan adds major-road junctions and
	// police sites to the standby candidates, draws the roads on the map
	// and computes the isochrones.
	Router arv.Router
	// Options are the simulator's (replications, years, warm-up, seed,
	// workers), used by every simulation of the plan.
	Options sim.Options
	// Model is the scenario compiled on Router (load.Loaded.Model), to
	// save compiling it again; nil: Run compiles it.
	Model *sim.Model
	// Keep names bases or standby points (by id or name) that keep an
	// ARV in every standby answer.
	Keep []string
	// Source says where the scenario came from, for the report
	// ("wiltshire (built-in)" or a file name).
	Source string
	// Now stamps the plan (default time.Now).
	Now func() time.Time
}

// Plan is the answer of Planner.Run. Report, JSON and CSVFiles present
// it.
type Plan struct {
	// Scenario is the scenario planned, Source where it came from and
	// Options the simulator's options every run used.
	Scenario *arv.Scenario
	Source   string
	Options  sim.Options
	// Generated is when the plan was made.
	Generated time.Time
	// Baseline is the simulation of the scenario as it is.
	Baseline *sim.Result
	// WhatIfs are the what-ifs in WhatIfOptions.WhatIfs order, the
	// baseline first.
	WhatIfs []Row
	// Curve is the response with 1 to two more ARVs than today.
	Curve []CurvePoint
	// Staffing is the arithmetic of officers for today's ARVs, and
	// FullComplement the fewest officers, in whole teams, that crew
	// every ARV on FullShare of shifts (0 when beyond reach).
	Staffing       StaffingResult
	FullComplement int
	// Selection is the applicants a year today's establishment needs.
	Selection SelectionResult
	// Standby is each location model's distinct answer, simulated.
	Standby []StandbyOption
	// Recommended is the index in Standby of the recommended standby
	// set, -1 when there is none.
	Recommended int
	// Workload is the hypercube queueing model of the ARVs at their
	// bases (nil without ARVs).
	Workload *hypercube.Result

	router  arv.Router
	network Network // nil without a road graph
	model   *sim.Model

	// The location problem.
	keep     []int // candidates that keep an ARV
	cands    []candidate
	demand   []sim.Site
	prob     *locate.Problem // MaxCover and ExpectedCover: times shifted per class
	median   *locate.Problem // PMedian: raw times
	busy     float64         // ExpectedCover's q, from the baseline simulation
	current  []int           // the candidate of each ARV's base
	cover    locate.Solution // MaxCover
	pmed     locate.Solution
	expected locate.Solution
	curveMax []locate.Solution
	curveExp []locate.Solution
	curVal   map[locate.Model]float64 // today's bases' values

	hyperHow string  // "exact" or "Larson's approximation"
	hyperMin float64 // the hypercube's mean service minutes
	bands    []isochrone.Band
}

// FullShare is the share of shifts on which Plan.FullComplement's
// officers crew every ARV. Assumption: 95%, a planning convention, not a
// national standard (docs/planning.md).
const FullShare = 0.95

// Run plans s: it compiles and simulates the scenario, solves the
// location models and simulates each distinct answer, runs the what-ifs
// and the curve of ARVs, does the staffing and selection arithmetic,
// solves the hypercube model and computes the isochrones. progress (may
// be nil) is told each stage. Run returns an error naming what failed,
// an *arv.Error (EINVALID) when Keep names an unknown base, and ctx.Err()
// when cancelled.
func (pl Planner) Run(ctx context.Context, s *arv.Scenario, progress Progress) (*Plan, error) {
	if s == nil {
		return nil, errPlan("no scenario")
	}
	if pl.Router == nil {
		return nil, errPlan("no router")
	}
	if progress == nil {
		progress = func(string, string) {}
	}
	stage := func(name string) { progress(name, "") }
	detail := func(name string) func(string) {
		progress(name, "")
		return func(what string) { progress(name, what) }
	}
	now := time.Now
	if pl.Now != nil {
		now = pl.Now
	}
	p := &Plan{Scenario: s, Source: pl.Source, Options: pl.Options, Generated: now(), Recommended: -1, router: pl.Router}
	p.network, _ = pl.Router.(Network)
	keep, err := KeepBases(s, pl.Keep)
	if err != nil {
		return nil, err
	}
	compile := func(s *arv.Scenario) (*sim.Model, error) { return sim.Compile(ctx, s, pl.Router) }
	if p.model = pl.Model; p.model == nil {
		if p.model, err = compile(s); err != nil {
			return nil, err
		}
	}

	stage("simulating the baseline")
	if p.Baseline, err = sim.Run(ctx, p.model, p.Options); err != nil {
		return nil, err
	}
	stage("optimising standby points")
	if err := p.optimise(ctx, keep); err != nil {
		return nil, err
	}
	wo := WhatIfOptions{
		AddARVAt:   func(s *arv.Scenario) string { return p.addARVAt(ctx, s) },
		AddARVRule: "the place that adds most expected coverage to the ARVs already there (expected covering model)",
	}
	if p.WhatIfs, err = wo.Run(ctx, s, compile, p.Options, detail("simulating the what-ifs")); err != nil {
		return nil, err
	}
	stage("simulating the optimised standby points")
	if err := p.simulateStandby(ctx, compile); err != nil {
		return nil, err
	}
	if p.Curve, err = wo.RunARVCurve(ctx, s, compile, p.Options, detail(fmt.Sprintf("simulating 1 to %d ARVs", len(s.ARVs)+2))); err != nil {
		return nil, err
	}
	stage("staffing and selection")
	if err := p.staff(); err != nil {
		return nil, err
	}
	stage("hypercube queueing model")
	if err := p.hypercube(ctx); err != nil {
		return nil, err
	}
	stage("isochrones")
	if err := p.isochrones(); err != nil {
		return nil, err
	}
	return p, nil
}

// staff does the staffing and selection arithmetic and finds the full
// complement.
func (p *Plan) staff() error {
	s := p.Scenario
	var err error
	if p.Staffing, err = Staffing(s, len(s.ARVs), s.Crew(), StaffingOptions{}); err != nil {
		return err
	}
	if p.Selection, err = Selection(s.Officers.ARV, DefaultAttrition, DefaultStages()); err != nil {
		return err
	}
	p.FullComplement, err = p.fullComplement(s.Crew())
	return err
}

// fullComplement returns the fewest ARV officers, in whole teams, whose
// officers present crew every ARV on FullShare of shifts (the
// simulator's binomial model of abstraction), or 0 when no number up to
// four times the average need does.
func (p *Plan) fullComplement(crew int) (int, error) {
	n := len(p.Scenario.ARVs)
	if n == 0 {
		return 0, nil
	}
	teams := max(1, p.Staffing.Teams)
	start := ceilDiv(max(p.Staffing.Needed, 1), teams) * teams
	for o := start; o <= 4*start; o += teams {
		c, err := Crewable(p.Scenario, o, crew, StaffingOptions{})
		if err != nil {
			return 0, err
		}
		if c.Full(n) >= FullShare {
			return o, nil
		}
	}
	return 0, nil
}

// KeepBases returns the bases and standby points of s that names gives
// by id or name (case-insensitive), for Planner.Keep. It returns an
// *arv.Error (EINVALID) listing the scenario's bases when a name is
// unknown, or when names gives more bases than s has ARVs.
func KeepBases(s *arv.Scenario, names []string) ([]arv.Base, error) {
	bases := append(slices.Clone(s.Bases), s.StandbyPoints...)
	var out []arv.Base
	for _, name := range names {
		k := slices.IndexFunc(bases, func(b arv.Base) bool {
			return b.ID == name || strings.EqualFold(b.Name, name)
		})
		if k < 0 {
			var known []string
			for _, b := range bases {
				known = append(known, fmt.Sprintf("%s (%s)", b.ID, b.Name))
			}
			return nil, arv.Errorf(arv.EINVALID, "keep %q: the scenario has no base or standby point of that id or name; it has %s", name, strings.Join(known, ", "))
		}
		out = append(out, bases[k])
	}
	if len(out) > len(s.ARVs) {
		return nil, arv.Errorf(arv.EINVALID, "keep names %d bases but the scenario has %d ARVs", len(out), len(s.ARVs))
	}
	return out, nil
}

// delayMinutes is the mean time from the call to an ARV moving.
func delayMinutes(s *arv.Scenario) float64 {
	d := s.Delays
	return d.CallHandling.MeanMinutes() + d.Authorisation.MeanMinutes() + d.Mobilisation.MeanMinutes()
}

func dedupe(v []int) []int {
	out := slices.Clone(v)
	slices.Sort(out)
	return slices.Compact(out)
}
