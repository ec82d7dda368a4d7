package scenarios_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/atlas"
	"github.com/arv-project/arv/geo"
	"github.com/arv-project/arv/scenarios"
)

// docPath is the documentation whose key-figure table the files must match.
const docPath = "../docs/scenarios.md"

// Demand calibration (docs/scenarios.md): national operations involving
// ARVs in 2023/24 (armed-policing-facts.md §3.2) scaled by the force's share
// of the England and Wales population at the 2021 census (59.6 million,
// general knowledge).
const (
	nationalARVOperations  = 16313
	englandWalesPopulation = 59.6e6
)

// urbanThreshold is the ONS population of an urban area (general
// knowledge): demand points of at least this many residents are urban.
const urbanThreshold = 10000

// decode reads a built-in scenario strictly: an unknown or duplicated key
// is an error.
func decode(t *testing.T, name string) *arv.Scenario {
	t.Helper()
	data, ok := scenarios.Get(name)
	if !ok {
		t.Fatalf("Get(%q): not found", name)
	}
	var s arv.Scenario
	if err := yaml.UnmarshalWithOptions(data, &s, yaml.Strict()); err != nil {
		t.Fatalf("%s.yaml: %v", name, err)
	}
	return &s
}

func TestNames(t *testing.T) {
	if got, want := scenarios.Names(), []string{"kent", "wiltshire"}; !slices.Equal(got, want) {
		t.Fatalf("Names() = %q, want %q", got, want)
	}
}

func TestGet(t *testing.T) {
	for _, name := range []string{"wiltshire", "Wiltshire", " KENT ", "kent"} {
		data, ok := scenarios.Get(name)
		if !ok || len(data) == 0 {
			t.Errorf("Get(%q) found nothing", name)
			continue
		}
		if !strings.HasPrefix(string(data), "# ") {
			t.Errorf("Get(%q) does not start with its comment header", name)
		}
	}
	for _, name := range []string{"", "devon", "wiltshire.yaml", "../kent", "*"} {
		if _, ok := scenarios.Get(name); ok {
			t.Errorf("Get(%q) found a scenario", name)
		}
	}
	a, _ := scenarios.Get("kent")
	a[0] = 'X'
	if b, _ := scenarios.Get("kent"); b[0] != '#' {
		t.Fatal("Get returned shared bytes: a caller's change is seen by the next caller")
	}
}

func TestStrictDecodeRejectsUnknownKeys(t *testing.T) {
	// The guard the other tests rely on: a misspelt key must not be
	// silently ignored.
	var s arv.Scenario
	err := yaml.UnmarshalWithOptions([]byte("name: x\nforce: {name: X, area_km2: 1, populaton: 3}\n"), &s, yaml.Strict())
	if err == nil {
		t.Fatal("strict decoding accepted the unknown key populaton")
	}
}

func TestValid(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			s := decode(t, name)
			if errs := s.Validate(); len(errs) > 0 {
				for _, e := range errs {
					t.Error(e)
				}
			}
			if s.Name != name {
				t.Errorf("name is %q, want the file's name %q", s.Name, name)
			}
			if s.Network.Builtin != name {
				t.Errorf("network.builtin is %q, want %q", s.Network.Builtin, name)
			}
		})
	}
}

// locations lists every location of a scenario with its field path.
func locations(s *arv.Scenario) map[string]arv.Location {
	m := map[string]arv.Location{}
	for i, d := range s.DemandPoints {
		m[fmt.Sprintf("demand_points[%d] %s", i, d.ID)] = d.At
	}
	for i, b := range s.Bases {
		m[fmt.Sprintf("bases[%d] %s", i, b.ID)] = b.At
	}
	for i, b := range s.StandbyPoints {
		m[fmt.Sprintf("standby_points[%d] %s", i, b.ID)] = b.At
	}
	for i, h := range s.Demand.Hotspots {
		m[fmt.Sprintf("demand.hotspots[%d] %s", i, h.Name)] = h.At
	}
	for i, k := range s.KeySites {
		m[fmt.Sprintf("key_sites[%d] %s", i, k.Name)] = k.At
	}
	return m
}

// TestLocationsResolve resolves every location as the simulator's router
// does: "LAT,LON", or a place name or id of the built-in network, then
// snapped to the network within its own limit.
func TestLocationsResolve(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			s := decode(t, name)
			area, err := atlas.Lookup(s.Network.Builtin)
			if err != nil {
				t.Fatal(err)
			}
			g, err := area.Network()
			if err != nil {
				t.Fatal(err)
			}
			for path, loc := range locations(s) {
				p, err := geo.ParsePoint(string(loc))
				if err != nil {
					if !errors.Is(err, geo.ErrNotPoint) {
						t.Errorf("%s: %v", path, err)
						continue
					}
					pl, err := g.FindPlace(string(loc))
					if err != nil {
						t.Errorf("%s: at %q: %v", path, loc, err)
						continue
					}
					// The network must take the name for the same place
					// the atlas means by it (no alias clash).
					want, ok := area.Find(string(loc))
					if !ok || want.Point != pl.Point {
						t.Errorf("%s: at %q resolves to %s at %v, the atlas means %s at %v", path, loc, pl.Name, pl.Point, want.Name, want.Point)
					}
					p = pl.Point
				}
				if _, err := g.Snap(p, 0); err != nil {
					t.Errorf("%s: at %q: %v", path, loc, err)
				}
			}
		})
	}
}

