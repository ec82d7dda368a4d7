package http

import (
	"net/http"
	"time"

	"github.com/arv-project/arv"
)

// Key-site patrols: the API under /api/v1/patrols, and the patrols page
// with its check-in form.

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

type patrolRow struct {
	Plan   *arv.PatrolPlan
	Missed bool
	Due    time.Time
}

func (s *Server) pagePatrols(w http.ResponseWriter, r *http.Request, p *page) error {
	plans, err := s.Services.FindPatrolPlans(r.Context())
	if err != nil {
		return err
	}
	rows := make([]patrolRow, len(plans))
	for i, pl := range plans {
		due, missed := pl.MissedCheckIn(p.Now)
		rows[i] = patrolRow{Plan: pl, Missed: missed, Due: due}
	}
	p.Title, p.Data = "Key-site patrols", struct {
		Plans      []patrolRow
		CanCheckIn bool
	}{rows, arv.Permitted(p.User.Role, arv.ActionCheckIn)}
	s.render(w, r, "patrols", http.StatusOK, p)
	return nil
}

func (s *Server) pageCheckIn(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Services.CheckIn(r.Context(), id, 0); err != nil {
		return err
	}
	http.Redirect(w, r, "/patrols", http.StatusSeeOther)
	return nil
}
