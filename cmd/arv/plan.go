package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/hypercube"
	"github.com/arv-project/arv/locate"
	"github.com/arv-project/arv/plan"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/road/isochrone"
	"github.com/arv-project/arv/sim"
)

const planUsage = `plan [--scenario NAME|FILE] [--out report.html] [--json FILE] [--csv DIR] [--keep BASE ...]
         [--years N] [--reps N] [--seed S] [--set key=value ...]

Answers the planning questions for a force and writes them as one
self-contained HTML report (it opens offline: no CDN, no map tiles):
where ARVs should stand (maximal covering, p-median and expected covering
location models, each with its optimality gap), how busy each ARV is (the
hypercube queueing model beside the simulator), how many officers keep a
full complement and how many applicants that takes, and the what-ifs of
the public debate side by side with the baseline, all simulated with the
same seed. --json writes every simulation and solution, --csv one CSV
per table. Progress goes to stderr, the headline answers to stdout.`

// Standby minutes for the isochrone bands drawn on the map.
var isochroneMinutes = []float64{10, 20, 30}

func runPlan(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("plan", planUsage)
	ref := fs.String("scenario", "wiltshire", "built-in scenario `name` or scenario file")
	out := fs.String("out", "", "HTML report `file` (default: <scenario>-plan.html)")
	jsonOut := fs.String("json", "", "also write every simulation and solution as JSON to `file`")
	csvDir := fs.String("csv", "", "also write each table as a CSV file into `directory`")
	sf := addSimFlags(fs)
	var sets, keep repeatedFlag
	fs.Var(&sets, "set", "override a scenario value, `key=value` (repeatable)")
	fs.Var(&keep, "keep", "a `base` (id or name) that keeps an ARV in every standby answer (repeatable)")
	if err := fs.parse(args); err != nil {
		return err
	}
	t0 := time.Now()
	pr := m.newProgress()
	stage := func(s string) { pr.update(s, 0, 0, "") }

	stage("loading the scenario")
	ls, err := m.loadScenario(ctx, *ref, sets)
	if err != nil {
		pr.abandon()
		return err
	}
	s := ls.Scenario
	opt, err := sf.options(fs, s)
	if err != nil {
		pr.abandon()
		return err
	}
	if *out == "" {
		*out = s.Name + "-plan.html"
	}
	// Refuse a destination that cannot be written before the work.
	for _, f := range []string{*out, *jsonOut} {
		if f == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Dir(f)); err != nil || !fi.IsDir() {
			pr.abandon()
			return usagef("cannot write %s: directory %s does not exist", f, filepath.Dir(f))
		}
	}

	p := &planner{ctx: ctx, ls: ls, s: s, opt: opt, rt: ls.Router, stage: stage, keepNames: keep}
	p.detail = func(stage string) func(string) {
		pr.update(stage, 0, 0, "")
		return func(what string) { pr.note(stage, what) }
	}
	if err := p.run(); err != nil {
		pr.abandon()
		return err
	}
	pr.finish()

	data := p.report()
	data.Generated = m.now().UTC().Format("2006-01-02 15:04 MST")
	if err := writeReport(*out, data); err != nil {
		return err
	}
	if *jsonOut != "" {
		if err := writeFileAtomic(*jsonOut, func(f *os.File) error { return writeJSON(f, p.jsonData()) }); err != nil {
			return err
		}
	}
	if *csvDir != "" {
		if err := writeCSVs(*csvDir, data); err != nil {
			return err
		}
	}
	p.summary(m, data, *out, time.Since(t0))
	return nil
}

// planner holds one plan's inputs and results.
type planner struct {
	ctx   context.Context
	ls    *loadedScenario
	s     *arv.Scenario
	opt   sim.Options
	rt    *ch.Router
	stage func(string)
	// detail starts a stage and returns the function that shows what it
	// is doing.
	detail func(stage string) func(string)

	// Location problem.
	keepNames []string // --keep: bases that keep an ARV
	keep      []int    // their candidates
	cands     []candidate
	demand    []sim.Site
	prob      *locate.Problem // MaxCover/ExpectedCover, times shifted per class
	median    *locate.Problem // PMedian, raw times
	busy      float64         // ExpectedCover's q, from the baseline simulation
	current   []int           // candidate of each ARV's base
	cover     locate.Solution // MaxCover
	pmed      locate.Solution
	expected  locate.Solution // the recommended standby set
	curveMax  []locate.Solution
	curveExp  []locate.Solution
	curVal    map[locate.Model]float64 // the current bases' values

	base      *sim.Result
	rows      []plan.Row
	options   []standbyOption
	chosen    int // index in options of the recommended standby set
	curve     []plan.CurvePoint
	staffing  plan.StaffingResult
	full      int // officers for a full complement on fullShare of shifts; 0 if beyond reach
	selection plan.SelectionResult
	hyper     *hypercube.Result
	hyperHow  string
	hyperMin  float64 // the hypercube's mean service minutes
	bands     []isochrone.Band
}

// candidate is a place an ARV could stand.
type candidate struct {
	Label string
	Point geo.Point
	Kind  string // "base", "standby", "police", "settlement", "junction"
	ID    string // the scenario's base or standby id, if it is one
}

func (p *planner) compile(s *arv.Scenario) (*sim.Model, error) {
	return sim.Compile(p.ctx, s, p.rt)
}

func (p *planner) run() error {
	if _, err := p.keepBases(); err != nil {
		return err
	}
	p.stage("simulating the baseline")
	var err error
	if p.base, err = sim.Run(p.ctx, p.ls.Model, p.opt); err != nil {
		return err
	}
	p.stage("optimising standby points")
	if err := p.optimise(); err != nil {
		return err
	}
	po := plan.Options{AddARVAt: p.addARVAt, AddARVRule: "the place that adds most expected coverage to the ARVs already there (expected covering model)"}
	if p.rows, err = po.Run(p.ctx, p.s, p.compile, p.opt, p.detail("simulating the what-ifs")); err != nil {
		return err
	}
	p.stage("simulating the optimised standby points")
	if err := p.simulateStandby(); err != nil {
		return err
	}
	if p.curve, err = po.RunARVCurve(p.ctx, p.s, p.compile, p.opt, p.detail(fmt.Sprintf("simulating 1 to %d ARVs", len(p.s.ARVs)+2))); err != nil {
		return err
	}
	p.stage("staffing and selection")
	crew := 2
	if len(p.s.ARVs) > 0 {
		crew = p.s.ARVs[0].Crew
	}
	if p.staffing, err = plan.Staffing(p.s, len(p.s.ARVs), crew, plan.StaffingOptions{}); err != nil {
		return err
	}
	if p.selection, err = plan.Selection(p.s.Officers.ARV, plan.DefaultAttrition, plan.DefaultStages()); err != nil {
		return err
	}
	if p.full, err = p.fullComplement(crew); err != nil {
		return err
	}
	p.stage("hypercube queueing model")
	if err := p.hypercube(); err != nil {
		return err
	}
	p.stage("isochrones")
	return p.isochrones()
}

