package http

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/arv-project/arv"
)

// UnitRequest is the body of POST /api/v1/incidents/{id}/assignments and
// POST /api/v1/patrols/{id}/check-ins.
type UnitRequest struct {
	UnitID int64 `json:"unit_id"`
}

// ReleaseRequest is the body of POST
// /api/v1/incidents/{id}/assignments/{unit}/release.
type ReleaseRequest struct {
	Reason string `json:"reason"`
}

// FitnessRequest is the body of POST /api/v1/officers/{id}/fitness: an
// arv.FitnessTest without its id.
type FitnessRequest struct {
	Taken  arv.Date `json:"taken"`
	Passed bool     `json:"passed"`
	Note   string   `json:"note,omitempty"`
}

// Query limits of list endpoints.
const (
	defaultListLimit = 100
	maxListLimit     = 1000
	// maxRosterDays bounds GET /api/v1/roster?days=.
	maxRosterDays = 92
)

// nonNil returns xs, or an empty slice for nil so that lists encode as [].
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// created answers 201 with v, and Location when the new resource has an
// address of its own.
func (s *Server) created(w http.ResponseWriter, r *http.Request, location string, v any) error {
	if location != "" {
		w.Header().Set("Location", location)
	}
	s.writeJSON(w, r, http.StatusCreated, v)
	return nil
}

// ok answers 200 with v.
func (s *Server) ok(w http.ResponseWriter, r *http.Request, v any) error {
	s.writeJSON(w, r, http.StatusOK, v)
	return nil
}

// finite returns f, or nil (JSON null) when f is infinite or NaN, which
// JSON cannot express.
func finite(f float64) *float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return &f
}

// assignmentJSON is an assignment whose ETA may be infinite (null).
type assignmentJSON struct {
	arv.Assignment
	ETASeconds *float64 `json:"eta_seconds"`
}

// incidentJSON is an incident whose assignments' ETAs may be infinite.
type incidentJSON struct {
	*arv.Incident
	Assignments []assignmentJSON `json:"assignments,omitempty"`
}

// incidentOut prepares an incident for encoding.
func incidentOut(inc *arv.Incident) any {
	if inc == nil {
		return nil
	}
	out := incidentJSON{Incident: inc}
	for _, a := range inc.Assignments {
		out.Assignments = append(out.Assignments, assignmentJSON{Assignment: a, ETASeconds: finite(a.ETASeconds)})
	}
	return out
}

// recommendationJSON is a recommendation whose ETA is null when there is
// no route.
type recommendationJSON struct {
	arv.Recommendation
	ETASeconds *float64 `json:"eta_seconds"`
}

// Users.

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.Services.FindUsers(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"users": nonNil(users)})
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewUser
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.Services.CreateUser(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "", u)
}

// Officers.

func (s *Server) handleOfficers(w http.ResponseWriter, r *http.Request) error {
	officers, err := s.Services.FindOfficers(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"officers": nonNil(officers)})
}

func (s *Server) handleCreateOfficer(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewOfficer
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := s.Services.CreateOfficer(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "/api/v1/officers/"+strconv.FormatInt(o.ID, 10), o)
}

func (s *Server) handleOfficer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.Services.FindOfficerByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.ok(w, r, o)
}

func (s *Server) handleAddAccreditation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.NewAccreditation
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := s.Services.AddAccreditation(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.created(w, r, "", o)
}

func (s *Server) handleRevokeAccreditation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	o, err := s.Services.RevokeAccreditation(r.Context(), id, aid)
	if err != nil {
		return err
	}
	return s.ok(w, r, o)
}

func (s *Server) handleAddFitness(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req FitnessRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := s.Services.AddFitnessTest(r.Context(), id, arv.FitnessTest{Taken: req.Taken, Passed: req.Passed, Note: req.Note})
	if err != nil {
		return err
	}
	return s.created(w, r, "", o)
}

func (s *Server) handleReminders(w http.ResponseWriter, r *http.Request) error {
	rem, err := s.Services.Reminders(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"reminders": nonNil(rem)})
}

// Units.

func (s *Server) handleUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Services.FindUnits(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"units": nonNil(units)})
}

func (s *Server) handleCreateUnit(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewUnit
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.Services.CreateUnit(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "/api/v1/units/"+strconv.FormatInt(u.ID, 10), u)
}

func (s *Server) handleUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.Services.FindUnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.ok(w, r, u)
}

func (s *Server) handleUnitStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.StatusReport
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.Services.ReportStatus(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.ok(w, r, u)
}

// Roster.

// RosterResponse answers GET /api/v1/roster.
type RosterResponse struct {
	Complement arv.Complement     `json:"complement"`
	From       time.Time          `json:"from"`
	To         time.Time          `json:"to"`
	Shifts     []*arv.RosterShift `json:"shifts"`
	Gaps       []arv.Gap          `json:"gaps"`
}

func (s *Server) handleRoster(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from := s.now()
	if v := q.Get("from"); v != "" {
		t, err := parseTime("from", v)
		if err != nil {
			return err
		}
		from = t
	}
	days, err := intParam(q, "days", int(arv.RosterHorizon/(24*time.Hour)), 1, maxRosterDays)
	if err != nil {
		return err
	}
	to := from.AddDate(0, 0, days)
	shifts, err := s.Services.FindRoster(r.Context(), from, to)
	if err != nil {
		return err
	}
	gaps, err := s.Services.Gaps(r.Context(), from, to)
	if err != nil {
		return err
	}
	return s.ok(w, r, RosterResponse{
		Complement: s.Services.Complement(),
		From:       from,
		To:         to,
		Shifts:     nonNil(shifts),
		Gaps:       nonNil(gaps),
	})
}

