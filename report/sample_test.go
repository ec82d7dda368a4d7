package report

import (
	"fmt"
	"math"

	"github.com/arv-project/arv/geo"
)

// The fake county: about 80 km by 75 km of southern England, with
// invented places. Nothing here is real data.
var (
	sampleCentre = geo.Point{Lat: 51.30, Lon: -1.90}
	sampleTowns  = []struct {
		name   string
		p      geo.Point
		weight float64
		class  string
	}{
		{"Northbridge", geo.Point{Lat: 51.56, Lon: -1.78}, 42, ClassUrban},
		{"Kingsford", geo.Point{Lat: 51.07, Lon: -1.80}, 30, ClassUrban},
		{"Westcombe", geo.Point{Lat: 51.33, Lon: -2.18}, 18, ClassUrban},
		{"Abbots Lea", geo.Point{Lat: 51.36, Lon: -1.99}, 15, ClassUrban},
		{"Marlow Cross", geo.Point{Lat: 51.42, Lon: -1.73}, 9, ClassRural},
		{"Tidmouth", geo.Point{Lat: 51.24, Lon: -1.62}, 11, ClassUrban},
		{"Eastholt", geo.Point{Lat: 51.12, Lon: -2.10}, 7, ClassRural},
		{"Longmere", geo.Point{Lat: 51.48, Lon: -2.10}, 12, ClassUrban},
	}
	sampleStandby = []Marker{
		{Name: "SP1 Northbridge", Point: geo.Point{Lat: 51.53, Lon: -1.80}, Detail: "ARV 1, ARV 2"},
		{Name: "SP2 Abbots Lea", Point: geo.Point{Lat: 51.35, Lon: -1.97}, Detail: "ARV 3"},
		{Name: "SP3 Kingsford", Point: geo.Point{Lat: 51.09, Lon: -1.81}, Detail: "ARV 4"},
		{Name: "SP4 Tidmouth", Point: geo.Point{Lat: 51.25, Lon: -1.66}, Detail: "ARV 5"},
	}
	sampleTargets = Targets{UrbanMinutes: 15, RuralMinutes: 20, Share: 0.9}
)

// sampleMinutes is a crude response time from the nearest standby point:
// 4 minutes to mobilise, then 1.3 times the straight line at 75 km/h.
func sampleMinutes(p geo.Point) float64 {
	best := math.Inf(1)
	for _, s := range sampleStandby {
		best = math.Min(best, geo.Distance(p, s.Point))
	}
	return 4 + best*1.3/1000/75*60
}

// circle returns a wobbly ring of radius r metres around c.
func circle(c geo.Point, r float64, n int, wobble float64) []geo.Point {
	pr := geo.NewProjection(c)
	ring := make([]geo.Point, n)
	for i := range ring {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r * (1 + wobble*math.Sin(5*a) + wobble/2*math.Cos(3*a))
		ring[i] = pr.Unproject(rr*math.Cos(a), rr*math.Sin(a))
	}
	return ring
}

// sampleBand returns the area within reach of any standby point in
// minutes: one star-shaped ring around the county centre (traced along
// rays, so it is a single simple polygon), as a stand-in for an
// isochrone.
func sampleBand(minutes float64, hole []geo.Point) Band {
	pr := geo.NewProjection(sampleCentre)
	reach := (minutes - 4) / 60 * 75 * 1000 / 1.3
	const n = 120
	var ring []geo.Point
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		far := 0.0
		for r := 0.0; r < 80000; r += 250 {
			p := pr.Unproject(r*math.Cos(a), r*math.Sin(a))
			w := 1 + 0.12*math.Sin(7*a+minutes)
			for _, s := range sampleStandby {
				if geo.Distance(p, s.Point) <= reach*w {
					far = r
					break
				}
			}
		}
		ring = append(ring, pr.Unproject(far*math.Cos(a), far*math.Sin(a)))
	}
	b := Band{Minutes: minutes, Polygons: [][][]geo.Point{{ring}}}
	if hole != nil {
		b.Polygons[0] = append(b.Polygons[0], hole)
	}
	return b
}

// weibullCDF samples a shifted Weibull distribution of response times
// every minute from 0 to 60.
func weibullCDF(shift, scale, shape float64) []Point {
	var pts []Point
	for m := 0.0; m <= 60; m++ {
		s := 0.0
		if m > shift {
			s = 1 - math.Exp(-math.Pow((m-shift)/scale, shape))
		}
		pts = append(pts, Point{Minutes: m, Share: s})
	}
	return pts
}

