package sqlstore

import (
	"context"

	"github.com/arv-project/arv"
)

// loadDuty reads the duty records of the officers in byID; where is the
// officers' WHERE clause on officer_id ("" for all) and args its
// arguments.
func loadDuty(ctx context.Context, q querier, byID map[int64]*arv.Officer, where string, args []any) error {
	if len(byID) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, officer_id, status, from_day, to_day, note, recorded_by, recorded_at FROM officer_duty`+where+` ORDER BY id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r arv.DutyRecord
		var oid int64
		var status, from, to, at string
		if err := rows.Scan(&r.ID, &oid, &status, &from, &to, &r.Note, &r.RecordedBy, &at); err != nil {
			return err
		}
		r.Status, r.From, r.To = arv.DutyStatus(status), arv.Date(from), arv.Date(to)
		if r.RecordedAt, err = parseTS(at); err != nil {
			return err
		}
		if o := byID[oid]; o != nil {
			o.Duty = append(o.Duty, r)
		}
	}
	return rows.Err()
}

// maxDutyRecords bounds the duty records kept per officer.
const maxDutyRecords = 500

// RecordDuty implements arv.DutyService: an administrator records an
// officer's duty status from a London day, through an optional last
// day. The latest record covering a day decides that day's status, so a
// return to duty is recorded as "available" from the day of return.
func (s *Store) RecordDuty(ctx context.Context, officerID int64, n arv.NewDuty) (*arv.Officer, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageOfficers)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return s.changeOfficer(ctx, actor, officerID, "officer.duty", func(t *tx, o *arv.Officer) error {
		if len(o.Duty) >= maxDutyRecords {
			return arv.Errorf(arv.EINVALID, "%s already has %d duty records, the most kept; ask the system administrator to archive old ones.", o, maxDutyRecords)
		}
		_, err := t.insert(`INSERT INTO officer_duty (officer_id, status, from_day, to_day, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			officerID, string(n.Status), string(n.From), string(n.To), n.Note, t.user.Username, ts(t.now))
		return err
	})
}
