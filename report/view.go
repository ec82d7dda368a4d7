package report

import (
	"cmp"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
)

// view is what the template shows: Data with every number formatted,
// every figure drawn and every section numbered.
type view struct {
	CSS       template.CSS
	Title     string
	Force     string
	Scenario  string
	Generated string
	Marking   string
	Summary   []string
	Targets   string
	Headline  []Headline
	// AnswerCols is the class that lays out the answers: "cols-1" to
	// "cols-4", or "cols-many".
	AnswerCols string
	Contents   []*section

	Map      *section
	WhatIfs  *section
	Coverage *section
	Util     *section
	Hyper    *section
	Staffing *section
	Recruit  *section
	Standby  *section
	Tables   []*section
	Notes    *section

	WhatIfRows   []whatIfView
	WhatIfCols   whatIfCols
	WhatIfCIs    bool
	CoverageRows []coverageView
	HasSimulated bool
	HyperRows    []hyperView
	NotesText    []string
}

// section is one numbered part of the report.
type section struct {
	ID      string
	Num     int
	Title   string
	Caption string
	Figures []figure
	Table   *tableView
	Steps   []stepView
}

// figure is one numbered chart or map.
type figure struct {
	Num     int
	Title   string
	Caption string
	SVG     template.HTML
}

type whatIfCols struct{ Urban, Rural string }

type whatIfView struct {
	Swatch                            template.HTML
	Name, Description, Notes          string
	Chosen, NotApplicable             bool
	Median, P90                       string
	Urban, Rural                      string
	MedianCI, P90CI, UrbanCI, RuralCI string
	Officers, CostPerYear             string
}

type coverageView struct {
	Units                        int
	Covered, Expected, Simulated string
	Label                        string
}

type hyperView struct {
	Label                          string
	Hyper, Sim, Diff               string
	HyperCalls, SimCalls, CallDiff string
}

type stepView struct {
	Label, Value, Unit, Formula, Source string
	Total                               bool
	// Text is set when Value is words, not a number: it may wrap.
	Text bool
}

type tableView struct {
	Num     int
	Title   string
	Caption string
	Columns []cellView
	Rows    [][]cellView
}

type cellView struct {
	Text string
	Num  bool
}

