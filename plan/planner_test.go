package plan

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/internal/arvtest"
	"github.com/arv-project/arv/internal/browsertest"
	"github.com/arv-project/arv/internal/fixtures"
	"github.com/arv-project/arv/load"
	"github.com/arv-project/arv/locate"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/road"
	"github.com/arv-project/arv/road/ch"
	"github.com/arv-project/arv/sim"
)

// stamp is the tests' clock.
var stamp = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// runPlan plans s on router with a short simulation, recording the
// stages it was told.
func runPlan(t *testing.T, router arv.Router, s *arv.Scenario, opt sim.Options, keep ...string) (*Plan, []string) {
	t.Helper()
	var stages []string
	pl := Planner{Router: router, Options: opt, Keep: keep, Source: s.Name + " (test)", Now: func() time.Time { return stamp }}
	p, err := pl.Run(t.Context(), s, func(stage, detail string) {
		if detail == "" {
			stages = append(stages, stage)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, stages
}

// checkPlan checks what must hold of any plan whatever the numbers: an
// optimum is never worse than today's bases (a feasible answer) nor
// better than its bound, every answer places every ARV, coverage grows
// with ARVs, one standby set is recommended and it is one of the
// simulated answers, and the report, JSON and CSVs carry it all.
func checkPlan(t *testing.T, p *Plan) {
	t.Helper()
	units := len(p.Scenario.ARVs)
	const eps = 1e-9
	for _, m := range []struct {
		name   string
		sol    []int
		value  float64
		bound  float64
		today  float64
		median bool
	}{
		{"maximal covering", p.cover.Sites, p.cover.Value, p.cover.Bound, p.curVal[locate.MaxCover], false},
		{"expected covering", p.expected.Sites, p.expected.Value, p.expected.Bound, p.curVal[locate.ExpectedCover], false},
		{"p-median", p.pmed.Sites, p.pmed.Value, p.pmed.Bound, p.curVal[locate.PMedian], true},
	} {
		if len(m.sol) != units {
			t.Errorf("%s places %d ARVs, want %d", m.name, len(m.sol), units)
		}
		if m.median && (m.value > m.today+eps || m.value < m.bound-eps) {
			t.Errorf("p-median: %v minutes, today %v, bound %v: want bound ≤ value ≤ today", m.value, m.today, m.bound)
		}
		if !m.median && (m.value < m.today-eps || m.value > m.bound+eps || m.value > p.demandTotal()+eps) {
			t.Errorf("%s: covers %v, today %v, bound %v: want today ≤ value ≤ bound ≤ demand", m.name, m.value, m.today, m.bound)
		}
	}
	if len(p.Standby) == 0 || p.Recommended < 0 || p.Recommended >= len(p.Standby) {
		t.Fatalf("%d simulated standby sets, recommended %d", len(p.Standby), p.Recommended)
	}
	// The recommendation follows its rule: no other answer within the
	// 90th percentile of today's bases has more incidents within target.
	today := FiguresOf(p.Baseline).P90.Mean
	rec := FiguresOf(p.RecommendedStandby().Result)
	for k, o := range p.Standby {
		f := FiguresOf(o.Result)
		if rec.P90.Mean <= today && f.P90.Mean <= today && f.WithinTarget.Mean > rec.WithinTarget.Mean {
			t.Errorf("standby option %d (%s) beats the recommended one within the rule", k, o.Models)
		}
		if rec.P90.Mean > today && f.P90.Mean < rec.P90.Mean {
			t.Errorf("no option keeps today's 90th percentile, but option %d has a lower one than the recommended", k)
		}
	}
	for k := 1; k < len(p.curveMax); k++ {
		a, b := p.curveMax[k-1], p.curveMax[k]
		if len(b.Sites) != len(a.Sites)+1 || b.Value < a.Value-eps || p.curveExp[k].Value > b.Value+eps {
			t.Errorf("coverage curve %d then %d ARVs: %v then %v (expected %v)", len(a.Sites), len(b.Sites), a.Value, b.Value, p.curveExp[k].Value)
		}
	}
	if len(p.curveMax) != units+2 || len(p.Curve) != units+2 {
		t.Errorf("curves have %d and %d points, want 1..%d ARVs", len(p.curveMax), len(p.Curve), units+2)
	}
	if p.Staffing.Needed <= 0 || p.FullComplement < p.Staffing.Needed {
		t.Errorf("staffing needs %d officers, full complement %d", p.Staffing.Needed, p.FullComplement)
	}
	if p.Workload == nil || len(p.Workload.Workload) != units {
		t.Errorf("hypercube = %+v, want %d workloads", p.Workload, units)
	}

	d := p.Report()
	if len(d.Headline) != 4 || d.Generated != "2026-12-01 09:30 UTC" || d.Scenario != p.Source {
		t.Errorf("report headline %d answers, generated %q, scenario %q", len(d.Headline), d.Generated, d.Scenario)
	}
	if want := len(p.WhatIfs) + len(p.Standby); len(d.WhatIfs) != want {
		t.Errorf("report has %d what-if rows, want %d (what-ifs and standby sets)", len(d.WhatIfs), want)
	}
	var html bytes.Buffer
	if err := report.Render(&html, d); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script src=", "NaN", "%!"} {
		if strings.Contains(html.String(), bad) {
			t.Errorf("report contains %q", bad)
		}
	}

	var js bytes.Buffer
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Seed    uint64 `json:"seed"`
		Options []struct {
			Recommended bool `json:"recommended"`
		} `json:"standby_simulated"`
		Standby []struct {
			Sites []struct {
				ARVs int `json:"arvs"`
			} `json:"sites"`
		} `json:"standby"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if back.Seed != p.Options.Seed || len(back.Options) != len(p.Standby) || !back.Options[p.Recommended].Recommended || len(back.Standby) != 3 {
		t.Errorf("JSON seed %d, %d options, %d models", back.Seed, len(back.Options), len(back.Standby))
	}
	for _, m := range back.Standby {
		n := 0
		for _, s := range m.Sites {
			n += s.ARVs
		}
		if n != units {
			t.Errorf("JSON model places %d ARVs, want %d", n, units)
		}
	}

	files := CSVFiles(d)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Errorf("%s: %d rows, %v", f.Name, len(rows), err)
		}
		if f.Name == "what-ifs.csv" && len(rows) != 1+len(d.WhatIfs) {
			t.Errorf("what-ifs.csv has %d lines, want %d", len(rows), 1+len(d.WhatIfs))
		}
	}
	want := []string{"what-ifs.csv", "coverage.csv", "utilisation.csv", "hypercube.csv", "staffing.csv", "recruitment.csv", "standby.csv", "standby-optimisation.csv", "response-by-settlement.csv"}
	if !slices.Equal(names, want) {
		t.Errorf("CSV files %v, want %v", names, want)
	}
}

// TestPlannerLine plans a small force on straight-line roads: no road
// graph, so no junctions, map roads or isochrones, and every answer
// checked.
func TestPlannerLine(t *testing.T) {
	s := testshire()
	opt := sim.Options{Years: 1, Replications: 3, WarmupDays: 10, Seed: 5}
	p, stages := runPlan(t, arvtest.LineRouter{SpeedKmh: 60}, s, opt)
	checkPlan(t, p)
	wantStages := []string{"simulating the baseline", "optimising standby points", "simulating the what-ifs",
		"simulating the optimised standby points", "simulating 1 to 5 ARVs", "staffing and selection", "hypercube queueing model", "isochrones"}
	if !slices.Equal(stages, wantStages) {
		t.Errorf("stages %q, want %q", stages, wantStages)
	}
	for _, c := range p.cands {
		if c.Kind == "junction" || c.Kind == "police" {
			t.Errorf("candidate %+v needs a road graph", c)
		}
	}
	d := p.Report()
	if len(d.Map.Roads) != 0 || len(p.bands) != 0 || !strings.Contains(strings.Join(d.Notes, " "), "straight-line") {
		t.Errorf("a plan without roads drew %d roads and %d bands; notes %q", len(d.Map.Roads), len(p.bands), d.Notes)
	}
	if s.Simulation.Seed != 3 || len(s.StandbyPoints) != 0 {
		t.Error("planning changed the caller's scenario")
	}
}

// TestPlannerReplays checks that a plan replays exactly from its seed,
// whatever the number of workers, and that another seed gives other
// figures.
func TestPlannerReplays(t *testing.T) {
	s := testshire()
	js := func(seed uint64, workers int) string {
		p, _ := runPlan(t, arvtest.LineRouter{SpeedKmh: 60}, s, sim.Options{Years: 0.5, Replications: 3, WarmupDays: 5, Seed: seed, Workers: workers})
		var b bytes.Buffer
		if err := p.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	a, b, c := js(7, 1), js(7, 3), js(8, 0)
	if a != b {
		t.Error("the same seed gave different plans")
	}
	if a == c {
		t.Error("seeds 7 and 8 gave the same plan")
	}
}

// TestPlannerErrors checks refusals: an unknown base to keep (naming the
// bases there are), too many, no router, and cancellation.
func TestPlannerErrors(t *testing.T) {
	s := testshire()
	opt := sim.Options{Years: 0.5, Replications: 2, Seed: 1}
	_, err := Planner{Router: arvtest.LineRouter{SpeedKmh: 60}, Options: opt, Keep: []string{"Atlantis"}}.Run(t.Context(), s, nil)
	if arv.ErrorCode(err) != arv.EINVALID || !strings.Contains(arv.ErrorMessage(err), `keep "Atlantis"`) || !strings.Contains(arv.ErrorMessage(err), "hq (HQ)") {
		t.Errorf("unknown base: %v", err)
	}
	_, err = Planner{Router: arvtest.LineRouter{SpeedKmh: 60}, Options: opt, Keep: []string{"hq", "north", "south", "HQ"}}.Run(t.Context(), s, nil)
	if arv.ErrorCode(err) != arv.EINVALID || !strings.Contains(arv.ErrorMessage(err), "4 bases but the scenario has 3 ARVs") {
		t.Errorf("too many bases: %v", err)
	}
	if _, err := (Planner{Options: opt}).Run(t.Context(), s, nil); err == nil {
		t.Error("no router: no error")
	}
	if _, err := (Planner{Router: arvtest.LineRouter{SpeedKmh: 60}, Options: opt}).Run(t.Context(), nil, nil); err == nil {
		t.Error("no scenario: no error")
	}
	// Cancelled in the middle of the work, at the what-ifs.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, err = Planner{Router: arvtest.LineRouter{SpeedKmh: 60}, Options: opt}.Run(ctx, s, func(stage, _ string) {
		if stage == "simulating the what-ifs" {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// TestPlannerKeep holds an ARV at a named base in every answer.
func TestPlannerKeep(t *testing.T) {
	s := testshire()
	p, _ := runPlan(t, arvtest.LineRouter{SpeedKmh: 60}, s, sim.Options{Years: 0.5, Replications: 2, Seed: 2}, "South")
	south := slices.IndexFunc(p.cands, func(c candidate) bool { return c.ID == "south" })
	for _, sol := range [][]int{p.cover.Sites, p.pmed.Sites, p.expected.Sites} {
		if !slices.Contains(sol, south) {
			t.Errorf("answer %v does not keep South (candidate %d)", sol, south)
		}
	}
}

// TestPlannerWiltshire plans the built-in Wiltshire scenario on its
// strategic network: junction and police-site candidates, isochrones,
// and the plan's invariants.
func TestPlannerWiltshire(t *testing.T) {
	ls, err := load.Scenario(t.Context(), "wiltshire", nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := sim.OptionsFor(ls.Scenario)
	opt.Years, opt.Replications = 1, 4
	p, _ := runPlan(t, ls.Router, ls.Scenario, opt)
	checkPlan(t, p)
	if len(p.bands) != len(isochroneMinutes) {
		t.Errorf("%d isochrone bands, want %d", len(p.bands), len(isochroneMinutes))
	}
	police := slices.ContainsFunc(p.cands, func(c candidate) bool { return c.Kind == "police" })
	if !police || len(p.Report().Map.Roads) == 0 {
		t.Error("no police-site candidates or no roads on the map")
	}
}

// TestPlannerOSM plans on a real OpenStreetMap network (Rutland):
// major-road junctions join the candidates, the base to keep holds an
// ARV in every answer, and the report credits OpenStreetMap.
func TestPlannerOSM(t *testing.T) {
	dir := t.TempDir()
	h, err := ch.Build(t.Context(), rutland(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.WriteFile(filepath.Join(dir, "rutland.arvg"), h); err != nil {
		t.Fatal(err)
	}
	yml, err := os.ReadFile(filepath.Join("testdata", "rutland.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(dir, "rutland.yaml")
	if err := os.WriteFile(scen, yml, 0o644); err != nil {
		t.Fatal(err)
	}
	ls, err := load.Scenario(t.Context(), scen, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := runPlan(t, ls.Router, ls.Scenario, sim.OptionsFor(ls.Scenario), "Uppingham")
	checkPlan(t, p)
	if !strings.Contains(strings.Join(p.Report().Notes, " "), "Road data © OpenStreetMap contributors") {
		t.Errorf("the report does not credit OpenStreetMap: %q", p.Report().Notes)
	}
	junction := false
	for _, sol := range [][]int{p.cover.Sites, p.pmed.Sites, p.expected.Sites} {
		kept := false
		for _, c := range sol {
			kept = kept || p.cands[c].Label == "Uppingham"
			junction = junction || p.cands[c].Kind == "junction"
		}
		if !kept {
			t.Errorf("answer %s does not keep Uppingham", p.siteNames(sol))
		}
	}
	if !junction {
		t.Error("no model chose a major-road junction; want the junction candidates offered (they win on this network)")
	}
}

// TestPlanBrowser opens Kent's plan report in headless Chromium: the map
// shows every demand site, the recommended standby points and the drive
// bands, the charts lay out, and the page fetches nothing.
func TestPlanBrowser(t *testing.T) {
	dir := browsertest.ArtefactDir(t)
	ls, err := load.Scenario(t.Context(), "kent", nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := sim.OptionsFor(ls.Scenario)
	opt.Years, opt.Replications = 1, 2
	p, _ := runPlan(t, ls.Router, ls.Scenario, opt)
	html := filepath.Join(dir, "plan-kent.html")
	f, err := os.Create(html)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Render(f, p.Report()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	page := browsertest.Open(t, html, 1280, 900)
	for _, sel := range []string{"#arv-map", "#arv-cdf", "#arv-coverage", "#arv-utilisation", "#arv-hypercube"} {
		if r := page.Size(sel); r.Width < 600 || r.Height <= 0 {
			t.Errorf("%s rendered at %vx%v, want the content width", sel, r.Width, r.Height)
		}
	}
	if n := page.Count("#arv-map circle.demand"); n == 0 || n < len(p.Baseline.Groups) {
		t.Errorf("map shows %d demand circles for %d settlements", n, len(p.Baseline.Groups))
	}
	if n := page.Outside("#arv-map circle.demand", "#arv-map"); n != 0 {
		t.Errorf("%d demand circles are empty or outside the map", n)
	}
	if n := page.Count("#arv-map path.standby"); n == 0 {
		t.Error("map shows no standby points")
	}
	if n := page.Count("#arv-map path.isochrone"); n != len(isochroneMinutes) {
		t.Errorf("map shows %d drive-time bands, want %d", n, len(isochroneMinutes))
	}
	if title := page.Title(); !strings.Contains(title, "Kent Police") {
		t.Errorf("title = %q", title)
	}
	page.Screenshot(dir, "plan-kent.png")
	for _, r := range page.External() {
		t.Errorf("the report requested %s", r)
	}
}

// rutland returns the road graph of the real Rutland extract.
func rutland(t *testing.T) *road.Graph {
	g, _ := fixtures.Rutland.Graph(t)
	return g
}
