package report

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/arv-project/arv/geo"
)

// Map figure layout, in SVG units (about CSS pixels at full width).
const (
	mapW      = 1000.0 // whole figure
	mapH      = 720.0
	frameW    = 740.0 // the map itself, at the left; the legend is to its right
	mapMargin = 28.0  // between the fitted area and the frame
	legendX   = frameW + 18
	minSpan   = 0.03 // smallest area shown, degrees of latitude (about 3.3 km)
	kmPerDeg  = geo.EarthRadius * math.Pi / 180 / 1000
)

// Demand colour classes, from the RdBu/PuOr ColorBrewer families: blue,
// orange and dark red stay distinct in the common colour-vision
// deficiencies (dark red and orange differ in lightness), and grey
// reads as "no answer".
var demandClasses = [...]struct{ fill, label string }{
	{"#2166ac", "Within target"},
	{"#e08214", "Up to 1.5 × target"},
	{"#b2182b", "Over 1.5 × target"},
	{"#8c8c8c", "Not reached"},
	{"#d9d9d9", "No target set"},
}

// Road styles, drawn from the minor roads up.
var roadStyles = [...]struct {
	name, label, stroke string
	width               float64
}{
	{"minor", "Other roads", "#c3c9d1", 0.7},
	{RoadSecondary, "Secondary road", "#a9b1bc", 1.0},
	{RoadPrimary, "Primary road", "#8a94a3", 1.6},
	{RoadTrunk, "Trunk road", "#6b7686", 2.1},
	{RoadMotorway, "Motorway", "#4a5566", 2.7},
}

const (
	colourStandby = "#6a3d9a"
	colourBase    = "#1a1a1a"
	colourOutline = "#3d3d3d"
)

// Isochrone fills run from bandDark (the shortest time) to bandLight.
const (
	bandDark  uint32 = 0x5f9f86
	bandLight uint32 = 0xd4e7db
)

// roadStyle returns the index in roadStyles of a road class.
func roadStyle(class string) int {
	for i, s := range roadStyles {
		if s.name == class {
			return i
		}
	}
	return 0
}

// projection maps positions to the figure: equirectangular around the
// area's centre, longitude scaled by the cosine of its latitude.
type projection struct {
	lat0, lon0 float64 // centre of the area
	kx         float64 // cos(lat0)
	scale      float64 // SVG units per degree of latitude
	cx, cy     float64 // centre of the frame
}

// xy returns the figure position of p.
func (pr *projection) xy(p geo.Point) (x, y float64) {
	return pr.cx + (p.Lon-pr.lon0)*pr.kx*pr.scale, pr.cy - (p.Lat-pr.lat0)*pr.scale
}

// unitsPerKm is the figure's scale.
func (pr *projection) unitsPerKm() float64 { return pr.scale / kmPerDeg }

// usable reports whether p can be drawn.
func usable(p geo.Point) bool {
	return finite(p.Lat) && finite(p.Lon) && p.Valid()
}

// mapBound returns the area to show: m.Bound when it is a usable box,
// else the box around everything drawable. ok is false when there is
// nothing to draw.
func mapBound(m *Map) (b geo.Bound, ok bool) {
	if !m.Bound.Empty() && usable(m.Bound.Min) && usable(m.Bound.Max) &&
		m.Bound.Min.Lat <= m.Bound.Max.Lat && m.Bound.Min.Lon <= m.Bound.Max.Lon {
		return m.Bound, true
	}
	add := func(p geo.Point) {
		if usable(p) {
			b = b.Extend(p)
		}
	}
	for _, r := range m.Outline {
		for _, p := range r {
			add(p)
		}
	}
	for _, l := range m.Roads {
		for _, p := range l.Points {
			add(p)
		}
	}
	for _, s := range [][]Marker{m.Bases, m.Standby} {
		for _, mk := range s {
			add(mk.Point)
		}
	}
	for _, d := range m.Demand {
		add(d.Point)
	}
	for _, band := range m.Isochrones {
		for _, pg := range band.Polygons {
			for _, r := range pg {
				for _, p := range r {
					add(p)
				}
			}
		}
	}
	return b, !b.Empty()
}

