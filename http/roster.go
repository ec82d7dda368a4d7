package http

import (
	"net/http"
	"time"

	"github.com/arv-project/arv"
)

// Roster: the API under /api/v1/roster, and the roster page
// (GET /roster).

// maxRosterDays bounds GET /api/v1/roster?days=.
const maxRosterDays = 92

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
		t, err := parseLocalParam("from", v)
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
	reason := r.URL.Query().Get("reason")
	if len(reason) > arv.MaxReasonLen {
		return arv.Errorf(arv.EINVALID, "The reason must be at most %d characters.", arv.MaxReasonLen)
	}
	sh, err := s.Services.UnassignCrew(r.Context(), id, officer, reason)
	if err != nil {
		return err
	}
	return s.ok(w, r, sh)
}

type rosterRow struct {
	Shift *arv.RosterShift
	Gap   *arv.Gap
}

func (s *Server) pageRoster(w http.ResponseWriter, r *http.Request, p *page) error {
	from := p.Now.Add(-12 * time.Hour)
	to := p.Now.Add(arv.RosterHorizon)
	shifts, err := s.Services.FindRoster(r.Context(), from, to)
	if err != nil {
		return err
	}
	c := s.Services.Complement()
	rows := make([]rosterRow, len(shifts))
	for i, sh := range shifts {
		rows[i] = rosterRow{Shift: sh, Gap: arv.CheckComplement(*sh, c)}
	}
	p.Title, p.Data = "Roster", struct {
		Complement arv.Complement
		Rows       []rosterRow
	}{c, rows}
	s.render(w, r, "roster", http.StatusOK, p)
	return nil
}