// newView prepares d for the template.
func newView(d *Data, css string) *view {
	v := &view{
		CSS:       template.CSS(css), // our own embedded file
		Title:     cmp.Or(strings.TrimSpace(d.Title), "Armed response plan"),
		Force:     d.Force,
		Scenario:  d.Scenario,
		Generated: d.Generated,
		Marking:   d.Marking,
		Summary:   d.Summary,
		Targets:   targetsText(d.Targets),
		Headline:  d.Headline,
	}
	switch n := len(d.Headline); {
	case n <= 4:
		v.AnswerCols = "cols-" + strconv.Itoa(max(n, 1))
	default:
		v.AnswerCols = "cols-many"
	}
	c := d.Captions
	fig, tab := 0, 0
	add := func(id, title, caption string) *section {
		s := &section{ID: id, Num: len(v.Contents) + 1, Title: title, Caption: caption}
		v.Contents = append(v.Contents, s)
		return s
	}
	addFig := func(s *section, title, caption string, svg template.HTML) {
		if svg == "" {
			return
		}
		fig++
		s.Figures = append(s.Figures, figure{Num: fig, Title: title, Caption: caption, SVG: svg})
	}
	tt := v.Targets
	within := "within the target"
	if tt != "" {
		within = "within " + tt
	}

	// The map.
	if m := drawMap(&d.Map, d.Targets, "Map of the force area"); m != "" {
		v.Map = add("map", "The force area", "")
		addFig(v.Map, "The force area: demand, bases, standby points and travel times",
			cmp.Or(c.Map, mapCaption(&d.Map, tt)), m)
	}

	// What-ifs: table and distribution chart.
	if len(d.WhatIfs) > 0 {
		v.WhatIfs = add("options", "Options compared", cmp.Or(c.WhatIfs,
			"Response times run from the 999 call to the first armed officers on scene. Urban incidents are counted against the urban target and rural incidents against the rural target."))
		tab++
		v.WhatIfs.Table = &tableView{Num: tab, Title: "Options compared"}
		v.WhatIfCols = whatIfCols{Urban: "Urban within target", Rural: "Rural within target"}
		if m := d.Targets.UrbanMinutes; m > 0 && finite(m) {
			v.WhatIfCols.Urban = "Urban within " + fmtValue(m) + " min"
		}
		if m := d.Targets.RuralMinutes; m > 0 && finite(m) {
			v.WhatIfCols.Rural = "Rural within " + fmtValue(m) + " min"
		}
		hasCDF := drawCDF(d.WhatIfs, d.Targets, "Response times by option")
		for i, w := range d.WhatIfs {
			row := whatIfView{
				Name: cmp.Or(w.Name, "Option "+strconv.Itoa(i+1)), Description: w.Description, Notes: w.Notes,
				Chosen: w.Chosen && !w.NotApplicable, NotApplicable: w.NotApplicable,
				Median: dash, P90: dash, Urban: dash, Rural: dash, Officers: dash, CostPerYear: dash,
			}
			if !w.NotApplicable {
				row.Median, row.P90 = fmtMinutes(w.Median), fmtMinutes(w.P90)
				row.Urban, row.Rural = fmtShare(w.UrbanWithin), fmtShare(w.RuralWithin)
				row.MedianCI, row.P90CI = fmtRange(w.MedianCI, fmtMinutes, ""), fmtRange(w.P90CI, fmtMinutes, "")
				row.UrbanCI, row.RuralCI = fmtRange(w.UrbanCI, shareNumber, "%"), fmtRange(w.RuralCI, shareNumber, "%")
				row.Officers, row.CostPerYear = fmtCount(w.Officers), fmtMoneyChange(w.CostPerYear)
				if row.MedianCI+row.P90CI+row.UrbanCI+row.RuralCI != "" {
					v.WhatIfCIs = true
				}
			}
			if hasCDF != "" && drawable(w) {
				row.Swatch = swatch(i, row.Chosen)
			}
			v.WhatIfRows = append(v.WhatIfRows, row)
		}
		addFig(v.WhatIfs, "Share of incidents reached against time, by option", cmp.Or(c.CDF,
			"Each line shows the share of incidents reached within the minutes on the horizontal axis: higher and further left is better. Dashed vertical lines mark the targets; the dotted line, the share of incidents the standard requires."), hasCDF)
	}

	// Coverage curve.
	if svg := drawCoverage(d.Coverage, d.Targets, "Coverage against the number of ARVs"); svg != "" {
		v.Coverage = add("coverage", "How many ARVs", "")
		addFig(v.Coverage, "Demand covered against the number of ARVs", cmp.Or(c.Coverage,
			"Covered: the share of demand "+within+" of a standby point when the points are placed optimally and every ARV is free. Expected: the same allowing for ARVs being busy on other incidents (the maximum expected covering location model, MEXCLP). Simulator: the share of incidents within target in the full simulation, where run."), svg)
		for _, p := range d.Coverage {
			cv := coverageView{Units: p.Units, Covered: fmtShare(p.Covered), Expected: fmtShare(p.Expected), Simulated: fmtShare(p.Simulated), Label: p.Label}
			if finite(p.Simulated) && p.Simulated > 0 {
				v.HasSimulated = true
			}
			v.CoverageRows = append(v.CoverageRows, cv)
		}
		sortCoverage(v.CoverageRows)
		tab++
		v.Coverage.Table = &tableView{Num: tab, Title: "Coverage against the number of ARVs"}
	}

	// Utilisation.
	if svg := drawUtilisation(d.Utilisation, "Utilisation by ARV"); svg != "" {
		v.Util = add("utilisation", "ARV workload", "")
		addFig(v.Util, "Crewing and utilisation by ARV", cmp.Or(c.Utilisation,
			"Crewed: the share of all time the ARV had its crew. Utilisation: the share of its crewed time spent travelling to or at incidents. High utilisation means longer waits when a second incident arrives."), svg)
	}

	// Hypercube against simulator.
	if svg := drawHypercube(d.Hypercube, "Hypercube model against the simulator"); svg != "" {
		v.Hyper = add("hypercube", "Model check: hypercube against simulator", cmp.Or(c.Hypercube,
			"The hypercube queueing model (Larson, 1974) computes each ARV's workload and share of calls from the travel times and demand alone; the simulator adds shifts, crewing, authorisation and patrols. Close agreement supports both; large differences point to what the queueing model leaves out."))
		addFig(v.Hyper, "Workload and share of calls by ARV, two methods", "", svg)
		for i, h := range d.Hypercube {
			v.HyperRows = append(v.HyperRows, hyperView{
				Label: cmp.Or(h.Label, "ARV "+strconv.Itoa(i+1)),
				Hyper: fmtShare(h.Hypercube), Sim: fmtShare(h.Simulated), Diff: fmtPoints(h.Simulated - h.Hypercube),
				HyperCalls: fmtShare(h.HypercubeCalls), SimCalls: fmtShare(h.SimulatedCalls), CallDiff: fmtPoints(h.SimulatedCalls - h.HypercubeCalls),
			})
		}
		tab++
		v.Hyper.Table = &tableView{Num: tab, Title: "Workload and share of calls by ARV"}
	}

	if v.WhatIfCIs && v.WhatIfs != nil {
		v.WhatIfs.Caption += " Ranges under the figures are 95% confidence intervals over the replications."
	}

	// Arithmetic.
	// addSteps adds a section of worked steps with its table, or nothing
	// (nil) when there are no steps.
	addSteps := func(id, title, caption string, steps []Step, table string) *section {
		if len(steps) == 0 {
			return nil
		}
		s := add(id, title, caption)
		s.Steps = steps2view(steps)
		tab++
		s.Table = &tableView{Num: tab, Title: table}
		return s
	}
	v.Staffing = addSteps("staffing", "Officers needed", cmp.Or(c.Staffing,
		"From the ARVs to keep on duty to the number of firearms officers the force needs. Each line gives its formula and the source of its inputs."),
		d.Staffing, "Staffing arithmetic")
	v.Recruit = addSteps("recruitment", "Recruiting firearms officers", cmp.Or(c.Recruitment,
		"From the officers who leave each year to the applicants needed to replace them: each stage of selection and training, its pass rate and how long it takes. Firearms officers volunteer; they cannot be posted."),
		d.Recruitment, "Selection and training pipeline")
	v.Standby = addSteps("standby", "Choosing the standby points", cmp.Or(c.Standby,
		"How the standby points and the number of ARVs were chosen."),
		d.Standby, "Standby point reasoning")

	// Further tables.
	for i, t := range d.Tables {
		if len(t.Columns) == 0 && len(t.Rows) == 0 {
			continue
		}
		tab++
		s := add("table-"+strconv.Itoa(i+1), cmp.Or(t.Title, "Table "+strconv.Itoa(tab)), "")
		s.Table = tableOf(&t, tab)
		v.Tables = append(v.Tables, s)
	}

	if len(d.Notes) > 0 {
		v.Notes = add("notes", "Notes and sources", "")
		v.NotesText = d.Notes
	}
	return v
}