// newProjection fits b into a frame of w×h with a margin.
func newProjection(b geo.Bound, w, h, margin float64) *projection {
	c := b.Center()
	kx := math.Max(math.Cos(c.Lat*math.Pi/180), 0.05)
	dx := math.Max((b.Max.Lon-b.Min.Lon)*kx, minSpan)
	dy := math.Max(b.Max.Lat-b.Min.Lat, minSpan)
	scale := math.Min((w-2*margin)/dx, (h-2*margin)/dy)
	return &projection{lat0: c.Lat, lon0: c.Lon, kx: kx, scale: scale, cx: w / 2, cy: h / 2}
}

// pathBuilder writes SVG path data, dropping points closer than step to
// the last one written and breaking the line at unusable points.
type pathBuilder struct {
	b    strings.Builder
	pr   *projection
	step float64
}

// line appends one polyline (closed when close is set) if any of it
// falls within the frame of w×h.
func (pb *pathBuilder) line(pts []geo.Point, close bool, w, h float64) {
	if len(pts) < 2 {
		return
	}
	// Cull lines wholly outside the frame.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		if !usable(p) {
			continue
		}
		x, y := pb.pr.xy(p)
		minX, minY, maxX, maxY = math.Min(minX, x), math.Min(minY, y), math.Max(maxX, x), math.Max(maxY, y)
	}
	if maxX < 0 || maxY < 0 || minX > w || minY > h {
		return
	}
	started := false
	var lx, ly float64
	for i, p := range pts {
		if !usable(p) {
			started = false
			continue
		}
		x, y := pb.pr.xy(p)
		switch {
		case !started:
			pb.b.WriteString("M" + num(x) + " " + num(y))
			started = true
		case i == len(pts)-1 || math.Hypot(x-lx, y-ly) >= pb.step:
			pb.b.WriteString("L" + num(x) + " " + num(y))
		default:
			continue
		}
		lx, ly = x, y
	}
	if close && started {
		pb.b.WriteString("Z")
	}
}

// box is the space a label or a marker takes, for crude collision
// avoidance.
type box struct{ x0, y0, x1, y1 float64 }

// overlaps reports whether a and b share any area.
func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// labeller places labels beside markers, skipping any that would overlap
// a label or obstacle already placed or leave the frame.
type labeller struct {
	taken  []box
	placed []placed
	s      *svg
}

// placed is a label drawn, to skip repeats of it close by.
type placed struct {
	x, y float64
	text string
}

// place tries the label t beside a marker of radius r at x, y: right,
// left, above, then below.
func (l *labeller) place(x, y, r float64, t string, px float64, weight string) {
	if t == "" {
		return
	}
	t = truncate(t, 28)
	for _, p := range l.placed {
		if p.text == t && math.Hypot(p.x-x, p.y-y) < 60 {
			return
		}
	}
	w := textWidth(t, px)
	h := px
	type cand struct {
		b      box
		tx, ty float64
		anchor string
	}
	cands := []cand{
		{box{x + r + 4, y - h/2, x + r + 4 + w, y + h/2}, x + r + 4, y + h*0.35, "start"},
		{box{x - r - 4 - w, y - h/2, x - r - 4, y + h/2}, x - r - 4, y + h*0.35, "end"},
		{box{x - w/2, y - r - 2 - h, x + w/2, y - r - 2}, x, y - r - 2 - h*0.2, "middle"},
		{box{x - w/2, y + r + 2, x + w/2, y + r + 2 + h}, x, y + r + 2 + h*0.8, "middle"},
	}
	for _, c := range cands {
		if c.b.x0 < 2 || c.b.y0 < 2 || c.b.x1 > frameW-2 || c.b.y1 > mapH-2 {
			continue
		}
		if slices.ContainsFunc(l.taken, c.b.overlaps) {
			continue
		}
		l.taken = append(l.taken, c.b)
		l.placed = append(l.placed, placed{x, y, t})
		l.s.text(c.tx, c.ty, fmt.Sprintf(`class="label" font-size="%s" font-weight="%s" text-anchor="%s"`, num(px), weight, c.anchor), t)
		return
	}
}

