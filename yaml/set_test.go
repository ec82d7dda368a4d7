package yaml

import (
	"reflect"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// setDoc is a small file in the styles scenario files use.
const setDoc = `# header comment
name: test   # the name
force:
  name: Test Police
  population: 1000
network: {builtin: wiltshire}
arvs:
  - call_sign: A1   # first
    crew: 2
    shifts: [early, late]
  - {call_sign: A2, crew: 2}
demand:
  incidents_per_year: 204   # national rate
  hour_of_day:
    - 1
    - 2
  on_scene:
    dist: fixed
    mean: 90
description: |
  Two lines
  of text.
demand_grid:
simulation:
  seed: 1
# trailing comment
`

func TestSet(t *testing.T) {
	cases := []struct {
		name        string
		assignments []string
		old, new    string // the one change to setDoc
	}{
		{"number keeps its comment", []string{"demand.incidents_per_year=300"},
			"incidents_per_year: 204   # national rate", "incidents_per_year: 300   # national rate"},
		{"list item field", []string{"arvs[0].crew=3"}, "    crew: 2\n    shifts", "    crew: 3\n    shifts"},
		{"flow mapping item", []string{"arvs[1].crew=4"}, "{call_sign: A2, crew: 2}", "{call_sign: A2, crew: 4}"},
		{"seed", []string{"simulation.seed=7"}, "  seed: 1", "  seed: 7"},
		{"in a flow mapping", []string{"network.builtin=kent"}, "{builtin: wiltshire}", "{builtin: kent}"},
		{"string with spaces", []string{"force.name=Kent Police"}, "  name: Test Police", "  name: Kent Police"},
		{"string needing quotes", []string{"force.name=Kent: the garden"}, "  name: Test Police", `  name: "Kent: the garden"`},
		{"number as a string", []string{"arvs[0].call_sign=101"}, "call_sign: A1 ", `call_sign: "101" `},
		{"quoted string", []string{`arvs[0].call_sign='A 9'`}, "call_sign: A1 ", "call_sign: 'A 9' "},
		{"empty string", []string{"name="}, "name: test ", `name: "" `},
		{"flow list for a block list", []string{"demand.hour_of_day=[3, 4, 5]"}, "hour_of_day:\n    - 1\n    - 2\n", "hour_of_day: [3, 4, 5]\n"},
		{"item of a block list", []string{"demand.hour_of_day[1]=9"}, "    - 2\n", "    - 9\n"},
		{"item of a flow list", []string{"arvs[0].shifts[1]=night"}, "[early, late]", "[early, night]"},
		{"flow mapping for a block mapping", []string{"demand.on_scene={dist: fixed, mean: 5, source: x}"},
			"on_scene:\n    dist: fixed\n    mean: 90\n", "on_scene: {dist: fixed, mean: 5, source: x}\n"},
		{"block scalar", []string{"description=One line."}, "description: |\n  Two lines\n  of text.\n", "description: One line.\n"},
		{"missing key added", []string{"force.area_km2=3485"}, "  population: 1000\n", "  population: 1000\n  area_km2: 3485\n"},
		{"missing key in a list item", []string{"arvs[0].base=hq"}, "    shifts: [early, late]\n", "    shifts: [early, late]\n    base: hq\n"},
		{"missing key in a flow mapping", []string{"arvs[1].base=hq"}, "crew: 2}", "crew: 2, base: hq}"},
		{"missing mapping added", []string{"targets.share=0.9"}, "  seed: 1\n", "  seed: 1\ntargets: {share: 0.9}\n"},
		{"null mapping filled", []string{"demand_grid.cell_km=5"}, "demand_grid:\n", "demand_grid: {cell_km: 5}\n"},
		{"two edits in order", []string{"simulation.seed=7", "simulation.seed=8"}, "  seed: 1", "  seed: 8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := strings.Replace(setDoc, tc.old, tc.new, 1)
			if want == setDoc {
				t.Fatalf("setDoc has no %q", tc.old)
			}
			got, err := Set([]byte(setDoc), tc.assignments)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Fatalf("Set gave:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	cases := []struct {
		assignment, want string
	}{
		{"demand.incidents_per_yer=300", "set demand.incidents_per_yer=300: demand.incidents_per_yer: unknown field (did you mean incidents_per_year?)"},
		{"colour=blue", "set colour=blue: colour: unknown field (known: name, description,"},
		{"arvs[0].crew=two", `set arvs[0].crew=two: expected an integer, got "two"`},
		{"arvs[5].crew=2", "set arvs[5].crew=2: arvs has 2 items in the file (arvs[0] to arvs[1]); items cannot be added with set"},
		{"bases[0].id=x", "set bases[0].id=x: bases is not in the file; items cannot be added with set"},
		{"arvs.crew=2", "set arvs.crew=2: arvs holds a list, which has no keys"},
		{"name[0]=x", "set name[0]=x: name is not a list"},
		{"simulation.seed=-1", "set simulation.seed=-1: expected a whole number from 0 to 18446744073709551615, got -1"},
		{"demand.hour_of_day=[1, x]", `set demand.hour_of_day=[1, x]: demand.hour_of_day[1]: expected a number, got "x"`},
		{"demand.hour_of_day=a: b", `set demand.hour_of_day=a: b: "a: b" is not a YAML value: YAML syntax error: mapping value is not allowed in this context`},
		{"demand.hour_of_day=[1,", `set demand.hour_of_day=[1,: "[1," is not a YAML value`},
		{"demand.two_arv_share=&a 1", "anchors and aliases"},
		{"no equals sign", "set no equals sign: want key.path=value, such as demand.incidents_per_year=300"},
		{"=5", "set =5: want key.path=value"},
		{"arvs[x].crew=2", `set arvs[x].crew=2: "arvs[x].crew": [x] is not a list index (0, 1, 2, ...)`},
		{"force.name.first=x", "set force.name.first=x: force.name holds a string, which has no keys"},
		{"demand_grid.x[0]=1", "demand_grid.x: unknown field"},
		{"demand.hotspots[0].share=1", "set demand.hotspots[0].share=1: demand.hotspots is not in the file; items cannot be added with set"},
		{"demand.hour_of_day={a: 1}", "set demand.hour_of_day={a: 1}: expected a list, got a mapping"},
		{"demand.hour_of_day=1\n2", "the value must be on one line"},
	}
	for _, tc := range cases {
		t.Run(tc.assignment, func(t *testing.T) {
			out, err := Set([]byte(setDoc), []string{tc.assignment})
			if err == nil {
				t.Fatalf("Set succeeded:\n%s", out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want %q", err, tc.want)
			}
		})
	}
	t.Run("file does not parse", func(t *testing.T) {
		_, err := Set([]byte("name: [x\n"), []string{"name=y"})
		if err == nil || !strings.HasPrefix(err.Error(), "set name=y: the file does not parse: line 1, column 7: YAML syntax error: sequence end token ']' not found") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("no edits", func(t *testing.T) {
		out, err := Set([]byte("not: [yaml"), nil)
		if err != nil || string(out) != "not: [yaml" {
			t.Fatalf("Set with no edits: %q, %v", out, err)
		}
	})
}

// TestSetWindowsText checks that CRLF line ends and a byte-order mark
// are kept.
func TestSetWindowsText(t *testing.T) {
	in := "\ufeff" + strings.ReplaceAll(setDoc, "\n", "\r\n")
	out, err := Set([]byte(in), []string{"simulation.seed=9", "force.area_km2=1"})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(strings.Replace(setDoc, "  seed: 1", "  seed: 9", 1), "  population: 1000\n", "  population: 1000\n  area_km2: 1\n", 1)
	want = "\ufeff" + strings.ReplaceAll(want, "\n", "\r\n")
	if string(out) != want {
		t.Fatalf("Set gave %q,\nwant %q", out, want)
	}
}

// TestSetScenario edits a whole scenario and reads it back.
func TestSetScenario(t *testing.T) {
	data := mustRead(t, "small.yaml")
	out, err := Set(data, []string{
		"demand.incidents_per_year=300",
		"arvs[0].crew=3",
		"simulation.seed=7",
		"network.builtin=kent",
		"demand.hour_of_day=[2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2]",
		"delays.mobilisation.source=assumption: edited",
		"demand_grid.population=1000",
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseScenario(out, "edited.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	orig, err := ParseScenario(data, "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := orig.Scenario
	want.Demand.IncidentsPerYear = 300
	want.ARVs[0].Crew = 3
	want.Simulation.Seed = 7
	want.Network.Builtin = "kent"
	for i := range want.Demand.HourOfDay {
		want.Demand.HourOfDay[i] = 2
	}
	want.Delays.Mobilisation.Source = "assumption: edited"
	want.DemandGrid = &arv.DemandGrid{Population: 1000}
	if !reflect.DeepEqual(doc.Scenario, want) {
		t.Fatalf("edited scenario:\n%+v\nwant:\n%+v", doc.Scenario, want)
	}
	// Comments elsewhere are kept.
	for _, line := range []string{
		"# A small valid scenario for tests. Line numbers matter: tests refer to them.",
		"  incidents_per_year: 300   # the national rate",
		`    source: "assumption: edited"`,
		"demand_grid: {population: 1000}",
	} {
		if !strings.Contains(string(out), line+"\n") {
			t.Errorf("edited file lacks the line %q", line)
		}
	}
}
