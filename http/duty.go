package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/arv-project/arv"
)

// Officers' duty status: POST /api/v1/officers/{id}/duty and the form on
// the officers page (POST /officers/duty).

func (s *Server) handleRecordDuty(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req arv.NewDuty
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := s.Services.RecordDuty(r.Context(), id, req)
	if err != nil {
		return err
	}
	return s.created(w, r, "", o)
}

func (s *Server) pageRecordDuty(w http.ResponseWriter, r *http.Request, p *page) error {
	f := r.PostForm
	id, err := strconv.ParseInt(f.Get("officer_id"), 10, 64)
	if err != nil || id <= 0 {
		return arv.Errorf(arv.EINVALID, "Choose the officer whose duty status you are recording.")
	}
	n := arv.NewDuty{Status: arv.DutyStatus(f.Get("status")), From: arv.Date(strings.TrimSpace(f.Get("from"))),
		To: arv.Date(strings.TrimSpace(f.Get("to"))), Note: strings.TrimSpace(f.Get("note"))}
	if _, err := s.Services.RecordDuty(r.Context(), id, n); err != nil {
		return err
	}
	http.Redirect(w, r, "/officers", http.StatusSeeOther)
	return nil
}

// dutyText is an officer's duty status today for the officers page.
func dutyText(o *arv.Officer, today arv.Date) string {
	st, rec := o.DutyOn(today)
	if st == arv.DutyAvailable {
		return "available"
	}
	out := st.Words() + " from " + string(rec.From)
	if rec.To != "" {
		out += " to " + string(rec.To)
	}
	return out
}
