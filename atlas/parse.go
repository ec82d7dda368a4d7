package atlas

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/arv-project/arv/geo"
)

// dataFS holds the tables of geography.md transcribed to CSV, one file per
// table, with the file's snake_case headers and every column kept.
//
//go:embed data
var dataFS embed.FS

// areaSpec says where an area's tables are and what the file's prose, not
// its tables, supplies.
type areaSpec struct {
	id     string // directory under data/
	name   string
	covers string // from the section heading (geography.md §1, §4)
	// links is the section of geography.md with the link table.
	links string
	// popParts are the area-table rows whose sum is the force-area
	// population ("Sum of the two rows above").
	popParts []string
	// shortNames are the sites' short names, by site id.
	shortNames map[string]string
}

// builtin lists the built-in areas, sorted by id.
var builtin = [...]areaSpec{
	{
		id:       "kent",
		name:     "Kent Police area",
		covers:   "Kent County Council area plus Medway",
		links:    "§4.4",
		popParts: []string{"population_2021_census_medway", "population_2021_census_kcc"},
		shortNames: map[string]string{
			"cathedral":     "Canterbury Cathedral",
			"dovereast":     "Port of Dover",
			"bluewater":     "Bluewater",
			"ashfordoutlet": "Ashford Designer Outlet",
			"kenthq":        "Kent Police HQ (Maidstone)",
			"northkent":     "North Kent Police Station (Northfleet)",
		},
	},
	{
		id:       "wiltshire",
		name:     "Wiltshire Police area",
		covers:   "Wiltshire Council area plus the Borough of Swindon",
		links:    "§3",
		popParts: []string{"population_2021_census_wiltshire_ua", "population_2021_census_swindon_ua"},
		shortNames: map[string]string{
			"wp_hq_devizes":           "Wiltshire Police HQ (Devizes)",
			"wp_gablecross":           "Gablecross Police Station (Swindon)",
			"wp_melksham":             "Melksham Police Station",
			"wp_chippenham":           "Chippenham Police (Monkton Park)",
			"wp_trowbridge":           "Trowbridge Police Station",
			"wp_warminster":           "Warminster Police Station",
			"wp_rwb":                  "Royal Wootton Bassett Police Station",
			"wp_salisbury_bournehill": "Salisbury Police (Bourne Hill)",
			"wp_salisbury_wiltonrd":   "Wilton Road Police Station (Salisbury)",
			"wp_tidworth":             "Tidworth Police Station",
			"wp_amesbury":             "Amesbury Police Station",
			"wp_devizes_borough":      "Devizes Borough Police Station",
			"wp_marlborough":          "Marlborough Police (Corner House)",
			"wp_south_hub_planned":    "Southern Policing Hub (planned)",
		},
	},
}

// catalog is the parsed embedded data.
type catalog struct {
	areas  map[string]*Area
	speeds []Speed
}

// load parses the embedded data once. An error means the embedded files
// are corrupt, a programmer error that TestEmbeddedData catches; it is
// returned rather than panicked on.
var load = sync.OnceValues(func() (*catalog, error) {
	return parseCatalog(dataFS, builtin[:])
})

func parseCatalog(fsys fs.FS, specs []areaSpec) (*catalog, error) {
	c := &catalog{areas: make(map[string]*Area)}
	var err error
	if c.speeds, err = parseSpeeds(fsys, "data/speeds.csv"); err != nil {
		return nil, err
	}
	classes := make(map[string]bool)
	for _, s := range c.speeds {
		classes[s.Class] = true
	}
	for _, spec := range specs {
		a, err := parseArea(fsys, spec, classes)
		if err != nil {
			return nil, err
		}
		c.areas[spec.id] = a
	}
	return c, nil
}