// quantileOf inverts a sampled CDF.
func quantileOf(pts []Point, q float64) float64 {
	for i := 1; i < len(pts); i++ {
		if pts[i].Share >= q {
			p, n := pts[i-1], pts[i]
			return p.Minutes + (q-p.Share)/(n.Share-p.Share)*(n.Minutes-p.Minutes)
		}
	}
	return math.NaN()
}

// sampleData is a rich report of the fake county: roads of every class,
// five police sites, four standby points, 30 demand points, three
// isochrone bands (one with a hole), seven options, a coverage curve,
// six ARVs, arithmetic, a further table and notes.
func sampleData() *Data {
	d := &Data{
		Title:     "Armed response plan 2026–27",
		Force:     "Midshire Police (fictitious)",
		Scenario:  "midshire-test (synthetic)",
		Generated: "2026-03-14 09:30 GMT",
		Marking:   "OFFICIAL",
		Summary: []string{
			"This report compares seven ways of deploying armed response vehicles (ARVs) across the county and recommends one. Every figure is modelled; the notes list the assumptions.",
		},
		Targets: sampleTargets,
		Headline: []Headline{
			{Question: "How long until armed officers arrive, anywhere in the county?", Answer: "12.4 min median", Detail: "90% of incidents within 21.8 min (95% CI 21.1–22.5)."},
			{Question: "What share meets the proposed standard?", Answer: "91.3% urban, 84.0% rural", Detail: "Against 15 min urban and 20 min rural."},
			{Question: "How many ARVs should be on duty?", Answer: "6 ARVs", Detail: "One more than now, at four standby points."},
			{Question: "How many firearms officers does that need?", Answer: "68 AFOs", Detail: "Up from 57; £0.71m a year more."},
		},
	}

	// Roads.
	pt := func(lat, lon float64) geo.Point { return geo.Point{Lat: lat, Lon: lon} }
	d.Map.Roads = []Polyline{
		{Class: "motorway", Points: []geo.Point{pt(51.60, -2.40), pt(51.56, -2.10), pt(51.55, -1.95), pt(51.54, -1.78), pt(51.52, -1.55), pt(51.50, -1.40)}},
		{Class: "trunk", Points: []geo.Point{pt(51.56, -1.78), pt(51.45, -1.76), pt(51.33, -1.80), pt(51.20, -1.80), pt(51.07, -1.80), pt(50.96, -1.78)}},
		{Class: "trunk", Points: []geo.Point{pt(51.33, -2.40), pt(51.33, -2.18), pt(51.35, -1.99), pt(51.30, -1.80), pt(51.24, -1.62), pt(51.22, -1.40)}},
		{Class: "primary", Points: []geo.Point{pt(51.48, -2.10), pt(51.40, -2.05), pt(51.36, -1.99), pt(51.20, -2.05), pt(51.12, -2.10), pt(51.07, -1.80)}},
		{Class: "primary", Points: []geo.Point{pt(51.42, -1.73), pt(51.33, -1.65), pt(51.24, -1.62)}},
		{Class: "secondary", Points: []geo.Point{pt(51.48, -2.10), pt(51.56, -1.95)}},
		{Class: "secondary", Points: []geo.Point{pt(51.12, -2.10), pt(51.20, -2.30), pt(51.33, -2.18)}},
		{Class: "tertiary", Points: []geo.Point{pt(51.42, -1.73), pt(51.45, -1.60), pt(51.52, -1.55)}},
		{Class: "unclassified", Points: []geo.Point{pt(51.16, -1.70), pt(51.10, -1.60), pt(51.07, -1.50)}},
	}
	d.Map.Outline = [][]geo.Point{{
		pt(51.66, -2.05), pt(51.62, -1.62), pt(51.45, -1.48), pt(51.30, -1.50), pt(51.12, -1.52),
		pt(50.97, -1.62), pt(50.95, -1.95), pt(51.08, -2.32), pt(51.28, -2.38), pt(51.50, -2.30),
	}}
	d.Map.Bases = []Marker{
		{Name: "Northbridge Gablecross", Point: pt(51.545, -1.765), Kind: KindARVBase, Detail: "2 ARVs"},
		{Name: "Abbots Lea", Point: pt(51.365, -1.985), Kind: KindARVBase, Detail: "2 ARVs"},
		{Name: "Kingsford", Point: pt(51.075, -1.795), Kind: KindARVBase, Detail: "1 ARV"},
		{Name: "Westcombe", Point: pt(51.335, -2.175), Kind: "police station"},
		{Name: "Longmere", Point: pt(51.485, -2.095), Kind: "police station"},
	}
	d.Map.Standby = sampleStandby
	d.Map.Attribution = "Synthetic test data · no real roads"

	// Demand: the towns, then 22 grid cells of dispersed population.
	for _, tw := range sampleTowns {
		d.Map.Demand = append(d.Map.Demand, DemandMarker{Name: tw.name, Point: tw.p, Weight: tw.weight, Minutes: sampleMinutes(tw.p), Class: tw.class})
	}
	for i := range 22 {
		row, col := i/5, i%5
		p := pt(50.98+float64(row)*0.15+0.02*float64(col%2), -2.30+float64(col)*0.19)
		d.Map.Demand = append(d.Map.Demand, DemandMarker{
			Name: fmt.Sprintf("Rural cell %d", i+1), Point: p,
			Weight: 1 + float64((i*7)%5), Minutes: sampleMinutes(p), Class: ClassRural,
		})
	}
	d.Map.Demand[29].Minutes = math.Inf(1) // one cell not reached

	hole := circle(pt(51.24, -1.93), 3500, 24, 0.05) // a training area with no roads
	// Ten minutes reaches a disc round each standby point (four
	// polygons); 20 and 30 minutes join into one area, with a hole.
	ten := Band{Minutes: 10}
	for _, sp := range sampleStandby {
		ten.Polygons = append(ten.Polygons, [][]geo.Point{circle(sp.Point, (10-4)/60.0*75*1000/1.3, 40, 0.1)})
	}
	d.Map.Isochrones = []Band{sampleBand(30, hole), ten, sampleBand(20, nil)}

	// Options.
	options := []struct {
		name                string
		chosen              bool
		shift, scale, shape float64
		urban, rural        float64
		officers            int
		cost                float64
		notes               string
	}{
		{"Current: 5 ARVs at 3 bases", false, 4, 11, 1.6, 0.84, 0.77, 57, 0, "As crewed today."},
		{"5 ARVs at optimised standby points", false, 4, 9.5, 1.7, 0.88, 0.81, 57, 30000, "Same crews; ARVs wait at four standby points."},
		{"6 ARVs at optimised standby points", true, 4, 8.2, 1.8, 0.913, 0.84, 68, 710000, "One more ARV on every shift."},
		{"4 ARVs at optimised standby points", false, 4, 12.5, 1.5, 0.78, 0.70, 46, -730000, "Saves one crew; rural cover falls."},
		{"Current plus a night-time ARV", false, 4, 10.2, 1.6, 0.86, 0.79, 63, 460000, "Extra ARV 22:00–06:00 only."},
		{"Move Westcombe ARV to Longmere", false, 4, 10.6, 1.6, 0.85, 0.78, 57, math.NaN(), "Base move; no new posts. Estate costs not known."},
		{"7 ARVs at optimised standby points (upper bound on what more vehicles buy)", false, 4, 7.6, 1.9, 0.94, 0.88, 79, 1.43e6, "Diminishing returns."},
	}
	for _, o := range options {
		cdf := weibullCDF(o.shift, o.scale, o.shape)
		med, p90 := quantileOf(cdf, 0.5), quantileOf(cdf, 0.9)
		d.WhatIfs = append(d.WhatIfs, WhatIfRow{
			Name: o.name, Chosen: o.chosen, Median: med, P90: p90,
			UrbanWithin: o.urban, RuralWithin: o.rural, Officers: o.officers, CostPerYear: o.cost,
			MedianCI: Range{med - 0.3, med + 0.3}, P90CI: Range{p90 - 0.7, p90 + 0.7},
			UrbanCI: Range{o.urban - 0.012, o.urban + 0.011}, RuralCI: Range{o.rural - 0.015, o.rural + 0.014},
			Notes: o.notes, CDF: cdf,
		})
	}
	d.WhatIfs[2].Description = "One more ARV, crewed on every shift, at four optimised standby points."
	d.WhatIfs = append(d.WhatIfs, WhatIfRow{
		Name: "Armed patrols at protected sites", NotApplicable: true,
		Notes: "The county has no protected sites with armed patrols.", CDF: weibullCDF(4, 11, 1.6),
	})

	for u := 2; u <= 10; u++ {
		x := float64(u)
		p := CoveragePoint{
			Units:     u,
			Covered:   1 - 0.8*math.Exp(-0.42*(x-1)),
			Expected:  1 - 0.85*math.Exp(-0.36*(x-1)),
			Simulated: math.NaN(),
		}
		if u >= 4 && u <= 7 {
			p.Simulated = p.Expected - 0.03
		}
		switch u {
		case 5:
			p.Label = "current"
		case 6:
			p.Label = "proposed"
		}
		d.Coverage = append(d.Coverage, p)
	}

	bases := []string{"Northbridge", "Northbridge", "Abbots Lea", "Abbots Lea", "Kingsford", "Kingsford"}
	for i := range 6 {
		util := 0.08 + 0.03*float64(i%3)
		d.Utilisation = append(d.Utilisation, Bar{Label: fmt.Sprintf("ARV %d", i+1), Detail: bases[i], Utilisation: util, Crewed: 0.97 - 0.04*float64(i%2)})
		d.Hypercube = append(d.Hypercube, Workload{
			Label: fmt.Sprintf("ARV %d", i+1), Hypercube: util * 0.92, Simulated: util,
			HypercubeCalls: 1.0/6 + 0.02*float64(i%3-1), SimulatedCalls: 1.0/6 + 0.025*float64(i%3-1),
		})
	}
	d.Utilisation[5].Crewed = math.NaN() // one vehicle without a figure

	d.Staffing = []Step{
		{Label: "ARVs on duty, every hour", Value: 6, Unit: "ARVs", Source: "recommended option"},
		{Label: "Officers per ARV", Value: 2, Unit: "AFOs", Source: "APP Armed Policing: double crewing"},
		{Label: "Posts to fill", Value: 12, Unit: "posts", Formula: "6 × 2"},
		{Label: "Hours a year per post", Value: 8760, Unit: "h", Formula: "365 × 24"},
		{Label: "Available hours per officer", Value: 1546.4, Unit: "h/year", Formula: "1,904 × (1 − 0.188)", Source: "assumption: 18.8% abstraction"},
		{Label: "Officers needed", Value: 67.98, Unit: "AFOs", Formula: "12 × 8,760 ÷ 1,546.4", Source: "arithmetic"},
		{Label: "Officers to recruit and keep", Value: 68, Unit: "AFOs", Formula: "⌈67.98⌉", Total: true},
		{Label: "Cost of the extra officers", Value: 710000, Unit: "£ a year", Formula: "11 × £64,545", Source: "assumption: salary and on-costs"},
	}
	d.Recruitment = []Step{
		{Label: "Officers leaving a year", Value: 6.8, Unit: "officers", Formula: "68 × 0.1", Source: "assumption: 10% a year"},
		{Label: "Share of applicants who reach an ARV", Value: 0.315, Formula: "0.8 × 0.85 × 0.85 × 0.75 × 0.85 × 0.9 × 0.95"},
		{Label: "Applicants needed", Value: 21.6, Unit: "a year", Formula: "6.8 / 0.315", Total: true},
	}
	d.Standby = []Step{
		{Label: "Candidate standby points", Value: 41, Unit: "sites", Source: "police estate and fuel stations"},
		{Label: "Demand points", Value: 30, Unit: "points", Source: "synthetic"},
		{Label: "Chosen points", Text: "Northbridge, Abbots Lea, Kingsford, Tidmouth", Formula: "maximal covering, 15/20 min", Total: true},
	}
	d.Tables = []Table{{
		Title:   "Response by settlement",
		Caption: "Median minutes from the chosen standby points, from the simulator.",
		Columns: []string{"Settlement", "Class", "Incidents", "Median", "Within target"},
		Rows: [][]string{
			{"Northbridge", "urban", "1,204", "9.8 min", "95.1%"},
			{"Kingsford", "urban", "812", "10.4 min", "93.0%"},
			{"Westcombe", "urban", "466", "16.9 min", "41.2%"},
			{"Rural cells", "rural", "1,950", "18.2 min", "61.7%"},
		},
	}}
	d.Notes = []string{
		"All figures are modelled estimates from a synthetic scenario, not measurements.",
		"Travel times assume blue-light speeds by road class; see the scenario for sources.",
		"Costs are £74,500 a year per firearms officer, an assumption.",
		"Road data: synthetic. With OpenStreetMap data: © OpenStreetMap contributors, ODbL 1.0.",
	}
	return d
}
