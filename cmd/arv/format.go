package main

import (
	"fmt"
	"math"
	"strings"
)

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// moneyChange formats a change in pounds a year with its sign, as the
// report does: "+£855,000", "−£525,000", "£0", "–" when not known.
func moneyChange(x float64) string {
	switch v := int64(math.Round(x)); {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "–"
	case v > 0:
		return "+£" + thousands(v)
	case v < 0:
		return "−£" + thousands(-v)
	}
	return "£0"
}

// plural returns n and the noun, with an s unless n is 1: "1 problem",
// "2 problems", "2.5 years".
func plural[T int | float64](n T, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%v %s", n, noun)
	}
	return fmt.Sprintf("%v %ss", n, noun)
}
