package yaml

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/arv-project/arv"
)

// mustRead returns a file of testdata.
func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// editSmall returns the small scenario with old replaced by new, once.
func editSmall(tb testing.TB, old, new string) []byte {
	tb.Helper()
	src := string(mustRead(tb, "small.yaml"))
	out := strings.Replace(src, old, new, 1)
	if out == src {
		tb.Fatalf("small.yaml has no %q", old)
	}
	return []byte(out)
}

func TestParseScenario(t *testing.T) {
	doc, err := ParseScenario(mustRead(t, "small.yaml"), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Scenario
	if errs := s.Validate(); len(errs) != 0 {
		t.Fatalf("small.yaml does not validate: %v", doc.Errors(errs))
	}
	if got, want := doc.File, "small.yaml"; got != want {
		t.Errorf("File=%q, want %q", got, want)
	}
	if got, want := s.Force, (arv.Force{Name: "Test Police", AreaKm2: 3485, Population: 743800}); got != want {
		t.Errorf("Force=%+v, want %+v", got, want)
	}
	if got, want := s.DemandPoints[1].At, arv.Location("51.3508,-1.9942"); got != want {
		t.Errorf("DemandPoints[1].At=%q, want %q", got, want)
	}
	if got, want := s.ARVs[1].Shifts, []string{"early", "late"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ARVs[1].Shifts=%q, want %q", got, want)
	}
	if got, want := s.Demand.IncidentsPerYear, 204.0; got != want {
		t.Errorf("IncidentsPerYear=%v, want %v", got, want)
	}
	if got, want := s.Delays.Mobilisation, (arv.Dist{Kind: "triangular", Min: 0.5, Mean: 1, Max: 3, Source: "assumption: a folded source text."}); got != want {
		t.Errorf("Mobilisation=%+v, want %+v", got, want)
	}
	if s.DemandGrid != nil || s.Simulation.Seed != 1 || len(s.Demand.HourOfDay) != 24 {
		t.Errorf("DemandGrid=%v, Seed=%d, %d hours", s.DemandGrid, s.Simulation.Seed, len(s.Demand.HourOfDay))
	}
}

// TestParseWindowsText checks files as Windows editors save them: the
// scenario and its positions are those of the plain file.
func TestParseWindowsText(t *testing.T) {
	plain := mustRead(t, "small.yaml")
	want, err := ParseScenario(plain, "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	win := "\ufeff" + strings.ReplaceAll(string(plain), "\n", "\r\n")
	got, err := ParseScenario([]byte(win), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Scenario, want.Scenario) {
		t.Fatal("the CRLF file reads differently")
	}
	if l, c := got.Position("simulation.seed"); l != 88 || c != 3 {
		t.Fatalf("simulation.seed at %d:%d, want 88:3", l, c)
	}
}

// TestDecoderCoversScenario checks that every kind of Go value in a
// Scenario is one the decoder reads and Marshal writes.
func TestDecoderCoversScenario(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		switch typ.Kind() {
		case reflect.Struct:
			for _, f := range fieldsOf(typ) {
				walk(typ.Field(f.index).Type, path+"."+f.key)
			}
		case reflect.Pointer, reflect.Slice:
			walk(typ.Elem(), path)
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
		default:
			t.Errorf("%s: Go type %s is not read by the decoder", path, typ)
		}
	}
	walk(scenarioType, "")
	// Every exported field has a yaml tag, so that keys are spelled as
	// documented.
	for typ := range seen {
		if typ.Kind() != reflect.Struct {
			continue
		}
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && f.Tag.Get("yaml") == "" {
				t.Errorf("%s.%s has no yaml tag", typ, f.Name)
			}
		}
	}
}

