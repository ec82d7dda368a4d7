package http

import (
	"context"
	"net/http"

	"github.com/arv-project/arv"
)

// The live board: the alerts API, and the board page with the live
// fragment its script fetches (GET /board/live).

// handleAlerts answers GET /api/v1/alerts.
func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) error {
	alerts, err := s.Services.Alerts(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"alerts": nonNil(alerts)})
}

// boardData is the live part of the board.
type boardData struct {
	Incidents []*arv.Incident
	Units     []*arv.Unit
	Alerts    []arv.Alert
}

// board gathers the live part of the board, which the map draws too: the
// open incidents in full, the ARVs and the alerts standing.
func (s *Server) board(ctx context.Context) (*boardData, error) {
	incs, err := s.Services.FindIncidents(ctx, arv.IncidentFilter{Open: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	for i, inc := range incs {
		full, err := s.Services.FindIncidentByID(ctx, inc.ID)
		if err != nil {
			return nil, err
		}
		incs[i] = full
	}
	units, err := s.Services.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	alerts, err := s.Services.Alerts(ctx)
	if err != nil {
		return nil, err
	}
	return &boardData{Incidents: incs, Units: units, Alerts: alerts}, nil
}

func (s *Server) pageBoard(w http.ResponseWriter, r *http.Request, p *page) error {
	d, err := s.board(r.Context())
	if err != nil {
		return err
	}
	p.Title, p.Data, p.Script = "Live board", d, "board.js"
	s.render(w, r, "board", http.StatusOK, p)
	return nil
}

func (s *Server) pageBoardLive(w http.ResponseWriter, r *http.Request, p *page) error {
	d, err := s.board(r.Context())
	if err != nil {
		return err
	}
	p.Data = d
	s.render(w, r, "live", http.StatusOK, p)
	return nil
}
