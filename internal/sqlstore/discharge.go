package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// After a discharge (issue 12; the rules and their APP sources are in
// ../../discharge.go): discharges, the post-incident procedure, debriefs,
// sign-off of the deployment log and amendments after it.

// actionAmend is the audit action of an amendment: the one change
// changeIncident lets through once the deployment log is signed off.
const actionAmend = "incident.amend"

func (s *Store) iopcReferWithin() time.Duration {
	if s.IOPCReferWithin <= 0 {
		return arv.DefaultIOPCReferWithin
	}
	return s.IOPCReferWithin
}

func (s *Store) signOffRoles() []arv.Role {
	if len(s.SignOffRoles) == 0 {
		return arv.DefaultSignOffRoles
	}
	return s.SignOffRoles
}

// signedOffRefusal is the refusal of any change to an incident whose
// deployment log is signed off; changeIncident gives it for every change
// but an amendment, so changes added later are covered too.
func signedOffRefusal(i *arv.Incident) error {
	return arv.Errorf(arv.ECONFLICT, "Incident %d is closed: its deployment log was signed off by %s at %s. Nothing in it can be changed now; add an annotated amendment instead (what it corrects and the annotation).",
		i.ID, i.SignedOff.By, arv.Local(i.SignedOff.At).Format("15:04 MST on 2 Jan 2006"))
}

