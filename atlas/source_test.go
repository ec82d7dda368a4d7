package atlas

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// geographyMD is the domain file the data is transcribed from, relative to
// this package in the shared checkout.
const geographyMD = "../../shared/domain/geography.md"

// tableFiles maps each table of geography.md, by the number of the section
// it is in, to its CSV file under data/.
var tableFiles = map[string]string{
	"1.1": "wiltshire/area.csv",
	"1.2": "wiltshire/settlements.csv",
	"2.1": "wiltshire/sites.csv",
	"3.":  "wiltshire/links.csv",
	"4.1": "kent/area.csv",
	"4.2": "kent/settlements.csv",
	"4.3": "kent/sites.csv",
	"4.4": "kent/links.csv",
	"5.2": "speeds.csv",
}

// mdTable is a pipe table of a markdown file and the heading above it.
type mdTable struct {
	heading string
	rows    [][]string // header first; the |---| line is dropped
}

var mdRule = regexp.MustCompile(`^:?-+:?$`)

// markdownTables returns the pipe tables of md. A table is a run of lines
// starting with "|"; cells are trimmed and bold markers (**) removed, the
// one change the CSV files make.
func markdownTables(md string) []mdTable {
	var out []mdTable
	heading := ""
	in := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "#") {
			heading = strings.TrimSpace(strings.TrimLeft(line, "#"))
			in = false
			continue
		}
		if !strings.HasPrefix(line, "|") {
			in = false
			continue
		}
		if !in {
			out = append(out, mdTable{heading: heading})
			in = true
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		rule := true
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(strings.TrimSpace(c), "**", "")
			rule = rule && mdRule.MatchString(cells[i])
		}
		if !rule {
			t := &out[len(out)-1]
			t.rows = append(t.rows, cells)
		}
	}
	return out
}

// headingCount matches the count a heading gives, "(46)" or "(85 links)".
var headingCount = regexp.MustCompile(`\((\d+)(?: links)?\)$`)