// TestParseErrorMessages pins the exact text of a few messages.
func TestParseErrorMessages(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		want     string
	}{
		{"typo in a key", "network:\n", "netwrok:\n",
			"wilts.yaml:8:1: netwrok: unknown field (did you mean network?)"},
		{"unknown key", "  hours: 10\n", "  colour: blue\n  hours: 10\n",
			"wilts.yaml:36:3: shifts.colour: unknown field (known: teams, hours, shifts)"},
		{"wrong type", "  - call_sign: ARV2\n    base: gablecross\n    crew: 2", "  - call_sign: ARV2\n    base: gablecross\n    crew: two",
			`wilts.yaml:30:5: arvs[1].crew: expected an integer, got "two"`},
		{"number for a string", "  - call_sign: ARV1", "  - call_sign: 101",
			`wilts.yaml:24:5: arvs[0].call_sign: expected a string, got 101 (put it in quotes if it is text: "101")`},
		{"list item of the wrong type", "day_of_week: [1, 1, 1,", "day_of_week: [1, x, 1,",
			`wilts.yaml:53:20: demand.day_of_week[1]: expected a number, got "x"`},
		{"mapping for a number", "  teams: 5", "  teams: {n: 5}",
			"wilts.yaml:35:3: shifts.teams: expected an integer, got a mapping"},
		{"duration with a unit", "  after_minutes: 10", "  after_minutes: 10 min",
			`wilts.yaml:76:3: mutual_aid.after_minutes: expected a number, got "10 min" (durations are plain numbers of minutes)`},
		{"negative seed", "  seed: 1", "  seed: -1",
			"wilts.yaml:88:3: simulation.seed: expected a whole number from 0 to 18446744073709551615, got -1"},
		{"not finite", "  years: 10", "  years: .inf",
			"wilts.yaml:85:3: simulation.years: expected a finite number, got .inf"},
		{"missing value", "  arv: 40", "  arv:",
			"wilts.yaml:41:3: officers.arv: missing value: expected an integer"},
		// The parser notices the missing ] at the next token.
		{"bad syntax", "name: small", "name: [small",
			"wilts.yaml:3:1: description: YAML syntax error: ',' or ']' must be specified"},
		{"syntax error in a list item", "    crew: 2\n    shifts: [early, late]", "    crew: 2\n    shifts: [early, late]]",
			"wilts.yaml:27:26: arvs[0].shifts: YAML syntax error: value is not allowed in this context"},
		{"duplicate key", "  hours: 10\n", "  hours: 10\n  hours: 12\n",
			`wilts.yaml:37:3: shifts.hours: "hours" is given twice (first at line 36)`},
		{"anchor", "  teams: 5", "  teams: &t 5",
			"wilts.yaml:35:3: shifts.teams: anchors and aliases (& and *) are not supported"},
		{"tag", "  teams: 5", "  teams: !!int 5",
			"wilts.yaml:35:3: shifts.teams: YAML tags (!) are not supported"},
		{"merge key", "  teams: 5", "  <<: {teams: 5}",
			"wilts.yaml:35:3: shifts: merge keys (<<) are not supported"},
		{"two documents", "simulation:\n", "---\nsimulation:\n",
			"wilts.yaml:85:1: more than one YAML document; a scenario is one"},
		{"binary", "  teams: 5", "  teams: \x00\x01",
			"wilts.yaml:35:10: shifts.teams: not a YAML text file: byte 0x00 is not UTF-8 text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ParseScenario(editSmall(t, tc.old, tc.new), "wilts.yaml")
			if err == nil {
				t.Fatalf("ParseScenario succeeded with %+v, want an error", doc.Scenario)
			}
			if syntax := strings.Contains(tc.want, "syntax error") || strings.Contains(tc.want, "given twice") || strings.Contains(tc.want, "YAML document") || strings.Contains(tc.want, "UTF-8"); syntax != (doc == nil) {
				t.Fatalf("Document %v with a syntax error: %v; want nil exactly for syntax errors", doc != nil, syntax)
			}
			if got := err.Error(); got != tc.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tc.want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("error %T is not an ErrorList of one", err)
			}
		})
	}
}

