package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/arv-project/arv"
)

// Submitting the annual return. The figures are frozen as JSON with a
// SHA-256 so that later changes to the records (a backdated ticket, a
// late entry) show as amendments against the submission, never as
// silently changed figures. Our choices, where the Home Office's
// guidance leaves them to the force: a year may be submitted only once
// it has ended (Store.SubmitUnfinishedYear, `arv serve
// --submit-unfinished-year`, allows earlier), and a second submission is
// a new version that must give its reason, the earlier ones kept.

// maxReturnVersions bounds the versions kept for one year.
const maxReturnVersions = 50

func returnEntity(startYear int) string { return fmt.Sprintf("return/%d", startYear) }

// SubmitAnnualReturn implements arv.ReturnSubmissionService.
func (s *Store) SubmitAnnualReturn(ctx context.Context, req arv.ReturnSubmit) (*arv.AnnualReturn, error) {
	actor, err := arv.Authorize(ctx, arv.ActionSubmitReturns)
	if err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	label := yearLabel(req.StartYear)
	end := arv.FinancialYearStart(req.StartYear + 1)
	if !s.SubmitUnfinishedYear && s.now().Before(end) {
		return nil, arv.Errorf(arv.EINVALID, "The %s year ends at 00:00 on 1 April %d (London time); submit its return after that, once every incident of the year is recorded.", label, req.StartYear+1)
	}
	live, err := s.computeReturn(ctx, req.StartYear)
	if err != nil {
		return nil, err
	}
	figures, err := json.Marshal(live)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(figures)
	var sub arv.ReturnSubmission
	err = s.write(ctx, actor, func(t *tx) error {
		prev, err := latestSubmission(t.ctx, t, req.StartYear)
		if err != nil {
			return err
		}
		version := 1
		if prev != nil {
			if req.Reason == "" {
				return arv.Errorf(arv.ECONFLICT, "The %s return was already submitted (version %d, by %s at %s). To submit it again, give the reason for the resubmission; version %d is kept.",
					label, prev.Version, prev.SubmittedBy, arv.FormatLocal(prev.SubmittedAt), prev.Version)
			}
			if prev.Version >= maxReturnVersions {
				return arv.Errorf(arv.EINVALID, "The %s return has been submitted %d times, the most kept.", label, prev.Version)
			}
			version = prev.Version + 1
		}
		sub = arv.ReturnSubmission{Year: label, StartYear: req.StartYear, Version: version, Figures: figures,
			SHA256: hex.EncodeToString(sum[:]), SubmittedBy: t.user.Username, SubmittedAt: t.now, Reason: req.Reason}
		if _, err := t.insert(`INSERT INTO return_submissions (start_year, version, figures, sha256, submitted_by, submitted_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sub.StartYear, sub.Version, string(sub.Figures), sub.SHA256, sub.SubmittedBy, ts(sub.SubmittedAt), sub.Reason); err != nil {
			if isConflict(s, err) {
				return arv.Errorf(arv.ECONFLICT, "The %s return was submitted by someone else at the same moment; reload it and submit again if still needed.", label)
			}
			return err
		}
		return t.audit("return.submit", returnEntity(req.StartYear), nil, sub)
	})
	if err != nil {
		return nil, err
	}
	live.Submitted = &sub
	return live, nil
}

// ReturnSubmissions implements arv.ReturnSubmissionService.
func (s *Store) ReturnSubmissions(ctx context.Context, startYear int) ([]arv.ReturnSubmission, error) {
	if _, err := arv.Authorize(ctx, arv.ActionViewReturns); err != nil {
		return nil, err
	}
	return submissions(ctx, readQ{s}, startYear, maxReturnVersions)
}

func submissions(ctx context.Context, q querier, startYear, limit int) ([]arv.ReturnSubmission, error) {
	rows, err := q.QueryContext(ctx, `SELECT start_year, version, figures, sha256, submitted_by, submitted_at, reason FROM return_submissions
		WHERE start_year = ? ORDER BY version DESC LIMIT ?`, startYear, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []arv.ReturnSubmission{}
	for rows.Next() {
		var r arv.ReturnSubmission
		var figures, at string
		if err := rows.Scan(&r.StartYear, &r.Version, &figures, &r.SHA256, &r.SubmittedBy, &at, &r.Reason); err != nil {
			return nil, err
		}
		r.Year, r.Figures = yearLabel(r.StartYear), json.RawMessage(figures)
		if r.SubmittedAt, err = parseTS(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}

// latestSubmission returns the year's latest submission, or nil.
func latestSubmission(ctx context.Context, q querier, startYear int) (*arv.ReturnSubmission, error) {
	subs, err := submissions(ctx, q, startYear, 1)
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	return &subs[0], nil
}

// withSubmission returns live unless the year's return was submitted;
// then the submitted figures, with each figure today's records give
// differently as an amendment.
func (s *Store) withSubmission(ctx context.Context, live *arv.AnnualReturn, startYear int) (*arv.AnnualReturn, error) {
	sub, err := latestSubmission(ctx, readQ{s}, startYear)
	if err != nil || sub == nil {
		return live, err
	}
	if got := sha256.Sum256(sub.Figures); hex.EncodeToString(got[:]) != sub.SHA256 {
		return nil, arv.Errorf(arv.EINTERNAL, "The submitted %s return no longer matches its SHA-256: the stored figures were changed outside the server. Check the audit log (return.submit).", sub.Year)
	}
	var frozen arv.AnnualReturn
	if err := json.Unmarshal(sub.Figures, &frozen); err != nil {
		return nil, fmt.Errorf("sqlstore: submitted return %s: %w", sub.Year, err)
	}
	frozen.Submitted = sub
	frozen.Amendments, err = amendments(sub.Figures, live)
	return &frozen, err
}

// amendments compares the submitted figures with live, field by field
// (every JSON field of the return, so figures added later are compared
// too; a field the submission lacks is submitted as null).
func amendments(figures json.RawMessage, live *arv.AnnualReturn) ([]arv.ReturnAmendment, error) {
	cur := *live
	cur.Submitted, cur.Amendments = nil, nil
	now, err := json.Marshal(cur)
	if err != nil {
		return nil, err
	}
	var was, is map[string]json.RawMessage
	if err := json.Unmarshal(figures, &was); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(now, &is); err != nil {
		return nil, err
	}
	var keys []string
	for k := range is {
		keys = append(keys, k)
	}
	for k := range was {
		if _, ok := is[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := []arv.ReturnAmendment{}
	null := json.RawMessage("null")
	for _, k := range keys {
		a, b := was[k], is[k]
		if a == nil {
			a = null
		}
		if b == nil {
			b = null
		}
		if !jsonEqual(a, b) {
			out = append(out, arv.ReturnAmendment{Field: k, Submitted: a, Current: b})
		}
	}
	return out, nil
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}