// loadAfterDischarge reads an incident's discharges, post-incident
// procedure, debriefs, sign-off and amendments.
func loadAfterDischarge(ctx context.Context, q querier, i *arv.Incident) error {
	i.AfterDischarge = arv.AfterDischarge{}
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.officer_id, o.name, o.collar, d.at, d.weapon, d.rounds, d.at_person, d.injury, d.circumstances, d.recorded_by, d.recorded_at
		FROM discharges d JOIN officers o ON o.id = d.officer_id WHERE d.incident_id = ? ORDER BY d.at, d.id`, i.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var d arv.Discharge
		var name, collar, at, weapon, injury, recorded string
		var atPerson int
		if err := rows.Scan(&d.ID, &d.OfficerID, &name, &collar, &at, &weapon, &d.Rounds, &atPerson, &injury, &d.Circumstances, &d.RecordedBy, &recorded); err != nil {
			rows.Close()
			return err
		}
		d.Officer, d.Weapon, d.AtPerson, d.Injury = officerLabel(name, collar), arv.WeaponClass(weapon), atPerson != 0, arv.Injury(injury)
		if d.At, err = parseTS(at); err == nil {
			d.RecordedAt, err = parseTS(recorded)
		}
		if err != nil {
			rows.Close()
			return err
		}
		i.Discharges = append(i.Discharges, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	var p arv.PostIncident
	var opened, due string
	var manager sql.NullInt64
	var mname, mcollar sql.NullString
	var iopcAt, iopcRecordedAt sql.NullString
	var ref, by, recBy string
	err = q.QueryRowContext(ctx, `SELECT p.opened_at, p.discharge_id, p.manager_id, o.name, o.collar, p.referral_due, p.iopc_at, p.iopc_reference, p.iopc_by, p.iopc_recorded_by, p.iopc_recorded_at
		FROM post_incidents p LEFT JOIN officers o ON o.id = p.manager_id WHERE p.incident_id = ?`, i.ID).
		Scan(&opened, &p.DischargeID, &manager, &mname, &mcollar, &due, &iopcAt, &ref, &by, &recBy, &iopcRecordedAt)
	switch {
	case isNoRows(err):
	case err != nil:
		return err
	default:
		if p.OpenedAt, err = parseTS(opened); err != nil {
			return err
		}
		if p.ReferralDue, err = parseTS(due); err != nil {
			return err
		}
		if manager.Valid {
			p.ManagerID, p.Manager = manager.Int64, officerLabel(mname.String, mcollar.String)
		}
		if iopcAt.Valid {
			r := &arv.IOPCReferral{Reference: ref, By: by, RecordedBy: recBy}
			if r.At, err = parseTS(iopcAt.String); err != nil {
				return err
			}
			if t, err := nullTS(iopcRecordedAt); err != nil {
				return err
			} else if t != nil {
				r.RecordedAt = *t
			}
			p.Referral = r
		}
		p.Witnesses = []arv.KeyWitness{}
		rows, err := q.QueryContext(ctx, `SELECT w.officer_id, o.name, o.collar, w.note, w.added_at, w.added_by
			FROM key_witnesses w JOIN officers o ON o.id = w.officer_id WHERE w.incident_id = ? ORDER BY w.id`, i.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var w arv.KeyWitness
			var name, collar, added string
			if err := rows.Scan(&w.OfficerID, &name, &collar, &w.Note, &added, &w.AddedBy); err != nil {
				rows.Close()
				return err
			}
			w.Officer = officerLabel(name, collar)
			if w.AddedAt, err = parseTS(added); err != nil {
				rows.Close()
				return err
			}
			p.Witnesses = append(p.Witnesses, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		i.PostIncident = &p
	}

	rows, err = q.QueryContext(ctx, `SELECT id, at, led_by, notes, recorded_by, recorded_at FROM debriefs WHERE incident_id = ? ORDER BY at, id`, i.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var d arv.Debrief
		var at, recorded string
		if err := rows.Scan(&d.ID, &at, &d.LedBy, &d.Notes, &d.RecordedBy, &recorded); err != nil {
			rows.Close()
			return err
		}
		if d.At, err = parseTS(at); err == nil {
			d.RecordedAt, err = parseTS(recorded)
		}
		if err != nil {
			rows.Close()
			return err
		}
		i.Debriefs = append(i.Debriefs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	var so arv.SignOff
	var soAt, soRole string
	err = q.QueryRowContext(ctx, `SELECT at, by_user, role, note FROM sign_offs WHERE incident_id = ?`, i.ID).Scan(&soAt, &so.By, &soRole, &so.Note)
	switch {
	case isNoRows(err):
	case err != nil:
		return err
	default:
		if so.At, err = parseTS(soAt); err != nil {
			return err
		}
		so.Role = arv.Role(soRole)
		i.SignedOff = &so
	}

	rows, err = q.QueryContext(ctx, `SELECT id, at, by_user, corrects, text FROM amendments WHERE incident_id = ? ORDER BY id`, i.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a arv.Amendment
		var at string
		if err := rows.Scan(&a.ID, &at, &a.By, &a.Corrects, &a.Text); err != nil {
			return err
		}
		if a.At, err = parseTS(at); err != nil {
			return err
		}
		i.Amendments = append(i.Amendments, a)
	}
	return rows.Err()
}

func officerLabel(name, collar string) string { return fmt.Sprintf("%s (%s)", name, collar) }

// officerExists returns ENOTFOUND when no officer has id.
func (t *tx) officerExists(id int64) error {
	var n int
	if err := t.QueryRowContext(t.ctx, `SELECT COUNT(*) FROM officers WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return arv.Errorf(arv.ENOTFOUND, "Officer %d not found; record officers on the officers page first.", id)
	}
	return nil
}

// eventTime resolves a reported time: zero means now; it may not be in
// the future (a minute's clock skew allowed) nor before not.
func (t *tx) eventTime(at time.Time, what string, not time.Time, notWhat string) (time.Time, error) {
	if at.IsZero() {
		return t.now, nil
	}
	at = at.UTC().Truncate(time.Microsecond)
	if at.After(t.now.Add(time.Minute)) {
		return time.Time{}, arv.Errorf(arv.EINVALID, "The %s time %s is in the future.", what, arv.Local(at).Format("15:04 MST on 2 Jan 2006"))
	}
	if at.Before(not) {
		return time.Time{}, arv.Errorf(arv.EINVALID, "The %s time %s is before %s (%s).", what, arv.Local(at).Format("15:04 MST on 2 Jan 2006"), notWhat, arv.Local(not).Format("15:04 MST on 2 Jan 2006"))
	}
	return at, nil
}

