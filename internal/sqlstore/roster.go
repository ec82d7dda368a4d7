package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

func shiftEntity(id int64) string { return fmt.Sprintf("shift/%d", id) }

// Complement implements arv.RosterService.
func (s *Store) Complement() arv.Complement { return s.MinComplement }

// AddShift implements arv.RosterService.
func (s *Store) AddShift(ctx context.Context, n arv.NewShift) (*arv.RosterShift, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageRoster)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var sh *arv.RosterShift
	err = s.write(ctx, actor, func(t *tx) error {
		if err := arv.CheckShiftBounds(n.Start, t.now); err != nil {
			return err
		}
		ended, err := t.checkAmendment(n.End, n.Reason)
		if err != nil {
			return err
		}
		id, err := t.insert(`INSERT INTO shifts (name, starts_at, ends_at) VALUES (?, ?, ?)`, n.Name, ts(n.Start), ts(n.End))
		if err != nil {
			return err
		}
		if ended {
			if err := t.amend(id, amendAddShift, 0, n.Reason); err != nil {
				return err
			}
		}
		if sh, err = shiftTx(t, id); err != nil {
			return err
		}
		return t.audit("roster.shift", shiftEntity(id), nil, sh)
	})
	return sh, err
}

func shiftTx(t *tx, id int64) (*arv.RosterShift, error) {
	sh, err := loadShifts(t.ctx, t, t.now, `s.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(sh) == 0 {
		return nil, notFound("Shift", id)
	}
	return sh[0], nil
}

// FindRoster implements arv.RosterService.
func (s *Store) FindRoster(ctx context.Context, from, to time.Time) ([]*arv.RosterShift, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOfficers); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, arv.Errorf(arv.EINVALID, "The roster period must end after it starts.")
	}
	return loadShifts(ctx, readQ{s}, s.now(), `s.ends_at > ? AND s.starts_at < ?`, ts(from), ts(to))
}

// loadShifts reads shifts matching where with their crews; each crew
// member's problem is judged over the whole shift (at its start and its
// last instant), or from now on for a shift already running.
func loadShifts(ctx context.Context, q querier, now time.Time, where string, args ...any) ([]*arv.RosterShift, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.name, s.starts_at, s.ends_at, c.unit_id, u.call_sign, c.officer_id
		FROM shifts s LEFT JOIN shift_crews c ON c.shift_id = s.id LEFT JOIN units u ON u.id = c.unit_id
		WHERE `+where+` ORDER BY s.starts_at, s.id, u.call_sign, c.officer_id`, args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		shift   *arv.RosterShift
		unit    int64
		call    string
		officer int64
	}
	var out []*arv.RosterShift
	var crew []row
	var ids []int64
	seen := map[int64]bool{}
	var last *arv.RosterShift
	for rows.Next() {
		var id int64
		var name, start, end string
		var unit, officer *int64
		var call *string
		if err := rows.Scan(&id, &name, &start, &end, &unit, &call, &officer); err != nil {
			rows.Close()
			return nil, err
		}
		if last == nil || last.ID != id {
			last = &arv.RosterShift{ID: id, Name: name, Crews: []arv.ShiftCrew{}}
			if last.Start, err = parseTS(start); err == nil {
				last.End, err = parseTS(end)
			}
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, last)
		}
		if unit != nil && officer != nil && call != nil {
			crew = append(crew, row{last, *unit, *call, *officer})
			if !seen[*officer] {
				seen[*officer] = true
				ids = append(ids, *officer)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	os, err := loadOfficers(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*arv.Officer{}
	for _, o := range os {
		byID[o.ID] = o
	}
	for _, r := range crew {
		o := byID[r.officer]
		if o == nil {
			continue
		}
		m := shiftMember(o, r.shift, now)
		sh := r.shift
		if n := len(sh.Crews); n == 0 || sh.Crews[n-1].UnitID != r.unit {
			sh.Crews = append(sh.Crews, arv.ShiftCrew{UnitID: r.unit, CallSign: r.call})
		}
		c := &sh.Crews[len(sh.Crews)-1]
		c.Officers = append(c.Officers, m)
	}
	return out, loadAmendments(ctx, q, out)
}

// shiftMember judges an officer's deployability over a shift.
func shiftMember(o *arv.Officer, sh *arv.RosterShift, now time.Time) arv.CrewMember {
	m := arv.CrewMember{OfficerID: o.ID, Name: o.Name, Collar: o.Collar}
	if err := checkOverShift(o, sh.Start, sh.End, now); err != nil {
		m.Problem = arv.ErrorMessage(err)
	}
	return m
}

// checkOverShift checks an officer can crew an ARV for all of [start,
// end): at the later of start and now, and at the shift's last instant.
// Tickets are granted by the day, so the two ends cover the span.
func checkOverShift(o *arv.Officer, start, end, now time.Time) error {
	from := start
	if now.After(from) {
		from = now
	}
	if !end.After(from) {
		from = start
	}
	if err := o.CheckARVCrew(from); err != nil {
		return err
	}
	if err := o.CheckDutyDuring(from, end); err != nil { // sick, restricted or suspended during the shift (duty.go)
		return err
	}
	if err := o.CheckARVCrew(end.Add(-time.Microsecond)); err != nil {
		// Valid now, not by the end of the shift: say so in the future
		// tense.
		msg := strings.NewReplacer("expired on", "expires on", "lapsed on", "lapses on", "cannot be deployed", "cannot be rostered on this shift").Replace(arv.ErrorMessage(err))
		return arv.Errorf(arv.EINVALID, "%s", msg)
	}
	return nil
}

// AssignCrew implements arv.RosterService.
func (s *Store) AssignCrew(ctx context.Context, shiftID int64, a arv.RosterAssignment) (*arv.RosterShift, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageRoster)
	if err != nil {
		return nil, err
	}
	var after *arv.RosterShift
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := shiftTx(t, shiftID)
		if err != nil {
			return err
		}
		if _, err := unitTx(t, a.UnitID); err != nil {
			return err
		}
		o, err := officerTx(t, a.OfficerID)
		if err != nil {
			return err
		}
		ended, err := t.checkAmendment(before.End, a.Reason)
		if err != nil {
			return err
		}
		if err := checkOverShift(o, before.Start, before.End, t.now); err != nil {
			return err
		}
		var n int
		if err := t.QueryRowContext(t.ctx, `SELECT COUNT(*) FROM shift_crews c JOIN shifts s ON s.id = c.shift_id
			WHERE c.officer_id = ? AND s.starts_at < ? AND s.ends_at > ?`, a.OfficerID, ts(before.End), ts(before.Start)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return arv.Errorf(arv.ECONFLICT, "%s is already rostered at that time.", o)
		}
		if _, err := t.exec(`INSERT INTO shift_crews (shift_id, unit_id, officer_id) VALUES (?, ?, ?)`, shiftID, a.UnitID, a.OfficerID); err != nil {
			return err
		}
		if ended {
			if err := t.amend(shiftID, amendAssign, a.OfficerID, a.Reason); err != nil {
				return err
			}
		}
		if after, err = shiftTx(t, shiftID); err != nil {
			return err
		}
		return t.audit("roster.assign", shiftEntity(shiftID), before, after)
	})
	return after, err
}

