package plan

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Step is one line of a calculation, for a report to print: the figure,
// how it was computed with the numbers filled in, and where its inputs
// come from.
type Step struct {
	// Label says what the figure is ("officers per 24/7 seat").
	Label string `json:"label"`
	// Value is the figure, in Unit.
	Value float64 `json:"value"`
	// Unit is the figure's unit ("officers", "shifts a year", "£ a
	// year"); empty for a pure number.
	Unit string `json:"unit,omitempty"`
	// Formula shows the arithmetic with the numbers
	// ("1,095.75 / 157.15"); empty for an input.
	Formula string `json:"formula,omitempty"`
	// Source is where the inputs come from: "scenario", "facts §2.4",
	// "assumption: …" with its reasoning, or "derived".
	Source string `json:"source,omitempty"`
}

// String formats the step on one line:
// "label: value unit = formula [source]"; a unit starting with "£" is
// written before the value, rounded to the pound ("£1,234 a year").
func (s Step) String() string {
	var b strings.Builder
	b.WriteString(s.Label)
	b.WriteString(": ")
	if rest, ok := strings.CutPrefix(s.Unit, "£"); ok {
		// Pounds: "£1,234 a year".
		b.WriteString(money(s.Value))
		b.WriteString(rest)
	} else {
		b.WriteString(Num(s.Value))
		if s.Unit != "" {
			b.WriteByte(' ')
			b.WriteString(s.Unit)
		}
	}
	if s.Formula != "" {
		b.WriteString(" = ")
		b.WriteString(s.Formula)
	}
	if s.Source != "" {
		b.WriteString(" [")
		b.WriteString(s.Source)
		b.WriteByte(']')
	}
	return b.String()
}

// Text formats steps one per line, each ending in a newline.
func Text(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Num formats a figure for a report: whole numbers with thousands
// separators ("1,095"), others to 2 decimal places at 1 or more
// ("219.15", "6.97") and 3 significant decimals below ("0.717"),
// trailing zeros dropped.
func Num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	digits := 2
	if a := math.Abs(v); a < 1 && a > 0 {
		digits = 3
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// money formats pounds to the nearest pound: "£1,234", "−£5" as "-£5".
func money(v float64) string {
	if v < 0 {
		return "-£" + Num(math.Round(-v))
	}
	return "£" + Num(math.Round(v))
}

// errPlan prefixes the package's errors.
func errPlan(msg string) error { return errors.New("plan: " + msg) }
