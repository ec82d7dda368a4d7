package demo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Defaults and bounds of a Rate.
const (
	DefaultSpeedup = 10
	MaxPerHour     = 3600
	MaxSpeedup     = 1000
)

// Rate sets how many incidents the generator makes and how fast it plays
// them: the value of arv serve --generate.
type Rate struct {
	// PerHour is the mean rate in incidents per wall-clock hour; 0 is
	// off.
	PerHour float64
	// Speedup divides every delay; 0 means DefaultSpeedup.
	Speedup float64
	// Seed seeds the draws when HasSeed; otherwise one is chosen.
	Seed    uint64
	HasSeed bool
}

// speedup returns Speedup or its default.
func (r Rate) speedup() float64 {
	if r.Speedup <= 0 {
		return DefaultSpeedup
	}
	return r.Speedup
}

// ParseRate parses "12/h", "0.5/min", "100/day" or a bare number (per
// hour), optionally followed by ",speedup=N" and ",seed=N". Its errors
// say what to give, for the command line.
func ParseRate(s string) (Rate, error) {
	var out Rate
	parts := strings.Split(s, ",")
	v, err := parsePerHour(parts[0])
	if err != nil {
		return out, err
	}
	out.PerHour = v
	for _, opt := range parts[1:] {
		if err := out.setOption(opt); err != nil {
			return out, err
		}
	}
	return out, nil
}

// parsePerHour parses the rate, "12/h", "0.5/min", "100/day" or "12",
// into incidents an hour.
func parsePerHour(s string) (float64, error) {
	num, per, hasUnit := strings.Cut(strings.TrimSpace(s), "/")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !(v >= 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("give a rate such as 12/h (incidents an hour), 0.5/min or 100/day")
	}
	if hasUnit {
		switch strings.ToLower(strings.TrimSpace(per)) {
		case "h", "hr", "hour":
		case "m", "min", "minute":
			v *= 60
		case "d", "day":
			v /= 24
		default:
			return 0, fmt.Errorf("rate unit %q: give /h, /min or /day", per)
		}
	}
	if v > MaxPerHour {
		return 0, fmt.Errorf("at most %d incidents an hour", MaxPerHour)
	}
	return v, nil
}

// setOption parses one option after the rate: "speedup=N" or "seed=N".
func (r *Rate) setOption(opt string) error {
	k, val, _ := strings.Cut(strings.TrimSpace(opt), "=")
	switch k {
	case "speedup":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || !(f >= 1 && f <= MaxSpeedup) {
			return fmt.Errorf("speedup=%s: give a number from 1 to %d", val, MaxSpeedup)
		}
		r.Speedup = f
	case "seed":
		n, err := strconv.ParseUint(val, 10, 64)
		if err != nil {
			return fmt.Errorf("seed=%s: give a whole number", val)
		}
		r.Seed, r.HasSeed = n, true
	default:
		return fmt.Errorf("unknown option %q: give speedup=N or seed=N after the rate", opt)
	}
	return nil
}
