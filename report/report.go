package report

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"

	"github.com/arv-project/arv/geo"
)

// Data is everything one planning report shows. Every section is
// optional: a section whose slice is empty (or a map with nothing to draw)
// is left out of the report, so a caller fills what it has.
//
// Conventions: times are minutes; shares are fractions from 0 to 1 (0.87
// is shown as 87.0%); money is pounds a year. A float that is NaN or ±Inf
// is shown as "–" and left out of charts. Strings are plain text: they
// are escaped, never interpreted as HTML.
type Data struct {
	// Title heads the report, such as "Armed response plan 2026–27".
	// Default: "Armed response plan".
	Title string
	// Force names the police force, such as "Wiltshire Police".
	Force string
	// Scenario names the scenario the figures come from, such as
	// "wiltshire (built-in)" or the scenario file's name.
	Scenario string
	// Generated is when the report was made, as the caller wants it
	// printed ("2026-03-14 09:30 GMT"). The package never reads the clock.
	Generated string
	// Marking is the protective marking printed at the top and the foot
	// of the report, such as "OFFICIAL" or "OFFICIAL-SENSITIVE".
	// Optional.
	Marking string
	// Summary is an optional short introduction, one paragraph per
	// string, shown under the title.
	Summary []string

	// Targets are the response standards. They colour the demand points
	// on the map and draw the reference lines on the charts. Their fields
	// match arv.Targets, so report.Targets(sc.Targets) converts one.
	Targets Targets

	// Headline holds the answers at the top of the report, in order:
	// the questions a chief officer asks and their short answers.
	Headline []Headline

	// Map is the force area with roads, bases, standby points, demand
	// and isochrones.
	Map Map

	// WhatIfs are the options compared: a table of their figures and a
	// chart of their response-time distributions (one line each).
	WhatIfs []WhatIfRow

	// Coverage is the coverage curve: the share of demand covered against
	// the number of ARVs, in any order (it is drawn sorted by Units).
	Coverage []CoveragePoint

	// Utilisation gives each ARV's crewed share and utilisation, drawn as
	// bars in the order given.
	Utilisation []Bar

	// Hypercube compares, per ARV, the hypercube queueing model with the
	// simulator: workload and share of calls (a table and a chart).
	Hypercube []Workload

	// Staffing is the arithmetic from ARVs on duty to officers needed,
	// one line per step.
	Staffing []Step
	// Recruitment is the arithmetic from the officers who leave each
	// year to the applicants needed to replace them, through the stages
	// of selection and training, one line per step.
	Recruitment []Step
	// Standby is the arithmetic or reasoning behind the choice of
	// standby points and the number of ARVs, one line per step.
	Standby []Step

	// Tables are any further tables, shown after the sections above.
	Tables []Table

	// Notes are caveats: estimates, assumptions, data sources and
	// licences (such as "© OpenStreetMap contributors, ODbL 1.0"), one
	// paragraph each, shown at the end under "Notes and sources".
	Notes []string

	// Captions override the default caption under each figure and
	// section. An empty field keeps the default.
	Captions Captions
}

// Targets are response standards: the minutes from the 999 call to the
// first armed officers on scene, by area class, and the share of incidents
// that must meet them. A zero or NaN field means no standard: no reference
// line is drawn for it, and demand of that class is not coloured by it.
type Targets struct {
	// UrbanMinutes is the standard for urban areas, such as 15.
	UrbanMinutes float64
	// RuralMinutes is the standard for rural areas, such as 20.
	RuralMinutes float64
	// Share is the share of incidents, 0..1, that must meet them, such
	// as 0.9; drawn as a horizontal reference line on the charts.
	Share float64
}

// Minutes returns the standard for an area class: UrbanMinutes for
// ClassUrban, RuralMinutes for anything else.
func (t Targets) Minutes(class string) float64 {
	if class == ClassUrban {
		return t.UrbanMinutes
	}
	return t.RuralMinutes
}

// Area classes of demand points, the same strings as arv.Urban and
// arv.Rural.
const (
	ClassUrban = "urban"
	ClassRural = "rural"
)

// Headline is one answer at the top of the report.
type Headline struct {
	// Question is what was asked, such as "How long until armed officers
	// arrive?".
	Question string
	// Answer is the short answer, shown large, such as "12.4 min median".
	Answer string
	// Detail qualifies the answer in a sentence, such as "90% within
	// 21.8 min; 95% CI 12.1–12.7".
	Detail string
}

