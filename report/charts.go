package report

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
)

// Series styles: the Okabe–Ito palette without its yellow (too pale on
// white), which stays distinct under the common colour-vision
// deficiencies, with dash patterns so lines also differ in grey print.
var (
	palette = [...]string{"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#1a1a1a"}
	dashes  = [...]string{"", "7 4", "2 3", "9 3 2 3"}
)

// seriesStyle returns the stroke attributes of series i.
func seriesStyle(i int, width float64) string {
	a := `stroke="` + palette[i%len(palette)] + `" stroke-width="` + num(width) + `"`
	if d := dashes[i%len(dashes)]; d != "" {
		a += ` stroke-dasharray="` + d + `"`
	}
	return a
}

// axes is a plot area and the data ranges it shows.
type axes struct {
	x0, y0, w, h           float64 // plot area, y0 at the top
	xmin, xmax, ymin, ymax float64
}

func (a *axes) px(x float64) float64 {
	return a.x0 + (clamp(x, a.xmin, a.xmax)-a.xmin)/(a.xmax-a.xmin)*a.w
}

func (a *axes) py(y float64) float64 {
	return a.y0 + a.h - (clamp(y, a.ymin, a.ymax)-a.ymin)/(a.ymax-a.ymin)*a.h
}

// frame draws grid lines, ticks and axis titles.
func (a *axes) frame(s *svg, xticks []float64, xfmt func(float64) string, yticks []float64, yfmt func(float64) string, xtitle, ytitle string) {
	s.raw(`<g class="axes">`)
	tick := `font-size="13" fill="#404040"`
	for _, v := range yticks {
		y := a.py(v)
		s.line(a.x0, y, a.x0+a.w, y, `stroke="#e3e3e3" stroke-width="1"`)
		s.text(a.x0-8, y+4, tick+` text-anchor="end"`, yfmt(v))
	}
	for _, v := range xticks {
		x := a.px(v)
		s.line(x, a.y0+a.h, x, a.y0+a.h+5, `stroke="#595959"`)
		s.text(x, a.y0+a.h+20, tick+` text-anchor="middle"`, xfmt(v))
	}
	s.line(a.x0, a.y0+a.h, a.x0+a.w, a.y0+a.h, `stroke="#595959"`)
	s.line(a.x0, a.y0, a.x0, a.y0+a.h, `stroke="#595959"`)
	if xtitle != "" {
		s.text(a.x0+a.w/2, a.y0+a.h+42, `font-size="13.5" fill="#262626" text-anchor="middle"`, xtitle)
	}
	if ytitle != "" {
		cx, cy := a.x0-48, a.y0+a.h/2
		s.raw(`<text x="`, num(cx), `" y="`, num(cy), `" font-size="13.5" fill="#262626" text-anchor="middle" transform="rotate(-90 `, num(cx), ` `, num(cy), `)">`, esc(ytitle), `</text>`)
	}
	s.raw(`</g>`)
}

// clip starts a group clipped to the plot area (slightly enlarged so
// lines on the edges keep their full width).
func (a *axes) clip(s *svg, id string) {
	s.raw(`<clipPath id="`, id, `"><rect x="`, num(a.x0-4), `" y="`, num(a.y0-4), `" width="`, num(a.w+8), `" height="`, num(a.h+8), `"/></clipPath>`)
	s.raw(`<g clip-path="url(#`, id, `)">`)
}

// shareAxis draws the axes of a chart of horizontal bars or dots against
// a share: a vertical grid line labelled as a percentage at each tick
// under the plot, and the left axis line.
func shareAxis(s *svg, a *axes, ticks []float64) {
	s.raw(`<g class="axes">`)
	for _, v := range ticks {
		x := a.px(v)
		s.line(x, a.y0, x, a.y0+a.h, `stroke="#e3e3e3"`)
		s.text(x, a.y0+a.h+18, `font-size="13" fill="#404040" text-anchor="middle"`, fmtPercent(v))
	}
	s.line(a.x0, a.y0, a.x0, a.y0+a.h, `stroke="#595959"`)
	s.raw(`</g>`)
}

