package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/arv-project/arv"
)

// Submitting the annual return: POST /api/v1/returns/annual/submissions
// (body {"year":2025,"reason":"…"}), GET of the versions kept, and the
// form on the returns page (POST /reports/submit).

func (s *Server) handleSubmitReturn(w http.ResponseWriter, r *http.Request) error {
	var req arv.ReturnSubmit
	if err := decode(r, &req); err != nil {
		return err
	}
	ret, err := s.Services.SubmitAnnualReturn(r.Context(), req)
	if err != nil {
		return err
	}
	return s.created(w, r, "/api/v1/returns/annual?year="+strconv.Itoa(req.StartYear), ret)
}

func (s *Server) handleReturnSubmissions(w http.ResponseWriter, r *http.Request) error {
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || y < arv.MinDateYear || y > arv.MaxDateYear {
		return arv.Errorf(arv.EINVALID, "year must be the year a financial year starts in, such as 2025 for 2025/26.")
	}
	subs, err := s.Services.ReturnSubmissions(r.Context(), y)
	if err != nil {
		return err
	}
	return s.ok(w, r, map[string]any{"submissions": nonNil(subs)})
}

func (s *Server) pageSubmitReturn(w http.ResponseWriter, r *http.Request, p *page) error {
	y, err := strconv.Atoi(r.PostForm.Get("year"))
	if err != nil {
		return arv.Errorf(arv.EINVALID, "Say which year's return to submit.")
	}
	req := arv.ReturnSubmit{StartYear: y, Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	if _, err := s.Services.SubmitAnnualReturn(r.Context(), req); err != nil {
		return err
	}
	http.Redirect(w, r, "/reports?year="+strconv.Itoa(y), http.StatusSeeOther)
	return nil
}

// submissionCSV appends the submission columns to the annual return's
// CSV: the version, when and by whom it was submitted, its SHA-256 and
// the amendments ("field: submitted -> current; …"), empty before
// submission.
func submissionCSV(ret *arv.AnnualReturn, header, row []string) ([]string, []string) {
	header = append(header, "submitted_version", "submitted_at", "submitted_by", "sha256", "amendments")
	if ret.Submitted == nil {
		return header, append(row, "", "", "", "", "")
	}
	var am []string
	for _, a := range ret.Amendments {
		am = append(am, a.Field+": "+string(a.Submitted)+" -> "+string(a.Current))
	}
	sub := ret.Submitted
	return header, append(row, strconv.Itoa(sub.Version), csvTime(sub.SubmittedAt), csvText(sub.SubmittedBy), sub.SHA256, csvText(strings.Join(am, "; ")))
}
