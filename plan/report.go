package plan

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/locate"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/sim"
)

// Report returns the plan as the report's data, for report.Render: the
// headline answers, the map, every what-if with its response curve, the
// coverage curve, the ARVs' workloads, and the staffing, recruitment and
// standby arithmetic with sources.
func (p *Plan) Report() *report.Data {
	s := p.Scenario
	d := &report.Data{
		Title:     "Armed response plan",
		Force:     s.Force.Name,
		Scenario:  p.Source,
		Generated: p.Generated.UTC().Format("2006-01-02 15:04 MST"),
		Marking:   "OFFICIAL",
		Targets:   report.Targets{UrbanMinutes: s.Targets.UrbanMinutes, RuralMinutes: s.Targets.RuralMinutes, Share: s.Targets.Share},
	}
	d.Summary = []string{
		fmt.Sprintf("This report models %s's armed response: %d ARVs crewed by %d ARV officers on a %d-team rota, %.0f armed incidents a year, on the %s road network. "+
			"Every figure comes from %s of %s of simulated incidents (seed %d), the same incidents for every option.",
			s.Force.Name, len(s.ARVs), s.Officers.ARV, s.Shifts.Teams, s.Demand.IncidentsPerYear, p.networkName(),
			plural(p.Options.Replications, "replication"), plural(p.Options.Years, "year"), p.Options.Seed),
		fmt.Sprintf("Response time runs from the 999 call to the first armed officers on scene and includes %.1f minutes on average of call handling, authorisation and mobilisation before an ARV moves.", delayMinutes(s)),
	}
	d.Headline = p.headline()
	d.Map = p.mapData()
	d.WhatIfs = p.whatIfRows()
	d.Coverage = p.coverage()
	for _, a := range p.Baseline.ARVs {
		d.Utilisation = append(d.Utilisation, report.Bar{Label: a.CallSign, Detail: a.Base, Utilisation: a.Utilisation.Mean, Crewed: a.Crewed.Mean})
	}
	if p.Workload != nil {
		for k, a := range p.Baseline.ARVs {
			d.Hypercube = append(d.Hypercube, report.Workload{
				Label: a.CallSign, Hypercube: p.Workload.Workload[k], Simulated: a.Utilisation.Mean,
				HypercubeCalls: p.Workload.Share[k], SimulatedCalls: a.Calls.Mean,
			})
		}
	}
	d.Staffing = reportSteps(p.Staffing.Steps)
	d.Recruitment = reportSteps(p.Selection.Steps)
	d.Standby = p.standbySteps()
	d.Tables = []report.Table{p.optimisationTable(), p.settlementTable()}
	d.Captions = report.Captions{
		Map:       fmt.Sprintf("Demand points are coloured by the estimated response from the nearest ARV base today (%.1f minutes of delays plus the drive); the bands show the drive from the recommended standby points.", delayMinutes(s)),
		Hypercube: p.hypercubeCaption(),
	}
	d.Notes = p.notes()
	return d
}

// networkName names the road network for the report's summary.
func (p *Plan) networkName() string {
	if p.network != nil {
		return p.network.Road().Meta.Name
	}
	return "straight-line"
}

// headline answers the four questions chief officers ask.
func (p *Plan) headline() []report.Headline {
	s, base := p.Scenario, p.Baseline
	fig := FiguresOf(base)
	rec := p.RecommendedStandby()
	opt := FiguresOf(rec.Result)
	full := "beyond reach"
	if p.FullComplement > 0 {
		full = fmt.Sprintf("%d ARV officers", p.FullComplement)
	}
	return []report.Headline{
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
			Detail:   fmt.Sprintf("at %s (%s model), against %.0f%% at today's bases", p.siteNames(rec.sites), rec.Models, 100*fig.WithinTarget.Mean),
		},
		{
			Question: "How many officers keep a full complement?",
			Answer:   full,
			Detail: fmt.Sprintf("to crew %s on %.0f%% of shifts; %d on average (%.2f per 24/7 seat); today's %d do it on %.0f%% of shifts",
				allARVs(len(s.ARVs)), 100*FullShare, p.Staffing.Needed, p.Staffing.OfficersPerSeat, p.Staffing.Establishment, 100*p.Staffing.FullComplement),
		},
	}
}

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

// demandTotal is the incidents a year over the location problem's
// demand sites.
func (p *Plan) demandTotal() float64 {
	total := 0.0
	for _, w := range p.prob.Weight {
		total += w
	}
	return total
}

