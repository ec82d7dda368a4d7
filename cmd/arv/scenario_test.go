package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arv-project/arv/scenarios"
)

// checkScenario is a small valid scenario on the built-in Wiltshire
// network; the tests edit it.
const checkScenario = `# A small scenario for tests.
name: small
description: A test scenario.
force:
  name: Test Police
  area_km2: 3485
  population: 743800
network:
  builtin: wiltshire
demand_points:
  - id: swindon
    name: Swindon
    at: swindon
    population: 183638
    class: urban
  - {id: devizes, name: Devizes, at: "51.3508,-1.9942", population: 16834, class: urban}
bases:
  - id: hq
    name: Headquarters
    at: wp_hq_devizes
standby_points:
  - {id: gablecross, name: Gablecross, at: wp_gablecross}
arvs:
  - call_sign: ARV1
    base: hq
    crew: 2
    shifts: [early, late]
  - call_sign: ARV2
    base: gablecross
    crew: 2
    shifts: [early, late]
shifts:
  teams: 5
  hours: 10
  shifts:
    - {name: early, start: "07:00"}
    - {name: late, start: "17:00"}
officers:
  arv: 40
  afo: 20
  taser: 100
  abstraction:
    annual_leave_shifts: 28
    sickness_shifts: 9
    training_shifts: 20
    course_shifts: 5
minimum_complement: 1
demand:
  incidents_per_year: 204   # the national rate
  hour_of_day: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
  day_of_week: [1, 1, 1, 1, 1, 1, 1]
  hotspots:
    - {name: Swindon centre, at: swindon, share: 0.1, class: urban}
  two_arv_share: 0.25
  on_scene: {dist: lognormal, mean: 90, sd: 75, source: "assumption: test"}
  stood_down_share: 0.1
delays:
  call_handling: {dist: fixed, mean: 2, source: "assumption: test"}
  authorisation: {dist: exponential, mean: 2, source: "assumption: test"}
  mobilisation: {dist: triangular, min: 0.5, mean: 1, max: 3, source: "assumption: test"}
key_sites:
  - {name: Airport, at: swindon, start: "08:00", hours_per_day: 4}
mutual_aid:
  after_minutes: 10
  neighbours:
    - name: Avon and Somerset
      arrival: {dist: uniform, min: 30, max: 60, source: "assumption: test"}
targets:
  urban_minutes: 15
  rural_minutes: 20
  share: 0.9
simulation:
  years: 10
  replications: 20
  warmup_days: 30
  seed: 1
`

// writeScenario writes checkScenario, with each pair of edits[i],
// edits[i+1] replaced once, to a file in a new directory.
func writeScenario(t *testing.T, edits ...string) (path, text string) {
	t.Helper()
	text = checkScenario
	for i := 0; i+1 < len(edits); i += 2 {
		next := strings.Replace(text, edits[i], edits[i+1], 1)
		if next == text {
			t.Fatalf("checkScenario has no %q", edits[i])
		}
		text = next
	}
	path = filepath.Join(t.TempDir(), "test.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, text
}

// at returns "line:col" of the first non-blank character of the line of
// text holding s.
func at(t *testing.T, text, s string) string {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("text has no %q", s)
	}
	line := strings.Count(text[:i], "\n") + 1
	start := strings.LastIndexByte(text[:i], '\n') + 1
	col := len(text[start:]) - len(strings.TrimLeft(text[start:], " -")) + 1
	return fmt.Sprintf("%d:%d", line, col)
}

func TestScenarioList(t *testing.T) {
	out := mustRun(t, "scenario", "list")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	names := scenarios.Names()
	if len(lines) != len(names) {
		t.Fatalf("%d lines for %d scenarios:\n%s", len(lines), len(names), out)
	}
	for i, n := range names {
		if f := strings.Fields(lines[i]); len(f) < 2 || f[0] != n || strings.Contains(lines[i], "does not parse") {
			t.Errorf("line %q, want %s and its description", lines[i], n)
		}
	}
}

