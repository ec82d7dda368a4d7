package sqlstore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/arv-project/arv"
)

// AnnualReturn implements arv.ReturnService.
func (s *Store) AnnualReturn(ctx context.Context, startYear int) (*arv.AnnualReturn, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewReturns); err != nil {
		return nil, err
	}
	if startYear < arv.MinDateYear || startYear > arv.MaxDateYear {
		return nil, arv.Errorf(arv.EINVALID, "Year %d is out of range.", startYear)
	}
	r, err := s.computeReturn(ctx, startYear)
	if err != nil {
		return nil, err
	}
	return s.withSubmission(ctx, r, startYear) // submission.go
}

// computeReturn computes the year's return from today's records. The
// year runs from 1 April 00:00 London time (23:00 UTC on 31 March in
// BST) to the next; demo incidents never count.
func (s *Store) computeReturn(ctx context.Context, startYear int) (*arv.AnnualReturn, error) {
	from := arv.FinancialYearStart(startYear)
	to := arv.FinancialYearStart(startYear + 1)
	r := &arv.AnnualReturn{Year: yearLabel(startYear), From: from, To: to, CountedOn: arv.Date(fmt.Sprintf("%04d-03-31", startYear+1))}
	incs, err := s.countedIncidents(ctx, from, to, false) // export.go
	if err != nil {
		return nil, err
	}
	atPersons, err := s.dischargedAtPersons(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, i := range incs {
		if i.AuthorisedAt == nil && !i.SelfDeployed {
			continue
		}
		r.FirearmsOperations++
		if atPersons[i.ID] {
			r.IncidentsDischargedAtPersons++
		}
		if i.SelfDeployed {
			r.SelfDeployments++
		}
		if i.DispatchedAt != nil {
			r.ARVOperations++
		}
	}
	officers, err := loadOfficers(ctx, readQ{s}, nil)
	if err != nil {
		return nil, err
	}
	// Officers are counted at noon London time on 31 March (facts §1.5:
	// "AFO numbers are counted as at 31 March"), and of those the ones
	// operationally deployable that day (duty.go).
	at := to.Add(-12 * time.Hour)
	for _, o := range officers {
		if o.HasValid(arv.AccAFO, at) {
			r.AuthorisedFirearmsOfficers++
			if o.OperationallyDeployable(at) {
				r.OperationallyDeployable++
			}
		}
	}
	return r, nil
}

func yearLabel(y int) string { return fmt.Sprintf("%d/%02d", y, (y+1)%100) }

// ResponseReport implements arv.ReturnService.
func (s *Store) ResponseReport(ctx context.Context, month string) (*arv.ResponseReport, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewReturns); err != nil {
		return nil, err
	}
	from, err := time.ParseInLocation("2006-01", month, arv.London) // a London month (issue 12)
	if err != nil {
		return nil, arv.Errorf(arv.EINVALID, "Month %q is not YYYY-MM.", month)
	}
	incs, err := s.countedIncidents(ctx, from, from.AddDate(0, 1, 0), false) // demo incidents never count (export.go)
	if err != nil {
		return nil, err
	}
	rep := &arv.ResponseReport{Month: month}
	for _, class := range []string{arv.Urban, arv.Rural, "all"} {
		row := arv.ResponseRow{Class: class, TargetMinutes: s.UrbanTarget}
		if class == arv.Rural {
			row.TargetMinutes = s.RuralTarget
		}
		var mins []float64
		within := 0
		for _, i := range incs {
			if (class != "all" && i.Class != class) || (i.AuthorisedAt == nil && !i.SelfDeployed) {
				continue
			}
			row.Incidents++
			if m, ok := i.ResponseMinutes(); ok {
				mins = append(mins, m)
				if m <= i.TargetMinutes {
					within++
				}
			}
		}
		if class == "all" {
			row.TargetMinutes = 0
		}
		row.Arrived = len(mins)
		if len(mins) > 0 {
			slices.Sort(mins)
			row.P50, row.P90 = nearestRank(mins, 0.5), nearestRank(mins, 0.9)
			row.WithinTarget = float64(within) / float64(len(mins))
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}

// nearestRank returns the p-quantile of sorted xs by the nearest-rank
// method, rounded to 0.1 minute.
func nearestRank(xs []float64, p float64) float64 {
	k := int(math.Ceil(p*float64(len(xs)))) - 1
	k = max(0, min(k, len(xs)-1))
	return math.Round(xs[k]*10) / 10
}