// fullShare is the share of shifts on which the headline's officers crew
// every ARV. Assumption: 95%, a planning convention, not a national
// standard (docs/planning.md).
const fullShare = 0.95

// fullComplement returns the fewest ARV officers, in whole teams, whose
// officers present crew every ARV on fullShare of shifts (the
// simulator's binomial model of abstraction), or 0 when no number up to
// four times the average need does.
func (p *planner) fullComplement(crew int) (int, error) {
	n := len(p.s.ARVs)
	if n == 0 {
		return 0, nil
	}
	teams := max(1, p.staffing.Teams)
	start := ceilDiv(max(p.staffing.Needed, 1), teams) * teams
	for o := start; o <= 4*start; o += teams {
		c, err := plan.Crewable(p.s, o, crew, plan.StaffingOptions{})
		if err != nil {
			return 0, err
		}
		if c.Full(n) >= fullShare {
			return o, nil
		}
	}
	return 0, nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// allARVs names every one of n ARVs: "the ARV", "both ARVs", "all 3 ARVs".
func allARVs(n int) string {
	switch n {
	case 1:
		return "the ARV"
	case 2:
		return "both ARVs"
	}
	return fmt.Sprintf("all %d ARVs", n)
}

func (p *planner) fullAnswer() string {
	if p.full == 0 {
		return "beyond reach"
	}
	return fmt.Sprintf("%d ARV officers", p.full)
}

// delayMinutes is the mean time from the call to an ARV moving.
func delayMinutes(s *arv.Scenario) float64 {
	d := s.Delays
	return d.CallHandling.MeanMinutes() + d.Authorisation.MeanMinutes() + d.Mobilisation.MeanMinutes()
}

// optimise builds and solves the location problems.
func (p *planner) optimise() error {
	s, m := p.s, p.ls.Model
	g := p.rt.Road()
	// Candidates: the scenario's bases and standby points, the network's
	// police sites, the demand points; one per place.
	add := func(c candidate) {
		for _, o := range p.cands {
			if geo.Distance(o.Point, c.Point) < 100 {
				return
			}
		}
		p.cands = append(p.cands, c)
	}
	for _, b := range s.Bases {
		if pt, err := p.rt.Locate(string(b.At)); err == nil {
			add(candidate{b.Name, pt, "base", b.ID})
		}
	}
	for _, b := range s.StandbyPoints {
		if pt, err := p.rt.Locate(string(b.At)); err == nil {
			add(candidate{b.Name, pt, "standby", b.ID})
		}
	}
	for _, pl := range g.Places {
		if strings.HasPrefix(pl.Kind, "police") && !strings.Contains(pl.Kind, "closed") {
			if _, err := g.Snap(pl.Point, 0); err == nil {
				add(candidate{pl.Name, pl.Point, "police", ""})
			}
		}
	}
	for _, d := range s.DemandPoints {
		if pt, err := p.rt.Locate(string(d.At)); err == nil {
			add(candidate{d.Name, pt, "settlement", ""})
		}
	}
	for _, st := range m.Sites {
		if st.Weight > 0 {
			p.demand = append(p.demand, st)
		}
	}
	for _, c := range p.junctions() {
		add(c)
	}
	if err := p.resolveKeep(); err != nil {
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
	secs, err := p.rt.Matrix(p.ctx, from, to)
	if err != nil {
		return err
	}
	// Coverage is judged on the whole response: a site is covered when
	// the mean delays plus the drive meet its class's target. One
	// threshold serves both classes by shifting each site's times by the
	// difference of its budget from the larger one.
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

	// ARVs are unavailable when uncrewed, busy or on patrol: q for the
	// expected covering model, from the baseline simulation.
	avail := 0.0
	for _, a := range p.base.ARVs {
		avail += a.Crewed.Mean * (1 - a.Utilisation.Mean - a.Patrol.Mean)
	}
	p.busy = math.Min(0.95, math.Max(0, 1-avail/float64(max(1, len(p.base.ARVs)))))
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
	lopt := locate.Options{Seed: p.opt.Seed}
	if p.cover, err = locate.Solve(p.ctx, p.prob, locate.MaxCover, lopt); err != nil {
		return err
	}
	if p.pmed, err = locate.Solve(p.ctx, p.median, locate.PMedian, lopt); err != nil {
		return err
	}
	if p.expected, err = locate.Solve(p.ctx, p.prob, locate.ExpectedCover, lopt); err != nil {
		return err
	}
	maxUnits := units + 2
	if p.curveMax, err = locate.Curve(p.ctx, p.prob, locate.MaxCover, maxUnits, lopt); err != nil {
		return err
	}
	p.curveExp, err = locate.Curve(p.ctx, p.prob, locate.ExpectedCover, maxUnits, lopt)
	return err
}

// junctionCellKm is the grid on which major-road junctions are offered as
// standby candidates: one per cell. Assumption: 5 km, fine enough that a
// candidate is within a few minutes of any point, coarse enough to keep
// the problem small (about 140 cells for Wiltshire's 3,485 km²).
const junctionCellKm = 5

// junctions returns, for each junctionCellKm cell over the demand, the
// end of a motorway, trunk or primary road segment nearest the cell's
// centre: standby points by the fast roads, where ARVs often wait.
func (p *planner) junctions() []candidate {
	g, m := p.rt.Road(), p.ls.Model
	var b geo.Bound
	for _, st := range p.demand {
		b = b.Extend(m.Points[st.Point])
	}
	if b.Empty() {
		return nil
	}
	dLat := junctionCellKm / 111.32
	dLon := dLat / math.Max(0.01, math.Cos(b.Center().Lat*math.Pi/180))
	type pick struct {
		node int32
		seg  int32
		d    float64
	}
	best := map[[2]int]pick{}
	for sg := range g.SegFrom {
		if c := g.SegClass[sg]; c == road.ClassOther || c > road.ClassPrimary {
			continue
		}
		for _, n := range []int32{g.SegFrom[sg], g.SegTo[sg]} {
			pt := g.Points[n]
			if !b.Contains(pt) {
				continue
			}
			i, j := int((pt.Lat-b.Min.Lat)/dLat), int((pt.Lon-b.Min.Lon)/dLon)
			centre := geo.Point{Lat: b.Min.Lat + (float64(i)+0.5)*dLat, Lon: b.Min.Lon + (float64(j)+0.5)*dLon}
			d := geo.Distance(pt, centre)
			if q, ok := best[[2]int{i, j}]; !ok || d < q.d || (d == q.d && n < q.node) {
				best[[2]int{i, j}] = pick{n, int32(sg), d}
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(best), func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	var out []candidate
	for _, k := range keys {
		q := best[k]
		pt := g.Points[q.node]
		name := cmp.Or(g.SegmentName(q.seg), g.SegClass[q.seg].String()+" road")
		near, nd := "", math.Inf(1)
		for _, pl := range g.Places {
			switch pl.Kind {
			case "city", "town", "village", "hamlet", "suburb":
				if d := geo.Distance(pt, pl.Point); d < nd {
					near, nd = pl.Name, d
				}
			}
		}
		label := name
		if near != "" {
			label = fmt.Sprintf("%s near %s", name, near)
		}
		out = append(out, candidate{label, pt, "junction", ""})
	}
	return out
}

// keepBases returns the bases --keep names, or a usage error.
func (p *planner) keepBases() ([]arv.Base, error) {
	bases := append(slices.Clone(p.s.Bases), p.s.StandbyPoints...)
	var out []arv.Base
	for _, name := range p.keepNames {
		k := slices.IndexFunc(bases, func(b arv.Base) bool {
			return b.ID == name || strings.EqualFold(b.Name, name)
		})
		if k < 0 {
			var known []string
			for _, b := range bases {
				known = append(known, fmt.Sprintf("%s (%s)", b.ID, b.Name))
			}
			return nil, usagef("--keep %q: the scenario has no base or standby point of that id or name; it has %s", name, strings.Join(known, ", "))
		}
		out = append(out, bases[k])
	}
	if len(out) > len(p.s.ARVs) {
		return nil, usagef("--keep names %d bases but the scenario has %d ARVs", len(out), len(p.s.ARVs))
	}
	return out, nil
}

// resolveKeep finds the candidate of each --keep base.
func (p *planner) resolveKeep() error {
	bases, err := p.keepBases()
	if err != nil {
		return err
	}
	for _, b := range bases {
		pt, err := p.rt.Locate(string(b.At))
		if err != nil {
			return fmt.Errorf("--keep %q: %w", b.ID, err)
		}
		p.keep = append(p.keep, p.nearestCandidate(pt))
	}
	return nil
}

// currentSites returns the candidate of each ARV's base in s.
func (p *planner) currentSites(s *arv.Scenario) []int {
	at := map[string]arv.Location{}
	for _, b := range s.Bases {
		at[b.ID] = b.At
	}
	for _, b := range s.StandbyPoints {
		at[b.ID] = b.At
	}
	var out []int
	for _, a := range s.ARVs {
		pt, err := p.rt.Locate(string(at[a.Base]))
		if err != nil {
			continue
		}
		out = append(out, p.nearestCandidate(pt))
	}
	return out
}

func (p *planner) nearestCandidate(pt geo.Point) int {
	best, bd := 0, math.Inf(1)
	for i, c := range p.cands {
		if d := geo.Distance(c.Point, pt); d < bd {
			best, bd = i, d
		}
	}
	return best
}

// addARVAt chooses where a what-if's extra ARV stands: the candidate that
// adds most expected coverage to the ARVs s already has. A candidate that
// is not yet a base or standby point of s becomes a standby point.
func (p *planner) addARVAt(s *arv.Scenario) string {
	fixed := p.currentSites(s)
	pr := *p.prob
	pr.Fixed = fixed
	pr.Units = len(fixed) + 1
	sol, err := locate.Solve(p.ctx, &pr, locate.ExpectedCover, locate.Options{Seed: p.opt.Seed})
	if err != nil {
		return plan.NextBase(s)
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
		return plan.NextBase(s)
	}
	return p.standbyID(s, c)
}

// standbyID returns the id of candidate c in s, adding it as a standby
// point when s does not have it.
func (p *planner) standbyID(s *arv.Scenario, c int) string {
	cand := p.cands[c]
	for _, b := range append(slices.Clone(s.Bases), s.StandbyPoints...) {
		if pt, err := p.rt.Locate(string(b.At)); err == nil && geo.Distance(pt, cand.Point) < 100 {
			return b.ID
		}
	}
	id := fmt.Sprintf("standby-%d", c)
	s.StandbyPoints = append(s.StandbyPoints, arv.Base{ID: id, Name: cand.Label + " standby point", At: arv.Location(cand.Point.String())})
	return id
}

// standbyOption is one location model's standby set, simulated.
type standbyOption struct {
	Models string // the models whose answer it is
	Sites  []int  // candidates, one per ARV
	Result *sim.Result
}

// recommended returns the recommended standby set.
func (p *planner) recommended() standbyOption {
	if p.chosen < 0 || p.chosen >= len(p.options) {
		return standbyOption{}
	}
	return p.options[p.chosen]
}

// simulateStandby simulates each location model's answer and recommends
// the one with the most incidents within target among those that do not
// make the 90th percentile worse than today's bases; when every answer
// does, the one with the lowest 90th percentile. Coverage models reward
// reaching many incidents in time and ignore the rest, so an answer can
// win coverage by abandoning a remote area: the simulator decides.
func (p *planner) simulateStandby() error {
	p.chosen = -1
	for _, c := range []struct {
		name string
		sol  locate.Solution
	}{{"expected covering", p.expected}, {"maximal covering", p.cover}, {"p-median", p.pmed}} {
		if len(c.sol.Sites) == 0 {
			continue
		}
		key := slices.Sorted(slices.Values(c.sol.Sites))
		if k := slices.IndexFunc(p.options, func(o standbyOption) bool {
			return slices.Equal(slices.Sorted(slices.Values(o.Sites)), key)
		}); k >= 0 {
			p.options[k].Models += " and " + c.name
			continue
		}
		m, err := p.compile(p.standbyScenario(c.sol.Sites))
		if err != nil {
			return fmt.Errorf("standby points of the %s model: %w", c.name, err)
		}
		r, err := sim.Run(p.ctx, m, p.opt)
		if err != nil {
			return err
		}
		p.options = append(p.options, standbyOption{c.name, c.sol.Sites, r})
	}
	today := plan.FiguresOf(p.base).P90.Mean
	bestOK, bestAny := -1, -1
	for k, o := range p.options {
		f := plan.FiguresOf(o.Result)
		if f.P90.Mean <= today && (bestOK < 0 || f.WithinTarget.Mean > plan.FiguresOf(p.options[bestOK].Result).WithinTarget.Mean) {
			bestOK = k
		}
		if bestAny < 0 || f.P90.Mean < plan.FiguresOf(p.options[bestAny].Result).P90.Mean {
			bestAny = k
		}
	}
	p.chosen = bestOK
	if p.chosen < 0 {
		p.chosen = bestAny
	}
	return nil
}

// choiceReason says why the recommended standby set was chosen.
func (p *planner) choiceReason() string {
	today := plan.FiguresOf(p.base).P90.Mean
	if plan.FiguresOf(p.recommended().Result).P90.Mean <= today {
		return "the most incidents within target of the models' answers that keep the 90th percentile no worse than today's bases"
	}
	return "every model's answer makes the 90th percentile worse than today's bases; this one least"
}

// standbyScenario moves the ARVs to the standby set sites: the first ARV
// in crewing order to the site worth most alone, the next to the site
// that adds most, and so on (expected covering).
func (p *planner) standbyScenario(sites []int) *arv.Scenario {
	s := plan.Clone(p.s)
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

// hypercube solves the queueing model for the ARVs at their bases.
func (p *planner) hypercube() error {
	s, m := p.s, p.ls.Model
	n := len(m.ARVs)
	if n == 0 {
		return nil
	}
	hm := &hypercube.Model{Servers: n, Atoms: len(m.Sites), Queue: true}
	perMinute := s.Demand.IncidentsPerYear * (1 + s.Demand.TwoARVShare) / (365.25 * 24 * 60)
	travel := 0.0
	for _, st := range m.Sites {
		hm.Rate = append(hm.Rate, perMinute*st.Weight)
	}
	hm.Travel = make([]float64, n*hm.Atoms)
	for k, a := range m.ARVs {
		for j, st := range m.Sites {
			t := float64(m.Travel[a.Base*len(m.Points)+st.Point]) / 60
			if math.IsInf(t, 1) {
				t = 1e6
			}
			hm.Travel[k*hm.Atoms+j] = t
		}
	}
	hm.Prefer = hypercube.PreferenceByTravel(n, hm.Atoms, hm.Travel)
	for j, st := range m.Sites {
		travel += st.Weight * hm.Travel[hm.Prefer[j][0]*hm.Atoms+j]
	}
	// A job keeps an ARV for mobilisation, the drive and the time on
	// scene (the return drive leaves it free, as in the simulator).
	service := s.Demand.OnScene.MeanMinutes() + s.Delays.Mobilisation.MeanMinutes() + travel
	hm.Service = 1 / service
	p.hyperMin = service
	var err error
	if n <= hypercube.MaxExactServers {
		p.hyper, err = hypercube.Exact(p.ctx, hm)
		p.hyperHow = "exact"
	} else {
		p.hyper, err = hypercube.Approx(p.ctx, hm)
		p.hyperHow = "Larson's approximation"
	}
	if err != nil {
		return fmt.Errorf("hypercube: %w", err)
	}
	return nil
}

func (p *planner) hypercubeCaption() string {
	c := fmt.Sprintf("Workload and share of calls of each ARV from the hypercube queueing model (%s, every ARV always crewed, service %.0f minutes) beside the simulator (which also models crewing gaps and two-ARV incidents).",
		p.hyperHow, p.hyperMin)
	if p.hyper != nil {
		c += fmt.Sprintf(" Every ARV busy: %.1f%% of the time in the hypercube model, %.1f%% in the simulator (which counts uncrewed ARVs too). Mean drive to a call in the hypercube model: %.1f minutes.",
			100*p.hyper.AllBusy, 100*p.base.AllBusy.Mean, p.hyper.MeanResponse)
	}
	return c
}

// isochrones computes the drive-time bands from the recommended standby
// points.
func (p *planner) isochrones() error {
	g := p.rt.Road()
	var times []uint32
	var first road.Snap
	for _, c := range dedupe(p.recommended().Sites) {
		sn, err := g.Snap(p.cands[c].Point, 0)
		if err != nil {
			continue
		}
		t := p.rt.OneToAll(sn)
		if times == nil {
			times, first = t, sn
			continue
		}
		for v := range times {
			times[v] = min(times[v], t[v])
		}
	}
	if times == nil {
		return nil
	}
	var limits []time.Duration
	for _, m := range isochroneMinutes {
		limits = append(limits, time.Duration(m*float64(time.Minute)))
	}
	var err error
	p.bands, err = isochrone.Compute(g, first, times, limits, isochrone.Options{})
	return err
}

func dedupe(v []int) []int {
	out := slices.Clone(v)
	slices.Sort(out)
	return slices.Compact(out)
}

// report fills the report's data.
func (p *planner) report() *report.Data {
	s := p.s
	g := p.rt.Road()
	d := &report.Data{
		Title:    "Armed response plan",
		Force:    s.Force.Name,
		Scenario: p.ls.Source,
		Marking:  "OFFICIAL",
		Targets:  report.Targets{UrbanMinutes: s.Targets.UrbanMinutes, RuralMinutes: s.Targets.RuralMinutes, Share: s.Targets.Share},
	}
	base := p.base
	fig := plan.FiguresOf(base)
	rec := p.recommended()
	opt := plan.FiguresOf(rec.Result)
	d.Summary = []string{
		fmt.Sprintf("This report models %s's armed response: %d ARVs crewed by %d ARV officers on a %d-team rota, %.0f armed incidents a year, on the %s road network. "+
			"Every figure comes from %s of %s of simulated incidents (seed %d), the same incidents for every option.",
			s.Force.Name, len(s.ARVs), s.Officers.ARV, s.Shifts.Teams, s.Demand.IncidentsPerYear, g.Meta.Name, plural(p.opt.Replications, "replication"), plural(p.opt.Years, "year"), p.opt.Seed),
		fmt.Sprintf("Response time runs from the 999 call to the first armed officers on scene and includes %.1f minutes on average of call handling, authorisation and mobilisation before an ARV moves.", delayMinutes(s)),
	}
	d.Headline = []report.Headline{
		{
			Question: "How long until armed officers arrive?",
			Answer:   fmt.Sprintf("%.0f min median", fig.Median.Mean),
			Detail:   fmt.Sprintf("90%% within %.0f min; rural 95th percentile %.0f min", fig.P90.Mean, base.Rural.P95.Mean),
		},
		{
			Question: "How many meet the target?",
			Answer:   fmt.Sprintf("%.0f%% urban, %.0f%% rural", 100*fig.WithinUrban.Mean, 100*fig.WithinRural.Mean),
			Detail:   fmt.Sprintf("targets %g / %g min; the aim is %.0f%%", s.Targets.UrbanMinutes, s.Targets.RuralMinutes, 100*s.Targets.Share),
		},
		{
			Question: "Where should the ARVs stand?",
			Answer:   fmt.Sprintf("%.0f%% within target", 100*opt.WithinTarget.Mean),
			Detail:   fmt.Sprintf("at %s (%s model), against %.0f%% at today's bases", p.siteNames(rec.Sites), rec.Models, 100*fig.WithinTarget.Mean),
		},
		{
			Question: "How many officers keep a full complement?",
			Answer:   p.fullAnswer(),
			Detail: fmt.Sprintf("to crew %s on %.0f%% of shifts; %d on average (%.2f per 24/7 seat); today's %d do it on %.0f%% of shifts",
				allARVs(len(p.s.ARVs)), 100*fullShare, p.staffing.Needed, p.staffing.OfficersPerSeat, p.staffing.Establishment, 100*p.staffing.FullComplement),
		},
	}

	d.Map = p.mapData()
	d.WhatIfs = p.whatIfRows()
	d.Coverage = p.coverage()
	for _, a := range base.ARVs {
		d.Utilisation = append(d.Utilisation, report.Bar{Label: a.CallSign, Detail: a.Base, Utilisation: a.Utilisation.Mean, Crewed: a.Crewed.Mean})
	}
	if p.hyper != nil {
		for k, a := range base.ARVs {
			d.Hypercube = append(d.Hypercube, report.Workload{
				Label: a.CallSign, Hypercube: p.hyper.Workload[k], Simulated: a.Utilisation.Mean,
				HypercubeCalls: p.hyper.Share[k], SimulatedCalls: a.Calls.Mean,
			})
		}
	}
	d.Staffing = steps(p.staffing.Steps)
	d.Recruitment = steps(p.selection.Steps)
	d.Standby = p.standbySteps()
	d.Tables = []report.Table{p.optimisationTable(), p.settlementTable()}
	d.Captions = report.Captions{
		Map:       fmt.Sprintf("Demand points are coloured by the estimated response from the nearest ARV base today (%.1f minutes of delays plus the drive); the bands show the drive from the recommended standby points.", delayMinutes(s)),
		Hypercube: p.hypercubeCaption(),
	}
	d.Notes = p.notes()
	return d
}

func (p *planner) siteNames(sites []int) string {
	count := map[int]int{}
	var order []int
	for _, c := range sites {
		if count[c] == 0 {
			order = append(order, c)
		}
		count[c]++
	}
	var names []string
	for _, c := range order {
		n := p.cands[c].Label
		if count[c] > 1 {
			n = fmt.Sprintf("%s (%d ARVs)", n, count[c])
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

// standbySteps sets out how the standby points were chosen.
func (p *planner) standbySteps() []report.Step {
	s := p.s
	total := 0.0
	for _, w := range p.prob.Weight {
		total += w
	}
	pct := func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v/math.Max(total, 1e-300)) }
	delay := delayMinutes(s)
	out := []report.Step{
		{Label: "candidate sites", Value: float64(len(p.cands)), Unit: "sites",
			Source: fmt.Sprintf("the scenario's bases and standby points, the police sites on the road network, the demand settlements and a major-road junction every %d km, one per 100 m", junctionCellKm)},
		{Label: "demand sites", Value: float64(len(p.demand)), Unit: "sites", Source: "the scenario's demand points and the grid cells with demand"},
		{Label: "mean delays before an ARV moves", Value: delay, Unit: "minutes",
			Formula: fmt.Sprintf("%.1f + %.1f + %.1f", s.Delays.CallHandling.MeanMinutes(), s.Delays.Authorisation.MeanMinutes(), s.Delays.Mobilisation.MeanMinutes()),
			Source:  "scenario: delays (call handling, authorisation, mobilisation)"},
		{Label: "drive that meets the target", Text: fmt.Sprintf("%.1f min urban, %.1f min rural", s.Targets.UrbanMinutes-delay, s.Targets.RuralMinutes-delay),
			Formula: fmt.Sprintf("%g − %.1f, %g − %.1f", s.Targets.UrbanMinutes, delay, s.Targets.RuralMinutes, delay), Source: "scenario: targets"},
		{Label: "share of time an ARV is unavailable", Value: p.busy,
			Source: "baseline simulation: uncrewed, busy at an incident or on a key-site patrol"},
	}
	model := func(label string, sol locate.Solution, today float64, f func(float64) string) report.Step {
		bound := "optimal"
		if !sol.Optimal {
			bound = fmt.Sprintf("within %.2f%% of the best possible (bound %s)", 100*sol.Gap, f(sol.Bound))
		}
		return report.Step{Label: label, Text: fmt.Sprintf("%s (today's bases %s)", f(sol.Value), f(today)), Formula: p.siteNames(sol.Sites), Source: bound}
	}
	mins := func(v float64) string { return fmt.Sprintf("%.1f min", v) }
	out = append(out,
		model("maximal covering: demand within target", p.cover, p.curVal[locate.MaxCover], pct),
		model("expected covering: demand within target, ARVs sometimes unavailable", p.expected, p.curVal[locate.ExpectedCover], pct),
		model("p-median: mean drive to demand", p.pmed, p.curVal[locate.PMedian], mins),
	)
	for _, o := range p.options {
		f := plan.FiguresOf(o.Result)
		out = append(out, report.Step{Label: "simulated: " + o.Models,
			Text:    fmt.Sprintf("%.0f%% within target, 90th percentile %.1f min", 100*f.WithinTarget.Mean, f.P90.Mean),
			Formula: p.siteNames(o.Sites), Source: "simulator, same seed as the baseline"})
	}
	base := plan.FiguresOf(p.base)
	out = append(out, report.Step{Label: "today's bases, simulated",
		Text:   fmt.Sprintf("%.0f%% within target, 90th percentile %.1f min", 100*base.WithinTarget.Mean, base.P90.Mean),
		Source: "baseline simulation"})
	if rec := p.recommended(); rec.Result != nil {
		out = append(out, report.Step{Label: "recommended standby points", Text: p.siteNames(rec.Sites), Formula: p.choiceReason(), Total: true})
	}
	return out
}

func steps(in []plan.Step) []report.Step {
	var out []report.Step
	for _, st := range in {
		out = append(out, report.Step{Label: st.Label, Value: st.Value, Unit: st.Unit, Formula: st.Formula, Source: st.Source})
	}
	return out
}

// mapData draws the road network (major roads only on a large graph),
// the police sites, the recommended standby points, the demand and the
// isochrones.
func (p *planner) mapData() report.Map {
	g := p.rt.Road()
	mp := report.Map{Attribution: g.Meta.Attribution}
	major := g.NumSegments() > 20000
	for sgi := range g.SegFrom {
		c := g.SegClass[sgi]
		if major && (c == road.ClassOther || c > road.ClassTertiary) {
			continue
		}
		mp.Roads = append(mp.Roads, report.Polyline{Points: g.SegmentShape(int32(sgi)), Class: c.String()})
	}
	arvsAt := map[string]int{}
	for _, a := range p.s.ARVs {
		arvsAt[a.Base] = arvsAt[a.Base] + 1
	}
	used := map[int]bool{}
	for _, b := range append(slices.Clone(p.s.Bases), p.s.StandbyPoints...) {
		pt, err := p.rt.Locate(string(b.At))
		if err != nil {
			continue
		}
		mk := report.Marker{Name: b.Name, Point: pt, Kind: "police"}
		if n := arvsAt[b.ID]; n > 0 {
			mk.Kind, mk.Detail = report.KindARVBase, fmt.Sprintf("%d ARV(s) today", n)
		}
		used[p.nearestCandidate(pt)] = true
		mp.Bases = append(mp.Bases, mk)
	}
	for i, c := range p.cands {
		if c.Kind == "police" && !used[i] {
			mp.Bases = append(mp.Bases, report.Marker{Name: c.Label, Point: c.Point, Kind: "police"})
		}
	}
	count := map[int]int{}
	for _, c := range p.recommended().Sites {
		count[c]++
	}
	for _, c := range dedupe(p.recommended().Sites) {
		mp.Standby = append(mp.Standby, report.Marker{Name: p.cands[c].Label, Point: p.cands[c].Point, Kind: "standby", Detail: fmt.Sprintf("%d ARV(s)", count[c])})
	}
	m := p.ls.Model
	delay := delayMinutes(p.s)
	for _, st := range m.Sites {
		best := math.Inf(1)
		for _, a := range m.ARVs {
			best = math.Min(best, float64(m.Travel[a.Base*len(m.Points)+st.Point])/60)
		}
		cls := arv.Rural
		if st.Urban {
			cls = arv.Urban
		}
		mp.Demand = append(mp.Demand, report.DemandMarker{
			Name: st.Name, Point: m.Points[st.Point], Weight: st.Weight * p.s.Demand.IncidentsPerYear,
			Minutes: delay + best, Class: cls,
		})
	}
	for _, b := range p.bands {
		rb := report.Band{Minutes: b.Limit.Minutes(), Label: fmt.Sprintf("%g min drive", b.Limit.Minutes())}
		for _, poly := range b.Polygons {
			var rings [][]geo.Point
			for _, r := range poly {
				rings = append(rings, r)
			}
			rb.Polygons = append(rb.Polygons, rings)
		}
		mp.Isochrones = append(mp.Isochrones, rb)
	}
	return mp
}

func rng(e sim.Estimate) report.Range { return report.Range{Low: e.Low, High: e.High} }

func cdf(r *sim.Result) []report.Point {
	var out []report.Point
	if r == nil {
		return nil
	}
	for m := 0; m <= 60 && m < len(r.CDF); m++ {
		out = append(out, report.Point{Minutes: float64(m), Share: r.CDF[m]})
	}
	return out
}

func (p *planner) whatIfRows() []report.WhatIfRow {
	var rows []report.WhatIfRow
	row := func(name, desc string, r *sim.Result, officers int, cost float64, notes string) report.WhatIfRow {
		f := plan.FiguresOf(r)
		return report.WhatIfRow{
			Name: name, Description: desc,
			Median: f.Median.Mean, P90: f.P90.Mean, UrbanWithin: f.WithinUrban.Mean, RuralWithin: f.WithinRural.Mean,
			MedianCI: rng(f.Median), P90CI: rng(f.P90), UrbanCI: rng(f.WithinUrban), RuralCI: rng(f.WithinRural),
			Officers: officers, CostPerYear: cost, Notes: notes, CDF: cdf(r),
		}
	}
	for i, r := range p.rows {
		cost := r.CostPerYear
		if !r.CostKnown {
			cost = math.NaN()
		}
		notes := strings.Join(r.Notes, " ")
		if !r.Applies {
			rows = append(rows, report.WhatIfRow{Name: r.Name, Description: r.Description, NotApplicable: true, Notes: notes,
				Median: math.NaN(), P90: math.NaN(), UrbanWithin: math.NaN(), RuralWithin: math.NaN(), CostPerYear: cost})
			continue
		}
		rows = append(rows, row(r.Name, r.Description, r.Result, r.OfficersNeeded, cost, notes))
		if i > 0 {
			continue
		}
		// The location models' answers, right after the baseline.
		for k, o := range p.options {
			name := "ARVs at " + p.siteNames(o.Sites)
			desc := "The same ARVs, officers and shifts, standing where the " + o.Models + " model puts them instead of at today's bases."
			note := ""
			if k == p.chosen {
				name += " (recommended)"
				note = "Recommended: " + p.choiceReason() + "."
			}
			rr := row(name, desc, o.Result, r.OfficersNeeded, 0, note)
			rr.Chosen = k == p.chosen
			rows = append(rows, rr)
		}
	}
	return rows
}

func (p *planner) coverage() []report.CoveragePoint {
	var out []report.CoveragePoint
	total := 0.0
	for _, w := range p.prob.Weight {
		total += w
	}
	if total == 0 {
		return nil
	}
	for k, sol := range p.curveMax {
		units := len(sol.Sites)
		cp := report.CoveragePoint{Units: units, Covered: sol.Value / total, Expected: math.NaN(), Simulated: math.NaN()}
		if k < len(p.curveExp) {
			cp.Expected = p.curveExp[k].Value / total
		}
		for _, c := range p.curve {
			if c.ARVs == units && c.Result != nil {
				cp.Simulated = c.Figures.WithinTarget.Mean
			}
		}
		if units == len(p.s.ARVs) {
			cp.Label = "today's number"
		}
		out = append(out, cp)
	}
	return out
}

func (p *planner) optimisationTable() report.Table {
	total := 0.0
	for _, w := range p.prob.Weight {
		total += w
	}
	t := report.Table{
		Title:   "Standby optimisation",
		Caption: fmt.Sprintf("%d candidate sites (bases, police sites, settlements and major-road junctions) against %d demand sites; a site is covered when the mean delays plus the drive meet its target. The bound proves how far from the best possible each answer can be.", len(p.cands), len(p.demand)),
		Columns: []string{"Model", "Today's bases", "Optimised", "Bound", "Gap", "Standby points"},
	}
	pct := func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v/total) }
	t.Rows = append(t.Rows,
		[]string{"Maximal covering: incidents within target", pct(p.curVal[locate.MaxCover]), pct(p.cover.Value), pct(p.cover.Bound), gapText(p.cover), p.siteNames(p.cover.Sites)},
		[]string{fmt.Sprintf("Expected covering (each ARV unavailable %.0f%%)", 100*p.busy), pct(p.curVal[locate.ExpectedCover]), pct(p.expected.Value), pct(p.expected.Bound), gapText(p.expected), p.siteNames(p.expected.Sites)},
		[]string{"p-median: mean drive (min)", fmt.Sprintf("%.1f", p.curVal[locate.PMedian]), fmt.Sprintf("%.1f", p.pmed.Value), fmt.Sprintf("%.1f", p.pmed.Bound), gapText(p.pmed), p.siteNames(p.pmed.Sites)},
	)
	return t
}

func gapText(s locate.Solution) string {
	if s.Optimal {
		return "optimal"
	}
	return fmt.Sprintf("%.2f%%", 100*s.Gap)
}

func (p *planner) settlementTable() report.Table {
	t := report.Table{
		Title:   "Response by settlement",
		Caption: "Simulated response at today's bases, all replications pooled.",
		Columns: []string{"Settlement", "Class", "Incidents", "Mean (min)", "90th percentile (min)", "Within target"},
	}
	for _, g := range p.base.Groups {
		if g.Incidents == 0 {
			t.Rows = append(t.Rows, []string{g.Name, g.Class, "0", "–", "–", "–"})
			continue
		}
		t.Rows = append(t.Rows, []string{g.Name, g.Class, strconv.Itoa(g.Incidents), fmt.Sprintf("%.1f", g.Mean), fmt.Sprintf("%.1f", g.P90), fmt.Sprintf("%.0f%%", 100*g.WithinTarget)})
	}
	return t
}

func (p *planner) notes() []string {
	g := p.rt.Road()
	var n []string
	if g.Meta.Note != "" {
		n = append(n, g.Meta.Note)
	}
	n = append(n,
		"Every option is simulated with the same seed, so the options face the same incidents (common random numbers): the difference between two options is known more precisely than the confidence intervals of each suggest.",
		"The scenario's figures and their sources are in docs/scenarios.md; staffing, selection and costs in docs/planning.md. Figures labelled assumptions are not sourced.",
		"The hypercube model assumes every ARV is always crewed and waits at its base, and one mean service time; the simulator relaxes these.",
		"Arming every officer is modelled as single-crewed armed patrol cars standing at the demand points: optimistic, since real patrols are elsewhere and busy with other calls.",
	)
	if g.Meta.Attribution != "" {
		n = append(n, "Road data "+g.Meta.Attribution+".")
	}
	return n
}

// jsonData is the plan's results for tools: the simulations, the
// location models' answers with their bounds, staffing, selection and the
// hypercube. Figures without a value are null.
func (p *planner) jsonData() any {
	type site struct {
		Name string  `json:"name"`
		Kind string  `json:"kind"`
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
		ARVs int     `json:"arvs"`
	}
	type model struct {
		Model   string  `json:"model"`
		Today   float64 `json:"today"`
		Value   float64 `json:"value"`
		Bound   float64 `json:"bound"`
		Gap     float64 `json:"gap"`
		Optimal bool    `json:"optimal"`
		Unit    string  `json:"unit"`
		Sites   []site  `json:"sites"`
	}
	type coverage struct {
		ARVs     int     `json:"arvs"`
		Covered  float64 `json:"covered"`
		Expected float64 `json:"expected_covered"`
	}
	total := 0.0
	for _, w := range p.prob.Weight {
		total += w
	}
	sites := func(v []int) []site {
		var out []site
		n := map[int]int{}
		for _, c := range v {
			n[c]++
		}
		for _, c := range dedupe(v) {
			cd := p.cands[c]
			out = append(out, site{cd.Label, cd.Kind, cd.Point.Lat, cd.Point.Lon, n[c]})
		}
		return out
	}
	share := func(v float64) float64 { return v / math.Max(total, 1e-300) }
	models := []model{
		{"maximal covering", share(p.curVal[locate.MaxCover]), share(p.cover.Value), share(p.cover.Bound), p.cover.Gap, p.cover.Optimal, "share of incidents within target", sites(p.cover.Sites)},
		{"expected covering", share(p.curVal[locate.ExpectedCover]), share(p.expected.Value), share(p.expected.Bound), p.expected.Gap, p.expected.Optimal, "expected share of incidents within target", sites(p.expected.Sites)},
		{"p-median", p.curVal[locate.PMedian], p.pmed.Value, p.pmed.Bound, p.pmed.Gap, p.pmed.Optimal, "mean drive minutes", sites(p.pmed.Sites)},
	}
	type option struct {
		Models      string      `json:"models"`
		Sites       []site      `json:"sites"`
		Recommended bool        `json:"recommended"`
		Result      *sim.Result `json:"result"`
	}
	var opts []option
	for k, o := range p.options {
		opts = append(opts, option{o.Models, sites(o.Sites), k == p.chosen, o.Result})
	}
	var cov []coverage
	for k := range p.curveMax {
		c := coverage{ARVs: len(p.curveMax[k].Sites), Covered: share(p.curveMax[k].Value)}
		if k < len(p.curveExp) {
			c.Expected = share(p.curveExp[k].Value)
		}
		cov = append(cov, c)
	}
	return struct {
		Force       string               `json:"force"`
		Scenario    string               `json:"scenario"`
		Seed        uint64               `json:"seed"`
		Years       float64              `json:"years"`
		Reps        int                  `json:"replications"`
		Baseline    *sim.Result          `json:"baseline"`
		Unavailable float64              `json:"arv_unavailable_share"`
		Standby     []model              `json:"standby"`
		Options     []option             `json:"standby_simulated"`
		WhatIfs     []plan.Row           `json:"what_ifs"`
		Coverage    []coverage           `json:"coverage_curve"`
		Curve       []plan.CurvePoint    `json:"arv_curve"`
		Staffing    plan.StaffingResult  `json:"staffing"`
		Selection   plan.SelectionResult `json:"selection"`
		Hypercube   *hypercube.Result    `json:"hypercube"`
	}{p.s.Force.Name, p.ls.Source, p.opt.Seed, p.opt.Years, p.opt.Replications, p.base, p.busy, models, opts, p.rows, cov, p.curve, p.staffing, p.selection, p.hyper}
}

func (p *planner) summary(m *Main, d *report.Data, out string, took time.Duration) {
	w := m.Stdout
	fmt.Fprintf(w, "%s: armed response plan (scenario %s)\n\n", p.s.Force.Name, p.ls.Source)
	for _, h := range d.Headline {
		fmt.Fprintf(w, "  %-42s %s (%s)\n", h.Question, h.Answer, h.Detail)
	}
	fmt.Fprintln(w)
	tw := newTable(w, "option", "median", "90th percentile", "urban within", "rural within", "officers", "cost a year")
	for _, r := range d.WhatIfs {
		if r.NotApplicable {
			tw.row(r.Name, "n/a", "", "", "", "", "")
			continue
		}
		cost := moneyChange(r.CostPerYear)
		tw.row(r.Name, fmt.Sprintf("%.1f", r.Median), fmt.Sprintf("%.1f", r.P90), fmt.Sprintf("%.0f%%", 100*r.UrbanWithin), fmt.Sprintf("%.0f%%", 100*r.RuralWithin), thousands(int64(r.Officers)), cost)
	}
	tw.flush()
	fmt.Fprintf(w, "\nWrote %s in %.1f s.\n", out, took.Seconds())
}

// writeReport renders the report to path atomically.
func writeReport(path string, d *report.Data) error {
	return writeFileAtomic(path, func(f *os.File) error { return report.Render(f, d) })
}

// writeCSVs writes each table of the report to dir as a CSV file.
func writeCSVs(dir string, d *report.Data) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, header []string, rows [][]string) error {
		return writeFileAtomic(filepath.Join(dir, name), func(f *os.File) error {
			cw := csv.NewWriter(f)
			cw.Write(header)
			cw.WriteAll(rows)
			return cw.Error()
		})
	}
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	var rows [][]string
	for _, r := range d.WhatIfs {
		rows = append(rows, []string{r.Name, num(r.Median), num(r.MedianCI.Low), num(r.MedianCI.High), num(r.P90), num(r.UrbanWithin), num(r.RuralWithin), strconv.Itoa(r.Officers), num(r.CostPerYear), r.Notes})
	}
	if err := write("what-ifs.csv", []string{"option", "median_minutes", "median_low", "median_high", "p90_minutes", "urban_within_target", "rural_within_target", "officers_needed", "cost_per_year_gbp", "notes"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, c := range d.Coverage {
		rows = append(rows, []string{strconv.Itoa(c.Units), num(c.Covered), num(c.Expected), num(c.Simulated)})
	}
	if err := write("coverage.csv", []string{"arvs", "covered_share", "expected_covered_share", "simulated_within_target"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, u := range d.Utilisation {
		rows = append(rows, []string{u.Label, u.Detail, num(u.Utilisation), num(u.Crewed)})
	}
	if err := write("utilisation.csv", []string{"arv", "base", "utilisation", "crewed"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, h := range d.Hypercube {
		rows = append(rows, []string{h.Label, num(h.Hypercube), num(h.Simulated), num(h.HypercubeCalls), num(h.SimulatedCalls)})
	}
	if err := write("hypercube.csv", []string{"arv", "hypercube_workload", "simulated_utilisation", "hypercube_share_of_calls", "simulated_share_of_calls"}, rows); err != nil {
		return err
	}
	for name, st := range map[string][]report.Step{"staffing.csv": d.Staffing, "recruitment.csv": d.Recruitment, "standby.csv": d.Standby} {
		rows = nil
		for _, s := range st {
			v := s.Text
			if v == "" {
				v = num(s.Value)
			}
			rows = append(rows, []string{s.Label, v, s.Unit, s.Formula, s.Source})
		}
		if err := write(name, []string{"step", "value", "unit", "formula", "source"}, rows); err != nil {
			return err
		}
	}
	for _, t := range d.Tables {
		name := strings.ToLower(strings.ReplaceAll(t.Title, " ", "-")) + ".csv"
		if err := write(name, t.Columns, t.Rows); err != nil {
			return err
		}
	}
	return nil
}
