package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planJSON is the part of arv plan --json the tests read.
type planJSON struct {
	Seed     uint64 `json:"seed"`
	Baseline struct {
		All struct {
			Incidents int `json:"incidents"`
		} `json:"all"`
	} `json:"baseline"`
	Standby []struct {
		Model   string  `json:"model"`
		Today   float64 `json:"today"`
		Value   float64 `json:"value"`
		Bound   float64 `json:"bound"`
		Gap     float64 `json:"gap"`
		Optimal bool    `json:"optimal"`
		Sites   []struct {
			Name string `json:"name"`
			ARVs int    `json:"arvs"`
		} `json:"sites"`
	} `json:"standby"`
	Options []struct {
		Models      string `json:"models"`
		Recommended bool   `json:"recommended"`
	} `json:"standby_simulated"`
	WhatIfs []struct {
		Key     string `json:"key"`
		Applies bool   `json:"applies"`
		Figures struct {
			P90 struct {
				Mean float64 `json:"mean"`
			} `json:"p90"`
		} `json:"figures"`
	} `json:"what_ifs"`
	Coverage []struct {
		ARVs     int     `json:"arvs"`
		Covered  float64 `json:"covered"`
		Expected float64 `json:"expected_covered"`
	} `json:"coverage_curve"`
	Staffing struct {
		Needed int `json:"needed"`
	} `json:"staffing"`
	Hypercube *struct {
		Workload []float64 `json:"workload"`
	} `json:"hypercube"`
}

func readPlanJSON(t *testing.T, path string) planJSON {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p planJSON
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// TestPlanWiltshire runs the whole plan on the built-in Wiltshire
// scenario and checks the answers against what must hold whatever the
// numbers: an optimum is never worse than today's bases (which are a
// feasible answer) nor better than its bound, coverage grows with ARVs,
// and one standby set is recommended.
func TestPlanWiltshire(t *testing.T) {
	dir := t.TempDir()
	html, js, csvs := filepath.Join(dir, "w.html"), filepath.Join(dir, "w.json"), filepath.Join(dir, "csv")
	out := mustRun(t, "plan", "--out", html, "--json", js, "--csv", csvs)
	for _, want := range []string{"How long until armed officers arrive?", "How many officers keep a full complement?", "(recommended)", "Baseline", "Arm every officer", "Wrote " + html} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<title>", "Wiltshire Police", "Standby optimisation", "Response by settlement", "Notes and sources"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"<script src=", "<link rel=\"stylesheet\" href=\"http", "NaN", "%!"} {
		if strings.Contains(page, bad) {
			t.Errorf("report contains %q", bad)
		}
	}

	p := readPlanJSON(t, js)
	if p.Baseline.All.Incidents == 0 {
		t.Error("baseline simulated no incidents")
	}
	if len(p.Standby) != 3 {
		t.Fatalf("%d standby models, want 3", len(p.Standby))
	}
	for _, m := range p.Standby {
		arvs := 0
		for _, s := range m.Sites {
			arvs += s.ARVs
		}
		if arvs != 3 {
			t.Errorf("%s places %d ARVs, want 3", m.Model, arvs)
		}
		if m.Gap < 0 || (m.Optimal && m.Gap > 1e-9) {
			t.Errorf("%s: gap %v, optimal %v", m.Model, m.Gap, m.Optimal)
		}
		const eps = 1e-9
		if m.Model == "p-median" {
			if m.Value > m.Today+eps || m.Value < m.Bound-eps {
				t.Errorf("p-median: %v minutes, today %v, bound %v: want bound ≤ value ≤ today", m.Value, m.Today, m.Bound)
			}
			continue
		}
		if m.Value < m.Today-eps || m.Value > m.Bound+eps || m.Value > 1+eps {
			t.Errorf("%s: covers %v, today %v, bound %v: want today ≤ value ≤ bound ≤ 1", m.Model, m.Value, m.Today, m.Bound)
		}
	}
	rec := 0
	for _, o := range p.Options {
		if o.Recommended {
			rec++
		}
	}
	if len(p.Options) == 0 || rec != 1 {
		t.Errorf("%d simulated standby sets with %d recommended, want at least one with exactly one", len(p.Options), rec)
	}
	for k := 1; k < len(p.Coverage); k++ {
		a, b := p.Coverage[k-1], p.Coverage[k]
		if b.ARVs != a.ARVs+1 || b.Covered < a.Covered-1e-9 || b.Expected < a.Expected-1e-9 || b.Expected > b.Covered+1e-9 {
			t.Errorf("coverage curve %+v then %+v: want one more ARV to cover no less, expected ≤ covered", a, b)
		}
	}
	if len(p.Coverage) != 5 {
		t.Errorf("coverage curve has %d points, want 1..5 ARVs", len(p.Coverage))
	}
	if p.Staffing.Needed <= 0 {
		t.Errorf("staffing needs %d officers", p.Staffing.Needed)
	}
	if p.Hypercube == nil || len(p.Hypercube.Workload) != 3 {
		t.Errorf("hypercube = %+v, want 3 workloads", p.Hypercube)
	}

	// One CSV per table, each with its header and the what-ifs all there.
	f, err := os.Open(filepath.Join(csvs, "what-ifs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(p.WhatIfs) + len(p.Options); len(rows) != want {
		t.Errorf("what-ifs.csv has %d lines, want %d (header, what-ifs, standby sets)", len(rows), want)
	}
	for _, name := range []string{"coverage.csv", "utilisation.csv", "hypercube.csv", "staffing.csv", "recruitment.csv", "standby.csv", "standby-optimisation.csv", "response-by-settlement.csv"} {
		if fi, err := os.Stat(filepath.Join(csvs, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPlanErrors checks that bad input is refused with a clear message,
// the usage status, and no report written.
func TestPlanErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.html")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--reps", "0"}, 2, "--reps"},
		{[]string{"--years", "-1"}, 2, "--years"},
		{[]string{"--scenario", "atlantis"}, 1, "atlantis"},
		{[]string{"--set", "demand.incidents_per_year=-5"}, 1, "incidents_per_year"},
		{[]string{"--set", "nonsense"}, 2, "key.path=value"},
		{[]string{"stray"}, 2, "stray"},
		{[]string{"--keep", "Atlantis"}, 2, `--keep "Atlantis": the scenario has no base or standby point of that id or name`},
	} {
		_, errs, code := run(t, append([]string{"plan", "--out", out}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("plan %v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed plan left %s (%v)", out, err)
	}
	// A destination that cannot be written is refused before the work.
	for _, flag := range []string{"--out", "--json"} {
		bad := filepath.Join(dir, "missing", "x")
		_, errs, code := run(t, "plan", flag, bad)
		if code != 2 || !strings.Contains(errs, filepath.Dir(bad)) || strings.Contains(errs, "simulating") {
			t.Errorf("plan %s %s: exit %d, %q; want exit 2 before simulating", flag, bad, code, errs)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
