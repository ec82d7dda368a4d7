package http

import (
	"net/http"
	"strconv"

	"github.com/arv-project/arv"
)

// Officers: the API under /api/v1/officers and /api/v1/reminders, and the
// officers page (GET /officers).

// FitnessRequest is the body of POST /api/v1/officers/{id}/fitness: an
// arv.FitnessTest without its id.
type FitnessRequest struct {
	Taken  arv.Date `json:"taken"`
	Passed bool     `json:"passed"`
	Note   string   `json:"note,omitempty"`
}

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

// ticket is one accreditation cell of the officers page.
type ticket struct{ Text, Class string }

type officerRow struct {
	*arv.Officer
	AFO, ARV, Taser, Fitness ticket
	Problem                  string
	// Duty is the duty status today (duty.go).
	Duty string
}

func ticketOf(exp arv.Date, ok bool, today arv.Date) ticket {
	if !ok {
		return ticket{"–", ""}
	}
	days := arv.DaysBetween(today, exp)
	switch {
	case days < 0:
		return ticket{"lapsed " + string(exp), "lapsed"}
	case days <= 7:
		return ticket{string(exp) + " (" + strconv.Itoa(days) + " d)", "due7"}
	case days <= 30:
		return ticket{string(exp) + " (" + strconv.Itoa(days) + " d)", "due30"}
	}
	return ticket{string(exp), ""}
}

func (s *Server) pageOfficers(w http.ResponseWriter, r *http.Request, p *page) error {
	os, err := s.Services.FindOfficers(r.Context())
	if err != nil {
		return err
	}
	today := arv.DateOf(p.Now)
	rows := make([]officerRow, len(os))
	for i, o := range os {
		row := officerRow{Officer: o}
		a, ok := o.Latest(arv.AccAFO)
		row.AFO = ticketOf(a.Expires, ok, today)
		a, ok = o.Latest(arv.AccARV)
		row.ARV = ticketOf(a.Expires, ok, today)
		a, ok = o.Latest(arv.AccTaser)
		row.Taser = ticketOf(a.Expires, ok, today)
		if f, ok := o.LastFitness(); ok {
			row.Fitness = ticketOf(f.Taken.AddDays(arv.FitnessValidDays-1), true, today)
		} else {
			row.Fitness = ticket{"none", "lapsed"}
		}
		if err := o.CheckARVCrew(p.Now); err != nil {
			row.Problem = arv.ErrorMessage(err)
		}
		row.Duty = dutyText(o, arv.LocalDate(p.Now))
		rows[i] = row
	}
	p.Title, p.Data = "Officers", rows
	s.render(w, r, "officers", http.StatusOK, p)
	return nil
}