// RecordDischarge implements arv.AfterDischargeService.
func (s *Store) RecordDischarge(ctx context.Context, id int64, d arv.NewDischarge) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionRecordDischarge)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.discharge", func(t *tx, i *arv.Incident) error {
		if i.AuthorisedAt == nil && !i.SelfDeployed {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has no authorised or self-authorised armed deployment, so no discharge can be recorded against it.", id)
		}
		if len(i.Discharges) >= arv.MaxAfterRows {
			return arv.Errorf(arv.EINVALID, "Incident %d already has %d discharges recorded, the most one incident may hold.", id, arv.MaxAfterRows)
		}
		at, err := t.eventTime(d.At, "discharge", i.CallAt, "the call")
		if err != nil {
			return err
		}
		if err := t.officerExists(d.OfficerID); err != nil {
			return err
		}
		did, err := t.insert(`INSERT INTO discharges (incident_id, officer_id, at, weapon, rounds, at_person, injury, circumstances, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, d.OfficerID, ts(at), string(d.Weapon), d.Rounds, b2i(d.AtPerson), string(d.Injury), d.Circumstances, t.user.Username, ts(t.now))
		if err != nil {
			return err
		}
		if !d.Injury.DSI() || i.PostIncident != nil {
			return nil
		}
		// Death or serious injury opens the post-incident procedure (APP
		// post-deployment,
		// https://www.college.police.uk/app/armed-policing/post-deployment).
		_, err = t.exec(`INSERT INTO post_incidents (incident_id, opened_at, discharge_id, referral_due) VALUES (?, ?, ?, ?)`,
			id, ts(at), did, ts(at.Add(s.iopcReferWithin())))
		return err
	})
}

// needPostIncident refuses a post-incident step on an incident without
// a procedure.
func needPostIncident(i *arv.Incident) error {
	if i.PostIncident == nil {
		return arv.Errorf(arv.ECONFLICT, "Incident %d has no post-incident procedure: one opens when a discharge causing death or serious injury is recorded.", i.ID)
	}
	return nil
}

// AppointPostIncidentManager implements arv.AfterDischargeService.
func (s *Store) AppointPostIncidentManager(ctx context.Context, id int64, m arv.PostIncidentManager) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionPostIncident)
	if err != nil {
		return nil, err
	}
	if m.OfficerID <= 0 {
		return nil, arv.Errorf(arv.EINVALID, "Say which officer is the post-incident manager (officer_id).")
	}
	return s.changeIncident(ctx, actor, id, "incident.post_incident_manager", func(t *tx, i *arv.Incident) error {
		if err := needPostIncident(i); err != nil {
			return err
		}
		if err := t.officerExists(m.OfficerID); err != nil {
			return err
		}
		// The post-incident manager must not be one of those involved
		// (our reading of APP post-deployment, key roles: the PIM manages
		// the procedure for the witnesses, so is not one of them).
		if involved(i, m.OfficerID) {
			return arv.Errorf(arv.ECONFLICT, "Officer %d discharged or is a key police witness at incident %d; the post-incident manager must be someone not involved in the incident.", m.OfficerID, id)
		}
		_, err := t.exec(`UPDATE post_incidents SET manager_id = ? WHERE incident_id = ?`, m.OfficerID, id)
		return err
	})
}

// involved reports whether officer discharged or is a key witness.
func involved(i *arv.Incident, officer int64) bool {
	for _, d := range i.Discharges {
		if d.OfficerID == officer {
			return true
		}
	}
	if i.PostIncident != nil {
		for _, w := range i.PostIncident.Witnesses {
			if w.OfficerID == officer {
				return true
			}
		}
	}
	return false
}

// AddKeyWitness implements arv.AfterDischargeService.
func (s *Store) AddKeyWitness(ctx context.Context, id int64, w arv.NewKeyWitness) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionPostIncident)
	if err != nil {
		return nil, err
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.key_witness", func(t *tx, i *arv.Incident) error {
		if err := needPostIncident(i); err != nil {
			return err
		}
		p := i.PostIncident
		if len(p.Witnesses) >= arv.MaxWitnesses {
			return arv.Errorf(arv.EINVALID, "Incident %d already has %d key police witnesses, the most one procedure may hold.", id, arv.MaxWitnesses)
		}
		if p.ManagerID == w.OfficerID {
			return arv.Errorf(arv.ECONFLICT, "Officer %d is the post-incident manager of incident %d and cannot also be a key police witness.", w.OfficerID, id)
		}
		for _, k := range p.Witnesses {
			if k.OfficerID == w.OfficerID {
				return arv.Errorf(arv.ECONFLICT, "%s is already a key police witness of incident %d.", k.Officer, id)
			}
		}
		if err := t.officerExists(w.OfficerID); err != nil {
			return err
		}
		_, err := t.insert(`INSERT INTO key_witnesses (incident_id, officer_id, note, added_at, added_by) VALUES (?, ?, ?, ?, ?)`,
			id, w.OfficerID, w.Note, ts(t.now), t.user.Username)
		return err
	})
}

// ReferToIOPC implements arv.AfterDischargeService.
func (s *Store) ReferToIOPC(ctx context.Context, id int64, r arv.NewIOPCReferral) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionPostIncident)
	if err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.iopc_referral", func(t *tx, i *arv.Incident) error {
		if err := needPostIncident(i); err != nil {
			return err
		}
		p := i.PostIncident
		if p.Referral != nil {
			return arv.Errorf(arv.ECONFLICT, "Incident %d was already referred to the IOPC at %s (reference %s).", id, arv.Local(p.Referral.At).Format("15:04 MST on 2 Jan 2006"), p.Referral.Reference)
		}
		at, err := t.eventTime(r.At, "referral", p.OpenedAt, "the discharge")
		if err != nil {
			return err
		}
		_, err = t.exec(`UPDATE post_incidents SET iopc_at = ?, iopc_reference = ?, iopc_by = ?, iopc_recorded_by = ?, iopc_recorded_at = ? WHERE incident_id = ?`,
			ts(at), r.Reference, r.By, t.user.Username, ts(t.now), id)
		return err
	})
}

// RecordDebrief implements arv.AfterDischargeService.
func (s *Store) RecordDebrief(ctx context.Context, id int64, d arv.NewDebrief) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionPostIncident)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.debrief", func(t *tx, i *arv.Incident) error {
		if len(i.Debriefs) >= arv.MaxAfterRows {
			return arv.Errorf(arv.EINVALID, "Incident %d already has %d debriefs recorded, the most one incident may hold.", id, arv.MaxAfterRows)
		}
		at, err := t.eventTime(d.At, "debrief", i.CallAt, "the call")
		if err != nil {
			return err
		}
		_, err = t.insert(`INSERT INTO debriefs (incident_id, at, led_by, notes, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, ts(at), d.LedBy, d.Notes, t.user.Username, ts(t.now))
		return err
	})
}