// TestParseErrors checks that every kind of bad input gives an error
// naming the file, the line and column, and what is wrong.
func TestParseErrors(t *testing.T) {
	manyKeys := strings.Repeat("name: x\n", 1) + func() string {
		var b strings.Builder
		for i := range 1001 {
			b.WriteString("k")
			b.WriteString(strings.Repeat("x", i%7))
			b.WriteString(string(rune('a' + i%26)))
			b.WriteString(string(rune('a' + i/26%26)))
			b.WriteString(": 1\n")
		}
		return b.String()
	}()
	var b strings.Builder
	for i := range 500 {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	deep := b.String()
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "1:1: the file is empty; a scenario is a mapping of settings (name, description, force, network,"},
		{"only comments", "# nothing\n\n", "the file is empty"},
		{"only a document marker", "---\n", "the file is empty"},
		{"plain text", "Hello, world.\n", `1:1: expected a mapping of scenario settings (name, description, force,`},
		{"a list", "- name\n- force\n", "expected a mapping of scenario settings"},
		{"a number", "42\n", "got 42"},
		{"binary junk", "\x7fELF\x02\x01\x01\x00\x00", "1:8: not a YAML text file: byte 0x00 is not UTF-8 text"},
		{"invalid UTF-8", "name: caf\xe9\n", "1:10: name: not a YAML text file: byte 0xe9 is not UTF-8 text"},
		{"too large", "name: x\n#" + strings.Repeat("x", MaxScenarioSize), "a.yaml: scenario is larger than 1048576 bytes"},
		{"bracket bomb", "name: " + strings.Repeat("[", 20) + "\n", "1:23: name: brackets nested more than 16 deep"},
		{"sequence bomb", "arvs:\n" + strings.Repeat("- ", 20) + "x\n", "2:33: more than 16 nested block entries on one line"},
		{"many keys", manyKeys, "1001:1: kxxxxxlm: more than 1000 keys in one mapping"},
		{"alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "1:1: a: unknown field"},
		{"alias", "name: &n x\nforce: {name: *n}\n", "2:9: force.name: anchors and aliases (& and *) are not supported"},
		{"deep block nesting", deep, "1:1: a: unknown field"},
		{"complex key", "name: x\n? force\n: {name: y}\n", "2:1: keys must be plain names, got a complex key (? key)"},
		{"leading zero", "force:\n  population: 0123\n", "2:3: force.population: 0123 has a leading zero"},
		{"number too large", "force:\n  population: 9223372036854775808\n", "2:3: force.population: 9223372036854775808 is too large"},
		{"seed too large", "simulation:\n  seed: 18446744073709551616\n", "2:3: simulation.seed: expected a whole number from 0 to 18446744073709551615, got 18446744073709551616"},
		{"float too large", "demand:\n  incidents_per_year: 1e999\n", `2:3: demand.incidents_per_year: expected a number, got "1e999"`},
		{"tab indentation", "force:\n\tname: x\n", "2:"},
	}
	posRE := regexp.MustCompile(`^a\.yaml:[0-9]+:[0-9]+: `)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScenario([]byte(tc.in), "a.yaml")
			if err == nil {
				t.Fatal("ParseScenario succeeded, want an error")
			}
			msg := err.Error()
			if !posRE.MatchString(msg) && tc.name != "too large" {
				t.Fatalf("error %q does not start with a.yaml:LINE:COL:", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("error %q does not contain %q", msg, tc.want)
			}
		})
	}
}

// TestParseReportsEveryProblem checks that one parse lists every
// problem, in file order.
func TestParseReportsEveryProblem(t *testing.T) {
	src := string(mustRead(t, "small.yaml"))
	for _, r := range [][2]string{
		{"network:", "netwrok:"},
		{"    crew: 2\n    shifts: [early, late]", "    crew: 2.5\n    shifts: [early, 7]"},
		{"  warmup_days: 30", "  warmup_days: thirty"},
		{"  - name: Airport", "  - nme: Airport"},
	} {
		src = strings.Replace(src, r[0], r[1], 1)
	}
	_, err := ParseScenario([]byte(src), "a.yaml")
	want := []string{
		"a.yaml:8:1: netwrok: unknown field (did you mean network?)",
		"a.yaml:26:5: arvs[0].crew: expected an integer, got 2.5",
		"a.yaml:27:21: arvs[0].shifts[1]: expected a string, got 7 (put it in quotes if it is text: \"7\")",
		"a.yaml:71:5: key_sites[0].nme: unknown field (did you mean name?)",
		`a.yaml:87:3: simulation.warmup_days: expected a number, got "thirty"`,
	}
	if err == nil {
		t.Fatal("ParseScenario succeeded, want errors")
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", err, strings.Join(want, "\n"))
	}
}