// steps returns the multiples of step from lo to hi.
func steps(lo, hi, step float64) []float64 {
	var v []float64
	for x := math.Ceil(lo/step-1e-9) * step; x <= hi+1e-9 && len(v) < 200; x += step {
		v = append(v, unsigned0(x))
	}
	return v
}

// shareTicks formats a share axis tick: "40%".
func shareTicks(v float64) string { return fmtPercent(v) }

// cdfMax is the last minute of the response-time chart.
const cdfMax = 60.0

// drawCDF returns the response-time chart of the what-ifs, or "" when
// none has a distribution.
func drawCDF(rows []WhatIfRow, t Targets, title string) template.HTML {
	has := slices.ContainsFunc(rows, drawable)
	if !has {
		return ""
	}
	const W, H = 1000.0, 452.0
	a := &axes{x0: 72, y0: 24, w: 640, h: 370, xmin: 0, xmax: cdfMax, ymin: 0, ymax: 1}
	s := &svg{}
	s.open("arv-cdf", "figure chart", W, H, title,
		"Cumulative share of incidents reached by armed officers against minutes since the 999 call, one line per option, from 0 to 60 minutes, with the response targets as vertical lines.")
	a.frame(s, steps(0, cdfMax, 10), func(v float64) string { return strconv.Itoa(int(v)) },
		steps(0, 1, 0.2), shareTicks, "Minutes from the 999 call to armed officers on scene", "Share of incidents reached")
	refLines(s, a, t)
	a.clip(s, "arv-cdf-clip")
	// Chosen last so it lies on top.
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int { return cmpBool(rows[i].Chosen, rows[j].Chosen) })
	for _, i := range idx {
		if !drawable(rows[i]) {
			continue
		}
		pts := usableCDF(rows[i].CDF)
		width := 2.0
		if rows[i].Chosen {
			width = 3.5
		}
		var d []byte
		for k, p := range pts {
			if k == 0 {
				d = append(d, 'M')
			} else {
				d = append(d, 'L')
			}
			d = append(d, num(a.px(p.Minutes))+" "+num(a.py(p.Share))...)
		}
		s.raw(`<path class="cdf-line" fill="none" stroke-linejoin="round" `, seriesStyle(i, width), ` d="`, string(d), `">`)
		s.tooltip(cdfTip(&rows[i], pts, t))
		s.raw(`</path>`)
	}
	s.raw(`</g>`)

	// Legend at the right.
	x, y := 740.0, 34.0
	s.text(x, y-8, `font-size="14" font-weight="700" fill="#1a1a1a"`, "Options")
	y += 14
	s.raw(`<g class="legend">`)
	for i := range rows {
		if !drawable(rows[i]) {
			continue
		}
		width, weight, chars := 2.0, "400", 27
		if rows[i].Chosen {
			width, weight, chars = 3.5, "700", 24 // bold is wider
		}
		s.line(x, y-4, x+30, y-4, seriesStyle(i, width))
		lines := wrap(cmp.Or(rows[i].Name, fmt.Sprintf("Option %d", i+1)), chars)
		if len(lines) > 2 {
			lines = []string{lines[0], truncate(lines[1]+" "+lines[2], chars)}
		}
		for k, l := range lines {
			s.text(x+38, y+float64(k)*16, `font-size="13.5" fill="#1a1a1a" font-weight="`+weight+`"`, l)
		}
		y += 16*float64(len(lines)) + 9
		if y > H-10 {
			break
		}
	}
	s.raw(`</g>`)
	s.close()
	return s.html()
}