// Map is the force area. Everything is drawn in an equirectangular
// projection around the centre of Bound (longitude scaled by the cosine
// of the latitude), fitted to the figure with a margin, with a scale bar,
// a north arrow and a legend that lists only what is present.
//
// Layers are drawn from the bottom: isochrone bands, the force outline,
// roads, demand points, bases, standby points, then labels. Positions
// that are not valid WGS84 points are skipped.
type Map struct {
	// Bound is the area shown. The zero (empty) Bound fits everything
	// given; a Bound of zero size is grown to a few kilometres around
	// its point. Anything outside is clipped.
	Bound geo.Bound

	// Outline is the force boundary, as closed rings (the last point
	// need not repeat the first), drawn as a dark line. Optional.
	Outline [][]geo.Point

	// Roads are polylines drawn by class: motorway, trunk and primary
	// thicker and darker than the rest. For a whole OpenStreetMap county
	// pass tertiary roads and above; the drawing drops points closer
	// than about a pixel to keep the file small.
	Roads []Polyline

	// Bases are police sites, drawn as squares and labelled: filled for
	// Kind KindARVBase, hollow for any other Kind.
	Bases []Marker

	// Standby are the standby points chosen by the optimiser, drawn as
	// diamonds and labelled.
	Standby []Marker

	// Demand are the demand points, drawn as circles whose area grows with
	// Weight and whose colour compares Minutes with the target (within,
	// up to 1.5 times, beyond, not reached). The largest are labelled.
	Demand []DemandMarker

	// Isochrones are the areas reachable within each time, such as 10, 20
	// and 30 minutes from the chosen standby points, drawn underneath as
	// nested translucent bands, darker for shorter times. Order does not
	// matter.
	Isochrones []Band

	// Attribution is printed in the map's corner, such as
	// "Roads © OpenStreetMap contributors, ODbL 1.0". Optional.
	Attribution string
}

// Road classes recognised by Polyline.Class; they match road.Class
// strings. Any other class is drawn as a minor road.
const (
	RoadMotorway  = "motorway"
	RoadTrunk     = "trunk"
	RoadPrimary   = "primary"
	RoadSecondary = "secondary"
)

// Polyline is one road line.
type Polyline struct {
	// Points are the line's positions in order; a line needs two.
	Points []geo.Point
	// Class is the road class as road.Class.String gives it ("motorway",
	// "trunk", "primary", "secondary", "tertiary", ...).
	Class string
}

// KindARVBase is the Marker.Kind of a base that houses ARVs. Other
// kinds (any string, such as "police station") are drawn as other police
// sites.
const KindARVBase = "arv-base"

// Marker is a named place on the map.
type Marker struct {
	// Name labels the marker, such as "Melksham" or "SP3 Devizes".
	Name string
	// Point is its position.
	Point geo.Point
	// Kind is KindARVBase for a base with ARVs; anything else for Bases
	// is another police site. Ignored for Standby.
	Kind string
	// Detail is shown in the marker's tooltip, such as "ARV 2, ARV 5".
	Detail string
}

// DemandMarker is a demand point: a settlement or a cell of dispersed
// population.
type DemandMarker struct {
	// Name labels the point, such as "Salisbury".
	Name string
	// Point is its position.
	Point geo.Point
	// Weight is its share of demand, in any unit (incidents a year,
	// population): circle areas are proportional to it. 0 or less draws
	// the smallest circle.
	Weight float64
	// Minutes is the response time shown for it, such as the median or
	// 90th percentile from the chosen standby points. NaN or +Inf means
	// not reached.
	Minutes float64
	// Class is ClassUrban or ClassRural; it selects the target from
	// Data.Targets.
	Class string
	// Target overrides the target in minutes for this point when
	// positive.
	Target float64
}

// Band is one isochrone: the area reachable within Minutes.
type Band struct {
	// Minutes is the time limit, such as 10.
	Minutes float64
	// Label names the band in the legend. Default: "Within N min".
	Label string
	// Polygons are the disjoint areas of the band. Each polygon is a
	// list of rings: the outer ring first, then its holes, as
	// road/isochrone returns them (an isochrone.Ring converts to
	// []geo.Point by assignment).
	Polygons [][][]geo.Point
}

// Point is one point of a cumulative distribution: the share of
// responses that arrived within Minutes.
type Point struct {
	// Minutes is the time since the 999 call.
	Minutes float64
	// Share is the share of responses, 0..1, that arrived within
	// Minutes.
	Share float64
}

// WhatIfRow is one option compared in the report: a row of the what-if
// table and a line on the response-time chart. plan.Row maps onto it
// field by field (Figures' estimates give the values and their
// intervals).
type WhatIfRow struct {
	// Name names the option, such as "One more ARV".
	Name string
	// Description says what the option changes, in a sentence, shown
	// under the name. Optional.
	Description string
	// Chosen marks the recommended option: its row is highlighted and
	// its line drawn thicker.
	Chosen bool
	// NotApplicable marks an option that does not apply to this force:
	// its row is greyed, its figures are not shown and it has no line;
	// Notes should say why.
	NotApplicable bool
	// Median and P90 are response times in minutes (the 50th and 90th
	// percentiles).
	Median, P90 float64
	// UrbanWithin and RuralWithin are the shares, 0..1, of urban and
	// rural incidents within their targets.
	UrbanWithin, RuralWithin float64
	// MedianCI, P90CI, UrbanCI and RuralCI are the 95% confidence
	// intervals of the four figures, shown under them; the zero Range
	// shows none.
	MedianCI, P90CI, UrbanCI, RuralCI Range
	// Officers is the number of authorised firearms officers the option
	// needs; 0 is shown as "–".
	Officers int
	// CostPerYear is the change in spending the option brings, pounds a
	// year, against the force as it is (as plan.Row.CostPerYear):
	// positive costs more, negative saves, 0 is no change. NaN when not
	// known (shown as "–").
	CostPerYear float64
	// Notes are remarks on the option, shown in the table's last column.
	Notes string
	// CDF is the distribution of response times, minutes to share
	// (0..1), in any order; drawn from 0 to 60 minutes. Optional.
	CDF []Point
}

