package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/arv-project/arv"
)

// CreateOfficer implements arv.OfficerService.
func (s *Store) CreateOfficer(ctx context.Context, n arv.NewOfficer) (*arv.Officer, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageOfficers)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var o *arv.Officer
	err = s.write(ctx, actor, func(t *tx) error {
		id, err := t.insert(`INSERT INTO officers (collar, name, rank, team, created_at) VALUES (?, ?, ?, ?, ?)`, n.Collar, n.Name, n.Rank, n.Team, ts(t.now))
		if err != nil {
			if isConflict(s, err) {
				return arv.Errorf(arv.ECONFLICT, "Collar number %q is already recorded.", n.Collar)
			}
			return err
		}
		o = &arv.Officer{ID: id, Collar: n.Collar, Name: n.Name, Rank: n.Rank, Team: n.Team, Created: t.now,
			Accreditations: []arv.AccreditationRecord{}, Fitness: []arv.FitnessTest{}, Duty: []arv.DutyRecord{}}
		return t.audit("officer.create", officerEntity(id), nil, o)
	})
	return o, err
}

func officerEntity(id int64) string { return fmt.Sprintf("officer/%d", id) }

// FindOfficerByID implements arv.OfficerService.
func (s *Store) FindOfficerByID(ctx context.Context, id int64) (*arv.Officer, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOfficers); err != nil {
		return nil, err
	}
	os, err := loadOfficers(ctx, readQ{s}, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, notFound("Officer", id)
	}
	return os[0], nil
}

// FindOfficers implements arv.OfficerService.
func (s *Store) FindOfficers(ctx context.Context) ([]*arv.Officer, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOfficers); err != nil {
		return nil, err
	}
	return loadOfficers(ctx, readQ{s}, nil)
}

