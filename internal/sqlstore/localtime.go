package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// Time bounds (issue 12, "Local time"): call times are bounded and late
// entries need a reason; changes to shifts that have already ended need a
// reason and are kept as amendments. The rules themselves are in
// ../../timebounds.go.

// lateEntryAfter is Store.LateEntryAfter or its default.
func (s *Store) lateEntryAfter() time.Duration {
	if s.LateEntryAfter > 0 {
		return s.LateEntryAfter
	}
	return arv.DefaultLateEntryAfter
}

// checkCallTime bounds a call time given by the call handler and says
// whether it is a late entry (and then that a reason was given).
func (t *tx) checkCallTime(call time.Time, reason string) (late bool, err error) {
	if err := arv.CheckEventTime("The call time", call, t.now); err != nil {
		return false, err
	}
	after := t.s.lateEntryAfter()
	late = arv.IsLate(call, t.now, after)
	rule := "The call time " + arv.FormatLocal(call) + " is more than " + arv.SpanText(after) + " before now (" + arv.FormatLocal(t.now) +
		"); a late entry needs a reason: say why the call is recorded late in the late-entry reason."
	return late, arv.CheckReason(reason, late, rule)
}

// recordLate keeps incident id's late-entry reason.
func (t *tx) recordLate(id int64, call time.Time, reason string) error {
	_, err := t.exec(`INSERT INTO late_entries (incident_id, reason, recorded_at, late_seconds) VALUES (?, ?, ?, ?)`,
		id, strings.TrimSpace(reason), ts(t.now), int64(t.now.Sub(call)/time.Second))
	return err
}

// loadLate marks the late entries among incs.
func loadLate(ctx context.Context, q querier, incs ...*arv.Incident) error {
	byID := make(map[int64]*arv.Incident, len(incs))
	ids := make([]int64, len(incs))
	for k, i := range incs {
		byID[i.ID], ids[k] = i, i.ID
	}
	return eachIn(ctx, q, `SELECT incident_id, reason FROM late_entries WHERE incident_id IN (?)`, ids, func(rows *sql.Rows) error {
		var id int64
		var reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return err
		}
		if i := byID[id]; i != nil {
			i.LateEntry, i.LateReason = true, reason
		}
		return nil
	})
}

// Roster amendment actions.
const (
	amendAddShift = "add shift"
	amendAssign   = "assign"
	amendUnassign = "unassign"
)

// checkAmendment refuses a change to a shift that has ended unless a
// reason is given, and says whether the change is an amendment.
func (t *tx) checkAmendment(end time.Time, reason string) (bool, error) {
	ended := !end.After(t.now)
	return ended, arv.CheckReason(reason, ended, arv.ShiftEndedRule(end))
}

// amend keeps an amendment to shift id.
func (t *tx) amend(shift int64, action string, officer int64, reason string) error {
	var o any
	if officer != 0 {
		o = officer
	}
	_, err := t.insert(`INSERT INTO roster_amendments (shift_id, at, by_user, action, officer_id, reason) VALUES (?, ?, ?, ?, ?, ?)`,
		shift, ts(t.now), t.user.Username, action, o, strings.TrimSpace(reason))
	return err
}

// loadAmendments adds their amendments to shifts.
func loadAmendments(ctx context.Context, q querier, shifts []*arv.RosterShift) error {
	byID := make(map[int64]*arv.RosterShift, len(shifts))
	ids := make([]int64, len(shifts))
	for k, sh := range shifts {
		byID[sh.ID], ids[k] = sh, sh.ID
	}
	return eachIn(ctx, q, `SELECT shift_id, at, by_user, action, officer_id, reason FROM roster_amendments
		WHERE shift_id IN (?) ORDER BY id`, ids, func(rows *sql.Rows) error {
		var id int64
		var at string
		var officer *int64
		var a arv.RosterAmendment
		if err := rows.Scan(&id, &at, &a.By, &a.Action, &officer, &a.Reason); err != nil {
			return err
		}
		var err error
		if a.At, err = parseTS(at); err != nil {
			return err
		}
		if officer != nil {
			a.OfficerID = *officer
		}
		if sh := byID[id]; sh != nil {
			sh.Amendments = append(sh.Amendments, a)
		}
		return nil
	})
}
