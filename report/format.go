package report

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// dash is shown for a missing number.
const dash = "–"

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// fmtMinutes formats minutes with one decimal: "12.4".
func fmtMinutes(x float64) string {
	if !finite(x) {
		return dash
	}
	return strconv.FormatFloat(unsigned0(math.Round(x*10)/10), 'f', 1, 64)
}

// unsigned0 returns x, with negative zero made positive so that it does
// not print as "-0".
func unsigned0(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// fmtShare formats a share 0..1 as a percentage with one decimal: "87.3%".
func fmtShare(x float64) string {
	if !finite(x) {
		return dash
	}
	return strconv.FormatFloat(unsigned0(math.Round(x*1000)/10), 'f', 1, 64) + "%"
}

// fmtPercent formats a share 0..1 as a whole percentage: "87%".
func fmtPercent(x float64) string {
	if !finite(x) {
		return dash
	}
	return strconv.FormatFloat(unsigned0(math.Round(x*100)), 'f', 0, 64) + "%"
}

// fmtMoneyChange formats a change in pounds with its sign: "+£855,000",
// "−£100,000", "£0"; a dash when not finite.
func fmtMoneyChange(x float64) string {
	x = math.Round(x)
	switch {
	case !finite(x):
		return dash
	case x > 0:
		return "+£" + groupThousands(strconv.FormatFloat(x, 'f', 0, 64))
	case x < 0:
		return "−£" + groupThousands(strconv.FormatFloat(-x, 'f', 0, 64))
	}
	return "£0"
}

// fmtCount formats a positive count, or a dash for zero or less.
func fmtCount(n int) string {
	if n <= 0 {
		return dash
	}
	return groupThousands(strconv.Itoa(n))
}

// fmtValue formats a number for the arithmetic: whole numbers with
// thousands separators, others with up to three decimals, trailing zeros
// dropped ("1,564", "5.6", "0.125").
func fmtValue(x float64) string {
	if !finite(x) {
		return dash
	}
	neg := x < 0
	x = math.Abs(x)
	var s string
	if x >= 1e15 {
		s = strconv.FormatFloat(x, 'g', 4, 64)
	} else {
		s = strconv.FormatFloat(x, 'f', 3, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		whole, frac, ok := strings.Cut(s, ".")
		s = groupThousands(whole)
		if ok {
			s += "." + frac
		}
	}
	if s == "0" {
		neg = false
	}
	if neg {
		return "−" + s
	}
	return s
}

// groupThousands puts commas in a string of digits: "1234567" to
// "1,234,567".
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// num formats a coordinate for SVG with at most one decimal. Non-finite
// values become 0, so no NaN reaches an attribute.
func num(x float64) string {
	if !finite(x) {
		return "0"
	}
	x = math.Round(x*10) / 10
	if x == 0 {
		return "0" // no "-0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// truncate shortens s to at most n characters, ending in "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max(n-1, 0)])) + "…"
}

// clamp returns x limited to [lo, hi]; NaN gives lo.
func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) || x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// numericCell reports whether a table cell reads as a number: an optional
// sign or currency symbol, digits with commas and a point, then an
// optional % or unit word ("£1,200", "87.5%", "12.4 min", "–").
func numericCell(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || s == dash || s == "-" {
		return true
	}
	s = strings.TrimLeft(s, "−-+£$€~≈<>")
	digits := 0
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c != ',' && c != '.' {
			break
		}
		i++
	}
	if digits == 0 {
		return false
	}
	rest := strings.TrimSpace(s[i:])
	return !strings.ContainsAny(rest, "0123456789") && utf8.RuneCountInString(rest) <= 8
}
