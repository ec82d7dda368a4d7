package arv

import (
	"time"
	_ "time/tzdata" // Europe/London on machines without a zoneinfo database
)

// London is the time zone of England and Wales (GMT in winter, BST from
// the last Sunday of March to the last Sunday of October). The server
// stores UTC and shows and accepts London time wherever a person reads
// or types one.
var London = mustLoadLocation("Europe/London")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("arv: time zone " + name + ": " + err.Error()) // embedded by time/tzdata: cannot fail
	}
	return loc
}

// Local returns t in London time.
func Local(t time.Time) time.Time { return t.In(London) }

// FinancialYearStart is 00:00 London time on 1 April of year, where the
// Home Office's financial year (and the annual firearms return) begins.
func FinancialYearStart(year int) time.Time {
	return time.Date(year, time.April, 1, 0, 0, 0, 0, London)
}

// FinancialYearOf returns the year in which the financial year holding t
// starts (by London time: 00:30 BST on 1 April 2026 is in 2026/27).
func FinancialYearOf(t time.Time) int {
	l := Local(t)
	if l.Month() < time.April {
		return l.Year() - 1
	}
	return l.Year()
}