// Range is a confidence interval, Low to High, in the units of the
// figure it qualifies. The zero Range (and any with a NaN or Low above
// High) is shown as no interval.
type Range struct {
	Low, High float64
}

// valid reports whether r is an interval to show.
func (r Range) valid() bool {
	return finite(r.Low) && finite(r.High) && r.Low <= r.High && (r.Low != 0 || r.High != 0)
}

// CoveragePoint is one point of the coverage curve.
type CoveragePoint struct {
	// Units is the number of ARVs.
	Units int
	// Covered is the share of demand, 0..1, within target of a standby
	// point when the points are placed optimally (maximal covering).
	Covered float64
	// Expected is the expected covered share, 0..1, allowing for ARVs
	// being busy (MEXCLP).
	Expected float64
	// Simulated is the share of incidents, 0..1, within target in the
	// simulator; NaN when not simulated. When no point has a positive
	// value the series is left out.
	Simulated float64
	// Label annotates the point on the chart with a vertical line, such
	// as "current" or "proposed". Optional.
	Label string
}

// Bar is one ARV's row of the utilisation chart.
type Bar struct {
	// Label names the ARV, such as its call sign "ARV 1".
	Label string
	// Detail follows the label in smaller type, such as its base.
	Detail string
	// Utilisation is the share, 0..1, of its crewed time spent
	// travelling to or at incidents.
	Utilisation float64
	// Crewed is the share, 0..1, of all time it was crewed.
	Crewed float64
}

// Workload compares one ARV's figures between the hypercube queueing
// model and the simulator.
type Workload struct {
	// Label names the ARV, such as its call sign.
	Label string
	// Hypercube and Simulated are its workload (the share of time it is
	// busy, 0..1) by each method.
	Hypercube, Simulated float64
	// HypercubeCalls and SimulatedCalls are the shares of all calls,
	// 0..1, that it answers by each method.
	HypercubeCalls, SimulatedCalls float64
}

// Step is one line of arithmetic, such as "Officers per ARV post = 5.6
// (8,760 h ÷ 1,564 h available)".
type Step struct {
	// Label says what the line is, such as "Officers per post".
	Label string
	// Value is the line's number; shown with thousands separators and at
	// most three significant decimals. NaN is shown as "–".
	Value float64
	// Text, when not empty, is shown instead of Value (for a value that
	// is not a number, such as "Melksham, Amesbury").
	Text string
	// Unit follows the value, such as "officers" or "h/year". A unit
	// starting with "£" ("£ a year") shows the value as money, rounded
	// to the pound, with the rest of the unit after it, as plan.Step
	// does.
	Unit string
	// Formula shows how the value was reached, such as "8,760 ÷ 1,564".
	Formula string
	// Source names where an input came from, or "assumption".
	Source string
	// Total marks a result line, shown in bold under a rule.
	Total bool
}

// Table is a further table of text. Columns whose every non-empty cell
// is a number (allowing £, %, commas and a unit word after it) are right
// aligned.
type Table struct {
	// Title heads the table.
	Title string
	// Caption explains it, under the title.
	Caption string
	// Columns are the column headings.
	Columns []string
	// Rows are the cells, row by row. A short row is padded with empty
	// cells; cells beyond the columns are dropped.
	Rows [][]string
}

// Captions are the explanatory texts of the figures and sections. An
// empty field keeps the default, which explains the figure in a sentence
// or two; the figure's numbered title is always shown.
type Captions struct {
	// Map follows the map's title.
	Map string
	// WhatIfs introduces the options section, above its table.
	WhatIfs string
	// CDF follows the response-time chart's title.
	CDF string
	// Coverage follows the coverage chart's title.
	Coverage string
	// Utilisation follows the utilisation chart's title.
	Utilisation string
	// Hypercube introduces the hypercube-against-simulator section.
	Hypercube string
	// Staffing introduces the staffing arithmetic.
	Staffing string
	// Recruitment introduces the recruitment arithmetic.
	Recruitment string
	// Standby introduces the reasoning behind the standby points.
	Standby string
}

// ErrNilData is returned by Render when given no data.
var ErrNilData = errors.New("report: nil data")

//go:embed report.html.tmpl style.css
var files embed.FS

var page = template.Must(template.New("report.html.tmpl").ParseFS(files, "report.html.tmpl"))

// Render writes the report for d to w as one self-contained HTML5 file:
// styles inline, charts and the map as inline SVG, no scripts and no
// reference to anything outside the file, so it opens offline and prints
// on A4. It does not change d. Nothing is written when rendering fails;
// the only errors are ErrNilData and w's.
func Render(w io.Writer, d *Data) error {
	if d == nil {
		return ErrNilData
	}
	css, err := files.ReadFile("style.css")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	v := newView(d, string(css))
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: write: %w", err)
	}
	return nil
}
