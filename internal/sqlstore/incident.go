package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

func incidentEntity(id int64) string { return fmt.Sprintf("incident/%d", id) }

const incidentColumns = `id, call_at, lat, lon, address, description, indicators, class, target_minutes, status, recorded_by,
	decision_at, authorised_at, ratify_due, ratified_at, self_deployed, dispatched_at, arrived_at, stood_down_at, stand_down_reason`

func scanIncident(sc interface{ Scan(...any) error }) (*arv.Incident, error) {
	var i arv.Incident
	var call, indicators, status string
	var lat, lon float64
	var self int
	var decision, authorised, due, ratified, dispatched, arrived, stood sql.NullString
	if err := sc.Scan(&i.ID, &call, &lat, &lon, &i.Address, &i.Description, &indicators, &i.Class, &i.TargetMinutes, &status, &i.RecordedBy,
		&decision, &authorised, &due, &ratified, &self, &dispatched, &arrived, &stood, &i.StandDownReason); err != nil {
		return nil, err
	}
	i.Location, i.Status, i.SelfDeployed = pointOf(lat, lon), arv.IncidentStatus(status), self != 0
	var err error
	if i.CallAt, err = parseTS(call); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(indicators), &i.Indicators); err != nil {
		return nil, fmt.Errorf("sqlstore: incident %d indicators: %w", i.ID, err)
	}
	for _, p := range []struct {
		dst **time.Time
		v   sql.NullString
	}{{&i.DecisionAt, decision}, {&i.AuthorisedAt, authorised}, {&i.RatifyDue, due}, {&i.RatifiedAt, ratified},
		{&i.DispatchedAt, dispatched}, {&i.ArrivedAt, arrived}, {&i.StoodDownAt, stood}} {
		if *p.dst, err = nullTS(p.v); err != nil {
			return nil, err
		}
	}
	return &i, nil
}

// loadIncident reads one incident with its decisions and assignments.
func loadIncident(ctx context.Context, q querier, id int64) (*arv.Incident, error) {
	i, err := scanIncident(q.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id))
	if isNoRows(err) {
		return nil, notFound("Incident", id)
	} else if err != nil {
		return nil, err
	}
	if err := fillIncidentFlags(ctx, q, []*arv.Incident{i}); err != nil { // export.go
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, kind, at, by_user, role, authorised, retrospective, limb, ndm, tactics, rationale, unit_id
		FROM decisions WHERE incident_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d arv.Decision
		var kind, at, role, limb, ndm string
		var auth, retro int
		var unit sql.NullInt64
		if err := rows.Scan(&d.ID, &kind, &at, &d.By, &role, &auth, &retro, &limb, &ndm, &d.Tactics, &d.Rationale, &unit); err != nil {
			rows.Close()
			return nil, err
		}
		d.Kind, d.Role, d.Authorised, d.Retrospective, d.Limb, d.UnitID = arv.DecisionKind(kind), arv.Role(role), auth != 0, retro != 0, arv.Limb(limb), unit.Int64
		if d.At, err = parseTS(at); err == nil {
			err = json.Unmarshal([]byte(ndm), &d.NDM)
		}
		if err != nil {
			rows.Close()
			return nil, err
		}
		i.Decisions = append(i.Decisions, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT a.id, a.unit_id, u.call_sign, a.assigned_at, a.assigned_by, a.eta_seconds, a.arrived_at, a.released_at, a.release_reason
		FROM assignments a JOIN units u ON u.id = a.unit_id WHERE a.incident_id = ? ORDER BY a.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a arv.Assignment
		var at string
		var eta sql.NullFloat64
		var arrived, released sql.NullString
		if err := rows.Scan(&a.ID, &a.UnitID, &a.CallSign, &at, &a.AssignedBy, &eta, &arrived, &released, &a.ReleaseReason); err != nil {
			return nil, err
		}
		a.ETASeconds = math.Inf(1)
		if eta.Valid {
			a.ETASeconds = eta.Float64
		}
		if a.AssignedAt, err = parseTS(at); err != nil {
			return nil, err
		}
		if a.ArrivedAt, err = nullTS(arrived); err != nil {
			return nil, err
		}
		if a.ReleasedAt, err = nullTS(released); err != nil {
			return nil, err
		}
		i.Assignments = append(i.Assignments, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadCommandLog(ctx, q, i); err != nil {
		return nil, err
	}
	if err := loadAfterDischarge(ctx, q, i); err != nil {
		return nil, err
	}
	return i, loadLate(ctx, q, i)
}

// FindIncidentByID implements arv.IncidentService.
func (s *Store) FindIncidentByID(ctx context.Context, id int64) (*arv.Incident, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOperations); err != nil {
		return nil, err
	}
	return loadIncident(ctx, readQ{s}, id)
}

// FindIncidents implements arv.IncidentService.
func (s *Store) FindIncidents(ctx context.Context, f arv.IncidentFilter) ([]*arv.Incident, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewOperations); err != nil {
		return nil, err
	}
	return s.findIncidents(ctx, f)
}