func TestPosition(t *testing.T) {
	doc, err := ParseScenario(mustRead(t, "small.yaml"), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path      string
		line, col int
	}{
		{"name", 2, 1},
		{"force.population", 7, 3},
		{"demand_points[0]", 11, 5},
		{"demand_points[0].at", 13, 5},
		{"demand_points[1].at", 16, 34},
		{"arvs[1].shifts[1]", 33, 9},
		{"arvs[0].shifts[1]", 27, 21},
		{"shifts.shifts[1].start", 39, 20},
		{"demand.hour_of_day[3]", 52, 26},
		{"demand.on_scene.sd", 57, 41},
		{"delays.mobilisation.source", 67, 5},
		{"mutual_aid.neighbours[0].arrival.max", 79, 41},
		// Paths not in the file fall back to their nearest parent.
		{"demand_grid.cell_km", 2, 1},       // no demand_grid: the first key
		{"demand.hotspots[3].share", 54, 3}, // past the end: the list
		{"arvs[0].base.x", 25, 5},           // below a scalar: the scalar
		{"force.name.", 5, 3},               // malformed: the part that parses
		{"", 2, 1},
	}
	for _, tc := range cases {
		if l, c := doc.Position(tc.path); l != tc.line || c != tc.col {
			t.Errorf("Position(%q)=%d:%d, want %d:%d", tc.path, l, c, tc.line, tc.col)
		}
	}
	var nilDoc *Document
	if l, c := nilDoc.Position("name"); l != 1 || c != 1 {
		t.Errorf("nil Document: Position=%d:%d, want 1:1", l, c)
	}
}