// SignOff implements arv.AfterDischargeService.
func (s *Store) SignOff(ctx context.Context, id int64, r arv.SignOffRequest) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionSignOff)
	if err != nil {
		return nil, err
	}
	if roles := s.signOffRoles(); actor != arv.SystemUser && !slices.Contains(roles, actor.Role) {
		titles := make([]string, len(roles))
		for k, role := range roles {
			titles[k] = strings.ToLower(role.Title())
		}
		return nil, arv.Errorf(arv.EFORBIDDEN, "In this force the deployment log is signed off by the %s, not the %s; ask them to sign it off.",
			strings.Join(titles, " or the "), strings.ToLower(actor.Role.Title()))
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.sign_off", func(t *tx, i *arv.Incident) error {
		if i.Status != arv.IncidentStoodDown {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has not been stood down; stand the ARVs down before signing off the deployment log.", id)
		}
		if p := i.PostIncident; p != nil && p.Referral == nil {
			return arv.Errorf(arv.ECONFLICT, "Incident %d cannot be signed off: a discharge at %s caused death or serious injury and no IOPC referral is recorded. Record the referral first.",
				id, arv.Local(p.OpenedAt).Format("15:04 MST on 2 Jan 2006"))
		}
		_, err := t.exec(`INSERT INTO sign_offs (incident_id, at, by_user, role, note) VALUES (?, ?, ?, ?, ?)`,
			id, ts(t.now), t.user.Username, string(t.user.Role), r.Note)
		return err
	})
}