// demandClass returns the index in demandClasses of a demand point.
func demandClass(d *DemandMarker, t Targets) int {
	target := d.Target
	if !(target > 0) || !finite(target) {
		target = t.Minutes(d.Class)
	}
	switch {
	case !finite(d.Minutes) || d.Minutes < 0:
		return 3
	case !(target > 0) || !finite(target):
		return 4
	case d.Minutes <= target:
		return 0
	case d.Minutes <= 1.5*target:
		return 1
	default:
		return 2
	}
}

// bandColour returns the fill of isochrone i of n (0 the shortest).
func bandColour(i, n int) string {
	f := 0.0
	if n > 1 {
		f = float64(i) / float64(n-1)
	}
	mix := func(shift uint) int {
		a, b := float64(bandDark>>shift&0xff), float64(bandLight>>shift&0xff)
		return int(math.Round(a + (b-a)*f))
	}
	return fmt.Sprintf("#%02x%02x%02x", mix(16), mix(8), mix(0))
}

// bandLabel returns the legend text of an isochrone.
func bandLabel(b *Band) string {
	if b.Label != "" {
		return b.Label
	}
	return "Within " + strings.TrimSuffix(fmtValue(b.Minutes), ".0") + " min"
}

// targetsText describes the targets in a phrase: "15 min urban, 20 min
// rural".
func targetsText(t Targets) string {
	u, r := t.UrbanMinutes > 0 && finite(t.UrbanMinutes), t.RuralMinutes > 0 && finite(t.RuralMinutes)
	switch {
	case u && r && t.UrbanMinutes == t.RuralMinutes:
		return fmtValue(t.UrbanMinutes) + " min"
	case u && r:
		return fmtValue(t.UrbanMinutes) + " min urban, " + fmtValue(t.RuralMinutes) + " min rural"
	case u:
		return fmtValue(t.UrbanMinutes) + " min urban"
	case r:
		return fmtValue(t.RuralMinutes) + " min rural"
	}
	return ""
}

