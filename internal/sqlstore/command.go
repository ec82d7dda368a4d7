package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/arv-project/arv"
)

// Who may decide and the command log (issue 12); the rules and their APP
// citations are in the arv package (command.go).

// authorisers returns the tickets that may authorise (Store.Authorisers,
// by default arv.DefaultAuthorisers).
func (s *Store) authorisers() []arv.Accreditation {
	if len(s.Authorisers) == 0 {
		return arv.DefaultAuthorisers
	}
	return s.Authorisers
}

// commander checks the signed-in user's linked officer holds one of
// kinds in date, for doing; it returns the ticket and the officer (nil
// for arv.SystemUser, which is exempt). The officer is the one the user
// in the context is linked to, as the role is: the HTTP layer reads both
// from the session.
func (t *tx) commander(kinds []arv.Accreditation, doing string) (arv.Accreditation, *arv.Officer, error) {
	if t.user == arv.SystemUser {
		return "", nil, nil
	}
	var o *arv.Officer
	if t.user.OfficerID != 0 {
		var err error
		if o, err = officerTx(t, t.user.OfficerID); err != nil && arv.ErrorCode(err) != arv.ENOTFOUND {
			return "", nil, err
		}
	}
	level, err := arv.CheckCommander(t.user, o, kinds, t.now, doing)
	return level, o, err
}

// checkRatifier refuses a ratification or rescission of i by anyone but
// an in-date SFC, and a ratification by the one who authorised.
func (t *tx) checkRatifier(i *arv.Incident, ratify bool) error {
	doing := "ratify"
	if !ratify {
		doing = "rescind"
	}
	if _, _, err := t.commander(arv.Ratifiers, doing); err != nil {
		return err
	}
	if !ratify {
		return nil
	}
	return arv.CheckNotOwnAuthorisation(t.user, t.user.OfficerID, i)
}

// reviseAuthorisation handles a new authorisation of an authorised
// incident: when it changes the ground or the tactics after
// ratification, the incident needs ratifying again, its timer restarting
// now (the earlier ratification stays in the decisions).
func (t *tx) reviseAuthorisation(i *arv.Incident, d arv.DecisionRequest) error {
	if !arv.NeedsRatificationAgain(i, d) {
		return nil // same ground and tactics: the ratification stands
	}
	_, err := t.exec(`UPDATE incidents SET ratified_at = NULL, ratify_due = ? WHERE id = ?`, ts(t.now.Add(t.s.ratifyWithin())), i.ID)
	return err
}

// firstCommander puts the first authorising commander in command of i
// when no one has taken command yet.
func (t *tx) firstCommander(i *arv.Incident, level arv.Accreditation, o *arv.Officer) error {
	if t.user == arv.SystemUser || level == "" || i.Command != nil && len(i.Command.Handovers) > 0 {
		return nil
	}
	return t.addCommandEntry(i, level, o, "In command as the first authorising commander.")
}