// Amend implements arv.AfterDischargeService.
func (s *Store) Amend(ctx context.Context, id int64, a arv.NewAmendment) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionAmendRecord)
	if err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, actionAmend, func(t *tx, i *arv.Incident) error {
		if i.SignedOff == nil {
			return arv.Errorf(arv.ECONFLICT, "Incident %d is not signed off: amendments annotate a closed record. Record the change itself while the log is open.", id)
		}
		if len(i.Amendments) >= arv.MaxAfterRows {
			return arv.Errorf(arv.EINVALID, "Incident %d already has %d amendments, the most one incident may hold.", id, arv.MaxAfterRows)
		}
		_, err := t.insert(`INSERT INTO amendments (incident_id, at, by_user, corrects, text) VALUES (?, ?, ?, ?, ?)`,
			id, ts(t.now), t.user.Username, a.Corrects, a.Text)
		return err
	})
}

// appendIOPCAlerts adds an urgent alert for every post-incident procedure
// without its IOPC referral, open incident or not.
func (s *Store) appendIOPCAlerts(ctx context.Context, now time.Time, out []arv.Alert) ([]arv.Alert, error) {
	rows, err := s.query(ctx, `SELECT incident_id, opened_at, referral_due FROM post_incidents WHERE iopc_at IS NULL ORDER BY incident_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var opened, due string
		if err := rows.Scan(&id, &opened, &due); err != nil {
			return nil, err
		}
		at, err := parseTS(opened)
		if err != nil {
			return nil, err
		}
		dueAt, err := parseTS(due)
		if err != nil {
			return nil, err
		}
		when := "expected by " + arv.Local(dueAt).Format("15:04 MST on 2 Jan")
		if now.After(dueAt) {
			when = "overdue since " + arv.Local(dueAt).Format("15:04 MST on 2 Jan")
		}
		out = append(out, arv.Alert{Kind: arv.AlertIOPCReferral, Severity: "urgent", Entity: incidentEntity(id), Since: at,
			Message: fmt.Sprintf("Incident %d: death or serious injury after a police discharge %s ago (%s); no IOPC referral recorded, %s.",
				id, elapsed(now.Sub(at)), arv.Local(at).Format("15:04 MST"), when)})
	}
	return out, rows.Err()
}

// elapsed says a duration the way a control room does: "47 min",
// "2 h 05 min", "3 days 4 h".
func elapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int(d / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 48*60:
		return fmt.Sprintf("%d h %02d min", m/60, m%60)
	}
	return fmt.Sprintf("%d days %d h", m/(24*60), m/60%24)
}

// dischargedAtPersons returns the incidents called in [from, to) with at
// least one conventional firearm (not less lethal) discharged at a
// person, for the Home Office return ("incidents in which police
// firearms were intentionally discharged (fired) at persons":
// https://gov.uk/government/statistics/police-use-of-firearms-statistics-april-2023-to-march-2024/police-use-of-firearms-statistics-england-and-wales-april-2023-to-march-2024).
func (s *Store) dischargedAtPersons(ctx context.Context, from, to time.Time) (map[int64]bool, error) {
	var firearms []string
	args := []any{ts(from), ts(to)}
	for _, w := range arv.WeaponClasses {
		if w.Firearm() {
			firearms = append(firearms, "?")
			args = append(args, string(w))
		}
	}
	rows, err := s.query(ctx, `SELECT DISTINCT d.incident_id FROM discharges d JOIN incidents i ON i.id = d.incident_id
		WHERE i.call_at >= ? AND i.call_at < ? AND d.at_person = 1 AND d.weapon IN (`+strings.Join(firearms, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
