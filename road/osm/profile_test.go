package osm

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestDefaultProfile(t *testing.T) {
	p := DefaultProfile()
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got, want := p.Name, "bluelight"; got != want {
		t.Fatalf("Name=%q, want %q", got, want)
	}
	// The "typical" blue-light speeds of geography.md §5.2 "Suggested
	// modelling speeds", mapped to highway values as bluelight.yaml says.
	for hw, want := range map[string]float64{
		"motorway":     110,
		"trunk":        95,
		"primary":      75,
		"secondary":    60,
		"unclassified": 45, // §5.2 "minor"
		"residential":  35, // §5.2 "urban"
	} {
		if got := p.Speeds[hw]; got != want {
			t.Errorf("Speeds[%q]=%v, want %v", hw, got, want)
		}
	}
	// Ways a response car should not use are not routable.
	for _, hw := range []string{"track", "pedestrian", "footway", "cycleway", "path", "bridleway", "steps", "construction", "proposed", "busway", "bus_guideway", "raceway"} {
		if _, ok := p.Speeds[hw]; ok {
			t.Errorf("Speeds has %q, want it absent", hw)
		}
	}
	if got, want := p.EmergencyFactor, 1.25; got != want { // bluelight.yaml, assumption
		t.Fatalf("EmergencyFactor=%v, want %v", got, want)
	}
	if got, want := p.MaxSpeedKmh, 130.0; got != want { // bluelight.yaml, assumption
		t.Fatalf("MaxSpeedKmh=%v, want %v", got, want)
	}
	if !p.BusGates {
		t.Fatal("BusGates=false, want true")
	}
	// Every class speed is at or below the cap, so the cap never binds
	// on the defaults (bluelight.yaml says so).
	for hw, v := range p.Speeds {
		if v > p.MaxSpeedKmh {
			t.Errorf("Speeds[%q]=%v above MaxSpeedKmh %v", hw, v, p.MaxSpeedKmh)
		}
	}
}

func TestDefaultProfileIsACopy(t *testing.T) {
	p := DefaultProfile()
	p.Speeds["primary"] = 1
	p.BlockingBarriers[0] = "changed"
	p.DeniedAccess[0] = "changed"
	q := DefaultProfile()
	if q.Speeds["primary"] == 1 || q.BlockingBarriers[0] == "changed" || q.DeniedAccess[0] == "changed" {
		t.Fatal("changing one DefaultProfile changed another")
	}
	y := DefaultProfileYAML()
	y[0] = 'X'
	if bytes.Equal(y, DefaultProfileYAML()) {
		t.Fatal("changing DefaultProfileYAML's result changed the embedded file")
	}
}

// TestProfileFieldsMatchStruct keeps the schema used for checking files
// in step with Profile's yaml tags.
func TestProfileFieldsMatchStruct(t *testing.T) {
	typ := reflect.TypeFor[Profile]()
	if got, want := typ.NumField(), len(fields); got != want {
		t.Fatalf("Profile has %d fields, schema %d", got, want)
	}
	for i := range typ.NumField() {
		if got, want := typ.Field(i).Tag.Get("yaml"), fields[i].key; got != want {
			t.Errorf("field %d (%s) yaml tag %q, schema key %q", i, typ.Field(i).Name, got, want)
		}
	}
}

// testProfile is a small valid profile; the error tests edit it.
const testProfile = `name: test
speeds_kmh:
  primary: 75
  residential: 35
emergency_factor: 1.25
max_speed_kmh: 130
blocking_barriers: [bollard]
denied_access: ["no", private]
bus_gates: true
`

