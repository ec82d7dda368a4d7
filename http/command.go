package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/arv-project/arv"
)

// Who may decide and the command log (issue 12): linking a user to an
// officer (PUT /api/v1/users/{id}/officer), and taking command, the
// tactical advice and the SFC's working strategy on an incident, as API
// routes under /api/v1/incidents/{id}/ and as forms on the incident page.
//
// Who may do each: linking users is managing users (the administrator).
// Taking command and recording the tactical adviser consulted are
// ActionDecide (ITFC, TFC, SFC): the commanders who may decide are the
// ones who command and take advice, and taking command checks the ticket
// of the level taken as authorising does. The working strategy and
// tactical parameters are ActionSetStrategy, a new action for the SFC
// only, since APP gives setting them to the strategic firearms
// commander.

// UserOfficerRequest is the body of PUT /api/v1/users/{id}/officer.
type UserOfficerRequest struct {
	// OfficerID is the officer to link; 0 unlinks.
	OfficerID int64 `json:"officer_id"`
}

func (s *Server) handleSetUserOfficer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req UserOfficerRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := s.Services.SetUserOfficer(r.Context(), id, req.OfficerID)
	if err != nil {
		return err
	}
	return s.ok(w, r, u)
}

// The command-log changes of the API, each on the incident of the path
// (incidentAct, discharge.go).
var (
	handleTakeCommand = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.TakeCommand) (*arv.Incident, error) {
		return s.Services.TakeCommand(ctx, id, req)
	})
	handleAddAdvice = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewAdvice) (*arv.Incident, error) {
		return s.Services.AddAdvice(ctx, id, req)
	})
	handleSetStrategy = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewStrategy) (*arv.Incident, error) {
		return s.Services.SetStrategy(ctx, id, req)
	})
)

func (s *Server) pageTakeCommand(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.TakeCommand(ctx, id, arv.TakeCommand{Level: arv.Accreditation(r.PostForm.Get("level")), Note: r.PostForm.Get("note")})
		return err
	})
}

func (s *Server) pageAddAdvice(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		f := r.PostForm
		a := arv.NewAdvice{Adviser: f.Get("adviser"), Advice: f.Get("advice")}
		if v := strings.TrimSpace(f.Get("adviser_officer_id")); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return arv.Errorf(arv.EINVALID, "The adviser's officer must be an officer's number from the officers page, or left blank.")
			}
			a.AdviserOfficerID = n
		}
		t, err := formTime(r, "consulted_at") // discharge.go
		if err != nil {
			return err
		}
		a.ConsultedAt = t
		_, err = s.Services.AddAdvice(ctx, id, a)
		return err
	})
}

func (s *Server) pageSetStrategy(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.SetStrategy(ctx, id, arv.NewStrategy{Strategy: r.PostForm.Get("strategy"), Parameters: r.PostForm.Get("tactical_parameters")})
		return err
	})
}