// TestMatchesAtlas checks the figures copied from the geography against
// the atlas, which is itself checked against geography.md cell by cell.
func TestMatchesAtlas(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			s := decode(t, name)
			area, err := atlas.Lookup(s.Network.Builtin)
			if err != nil {
				t.Fatal(err)
			}
			if s.Force.Population != area.Population {
				t.Errorf("force.population %d, the atlas says %d", s.Force.Population, area.Population)
			}
			if s.Force.AreaKm2 != area.AreaKm2 {
				t.Errorf("force.area_km2 %g, the atlas says %g", s.Force.AreaKm2, area.AreaKm2)
			}

			// Every settlement, in the atlas's order, by its id, with its
			// population; urban from 10,000 residents.
			if len(s.DemandPoints) != len(area.Settlements) {
				t.Fatalf("%d demand points, the atlas has %d settlements", len(s.DemandPoints), len(area.Settlements))
			}
			sum := 0
			for i, d := range s.DemandPoints {
				st := area.Settlements[i]
				if d.ID != st.ID || string(d.At) != st.ID || d.Name != st.Name {
					t.Errorf("demand_points[%d] is %s (%q at %q), want the atlas's %s (%q)", i, d.ID, d.Name, d.At, st.ID, st.Name)
				}
				if d.Population != st.Population {
					t.Errorf("demand_points[%d] %s: population %d, the atlas says %d", i, d.ID, d.Population, st.Population)
				}
				want := arv.Rural
				if st.Population >= urbanThreshold {
					want = arv.Urban
				}
				if d.Class != want {
					t.Errorf("demand_points[%d] %s: class %s, want %s for %d residents", i, d.ID, d.Class, want, st.Population)
				}
				sum += d.Population
			}
			// The grid holds exactly the residents the points leave out.
			if g := s.DemandGrid; g == nil || g.Population != area.Population-sum || g.Class != arv.Rural {
				t.Errorf("demand_grid %+v, want %d rural residents (%d - %d)", g, area.Population-sum, area.Population, sum)
			}

			// Bases are open police sites, except the one documented
			// assumption: Kent's east base at Dover (geography.md §4.1
			// [K11]).
			for i, b := range s.Bases {
				if name == "kent" && b.ID == "kent_east" {
					if b.At != "dover" {
						t.Errorf("bases[%d] kent_east at %q, documented at dover", i, b.At)
					}
					continue
				}
				site, ok := area.Site(string(b.At))
				if !ok || site.State != atlas.SiteOpen || b.ID != site.ID {
					t.Errorf("bases[%d] %s at %q is not an open police site of the atlas under its own id", i, b.ID, b.At)
				}
			}
			// Key sites are the atlas's protected sites.
			for i, k := range s.KeySites {
				site, ok := area.Site(string(k.At))
				if !ok || !slices.ContainsFunc(area.KeySites, func(x atlas.Site) bool { return x.ID == site.ID }) {
					t.Errorf("key_sites[%d] %s at %q is not a key site of the atlas", i, k.Name, k.At)
				}
			}
		})
	}
}

// TestDemandCalibration checks the documented method: national ARV
// operations scaled by population share.
func TestDemandCalibration(t *testing.T) {
	for _, name := range scenarios.Names() {
		s := decode(t, name)
		want := math.Round(nationalARVOperations * float64(s.Force.Population) / englandWalesPopulation)
		if s.Demand.IncidentsPerYear != want {
			t.Errorf("%s: incidents_per_year %g, the documented method gives %g", name, s.Demand.IncidentsPerYear, want)
		}
	}
}

// seats returns the officers on duty each ARV needs around the clock.
func seats(s *arv.Scenario) int {
	n := 0
	for _, a := range s.ARVs {
		n += a.Crew
	}
	return n
}

// officersPerSeat is the number of ARV officers one round-the-clock seat
// needs: the shifts a year a seat must be filled over the shifts a year an
// officer is on duty after abstraction.
func officersPerSeat(s *arv.Scenario) float64 {
	r := s.Shifts.RosteredShifts()
	return 365.25 * float64(len(s.Shifts.Shifts)) / (r - s.Officers.Abstraction.Total())
}