func parseArea(fsys fs.FS, spec areaSpec, classes map[string]bool) (*Area, error) {
	dir := "data/" + spec.id + "/"
	a := &Area{ID: spec.id, Name: spec.name, Covers: spec.covers, linkSection: spec.links}
	if err := parseFacts(fsys, dir+"area.csv", spec, a); err != nil {
		return nil, err
	}
	var err error
	if a.Settlements, err = parseSettlements(fsys, dir+"settlements.csv"); err != nil {
		return nil, err
	}
	sites, err := parseSites(fsys, dir+"sites.csv", spec.shortNames)
	if err != nil {
		return nil, err
	}
	for _, s := range sites {
		if strings.HasPrefix(s.Role, "protected site") {
			a.KeySites = append(a.KeySites, s)
		} else {
			a.Sites = append(a.Sites, s)
		}
	}
	if a.Links, err = parseLinks(fsys, dir+"links.csv"); err != nil {
		return nil, err
	}
	if err := a.validate(classes); err != nil {
		return nil, fmt.Errorf("atlas: %s: %w", dir, err)
	}
	return a, nil
}

// validate checks what the parsers of single rows cannot: unique ids and
// links between known ends with known classes.
func (a *Area) validate(classes map[string]bool) error {
	ids := make(map[string]bool)
	for _, id := range a.nodeIDs() {
		if ids[id] {
			return fmt.Errorf("duplicate id %q", id)
		}
		ids[id] = true
	}
	for i, l := range a.Links {
		if !ids[l.From] || !ids[l.To] {
			return fmt.Errorf("link %d (%s-%s): unknown end", i+1, l.From, l.To)
		}
		if !classes[l.Class] {
			return fmt.Errorf("link %d (%s-%s): class %q has no speed", i+1, l.From, l.To, l.Class)
		}
	}
	return nil
}

// nodeIDs returns the ids of the settlements, sites and key sites, in
// node order.
func (a *Area) nodeIDs() []string {
	var ids []string
	for _, s := range a.Settlements {
		ids = append(ids, s.ID)
	}
	for _, s := range a.Sites {
		ids = append(ids, s.ID)
	}
	for _, s := range a.KeySites {
		ids = append(ids, s.ID)
	}
	return ids
}

var sourceID = regexp.MustCompile(`\[([A-Z]+[0-9]+)\]`)

// sourceIDs returns the bracketed source ids in text, in order, without
// repeats, joined by ", ".
func sourceIDs(texts ...string) string {
	var ids []string
	for _, t := range texts {
		for _, m := range sourceID.FindAllStringSubmatch(t, -1) {
			if !slices.Contains(ids, m[1]) {
				ids = append(ids, m[1])
			}
		}
	}
	return strings.Join(ids, ", ")
}

// leadingNumber parses the number a table value starts with, such as
// "3710 (1,433 sq mi)" or "≈ 1,855,900"; approx reports a leading "≈".
func leadingNumber(s string) (v float64, approx bool, err error) {
	t := strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(t, "≈"); ok {
		approx, t = true, strings.TrimSpace(rest)
	}
	end := strings.IndexFunc(t, func(r rune) bool { return !(r >= '0' && r <= '9' || r == ',' || r == '.') })
	if end < 0 {
		end = len(t)
	}
	v, err = strconv.ParseFloat(strings.ReplaceAll(t[:end], ",", ""), 64)
	if err != nil {
		return 0, false, fmt.Errorf("%q does not start with a number", s)
	}
	return v, approx, nil
}

func parseFacts(fsys fs.FS, path string, spec areaSpec, a *Area) error {
	t, err := readTable(fsys, path, []string{"quantity", "value", "source"}, nil)
	if err != nil {
		return err
	}
	byName := make(map[string]Fact)
	for _, row := range t.rows {
		f := Fact{Quantity: row.str("quantity"), Value: row.str("value"), Source: row.str("source")}
		a.Facts = append(a.Facts, f)
		byName[f.Quantity] = f
	}
	number := func(q string) (float64, bool, error) {
		f, ok := byName[q]
		if !ok {
			return 0, false, fmt.Errorf("atlas: %s: no %s row", path, q)
		}
		v, approx, err := leadingNumber(f.Value)
		if err != nil {
			return 0, false, fmt.Errorf("atlas: %s: %s: %w", path, q, err)
		}
		return v, approx, nil
	}
	if a.AreaKm2, _, err = number("area_km2"); err != nil {
		return err
	}
	if !(a.AreaKm2 > 0) {
		return fmt.Errorf("atlas: %s: area_km2 %g is not positive", path, a.AreaKm2)
	}
	a.AreaSource = sourceIDs(byName["area_km2"].Source)
	pop, approx, err := number("population_2021_census_force_area")
	if err != nil {
		return err
	}
	if !(pop > 0 && pop < 1e9) {
		return fmt.Errorf("atlas: %s: population %g out of range", path, pop)
	}
	a.Population, a.PopulationApprox = int(pop), approx
	var srcs []string
	for _, q := range spec.popParts {
		if _, _, err := number(q); err != nil {
			return err
		}
		srcs = append(srcs, byName[q].Source)
	}
	a.PopulationSource = sourceIDs(srcs...)
	return nil
}

