package http

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
	"github.com/arv-project/arv/geo"
)

// Incidents: the API under /api/v1/incidents and /api/v1/self-deployments,
// and the incident list, the new-incident form, the incident page and its
// forms (decision, ratification, assignment, release, stand-down).

// ReleaseRequest is the body of POST
// /api/v1/incidents/{id}/assignments/{unit}/release.
type ReleaseRequest struct {
	Reason string `json:"reason"`
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
		if f.From, err = parseLocalParam("from", v); err != nil {
			return err
		}
	}
	if v := q.Get("to"); v != "" {
		if f.To, err = parseLocalParam("to", v); err != nil {
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

func (s *Server) pageIncidents(w http.ResponseWriter, r *http.Request, p *page) error {
	incs, err := s.Services.FindIncidents(r.Context(), arv.IncidentFilter{Limit: 500})
	if err != nil {
		return err
	}
	p.Title, p.Data = "Incidents", incs
	s.render(w, r, "incidents", http.StatusOK, p)
	return nil
}

func (s *Server) pageNewIncident(w http.ResponseWriter, r *http.Request, p *page) error {
	p.Title = "New incident"
	s.render(w, r, "incident_new", http.StatusOK, p)
	return nil
}

func (s *Server) pageNewIncidentPost(w http.ResponseWriter, r *http.Request, p *page) error {
	f := r.PostForm
	for k := range f {
		p.Form[k] = f.Get(k)
	}
	on := func(k string) bool { return f.Get(k) != "" }
	n := arv.NewIncident{
		Place:       strings.TrimSpace(f.Get("place")),
		Address:     strings.TrimSpace(f.Get("address")),
		Description: strings.TrimSpace(f.Get("description")),
		Indicators: arv.Indicators{FirearmSeen: on("firearm_seen"), FirearmHeard: on("firearm_heard"), BladedWeapon: on("bladed_weapon"),
			OtherWeapon: on("other_weapon"), ThreatsToKill: on("threats_to_kill"), Hostage: on("hostage")},
		PrePlanned: on("pre_planned"),
		LateReason: strings.TrimSpace(f.Get("late_reason")),
	}
	if v := strings.TrimSpace(f.Get("call_at")); v != "" {
		t, err := parseLocalParam("The call time", v) // London wall clock (localtime.go)
		if err != nil {
			p.Title, p.Error = "New incident", arv.ErrorMessage(err)
			s.render(w, r, "incident_new", http.StatusBadRequest, p)
			return nil
		}
		n.CallAt = t
	}
	if lat, lon, ok := strings.Cut(n.Place, ","); ok {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if err1 == nil && err2 == nil {
			n.Position, n.Place = &geo.Point{Lat: a, Lon: b}, ""
			if n.Address == "" {
				n.Address = strings.TrimSpace(f.Get("place"))
			}
		}
	}
	inc, err := s.Services.CreateIncident(r.Context(), n)
	if err != nil {
		if arv.ErrorCode(err) == arv.EINVALID {
			p.Title, p.Error = "New incident", arv.ErrorMessage(err)
			s.render(w, r, "incident_new", http.StatusBadRequest, p)
			return nil
		}
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d", inc.ID), http.StatusSeeOther)
	return nil
}

// incidentView is the incident page's data.
type incidentView struct {
	Incident        *arv.Incident
	Timeline        []timelineEntry
	Recommendations []arv.Recommendation
	CanDecide       bool
	// CanRevise offers a revised authorisation (a new ground or new
	// tactics) once armed deployment stands; after ratification it needs
	// ratifying again.
	CanRevise    bool
	CanRatify    bool
	CanAssign    bool
	CanReport    bool
	CanStandDown bool
}

type timelineEntry struct {
	At   time.Time
	What string
}

func (s *Server) pageIncident(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.showIncident(w, r, p, id, http.StatusOK)
}

// showIncident renders the incident page, with p.Error and p.Form from a
// refused form if any.
func (s *Server) showIncident(w http.ResponseWriter, r *http.Request, p *page, id int64, status int) error {
	ctx := r.Context()
	inc, err := s.Services.FindIncidentByID(ctx, id)
	if err != nil {
		return err
	}
	u := p.User
	open := inc.Status != arv.IncidentStoodDown
	v := &incidentView{Incident: inc, Timeline: timeline(inc)}
	v.CanDecide = open && arv.Permitted(u.Role, arv.ActionDecide) && (inc.AuthorisedAt == nil || inc.SelfDeployed && inc.AuthorisedAt == nil)
	v.CanRevise = open && arv.Permitted(u.Role, arv.ActionDecide) && inc.AuthorisedAt != nil && inc.SignedOff == nil
	if v.CanRevise && len(p.Form) == 0 {
		p.Form = lastAuthorisationForm(inc)
	}
	v.CanRatify = open && arv.Permitted(u.Role, arv.ActionRatify) && inc.AuthorisedAt != nil && inc.RatifiedAt == nil
	v.CanAssign = open && arv.Permitted(u.Role, arv.ActionDispatch) && (inc.AuthorisedAt != nil || inc.SelfDeployed)
	v.CanReport = open && arv.Permitted(u.Role, arv.ActionReportUnit)
	v.CanStandDown = open && arv.Permitted(u.Role, arv.ActionDispatch) && (inc.AuthorisedAt != nil || inc.SelfDeployed)
	if v.CanAssign {
		if v.Recommendations, err = s.Services.Recommend(ctx, id); err != nil {
			return err
		}
	}
	p.Title, p.Data = fmt.Sprintf("Incident %d", id), v
	s.render(w, r, "incident", status, p)
	return nil
}

// lastAuthorisationForm fills the revision form with the authorisation
// that stands, so the commander changes only what has changed.
func lastAuthorisationForm(i *arv.Incident) map[string]string {
	for k := len(i.Decisions) - 1; k >= 0; k-- {
		if d := i.Decisions[k]; d.Kind == arv.DecisionAuthorisation && d.Authorised {
			return map[string]string{"authorised": "yes", "limb": string(d.Limb), "information": d.NDM.Information, "threat": d.NDM.Threat,
				"powers_and_policy": d.NDM.PowersAndPolicy, "options": d.NDM.Options, "action_and_review": d.NDM.ActionAndReview, "tactics": d.Tactics}
		}
	}
	return nil
}

// timeline lists an incident's events in time order.
func timeline(i *arv.Incident) []timelineEntry {
	out := []timelineEntry{{i.CallAt, "Call received; recorded by " + i.RecordedBy}}
	var ratifiedAt *time.Time // the standing ratification, as it was then
	for k, d := range i.Decisions {
		what := decisionText(d) + " by " + d.By
		switch d.Kind {
		case arv.DecisionRatify:
			ratifiedAt = &i.Decisions[k].At
		case arv.DecisionRescind:
			ratifiedAt = nil
		case arv.DecisionAuthorisation:
			then := &arv.Incident{Decisions: i.Decisions[:k], RatifiedAt: ratifiedAt}
			if arv.NeedsRatificationAgain(then, arv.DecisionRequest{Authorised: d.Authorised, Limb: d.Limb, Tactics: d.Tactics}) {
				what += ": another ground or new tactics after ratification, so it awaits ratification again"
				ratifiedAt = nil
			}
		}
		out = append(out, timelineEntry{d.At, what})
	}
	for _, a := range i.Assignments {
		out = append(out, timelineEntry{a.AssignedAt, a.CallSign + " assigned by " + a.AssignedBy + ", ETA " + eta(a.ETASeconds)})
		if a.ArrivedAt != nil {
			out = append(out, timelineEntry{*a.ArrivedAt, a.CallSign + " on scene"})
		}
		if a.ReleasedAt != nil {
			out = append(out, timelineEntry{*a.ReleasedAt, a.CallSign + " released: " + a.ReleaseReason})
		}
	}
	if i.StoodDownAt != nil {
		out = append(out, timelineEntry{*i.StoodDownAt, "Stood down: " + i.StandDownReason})
	}
	out = append(out, afterDischargeTimeline(i)...)
	slices.SortStableFunc(out, func(a, b timelineEntry) int { return a.At.Compare(b.At) })
	return out
}

// formAction runs a posted action on an incident; a refusal the user can
// correct shows the incident page again with the message and the form.
func (s *Server) formAction(w http.ResponseWriter, r *http.Request, p *page, act func(ctx context.Context, id int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	for k := range r.PostForm {
		p.Form[k] = r.PostForm.Get(k)
	}
	if err := act(r.Context(), id); err != nil {
		switch arv.ErrorCode(err) {
		case arv.EINVALID, arv.ECONFLICT:
			p.Error = arv.ErrorMessage(err)
			status := statusOf[arv.ErrorCode(err)]
			return s.showIncident(w, r, p, id, status)
		}
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) pageDecide(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		f := r.PostForm
		if a := f.Get("authorised"); a != "yes" && a != "no" {
			return arv.Errorf(arv.EINVALID, "Choose whether to authorise armed deployment.")
		}
		_, err := s.Services.Decide(ctx, id, arv.DecisionRequest{
			Authorised: f.Get("authorised") == "yes",
			Limb:       arv.Limb(f.Get("limb")),
			NDM: arv.NDM{Information: f.Get("information"), Threat: f.Get("threat"), PowersAndPolicy: f.Get("powers_and_policy"),
				Options: f.Get("options"), ActionAndReview: f.Get("action_and_review")},
			Tactics:   f.Get("tactics"),
			Rationale: f.Get("rationale"),
		})
		return err
	})
}

func (s *Server) pageRatify(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.Ratify(ctx, id, arv.RatificationRequest{Ratify: r.PostForm.Get("ratify") == "yes", Rationale: r.PostForm.Get("rationale")})
		return err
	})
}

func (s *Server) pageAssign(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		unit, err := strconv.ParseInt(r.PostForm.Get("unit_id"), 10, 64)
		if err != nil || unit <= 0 {
			return arv.Errorf(arv.EINVALID, "Choose an ARV to assign.")
		}
		_, err = s.Services.Assign(ctx, id, unit)
		return err
	})
}

func (s *Server) pageRelease(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		unit, err := pathID(r, "unit")
		if err != nil {
			return err
		}
		_, err = s.Services.Release(ctx, id, unit, r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) pageStandDown(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.StandDown(ctx, id, arv.StandDown{Reason: r.PostForm.Get("reason")})
		return err
	})
}