func (s *Store) findIncidents(ctx context.Context, f arv.IncidentFilter) ([]*arv.Incident, error) {
	var where []string
	var args []any
	if f.Open {
		where = append(where, `status IN (?, ?)`)
		args = append(args, string(arv.IncidentAwaitingDecision), string(arv.IncidentAuthorised))
	}
	if !f.From.IsZero() {
		where = append(where, `call_at >= ?`)
		args = append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, `call_at < ?`)
		args = append(args, ts(f.To))
	}
	q := `SELECT ` + incidentColumns + ` FROM incidents`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	q += ` ORDER BY call_at DESC, id DESC LIMIT ` + strconv.Itoa(limit)
	return s.readIncidents(ctx, q, args...)
}

// readIncidents runs query, a SELECT of incidentColumns, and returns its
// incidents with their demo, pre-planned and late-entry flags.
func (s *Store) readIncidents(ctx context.Context, query string, args ...any) ([]*arv.Incident, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*arv.Incident{}
	for rows.Next() {
		i, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := fillIncidentFlags(ctx, readQ{s}, out); err != nil { // export.go
		return nil, err
	}
	return out, loadLate(ctx, readQ{s}, out...)
}

// locate resolves an incident's position.
func (s *Store) locate(pos *geo.Point, place string) (geo.Point, error) {
	if pos != nil {
		return *pos, nil
	}
	if s.Router == nil {
		return geo.Point{}, arv.Errorf(arv.EINVALID, "Place names need the road network; give a position instead.")
	}
	p, err := s.Router.Locate(place)
	if err != nil {
		return geo.Point{}, arv.Errorf(arv.EINVALID, "Cannot place %q: %v.", place, err)
	}
	return p, nil
}

// classify returns the class and target of a position.
func (s *Store) classify(p geo.Point) (string, float64) {
	class := arv.Rural
	if s.Classify != nil {
		class = s.Classify(p)
	}
	if class == arv.Urban {
		return class, s.UrbanTarget
	}
	return arv.Rural, s.RuralTarget
}

// CreateIncident implements arv.IncidentService.
func (s *Store) CreateIncident(ctx context.Context, n arv.NewIncident) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionRecordIncident)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	p, err := s.locate(n.Position, n.Place)
	if err != nil {
		return nil, err
	}
	address := n.Address
	if address == "" && n.Place != "" {
		address = n.Place
	}
	var inc *arv.Incident
	err = s.write(ctx, actor, func(t *tx) error {
		call, late := t.now, false
		if !n.CallAt.IsZero() {
			call = n.CallAt.UTC().Truncate(time.Microsecond)
			var err error
			if late, err = t.checkCallTime(call, n.LateReason); err != nil {
				return err
			}
		}
		id, err := t.newIncident(call, p, address, n.Description, n.Indicators, false)
		if err != nil {
			return err
		}
		if err := t.markIncident(id, arv.IsDemo(ctx), n.PrePlanned); err != nil { // export.go
			return err
		}
		if late {
			if err := t.recordLate(id, call, n.LateReason); err != nil {
				return err
			}
		}
		if inc, err = loadIncident(t.ctx, t, id); err != nil {
			return err
		}
		return t.audit("incident.create", incidentEntity(id), nil, inc)
	})
	return inc, err
}