// TestMatchesGeographyMD is the proof that the embedded data is the domain
// file's: it re-reads every table of geography.md and compares each with
// its CSV file cell for cell, checks the counts the headings give, and
// checks the area names and extents against the section headings.
func TestMatchesGeographyMD(t *testing.T) {
	md, err := os.ReadFile(geographyMD)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the check of data/*.csv against the domain file needs the shared checkout", geographyMD)
	}
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	for _, tb := range markdownTables(string(md)) {
		sec, _, _ := strings.Cut(tb.heading, " ")
		path, ok := tableFiles[sec]
		if !ok {
			t.Errorf("table under %q has no CSV file: transcribe it and add it to tableFiles", tb.heading)
			continue
		}
		if seen[path] {
			t.Errorf("second table under %q", tb.heading)
			continue
		}
		seen[path] = true
		t.Run(path, func(t *testing.T) {
			f, err := dataFS.Open("data/" + path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tb.rows) {
				t.Errorf("%d rows, want %d (header included) as in %q", len(got), len(tb.rows), tb.heading)
			}
			for i := range min(len(got), len(tb.rows)) {
				if len(got[i]) != len(tb.rows[i]) {
					t.Errorf("row %d: %d cells, want %d", i+1, len(got[i]), len(tb.rows[i]))
					continue
				}
				for j := range got[i] {
					if got[i][j] != tb.rows[i][j] {
						t.Errorf("row %d column %q: %q, want %q", i+1, tb.rows[0][j], got[i][j], tb.rows[i][j])
					}
				}
			}
			if m := headingCount.FindStringSubmatch(tb.heading); m != nil {
				n, _ := strconv.Atoi(m[1])
				if got := len(got) - 1; got != n {
					t.Errorf("%d data rows, want %d as the heading %q says", got, n, tb.heading)
				}
			}
		})
	}
	for _, path := range tableFiles {
		if !seen[path] {
			t.Errorf("no table of geography.md for %s", path)
		}
	}
	for _, spec := range builtin {
		h := "## "
		found := false
		for _, line := range strings.Split(string(md), "\n") {
			if strings.HasPrefix(line, h) && strings.HasSuffix(line, spec.name+" ("+spec.covers+")") {
				found = true
			}
		}
		if !found {
			t.Errorf("no heading %q in geography.md", "## … "+spec.name+" ("+spec.covers+")")
		}
	}
}

// TestEmbeddedData checks that the embedded data parses: Lookup and
// BlueLightKmh rely on it.
func TestEmbeddedData(t *testing.T) {
	c, err := load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.areas), len(builtin); got != want {
		t.Fatalf("%d areas, want %d", got, want)
	}
	for _, spec := range builtin {
		a := c.areas[spec.id]
		for _, s := range a.Sites {
			if _, ok := spec.shortNames[s.ID]; !ok {
				t.Errorf("%s: site %q has no short name", spec.id, s.ID)
			}
		}
		for _, s := range a.KeySites {
			if _, ok := spec.shortNames[s.ID]; !ok {
				t.Errorf("%s: key site %q has no short name", spec.id, s.ID)
			}
		}
	}
}

// embeddedCopy returns the embedded files as a map the tests may change.
func embeddedCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(dataFS, "data", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(dataFS, path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestParseErrors corrupts the data and checks that each fault is
// reported, not panicked on or let through.
func TestParseErrors(t *testing.T) {
	const (
		wSet   = "data/wiltshire/settlements.csv"
		wSites = "data/wiltshire/sites.csv"
		wLinks = "data/wiltshire/links.csv"
		wArea  = "data/wiltshire/area.csv"
		speeds = "data/speeds.csv"
	)
	cases := []struct {
		name, path, old, new, wantErr string
	}{
		{"BadPopulation", wSet, ",183638,", ",-5,", "population"},
		{"BadLat", wSet, "51.5580", "north", "lat"},
		{"BadPoint", wSet, "51.5580", "91", "valid position"},
		{"BadID", wSet, "swindon,Swindon", "Swindon!,Swindon", "lower-case key"},
		{"DuplicateID", wSet, "salisbury,Salisbury", "swindon,Salisbury", "duplicate id"},
		{"ExtraColumn", wSet, "kind\n", "kind,notes\n", "unexpected column"},
		{"MissingColumn", wSet, ",kind\n", "\n", "no \"kind\" column"},
		{"RepeatedColumn", wSet, "coord_source,kind", "kind,kind", "twice"},
		{"ShortRow", wSet, ",G,city\n", ",G\n", "wrong number of fields"},
		{"NoRows", wSet, "", "", "no rows"},
		{"Empty", wSet, "", "", "header"},
		{"Missing", wSet, "", "", "file does not exist"},
		{"BadStatus", wSites, "closed by end of Apr 2025,51.0745", "demolished,51.0745", "cannot read status"},
		{"UnknownEnd", wLinks, "swindon,rwb,", "swindon,nowhere,", "unknown end"},
		{"UnknownClass", wLinks, "A3102 (via M4 J16),primary", "A3102 (via M4 J16),bridleway", "has no speed"},
		{"SelfLink", wLinks, "swindon,rwb,", "swindon,swindon,", "to itself"},
		{"ZeroLength", wLinks, ",8.7,10.9,", ",8.7,0,", "not positive"},
		{"NoAreaRow", wArea, "area_km2,3485", "area,3485", "no area_km2 row"},
		{"BadArea", wArea, "area_km2,3485", "area_km2,large", "does not start with a number"},
		{"NoPopulationPart", wArea, "population_2021_census_swindon_ua", "swindon", "no population_2021_census_swindon_ua row"},
		{"BadSpeed", speeds, "motorway,70,95,110", "motorway,70,95,0", "plausible speed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := embeddedCopy(t)
			switch tc.name {
			case "NoRows":
				b := string(m[tc.path].Data)
				m[tc.path].Data = []byte(b[:strings.Index(b, "\n")+1])
			case "Empty":
				m[tc.path].Data = nil
			case "Missing":
				delete(m, tc.path)
			default:
				b := string(m[tc.path].Data)
				if !strings.Contains(b, tc.old) {
					t.Fatalf("%s does not contain %q", tc.path, tc.old)
				}
				m[tc.path].Data = []byte(strings.Replace(b, tc.old, tc.new, 1))
			}
			_, err := parseCatalog(m, builtin[:])
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err=%v, want one containing %q", err, tc.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "atlas: ") {
				t.Fatalf("err=%q, want the \"atlas: \" prefix", err)
			}
		})
	}
}

func TestLeadingNumber(t *testing.T) {
	cases := []struct {
		in     string
		v      float64
		approx bool
		ok     bool
	}{
		{"3485", 3485, false, true},
		{"3710 (1,433 sq mi)", 3710, false, true},
		{"≈ 1,855,900", 1855900, true, true},
		{"≈ 1.8 million", 1.8, true, true},
		{" 743800 ", 743800, false, true},
		{"", 0, false, false},
		{"≈", 0, false, false},
		{"about 3,000", 0, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			v, approx, err := leadingNumber(tc.in)
			if got, want := err == nil, tc.ok; got != want {
				t.Fatalf("err=%v, want ok=%v", err, want)
			}
			if v != tc.v || approx != tc.approx {
				t.Fatalf("leadingNumber(%q)=%v, %v, want %v, %v", tc.in, v, approx, tc.v, tc.approx)
			}
		})
	}
}

func TestParseState(t *testing.T) {
	cases := []struct {
		status string
		want   SiteState
		ok     bool
	}{
		{"", SiteOpen, true},
		{"open", SiteOpen, true},
		{"open; £90m redevelopment planned over ~10 years (2024 estates strategy)", SiteOpen, true},
		{"open (as of the 2016 strategy)", SiteUnverified, true},
		{"status after 2016 not verified", SiteUnverified, true},
		{"closed by end of Apr 2025 (moved to HQ)", SiteClosed, true},
		{"planned", SitePlanned, true},
		{"Closed", SiteClosed, true},
		{"mothballed", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.status, func(t *testing.T) {
			got, err := parseState(tc.status)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("parseState(%q)=%v, %v, want %v, ok=%v", tc.status, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestPlaceKind(t *testing.T) {
	cases := []struct{ kind, want string }{
		{"large town (built-up area)", "town"},
		{"city", "city"},
		{"county town", "town"},
		{"large village / garrison", "village"},
		{"town (source says \"almost 6,000\")", "town"},
		{"village (M4 J15)", "village"},
		{"hamlet (S corner, Cranborne Chase)", "hamlet"},
		{"garrison", "settlement"},
		{"", "settlement"},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			if got := placeKind(tc.kind); got != tc.want {
				t.Fatalf("placeKind(%q)=%q, want %q", tc.kind, got, tc.want)
			}
		})
	}
}
