package plan

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/locate"
	"github.com/arv-project/arv/sim"
)

// StandbyOption is one location model's standby set, simulated.
type StandbyOption struct {
	// Models names the models whose answer it is ("p-median", "maximal
	// covering and expected covering").
	Models string
	// Result is the simulation with the ARVs standing there.
	Result *sim.Result
	// sites are the candidates, one per ARV.
	sites []int
}

// RecommendedStandby returns the recommended standby set, or the zero
// option when there is none.
func (p *Plan) RecommendedStandby() StandbyOption {
	if p.Recommended < 0 || p.Recommended >= len(p.Standby) {
		return StandbyOption{}
	}
	return p.Standby[p.Recommended]
}

// optimise builds the location problems over the candidates and the
// demand sites and solves each model, with its curve over the number of
// ARVs.
func (p *Plan) optimise(ctx context.Context, keep []arv.Base) error {
	s, m := p.Scenario, p.model
	p.candidates()
	if err := p.resolveKeep(keep); err != nil {
		return err
	}
	from := make([]geo.Point, len(p.cands))
	for i, c := range p.cands {
		from[i] = c.Point
	}
	to := make([]geo.Point, len(p.demand))
	for j, st := range p.demand {
		to[j] = m.Points[st.Point]
	}
	secs, err := p.router.Matrix(ctx, from, to)
	if err != nil {
		return err
	}
	p.problems(secs)

	// ARVs are unavailable when uncrewed, busy or on patrol: q for the
	// expected covering model, from the baseline simulation.
	avail := 0.0
	for _, a := range p.Baseline.ARVs {
		avail += a.Crewed.Mean * (1 - a.Utilisation.Mean - a.Patrol.Mean)
	}
	p.busy = math.Min(0.95, math.Max(0, 1-avail/float64(max(1, len(p.Baseline.ARVs)))))
	p.prob.Busy = p.busy

	p.current = p.currentSites(s)
	p.curVal = map[locate.Model]float64{}
	for _, mod := range []locate.Model{locate.MaxCover, locate.ExpectedCover} {
		if v, err := locate.Evaluate(p.prob, mod, p.current); err == nil {
			p.curVal[mod] = v
		}
	}
	if v, err := locate.Evaluate(p.median, locate.PMedian, p.current); err == nil {
		p.curVal[locate.PMedian] = v
	}
	return p.solve(ctx)
}

// problems builds the covering and median problems from the candidates'
// drive seconds to the demand sites. Coverage is judged on the whole
// response: a site is covered when the mean delays plus the drive meet
// its class's target. One threshold serves both classes by shifting each
// site's times by the difference of its budget from the larger one.
func (p *Plan) problems(secs []float64) {
	s := p.Scenario
	delay := delayMinutes(s)
	budget := func(urban bool) float64 {
		if urban {
			return s.Targets.UrbanMinutes - delay
		}
		return s.Targets.RuralMinutes - delay
	}
	within := math.Max(math.Max(budget(true), budget(false)), 0.1)
	nc, nd := len(p.cands), len(p.demand)
	shifted := make([]float32, nc*nd)
	raw := make([]float32, nc*nd)
	weight := make([]float64, nd)
	for j, st := range p.demand {
		weight[j] = st.Weight * s.Demand.IncidentsPerYear
	}
	for i := range p.cands {
		for j, st := range p.demand {
			t := secs[i*nd+j] / 60
			raw[i*nd+j] = float32(t)
			shifted[i*nd+j] = float32(t + within - budget(st.Urban))
		}
	}
	units := len(s.ARVs)
	p.prob = &locate.Problem{Candidates: nc, Demands: nd, Time: shifted, Weight: weight, Units: units, Within: within, PerSite: 2, Fixed: p.keep}
	p.median = &locate.Problem{Candidates: nc, Demands: nd, Time: raw, Weight: weight, Units: units, PerSite: 2, Fixed: p.keep}
}

// solve solves the three models for today's number of ARVs, and the
// covering models' curves up to two more.
func (p *Plan) solve(ctx context.Context) error {
	lopt := locate.Options{Seed: p.Options.Seed}
	var err error
	if p.cover, err = locate.Solve(ctx, p.prob, locate.MaxCover, lopt); err != nil {
		return err
	}
	if p.pmed, err = locate.Solve(ctx, p.median, locate.PMedian, lopt); err != nil {
		return err
	}
	if p.expected, err = locate.Solve(ctx, p.prob, locate.ExpectedCover, lopt); err != nil {
		return err
	}
	maxUnits := len(p.Scenario.ARVs) + 2
	if p.curveMax, err = locate.Curve(ctx, p.prob, locate.MaxCover, maxUnits, lopt); err != nil {
		return err
	}
	p.curveExp, err = locate.Curve(ctx, p.prob, locate.ExpectedCover, maxUnits, lopt)
	return err
}

