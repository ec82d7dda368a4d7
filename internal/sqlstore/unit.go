package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/arv-project/arv"
)

func unitEntity(id int64) string { return fmt.Sprintf("unit/%d", id) }

// CreateUnit implements arv.UnitService.
func (s *Store) CreateUnit(ctx context.Context, n arv.NewUnit) (*arv.Unit, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageUnits)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var u *arv.Unit
	err = s.write(ctx, actor, func(t *tx) error {
		id, err := t.insert(`INSERT INTO units (call_sign, base, status, lat, lon, position_at) VALUES (?, ?, ?, ?, ?, ?)`,
			n.CallSign, n.Base, string(arv.StatusAvailable), n.Position.Lat, n.Position.Lon, ts(t.now))
		if err != nil {
			if isConflict(s, err) {
				return arv.Errorf(arv.ECONFLICT, "Call sign %q is already in use.", n.CallSign)
			}
			return err
		}
		if u, err = unitTx(t, id); err != nil {
			return err
		}
		return t.audit("unit.create", unitEntity(id), nil, u)
	})
	return u, err
}

// FindUnits implements arv.UnitService.
func (s *Store) FindUnits(ctx context.Context) ([]*arv.Unit, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOperations); err != nil {
		return nil, err
	}
	return s.fleet(ctx, s.now())
}

// FindUnitByID implements arv.UnitService.
func (s *Store) FindUnitByID(ctx context.Context, id int64) (*arv.Unit, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOperations); err != nil {
		return nil, err
	}
	us, err := s.fleet(ctx, s.now())
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		if u.ID == id {
			return u, nil
		}
	}
	return nil, notFound("ARV", id)
}

func unitTx(t *tx, id int64) (*arv.Unit, error) {
	us, err := loadUnits(t.ctx, t, t.now, id)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, notFound("ARV", id)
	}
	return us[0], nil
}

// loadUnits reads units (one when id > 0) with their crews rostered at
// now and each officer's deployability at now.
func loadUnits(ctx context.Context, q querier, now time.Time, id int64) ([]*arv.Unit, error) {
	us, _, err := loadUnitsOfficers(ctx, q, now, id)
	return us, err
}