// loadOfficers reads officers with accreditations and fitness tests: the
// ids given (in id order; missing ones are skipped), or all when ids is
// nil.
func loadOfficers(ctx context.Context, q querier, ids []int64) ([]*arv.Officer, error) {
	where, args := "", []any{}
	col := func(c string) string {
		if where == "" {
			return ""
		}
		return fmt.Sprintf(where, c)
	}
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		where = " WHERE %s IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, collar, name, rank, team, created_at FROM officers`+col("id")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*arv.Officer
	byID := map[int64]*arv.Officer{}
	for rows.Next() {
		o := &arv.Officer{Accreditations: []arv.AccreditationRecord{}, Fitness: []arv.FitnessTest{}, Duty: []arv.DutyRecord{}}
		var created string
		if err := rows.Scan(&o.ID, &o.Collar, &o.Name, &o.Rank, &o.Team, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if o.Created, err = parseTS(created); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, o)
		byID[o.ID] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, officer_id, kind, issued, expires, revoked FROM accreditations`+col("officer_id")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var a arv.AccreditationRecord
		var oid int64
		var kind, issued, expires string
		var revoked int
		if err := rows.Scan(&a.ID, &oid, &kind, &issued, &expires, &revoked); err != nil {
			rows.Close()
			return nil, err
		}
		a.Kind, a.Issued, a.Expires, a.Revoked = arv.Accreditation(kind), arv.Date(issued), arv.Date(expires), revoked != 0
		if o := byID[oid]; o != nil {
			o.Accreditations = append(o.Accreditations, a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, officer_id, taken, passed, note FROM fitness_tests`+col("officer_id")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f arv.FitnessTest
		var oid int64
		var taken string
		var passed int
		if err := rows.Scan(&f.ID, &oid, &taken, &passed, &f.Note); err != nil {
			return nil, err
		}
		f.Taken, f.Passed = arv.Date(taken), passed != 0
		if o := byID[oid]; o != nil {
			o.Fitness = append(o.Fitness, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, loadDuty(ctx, q, byID, col("officer_id"), args) // duty.go
}

// officerTx loads one officer inside a transaction.
func officerTx(t *tx, id int64) (*arv.Officer, error) {
	os, err := loadOfficers(t.ctx, t, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, notFound("Officer", id)
	}
	return os[0], nil
}

// AddAccreditation implements arv.OfficerService.
func (s *Store) AddAccreditation(ctx context.Context, officerID int64, a arv.NewAccreditation) (*arv.Officer, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageOfficers)
	if err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return s.changeOfficer(ctx, actor, officerID, "officer.accreditation", func(t *tx, o *arv.Officer) error {
		_, err := t.insert(`INSERT INTO accreditations (officer_id, kind, issued, expires, revoked) VALUES (?, ?, ?, ?, 0)`, officerID, string(a.Kind), string(a.Issued), string(a.Expires))
		return err
	})
}

// RevokeAccreditation implements arv.OfficerService.
func (s *Store) RevokeAccreditation(ctx context.Context, officerID, accreditationID int64) (*arv.Officer, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageOfficers)
	if err != nil {
		return nil, err
	}
	return s.changeOfficer(ctx, actor, officerID, "officer.revoke", func(t *tx, o *arv.Officer) error {
		i := slices.IndexFunc(o.Accreditations, func(a arv.AccreditationRecord) bool { return a.ID == accreditationID })
		if i < 0 {
			return arv.Errorf(arv.ENOTFOUND, "%s has no accreditation %d.", o, accreditationID)
		}
		if o.Accreditations[i].Revoked {
			return arv.Errorf(arv.ECONFLICT, "That %s accreditation is already revoked.", o.Accreditations[i].Kind)
		}
		_, err := t.exec(`UPDATE accreditations SET revoked = 1 WHERE id = ?`, accreditationID)
		return err
	})
}

// AddFitnessTest implements arv.OfficerService.
func (s *Store) AddFitnessTest(ctx context.Context, officerID int64, f arv.FitnessTest) (*arv.Officer, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageOfficers)
	if err != nil {
		return nil, err
	}
	if _, err := arv.ParseDate(string(f.Taken)); err != nil {
		return nil, arv.Errorf(arv.EINVALID, "Taken: %s", arv.ErrorMessage(err))
	}
	if err := arv.CheckDateBounds("The fitness test date", f.Taken); err != nil {
		return nil, err
	}
	if f.Taken.Time().After(s.now()) {
		return nil, arv.Errorf(arv.EINVALID, "A fitness test cannot be recorded before it is taken (%s is in the future).", f.Taken)
	}
	if len(f.Note) > 1000 {
		return nil, arv.Errorf(arv.EINVALID, "Note must be at most 1000 characters.")
	}
	return s.changeOfficer(ctx, actor, officerID, "officer.fitness", func(t *tx, o *arv.Officer) error {
		_, err := t.insert(`INSERT INTO fitness_tests (officer_id, taken, passed, note) VALUES (?, ?, ?, ?)`, officerID, string(f.Taken), b2i(f.Passed), f.Note)
		return err
	})
}

// changeOfficer runs change on an officer and audits before and after.
func (s *Store) changeOfficer(ctx context.Context, actor *arv.User, id int64, action string, change func(*tx, *arv.Officer) error) (*arv.Officer, error) {
	var after *arv.Officer
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := officerTx(t, id)
		if err != nil {
			return err
		}
		if err := change(t, before); err != nil {
			return err
		}
		if after, err = officerTx(t, id); err != nil {
			return err
		}
		return t.audit(action, officerEntity(id), before, after)
	})
	return after, err
}

// Reminders implements arv.OfficerService.
func (s *Store) Reminders(ctx context.Context) ([]arv.Reminder, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOfficers); err != nil {
		return nil, err
	}
	return s.reminders(ctx)
}

func (s *Store) reminders(ctx context.Context) ([]arv.Reminder, error) {
	os, err := loadOfficers(ctx, readQ{s}, nil)
	if err != nil {
		return nil, err
	}
	today := arv.DateOf(s.now())
	out := []arv.Reminder{}
	for _, o := range os {
		out = append(out, o.Reminders(today)...)
	}
	slices.SortStableFunc(out, func(a, b arv.Reminder) int { return a.DaysLeft - b.DaysLeft })
	return out, nil
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