// UnassignCrew implements arv.RosterService.
func (s *Store) UnassignCrew(ctx context.Context, shiftID, officerID int64, reason string) (*arv.RosterShift, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageRoster)
	if err != nil {
		return nil, err
	}
	var after *arv.RosterShift
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := shiftTx(t, shiftID)
		if err != nil {
			return err
		}
		ended, err := t.checkAmendment(before.End, reason)
		if err != nil {
			return err
		}
		res, err := t.exec(`DELETE FROM shift_crews WHERE shift_id = ? AND officer_id = ?`, shiftID, officerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return arv.Errorf(arv.ENOTFOUND, "Officer %d is not rostered on shift %d.", officerID, shiftID)
		}
		if ended {
			if err := t.amend(shiftID, amendUnassign, officerID, reason); err != nil {
				return err
			}
		}
		if after, err = shiftTx(t, shiftID); err != nil {
			return err
		}
		return t.audit("roster.unassign", shiftEntity(shiftID), before, after)
	})
	return after, err
}

// Gaps implements arv.RosterService.
func (s *Store) Gaps(ctx context.Context, from, to time.Time) ([]arv.Gap, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOfficers); err != nil {
		return nil, err
	}
	return s.gaps(ctx, from, to)
}

func (s *Store) gaps(ctx context.Context, from, to time.Time) ([]arv.Gap, error) {
	shifts, err := loadShifts(ctx, readQ{s}, s.now(), `s.ends_at > ? AND s.starts_at < ?`, ts(from), ts(to))
	if err != nil {
		return nil, err
	}
	out := []arv.Gap{}
	for _, sh := range shifts {
		if g := arv.CheckComplement(*sh, s.MinComplement); g != nil {
			out = append(out, *g)
		}
	}
	return out, nil
}
