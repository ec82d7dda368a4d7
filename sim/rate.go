package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/des"
)

// hourlyRate is the incident arrival rate as a weekly table of 168 hourly
// rates (per second), Monday 00:00 first: the annual rate shaped by the
// hour-of-day and day-of-week weights, normalised so that the weekly
// average is the annual rate.
type hourlyRate struct{ p des.PiecewiseRate }

func newHourlyRate(d arv.Demand) (hourlyRate, error) {
	sum := 0.0
	for _, dw := range d.DayOfWeek {
		for _, hw := range d.HourOfDay {
			sum += dw * hw
		}
	}
	rates := make([]float64, 7*24)
	if sum > 0 {
		perSecond := d.IncidentsPerYear / year
		for dd, dw := range d.DayOfWeek {
			for h, hw := range d.HourOfDay {
				rates[dd*24+h] = perSecond * float64(len(rates)) * dw * hw / sum
			}
		}
	}
	p, err := des.NewPiecewiseRate(week, 3600, rates)
	if err != nil {
		return hourlyRate{}, fmt.Errorf("demand rate: %w", err)
	}
	return hourlyRate{p}, nil
}

// next returns the time of the next arrival after now (+Inf if none).
func (h hourlyRate) next(r *rand.Rand, now float64) float64 { return h.p.Next(r, now) }