// standbySteps sets out how the standby points were chosen.
func (p *Plan) standbySteps() []report.Step {
	s := p.Scenario
	total := p.demandTotal()
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
	for _, o := range p.Standby {
		f := FiguresOf(o.Result)
		out = append(out, report.Step{Label: "simulated: " + o.Models,
			Text:    fmt.Sprintf("%.0f%% within target, 90th percentile %.1f min", 100*f.WithinTarget.Mean, f.P90.Mean),
			Formula: p.siteNames(o.sites), Source: "simulator, same seed as the baseline"})
	}
	base := FiguresOf(p.Baseline)
	out = append(out, report.Step{Label: "today's bases, simulated",
		Text:   fmt.Sprintf("%.0f%% within target, 90th percentile %.1f min", 100*base.WithinTarget.Mean, base.P90.Mean),
		Source: "baseline simulation"})
	if rec := p.RecommendedStandby(); rec.Result != nil {
		out = append(out, report.Step{Label: "recommended standby points", Text: p.siteNames(rec.sites), Formula: p.choiceReason(), Total: true})
	}
	return out
}

// reportSteps turns the plan's arithmetic into the report's.
func reportSteps(in []Step) []report.Step {
	var out []report.Step
	for _, st := range in {
		out = append(out, report.Step{Label: st.Label, Value: st.Value, Unit: st.Unit, Formula: st.Formula, Source: st.Source})
	}
	return out
}