// drawMap returns the map figure, or "" when there is nothing to draw.
func drawMap(m *Map, t Targets, title string) template.HTML {
	b, ok := mapBound(m)
	if !ok {
		return ""
	}
	pr := newProjection(b, frameW, mapH, mapMargin)
	s := &svg{}
	s.open("arv-map", "figure map", mapW, mapH, title, mapDesc(m))
	s.raw(`<defs><clipPath id="arv-map-clip"><rect x="0" y="0" width="`, num(frameW), `" height="`, num(mapH), `"/></clipPath></defs>`)
	s.rect(0, 0, frameW, mapH, `fill="#fbfbf9"`)
	s.raw(`<g clip-path="url(#arv-map-clip)">`)

	// Isochrones, longest first so shorter ones lie on top.
	bands := make([]int, 0, len(m.Isochrones))
	for i := range m.Isochrones {
		if finite(m.Isochrones[i].Minutes) {
			bands = append(bands, i)
		}
	}
	slices.SortStableFunc(bands, func(a, b int) int {
		return cmp.Compare(m.Isochrones[a].Minutes, m.Isochrones[b].Minutes)
	})
	s.raw(`<g class="isochrones">`)
	for k := len(bands) - 1; k >= 0; k-- {
		band := &m.Isochrones[bands[k]]
		pb := &pathBuilder{pr: pr, step: 0.8}
		for _, pg := range band.Polygons {
			for _, r := range pg {
				pb.line(r, true, frameW, mapH)
			}
		}
		if pb.b.Len() == 0 {
			continue
		}
		c := bandColour(k, len(bands))
		s.raw(`<path class="isochrone" fill="`, c, `" fill-opacity="0.75" fill-rule="evenodd" stroke="`, c, `" stroke-width="0.8" d="`, pb.b.String(), `">`)
		s.tooltip(bandLabel(band))
		s.raw(`</path>`)
	}
	s.raw(`</g>`)

	// Force outline.
	if len(m.Outline) > 0 {
		pb := &pathBuilder{pr: pr, step: 0.8}
		for _, r := range m.Outline {
			pb.line(r, true, frameW, mapH)
		}
		if pb.b.Len() > 0 {
			s.raw(`<path class="outline" fill="none" stroke="`, colourOutline, `" stroke-width="1.6" stroke-dasharray="7 3 2 3" d="`, pb.b.String(), `"/>`)
		}
	}

	// Roads, minor first, one path per class.
	var roadPaths [len(roadStyles)]pathBuilder
	for i := range roadPaths {
		roadPaths[i] = pathBuilder{pr: pr, step: 1.2}
	}
	for _, l := range m.Roads {
		roadPaths[roadStyle(l.Class)].line(l.Points, false, frameW, mapH)
	}
	s.raw(`<g class="roads" fill="none" stroke-linecap="round" stroke-linejoin="round">`)
	for i := range roadPaths {
		if roadPaths[i].b.Len() == 0 {
			continue
		}
		st := roadStyles[i]
		s.raw(`<path class="road road-`, st.name, `" stroke="`, st.stroke, `" stroke-width="`, num(st.width), `" d="`, roadPaths[i].b.String(), `"/>`)
	}
	s.raw(`</g>`)

	// Demand, largest first so small circles stay visible.
	maxW := 0.0
	for _, d := range m.Demand {
		if finite(d.Weight) && d.Weight > maxW {
			maxW = d.Weight
		}
	}
	radius := func(w float64) float64 {
		if !(maxW > 0) || !finite(w) || w <= 0 {
			return 3.5
		}
		return math.Max(3.5, 16*math.Sqrt(w/maxW))
	}
	order := make([]int, 0, len(m.Demand))
	for i := range m.Demand {
		if usable(m.Demand[i].Point) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(radius(m.Demand[b].Weight), radius(m.Demand[a].Weight))
	})
	s.raw(`<g class="demand-points" stroke="#fff" stroke-width="1">`)
	for _, i := range order {
		d := &m.Demand[i]
		x, y := pr.xy(d.Point)
		c := demandClass(d, t)
		s.raw(`<circle class="demand demand-`, fmt.Sprint(c), `" cx="`, num(x), `" cy="`, num(y), `" r="`, num(radius(d.Weight)), `" fill="`, demandClasses[c].fill, `" fill-opacity="0.9">`)
		s.tooltip(demandTip(d, t))
		s.raw(`</circle>`)
	}
	s.raw(`</g>`)

	// Bases and standby points.
	lab := &labeller{s: &svg{}}
	s.raw(`<g class="bases">`)
	for _, mk := range m.Bases {
		if !usable(mk.Point) {
			continue
		}
		x, y := pr.xy(mk.Point)
		fill, stroke := "#fff", colourBase
		if mk.Kind == KindARVBase {
			fill, stroke = colourBase, "#fff"
		}
		s.raw(`<rect class="base" x="`, num(x-5.5), `" y="`, num(y-5.5), `" width="11" height="11" fill="`, fill, `" stroke="`, stroke, `" stroke-width="1.6">`)
		s.tooltip(joinNonEmpty(": ", mk.Name, joinNonEmpty(", ", baseKind(mk.Kind), mk.Detail)))
		s.raw(`</rect>`)
		lab.taken = append(lab.taken, box{x - 6, y - 6, x + 6, y + 6})
	}
	s.raw(`</g><g class="standby-points">`)
	for _, mk := range m.Standby {
		if !usable(mk.Point) {
			continue
		}
		x, y := pr.xy(mk.Point)
		s.raw(`<path class="standby" d="M`, num(x), ` `, num(y-9), `L`, num(x+9), ` `, num(y), `L`, num(x), ` `, num(y+9), `L`, num(x-9), ` `, num(y), `Z" fill="`, colourStandby, `" stroke="#fff" stroke-width="1.5">`)
		s.tooltip(joinNonEmpty(": ", mk.Name, joinNonEmpty(", ", "standby point", mk.Detail)))
		s.raw(`</path>`)
		lab.taken = append(lab.taken, box{x - 9, y - 9, x + 9, y + 9})
	}
	s.raw(`</g></g>`) // end of clipped layers

	// Furniture: scale bar, north arrow, attribution; then labels avoid them.
	scaleBar(s, pr, lab)
	northArrow(s, lab)
	if m.Attribution != "" {
		a := truncate(m.Attribution, 110)
		w := textWidth(a, 11) + 10
		s.rect(frameW-w-4, mapH-20, w, 16, `fill="#fff" fill-opacity="0.85"`)
		s.text(frameW-9, mapH-8, `class="attribution" font-size="11" fill="#4d4d4d" text-anchor="end"`, a)
		lab.taken = append(lab.taken, box{frameW - w - 4, mapH - 20, frameW, mapH})
	}

	// Labels: standby points, then bases, then the largest demand points.
	for _, mk := range m.Standby {
		if usable(mk.Point) {
			x, y := pr.xy(mk.Point)
			lab.place(x, y, 9, mk.Name, 14, "600")
		}
	}
	for _, mk := range m.Bases {
		if usable(mk.Point) {
			x, y := pr.xy(mk.Point)
			lab.place(x, y, 7, mk.Name, 13, "500")
		}
	}
	for _, i := range order {
		d := &m.Demand[i]
		if r := radius(d.Weight); r >= 7 {
			x, y := pr.xy(d.Point)
			lab.place(x, y, r, d.Name, 12, "400")
		}
	}
	s.raw(`<g class="labels" fill="#1a1a1a" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`, lab.s.b.String(), `</g>`)
	s.rect(0.5, 0.5, frameW-1, mapH-1, `fill="none" stroke="#9a9a9a"`)

	mapLegend(s, m, t, bands)
	s.close()
	return s.html()
}