// loadUnitsOfficers is loadUnits that also returns the crews' officers.
func loadUnitsOfficers(ctx context.Context, q querier, now time.Time, id int64) ([]*arv.Unit, map[int64]*arv.Officer, error) {
	query := `SELECT id, call_sign, base, status, lat, lon, position_at, incident_id FROM units`
	var args []any
	if id > 0 {
		query += ` WHERE id = ?`
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY call_sign`, args...)
	if err != nil {
		return nil, nil, err
	}
	var out []*arv.Unit
	byID := map[int64]*arv.Unit{}
	for rows.Next() {
		u := &arv.Unit{Crew: []arv.CrewMember{}}
		var status, at string
		var lat, lon float64
		var inc sql.NullInt64
		if err := rows.Scan(&u.ID, &u.CallSign, &u.Base, &status, &lat, &lon, &at, &inc); err != nil {
			rows.Close()
			return nil, nil, err
		}
		u.Status, u.Position, u.IncidentID = arv.UnitStatus(status), pointOf(lat, lon), inc.Int64
		if u.PositionAt, err = parseTS(at); err != nil {
			rows.Close()
			return nil, nil, err
		}
		out = append(out, u)
		byID[u.ID] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, nil, err
	}
	crews, officers, err := crewsAt(ctx, q, now, id)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range crews {
		if u := byID[c.unitID]; u != nil {
			u.Crew = append(u.Crew, c.member)
		}
	}
	return out, officers, nil
}

type unitCrew struct {
	unitID int64
	member arv.CrewMember
}

// crewsAt returns the officers rostered on units (on unit alone when it
// is not 0) on the shifts covering now, each with their deployability at
// now.
func crewsAt(ctx context.Context, q querier, now time.Time, unit int64) ([]unitCrew, map[int64]*arv.Officer, error) {
	query, args := `SELECT DISTINCT c.unit_id, c.officer_id FROM shift_crews c JOIN shifts s ON s.id = c.shift_id
		WHERE s.starts_at <= ? AND s.ends_at > ?`, []any{ts(now), ts(now)}
	if unit > 0 {
		query += ` AND c.unit_id = ?`
		args = append(args, unit)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY c.unit_id, c.officer_id`, args...)
	if err != nil {
		return nil, nil, err
	}
	var pairs [][2]int64
	var ids []int64
	seen := map[int64]bool{}
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			rows.Close()
			return nil, nil, err
		}
		pairs = append(pairs, p)
		if !seen[p[1]] {
			seen[p[1]] = true
			ids = append(ids, p[1])
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(pairs) == 0 {
		return nil, nil, err
	}
	os, err := loadOfficers(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*arv.Officer{}
	for _, o := range os {
		byID[o.ID] = o
	}
	out := make([]unitCrew, 0, len(pairs))
	for _, p := range pairs {
		if o := byID[p[1]]; o != nil {
			out = append(out, unitCrew{p[0], crewMember(o, now)})
		}
	}
	return out, byID, nil
}

func crewMember(o *arv.Officer, at time.Time) arv.CrewMember {
	m := arv.CrewMember{OfficerID: o.ID, Name: o.Name, Collar: o.Collar}
	if err := o.CheckARVCrew(at); err != nil {
		m.Problem = arv.ErrorMessage(err)
	}
	return m
}

// ReportStatus implements arv.UnitService.
func (s *Store) ReportStatus(ctx context.Context, id int64, r arv.StatusReport) (*arv.Unit, error) {
	actor, err := arv.Authorize(ctx, arv.ActionReportUnit)
	if err != nil {
		return nil, err
	}
	if !r.Status.Valid() {
		return nil, arv.Errorf(arv.EINVALID, "Status %q is not one of available, mobile, en_route, on_scene, off_duty.", r.Status)
	}
	if r.Position != nil {
		if err := arv.CheckPoint(*r.Position); err != nil {
			return nil, err
		}
	}
	var after *arv.Unit
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := unitTx(t, id)
		if err != nil {
			return err
		}
		if (r.Status == arv.StatusEnRoute || r.Status == arv.StatusOnScene) && before.IncidentID == 0 {
			return arv.Errorf(arv.EINVALID, "%s is not assigned to an incident; it cannot be %s.", before.CallSign, statusWords(r.Status))
		}
		pos, posAt := before.Position, before.PositionAt
		if r.Position != nil {
			pos, posAt = *r.Position, t.now
		}
		incident := sql.NullInt64{Int64: before.IncidentID, Valid: before.IncidentID != 0}
		switch r.Status {
		case arv.StatusOnScene:
			if err := t.arrive(before.IncidentID, id); err != nil {
				return err
			}
		case arv.StatusAvailable, arv.StatusMobile, arv.StatusOffDuty:
			if before.IncidentID != 0 {
				if err := t.release(before.IncidentID, id, "crew reported "+statusWords(r.Status)); err != nil {
					return err
				}
				incident = sql.NullInt64{}
			}
		}
		if _, err := t.exec(`UPDATE units SET status = ?, lat = ?, lon = ?, position_at = ?, incident_id = ? WHERE id = ?`,
			string(r.Status), pos.Lat, pos.Lon, ts(posAt), incident, id); err != nil {
			return err
		}
		if after, err = unitTx(t, id); err != nil {
			return err
		}
		return t.audit("unit.status", unitEntity(id), before, after)
	})
	return after, err
}

func statusWords(s arv.UnitStatus) string {
	switch s {
	case arv.StatusEnRoute:
		return "en route"
	case arv.StatusOnScene:
		return "on scene"
	case arv.StatusOffDuty:
		return "off duty"
	}
	return string(s)
}
