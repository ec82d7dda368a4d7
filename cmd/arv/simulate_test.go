package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/arv-project/arv/sim"
)

func TestSimulateDefault(t *testing.T) {
	out := mustRun(t, "simulate", "--years", "1", "--reps", "4")
	for _, want := range []string{
		"Wiltshire Police: simulated armed response",
		"Response time, 999 call to first armed officers on scene (minutes)",
		"Urban (target 15 min)", "Rural (target 20 min)",
		"Time with no ARV free to send", "ARV1", "Swindon", "dispersed rural",
		"Note: Built-in strategic road network",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestSimulateDeterministic runs the same seed twice and a different seed
// once: the first two outputs must be byte-identical, the third differ.
func TestSimulateDeterministic(t *testing.T) {
	a := mustRun(t, "simulate", "--years", "1", "--reps", "3", "--seed", "42", "--workers", "1")
	b := mustRun(t, "simulate", "--years", "1", "--reps", "3", "--seed", "42", "--workers", "3")
	c := mustRun(t, "simulate", "--years", "1", "--reps", "3", "--seed", "43")
	if a != b {
		t.Fatal("the same seed gave different output")
	}
	if a == c {
		t.Fatal("different seeds gave the same output")
	}
}

func TestSimulateFormats(t *testing.T) {
	var res sim.Result
	out := mustRun(t, "simulate", "--scenario", "kent", "--years", "1", "--reps", "2", "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	o := res.Outcomes
	if res.Scenario != "kent" || o.Incidents == 0 || o.Responded+o.MutualAid+o.StoodDown+o.EnRoute+o.Waiting != o.Incidents {
		t.Fatalf("result %+v", o)
	}
	if len(res.ARVs) == 0 || res.All.Mean.Mean <= 0 {
		t.Fatalf("result %+v", res)
	}
	out = mustRun(t, "simulate", "--years", "1", "--reps", "2", "--csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 || strings.Join(rows[0], ",") != "section,name,figure,mean,low,high" {
		t.Fatalf("csv header %v, %d rows", rows[0], len(rows))
	}
}

// TestSimulateSet checks that --set reaches the model: doubling demand
// doubles the incidents a year.
func TestSimulateSet(t *testing.T) {
	var base, more sim.Result
	json.Unmarshal([]byte(mustRun(t, "simulate", "--years", "2", "--reps", "4", "--json")), &base)
	json.Unmarshal([]byte(mustRun(t, "simulate", "--years", "2", "--reps", "4", "--json", "--set", "demand.incidents_per_year=408")), &more)
	r := more.IncidentsPerYear.Mean / base.IncidentsPerYear.Mean
	if r < 1.8 || r > 2.2 {
		t.Fatalf("incidents a year %v then %v: ratio %.2f, want about 2", base.IncidentsPerYear.Mean, more.IncidentsPerYear.Mean, r)
	}
}

func TestSimulateErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"simulate", "--reps", "0"}, 2, "--reps must be between 1 and 10000"},
		{[]string{"simulate", "--json", "--csv"}, 2, "not both"},
		{[]string{"simulate", "--scenario", "devon"}, 1, "devon"},
		{[]string{"simulate", "--set", "demand.incidents_per_year=-5"}, 1, "demand.incidents_per_year"},
		{[]string{"simulate", "--set", "arvs[0].base=nowhere"}, 1, `unknown base "nowhere"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errs, code := run(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errs, tc.code, tc.want)
			}
		})
	}
}
