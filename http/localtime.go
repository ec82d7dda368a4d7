package http

import (
	"html/template"
	"time"

	"github.com/arv-project/arv"
)

// Local time (issue 12): the one place the HTTP layer writes times for
// people and reads the times people type. Pages and CSV files show
// Europe/London (arv.London) with the zone (GMT or BST) so a time cannot
// be misread; the JSON API keeps RFC 3339 with explicit offsets (UTC).

// stampText is a London day and time with its zone: "Sun 29 Mar 02:30:00 BST".
func stampText(t time.Time) string { return t.In(arv.London).Format("Mon 2 Jan 15:04:05 MST") }

// localInput is t as the value of an HTML datetime-local input (London).
func localInput(t time.Time) string { return t.In(arv.London).Format("2006-01-02T15:04") }

// csvLocal writes a time for a CSV file: RFC 3339 with the London offset
// (2026-07-01T13:00:00+01:00), so a spreadsheet shows the wall clock and
// the instant stays exact.
func csvLocal(t time.Time) string { return t.In(arv.London).Format(time.RFC3339) }

// localFuncs are the template functions for times; page.go's clock and
// stamp use them.
var localFuncs = template.FuncMap{
	"localInput": localInput,
	"shortClock": arv.HourLocal,
}

// parseLocalParam reads a time parameter or form field: RFC 3339 with its
// offset, a London date and time (2026-11-05T14:00, as a datetime-local
// input sends it), or a London date (YYYY-MM-DD) for the start of that
// day in London. The result is in UTC.
func parseLocalParam(name, v string) (time.Time, error) {
	if len(v) == len(time.DateOnly) {
		t, err := arv.ParseLocalDate(name, v)
		if err != nil {
			return time.Time{}, arv.Errorf(arv.EINVALID, "%s must be a time (RFC 3339, such as 2026-11-05T14:00:00Z), a London date and time (2026-11-05T14:00) or a date (YYYY-MM-DD).", name)
		}
		return t.UTC(), nil
	}
	t, err := arv.ParseLocal(name, v)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// localMonth reads a YYYY-MM month parameter; the default is the London
// month of now.
func localMonth(v string, now time.Time) (string, error) {
	if v == "" {
		return now.In(arv.London).Format("2006-01"), nil
	}
	t, err := time.Parse("2006-01", v)
	if err != nil || t.Year() < arv.MinDateYear || t.Year() > arv.MaxDateYear {
		return "", arv.Errorf(arv.EINVALID, "month must be YYYY-MM between %d and %d, such as 2026-11.", arv.MinDateYear, arv.MaxDateYear)
	}
	return v, nil
}
