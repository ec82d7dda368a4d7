package report

import (
	"html"
	"html/template"
	"strings"
)

// svg builds one inline SVG element. Text goes through text or attr,
// which escape it; numbers through num. Nothing else reaches the output,
// so a caller's string can never open a tag or an attribute.
type svg struct {
	b strings.Builder
}

// esc escapes s for element content or a double-quoted attribute.
func esc(s string) string { return html.EscapeString(s) }

// open starts the element: a viewBox of w×h, an id, an accessible title
// and description.
func (s *svg) open(id, class string, w, h float64, title, desc string) {
	s.raw(`<svg id="`, id, `" class="`, class, `" viewBox="0 0 `, num(w), ` `, num(h),
		`" role="img" aria-labelledby="`, id, `-title `, id, `-desc">`)
	s.raw(`<title id="`, id, `-title">`, esc(title), `</title>`)
	s.raw(`<desc id="`, id, `-desc">`, esc(desc), `</desc>`)
}

// close ends the element.
func (s *svg) close() { s.raw(`</svg>`) }

// raw appends trusted markup: only literals and numbers formatted by num.
func (s *svg) raw(parts ...string) {
	for _, p := range parts {
		s.b.WriteString(p)
	}
}

// text appends a <text> element at x, y with attributes attrs (trusted
// markup) and content t (escaped).
func (s *svg) text(x, y float64, attrs, t string) {
	s.raw(`<text x="`, num(x), `" y="`, num(y), `"`)
	if attrs != "" {
		s.raw(" ", attrs)
	}
	s.raw(">", esc(t), "</text>")
}

// tooltip appends a <title> child, which browsers show on hover.
func (s *svg) tooltip(t string) {
	if t != "" {
		s.raw("<title>", esc(t), "</title>")
	}
}

// line appends a straight line.
func (s *svg) line(x1, y1, x2, y2 float64, attrs string) {
	s.raw(`<line x1="`, num(x1), `" y1="`, num(y1), `" x2="`, num(x2), `" y2="`, num(y2), `" `, attrs, `/>`)
}

// rect appends a rectangle.
func (s *svg) rect(x, y, w, h float64, attrs string) {
	s.raw(`<rect x="`, num(x), `" y="`, num(y), `" width="`, num(max(w, 0)), `" height="`, num(max(h, 0)), `" `, attrs, `/>`)
}

// html returns the element as markup for the template.
func (s *svg) html() template.HTML {
	// Safe: built only from literals, escaped text and formatted numbers.
	return template.HTML(s.b.String())
}

// wrap breaks t into lines of at most n characters at spaces.
func wrap(t string, n int) []string {
	var lines []string
	var cur []rune
	for _, w := range strings.Fields(t) {
		rw := []rune(w)
		if len(cur) > 0 && len(cur)+1+len(rw) > n {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
		}
		cur = append(cur, rw...)
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// textWidth estimates the width of t at font size px in a sans-serif
// face: about 0.56 em a character on average.
func textWidth(t string, px float64) float64 {
	return float64(len([]rune(t))) * px * 0.56
}
