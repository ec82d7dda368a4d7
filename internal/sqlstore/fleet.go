package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/arv-project/arv"
)

// fleetCache keeps the ARVs and their rostered crews between changes, so
// that the dispatch recommendation, asked for again and again while an
// incident runs, reads the database only after something changed. It is
// rebuilt when the store's version moves (every commit here; every change
// notified by another instance, through Invalidate) or when the clock
// crosses a shift boundary. Crew deployability depends on the time, so
// it is judged afresh on every read from the cached officers.
type fleetCache struct {
	version     uint64
	from, until time.Time
	units       []*arv.Unit
	officers    map[int64]*arv.Officer
}

// Invalidate tells the store that the database changed behind it (another
// instance committed); the postgres adapter calls it for every change
// notification.
func (s *Store) Invalidate() { s.version.Add(1) }

// fleet returns every unit with its crew at now, from the cache when it
// holds.
func (s *Store) fleet(ctx context.Context, now time.Time) ([]*arv.Unit, error) {
	v := s.version.Load()
	s.fleetMu.Lock()
	c := s.fleetCache
	s.fleetMu.Unlock()
	if c == nil || c.version != v || now.Before(c.from) || !now.Before(c.until) {
		var err error
		if c, err = s.buildFleet(ctx, now, v); err != nil {
			return nil, err
		}
		s.fleetMu.Lock()
		s.fleetCache = c
		s.fleetMu.Unlock()
	}
	out := make([]*arv.Unit, len(c.units))
	for i, u := range c.units {
		cp := *u
		cp.Crew = make([]arv.CrewMember, len(u.Crew))
		for j, m := range u.Crew {
			cp.Crew[j] = crewMember(c.officers[m.OfficerID], now)
		}
		out[i] = &cp
	}
	return out, nil
}

// buildFleet reads the units and crews at now and the span of time over
// which the same shifts are on.
func (s *Store) buildFleet(ctx context.Context, now time.Time, version uint64) (*fleetCache, error) {
	q := readQ{s}
	units, officers, err := loadUnitsOfficers(ctx, q, now, 0)
	if err != nil {
		return nil, err
	}
	var nextStart, nextEnd, lastStart, lastEnd sql.NullString
	t := ts(now)
	if err := q.QueryRowContext(ctx, `SELECT (SELECT MIN(starts_at) FROM shifts WHERE starts_at > ?), (SELECT MIN(ends_at) FROM shifts WHERE ends_at > ?),
		(SELECT MAX(starts_at) FROM shifts WHERE starts_at <= ?), (SELECT MAX(ends_at) FROM shifts WHERE ends_at <= ?)`, t, t, t, t).
		Scan(&nextStart, &nextEnd, &lastStart, &lastEnd); err != nil {
		return nil, err
	}
	c := &fleetCache{version: version, units: units, officers: officers, from: now, until: now.Add(time.Hour)}
	for _, b := range []sql.NullString{lastStart, lastEnd} {
		if tb, err := nullTS(b); err == nil && tb != nil && tb.Before(c.from) {
			c.from = *tb
		}
	}
	if !lastStart.Valid && !lastEnd.Valid {
		c.from = time.Time{}
	}
	for _, b := range []sql.NullString{nextStart, nextEnd} {
		if tb, err := nullTS(b); err == nil && tb != nil && tb.Before(c.until) {
			c.until = *tb
		}
	}
	// Crew members were judged at now; fleet judges them again per read.
	return c, nil
}
