package arv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// PlanReport is a planning report made on the server (the control room's
// planning page) and kept with the operations records, so that it
// survives a restart and the audit log says who made it and which
// document it was.
type PlanReport struct {
	ID int64 `json:"id"`
	// Scenario is the scenario planned ("wiltshire").
	Scenario string `json:"scenario"`
	// CreatedAt is when it was stored and CreatedBy who ran it
	// (username).
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// SHA256 is the hex SHA-256 of HTML, also written to the audit log,
	// and Size its length in bytes.
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
	// HTML is the report, one self-contained file; only
	// FindPlanReportByID fills it.
	HTML string `json:"-"`
}

// NewPlanReport is a report to store.
type NewPlanReport struct {
	Scenario string
	HTML     string
}

// MaxPlanReportBytes bounds a stored report. The built-in scenarios'
// reports are 150 to 170 kB; a force's own network with thousands of
// roads drawn makes larger ones.
const MaxPlanReportBytes = 16 << 20

// Validate checks a report to store: a scenario name of at most 200
// characters and a non-empty report of at most MaxPlanReportBytes of
// UTF-8.
func (n NewPlanReport) Validate() error {
	switch s := strings.TrimSpace(n.Scenario); {
	case s == "" || utf8.RuneCountInString(s) > 200:
		return Errorf(EINVALID, "A plan report needs the name of its scenario (at most 200 characters).")
	case n.HTML == "":
		return Errorf(EINVALID, "A plan report needs its report.")
	case len(n.HTML) > MaxPlanReportBytes:
		return Errorf(EINVALID, "The plan report is %d bytes; at most %d are kept.", len(n.HTML), MaxPlanReportBytes)
	case !utf8.ValidString(n.HTML):
		return Errorf(EINVALID, "The plan report is not UTF-8 text.")
	}
	return nil
}

// Digest returns the hex SHA-256 of a report.
func Digest(html string) string {
	sum := sha256.Sum256([]byte(html))
	return hex.EncodeToString(sum[:])
}

// PlanReportService keeps planning reports.
type PlanReportService interface {
	// CreatePlanReport stores a report (ActionViewPlanning: whoever may
	// see plans may make one); the audit row records its SHA-256.
	// EINVALID when Validate fails.
	CreatePlanReport(ctx context.Context, n NewPlanReport) (*PlanReport, error)
	// FindPlanReports lists the newest limit reports, newest first,
	// without their HTML (ActionViewPlanning).
	FindPlanReports(ctx context.Context, limit int) ([]*PlanReport, error)
	// FindPlanReportByID returns a report with its HTML
	// (ActionViewPlanning); ENOTFOUND.
	FindPlanReportByID(ctx context.Context, id int64) (*PlanReport, error)
}