func TestParseProfile(t *testing.T) {
	p, err := ParseProfile([]byte(testProfile), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Profile{
		Name:             "test",
		Speeds:           map[string]float64{"primary": 75, "residential": 35},
		EmergencyFactor:  1.25,
		MaxSpeedKmh:      130,
		BlockingBarriers: []string{"bollard"},
		DeniedAccess:     []string{"no", "private"},
		BusGates:         true,
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("ParseProfile=%+v, want %+v", p, want)
	}
}

// TestParseProfileOverride checks the intended use: a copy of the
// built-in file with one speed changed.
func TestParseProfileOverride(t *testing.T) {
	src := string(DefaultProfileYAML())
	edited := strings.Replace(src, "  primary: 75 ", "  primary: 70 ", 1)
	if edited == src {
		t.Fatal("bluelight.yaml has no line for primary: 75")
	}
	path := filepath.Join(t.TempDir(), "my.yaml")
	if err := os.WriteFile(path, []byte(edited), 0o666); err != nil {
		t.Fatal(err)
	}
	p, err := ReadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Speeds["primary"], 70.0; got != want {
		t.Fatalf("Speeds[primary]=%v, want %v", got, want)
	}
	def := DefaultProfile()
	def.Speeds["primary"] = 70
	if !reflect.DeepEqual(p, def) {
		t.Fatalf("edited profile=%+v, want the default with primary 70", p)
	}
}

// TestParseProfileWindowsText checks files as Windows editors save them.
func TestParseProfileWindowsText(t *testing.T) {
	crlf := strings.ReplaceAll(testProfile, "\n", "\r\n")
	for name, in := range map[string]string{
		"CRLF":            crlf,
		"byte-order mark": "\ufeff" + testProfile,
		"both":            "\ufeff" + crlf,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseProfile([]byte(in), "win.yaml"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestParseProfileErrorMessages pins the exact text of a few messages.
func TestParseProfileErrorMessages(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{
			"typo in class", "  primary: 75", "  primry: 75",
			`myprofile.yaml:3:3: speeds_kmh.primry: unknown highway class "primry" (known: motorway, motorway_link, trunk, trunk_link, primary, primary_link, secondary, secondary_link, tertiary, tertiary_link, unclassified, residential, living_street, service, road, track, pedestrian, busway)`,
		},
		{
			"factor out of range", "emergency_factor: 1.25", "emergency_factor: 3.5",
			`myprofile.yaml:5:1: emergency_factor: must be between 1 and 2, got 3.5`,
		},
		{
			"yes is not a YAML 1.2 boolean", "bus_gates: true", "bus_gates: yes",
			`myprofile.yaml:9:12: bus_gates: want true or false, got the string "yes"`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile([]byte(strings.Replace(testProfile, tc.old, tc.new, 1)), "myprofile.yaml")
			if err == nil {
				t.Fatal("ParseProfile succeeded, want an error")
			}
			if got := err.Error(); got != tc.want {
				t.Fatalf("error:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestParseProfileErrors checks that every kind of bad file gives an
// error naming the file, the line and column, and what is wrong.
func TestParseProfileErrors(t *testing.T) {
	edit := func(old, new string) string {
		s := strings.Replace(testProfile, old, new, 1)
		if s == testProfile {
			t.Fatalf("testProfile has no %q", old)
		}
		return s
	}
	cases := []struct {
		name, in string
		want     string // in the message after "bad.yaml:LINE:COL: "
	}{
		{"unknown key", testProfile + "colour: blue\n", "colour: unknown key (known: name, speeds_kmh,"},
		{"typo in key", edit("max_speed_kmh", "max_sped_kmh"), "max_sped_kmh: unknown key"},
		{"typo in class", edit("  residential: 35", "  residental: 35"), `speeds_kmh.residental: unknown highway class "residental"`},
		{"footway is not a car class", edit("  residential: 35", "  footway: 5"), `speeds_kmh.footway: unknown highway class "footway"`},
		{"negative speed", edit("  primary: 75", "  primary: -5"), "speeds_kmh.primary: must be between 1 and 300 km/h, got -5"},
		{"zero speed", edit("  primary: 75", "  primary: 0"), "speeds_kmh.primary: must be between 1 and 300 km/h, got 0"},
		{"infinite speed", edit("  primary: 75", "  primary: .inf"), "speeds_kmh.primary: must be between 1 and 300 km/h, got +Inf"},
		{"speed as text", edit("  primary: 75", "  primary: fast"), `speeds_kmh.primary: want a speed in km/h, got the string "fast"`},
		{"quoted number", edit("  primary: 75", `  primary: "75"`), `speeds_kmh.primary: want a speed in km/h, got the string "75"`},
		{"speeds as list", edit("speeds_kmh:\n  primary: 75\n  residential: 35", "speeds_kmh: [75, 35]"), "speeds_kmh: want a mapping of highway class to km/h, got a list"},
		{"empty speeds", edit("speeds_kmh:\n  primary: 75\n  residential: 35", "speeds_kmh: {}"), "speeds_kmh: must give a speed for at least one highway class"},
		{"factor as list", edit("emergency_factor: 1.25", "emergency_factor: [1.25]"), "emergency_factor: want a number, got a list"},
		{"factor NaN", edit("emergency_factor: 1.25", "emergency_factor: .nan"), "emergency_factor: must be between 1 and 2, got NaN"},
		{"cap too low", edit("max_speed_kmh: 130", "max_speed_kmh: 10"), "max_speed_kmh: must be between 20 and 300 km/h, got 10"},
		{"name as number", edit("name: test", "name: 7"), "name: want a string, got the number 7"},
		{"empty name", edit("name: test", `name: ""`), "name: must not be empty"},
		{"no value", edit("max_speed_kmh: 130", "max_speed_kmh:"), "max_speed_kmh: missing value"},
		{"barrier not a value", edit("[bollard]", "[Bollard]"), `blocking_barriers[0]: "Bollard" is not an OSM barrier value`},
		{"barrier duplicate", edit("[bollard]", "[bollard, bollard]"), `blocking_barriers[1]: duplicate "bollard"`},
		{"barrier no", edit("[bollard]", "[bollard, \"no\"]"), `blocking_barriers[1]: "no" means there is no barrier`},
		{"barrier number", edit("[bollard]", "[bollard, 3]"), "blocking_barriers[1]: want a string, got the number 3"},
		{"access typo", edit("private]", "privat]"), `denied_access[1]: unknown access value "privat"`},
		{"access yes", edit("private]", "yes]"), `denied_access[1]: unknown access value "yes"`},
		{"access as string", edit(`["no", private]`, "private"), `denied_access: want a list of strings, got the string "private"`},
		{"missing keys", edit("bus_gates: true\n", ""), "missing bus_gates; every key is required"},
		{"duplicate key", testProfile + "name: again\n", `mapping key "name" already defined at [1:1]`},
		{"anchor", edit("max_speed_kmh: 130", "max_speed_kmh: &x 130"), "max_speed_kmh: anchors and aliases (& and *) are not supported"},
		{"alias", edit("max_speed_kmh: 130", "max_speed_kmh: *x"), "anchors and aliases"},
		{"merge key", testProfile + "<<: {name: x}\n", "merge keys (<<) are not supported"},
		{"tag", edit("max_speed_kmh: 130", "max_speed_kmh: !!float 130"), "max_speed_kmh: YAML tags (!) are not supported"},
		{"two documents", testProfile + "---\n" + testProfile, "more than one YAML document"},
		{"empty", "", "empty profile; want the keys name, speeds_kmh,"},
		{"only a comment", "# nothing here\n", "empty profile"},
		{"not YAML", "name: [unclosed\n", "sequence end token ']' not found"},
		{"plain text", "Hello, this is not a profile.\n", `want a mapping of profile settings (name, speeds_kmh, emergency_factor, max_speed_kmh, blocking_barriers, denied_access, bus_gates), got the string "Hello, this is not a profile."`},
		{"a list", "- name\n- speeds_kmh\n", "want a mapping of profile settings"},
		{"binary", "name: x\n\x00\x01\x02\xff", "not a YAML text file: byte 0x00 is not UTF-8 text"},
		{"invalid UTF-8", "name: \xff\xfe\n", "not a YAML text file: byte 0xff is not UTF-8 text"},
		{"bracket bomb", "name: " + strings.Repeat("[", 17), "brackets nested more than 16 deep"},
		{"sequence bomb", strings.Repeat("- ", 17) + "x\n", "more than 16 nested block entries on one line"},
	}
	posRE := regexp.MustCompile(`^bad\.yaml:[0-9]+:[0-9]+: `)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(tc.in), "bad.yaml")
			if err == nil {
				t.Fatalf("ParseProfile succeeded with %+v, want an error", p)
			}
			msg := err.Error()
			if !posRE.MatchString(msg) {
				t.Fatalf("error %q does not start with bad.yaml:LINE:COL:", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("error %q does not contain %q", msg, tc.want)
			}
			var pe *ProfileError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ProfileError", err)
			}
		})
	}
}

// TestParseProfileManyProblems checks that problems come in file order
// and that a long list is cut short.
func TestParseProfileManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(testProfile)
	for i := range maxReported + 5 { // 5 more than are reported
		b.WriteString("unknown")
		b.WriteByte(byte('a' + i))
		b.WriteString(": 1\n")
	}
	_, err := ParseProfile([]byte(b.String()), "bad.yaml")
	if err == nil {
		t.Fatal("ParseProfile succeeded, want an error")
	}
	lines := strings.Split(err.Error(), "\n")
	if got, want := len(lines), maxReported+1; got != want {
		t.Fatalf("%d lines, want %d:\n%s", got, want, err)
	}
	if got, want := lines[0], "bad.yaml:10:1: unknowna: unknown key"; !strings.HasPrefix(got, want) {
		t.Fatalf("first line %q, want prefix %q", got, want)
	}
	if got, want := lines[maxReported], "bad.yaml: and 5 more problems"; got != want {
		t.Fatalf("last line %q, want %q", got, want)
	}
}

func TestParseProfileTooLarge(t *testing.T) {
	data := []byte(testProfile + "#" + strings.Repeat("x", MaxProfileSize) + "\n")
	_, err := ParseProfile(data, "big.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "big.yaml: profile is larger than") {
		t.Fatalf("error %v, want big.yaml: profile is larger than ...", err)
	}
}

func TestReadProfile(t *testing.T) {
	dir := t.TempDir()
	t.Run("missing", func(t *testing.T) {
		path := filepath.Join(dir, "nope.yaml")
		_, err := ReadProfile(path)
		if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Fatalf("error %v, want a not-exist error naming %s", err, path)
		}
	})
	t.Run("too large", func(t *testing.T) {
		path := filepath.Join(dir, "big.yaml")
		if err := os.WriteFile(path, bytes.Repeat([]byte("#\n"), MaxProfileSize), 0o666); err != nil {
			t.Fatal(err)
		}
		_, err := ReadProfile(path)
		if err == nil || !strings.Contains(err.Error(), "profile is larger than") || !strings.Contains(err.Error(), path) {
			t.Fatalf("error %v, want too large, naming %s", err, path)
		}
	})
	t.Run("bad", func(t *testing.T) {
		path := filepath.Join(dir, "bad.yaml")
		if err := os.WriteFile(path, []byte(strings.Replace(testProfile, "  primary:", "  primry:", 1)), 0o666); err != nil {
			t.Fatal(err)
		}
		_, err := ReadProfile(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+":3:3: speeds_kmh.primry: ") {
			t.Fatalf("error %v, want %s:3:3: speeds_kmh.primry: ...", err, path)
		}
	})
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *Profile)
		want   string // "" for valid
	}{
		{"default", func(p *Profile) {}, ""},
		{"no speeds", func(p *Profile) { p.Speeds = nil }, "speeds_kmh: must give a speed for at least one highway class"},
		{"unknown class", func(p *Profile) { p.Speeds = map[string]float64{"Primary": 50} }, `speeds_kmh.Primary: unknown highway class "Primary" (known: motorway,`},
		{"fast class", func(p *Profile) { p.Speeds["motorway"] = 301 }, "speeds_kmh.motorway: must be between 1 and 300 km/h, got 301"},
		{"factor below 1", func(p *Profile) { p.EmergencyFactor = 0.9 }, "emergency_factor: must be between 1 and 2, got 0.9"},
		{"cap above 300", func(p *Profile) { p.MaxSpeedKmh = 400 }, "max_speed_kmh: must be between 20 and 300 km/h, got 400"},
		{"long name", func(p *Profile) { p.Name = strings.Repeat("n", 65) }, "name: must be at most 64 bytes, got 65"},
		{"control in name", func(p *Profile) { p.Name = "a\nb" }, `name: must be printable text, got "a\nb"`},
		{"empty barrier", func(p *Profile) { p.BlockingBarriers = []string{""} }, `blocking_barriers[0]: "" is not an OSM barrier value`},
		{"duplicate access", func(p *Profile) { p.DeniedAccess = []string{"no", "no"} }, `denied_access[1]: duplicate "no"`},
		{"empty lists", func(p *Profile) { p.BlockingBarriers, p.DeniedAccess = nil, nil }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultProfile()
			tc.change(p)
			err := p.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("Validate succeeded, want %q", tc.want)
			case tc.want != "" && !strings.HasPrefix(err.Error(), tc.want):
				t.Fatalf("Validate: %q, want prefix %q", err, tc.want)
			}
		})
	}
	t.Run("several", func(t *testing.T) {
		p := DefaultProfile()
		p.EmergencyFactor, p.MaxSpeedKmh = 3, 1
		err := p.Validate()
		want := "emergency_factor: must be between 1 and 2, got 3\nmax_speed_kmh: must be between 20 and 300 km/h, got 1"
		if err == nil || err.Error() != want {
			t.Fatalf("Validate: %v, want %q", err, want)
		}
	})
	t.Run("nil", func(t *testing.T) {
		var p *Profile
		if err := p.Validate(); err == nil {
			t.Fatal("nil profile validated")
		}
	})
}

func FuzzParseProfile(f *testing.F) {
	f.Add(DefaultProfileYAML())
	f.Add([]byte(testProfile))
	f.Add([]byte(""))
	f.Add([]byte("name: [\n"))
	f.Add([]byte("a: &a [1]\nb: [*a, *a]\n"))
	f.Add([]byte("speeds_kmh: {primary: 1e999, motorway: -0}\n"))
	f.Add([]byte("- - - [[{a: b}]]\n"))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile(data, "fuzz.yaml")
		if err != nil {
			if p != nil {
				t.Fatal("ParseProfile returned a profile and an error")
			}
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed profile does not validate: %v", err)
		}
	})
}