func (t *tx) newIncident(call time.Time, p geo.Point, address, description string, ind arv.Indicators, self bool) (int64, error) {
	class, target := t.s.classify(p)
	indJSON, err := json.Marshal(ind)
	if err != nil {
		return 0, err
	}
	return t.insert(`INSERT INTO incidents (call_at, lat, lon, address, description, indicators, class, target_minutes, status, recorded_by, self_deployed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ts(call), p.Lat, p.Lon, address, description, string(indJSON), class, target,
		string(arv.IncidentAwaitingDecision), t.user.Username, b2i(self))
}

// changeIncident loads an incident, runs change and audits before/after.
func (s *Store) changeIncident(ctx context.Context, actor *arv.User, id int64, action string, change func(t *tx, before *arv.Incident) error) (*arv.Incident, error) {
	var after *arv.Incident
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := loadIncident(t.ctx, t, id)
		if err != nil {
			return err
		}
		// A signed-off deployment log takes only amendments (discharge.go).
		if before.SignedOff != nil && action != actionAmend {
			return signedOffRefusal(before)
		}
		if err := change(t, before); err != nil {
			return err
		}
		if after, err = loadIncident(t.ctx, t, id); err != nil {
			return err
		}
		return t.audit(action, incidentEntity(id), before, after)
	})
	return after, err
}

func (t *tx) addDecision(incident int64, d arv.Decision) error {
	ndm, err := json.Marshal(d.NDM)
	if err != nil {
		return err
	}
	var unit any
	if d.UnitID != 0 {
		unit = d.UnitID
	}
	_, err = t.insert(`INSERT INTO decisions (incident_id, kind, at, by_user, role, authorised, retrospective, limb, ndm, tactics, rationale, unit_id, officer_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, incident, string(d.Kind), ts(t.now), t.user.Username, string(t.user.Role),
		b2i(d.Authorised), b2i(d.Retrospective), string(d.Limb), string(ndm), d.Tactics, d.Rationale, unit, nullID(t.user.OfficerID))
	return err
}

// Decide implements arv.IncidentService.
func (s *Store) Decide(ctx context.Context, id int64, d arv.DecisionRequest) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionDecide)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.decide", func(t *tx, i *arv.Incident) error {
		level, officer, err := t.commander(s.authorisers(), "authorise") // command.go
		if err != nil {
			return err
		}
		if i.Status == arv.IncidentStoodDown {
			return arv.Errorf(arv.ECONFLICT, "Incident %d has been stood down; record a new incident if armed deployment is needed again.", id)
		}
		if i.AuthorisedAt != nil && !d.Authorised {
			return arv.Errorf(arv.ECONFLICT, "Armed deployment to incident %d is already authorised; to end it, stand the ARVs down.", id)
		}
		if len(i.Decisions) >= arv.MaxDecisions {
			return arv.Errorf(arv.EINVALID, "Incident %d already has %d decisions recorded, the most kept; record further revisions in the deployment log.", id, len(i.Decisions))
		}
		retro := i.SelfDeployed && i.AuthorisedAt == nil
		if err := t.addDecision(id, arv.Decision{Kind: arv.DecisionAuthorisation, Authorised: d.Authorised, Retrospective: retro,
			Limb: d.Limb, NDM: d.NDM, Tactics: d.Tactics, Rationale: d.Rationale}); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE incidents SET decision_at = COALESCE(decision_at, ?) WHERE id = ?`, ts(t.now), id); err != nil {
			return err
		}
		if !d.Authorised {
			if i.SelfDeployed {
				// A refused retrospective authorisation stands the crew down.
				return t.standDown(i, "retrospective authorisation refused")
			}
			_, err := t.exec(`UPDATE incidents SET status = ? WHERE id = ?`, string(arv.IncidentNotAuthorised), id)
			return err
		}
		if i.AuthorisedAt != nil {
			// A revised authorisation keeps the first time; a changed
			// ground or new tactics needs ratifying again (command.go).
			return t.reviseAuthorisation(i, d)
		}
		if _, err := t.exec(`UPDATE incidents SET status = ?, authorised_at = ?, ratify_due = ? WHERE id = ?`,
			string(arv.IncidentAuthorised), ts(t.now), ts(t.now.Add(s.ratifyWithin())), id); err != nil {
			return err
		}
		return t.firstCommander(i, level, officer)
	})
}

func (s *Store) ratifyWithin() time.Duration {
	if s.RatifyWithin <= 0 {
		return arv.DefaultRatifyWithin
	}
	return s.RatifyWithin
}

// Ratify implements arv.IncidentService.
func (s *Store) Ratify(ctx context.Context, id int64, r arv.RatificationRequest) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionRatify)
	if err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	action := "incident.ratify"
	if !r.Ratify {
		action = "incident.rescind"
	}
	return s.changeIncident(ctx, actor, id, action, func(t *tx, i *arv.Incident) error {
		switch {
		case i.AuthorisedAt == nil:
			return arv.Errorf(arv.ECONFLICT, "Incident %d has no authorised deployment to ratify or rescind.", id)
		case i.Status == arv.IncidentStoodDown:
			return arv.Errorf(arv.ECONFLICT, "Incident %d has already been stood down.", id)
		case i.RatifiedAt != nil && r.Ratify:
			return arv.Errorf(arv.ECONFLICT, "Incident %d was already ratified at %s.", id, arv.ClockLocal(*i.RatifiedAt))
		}
		if err := t.checkRatifier(i, r.Ratify); err != nil { // command.go
			return err
		}
		kind := arv.DecisionRatify
		if !r.Ratify {
			kind = arv.DecisionRescind
		}
		if err := t.addDecision(id, arv.Decision{Kind: kind, Authorised: r.Ratify, Rationale: r.Rationale}); err != nil {
			return err
		}
		if r.Ratify {
			_, err := t.exec(`UPDATE incidents SET ratified_at = ? WHERE id = ?`, ts(t.now), id)
			return err
		}
		return t.standDown(i, "deployment rescinded by the strategic firearms commander: "+r.Rationale)
	})
}

// SelfDeploy implements arv.IncidentService.
func (s *Store) SelfDeploy(ctx context.Context, sd arv.SelfDeployment) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionSelfDeploy)
	if err != nil {
		return nil, err
	}
	if err := sd.Validate(); err != nil {
		return nil, err
	}
	p, err := s.locate(sd.Position, sd.Place)
	if err != nil {
		return nil, err
	}
	var inc *arv.Incident
	err = s.write(ctx, actor, func(t *tx) error {
		u, err := unitTx(t, sd.UnitID)
		if err != nil {
			return err
		}
		if u.IncidentID != 0 {
			return arv.Errorf(arv.ECONFLICT, "%s is already assigned to incident %d; release it first.", u.CallSign, u.IncidentID)
		}
		if msg := arv.CrewProblems(u.Crew, s.MinComplement.OfficersPerARV); msg != "" {
			return arv.Errorf(arv.EINVALID, "%s cannot deploy: %s", u.CallSign, strings.TrimSuffix(msg, ".")+".")
		}
		id, err := t.newIncident(t.now, p, sd.Place, sd.Description, arv.Indicators{}, true)
		if err != nil {
			return err
		}
		if err := t.markIncident(id, arv.IsDemo(ctx), false); err != nil { // export.go
			return err
		}
		if err := t.addDecision(id, arv.Decision{Kind: arv.DecisionSelfDeploy, Authorised: true, Rationale: sd.Reason, UnitID: u.ID}); err != nil {
			return err
		}
		if err := t.assign(id, u, p); err != nil {
			return err
		}
		if inc, err = loadIncident(t.ctx, t, id); err != nil {
			return err
		}
		return t.audit("incident.self_deploy", incidentEntity(id), nil, inc)
	})
	return inc, err
}

// Recommend implements arv.IncidentService.
func (s *Store) Recommend(ctx context.Context, id int64) ([]arv.Recommendation, error) {
	if _, err := arv.Authorize(ctx, arv.ActionDispatch); err != nil {
		return nil, err
	}
	q := readQ{s}
	var loc geo.Point
	var status string
	err := q.QueryRowContext(ctx, `SELECT lat, lon, status FROM incidents WHERE id = ?`, id).Scan(&loc.Lat, &loc.Lon, &status)
	if isNoRows(err) {
		return nil, notFound("Incident", id)
	} else if err != nil {
		return nil, err
	}
	units, err := s.fleet(ctx, s.now())
	if err != nil {
		return nil, err
	}
	return s.rank(ctx, units, loc)
}

// rank orders units for a position: eligible ones first, each group by
// road travel time.
func (s *Store) rank(ctx context.Context, units []*arv.Unit, loc geo.Point) ([]arv.Recommendation, error) {
	etas := make([]float64, len(units))
	for i := range etas {
		etas[i] = math.Inf(1)
	}
	routeErr := ""
	if s.Router == nil {
		routeErr = "no road network loaded"
	} else if len(units) > 0 {
		target, err := s.Router.Locate(fmt.Sprintf("%.6f,%.6f", loc.Lat, loc.Lon))
		if err != nil {
			routeErr = "incident position off the road network: " + err.Error()
		} else {
			from := make([]geo.Point, 0, len(units))
			idx := make([]int, 0, len(units))
			for i, u := range units {
				p, err := s.Router.Locate(fmt.Sprintf("%.6f,%.6f", u.Position.Lat, u.Position.Lon))
				if err != nil {
					continue
				}
				from = append(from, p)
				idx = append(idx, i)
			}
			if len(from) > 0 {
				m, err := s.Router.Matrix(ctx, from, []geo.Point{target})
				if err != nil {
					return nil, err
				}
				for k, i := range idx {
					etas[i] = m[k]
				}
			}
		}
	}
	out := make([]arv.Recommendation, len(units))
	for i, u := range units {
		r := arv.Recommendation{UnitID: u.ID, CallSign: u.CallSign, Status: u.Status, ETASeconds: etas[i], Crew: u.Crew}
		crewProblem := arv.CrewProblems(u.Crew, s.MinComplement.OfficersPerARV)
		switch {
		case !u.Status.Free():
			r.Reason = "not free: " + statusWords(u.Status)
			if u.IncidentID != 0 {
				r.Reason += fmt.Sprintf(" (incident %d)", u.IncidentID)
			}
		case crewProblem != "":
			r.Reason = crewProblem
		case math.IsInf(etas[i], 1):
			r.Reason = "no road route"
			if routeErr != "" {
				r.Reason = routeErr
			}
		default:
			r.Eligible = true
		}
		out[i] = r
	}
	slices.SortStableFunc(out, func(a, b arv.Recommendation) int {
		if a.Eligible != b.Eligible {
			if a.Eligible {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ETASeconds, b.ETASeconds)
	})
	return out, nil
}

// Assign implements arv.IncidentService.
func (s *Store) Assign(ctx context.Context, id, unitID int64) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionDispatch)
	if err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.assign", func(t *tx, i *arv.Incident) error {
		switch i.Status {
		case arv.IncidentAwaitingDecision:
			if !i.SelfDeployed {
				return arv.Errorf(arv.ECONFLICT, "Armed deployment to incident %d has not been authorised.", id)
			}
		case arv.IncidentNotAuthorised:
			return arv.Errorf(arv.ECONFLICT, "Armed deployment to incident %d was not authorised.", id)
		case arv.IncidentStoodDown:
			return arv.Errorf(arv.ECONFLICT, "Incident %d has been stood down.", id)
		}
		u, err := unitTx(t, unitID)
		if err != nil {
			return err
		}
		if u.IncidentID == id {
			return arv.Errorf(arv.ECONFLICT, "%s is already assigned to incident %d.", u.CallSign, id)
		}
		if u.IncidentID != 0 {
			return arv.Errorf(arv.ECONFLICT, "%s is assigned to incident %d; release it there first.", u.CallSign, u.IncidentID)
		}
		if !u.Status.Free() {
			return arv.Errorf(arv.ECONFLICT, "%s is %s, not free.", u.CallSign, statusWords(u.Status))
		}
		if msg := arv.CrewProblems(u.Crew, s.MinComplement.OfficersPerARV); msg != "" {
			return arv.Errorf(arv.EINVALID, "%s cannot be assigned: %s", u.CallSign, strings.TrimSuffix(msg, ".")+".")
		}
		return t.assign(id, u, i.Location)
	})
}

// assign records a unit's assignment with its ETA and sets it en route.
func (t *tx) assign(incident int64, u *arv.Unit, loc geo.Point) error {
	eta := math.Inf(1)
	if rs, err := t.s.rank(t.ctx, []*arv.Unit{u}, loc); err == nil && len(rs) == 1 {
		eta = rs[0].ETASeconds
	}
	if _, err := t.insert(`INSERT INTO assignments (incident_id, unit_id, assigned_at, assigned_by, eta_seconds, release_reason) VALUES (?, ?, ?, ?, ?, '')`,
		incident, u.ID, ts(t.now), t.user.Username, finite(eta)); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE units SET status = ?, incident_id = ? WHERE id = ?`, string(arv.StatusEnRoute), incident, u.ID); err != nil {
		return err
	}
	_, err := t.exec(`UPDATE incidents SET dispatched_at = COALESCE(dispatched_at, ?) WHERE id = ?`, ts(t.now), incident)
	return err
}

