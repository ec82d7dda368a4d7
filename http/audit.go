package http

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/arv-project/arv"
)

// Audit log: the API under /api/v1/audit, and the audit page.

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

func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request, p *page) error {
	rep, err := s.Services.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	after := max(0, rep.Head.Seq-200)
	entries, err := s.Services.FindAudit(r.Context(), arv.AuditFilter{AfterSeq: after, Limit: 200})
	if err != nil {
		return err
	}
	slices.Reverse(entries)
	p.Title, p.Data = "Audit log", struct {
		Report  *arv.AuditReport
		Entries []*arv.AuditEntry
	}{rep, entries}
	s.render(w, r, "audit", http.StatusOK, p)
	return nil
}