func TestErrors(t *testing.T) {
	doc, err := ParseScenario(mustRead(t, "small.yaml"), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Errors(nil); err != nil {
		t.Fatalf("Errors(nil)=%v, want nil", err)
	}
	err = doc.Errors([]arv.FieldError{
		{Path: "simulation.seed", Message: "last"},
		{Path: "arvs[1].base", Message: "unknown base"},
		{Path: "demand_points", Message: "first of two at one place"},
		{Path: "name", Message: "second of two at one place"},
		{Path: "demand_grid.population", Message: "missing: at the start"},
		{Path: "arvs[0].shifts[1]", Message: "in a flow list"},
	})
	want := "small.yaml:2:1: name: second of two at one place\n" +
		"small.yaml:2:1: demand_grid.population: missing: at the start\n" +
		"small.yaml:10:1: demand_points: first of two at one place\n" +
		"small.yaml:27:21: arvs[0].shifts[1]: in a flow list\n" +
		"small.yaml:29:5: arvs[1].base: unknown base\n" +
		"small.yaml:88:3: simulation.seed: last"
	if err == nil || err.Error() != want {
		t.Fatalf("Errors:\n%v\nwant:\n%s", err, want)
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 6 || list[3].Line != 27 || list[3].Column != 21 || list[3].Path != "arvs[0].shifts[1]" {
		t.Fatalf("ErrorList %+v", list)
	}
	var one *Error
	if !errors.As(err, &one) || one.Message != "second of two at one place" {
		t.Fatalf("errors.As(*Error) = %+v", one)
	}
}

// TestValidateErrorsInFile runs Validate on a file with mistakes and
// places its problems.
func TestValidateErrorsInFile(t *testing.T) {
	src := string(mustRead(t, "small.yaml"))
	src = strings.Replace(src, "    base: gablecross", "    base: swindon", 1)
	src = strings.Replace(src, "  incidents_per_year: 204", "  incidents_per_year: -5", 1)
	doc, err := ParseScenario([]byte(src), "v.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = doc.Errors(doc.Scenario.Validate())
	want := "v.yaml:29:5: arvs[1].base: unknown base \"swindon\" (bases and standby points: gablecross, hq)\n" +
		"v.yaml:51:3: demand.incidents_per_year: must be a rate between 0 and 1,000,000 a year, got -5"
	if err == nil || err.Error() != want {
		t.Fatalf("errors:\n%v\nwant:\n%s", err, want)
	}
}

func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../scenarios/*.yaml") // the built-in scenarios, when present
	files = append(files, "testdata/small.yaml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := ParseScenario(data, f)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, doc.Scenario)
		})
	}
	t.Run("awkward values", func(t *testing.T) {
		doc, err := ParseScenario(mustRead(t, "small.yaml"), "small.yaml")
		if err != nil {
			t.Fatal(err)
		}
		s := doc.Scenario
		s.Name = "007"
		s.Description = "Line one: with a colon.\nLine two # not a comment\n\n  indented line four\n"
		s.Force.Name = "  spaces  "
		s.DemandPoints[0].Name = `quote " and backslash \ and tab	and é and 😀`
		s.DemandPoints[1].Name = "true"
		s.DemandPoints[1].Class = ""
		s.Bases[0].Name = "- a dash, [brackets], {braces}, #hash, &amp, *star, !bang"
		s.Bases[0].At = "null"
		s.ARVs[0].Shifts = []string{"a, b", "[c]", "", "1.5", "~", "line\nbreak", "\u2028", "\x01"}
		s.ARVs[1].CallSign = "\ufeffBOM"
		s.Simulation.Seed = math.MaxUint64
		s.Demand.IncidentsPerYear = 1e-300
		s.Demand.TwoARVShare = math.Copysign(0, -1)
		s.Force.AreaKm2 = 1e21
		s.Force.Population = math.MinInt64
		s.DemandGrid = &arv.DemandGrid{}
		s.KeySites = append(s.KeySites, arv.KeySite{})
		s.MutualAid.Neighbours[0].Arrival = arv.Dist{}
		roundTrip(t, s)
	})
	t.Run("zero", func(t *testing.T) {
		roundTrip(t, &arv.Scenario{})
	})
}

// roundTrip checks that s reads back unchanged from Marshal.
func roundTrip(t *testing.T, s *arv.Scenario) {
	t.Helper()
	out, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseScenario(out, "out.yaml")
	if err != nil {
		t.Fatalf("%v\nin:\n%s", err, out)
	}
	if !reflect.DeepEqual(doc.Scenario, s) {
		t.Fatalf("round trip changed the scenario:\n got %+v\nwant %+v\nfile:\n%s", doc.Scenario, s, out)
	}
}

func TestMarshalRefuses(t *testing.T) {
	if _, err := Marshal(nil); err == nil {
		t.Error("Marshal(nil) succeeded")
	}
	s := &arv.Scenario{Demand: arv.Demand{HourOfDay: []float64{1, math.NaN()}}}
	if _, err := Marshal(s); err == nil || err.Error() != "yaml: demand.hour_of_day[1] is NaN; a scenario file holds finite numbers only" {
		t.Errorf("Marshal with NaN: %v", err)
	}
	s = &arv.Scenario{Targets: arv.Targets{Share: math.Inf(-1)}}
	if _, err := Marshal(s); err == nil || !strings.Contains(err.Error(), "targets.share is -Inf") {
		t.Errorf("Marshal with -Inf: %v", err)
	}
}

func TestPathAtLine(t *testing.T) {
	src := `name: x
force:
  name: y

arvs:
  - call_sign: A
    shifts:
      - early
      - late
  -   call_sign: B
      crew: 2
hours:
- 1
- 2
description: |
  text: with a colon
  more
simulation:
  "seed": 1
`
	want := []string{
		1: "name", 2: "force", 3: "force.name", 4: "force.name", 5: "arvs", 6: "arvs[0].call_sign",
		7: "arvs[0].shifts", 8: "arvs[0].shifts[0]", 9: "arvs[0].shifts[1]", 10: "arvs[1].call_sign",
		11: "arvs[1].crew", 12: "hours", 13: "hours[0]", 14: "hours[1]", 15: "description",
		16: "description", 17: "description", 18: "simulation", 19: "simulation.seed",
	}
	for line := 1; line < len(want); line++ {
		if got := pathAtLine([]byte(src), line); got != want[line] {
			t.Errorf("line %d: %q, want %q", line, got, want[line])
		}
	}
	if got := pathAtLine([]byte("a:\n---\nb: 1\n"), 3); got != "b" {
		t.Errorf("after a document marker: %q, want b", got)
	}
	if got := pathAtLine(nil, 5); got != "" {
		t.Errorf("empty text: %q", got)
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"name", "network", "demand_points", "incidents_per_year", "crew"}
	for word, want := range map[string]string{
		"netwrok":            "network",
		"Name":               "name",
		"crw":                "crew",
		"demand_point":       "demand_points",
		"incidents_per_yaer": "incidents_per_year",
		"colour":             "",
		"x":                  "",
	} {
		if got := closest(word, keys); got != want {
			t.Errorf("closest(%q)=%q, want %q", word, got, want)
		}
	}
}