// TestStaffing checks that the ARV officers are enough, on average, to crew
// every ARV on every shift, and that Wiltshire's own rule of thumb ("at
// least six officers" per 24/7 post) is met.
func TestStaffing(t *testing.T) {
	for _, name := range scenarios.Names() {
		s := decode(t, name)
		per := officersPerSeat(s)
		if per < 6 {
			t.Errorf("%s: %.2f officers per 24/7 seat, fewer than Wiltshire's \"at least six\"", name, per)
		}
		if need := float64(seats(s)) * per; float64(s.Officers.ARV) < need {
			t.Errorf("%s: %d ARV officers cannot fill %d seats at %.2f officers each (%.1f)", name, s.Officers.ARV, seats(s), per, need)
		}
	}
}

// figures are the key figures the documentation tables, each computed
// from a scenario and formatted as the table writes it.
var figures = map[string]func(s *arv.Scenario) string{
	"force.population":       func(s *arv.Scenario) string { return strconv.Itoa(s.Force.Population) },
	"demand_points":          func(s *arv.Scenario) string { return strconv.Itoa(len(s.DemandPoints)) },
	"urban_demand_points":    func(s *arv.Scenario) string { return strconv.Itoa(countUrban(s)) },
	"demand_grid.population": func(s *arv.Scenario) string { return strconv.Itoa(s.DemandGrid.Population) },
	"incidents_per_year":     func(s *arv.Scenario) string { return fmt.Sprint(s.Demand.IncidentsPerYear) },
	"bases":                  func(s *arv.Scenario) string { return strconv.Itoa(len(s.Bases)) },
	"arvs":                   func(s *arv.Scenario) string { return strconv.Itoa(len(s.ARVs)) },
	"crew":                   func(s *arv.Scenario) string { return crews(s) },
	"minimum_complement":     func(s *arv.Scenario) string { return strconv.Itoa(s.MinimumComplement) },
	"officers.arv":           func(s *arv.Scenario) string { return strconv.Itoa(s.Officers.ARV) },
	"officers.afo":           func(s *arv.Scenario) string { return strconv.Itoa(s.Officers.AFO) },
	"armed_officers":         func(s *arv.Scenario) string { return strconv.Itoa(s.Officers.ARV + s.Officers.AFO) },
	"rota": func(s *arv.Scenario) string {
		return fmt.Sprintf("%d teams × %g h, %d shifts", s.Shifts.Teams, s.Shifts.Hours, len(s.Shifts.Shifts))
	},
	"rostered_shifts":        func(s *arv.Scenario) string { return fmt.Sprintf("%.2f", s.Shifts.RosteredShifts()) },
	"abstraction_shifts":     func(s *arv.Scenario) string { return fmt.Sprint(s.Officers.Abstraction.Total()) },
	"availability":           func(s *arv.Scenario) string { return fmt.Sprintf("%.3f", s.Availability()) },
	"officers_per_seat":      func(s *arv.Scenario) string { return fmt.Sprintf("%.2f", officersPerSeat(s)) },
	"key_sites":              func(s *arv.Scenario) string { return strconv.Itoa(len(s.KeySites)) },
	"key_site_hours_per_day": func(s *arv.Scenario) string { return fmt.Sprint(keyHours(s)) },
	"two_arv_share":          func(s *arv.Scenario) string { return fmt.Sprint(s.Demand.TwoARVShare) },
	"stood_down_share":       func(s *arv.Scenario) string { return fmt.Sprint(s.Demand.StoodDownShare) },
	"on_scene_mean":          func(s *arv.Scenario) string { return fmt.Sprint(s.Demand.OnScene.MeanMinutes()) },
	"delay_before_driving_mean": func(s *arv.Scenario) string {
		d := s.Delays
		return fmt.Sprint(d.CallHandling.MeanMinutes() + d.Authorisation.MeanMinutes() + d.Mobilisation.MeanMinutes())
	},
	"mutual_aid.after_minutes": func(s *arv.Scenario) string { return fmt.Sprint(s.MutualAid.AfterMinutes) },
	"neighbours":               func(s *arv.Scenario) string { return strconv.Itoa(len(s.MutualAid.Neighbours)) },
	"targets": func(s *arv.Scenario) string {
		t := s.Targets
		return fmt.Sprintf("%g / %g min, %g", t.UrbanMinutes, t.RuralMinutes, t.Share)
	},
	"simulation": func(s *arv.Scenario) string {
		m := s.Simulation
		return fmt.Sprintf("%g years × %d, warm-up %g days, seed %d", m.Years, m.Replications, m.WarmupDays, m.Seed)
	},
}

func countUrban(s *arv.Scenario) int {
	n := 0
	for _, d := range s.DemandPoints {
		if d.Class == arv.Urban {
			n++
		}
	}
	return n
}