// arrive records a unit's arrival at its incident.
func (t *tx) arrive(incident, unit int64) error {
	if _, err := t.exec(`UPDATE assignments SET arrived_at = ? WHERE incident_id = ? AND unit_id = ? AND released_at IS NULL AND arrived_at IS NULL`,
		ts(t.now), incident, unit); err != nil {
		return err
	}
	_, err := t.exec(`UPDATE incidents SET arrived_at = COALESCE(arrived_at, ?) WHERE id = ?`, ts(t.now), incident)
	return err
}

// release ends a unit's assignment.
func (t *tx) release(incident, unit int64, reason string) error {
	_, err := t.exec(`UPDATE assignments SET released_at = ?, release_reason = ? WHERE incident_id = ? AND unit_id = ? AND released_at IS NULL`,
		ts(t.now), reason, incident, unit)
	return err
}

// Release implements arv.IncidentService.
func (s *Store) Release(ctx context.Context, id, unitID int64, reason string) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionDispatch)
	if err != nil {
		return nil, err
	}
	if err := arv.CheckReason(reason, false, ""); err != nil { // at most 1000 characters, no control characters
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		reason = "released by the commander"
	}
	var unitBefore, unitAfter *arv.Unit
	inc, err := s.changeIncident(ctx, actor, id, "incident.release", func(t *tx, i *arv.Incident) error {
		u, err := unitTx(t, unitID)
		if err != nil {
			return err
		}
		if u.IncidentID != id {
			return arv.Errorf(arv.ECONFLICT, "%s is not assigned to incident %d.", u.CallSign, id)
		}
		unitBefore = u
		if err := t.release(id, unitID, reason); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE units SET status = ?, incident_id = NULL WHERE id = ?`, string(arv.StatusMobile), unitID); err != nil {
			return err
		}
		if unitAfter, err = unitTx(t, unitID); err != nil {
			return err
		}
		return t.audit("unit.status", unitEntity(unitID), unitBefore, unitAfter)
	})
	return inc, err
}

// StandDown implements arv.IncidentService.
func (s *Store) StandDown(ctx context.Context, id int64, sd arv.StandDown) (*arv.Incident, error) {
	actor, err := arv.Authorize(ctx, arv.ActionDispatch)
	if err != nil {
		return nil, err
	}
	if err := sd.Validate(); err != nil {
		return nil, err
	}
	return s.changeIncident(ctx, actor, id, "incident.stand_down", func(t *tx, i *arv.Incident) error {
		if i.Status == arv.IncidentStoodDown {
			return arv.Errorf(arv.ECONFLICT, "Incident %d was already stood down.", id)
		}
		return t.standDown(i, sd.Reason)
	})
}

// standDown releases every unit on the incident and closes it.
func (t *tx) standDown(i *arv.Incident, reason string) error {
	for _, a := range i.Assignments {
		if a.ReleasedAt != nil {
			continue
		}
		before, err := unitTx(t, a.UnitID)
		if err != nil {
			return err
		}
		if err := t.release(i.ID, a.UnitID, "stood down"); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE units SET status = ?, incident_id = NULL WHERE id = ? AND incident_id = ?`, string(arv.StatusMobile), a.UnitID, i.ID); err != nil {
			return err
		}
		after, err := unitTx(t, a.UnitID)
		if err != nil {
			return err
		}
		if err := t.audit("unit.status", unitEntity(a.UnitID), before, after); err != nil {
			return err
		}
	}
	_, err := t.exec(`UPDATE incidents SET status = ?, stood_down_at = ?, stand_down_reason = ? WHERE id = ?`,
		string(arv.IncidentStoodDown), ts(t.now), reason, i.ID)
	return err
}
