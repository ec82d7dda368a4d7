package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// markIncident sets an incident's demo and pre-planned flags.
func (t *tx) markIncident(id int64, demo, prePlanned bool) error {
	if !demo && !prePlanned {
		return nil
	}
	_, err := t.exec(`UPDATE incidents SET demo = ?, pre_planned = ? WHERE id = ?`, b2i(demo), b2i(prePlanned), id)
	return err
}

// fillIncidentFlags reads the demo and pre-planned flags of incs.
func fillIncidentFlags(ctx context.Context, q querier, incs []*arv.Incident) error {
	byID := make(map[int64]*arv.Incident, len(incs))
	ids := make([]int64, len(incs))
	for k, i := range incs {
		byID[i.ID], ids[k] = i, i.ID
	}
	return eachIn(ctx, q, `SELECT id, demo, pre_planned FROM incidents WHERE id IN (?) AND (demo <> 0 OR pre_planned <> 0)`, ids, func(rows *sql.Rows) error {
		var id int64
		var demo, pre int
		if err := rows.Scan(&id, &demo, &pre); err != nil {
			return err
		}
		if i := byID[id]; i != nil {
			i.Demo, i.PrePlanned = demo != 0, pre != 0
		}
		return nil
	})
}

// maxCounted bounds the incidents a return or export reads at once.
const maxCounted = 500000

// countedIncidents returns the incidents that count in returns, reports
// and the export: called in [from, to), not made by the demo, oldest
// first. Stood-down only when closed is set.
func (s *Store) countedIncidents(ctx context.Context, from, to time.Time, closed bool) ([]*arv.Incident, error) {
	q := `SELECT ` + incidentColumns + ` FROM incidents WHERE call_at >= ? AND call_at < ? AND demo = 0`
	args := []any{ts(from), ts(to)}
	if closed {
		q += ` AND status = ?`
		args = append(args, string(arv.IncidentStoodDown))
	}
	var n int
	if err := s.queryRow(ctx, strings.Replace(q, `SELECT `+incidentColumns, `SELECT COUNT(*)`, 1), args...).Scan(&n); err != nil {
		return nil, err
	}
	if n > maxCounted {
		return nil, arv.Errorf(arv.EINVALID, "%d incidents fall in that period, more than the %d read at once; ask for a shorter period.", n, maxCounted)
	}
	return s.readIncidents(ctx, q+` ORDER BY call_at, id`, args...)
}

// londonDay is 00:00 London time on day d.
func londonDay(d arv.Date) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, string(d), arv.London)
	if err != nil {
		return time.Time{}, arv.Errorf(arv.EINVALID, "%q is not a date (YYYY-MM-DD).", d)
	}
	return t, nil
}

// ExportIncidents implements arv.HistoryService.
func (s *Store) ExportIncidents(ctx context.Context, fromDay, toDay arv.Date) ([]arv.ExportRow, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewPlanning); err != nil {
		return nil, err
	}
	from, err := londonDay(fromDay)
	if err != nil {
		return nil, err
	}
	last, err := londonDay(toDay)
	if err != nil {
		return nil, err
	}
	switch {
	case from.Year() < arv.MinDateYear || last.Year() > arv.MaxDateYear:
		return nil, arv.Errorf(arv.EINVALID, "Export dates must fall between %d and %d.", arv.MinDateYear, arv.MaxDateYear)
	case last.Before(from):
		return nil, arv.Errorf(arv.EINVALID, "The last day %s is before the first day %s.", toDay, fromDay)
	case last.Sub(from) > arv.MaxExportDays*24*time.Hour:
		return nil, arv.Errorf(arv.EINVALID, "An export covers at most %d days; split the period.", arv.MaxExportDays)
	}
	// The day after the last, in London: AddDate keeps 00:00 across a
	// clock change.
	to := last.AddDate(0, 0, 1)
	incs, err := s.countedIncidents(ctx, from, to, true)
	if err != nil {
		return nil, err
	}
	sent, err := s.arvsSent(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]arv.ExportRow, 0, len(incs))
	for _, i := range incs {
		r := arv.ExportRow{IncidentID: i.ID, CallAt: i.CallAt, Lat: i.Location.Lat, Lon: i.Location.Lon, Class: i.Class,
			ARVsSent: sent[i.ID], PrePlanned: i.PrePlanned}
		if m, ok := i.ResponseMinutes(); ok {
			r.ResponseMinutes = &m
			if i.StoodDownAt != nil {
				on := i.StoodDownAt.Sub(*i.ArrivedAt).Minutes()
				r.OnSceneMinutes = &on
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// arvsSent counts the distinct ARVs assigned to each incident called in
// [from, to).
func (s *Store) arvsSent(ctx context.Context, from, to time.Time) (map[int64]int, error) {
	rows, err := s.query(ctx, `SELECT a.incident_id, COUNT(DISTINCT a.unit_id) FROM assignments a JOIN incidents i ON i.id = a.incident_id
		WHERE i.call_at >= ? AND i.call_at < ? GROUP BY a.incident_id`, ts(from), ts(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