func TestScenarioShow(t *testing.T) {
	for _, n := range scenarios.Names() {
		want, _ := scenarios.Get(n)
		if got := mustRun(t, "scenario", "show", n); got != string(want) {
			t.Errorf("scenario show %s differs from the embedded file", n)
		}
	}
	_, errs, code := run(t, "scenario", "show", "devon")
	if code != 2 || !strings.Contains(errs, `unknown scenario "devon" (built-in: `+strings.Join(scenarios.Names(), ", ")+")") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestScenarioCheckBuiltin(t *testing.T) {
	for _, n := range scenarios.Names() {
		t.Run(n, func(t *testing.T) {
			out := mustRun(t, "scenario", "check", n)
			for _, want := range []string{"Scenario   " + n + " (built-in)\n", "Network    " + n, "incidents a year", "ARV officers", "\nOK\n"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestScenarioCheckFile(t *testing.T) {
	path, _ := writeScenario(t)
	out := mustRun(t, "scenario", "check", path)
	want := "Scenario   small (" + path + ")\n" +
		"Force      Test Police: 3,485 km², 743,800 residents\n" +
		"Network    wiltshire: built-in (shared/domain/geography.md)\n" +
		"Demand     2 demand points, 204 incidents a year\n" +
		"ARVs       2 ARVs at 2 bases, 40 ARV officers in 5 teams\n" +
		"OK\n"
	if out != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}

func TestScenarioCheckSet(t *testing.T) {
	path, _ := writeScenario(t)
	for _, args := range [][]string{
		{"scenario", "check", path, "--set", "demand.incidents_per_year=300", "--set=arvs[0].crew=3"},
		{"scenario", "check", "--set", "demand.incidents_per_year=300", path, "--set", "arvs[0].crew=3"},
	} {
		out := mustRun(t, args...)
		for _, want := range []string{"300 incidents a year", "Changed    demand.incidents_per_year=300, arvs[0].crew=3\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", strings.Join(args, " "), want, out)
			}
		}
	}
	// The file is not changed.
	if data, _ := os.ReadFile(path); string(data) != checkScenario {
		t.Fatal("--set changed the file")
	}
	// A value that makes the scenario invalid is reported at its place.
	out, errs, code := run(t, "scenario", "check", path, "--set", "arvs[1].crew=9")
	if want := path + ":" + at(t, checkScenario, "    crew: 2\n    shifts: [early, late]\nshifts:") + ": arvs[1].crew: must be between 1 and 6 officers, got 9\n"; code != 1 || out != want {
		t.Fatalf("exit %d, output %q, want %q", code, out, want)
	}
	if !strings.Contains(errs, "1 problem in "+path) {
		t.Fatalf("stderr %q", errs)
	}
	// A mistake in an edit is a usage error naming it.
	_, errs, code = run(t, "scenario", "check", path, "--set", "demand.incidents_per_yer=300")
	if code != 2 || !strings.Contains(errs, "--set demand.incidents_per_yer=300: demand.incidents_per_yer: unknown field (did you mean incidents_per_year?)") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestScenarioCheckProblems checks that one run reports every problem
// of a file, each at its place, in file order.
func TestScenarioCheckProblems(t *testing.T) {
	path, text := writeScenario(t,
		"    base: gablecross", "    base: nowhere",
		"  incidents_per_year: 204", "  incidents_per_year: -5",
		"    at: wp_hq_devizes", "    at: 51.35,-2.69", // 31 km west of the network
		"  two_arv_share: 0.25", "  two_arv_shar: 0.25",
		"{name: Airport, at: swindon,", "{name: Airport, at: Swindn,",
	)
	out, errs, code := run(t, "scenario", "check", path)
	want := []string{
		path + ":" + at(t, text, "at: 51.35,-2.69") + `: bases[0].at: 51.350000,-2.690000 is 31 km from the nearest road, beyond the 20000 m limit`,
		path + ":" + at(t, text, "base: nowhere") + `: arvs[1].base: unknown base "nowhere" (bases and standby points: gablecross, hq)`,
		path + ":" + at(t, text, "incidents_per_year: -5") + ": demand.incidents_per_year: must be a rate between 0 and 1,000,000 a year, got -5",
		path + ":" + at(t, text, "two_arv_shar:") + ": demand.two_arv_shar: unknown field (did you mean two_arv_share?)",
		path + ":" + strings.Split(at(t, text, "{name: Airport"), ":")[0] + ":21: key_sites[0].at: unknown place \"Swindn\"; did you mean \"Swindon\"?",
	}
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("output:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	if want := "arv scenario: 5 problems in " + path + "\n"; errs != want {
		t.Fatalf("stderr %q, want %q", errs, want)
	}
}

// TestScenarioCheckSetShiftsLines checks that problems after a --set
// that adds a line are placed on the lines of the file as it is.
func TestScenarioCheckSetShiftsLines(t *testing.T) {
	path, text := writeScenario(t,
		"  area_km2: 3485\n", "",
		"    base: gablecross", "    base: nowhere",
	)
	out, _, code := run(t, "scenario", "check", path)
	if code != 1 || !strings.Contains(out, "force.area_km2: must be a positive number, got 0") {
		t.Fatalf("without the edit: exit %d, output %s", code, out)
	}
	out, _, code = run(t, "scenario", "check", path, "--set", "force.area_km2=3485")
	want := path + ":" + at(t, text, "base: nowhere") + `: arvs[1].base: unknown base "nowhere" (bases and standby points: gablecross, hq)` + "\n"
	if code != 1 || out != want {
		t.Fatalf("exit %d, output %q, want %q", code, out, want)
	}
}

func TestScenarioCheckBadFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.yaml")
	os.WriteFile(junk, []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), 0o644)
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, nil, 0o644)
	syntax := filepath.Join(dir, "syntax.yaml")
	os.WriteFile(syntax, []byte("name: x\nforce: [unclosed\n"), 0o644)
	graph := filepath.Join(dir, "graph.yaml")
	os.WriteFile(graph, []byte(strings.Replace(checkScenario, "  builtin: wiltshire", "  graph: missing.arvg", 1)), 0o644)
	network := filepath.Join(dir, "network.yaml")
	os.WriteFile(network, []byte(strings.Replace(checkScenario, "  builtin: wiltshire", "  builtin: devon", 1)), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		out  string // on stdout
		errs string // on stderr
	}{
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, 1, "", "no built-in scenario or file"},
		{"directory", []string{dir}, 1, "", dir + " is a directory, not a scenario file"},
		{"binary junk", []string{junk}, 1, junk + ":1:8: not a YAML text file: byte 0x00 is not UTF-8 text\n", "1 problem in " + junk},
		{"empty", []string{empty}, 1, empty + ":1:1: the file is empty; a scenario is a mapping of settings", "1 problem"},
		{"syntax", []string{syntax}, 1, syntax + ":2:8: force: YAML syntax error: sequence end token ']' not found\n", "1 problem"},
		{"syntax and an edit", []string{syntax, "--set", "name=y"}, 1, syntax + ":2:8: force: YAML syntax error", "1 problem"},
		{"missing graph", []string{graph}, 1, graph + ":9:3: network.graph: ", "1 problem"},
		{"unknown network", []string{network}, 1, network + `:9:3: network.builtin: unknown built-in network "devon" (built-in: kent, wiltshire)`, "1 problem"},
		{"no argument", nil, 2, "", "give a built-in scenario"},
		{"two arguments", []string{"kent", "wiltshire"}, 2, "", `unexpected argument "wiltshire"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := run(t, append([]string{"scenario", "check"}, tc.args...)...)
			if code != tc.code || !strings.HasPrefix(out, tc.out) || !strings.Contains(errs, tc.errs) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stdout starting %q, stderr with %q", code, out, errs, tc.code, tc.out, tc.errs)
			}
		})
	}
}

func TestScenarioUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scenario"}, "give a subcommand: list, show or check"},
		{[]string{"scenario", "frobnicate"}, `unknown subcommand "frobnicate"`},
		{[]string{"scenario", "show"}, "give the name of a built-in scenario"},
		{[]string{"scenario", "list", "extra"}, `unexpected argument "extra"`},
		{[]string{"scenario", "check", "--frob"}, "flag provided but not defined"},
	} {
		_, errs, code := run(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 with %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
	}
	if out := mustRun(t, "scenario", "-h"); !strings.Contains(out, "check NAME|FILE") {
		t.Errorf("scenario -h: %s", out)
	}
	if out := mustRun(t, "scenario", "check", "-h"); !strings.Contains(out, "-set") {
		t.Errorf("scenario check -h: %s", out)
	}
}