// mapCaption is the default caption of the map.
func mapCaption(m *Map, targets string) string {
	var parts []string
	if len(m.Demand) > 0 {
		p := "Circles are demand points, their area proportional to demand and their colour the response time against the target"
		if targets != "" {
			p += " (" + targets + ")"
		}
		parts = append(parts, p+".")
	}
	if len(m.Standby) > 0 {
		parts = append(parts, "Diamonds are the optimised standby points.")
	}
	if len(m.Isochrones) > 0 {
		parts = append(parts, "Shaded bands are the areas an ARV reaches from them within each time, darker for shorter times.")
	}
	parts = append(parts, "Travel times are modelled, not measured; hover over a point for its figures.")
	return strings.Join(parts, " ")
}

// fmtRange formats an interval with f and a unit: "12.1–12.7", or ""
// for no interval.
func fmtRange(r Range, f func(float64) string, unit string) string {
	if !r.valid() {
		return ""
	}
	return f(r.Low) + "–" + f(r.High) + unit
}

// shareNumber formats a share 0..1 as a percentage without the sign:
// "83.2".
func shareNumber(x float64) string { return strings.TrimSuffix(fmtShare(x), "%") }

// fmtPoints formats a difference of shares in percentage points.
func fmtPoints(x float64) string {
	if !finite(x) {
		return dash
	}
	x = math.Round(x*1000) / 10
	switch {
	case x > 0:
		return "+" + strconv.FormatFloat(x, 'f', 1, 64) + " pp"
	case x < 0:
		return "−" + strconv.FormatFloat(-x, 'f', 1, 64) + " pp"
	}
	return "0.0 pp"
}

// sortCoverage orders rows by the number of ARVs.
func sortCoverage(r []coverageView) {
	slices.SortStableFunc(r, func(a, b coverageView) int { return cmp.Compare(a.Units, b.Units) })
}

// steps2view formats lines of arithmetic.
func steps2view(steps []Step) []stepView {
	out := make([]stepView, len(steps))
	for i, s := range steps {
		sv := stepView{Label: s.Label, Value: cmp.Or(s.Text, fmtValue(s.Value)), Unit: s.Unit, Formula: s.Formula, Source: s.Source, Total: s.Total, Text: s.Text != ""}
		if rest, ok := strings.CutPrefix(s.Unit, "£"); ok && s.Text == "" {
			sv.Value = fmtMoneyChange(s.Value)
			if s.Value > 0 {
				sv.Value = strings.TrimPrefix(sv.Value, "+")
			}
			sv.Unit = strings.TrimSpace(rest)
		}
		out[i] = sv
	}
	return out
}

// tableOf formats a further table, right-aligning numeric columns.
func tableOf(t *Table, n int) *tableView {
	ncol := len(t.Columns)
	if ncol == 0 {
		for _, r := range t.Rows {
			ncol = max(ncol, len(r))
		}
	}
	numeric := make([]bool, ncol)
	for c := range ncol {
		seen := false
		ok := true
		for _, r := range t.Rows {
			if c >= len(r) {
				continue
			}
			cell := strings.TrimSpace(r[c])
			if cell != "" && cell != dash {
				seen = true
			}
			if !numericCell(cell) {
				ok = false
				break
			}
		}
		numeric[c] = ok && seen && c > 0
	}
	tv := &tableView{Num: n, Title: t.Title, Caption: t.Caption}
	for c := range ncol {
		name := ""
		if c < len(t.Columns) {
			name = t.Columns[c]
		}
		tv.Columns = append(tv.Columns, cellView{Text: name, Num: numeric[c]})
	}
	for _, r := range t.Rows {
		row := make([]cellView, ncol)
		for c := range ncol {
			if c < len(r) {
				row[c].Text = r[c]
			}
			row[c].Num = numeric[c]
		}
		tv.Rows = append(tv.Rows, row)
	}
	return tv
}