func crews(s *arv.Scenario) string {
	var c []string
	for _, a := range s.ARVs {
		if x := strconv.Itoa(a.Crew); !slices.Contains(c, x) {
			c = append(c, x)
		}
	}
	return strings.Join(c, ", ")
}

func keyHours(s *arv.Scenario) float64 {
	h := 0.0
	for _, k := range s.KeySites {
		h += k.HoursPerDay
	}
	return h
}

// keyFigures reads the documentation's key-figure table: the rows
// "| scenario | figure | value | ... |" between the key-figures markers.
func keyFigures(t *testing.T) map[[2]string]string {
	t.Helper()
	data, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok1 := strings.Cut(string(data), "<!-- key-figures:begin -->")
	table, _, ok2 := strings.Cut(rest, "<!-- key-figures:end -->")
	if !ok1 || !ok2 {
		t.Fatalf("%s: no key-figures table between its markers", docPath)
	}
	rows := map[[2]string]string{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) < 3 {
			continue
		}
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		if cells[0] == "scenario" || strings.HasPrefix(cells[0], "-") {
			continue
		}
		key := [2]string{cells[0], cells[1]}
		if _, dup := rows[key]; dup {
			t.Errorf("%s: %s %s is tabled twice", docPath, key[0], key[1])
		}
		rows[key] = cells[2]
	}
	return rows
}

// TestKeyFiguresMatchDocs checks every figure of the documentation's table
// against the files, and that the table gives every figure for every
// scenario.
func TestKeyFiguresMatchDocs(t *testing.T) {
	rows := keyFigures(t)
	for _, name := range scenarios.Names() {
		s := decode(t, name)
		for fig, f := range figures {
			doc, ok := rows[[2]string{name, fig}]
			if !ok {
				t.Errorf("%s: the table lacks %s %s", docPath, name, fig)
				continue
			}
			if got := f(s); got != doc {
				t.Errorf("%s %s: the file gives %q, %s says %q", name, fig, got, docPath, doc)
			}
		}
	}
	for key := range rows {
		if _, ok := figures[key[1]]; !ok || !slices.Contains(scenarios.Names(), key[0]) {
			t.Errorf("%s: unknown row %s %s", docPath, key[0], key[1])
		}
	}
}

// TestKentOfficers pins the figures the brief and the sources fix: Kent's
// 81 armed officers of June 2017 and its three patrolled iconic sites.
func TestKentOfficers(t *testing.T) {
	s := decode(t, "kent")
	if n := s.Officers.ARV + s.Officers.AFO; n != 81 {
		t.Errorf("Kent has %d ARV and other armed officers, the source says 81 (June 2017)", n)
	}
	var sites []string
	for _, k := range s.KeySites {
		sites = append(sites, string(k.At))
	}
	slices.Sort(sites)
	if want := []string{"bluewater", "cathedral", "dovereast"}; !slices.Equal(sites, want) {
		t.Errorf("Kent key sites %q, want %q", sites, want)
	}
}

// numeric matches a line that sets a number: a key with a numeric value,
// in block or flow style, or a flow sequence of numbers.
var numeric = regexp.MustCompile(`(^|[\s{,])[a-z_0-9]+:\s*(-?[0-9.]+\s*([,}]|$)|\[\s*-?[0-9])`)

// TestEveryFigureLabelled enforces the project rule that every number
// carries its source or "assumption:": a line setting a number must carry
// a comment, or follow a comment line that explains it.
func TestEveryFigureLabelled(t *testing.T) {
	for _, name := range scenarios.Names() {
		data, _ := scenarios.Get(name)
		lines := strings.Split(string(data), "\n")
		block := -1 // indentation of the key of the block scalar being read
		for i, line := range lines {
			indent := len(line) - len(strings.TrimLeft(line, " "))
			if block >= 0 && (strings.TrimSpace(line) == "" || indent > block) {
				continue // prose of a block scalar (a description or source)
			}
			block = -1
			code, comment := splitComment(line)
			if c := strings.TrimSpace(code); strings.HasSuffix(c, ">-") || strings.HasSuffix(c, "|") || strings.HasSuffix(c, ">") {
				block = indent
			}
			if !numeric.MatchString(code) || strings.Contains(code, "source:") {
				continue // no number, or a distribution whose source says it
			}
			if comment != "" {
				continue
			}
			if i > 0 && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") {
				continue
			}
			t.Errorf("%s.yaml:%d: a figure without a source or assumption: %s", name, i+1, strings.TrimSpace(line))
		}
	}
}

// splitComment splits a YAML line at its comment, ignoring # in quotes.
func splitComment(line string) (code, comment string) {
	var quote rune
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && (i == 0 || line[i-1] == ' '):
			return line[:i], strings.TrimSpace(line[i+1:])
		}
	}
	return line, ""
}