func (t *tx) addCommandEntry(i *arv.Incident, level arv.Accreditation, o *arv.Officer, note string) error {
	var from string
	var fromLevel arv.Accreditation
	if i.Command != nil && i.Command.InCommand != nil {
		from, fromLevel = i.Command.InCommand.Commander, i.Command.InCommand.Level
	}
	_, err := t.insert(`INSERT INTO command_entries (incident_id, at, level, commander, officer_id, from_commander, from_level, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, i.ID, ts(t.now), string(level), t.user.Username, officerRef(o), from, string(fromLevel), note)
	return err
}

func officerRef(o *arv.Officer) any {
	if o == nil {
		return nil
	}
	return o.ID
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SetUserOfficer implements arv.CommandService.
func (s *Store) SetUserOfficer(ctx context.Context, userID, officerID int64) (*arv.User, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageUsers)
	if err != nil {
		return nil, err
	}
	if officerID < 0 {
		return nil, arv.Errorf(arv.EINVALID, "officer_id must be an officer's id, or 0 to unlink.")
	}
	var after *arv.User
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := userTx(t, userID)
		if err != nil {
			return err
		}
		if officerID != 0 {
			if _, err := officerTx(t, officerID); err != nil {
				return err
			}
		}
		if _, err := t.exec(`UPDATE users SET officer_id = ? WHERE id = ?`, nullID(officerID), userID); err != nil {
			return err
		}
		if after, err = userTx(t, userID); err != nil {
			return err
		}
		return t.audit("user.officer", fmt.Sprintf("user/%d", userID), before, after)
	})
	return after, err
}

func userTx(t *tx, id int64) (*arv.User, error) {
	u, _, err := scanUser(t.QueryRowContext(t.ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id), false)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User", id)
	}
	return u, err
}

// TakeCommand implements arv.CommandService.
func (s *Store) TakeCommand(ctx context.Context, id int64, c arv.TakeCommand) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionDecide)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.command", func(t *tx, i *arv.Incident) error {
		if i.Status == arv.IncidentStoodDown {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has been stood down; command of it has ended.", id)
		}
		_, o, err := t.commander([]arv.Accreditation{c.Level}, "take command as "+string(c.Level))
		if err != nil {
			return err
		}
		log := i.Command
		if cur := log.InCommand; cur != nil && cur.Commander == actor.Username && cur.Level == c.Level {
			return arv.Errorf(arv.ECONFLICT, "You are already in command of incident %d as %s.", id, c.Level)
		}
		if len(log.Handovers) >= arv.MaxCommandEntries {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has %d handovers of command, the most kept; record further ones in the deployment log.", id, arv.MaxCommandEntries)
		}
		return t.addCommandEntry(i, c.Level, o, c.Note)
	})
}

// AddAdvice implements arv.CommandService.
func (s *Store) AddAdvice(ctx context.Context, id int64, a arv.NewAdvice) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionDecide)
	if err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.advice", func(t *tx, i *arv.Incident) error {
		at := t.now
		if !a.ConsultedAt.IsZero() {
			at = a.ConsultedAt.UTC().Truncate(time.Microsecond)
			if at.After(t.now.Add(time.Minute)) {
				return arv.Errorf(arv.EINVALID, "The advice cannot be given in the future (%s).", arv.Local(at).Format("2006-01-02 15:04 MST"))
			}
			if at.Before(i.CallAt) {
				return arv.Errorf(arv.EINVALID, "The advice cannot be given before the call (%s).", arv.Local(i.CallAt).Format("2006-01-02 15:04 MST"))
			}
		}
		if a.AdviserOfficerID != 0 {
			if _, err := officerTx(t, a.AdviserOfficerID); err != nil {
				return err
			}
			// APP command: tactical advice should be independent of the
			// command structure.
			if cur := i.Command.InCommand; cur != nil && cur.OfficerID == a.AdviserOfficerID {
				return arv.Errorf(arv.EINVALID, "APP: the tactical adviser should be independent of the command structure; %s is in command of incident %d.", cur.Officer, id)
			}
		}
		if len(i.Command.Advice) >= arv.MaxCommandEntries {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has %d tactical advice entries, the most kept.", id, arv.MaxCommandEntries)
		}
		_, err := t.insert(`INSERT INTO tactical_advice (incident_id, consulted_at, adviser, adviser_officer_id, advice, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, ts(at), a.Adviser, nullID(a.AdviserOfficerID), a.Advice, actor.Username, ts(t.now))
		return err
	})
}