var settlementCols = []string{"id", "name", "lat", "lon", "population", "pop_year", "pop_source", "coord_source", "kind"}

func parseSettlements(fsys fs.FS, path string) ([]Settlement, error) {
	t, err := readTable(fsys, path, settlementCols, []string{"authority"})
	if err != nil {
		return nil, err
	}
	var out []Settlement
	for _, row := range t.rows {
		s := Settlement{
			ID:          row.id(),
			Name:        row.nonEmpty("name"),
			Authority:   row.str("authority"),
			Point:       row.point(),
			Population:  row.count("population"),
			PopYear:     row.str("pop_year"),
			PopSource:   row.str("pop_source"),
			CoordSource: row.str("coord_source"),
			Kind:        row.str("kind"),
		}
		if err := row.err; err != nil {
			return nil, err
		}
		s.ShortName, _, _ = strings.Cut(s.Name, " (")
		s.PlaceKind = placeKind(s.Kind)
		out = append(out, s)
	}
	return out, nil
}

// placeKind reduces a settlement kind ("large village / garrison") to
// "city", "town", "village" or "hamlet" by the last word before any
// bracket or slash.
func placeKind(kind string) string {
	head, _, _ := strings.Cut(kind, "(")
	head, _, _ = strings.Cut(head, "/")
	words := strings.Fields(strings.ToLower(head))
	if len(words) > 0 {
		switch w := words[len(words)-1]; w {
		case "city", "town", "village", "hamlet":
			return w
		}
	}
	return "settlement"
}