// drawable reports whether a what-if has a line on the chart.
func drawable(r WhatIfRow) bool { return !r.NotApplicable && len(usableCDF(r.CDF)) > 0 }

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// usableCDF returns the finite points of c sorted by minutes, shares
// clamped to 0..1 and minutes to 0 or more.
func usableCDF(c []Point) []Point {
	var v []Point
	for _, p := range c {
		if finite(p.Minutes) && finite(p.Share) {
			v = append(v, Point{Minutes: math.Max(p.Minutes, 0), Share: clamp(p.Share, 0, 1)})
		}
	}
	slices.SortStableFunc(v, func(a, b Point) int { return cmp.Compare(a.Minutes, b.Minutes) })
	return v
}

// cdfTip is the tooltip of a what-if's line: its share within the
// targets.
func cdfTip(r *WhatIfRow, pts []Point, t Targets) string {
	tip := cmp.Or(r.Name, "Option")
	for _, m := range []float64{t.UrbanMinutes, t.RuralMinutes} {
		if m > 0 && finite(m) {
			tip += fmt.Sprintf("; %s within %s min", fmtShare(shareAt(pts, m)), fmtValue(m))
		}
	}
	return tip
}

// shareAt interpolates a sorted distribution at minute m.
func shareAt(pts []Point, m float64) float64 {
	if len(pts) == 0 {
		return math.NaN()
	}
	if m <= pts[0].Minutes {
		return pts[0].Share
	}
	for k := 1; k < len(pts); k++ {
		if m <= pts[k].Minutes {
			p, q := pts[k-1], pts[k]
			if q.Minutes == p.Minutes {
				return q.Share
			}
			return p.Share + (q.Share-p.Share)*(m-p.Minutes)/(q.Minutes-p.Minutes)
		}
	}
	return pts[len(pts)-1].Share
}

// refLines draws the target minutes as vertical lines and the target
// share as a horizontal one.
func refLines(s *svg, a *axes, t Targets) {
	s.raw(`<g class="reference">`)
	type ref struct {
		m     float64
		label string
	}
	var refs []ref
	u, r := t.UrbanMinutes, t.RuralMinutes
	okU, okR := u > 0 && finite(u) && u <= a.xmax, r > 0 && finite(r) && r <= a.xmax
	switch {
	case okU && okR && u == r:
		refs = append(refs, ref{u, fmtValue(u) + " min target"})
	default:
		if okU {
			refs = append(refs, ref{u, "Urban target " + fmtValue(u) + " min"})
		}
		if okR {
			refs = append(refs, ref{r, "Rural target " + fmtValue(r) + " min"})
		}
	}
	for k, rf := range refs {
		x := a.px(rf.m)
		s.line(x, a.y0, x, a.y0+a.h, `stroke="#404040" stroke-width="1.2" stroke-dasharray="5 4"`)
		s.text(x+5, a.y0+a.h-12-float64(k)*16, `font-size="13" fill="#262626" class="label" stroke="#fff" stroke-width="3" paint-order="stroke"`, rf.label)
	}
	if sh := t.Share; sh > 0 && sh <= 1 && finite(sh) {
		y := a.py(sh)
		s.line(a.x0, y, a.x0+a.w, y, `stroke="#404040" stroke-width="1" stroke-dasharray="1.5 3"`)
		s.text(a.x0+a.w-4, y+15, `font-size="13" fill="#262626" text-anchor="end" stroke="#fff" stroke-width="3" paint-order="stroke"`, "Standard: "+fmtPercent(sh)+" within target")
	}
	s.raw(`</g>`)
}

