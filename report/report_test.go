package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/arv-project/arv/geo"
)

// mustRender renders d and checks what every report must satisfy: no
// error, well-formed HTML, every SVG well-formed XML, nothing external.
func mustRender(tb testing.TB, d *Data) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		tb.Fatalf("Render: %v", err)
	}
	out := buf.String()
	if err := checkWellFormed(out); err != nil {
		tb.Fatalf("HTML not well formed: %v", err)
	}
	for i, s := range svgFragments(out) {
		if err := checkXML(s); err != nil {
			tb.Fatalf("SVG %d not well-formed XML: %v\n%.300s", i, err, s)
		}
	}
	if err := checkSelfContained(out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestRenderSample(t *testing.T) {
	d := sampleData()
	out := mustRender(t, d)

	if dir := os.Getenv("ARV_ARTIFACTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "report.html"), []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	for _, id := range []string{"arv-map", "arv-cdf", "arv-coverage", "arv-utilisation", "arv-hypercube"} {
		if !strings.Contains(out, `<svg id="`+id+`"`) {
			t.Errorf("no <svg id=%q>", id)
		}
	}
	if got, want := strings.Count(out, `<circle class="demand `), 30; got != want {
		t.Errorf("demand circles = %d, want %d", got, want)
	}
	if got, want := strings.Count(out, `<path class="isochrone"`), 3; got != want {
		t.Errorf("isochrone bands = %d, want %d", got, want)
	}
	if got, want := strings.Count(out, `<path class="cdf-line"`), 7; got != want {
		t.Errorf("CDF lines = %d, want %d", got, want)
	}
	if got, want := strings.Count(out, `<path class="standby"`), 4; got != want {
		t.Errorf("standby markers = %d, want %d", got, want)
	}
	if got, want := strings.Count(out, `<rect class="base"`), 5; got != want {
		t.Errorf("base markers = %d, want %d", got, want)
	}
	// The motorway, trunk and primary roads are separate, thicker paths.
	for _, c := range []string{"road-motorway", "road-trunk", "road-primary", "road-minor"} {
		if !strings.Contains(out, c) {
			t.Errorf("no %s path", c)
		}
	}
	// Targets drawn and stated.
	for _, s := range []string{"Urban target 15 min", "Rural target 20 min", "Standard: 90% within target", "15 min urban, 20 min rural"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	// Every headline, option and note is shown.
	for _, h := range d.Headline {
		if !strings.Contains(out, esc(h.Answer)) {
			t.Errorf("headline answer %q missing", h.Answer)
		}
	}
	if got, want := strings.Count(out, `<tr class="chosen">`), 1; got != want {
		t.Errorf("chosen rows = %d, want %d", got, want)
	}
	for _, n := range d.Notes {
		if !strings.Contains(out, esc(n)) {
			t.Errorf("note %q missing", n)
		}
	}
	// The legend names what the map shows; the unreached cell is grey.
	for _, s := range []string{"Within target", "Over 1.5 × target", "Not reached", "Standby point (optimised)", "ARV base", "Other police site", "Within 10 min", "Within 30 min", "Motorway", "Force boundary", " km</text>"} {
		if !strings.Contains(out, s) {
			t.Errorf("map lacks %q", s)
		}
	}
	if strings.Contains(out, "No target set") {
		t.Error("legend lists \"No target set\" though every point has a target")
	}
	// Figures and tables are numbered in order.
	for _, s := range []string{"Figure 1. The force area", "Figure 2. Share of incidents", "Table 1. Options compared"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	// Numbers are formatted, and the numeric columns of a further table
	// are right-aligned (html/template writes "+" as "&#43;").
	plain := html.UnescapeString(out)
	for _, s := range []string{"+£710,000", "−£730,000", "<td class=\"num\">£0</td>", "91.3%", "8,760", "1,546.4", "<td class=\"num\">1,204</td>", "<td class=\"num\">95.1%</td>",
		`<span class="ci">10.4–11.0</span>`, `<span class="ci">90.1–92.4%</span>`, "95% confidence intervals", `class="not-applicable"`, "Not applicable",
		`<td class="num">£710,000</td><td>a year</td>`} {
		if !strings.Contains(plain, s) {
			t.Errorf("output lacks %q", s)
		}
	}

	// Rendering is deterministic and leaves d unchanged.
	again := mustRender(t, d)
	if again != out {
		t.Error("two renders of the same data differ")
	}
}

func TestRenderNil(t *testing.T) {
	if err := Render(io.Discard, nil); !errors.Is(err, ErrNilData) {
		t.Fatalf("Render(nil) = %v, want ErrNilData", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderWriteError(t *testing.T) {
	err := Render(failWriter{}, sampleData())
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Render to a failing writer = %v, want the writer's error", err)
	}
}

// hostile strings try to leave text, attribute and SVG contexts.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'</title></svg><script>alert(2)</script>`,
	`</style><link rel=stylesheet href=https://evil.example/x.css>`,
	`javascript:alert(3)`,
	`& &amp; &#x3c; ]]> <!-- -->`,
}

func TestEscaping(t *testing.T) {
	for i, h := range hostile {
		d := sampleData()
		d.Title, d.Force, d.Scenario, d.Generated, d.Marking = h, h, h, h, h
		d.Summary = []string{h}
		d.Headline = append(d.Headline, Headline{h, h, h})
		d.Map.Roads[0].Class = h
		d.Map.Bases[0].Name, d.Map.Bases[0].Kind, d.Map.Bases[0].Detail = h, h, h
		d.Map.Standby[0].Name, d.Map.Standby[0].Detail = h, h
		d.Map.Demand[0].Name, d.Map.Demand[0].Class = h, h
		d.Map.Isochrones[0].Label = h
		d.Map.Attribution = h
		d.WhatIfs[0].Name, d.WhatIfs[0].Notes = h, h
		d.Coverage[0].Label = h
		d.Utilisation[0].Label, d.Utilisation[0].Detail = h, h
		d.Hypercube[0].Label = h
		d.Staffing[0] = Step{Label: h, Text: h, Unit: h, Formula: h, Source: h}
		d.Standby[0].Label = h
		d.Recruitment[0].Label = h
		d.Tables = append(d.Tables, Table{Title: h, Caption: h, Columns: []string{h, h}, Rows: [][]string{{h, h}}})
		d.Notes = append(d.Notes, h)
		d.Captions = Captions{Map: h, WhatIfs: h, CDF: h, Coverage: h, Utilisation: h, Hypercube: h, Staffing: h, Recruitment: h, Standby: h}

		out := mustRender(t, d)
		// Text may say anything; checkSelfContained in mustRender has
		// checked that no tag or attribute came from it.
		for _, bad := range []string{"<script", "<img", "<link", "</style><", "</title></svg>"} {
			if strings.Contains(strings.ToLower(out), bad) {
				t.Errorf("hostile string %d: output contains %q", i, bad)
			}
		}
		if !strings.Contains(out, "&lt;") && strings.Contains(h, "<") {
			t.Errorf("hostile string %d: no escaped '<' in the output", i)
		}
	}
}

func TestSelfContainedCheck(t *testing.T) {
	// The check itself must catch what it is for.
	for _, bad := range []string{
		`<img src="https://example.com/x.png">`,
		`<a href="http://example.com/">x</a>`,
		`<link rel="stylesheet" href="style.css">`,
		`<script src="//cdn.example.com/d3.js"></script>`,
		`<p style="background:url(//tiles.example/1.png)">x</p>`,
		`<style>@import "x.css";</style>`,
		`<style>body{background:url(https://tiles.example/1.png)}</style>`,
		`<svg><image href="tile.png"/></svg>`,
		`<svg><g fill="url(other.svg#grad)"></g></svg>`,
		`<svg><use xlink:href="other.svg#a"/></svg>`,
	} {
		if checkSelfContained(bad) == nil {
			t.Errorf("checkSelfContained(%q) = nil, want an error", bad)
		}
	}
	for _, good := range []string{
		`<a href="#map">x</a>`,
		`<g clip-path="url(#arv-map-clip)"></g>`,
		`<p>See https://www.ons.gov.uk/ for the population figures.</p>`,
	} {
		if err := checkSelfContained(good); err != nil {
			t.Errorf("checkSelfContained(%q) = %v, want nil", good, err)
		}
	}
	// A URL in a note is text, not a reference.
	d := sampleData()
	d.Notes = append(d.Notes, "Population: https://www.ons.gov.uk/peoplepopulationandcommunity")
	out := mustRender(t, d)
	if !strings.Contains(out, "https://www.ons.gov.uk/") {
		t.Error("the note's URL is not shown")
	}
	// Without URLs in the text, no http(s) address appears at all: in
	// particular no xmlns or DOCTYPE URL a strict filter would flag.
	out = mustRender(t, sampleData())
	if strings.Contains(out, "http://") || strings.Contains(out, "https://") {
		t.Error("output contains an http(s) address")
	}
}

func TestDegenerate(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	p := geo.Point{Lat: 51.3, Lon: -1.9}
	cases := []struct {
		name string
		d    *Data
		want []string // substrings the output must hold
	}{
		{"Empty", &Data{}, []string{"<h1>Armed response plan</h1>"}},
		{"NoRoads", func() *Data { d := sampleData(); d.Map.Roads = nil; return d }(), []string{`id="arv-map"`}},
		{"OneDemandPoint", &Data{Map: Map{Demand: []DemandMarker{{Name: "Only", Point: p, Weight: 1, Minutes: 7, Class: ClassUrban}}}},
			[]string{`id="arv-map"`, `<circle class="demand `, "No target set"}},
		{"ZeroSizeBound", &Data{Map: Map{Bound: geo.BoundOf(p), Bases: []Marker{{Name: "Here", Point: p}}}}, []string{`id="arv-map"`, " km</text>"}},
		{"InvertedBound", &Data{Map: Map{Bound: geo.Bound{Min: geo.Point{Lat: 52, Lon: -1}, Max: geo.Point{Lat: 51, Lon: -2}}, Bases: []Marker{{Name: "Here", Point: p}}}}, []string{`id="arv-map"`}},
		{"BoundOnly", &Data{Map: Map{Bound: geo.BoundOf(p, geo.Point{Lat: 51.5, Lon: -1.5})}}, []string{`id="arv-map"`}},
		{"InvalidPoints", &Data{Map: Map{
			Demand:  []DemandMarker{{Name: "Nowhere", Point: geo.Point{Lat: 200, Lon: nan}, Weight: inf, Minutes: nan}},
			Roads:   []Polyline{{Points: []geo.Point{{Lat: nan, Lon: 0}, {Lat: 91, Lon: 0}}}},
			Standby: []Marker{{Point: geo.Point{Lat: inf, Lon: -inf}}},
		}}, nil},
		{"NaNEverywhere", func() *Data {
			d := sampleData()
			d.Targets = Targets{UrbanMinutes: nan, RuralMinutes: inf, Share: nan}
			for i := range d.Map.Demand {
				d.Map.Demand[i].Weight, d.Map.Demand[i].Minutes = nan, nan
			}
			d.Map.Isochrones[0].Minutes = nan
			for i := range d.WhatIfs {
				w := &d.WhatIfs[i]
				w.Median, w.P90, w.UrbanWithin, w.RuralWithin, w.CostPerYear = nan, inf, nan, -inf, nan
				for k := range w.CDF {
					w.CDF[k].Share = nan
				}
			}
			for i := range d.Coverage {
				d.Coverage[i].Covered, d.Coverage[i].Expected = nan, inf
			}
			for i := range d.Utilisation {
				d.Utilisation[i].Utilisation, d.Utilisation[i].Crewed = nan, nan
			}
			for i := range d.Hypercube {
				d.Hypercube[i] = Workload{Label: "x", Hypercube: nan, Simulated: inf, HypercubeCalls: nan, SimulatedCalls: nan}
			}
			for i := range d.Staffing {
				d.Staffing[i].Value = nan
			}
			return d
		}(), []string{"–", `id="arv-map"`}},
		{"OutOfRange", func() *Data {
			d := sampleData()
			d.WhatIfs[0].CDF = []Point{{Minutes: -5, Share: -1}, {Minutes: 500, Share: 7}}
			d.Coverage = []CoveragePoint{{Units: 3, Covered: 1.7, Expected: -0.2, Simulated: 0.5}}
			d.Utilisation = []Bar{{Label: "ARV 1", Utilisation: 4, Crewed: -3}}
			d.Map.Demand[0].Weight = 1e300
			d.Map.Demand[1].Minutes = -4
			d.Staffing[0].Value = 1e300
			d.WhatIfs[1].Officers = -3
			return d
		}(), []string{`id="arv-coverage"`}},
		{"EmptyPieces", &Data{
			Headline: []Headline{{}},
			Map:      Map{Isochrones: []Band{{Minutes: 10}, {Minutes: 20, Polygons: [][][]geo.Point{{}, {{}}, {{p}}}}}, Roads: []Polyline{{}, {Points: []geo.Point{p}}}},
			WhatIfs:  []WhatIfRow{{}},
			Coverage: []CoveragePoint{{}},
			Tables:   []Table{{}, {Rows: [][]string{{"a", "b", "c"}, {}, {"1"}}}, {Columns: []string{"x"}, Rows: [][]string{{"1", "2", "3"}}}},
			Notes:    []string{""},
		}, nil},
		{"ManyOptions", func() *Data {
			d := sampleData()
			for range 20 {
				d.WhatIfs = append(d.WhatIfs, d.WhatIfs[0])
			}
			return d
		}(), []string{`id="arv-cdf"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, c.d)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
				t.Errorf("output shows NaN or Inf")
			}
		})
	}
}

func TestProjection(t *testing.T) {
	b := geo.BoundOf(geo.Point{Lat: 51.0, Lon: -2.3}, geo.Point{Lat: 51.7, Lon: -1.5})
	pr := newProjection(b, frameW, mapH, mapMargin)
	c := b.Center()
	if x, y := pr.xy(c); math.Abs(x-frameW/2) > 1e-9 || math.Abs(y-mapH/2) > 1e-9 {
		t.Errorf("centre at %v,%v, want the frame's centre", x, y)
	}
	// North is up, east is right, and a kilometre is the same length in
	// both directions (within the projection's error over 5 km).
	pj := geo.NewProjection(c)
	east, north := pj.Unproject(5000, 0), pj.Unproject(0, 5000)
	x0, y0 := pr.xy(c)
	xe, ye := pr.xy(east)
	xn, yn := pr.xy(north)
	if !(xe > x0) || math.Abs(ye-y0) > 1e-9 || !(yn < y0) || math.Abs(xn-x0) > 1e-9 {
		t.Fatalf("east at %v,%v and north at %v,%v from %v,%v", xe, ye, xn, yn, x0, y0)
	}
	if de, dn := xe-x0, y0-yn; math.Abs(de/dn-1) > 0.005 {
		t.Errorf("5 km east is %v units, 5 km north %v", de, dn)
	}
	if got, want := pr.unitsPerKm(), (xe-x0)/5; math.Abs(got/want-1) > 0.005 {
		t.Errorf("unitsPerKm = %v, want %v", got, want)
	}
	// The whole bound fits inside the margin.
	for _, p := range []geo.Point{b.Min, b.Max, {Lat: b.Min.Lat, Lon: b.Max.Lon}, {Lat: b.Max.Lat, Lon: b.Min.Lon}} {
		x, y := pr.xy(p)
		if x < mapMargin-1e-6 || x > frameW-mapMargin+1e-6 || y < mapMargin-1e-6 || y > mapH-mapMargin+1e-6 {
			t.Errorf("corner %v at %v,%v, outside the margin", p, x, y)
		}
	}
}

func TestDemandClass(t *testing.T) {
	tg := Targets{UrbanMinutes: 15, RuralMinutes: 20}
	cases := []struct {
		d    DemandMarker
		want int
	}{
		{DemandMarker{Minutes: 15, Class: ClassUrban}, 0},
		{DemandMarker{Minutes: 15.1, Class: ClassUrban}, 1},
		{DemandMarker{Minutes: 22.5, Class: ClassUrban}, 1},
		{DemandMarker{Minutes: 22.6, Class: ClassUrban}, 2},
		{DemandMarker{Minutes: 20, Class: ClassRural}, 0},
		{DemandMarker{Minutes: 20, Class: ""}, 0},
		{DemandMarker{Minutes: 14, Class: ClassRural, Target: 10}, 1},
		{DemandMarker{Minutes: 20, Class: ClassRural, Target: 10}, 2},
		{DemandMarker{Minutes: math.Inf(1), Class: ClassRural}, 3},
		{DemandMarker{Minutes: math.NaN(), Class: ClassRural}, 3},
	}
	for _, c := range cases {
		if got := demandClass(&c.d, tg); got != c.want {
			t.Errorf("demandClass(%+v) = %d, want %d", c.d, got, c.want)
		}
	}
	if got := demandClass(&DemandMarker{Minutes: 5}, Targets{}); got != 4 {
		t.Errorf("demandClass without targets = %d, want 4", got)
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{fmtValue(8760), "8,760"},
		{fmtValue(1546.4), "1,546.4"},
		{fmtValue(67.98), "67.98"},
		{fmtValue(0.125), "0.125"},
		{fmtValue(-1234567), "−1,234,567"},
		{fmtValue(-0.0001), "0"},
		{fmtValue(math.NaN()), "–"},
		{fmtShare(0.9134), "91.3%"},
		{fmtShare(math.Inf(-1)), "–"},
		{fmtPercent(0.4), "40%"},
		{fmtMinutes(12.44), "12.4"},
		{fmtMoneyChange(855000), "+£855,000"},
		{fmtMoneyChange(-100000.4), "−£100,000"},
		{fmtMoneyChange(0), "£0"},
		{fmtMoneyChange(math.NaN()), "–"},
		{fmtCount(68), "68"},
		{fmtCount(0), "–"},
		{fmtPoints(0.0123), "+1.2 pp"},
		{fmtPoints(-0.05), "−5.0 pp"},
		{num(math.NaN()), "0"},
		{num(-0.01), "0"},
		{num(12.345), "12.3"},
		{groupThousands("123"), "123"},
		{groupThousands("1234"), "1,234"},
		{truncate("Northbridge Gablecross", 10), "Northbrid…"},
		{truncate("Northbridge Gablecross", 12), "Northbridge…"},
		{truncate("Short", 10), "Short"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestNumericCell(t *testing.T) {
	for s, want := range map[string]bool{
		"1,204": true, "95.1%": true, "£4,350,000": true, "9.8 min": true, "–": true, "−3": true,
		"Northbridge": false, "ARV 1": false, "15/20": false, "urban": false, "A303": false,
	} {
		if got := numericCell(s); got != want {
			t.Errorf("numericCell(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("7 ARVs at optimised standby points (upper bound)", 20)
	want := []string{"7 ARVs at optimised", "standby points", "(upper bound)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

func TestLabelsDoNotOverlap(t *testing.T) {
	// Many markers at one place: one label is drawn, the rest skipped.
	p := geo.Point{Lat: 51.3, Lon: -1.9}
	var m Map
	for range 10 {
		m.Standby = append(m.Standby, Marker{Name: "Same place", Point: p})
	}
	m.Bases = []Marker{{Name: "NE", Point: geo.Point{Lat: 51.6, Lon: -1.5}}, {Name: "SW", Point: geo.Point{Lat: 51.0, Lon: -2.3}}}
	out := string(drawMap(&m, Targets{}, "t"))
	if got := strings.Count(out, ">Same place</text>"); got != 1 {
		t.Errorf("%d labels for ten markers at one place, want 1", got)
	}
}

// tag is a start tag found by scan, with the raw text of a <style> or
// <script> element.
type tag struct {
	name  string
	attrs [][2]string
	raw   string
}

// scan tokenises an HTML document just enough to check it: it checks tag
// balance (every element closed in order, void elements excepted),
// quoted attributes, and that every '&' in text starts a character
// reference, and returns the start tags.
func scan(s string) ([]tag, error) {
	void := map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}
	var stack []string
	var tags []tag
	entity := regexp.MustCompile(`^&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);`)
	attr := regexp.MustCompile(`^\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"<]*)")?`)
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "<!--"):
			j := strings.Index(s[i:], "-->")
			if j < 0 {
				return nil, errors.New("unclosed comment")
			}
			i += j + 3
		case strings.HasPrefix(s[i:], "<!"):
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return nil, errors.New("unclosed declaration")
			}
			i += j + 1
		case strings.HasPrefix(s[i:], "</"):
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return nil, errors.New("unclosed end tag")
			}
			name := strings.ToLower(s[i+2 : i+j])
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return nil, fmt.Errorf("unexpected </%s> at offset %d, open: %s", name, i, strings.Join(stack, ">"))
			}
			stack = stack[:len(stack)-1]
			i += j + 1
		case s[i] == '<':
			j := i + 1
			for j < len(s) && (s[j] == '-' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			tg := tag{name: strings.ToLower(s[i+1 : j])}
			if tg.name == "" {
				return nil, fmt.Errorf("stray '<' at offset %d", i)
			}
			for {
				m := attr.FindStringSubmatch(s[j:])
				if m == nil {
					break
				}
				tg.attrs = append(tg.attrs, [2]string{strings.ToLower(m[1]), m[2]})
				j += len(m[0])
			}
			self := false
			if strings.HasPrefix(s[j:], "/>") {
				self, j = true, j+2
			} else if strings.HasPrefix(s[j:], ">") {
				j++
			} else {
				return nil, fmt.Errorf("malformed <%s> tag at offset %d: %.80s", tg.name, i, s[i:])
			}
			i = j
			if tg.name == "style" || tg.name == "script" {
				k := strings.Index(s[i:], "</"+tg.name+">")
				if k < 0 {
					return nil, errors.New("unclosed <" + tg.name + ">")
				}
				tg.raw = s[i : i+k]
				i += k
			}
			tags = append(tags, tg)
			if !self && !void[tg.name] {
				stack = append(stack, tg.name)
			}
		case s[i] == '&':
			if entity.FindString(s[i:]) == "" {
				return nil, fmt.Errorf("bare '&' at offset %d: %.20s", i, s[i:])
			}
			i++
		case s[i] == '>':
			return nil, fmt.Errorf("stray '>' at offset %d", i)
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return nil, errors.New("unclosed elements: " + strings.Join(stack, ">"))
	}
	return tags, nil
}

// checkWellFormed checks a whole document with scan.
func checkWellFormed(s string) error {
	if !strings.HasPrefix(s, "<!DOCTYPE html>") {
		return errors.New("no <!DOCTYPE html>")
	}
	_, err := scan(s)
	return err
}

// svgFragments returns each top-level <svg>…</svg> of the document.
func svgFragments(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "<svg")
		if i < 0 {
			return out
		}
		j := strings.Index(s[i:], "</svg>")
		if j < 0 {
			return append(out, s[i:])
		}
		out = append(out, s[i:i+j+6])
		s = s[i+j+6:]
	}
}

// checkXML parses an SVG fragment as strict XML.
func checkXML(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	dec.Entity = map[string]string{} // only XML's own five entities
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// checkSelfContained fails when markup points at anything outside the
// file: an element that loads something (script, link, iframe, img,
// image, ...), a src, href, srcset, action, poster or data attribute
// other than a fragment (#id) or a data: URL, or a url() or @import in a
// style sheet or style attribute that is not a fragment. Text is not
// looked at: an address in a note is not a reference.
func checkSelfContained(s string) error {
	tags, err := scan("<x>" + s + "</x>")
	if err != nil {
		return err
	}
	local := func(v string) bool {
		v = strings.TrimSpace(strings.ToLower(v))
		return strings.HasPrefix(v, "#") || strings.HasPrefix(v, "data:")
	}
	url := regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]*)`)
	checkCSS := func(css string) error {
		if strings.Contains(strings.ToLower(css), "@import") {
			return errors.New("style sheet has an @import")
		}
		for _, m := range url.FindAllStringSubmatch(css, -1) {
			if !local(m[1]) {
				return errors.New("external reference url(" + m[1] + ")")
			}
		}
		return nil
	}
	loaders := map[string]bool{"script": true, "link": true, "iframe": true, "frame": true, "object": true, "embed": true, "img": true, "image": true, "base": true, "audio": true, "video": true, "source": true, "track": true, "use": false}
	for _, t := range tags {
		if loaders[t.name] {
			return errors.New("output has an element that loads a resource: <" + t.name + ">")
		}
		if t.name == "style" {
			if err := checkCSS(t.raw); err != nil {
				return err
			}
		}
		for _, a := range t.attrs {
			switch a[0] {
			case "src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data", "background":
				if !local(a[1]) {
					return fmt.Errorf("external reference <%s %s=%q>", t.name, a[0], a[1])
				}
			case "style", "clip-path", "fill", "stroke", "mask", "filter", "marker-start", "marker-mid", "marker-end":
				if err := checkCSS(a[1]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func TestLabellerNoOverlap(t *testing.T) {
	l := &labeller{s: &svg{}}
	names := []string{"Northbridge", "Kingsford", "Abbots Lea", "Westcombe", "Tidmouth", "Longmere", "Marlow Cross", "Eastholt"}
	for i := range 200 {
		// A crowded corner of the map: many labels compete for room.
		x := 300 + float64((i*37)%200)
		y := 300 + float64((i*53)%150)
		l.place(x, y, 5, names[i%len(names)], 13, "400")
	}
	if len(l.taken) < 10 {
		t.Errorf("only %d labels placed", len(l.taken))
	}
	for i, a := range l.taken {
		for _, b := range l.taken[:i] {
			if a.overlaps(b) {
				t.Fatalf("labels overlap: %+v and %+v", a, b)
			}
		}
	}
	if got := strings.Count(l.s.b.String(), "<text"); got != len(l.taken) {
		t.Errorf("%d labels drawn, %d boxes taken", got, len(l.taken))
	}
}
