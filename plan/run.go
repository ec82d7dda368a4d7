package plan

import (
	"context"
	"fmt"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/sim"
)

// Compiler turns a scenario into a simulation model; the caller's holds
// the road network (sim.Compile with a router).
type Compiler func(*arv.Scenario) (*sim.Model, error)

// Figures are the response figures a what-if table shows, in minutes
// from the 999 call to the first armed officers on scene and as shares
// within the scenario's targets, each with its 95% interval over
// replications.
type Figures struct {
	// Median and P90 are over all incidents, in minutes.
	Median sim.Estimate `json:"median"`
	P90    sim.Estimate `json:"p90"`
	// WithinTarget is the share of all incidents within the target for
	// their area class; WithinUrban and WithinRural by class.
	WithinTarget sim.Estimate `json:"within_target"`
	WithinUrban  sim.Estimate `json:"within_urban"`
	WithinRural  sim.Estimate `json:"within_rural"`
}

// FiguresOf picks the table's figures out of a result (zero for nil).
func FiguresOf(r *sim.Result) Figures {
	if r == nil {
		return Figures{}
	}
	return Figures{
		Median: r.All.Median, P90: r.All.P90,
		WithinTarget: r.All.WithinTarget, WithinUrban: r.Urban.WithinTarget, WithinRural: r.Rural.WithinTarget,
	}
}

// Row is one what-if's outcome.
type Row struct {
	// Key, Name and Description are the what-if's.
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Applies is false when the what-if does not apply; Result is then
	// nil and Notes say why.
	Applies bool `json:"applies"`
	// Result is the simulation of the changed scenario.
	Result *sim.Result `json:"result,omitempty"`
	// SameAsBaseline is true when Result is the baseline's, reused
	// because the change cannot move response times.
	SameAsBaseline bool `json:"same_as_baseline"`
	// Figures are picked from Result.
	Figures Figures `json:"figures"`
	// ARVs, Officers and OfficersNeeded are the what-if's (see WhatIf).
	ARVs           int `json:"arvs"`
	Officers       int `json:"officers"`
	OfficersNeeded int `json:"officers_needed"`
	// CostPerYear is Cost.PerYear, in pounds a year against the
	// scenario, meaningful when CostKnown.
	CostPerYear float64 `json:"cost_per_year"`
	CostKnown   bool    `json:"cost_known"`
	// Cost is the whole cost, with its arithmetic.
	Cost CostModel `json:"cost"`
	// Steps and Notes are the what-if's.
	Steps []Step   `json:"steps"`
	Notes []string `json:"notes"`
}

// Run applies each what-if of base (WhatIfs), compiles the changed
// scenario with compile and simulates it with sim.Run and opt, and
// returns a row per what-if in WhatIfs' order. Every run uses the same
// options and seed: the simulator draws each random quantity from a
// stream of its own, so every what-if sees the same incidents, delays
// and officer absences as far as its change allows (common random
// numbers), and the differences between rows are the changes', not
// noise. A what-if that does not apply gets a row without a result; one
// that cannot move response times (Taser) reuses the baseline's.
// progress, when set, is told what is being done. Run returns the first
// compile or simulation error, naming the what-if, and ctx.Err() when
// cancelled.
func (o WhatIfOptions) Run(ctx context.Context, base *arv.Scenario, compile Compiler, opt sim.Options, progress func(string)) ([]Row, error) {
	if compile == nil {
		return nil, errPlan("no compile function")
	}
	ws, err := o.WhatIfs(base)
	if err != nil {
		return nil, err
	}
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	var baseline *sim.Result
	rows := make([]Row, 0, len(ws))
	for i, w := range ws {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row := Row{
			Key: w.Key, Name: w.Name, Description: w.Description, Applies: w.Applies,
			ARVs: w.ARVs, Officers: w.Officers, OfficersNeeded: w.OfficersNeeded,
			CostPerYear: w.Cost.PerYear, CostKnown: w.Cost.Known, Cost: w.Cost,
			Steps: w.Steps, Notes: w.Notes,
		}
		switch {
		case !w.Applies:
			say("what-if %d of %d, %s: not applicable", i+1, len(ws), w.Name)
		case w.SameResponse && baseline != nil:
			say("what-if %d of %d, %s: response as the baseline", i+1, len(ws), w.Name)
			row.Result, row.SameAsBaseline = baseline, true
		default:
			res, err := simulate(ctx, w.Apply, base, compile, opt, func(stage string) {
				say("what-if %d of %d, %s: %s", i+1, len(ws), w.Name, stage)
			})
			if err != nil {
				return nil, fmt.Errorf("plan: what-if %s: %w", w.Key, err)
			}
			row.Result = res
			if w.Key == KeyBaseline {
				baseline = res
			}
		}
		row.Figures = FiguresOf(row.Result)
		rows = append(rows, row)
	}
	return rows, nil
}

func simulate(ctx context.Context, apply func(*arv.Scenario) (*arv.Scenario, error), base *arv.Scenario,
	compile Compiler, opt sim.Options, say func(string)) (*sim.Result, error) {
	sc, err := apply(base)
	if err != nil {
		return nil, err
	}
	say("compiling")
	m, err := compile(sc)
	if err != nil {
		return nil, err
	}
	say("simulating")
	return sim.Run(ctx, m, opt)
}

// CurvePoint is one point of the marginal value of ARVs.
type CurvePoint struct {
	// ARVs is the number of ARVs and Officers the ARV officers Staffing
	// gives them, in whole teams.
	ARVs     int `json:"arvs"`
	Officers int `json:"officers"`
	// Result is the simulation, and Figures picked from it.
	Result  *sim.Result `json:"result"`
	Figures Figures     `json:"figures"`
}

// RunARVCurve runs the scenario with 1, 2, … up to two more ARVs than
// base has (WithARVs), each staffed by Staffing, with the same options
// and seed (common random numbers, as Run), for a chart of the marginal
// value of each ARV. It returns the first compile or simulation error
// and ctx.Err() when cancelled.
func (o WhatIfOptions) RunARVCurve(ctx context.Context, base *arv.Scenario, compile Compiler, opt sim.Options, progress func(string)) ([]CurvePoint, error) {
	if base == nil {
		return nil, errPlan("no scenario")
	}
	if compile == nil {
		return nil, errPlan("no compile function")
	}
	n := len(base.ARVs) + 2
	var out []CurvePoint
	for k := 1; k <= n; k++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, err := simulate(ctx, func(s *arv.Scenario) (*arv.Scenario, error) { return o.WithARVs(s, k) }, base, compile, opt, func(stage string) {
			if progress != nil {
				progress(fmt.Sprintf("%d of %d ARVs: %s", k, n, stage))
			}
		})
		if err != nil {
			return nil, fmt.Errorf("plan: %d ARVs: %w", k, err)
		}
		sc, _ := o.WithARVs(base, k) // succeeded inside simulate
		out = append(out, CurvePoint{ARVs: k, Officers: sc.Officers.ARV, Result: res, Figures: FiguresOf(res)})
	}
	return out, nil
}