// drawCoverage returns the coverage-against-ARVs chart, or "" with no
// points.
func drawCoverage(points []CoveragePoint, t Targets, title string) template.HTML {
	var pts []CoveragePoint
	for _, p := range points {
		if p.Units >= 0 && p.Units < 1e6 {
			pts = append(pts, p)
		}
	}
	if len(pts) == 0 {
		return ""
	}
	slices.SortStableFunc(pts, func(a, b CoveragePoint) int { return cmp.Compare(a.Units, b.Units) })
	lo, hi := float64(pts[0].Units), float64(pts[len(pts)-1].Units)
	const W, H = 1000.0, 400.0
	a := &axes{x0: 72, y0: 24, w: 640, h: 320, xmin: lo - 0.5, xmax: hi + 0.5, ymin: 0, ymax: 1}
	step := math.Max(1, math.Ceil((hi-lo)/12))
	s := &svg{}
	s.open("arv-coverage", "figure chart", W, H, title,
		"Share of demand covered within the response target against the number of ARVs: optimised placement, expected coverage allowing for busy ARVs, and the simulator where run.")
	a.frame(s, steps(lo, hi, step), func(v float64) string { return strconv.Itoa(int(v)) },
		steps(0, 1, 0.2), shareTicks, "Number of ARVs on duty", "Share of demand covered")
	refLines(s, a, Targets{Share: t.Share})

	// Annotations.
	for k, p := range pts {
		if p.Label == "" {
			continue
		}
		x := a.px(float64(p.Units))
		s.line(x, a.y0, x, a.y0+a.h, `stroke="#7f7f7f" stroke-width="1" stroke-dasharray="3 3"`)
		s.text(x+4, a.y0+12+float64(k%2)*15, `font-size="13" fill="#262626" stroke="#fff" stroke-width="3" paint-order="stroke"`, truncate(p.Label, 24))
	}

	series := []struct {
		name   string
		get    func(CoveragePoint) float64
		colour string
		dash   string
		marker string
	}{
		{"Covered, optimised placement", func(p CoveragePoint) float64 { return p.Covered }, palette[0], "", "circle"},
		{"Expected covered (MEXCLP, busy ARVs)", func(p CoveragePoint) float64 { return p.Expected }, palette[1], "7 4", "square"},
		{"Within target in the simulator", func(p CoveragePoint) float64 { return p.Simulated }, palette[2], "2 3", "triangle"},
	}
	lx, ly := 740.0, 34.0
	s.text(lx, ly-8, `font-size="14" font-weight="700" fill="#1a1a1a"`, "Series")
	ly += 14
	a.clip(s, "arv-coverage-clip")
	var legend svg
	for _, se := range series {
		if !slices.ContainsFunc(pts, func(p CoveragePoint) bool { v := se.get(p); return finite(v) && v > 0 }) {
			continue
		}
		var d []byte
		pen := false
		var marks svg
		for _, p := range pts {
			v := se.get(p)
			if !finite(v) {
				pen = false
				continue
			}
			x, y := a.px(float64(p.Units)), a.py(v)
			if pen {
				d = append(d, 'L')
			} else {
				d = append(d, 'M')
			}
			pen = true
			d = append(d, num(x)+" "+num(y)...)
			marker(&marks, se.marker, x, y, se.colour)
			marks.tooltip(fmt.Sprintf("%d ARVs: %s %s", p.Units, fmtShare(v), se.name))
			marks.raw(`</`, markerTag(se.marker), `>`)
		}
		attrs := `stroke="` + se.colour + `" stroke-width="2.2"`
		if se.dash != "" {
			attrs += ` stroke-dasharray="` + se.dash + `"`
		}
		s.raw(`<path class="coverage-line" fill="none" `, attrs, ` d="`, string(d), `"/>`)
		s.raw(`<g class="markers">`, marks.b.String(), `</g>`)
		legend.line(lx, ly-4, lx+30, ly-4, attrs)
		marker(&legend, se.marker, lx+15, ly-4, se.colour)
		legend.raw(`</`, markerTag(se.marker), `>`)
		for k, l := range wrap(se.name, 27) {
			legend.text(lx+38, ly+float64(k)*16, `font-size="13.5" fill="#1a1a1a"`, l)
		}
		ly += 16*float64(len(wrap(se.name, 27))) + 9
	}
	s.raw(`</g>`)
	s.raw(`<g class="legend">`, legend.b.String(), `</g>`)
	if tt := targetsText(t); tt != "" {
		for k, l := range wrap("Covered: within "+tt+" of a standby point.", 32) {
			s.text(lx, ly+10+float64(k)*16, `font-size="12.5" fill="#4d4d4d"`, l)
		}
	}
	s.close()
	return s.html()
}