// SetStrategy implements arv.CommandService.
func (s *Store) SetStrategy(ctx context.Context, id int64, n arv.NewStrategy) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionSetStrategy)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.strategy", func(t *tx, i *arv.Incident) error {
		if i.Status == arv.IncidentStoodDown {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has been stood down; its strategy can no longer be revised.", id)
		}
		_, o, err := t.commander(arv.Ratifiers, "set the working strategy")
		if err != nil {
			return err
		}
		rev := len(i.Command.Strategies) + 1
		if rev > arv.MaxCommandEntries {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has %d strategy revisions, the most kept.", id, arv.MaxCommandEntries)
		}
		_, err = t.insert(`INSERT INTO strategy_revisions (incident_id, revision, at, by_user, officer_id, strategy, parameters)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, rev, ts(t.now), actor.Username, officerRef(o), n.Strategy, n.Parameters)
		return err
	})
}

// officerName is the SQL of an officer's name for display, "Name
// (collar)", from the officers row aliased o; ” without one.
const officerName = `COALESCE(o.name || ' (' || o.collar || ')', '')`

// loadCommandLog reads the command log of i and the officers of its
// decisions.
func loadCommandLog(ctx context.Context, q querier, i *arv.Incident) error {
	log := &arv.CommandLog{Handovers: []arv.CommandEntry{}, Advice: []arv.TacticalAdvice{}, Strategies: []arv.StrategyRevision{}}
	i.Command = log
	if len(i.Decisions) > 0 {
		byID := map[int64]*arv.Decision{}
		for k := range i.Decisions {
			byID[i.Decisions[k].ID] = &i.Decisions[k]
		}
		err := each(ctx, q, `SELECT d.id, COALESCE(d.officer_id, 0), `+officerName+` FROM decisions d LEFT JOIN officers o ON o.id = d.officer_id
			WHERE d.incident_id = ? AND d.officer_id IS NOT NULL`, []any{i.ID}, func(sc scanner) error {
			var id, oid int64
			var name string
			if err := sc.Scan(&id, &oid, &name); err != nil {
				return err
			}
			if d := byID[id]; d != nil {
				d.OfficerID, d.Officer = oid, name
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	err := each(ctx, q, `SELECT c.id, c.at, c.level, c.commander, COALESCE(c.officer_id, 0), `+officerName+`, c.from_commander, c.from_level, c.note
		FROM command_entries c LEFT JOIN officers o ON o.id = c.officer_id WHERE c.incident_id = ? ORDER BY c.id`, []any{i.ID}, func(sc scanner) error {
		var e arv.CommandEntry
		var at, level, fromLevel string
		if err := sc.Scan(&e.ID, &at, &level, &e.Commander, &e.OfficerID, &e.Officer, &e.From, &fromLevel, &e.Note); err != nil {
			return err
		}
		e.Level, e.FromLevel = arv.Accreditation(level), arv.Accreditation(fromLevel)
		var err error
		e.At, err = parseTS(at)
		log.Handovers = append(log.Handovers, e)
		return err
	})
	if err != nil {
		return err
	}
	if n := len(log.Handovers); n > 0 {
		log.InCommand = &log.Handovers[n-1]
	}
	err = each(ctx, q, `SELECT id, consulted_at, adviser, COALESCE(adviser_officer_id, 0), advice, recorded_by, recorded_at
		FROM tactical_advice WHERE incident_id = ? ORDER BY consulted_at, id`, []any{i.ID}, func(sc scanner) error {
		var a arv.TacticalAdvice
		var at, rec string
		if err := sc.Scan(&a.ID, &at, &a.Adviser, &a.AdviserOfficerID, &a.Advice, &a.RecordedBy, &rec); err != nil {
			return err
		}
		var err error
		if a.ConsultedAt, err = parseTS(at); err == nil {
			a.RecordedAt, err = parseTS(rec)
		}
		log.Advice = append(log.Advice, a)
		return err
	})
	if err != nil {
		return err
	}
	err = each(ctx, q, `SELECT s.id, s.revision, s.at, s.by_user, `+officerName+`, s.strategy, s.parameters
		FROM strategy_revisions s LEFT JOIN officers o ON o.id = s.officer_id WHERE s.incident_id = ? ORDER BY s.revision`, []any{i.ID}, func(sc scanner) error {
		var r arv.StrategyRevision
		var at string
		if err := sc.Scan(&r.ID, &r.Revision, &at, &r.By, &r.Officer, &r.Strategy, &r.Parameters); err != nil {
			return err
		}
		var err error
		r.At, err = parseTS(at)
		log.Strategies = append(log.Strategies, r)
		return err
	})
	if n := len(log.Strategies); n > 0 {
		log.Strategy = &log.Strategies[n-1]
	}
	return err
}

type scanner interface{ Scan(...any) error }

// each runs query and calls fn for each row.
func each(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
