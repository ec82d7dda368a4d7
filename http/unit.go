package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/arv-project/arv"
)

// ARVs: the API under /api/v1/units, and the unit status form
// (POST /units/{id}/status) of the incident page.

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

func (s *Server) pageUnitStatus(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Services.ReportStatus(r.Context(), id, arv.StatusReport{Status: arv.UnitStatus(r.PostForm.Get("status"))}); err != nil {
		return err
	}
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		back = "/board"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