// mapDesc describes the map for assistive technology.
func mapDesc(m *Map) string {
	return fmt.Sprintf("Map of the force area: %d demand points coloured by response time against the target, %d police sites, %d standby points, %d isochrone bands and %d road lines.",
		len(m.Demand), len(m.Bases), len(m.Standby), len(m.Isochrones), len(m.Roads))
}

// demandTip is the tooltip of a demand point.
func demandTip(d *DemandMarker, t Targets) string {
	var b strings.Builder
	b.WriteString(cmp.Or(d.Name, "Demand point"))
	if d.Class != "" {
		b.WriteString(" (" + d.Class + ")")
	}
	if finite(d.Minutes) && d.Minutes >= 0 {
		b.WriteString(": " + fmtMinutes(d.Minutes) + " min")
	} else {
		b.WriteString(": not reached")
	}
	target := d.Target
	if !(target > 0) || !finite(target) {
		target = t.Minutes(d.Class)
	}
	if target > 0 && finite(target) {
		b.WriteString(", target " + fmtValue(target) + " min")
	}
	if finite(d.Weight) && d.Weight > 0 {
		b.WriteString("; demand " + fmtValue(d.Weight))
	}
	return b.String()
}

// baseKind names a base's kind for its tooltip.
func baseKind(kind string) string {
	if kind == KindARVBase {
		return "ARV base"
	}
	return cmp.Or(kind, "police site")
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// scaleBar draws a bar of a round number of kilometres at the bottom left.
func scaleBar(s *svg, pr *projection, lab *labeller) {
	upk := pr.unitsPerKm()
	if !finite(upk) || upk <= 0 {
		return
	}
	km := 0.0
	for _, c := range []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000} {
		if c*upk <= 0.3*frameW {
			km = c
		}
	}
	if km == 0 {
		return
	}
	w := km * upk
	x, y := 16.0, mapH-22
	s.rect(x-8, y-22, w+48, 36, `fill="#fff" fill-opacity="0.85"`)
	s.raw(`<g class="scale-bar">`)
	s.rect(x, y, w/2, 5, `fill="#1a1a1a"`)
	s.rect(x+w/2, y, w/2, 5, `fill="#fff" stroke="#1a1a1a" stroke-width="0.8"`)
	s.rect(x, y, w, 5, `fill="none" stroke="#1a1a1a" stroke-width="0.8"`)
	lbl := `font-size="12" fill="#1a1a1a" text-anchor="middle"`
	s.text(x, y-5, lbl, "0")
	s.text(x+w/2, y-5, lbl, fmtValue(km/2))
	s.text(x+w, y-5, lbl, fmtValue(km)+" km")
	s.raw(`</g>`)
	lab.taken = append(lab.taken, box{x - 8, y - 22, x + w + 40, y + 14})
}