func parseSites(fsys fs.FS, path string, shortNames map[string]string) ([]Site, error) {
	t, err := readTable(fsys, path, []string{"id", "name", "lat", "lon", "coord_source"},
		[]string{"role", "kind", "status", "fact_source"})
	if err != nil {
		return nil, err
	}
	var out []Site
	for _, row := range t.rows {
		s := Site{
			ID:          row.id(),
			Name:        row.nonEmpty("name"),
			Role:        row.str("role"),
			Status:      row.str("status"),
			Point:       row.point(),
			CoordSource: row.str("coord_source"),
			FactSource:  row.str("fact_source"),
		}
		if s.Role == "" {
			s.Role = row.str("kind")
		}
		if err := row.err; err != nil {
			return nil, err
		}
		s.ShortName = shortNames[s.ID]
		if s.ShortName == "" {
			s.ShortName = s.Name
		}
		if s.State, err = parseState(s.Status); err != nil {
			return nil, fmt.Errorf("atlas: %s:%d: %w", path, row.line, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// parseState reads a status column. It is deliberately strict: a status
// worded in a new way is an error, so that it is read by a person.
func parseState(status string) (SiteState, error) {
	s := strings.ToLower(status)
	switch {
	case s == "":
		return SiteOpen, nil
	case strings.HasPrefix(s, "closed"):
		return SiteClosed, nil
	case strings.HasPrefix(s, "planned"):
		return SitePlanned, nil
	case strings.Contains(s, "not verified"), strings.Contains(s, "as of"):
		return SiteUnverified, nil
	case strings.HasPrefix(s, "open"):
		return SiteOpen, nil
	}
	return 0, fmt.Errorf("cannot read status %q", status)
}

var linkCols = []string{"from_id", "to_id", "from", "to", "road", "class", "straight_km", "est_road_km", "factor"}

func parseLinks(fsys fs.FS, path string) ([]Link, error) {
	t, err := readTable(fsys, path, linkCols, nil)
	if err != nil {
		return nil, err
	}
	var out []Link
	for _, row := range t.rows {
		l := Link{
			From:       row.nonEmpty("from_id"),
			To:         row.nonEmpty("to_id"),
			FromName:   row.str("from"),
			ToName:     row.str("to"),
			Road:       row.str("road"),
			Class:      row.nonEmpty("class"),
			StraightKm: row.positive("straight_km"),
			EstRoadKm:  row.positive("est_road_km"),
			Factor:     row.positive("factor"),
		}
		if err := row.err; err != nil {
			return nil, err
		}
		if l.From == l.To {
			return nil, fmt.Errorf("atlas: %s:%d: link from %q to itself", path, row.line, l.From)
		}
		out = append(out, l)
	}
	return out, nil
}

func parseSpeeds(fsys fs.FS, path string) ([]Speed, error) {
	t, err := readTable(fsys, path, []string{"class", "typical_limit_mph", "blue_light_avg_kmh_low",
		"blue_light_avg_kmh_typical", "blue_light_avg_kmh_high", "note"}, nil)
	if err != nil {
		return nil, err
	}
	var out []Speed
	for _, row := range t.rows {
		s := Speed{
			Class:           row.nonEmpty("class"),
			TypicalLimitMph: row.str("typical_limit_mph"),
			LowKmh:          row.speed("blue_light_avg_kmh_low"),
			TypicalKmh:      row.speed("blue_light_avg_kmh_typical"),
			HighKmh:         row.speed("blue_light_avg_kmh_high"),
			Note:            row.str("note"),
		}
		if err := row.err; err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// table is a CSV file read with its header.
type table struct {
	rows []*row
}

// row is one record of a table. Its accessors record the first error in
// err and return zero values after it, so a parser reads every field and
// checks err once.
type row struct {
	path   string
	line   int
	col    map[string]int
	fields []string
	err    error
}

// readTable reads the CSV file at path. Its header must hold every
// required column and nothing but required and optional ones, so that no
// column is silently dropped.
func readTable(fsys fs.FS, path string, required, optional []string) (*table, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, fmt.Errorf("atlas: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("atlas: %s: header: %w", path, err)
	}
	col := make(map[string]int)
	for i, h := range header {
		if !slices.Contains(required, h) && !slices.Contains(optional, h) {
			return nil, fmt.Errorf("atlas: %s: unexpected column %q", path, h)
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("atlas: %s: column %q twice", path, h)
		}
		col[h] = i
	}
	for _, h := range required {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("atlas: %s: no %q column", path, h)
		}
	}
	t := &table{}
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("atlas: %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, &row{path: path, line: line, col: col, fields: fields})
	}
	if len(t.rows) == 0 {
		return nil, fmt.Errorf("atlas: %s: no rows", path)
	}
	return t, nil
}

func (r *row) fail(column, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("atlas: %s:%d: %s: %s", r.path, r.line, column, fmt.Sprintf(format, args...))
	}
}

// str returns the field in column, or "" when the table has no such
// column.
func (r *row) str(column string) string {
	i, ok := r.col[column]
	if !ok || r.err != nil {
		return ""
	}
	return r.fields[i]
}

func (r *row) nonEmpty(column string) string {
	s := r.str(column)
	if s == "" {
		r.fail(column, "empty")
	}
	return s
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func (r *row) id() string {
	s := r.str("id")
	if !idPattern.MatchString(s) {
		r.fail("id", "%q is not a lower-case key", s)
	}
	return s
}

func (r *row) float(column string) float64 {
	s := r.str(column)
	if r.err != nil {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail(column, "%q is not a number", s)
		return 0
	}
	return v
}

func (r *row) positive(column string) float64 {
	v := r.float(column)
	if r.err == nil && !(v > 0) {
		r.fail(column, "%g is not positive", v)
	}
	return v
}

func (r *row) speed(column string) float64 {
	v := r.float(column)
	if r.err == nil && !(v >= 1 && v <= 300) {
		r.fail(column, "%g km/h is not a plausible speed", v)
	}
	return v
}

func (r *row) count(column string) int {
	s := r.str(column)
	if r.err != nil {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		r.fail(column, "%q is not a count", s)
		return 0
	}
	return v
}

func (r *row) point() geo.Point {
	p := geo.Point{Lat: r.float("lat"), Lon: r.float("lon")}
	if r.err == nil && !p.Valid() {
		r.fail("lat/lon", "%v is not a valid position", p)
	}
	return p
}