// marker opens a marker element of the given shape at x, y; the caller
// closes it with markerTag after adding a tooltip.
func marker(s *svg, shape string, x, y float64, colour string) {
	fill := `fill="` + colour + `" stroke="#fff" stroke-width="1.2"`
	switch shape {
	case "square":
		s.raw(`<rect x="`, num(x-4.5), `" y="`, num(y-4.5), `" width="9" height="9" `, fill, `>`)
	case "triangle":
		s.raw(`<path d="M`, num(x), ` `, num(y-6), `L`, num(x+5.5), ` `, num(y+4), `L`, num(x-5.5), ` `, num(y+4), `Z" `, fill, `>`)
	default:
		s.raw(`<circle cx="`, num(x), `" cy="`, num(y), `" r="5" `, fill, `>`)
	}
}

// markerTag is the element name of a marker shape.
func markerTag(shape string) string {
	switch shape {
	case "square":
		return "rect"
	case "triangle":
		return "path"
	}
	return "circle"
}

// Bar colours: crewed pale, utilisation dark, from one blue hue.
const (
	colourCrewed = "#9ecae1"
	colourUtil   = "#08519c"
)

// drawUtilisation returns the per-ARV bar chart, or "" with no bars.
func drawUtilisation(bars []Bar, title string) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const W, rowH, top = 1000.0, 44.0, 52.0
	H := top + rowH*float64(len(bars)) + 46
	a := &axes{x0: 200, y0: top, w: 700, h: rowH * float64(len(bars)), xmin: 0, xmax: 1, ymin: 0, ymax: 1}
	s := &svg{}
	s.open("arv-utilisation", "figure chart", W, H, title,
		"For each ARV, the share of all time it was crewed and its utilisation: the share of its crewed time spent travelling to or at incidents.")
	// Legend on top.
	s.rect(a.x0, 14, 14, 12, `fill="`+colourCrewed+`"`)
	s.text(a.x0+20, 25, `font-size="13.5" fill="#1a1a1a"`, "Crewed (share of all time)")
	s.rect(a.x0+230, 14, 14, 12, `fill="`+colourUtil+`"`)
	s.text(a.x0+250, 25, `font-size="13.5" fill="#1a1a1a"`, "Utilisation (share of crewed time)")
	shareAxis(s, a, steps(0, 1, 0.2))
	for i, b := range bars {
		y := a.y0 + float64(i)*rowH + 6
		s.text(a.x0-12, y+14, `font-size="14" font-weight="600" fill="#1a1a1a" text-anchor="end"`, truncate(cmp.Or(b.Label, fmt.Sprintf("ARV %d", i+1)), 24))
		if b.Detail != "" {
			s.text(a.x0-12, y+29, `font-size="12" fill="#4d4d4d" text-anchor="end"`, truncate(b.Detail, 28))
		}
		for k, v := range []float64{b.Crewed, b.Utilisation} {
			by := y + float64(k)*16
			fill := colourCrewed
			if k == 1 {
				fill = colourUtil
			}
			if finite(v) {
				w := a.px(v) - a.x0
				s.rect(a.x0, by, w, 13, `class="bar" fill="`+fill+`"`)
				s.text(a.x0+w+5, by+11, `font-size="12.5" fill="#262626"`, fmtShare(v))
			} else {
				s.text(a.x0+5, by+11, `font-size="12.5" fill="#595959"`, "no figure")
			}
		}
	}
	s.close()
	return s.html()
}

// niceMax returns a round upper bound for a share axis holding v.
func niceMax(v float64) float64 {
	for _, c := range []float64{0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1} {
		if v <= c {
			return c
		}
	}
	return 1
}