// northArrow draws a north arrow at the top right of the frame.
func northArrow(s *svg, lab *labeller) {
	x, y := frameW-30, 18.0
	s.raw(`<g class="north-arrow" aria-label="North">`)
	s.raw(`<path d="M`, num(x), ` `, num(y+10), `L`, num(x+8), ` `, num(y+34), `L`, num(x), ` `, num(y+28), `Z" fill="#1a1a1a"/>`)
	s.raw(`<path d="M`, num(x), ` `, num(y+10), `L`, num(x-8), ` `, num(y+34), `L`, num(x), ` `, num(y+28), `Z" fill="#fff" stroke="#1a1a1a" stroke-width="0.8"/>`)
	s.text(x, y+6, `font-size="14" font-weight="700" fill="#1a1a1a" text-anchor="middle"`, "N")
	s.raw(`</g>`)
	lab.taken = append(lab.taken, box{x - 14, y - 8, x + 14, y + 38})
}

// mapLegend draws the legend to the right of the frame, listing only
// what the map shows.
// bands are the indices of the isochrones drawn, shortest first.
func mapLegend(s *svg, m *Map, t Targets, bands []int) {
	x := legendX
	y := 22.0
	item := `font-size="13.5" fill="#1a1a1a"`
	head := func(h string) {
		s.text(x, y, `font-size="14" font-weight="700" fill="#1a1a1a"`, h)
		y += 20
	}
	s.raw(`<g class="legend">`)
	if len(m.Demand) > 0 {
		head("Response time")
		if tt := targetsText(t); tt != "" {
			s.text(x, y-4, `font-size="12.5" fill="#4d4d4d"`, "Target: "+tt)
			y += 16
		}
		var used [len(demandClasses)]bool
		for i := range m.Demand {
			used[demandClass(&m.Demand[i], t)] = true
		}
		for c, dc := range demandClasses {
			if c >= 3 && !used[c] {
				continue
			}
			s.raw(`<circle cx="`, num(x+7), `" cy="`, num(y-4), `" r="6" fill="`, dc.fill, `"/>`)
			s.text(x+22, y, item, dc.label)
			y += 20
		}
		s.text(x, y, `font-size="12.5" fill="#4d4d4d"`, "Circle area shows demand")
		y += 26
	}
	var arvBase, other bool
	for _, mk := range m.Bases {
		if mk.Kind == KindARVBase {
			arvBase = true
		} else {
			other = true
		}
	}
	if arvBase || other || len(m.Standby) > 0 {
		head("Sites")
		if len(m.Standby) > 0 {
			s.raw(`<path d="M`, num(x+7), ` `, num(y-12), `l8 8l-8 8l-8 -8Z" fill="`, colourStandby, `"/>`)
			s.text(x+22, y, item, "Standby point (optimised)")
			y += 21
		}
		if arvBase {
			s.rect(x+1.5, y-9.5, 11, 11, `fill="`+colourBase+`"`)
			s.text(x+22, y, item, "ARV base")
			y += 20
		}
		if other {
			s.rect(x+1.5, y-9.5, 11, 11, `fill="#fff" stroke="`+colourBase+`" stroke-width="1.6"`)
			s.text(x+22, y, item, "Other police site")
			y += 20
		}
		y += 6
	}
	if nBands := len(bands); nBands > 0 {
		head("Travel time from standby")
		for k, i := range bands {
			s.rect(x, y-11, 15, 13, `fill="`+bandColour(k, nBands)+`" fill-opacity="0.75" stroke="#7a9a8a" stroke-width="0.6"`)
			s.text(x+22, y, item, truncate(bandLabel(&m.Isochrones[i]), 26))
			y += 20
		}
		y += 7
	}
	var roadUsed [len(roadStyles)]bool
	for _, l := range m.Roads {
		roadUsed[roadStyle(l.Class)] = true
	}
	if slices.Contains(roadUsed[:], true) || len(m.Outline) > 0 {
		head("Roads and boundary")
		for i := len(roadStyles) - 1; i >= 0; i-- {
			if !roadUsed[i] {
				continue
			}
			st := roadStyles[i]
			s.line(x, y-4, x+16, y-4, `stroke="`+st.stroke+`" stroke-width="`+num(st.width+0.4)+`" stroke-linecap="round"`)
			s.text(x+22, y, item, st.label)
			y += 19
		}
		if len(m.Outline) > 0 {
			s.line(x, y-4, x+16, y-4, `stroke="`+colourOutline+`" stroke-width="1.6" stroke-dasharray="7 3 2 3"`)
			s.text(x+22, y, item, "Force boundary")
			y += 19
		}
	}
	s.raw(`</g>`)
}