func (s *Server) handleAddShift(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewShift
	if err := decode(r, &req); err != nil {
		return err
	}
	sh, err := s.Services.AddShift(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "", sh)
}

func (s *Server) handleAssignCrew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.RosterAssignment
	if err := decode(r, &req); err != nil {
		return err
	}
	sh, err := s.Services.AssignCrew(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.ok(w, r, sh)
}

func (s *Server) handleUnassignCrew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	officer, err := pathID(r, "officer")
	if err != nil {
		return err
	}
	sh, err := s.Services.UnassignCrew(r.Context(), id, officer)
	if err != nil {
		return err
	}
	return s.ok(w, r, sh)
}

// Incidents.

func (s *Server) handleIncidents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f arv.IncidentFilter
	if v := q.Get("open"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return arv.Errorf(arv.EINVALID, "open must be true or false.")
		}
		f.Open = b
	}
	var err error
	if v := q.Get("from"); v != "" {
		if f.From, err = parseTime("from", v); err != nil {
			return err
		}
	}
	if v := q.Get("to"); v != "" {
		if f.To, err = parseTime("to", v); err != nil {
			return err
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return arv.Errorf(arv.EINVALID, "to must be after from.")
	}
	if f.Limit, err = intParam(q, "limit", defaultListLimit, 1, maxListLimit); err != nil {
		return err
	}
	incs, err := s.Services.FindIncidents(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]any, len(incs))
	for i, inc := range incs {
		out[i] = incidentOut(inc)
	}
	return s.ok(w, r, map[string]any{"incidents": out})
}

func (s *Server) handleCreateIncident(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewIncident
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.CreateIncident(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "/api/v1/incidents/"+strconv.FormatInt(inc.ID, 10), incidentOut(inc))
}

func (s *Server) handleIncident(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	inc, err := s.Services.FindIncidentByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.ok(w, r, incidentOut(inc))
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.DecisionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.Decide(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.ok(w, r, incidentOut(inc))
}

func (s *Server) handleRatify(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.RatificationRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.Ratify(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.ok(w, r, incidentOut(inc))
}

func (s *Server) handleRecommend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	recs, err := s.Services.Recommend(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]recommendationJSON, len(recs))
	for i, rec := range recs {
		out[i] = recommendationJSON{Recommendation: rec, ETASeconds: finite(rec.ETASeconds)}
	}
	return s.ok(w, r, map[string]any{"recommendations": out})
}

func (s *Server) handleAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req UnitRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.Assign(r.Context(), id, req.UnitID)
	if err != nil {
		return err
	}
	return s.ok(w, r, incidentOut(inc))
}

func (s *Server) handleRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := pathID(r, "unit")
	if err != nil {
		return err
	}
	var req ReleaseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.Release(r.Context(), id, unit, req.Reason)
	if err != nil {
		return err
	}
	return s.ok(w, r, incidentOut(inc))
}

func (s *Server) handleStandDown(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.StandDown
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.StandDown(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.ok(w, r, incidentOut(inc))
}

func (s *Server) handleSelfDeploy(w http.ResponseWriter, r *http.Request) error {
	var req arv.SelfDeployment
	if err := decode(r, &req); err != nil {
		return err
	}
	inc, err := s.Services.SelfDeploy(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "/api/v1/incidents/"+strconv.FormatInt(inc.ID, 10), incidentOut(inc))
}

// Patrols and alerts.

func (s *Server) handlePatrols(w http.ResponseWriter, r *http.Request) error {
	plans, err := s.Services.FindPatrolPlans(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"patrols": nonNil(plans)})
}

func (s *Server) handleCreatePatrol(w http.ResponseWriter, r *http.Request) error {
	var req arv.NewPatrolPlan
	if err := decode(r, &req); err != nil {
		return err
	}
	p, err := s.Services.CreatePatrolPlan(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "", p)
}

func (s *Server) handleCheckIn(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req UnitRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	p, err := s.Services.CheckIn(r.Context(), id, req.UnitID)
	if err != nil {
		return err
	}
	return s.created(w, r, "", p)
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) error {
	alerts, err := s.Services.Alerts(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"alerts": nonNil(alerts)})
}

// Audit.

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f arv.AuditFilter
	var err error
	if v := q.Get("after"); v != "" {
		if f.AfterSeq, err = strconv.ParseInt(v, 10, 64); err != nil || f.AfterSeq < 0 {
			return arv.Errorf(arv.EINVALID, "after must be a sequence number (0 or more).")
		}
	}
	f.Entity = q.Get("entity")
	if len(f.Entity) > 200 {
		return arv.Errorf(arv.EINVALID, "entity must be at most 200 characters.")
	}
	if f.Limit, err = intParam(q, "limit", defaultListLimit, 1, maxListLimit); err != nil {
		return err
	}
	entries, err := s.Services.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"entries": nonNil(entries)})
}

func (s *Server) handleVerifyAudit(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.Services.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, rep)
}

// Query parameters.

// parseTime reads a time parameter: RFC 3339, or a date (YYYY-MM-DD) for
// the start of that day in UTC.
func parseTime(name, v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, arv.Errorf(arv.EINVALID, "%s must be a time (RFC 3339, such as 2026-11-05T14:00:00Z) or a date (YYYY-MM-DD).", name)
}

// intParam reads an integer parameter in [lo, hi], def when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, arv.Errorf(arv.EINVALID, "%s must be a whole number from %d to %d.", name, lo, hi)
	}
	return n, nil
}