// mapData draws the road network (major roads only on a large graph),
// the police sites, the recommended standby points, the demand and the
// isochrones.
func (p *Plan) mapData() report.Map {
	var mp report.Map
	if p.network != nil {
		g := p.network.Road()
		mp.Attribution = g.Meta.Attribution
		major := g.NumSegments() > 20000
		for sgi := range g.SegFrom {
			c := g.SegClass[sgi]
			if major && (c == road.ClassOther || c > road.ClassTertiary) {
				continue
			}
			mp.Roads = append(mp.Roads, report.Polyline{Points: g.SegmentShape(int32(sgi)), Class: c.String()})
		}
	}
	mp.Bases = p.baseMarkers()
	count := map[int]int{}
	rec := p.RecommendedStandby().sites
	for _, c := range rec {
		count[c]++
	}
	for _, c := range dedupe(rec) {
		mp.Standby = append(mp.Standby, report.Marker{Name: p.cands[c].Label, Point: p.cands[c].Point, Kind: "standby", Detail: fmt.Sprintf("%d ARV(s)", count[c])})
	}
	mp.Demand = p.demandMarkers()
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

// baseMarkers marks the scenario's bases and standby points, those with
// ARVs today apart, and the other police sites of the network.
func (p *Plan) baseMarkers() []report.Marker {
	arvsAt := map[string]int{}
	for _, a := range p.Scenario.ARVs {
		arvsAt[a.Base] = arvsAt[a.Base] + 1
	}
	var out []report.Marker
	used := map[int]bool{}
	for _, b := range append(slices.Clone(p.Scenario.Bases), p.Scenario.StandbyPoints...) {
		pt, err := p.router.Locate(string(b.At))
		if err != nil {
			continue
		}
		mk := report.Marker{Name: b.Name, Point: pt, Kind: "police"}
		if n := arvsAt[b.ID]; n > 0 {
			mk.Kind, mk.Detail = report.KindARVBase, fmt.Sprintf("%d ARV(s) today", n)
		}
		used[p.nearestCandidate(pt)] = true
		out = append(out, mk)
	}
	for i, c := range p.cands {
		if c.Kind == "police" && !used[i] {
			out = append(out, report.Marker{Name: c.Label, Point: c.Point, Kind: "police"})
		}
	}
	return out
}

// demandMarkers places the demand sites, each with the estimated
// response from the nearest ARV base today.
func (p *Plan) demandMarkers() []report.DemandMarker {
	m := p.model
	delay := delayMinutes(p.Scenario)
	var out []report.DemandMarker
	for _, st := range m.Sites {
		best := math.Inf(1)
		for _, a := range m.ARVs {
			best = math.Min(best, float64(m.Travel[a.Base*len(m.Points)+st.Point])/60)
		}
		cls := arv.Rural
		if st.Urban {
			cls = arv.Urban
		}
		out = append(out, report.DemandMarker{
			Name: st.Name, Point: m.Points[st.Point], Weight: st.Weight * p.Scenario.Demand.IncidentsPerYear,
			Minutes: delay + best, Class: cls,
		})
	}
	return out
}

func ciRange(e sim.Estimate) report.Range { return report.Range{Low: e.Low, High: e.High} }

// cdfPoints is a result's response-time curve, minute by minute to an
// hour.
func cdfPoints(r *sim.Result) []report.Point {
	var out []report.Point
	if r == nil {
		return nil
	}
	for m := 0; m <= 60 && m < len(r.CDF); m++ {
		out = append(out, report.Point{Minutes: float64(m), Share: r.CDF[m]})
	}
	return out
}

// whatIfRow is a simulated option's row of the what-if table.
func whatIfRow(name, desc string, r *sim.Result, officers int, cost float64, notes string) report.WhatIfRow {
	f := FiguresOf(r)
	return report.WhatIfRow{
		Name: name, Description: desc,
		Median: f.Median.Mean, P90: f.P90.Mean, UrbanWithin: f.WithinUrban.Mean, RuralWithin: f.WithinRural.Mean,
		MedianCI: ciRange(f.Median), P90CI: ciRange(f.P90), UrbanCI: ciRange(f.WithinUrban), RuralCI: ciRange(f.WithinRural),
		Officers: officers, CostPerYear: cost, Notes: notes, CDF: cdfPoints(r),
	}
}

// whatIfRows are the what-ifs, with the location models' answers right
// after the baseline.
func (p *Plan) whatIfRows() []report.WhatIfRow {
	var rows []report.WhatIfRow
	for i, r := range p.WhatIfs {
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
		rows = append(rows, whatIfRow(r.Name, r.Description, r.Result, r.OfficersNeeded, cost, notes))
		if i > 0 {
			continue
		}
		for k, o := range p.Standby {
			name := "ARVs at " + p.siteNames(o.sites)
			desc := "The same ARVs, officers and shifts, standing where the " + o.Models + " model puts them instead of at today's bases."
			note := ""
			if k == p.Recommended {
				name += " (recommended)"
				note = "Recommended: " + p.choiceReason() + "."
			}
			rr := whatIfRow(name, desc, o.Result, r.OfficersNeeded, 0, note)
			rr.Chosen = k == p.Recommended
			rows = append(rows, rr)
		}
	}
	return rows
}

// coverage is the share of demand covered against the number of ARVs:
// both covering models and the simulator.
func (p *Plan) coverage() []report.CoveragePoint {
	var out []report.CoveragePoint
	total := p.demandTotal()
	if total == 0 {
		return nil
	}
	for k, sol := range p.curveMax {
		units := len(sol.Sites)
		cp := report.CoveragePoint{Units: units, Covered: sol.Value / total, Expected: math.NaN(), Simulated: math.NaN()}
		if k < len(p.curveExp) {
			cp.Expected = p.curveExp[k].Value / total
		}
		for _, c := range p.Curve {
			if c.ARVs == units && c.Result != nil {
				cp.Simulated = c.Figures.WithinTarget.Mean
			}
		}
		if units == len(p.Scenario.ARVs) {
			cp.Label = "today's number"
		}
		out = append(out, cp)
	}
	return out
}

func (p *Plan) optimisationTable() report.Table {
	total := p.demandTotal()
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

func (p *Plan) settlementTable() report.Table {
	t := report.Table{
		Title:   "Response by settlement",
		Caption: "Simulated response at today's bases, all replications pooled.",
		Columns: []string{"Settlement", "Class", "Incidents", "Mean (min)", "90th percentile (min)", "Within target"},
	}
	for _, g := range p.Baseline.Groups {
		if g.Incidents == 0 {
			t.Rows = append(t.Rows, []string{g.Name, g.Class, "0", "–", "–", "–"})
			continue
		}
		t.Rows = append(t.Rows, []string{g.Name, g.Class, strconv.Itoa(g.Incidents), fmt.Sprintf("%.1f", g.Mean), fmt.Sprintf("%.1f", g.P90), fmt.Sprintf("%.0f%%", 100*g.WithinTarget)})
	}
	return t
}

func (p *Plan) notes() []string {
	var n []string
	var meta road.Meta
	if p.network != nil {
		meta = p.network.Road().Meta
	}
	if meta.Note != "" {
		n = append(n, meta.Note)
	}
	n = append(n,
		"Every option is simulated with the same seed, so the options face the same incidents (common random numbers): the difference between two options is known more precisely than the confidence intervals of each suggest.",
		"The scenario's figures and their sources are in docs/scenarios.md; staffing, selection and costs in docs/planning.md. Figures labelled assumptions are not sourced.",
		"The hypercube model assumes every ARV is always crewed and waits at its base, and one mean service time; the simulator relaxes these.",
		"Arming every officer is modelled as single-crewed armed patrol cars standing at the demand points: optimistic, since real patrols are elsewhere and busy with other calls.",
	)
	if meta.Attribution != "" {
		n = append(n, "Road data "+meta.Attribution+".")
	}
	if p.network == nil {
		n = append(n, "Drive times are straight-line estimates, not road times: the plan was made without a road network.")
	}
	return n
}