// drawHypercube returns the model-against-simulator chart, or "" with no
// rows.
func drawHypercube(rows []Workload, title string) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	const W, rowH, top = 1000.0, 30.0, 64.0
	H := top + rowH*float64(len(rows)) + 40
	maxOf := func(f func(Workload) (float64, float64)) float64 {
		m := 0.0
		for _, r := range rows {
			a, b := f(r)
			for _, v := range []float64{a, b} {
				if finite(v) && v > m {
					m = v
				}
			}
		}
		return niceMax(m)
	}
	panels := []struct {
		title string
		get   func(Workload) (float64, float64)
		x0, w float64
	}{
		{"Workload (share of time busy)", func(w Workload) (float64, float64) { return w.Hypercube, w.Simulated }, 150, 360},
		{"Share of calls answered", func(w Workload) (float64, float64) { return w.HypercubeCalls, w.SimulatedCalls }, 610, 360},
	}
	s := &svg{}
	s.open("arv-hypercube", "figure chart", W, H, title,
		"For each ARV, its workload and its share of calls by the hypercube queueing model (hollow circles) and by the simulator (filled circles).")
	// Legend.
	s.raw(`<circle cx="156" cy="18" r="5.5" fill="#fff" stroke="`, palette[0], `" stroke-width="2"/>`)
	s.text(168, 22, `font-size="13.5" fill="#1a1a1a"`, "Hypercube queueing model")
	s.raw(`<circle cx="376" cy="18" r="5.5" fill="`, palette[1], `"/>`)
	s.text(388, 22, `font-size="13.5" fill="#1a1a1a"`, "Simulator")
	for i, r := range rows {
		y := top + float64(i)*rowH + rowH/2
		s.text(130, y+4, `font-size="14" font-weight="600" fill="#1a1a1a" text-anchor="end"`, truncate(cmp.Or(r.Label, fmt.Sprintf("ARV %d", i+1)), 18))
	}
	for _, p := range panels {
		mx := maxOf(p.get)
		a := &axes{x0: p.x0, y0: top, w: p.w, h: rowH * float64(len(rows)), xmin: 0, xmax: mx, ymin: 0, ymax: 1}
		s.text(a.x0, top-12, `font-size="13.5" font-weight="700" fill="#1a1a1a"`, p.title)
		step := mx / 5
		shareAxis(s, a, steps(0, mx, step))
		for i, r := range rows {
			y := top + float64(i)*rowH + rowH/2
			h, sim := p.get(r)
			if finite(h) && finite(sim) {
				s.line(a.px(h), y, a.px(sim), y, `stroke="#9a9a9a" stroke-width="2"`)
			}
			if finite(sim) {
				s.raw(`<circle cx="`, num(a.px(sim)), `" cy="`, num(y), `" r="5.5" fill="`, palette[1], `">`)
				s.tooltip(fmt.Sprintf("%s, simulator: %s", r.Label, fmtShare(sim)))
				s.raw(`</circle>`)
			}
			if finite(h) {
				s.raw(`<circle cx="`, num(a.px(h)), `" cy="`, num(y), `" r="5.5" fill="#fff" fill-opacity="0.6" stroke="`, palette[0], `" stroke-width="2">`)
				s.tooltip(fmt.Sprintf("%s, hypercube: %s", r.Label, fmtShare(h)))
				s.raw(`</circle>`)
			}
		}
	}
	s.close()
	return s.html()
}

// swatch returns a short line in series i's style for the what-if table.
func swatch(i int, chosen bool) template.HTML {
	w := 2.0
	if chosen {
		w = 3.5
	}
	s := &svg{}
	s.raw(`<svg class="swatch" viewBox="0 0 30 10" width="30" height="10" aria-hidden="true">`)
	s.line(1, 5, 29, 5, seriesStyle(i, w))
	s.raw(`</svg>`)
	return s.html()
}