// addARVAt chooses where a what-if's extra ARV stands: the candidate that
// adds most expected coverage to the ARVs s already has. A candidate that
// is not yet a base or standby point of s becomes a standby point.
func (p *Plan) addARVAt(ctx context.Context, s *arv.Scenario) string {
	fixed := p.currentSites(s)
	pr := *p.prob
	pr.Fixed = fixed
	pr.Units = len(fixed) + 1
	sol, err := locate.Solve(ctx, &pr, locate.ExpectedCover, locate.Options{Seed: p.Options.Seed})
	if err != nil {
		return NextBase(s)
	}
	// The new site is the one chosen beyond the fixed ones.
	left := slices.Clone(fixed)
	c := -1
	for _, x := range sol.Sites {
		if i := slices.Index(left, x); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		c = x
	}
	if c < 0 {
		return NextBase(s)
	}
	return p.standbyID(s, c)
}

// standbyID returns the id of candidate c in s, adding it as a standby
// point when s does not have it.
func (p *Plan) standbyID(s *arv.Scenario, c int) string {
	cand := p.cands[c]
	for _, b := range append(slices.Clone(s.Bases), s.StandbyPoints...) {
		if pt, err := p.router.Locate(string(b.At)); err == nil && geo.Distance(pt, cand.Point) < 100 {
			return b.ID
		}
	}
	id := fmt.Sprintf("standby-%d", c)
	s.StandbyPoints = append(s.StandbyPoints, arv.Base{ID: id, Name: cand.Label + " standby point", At: arv.Location(cand.Point.String())})
	return id
}

// simulateStandby simulates each location model's answer and recommends
// the one with the most incidents within target among those that do not
// make the 90th percentile worse than today's bases; when every answer
// does, the one with the lowest 90th percentile. Coverage models reward
// reaching many incidents in time and ignore the rest, so an answer can
// win coverage by abandoning a remote area: the simulator decides.
func (p *Plan) simulateStandby(ctx context.Context, compile Compiler) error {
	p.Recommended = -1
	for _, c := range []struct {
		name string
		sol  locate.Solution
	}{{"expected covering", p.expected}, {"maximal covering", p.cover}, {"p-median", p.pmed}} {
		if len(c.sol.Sites) == 0 {
			continue
		}
		key := slices.Sorted(slices.Values(c.sol.Sites))
		if k := slices.IndexFunc(p.Standby, func(o StandbyOption) bool {
			return slices.Equal(slices.Sorted(slices.Values(o.sites)), key)
		}); k >= 0 {
			p.Standby[k].Models += " and " + c.name
			continue
		}
		m, err := compile(p.standbyScenario(c.sol.Sites))
		if err != nil {
			return fmt.Errorf("standby points of the %s model: %w", c.name, err)
		}
		r, err := sim.Run(ctx, m, p.Options)
		if err != nil {
			return err
		}
		p.Standby = append(p.Standby, StandbyOption{Models: c.name, Result: r, sites: c.sol.Sites})
	}
	p.Recommended = p.choose()
	return nil
}

// choose returns the index of the recommended standby option: the most
// within target of those whose 90th percentile is no worse than today's,
// else the lowest 90th percentile; -1 when there are none.
func (p *Plan) choose() int {
	today := FiguresOf(p.Baseline).P90.Mean
	bestOK, bestAny := -1, -1
	for k, o := range p.Standby {
		f := FiguresOf(o.Result)
		if f.P90.Mean <= today && (bestOK < 0 || f.WithinTarget.Mean > FiguresOf(p.Standby[bestOK].Result).WithinTarget.Mean) {
			bestOK = k
		}
		if bestAny < 0 || f.P90.Mean < FiguresOf(p.Standby[bestAny].Result).P90.Mean {
			bestAny = k
		}
	}
	if bestOK >= 0 {
		return bestOK
	}
	return bestAny
}

// choiceReason says why the recommended standby set was chosen.
func (p *Plan) choiceReason() string {
	today := FiguresOf(p.Baseline).P90.Mean
	if FiguresOf(p.RecommendedStandby().Result).P90.Mean <= today {
		return "the most incidents within target of the models' answers that keep the 90th percentile no worse than today's bases"
	}
	return "every model's answer makes the 90th percentile worse than today's bases; this one least"
}

// standbyScenario moves the ARVs to the standby set sites: the first ARV
// in crewing order to the site worth most alone, the next to the site
// that adds most, and so on (expected covering).
func (p *Plan) standbyScenario(sites []int) *arv.Scenario {
	s := p.Scenario.Clone()
	sites = slices.Clone(sites)
	var order []int
	for len(sites) > 0 {
		best, bv := 0, math.Inf(-1)
		for k := range sites {
			v, err := locate.Evaluate(p.prob, locate.ExpectedCover, append(slices.Clone(order), sites[k]))
			if err == nil && v > bv {
				best, bv = k, v
			}
		}
		order = append(order, sites[best])
		sites = slices.Delete(sites, best, best+1)
	}
	for i := range s.ARVs {
		if i < len(order) {
			s.ARVs[i].Base = p.standbyID(s, order[i])
		}
	}
	return s
}
