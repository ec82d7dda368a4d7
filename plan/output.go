package plan

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/arv-project/arv/hypercube"
	"github.com/arv-project/arv/locate"
	"github.com/arv-project/arv/report"
	"github.com/arv-project/arv/sim"
)

// JSON types of WriteJSON.
type (
	jsonSite struct {
		Name string  `json:"name"`
		Kind string  `json:"kind"`
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
		ARVs int     `json:"arvs"`
	}
	jsonModel struct {
		Model   string     `json:"model"`
		Today   float64    `json:"today"`
		Value   float64    `json:"value"`
		Bound   float64    `json:"bound"`
		Gap     float64    `json:"gap"`
		Optimal bool       `json:"optimal"`
		Unit    string     `json:"unit"`
		Sites   []jsonSite `json:"sites"`
	}
	jsonCoverage struct {
		ARVs     int     `json:"arvs"`
		Covered  float64 `json:"covered"`
		Expected float64 `json:"expected_covered"`
	}
	jsonOption struct {
		Models      string      `json:"models"`
		Sites       []jsonSite  `json:"sites"`
		Recommended bool        `json:"recommended"`
		Result      *sim.Result `json:"result"`
	}
	jsonPlan struct {
		Force       string            `json:"force"`
		Scenario    string            `json:"scenario"`
		Seed        uint64            `json:"seed"`
		Years       float64           `json:"years"`
		Reps        int               `json:"replications"`
		Baseline    *sim.Result       `json:"baseline"`
		Unavailable float64           `json:"arv_unavailable_share"`
		Standby     []jsonModel       `json:"standby"`
		Options     []jsonOption      `json:"standby_simulated"`
		WhatIfs     []Row             `json:"what_ifs"`
		Coverage    []jsonCoverage    `json:"coverage_curve"`
		Curve       []CurvePoint      `json:"arv_curve"`
		Staffing    StaffingResult    `json:"staffing"`
		Selection   SelectionResult   `json:"selection"`
		Hypercube   *hypercube.Result `json:"hypercube"`
	}
)

// WriteJSON writes the plan's results for tools, as indented JSON: the
// simulations, the location models' answers with their bounds, the
// what-ifs, the curves, staffing, selection and the hypercube. Figures
// without a value are null.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p.jsonData())
}

func (p *Plan) jsonData() jsonPlan {
	total := p.demandTotal()
	sites := func(v []int) []jsonSite {
		var out []jsonSite
		n := map[int]int{}
		for _, c := range v {
			n[c]++
		}
		for _, c := range dedupe(v) {
			cd := p.cands[c]
			out = append(out, jsonSite{cd.Label, cd.Kind, cd.Point.Lat, cd.Point.Lon, n[c]})
		}
		return out
	}
	share := func(v float64) float64 { return v / math.Max(total, 1e-300) }
	model := func(name string, today float64, sol locate.Solution, unit string, f func(float64) float64) jsonModel {
		return jsonModel{name, f(today), f(sol.Value), f(sol.Bound), sol.Gap, sol.Optimal, unit, sites(sol.Sites)}
	}
	same := func(v float64) float64 { return v }
	models := []jsonModel{
		model("maximal covering", p.curVal[locate.MaxCover], p.cover, "share of incidents within target", share),
		model("expected covering", p.curVal[locate.ExpectedCover], p.expected, "expected share of incidents within target", share),
		model("p-median", p.curVal[locate.PMedian], p.pmed, "mean drive minutes", same),
	}
	var opts []jsonOption
	for k, o := range p.Standby {
		opts = append(opts, jsonOption{o.Models, sites(o.sites), k == p.Recommended, o.Result})
	}
	var cov []jsonCoverage
	for k := range p.curveMax {
		c := jsonCoverage{ARVs: len(p.curveMax[k].Sites), Covered: share(p.curveMax[k].Value)}
		if k < len(p.curveExp) {
			c.Expected = share(p.curveExp[k].Value)
		}
		cov = append(cov, c)
	}
	return jsonPlan{p.Scenario.Force.Name, p.Source, p.Options.Seed, p.Options.Years, p.Options.Replications, p.Baseline, p.busy,
		models, opts, p.WhatIfs, cov, p.Curve, p.Staffing, p.Selection, p.Workload}
}

// CSVFile is one table of the report as a CSV file.
type CSVFile struct {
	// Name is the file's name ("what-ifs.csv").
	Name string
	// Rows are the header and the rows.
	Rows [][]string
}

// Write writes the file's rows as CSV to w.
func (f CSVFile) Write(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.WriteAll(f.Rows)
	return cw.Error()
}

// CSVFiles returns each table of the report d as a CSV file: the
// what-ifs, the coverage curve, utilisation, the hypercube, the
// staffing, recruitment and standby arithmetic, and d's other tables.
// Figures without a value are empty cells.
func CSVFiles(d *report.Data) []CSVFile {
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	var out []CSVFile
	file := func(name string, header []string, rows [][]string) {
		out = append(out, CSVFile{Name: name, Rows: append([][]string{header}, rows...)})
	}
	var rows [][]string
	for _, r := range d.WhatIfs {
		rows = append(rows, []string{r.Name, num(r.Median), num(r.MedianCI.Low), num(r.MedianCI.High), num(r.P90), num(r.UrbanWithin), num(r.RuralWithin), strconv.Itoa(r.Officers), num(r.CostPerYear), r.Notes})
	}
	file("what-ifs.csv", []string{"option", "median_minutes", "median_low", "median_high", "p90_minutes", "urban_within_target", "rural_within_target", "officers_needed", "cost_per_year_gbp", "notes"}, rows)
	rows = nil
	for _, c := range d.Coverage {
		rows = append(rows, []string{strconv.Itoa(c.Units), num(c.Covered), num(c.Expected), num(c.Simulated)})
	}
	file("coverage.csv", []string{"arvs", "covered_share", "expected_covered_share", "simulated_within_target"}, rows)
	rows = nil
	for _, u := range d.Utilisation {
		rows = append(rows, []string{u.Label, u.Detail, num(u.Utilisation), num(u.Crewed)})
	}
	file("utilisation.csv", []string{"arv", "base", "utilisation", "crewed"}, rows)
	rows = nil
	for _, h := range d.Hypercube {
		rows = append(rows, []string{h.Label, num(h.Hypercube), num(h.Simulated), num(h.HypercubeCalls), num(h.SimulatedCalls)})
	}
	file("hypercube.csv", []string{"arv", "hypercube_workload", "simulated_utilisation", "hypercube_share_of_calls", "simulated_share_of_calls"}, rows)
	for _, st := range []struct {
		name  string
		steps []report.Step
	}{{"staffing.csv", d.Staffing}, {"recruitment.csv", d.Recruitment}, {"standby.csv", d.Standby}} {
		rows = nil
		for _, s := range st.steps {
			v := s.Text
			if v == "" {
				v = num(s.Value)
			}
			rows = append(rows, []string{s.Label, v, s.Unit, s.Formula, s.Source})
		}
		file(st.name, []string{"step", "value", "unit", "formula", "source"}, rows)
	}
	for _, t := range d.Tables {
		file(strings.ToLower(strings.ReplaceAll(t.Title, " ", "-"))+".csv", t.Columns, t.Rows)
	}
	return out
}
