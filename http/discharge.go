package http

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// After a discharge (issue 12): the API under
// /api/v1/incidents/{id}/{discharges,post-incident/...,debriefs,sign-off,amendments}
// and the incident page's forms for them. Each answers with the whole
// incident, as the other incident actions do.

// incidentAct decodes a request of type T and runs act on the incident
// of the path.
func incidentAct[T any](act func(s *Server, ctx context.Context, id int64, req T) (*arv.Incident, error)) apiFunc {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var req T
		if err := decode(r, &req); err != nil {
			return err
		}
		inc, err := act(s, r.Context(), id, req)
		if err != nil {
			return err
		}
		return s.ok(w, r, incidentOut(inc))
	}
}

var (
	handleRecordDischarge = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewDischarge) (*arv.Incident, error) {
		return s.Services.RecordDischarge(ctx, id, req)
	})
	handlePostIncidentManager = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.PostIncidentManager) (*arv.Incident, error) {
		return s.Services.AppointPostIncidentManager(ctx, id, req)
	})
	handleKeyWitness = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewKeyWitness) (*arv.Incident, error) {
		return s.Services.AddKeyWitness(ctx, id, req)
	})
	handleIOPCReferral = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewIOPCReferral) (*arv.Incident, error) {
		return s.Services.ReferToIOPC(ctx, id, req)
	})
	handleDebrief = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewDebrief) (*arv.Incident, error) {
		return s.Services.RecordDebrief(ctx, id, req)
	})
	handleSignOff = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.SignOffRequest) (*arv.Incident, error) {
		return s.Services.SignOff(ctx, id, req)
	})
	handleAmend = incidentAct(func(s *Server, ctx context.Context, id int64, req arv.NewAmendment) (*arv.Incident, error) {
		return s.Services.Amend(ctx, id, req)
	})
)

// formOfficer reads an officer id field of a form.
func formOfficer(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get(name)), 10, 64)
	if err != nil || id <= 0 {
		return 0, arv.Errorf(arv.EINVALID, "Choose the %s.", what)
	}
	return id, nil
}

// formTime reads an optional local (Europe/London) time field of a form,
// as a datetime-local input sends it; empty means now. It reads it as
// every London time typed in is read (arv.ParseLocal): a time the spring
// clock change skipped is refused, not moved silently.
func formTime(r *http.Request, name string) (time.Time, error) {
	v := strings.TrimSpace(r.PostForm.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	return arv.ParseLocal("The time", v)
}

func (s *Server) pageRecordDischarge(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		f := r.PostForm
		officer, err := formOfficer(r, "officer_id", "officer who discharged")
		if err != nil {
			return err
		}
		at, err := formTime(r, "at")
		if err != nil {
			return err
		}
		rounds, err := strconv.Atoi(strings.TrimSpace(f.Get("rounds")))
		if err != nil {
			return arv.Errorf(arv.EINVALID, "Rounds must be a whole number.")
		}
		_, err = s.Services.RecordDischarge(ctx, id, arv.NewDischarge{OfficerID: officer, At: at, Weapon: arv.WeaponClass(f.Get("weapon")),
			Rounds: rounds, AtPerson: f.Get("at_person") == "yes", Injury: arv.Injury(f.Get("injury")), Circumstances: f.Get("circumstances")})
		return err
	})
}

func (s *Server) pagePostIncidentManager(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		officer, err := formOfficer(r, "officer_id", "post-incident manager")
		if err != nil {
			return err
		}
		_, err = s.Services.AppointPostIncidentManager(ctx, id, arv.PostIncidentManager{OfficerID: officer})
		return err
	})
}

func (s *Server) pageKeyWitness(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		officer, err := formOfficer(r, "officer_id", "key police witness")
		if err != nil {
			return err
		}
		_, err = s.Services.AddKeyWitness(ctx, id, arv.NewKeyWitness{OfficerID: officer, Note: strings.TrimSpace(r.PostForm.Get("note"))})
		return err
	})
}

func (s *Server) pageIOPCReferral(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		at, err := formTime(r, "at")
		if err != nil {
			return err
		}
		_, err = s.Services.ReferToIOPC(ctx, id, arv.NewIOPCReferral{At: at, Reference: strings.TrimSpace(r.PostForm.Get("reference")), By: strings.TrimSpace(r.PostForm.Get("by"))})
		return err
	})
}

func (s *Server) pageDebrief(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		at, err := formTime(r, "at")
		if err != nil {
			return err
		}
		_, err = s.Services.RecordDebrief(ctx, id, arv.NewDebrief{At: at, LedBy: strings.TrimSpace(r.PostForm.Get("led_by")), Notes: r.PostForm.Get("notes")})
		return err
	})
}

func (s *Server) pageSignOff(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.SignOff(ctx, id, arv.SignOffRequest{Note: r.PostForm.Get("note")})
		return err
	})
}

func (s *Server) pageAmend(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.formAction(w, r, p, func(ctx context.Context, id int64) error {
		_, err := s.Services.Amend(ctx, id, arv.NewAmendment{Corrects: strings.TrimSpace(r.PostForm.Get("corrects")), Text: r.PostForm.Get("text")})
		return err
	})
}

// afterDischargeTimeline lists the incident's after-discharge events for
// its timeline.
func afterDischargeTimeline(i *arv.Incident) []timelineEntry {
	var out []timelineEntry
	for _, d := range i.Discharges {
		what := fmt.Sprintf("Discharge: %s, %d round(s) by %s", d.Weapon, d.Rounds, d.Officer)
		if d.AtPerson {
			what += " at a person"
		}
		out = append(out, timelineEntry{d.At, what + "; injury " + string(d.Injury)})
	}
	if p := i.PostIncident; p != nil {
		out = append(out, timelineEntry{p.OpenedAt, "Post-incident procedure opened (death or serious injury)"})
		if r := p.Referral; r != nil {
			out = append(out, timelineEntry{r.At, "Referred to the IOPC by " + r.By + ", reference " + r.Reference})
		}
	}
	for _, d := range i.Debriefs {
		out = append(out, timelineEntry{d.At, "Debrief led by " + d.LedBy})
	}
	if so := i.SignedOff; so != nil {
		out = append(out, timelineEntry{so.At, "Deployment log signed off by " + so.By})
	}
	for _, a := range i.Amendments {
		out = append(out, timelineEntry{a.At, "Amendment by " + a.By + " (corrects " + a.Corrects + ")"})
	}
	return out
}
