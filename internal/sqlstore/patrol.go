package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/arv-project/arv"
)

func patrolEntity(id int64) string { return fmt.Sprintf("patrol/%d", id) }

// CreatePatrolPlan implements arv.PatrolService.
func (s *Store) CreatePatrolPlan(ctx context.Context, n arv.NewPatrolPlan) (*arv.PatrolPlan, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageUnits)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var p *arv.PatrolPlan
	err = s.write(ctx, actor, func(t *tx) error {
		id, err := t.insert(`INSERT INTO patrol_plans (site, lat, lon, start, hours_per_day, check_in_minutes) VALUES (?, ?, ?, ?, ?, ?)`,
			n.Site, n.Position.Lat, n.Position.Lon, n.Start, n.HoursPerDay, n.CheckInMinutes)
		if err != nil {
			if isConflict(s, err) {
				return arv.Errorf(arv.ECONFLICT, "There is already a patrol plan for %q.", n.Site)
			}
			return err
		}
		if p, err = loadPatrol(t.ctx, t, id); err != nil {
			return err
		}
		return t.audit("patrol.create", patrolEntity(id), nil, p)
	})
	return p, err
}

func loadPatrols(ctx context.Context, q querier, id int64) ([]*arv.PatrolPlan, error) {
	query := `SELECT p.id, p.site, p.lat, p.lon, p.start, p.hours_per_day, p.check_in_minutes, c.id, c.unit_id, c.at, c.by_user
		FROM patrol_plans p LEFT JOIN check_ins c ON c.id = (SELECT MAX(id) FROM check_ins WHERE plan_id = p.id)`
	var args []any
	if id > 0 {
		query += ` WHERE p.id = ?`
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY p.site`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*arv.PatrolPlan{}
	for rows.Next() {
		var p arv.PatrolPlan
		var cid, unit sql.NullInt64
		var at, by sql.NullString
		if err := rows.Scan(&p.ID, &p.Site, &p.Position.Lat, &p.Position.Lon, &p.Start, &p.HoursPerDay, &p.CheckInMinutes, &cid, &unit, &at, &by); err != nil {
			return nil, err
		}
		if cid.Valid {
			c := &arv.CheckIn{ID: cid.Int64, PlanID: p.ID, UnitID: unit.Int64, By: by.String}
			if c.At, err = parseTS(at.String); err != nil {
				return nil, err
			}
			p.LastCheckIn = c
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

func loadPatrol(ctx context.Context, q querier, id int64) (*arv.PatrolPlan, error) {
	ps, err := loadPatrols(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, notFound("Patrol plan", id)
	}
	return ps[0], nil
}

// FindPatrolPlans implements arv.PatrolService.
func (s *Store) FindPatrolPlans(ctx context.Context) ([]*arv.PatrolPlan, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOperations); err != nil {
		return nil, err
	}
	return loadPatrols(ctx, readQ{s}, 0)
}

// CheckIn implements arv.PatrolService.
func (s *Store) CheckIn(ctx context.Context, planID, unitID int64) (*arv.PatrolPlan, error) {
	actor, err := arv.Authorize(ctx, arv.ActionCheckIn)
	if err != nil {
		return nil, err
	}
	var after *arv.PatrolPlan
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := loadPatrol(t.ctx, t, planID)
		if err != nil {
			return err
		}
		var unit any
		if unitID != 0 {
			if _, err := unitTx(t, unitID); err != nil {
				return err
			}
			unit = unitID
		}
		if _, err := t.insert(`INSERT INTO check_ins (plan_id, unit_id, at, by_user) VALUES (?, ?, ?, ?)`, planID, unit, ts(t.now), t.user.Username); err != nil {
			return err
		}
		if after, err = loadPatrol(t.ctx, t, planID); err != nil {
			return err
		}
		return t.audit("patrol.check_in", patrolEntity(planID), before, after)
	})
	return after, err
}
