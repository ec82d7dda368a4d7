package arv

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// ReturnSubmission is one submitted version of a year's annual return:
// its figures frozen as JSON with their SHA-256, who submitted it and
// when. A second submission for the same year is a new version and must
// give its reason; earlier versions are kept.
type ReturnSubmission struct {
	Year      string `json:"year"`
	StartYear int    `json:"start_year"`
	Version   int    `json:"version"`
	// Figures is the return as submitted (JSON) and SHA256 its hash, hex.
	Figures     json.RawMessage `json:"figures"`
	SHA256      string          `json:"sha256"`
	SubmittedBy string          `json:"submitted_by"`
	SubmittedAt time.Time       `json:"submitted_at"`
	Reason      string          `json:"reason,omitempty"`
}

// ReturnAmendment is a figure of a submitted return that today's records give
// differently: the submitted value stands, the difference is shown.
type ReturnAmendment struct {
	// Field is the JSON name of the figure ("firearms_operations").
	Field     string          `json:"field"`
	Submitted json.RawMessage `json:"submitted"`
	Current   json.RawMessage `json:"current"`
}

// ReturnSubmit asks to submit the annual return for the financial year
// starting 1 April of StartYear.
type ReturnSubmit struct {
	StartYear int `json:"year"`
	// Reason is required for a resubmission (a second or later version).
	Reason string `json:"reason,omitempty"`
}

// Validate checks the request's own fields.
func (r *ReturnSubmit) Validate() error {
	if r.StartYear < MinDateYear || r.StartYear > MaxDateYear {
		return Errorf(EINVALID, "Give the year the financial year starts in, such as 2025 for 2025/26.")
	}
	if r.Reason != "" && (!validText(r.Reason) || len(r.Reason) > 2000) {
		return Errorf(EINVALID, "The reason must be at most 2000 characters, without control characters.")
	}
	return nil
}

// ReturnSubmissionService submits annual returns.
type ReturnSubmissionService interface {
	// SubmitAnnualReturn freezes the year's figures as a new submission
	// (ActionSubmitReturns) and returns the return as submitted.
	SubmitAnnualReturn(ctx context.Context, r ReturnSubmit) (*AnnualReturn, error)
	// ReturnSubmissions lists every version submitted for the year,
	// oldest first (ActionViewReturns).
	ReturnSubmissions(ctx context.Context, startYear int) ([]ReturnSubmission, error)
}

type demoKey struct{}

// WithDemo marks ctx as the demo generator's: incidents recorded with it
// are demo incidents, which never count in returns, reports or the
// planning export. Only code in the server process can set it (the API
// cannot), so a real call can never be marked demo by a request.
func WithDemo(ctx context.Context) context.Context { return context.WithValue(ctx, demoKey{}, true) }

// IsDemo reports whether ctx is marked by WithDemo.
func IsDemo(ctx context.Context) bool { v, _ := ctx.Value(demoKey{}).(bool); return v }

// ExportRow is one closed incident in the history export for planning.
type ExportRow struct {
	IncidentID int64     `json:"incident_id"`
	CallAt     time.Time `json:"call_at"`
	Lat        float64   `json:"lat"`
	Lon        float64   `json:"lon"`
	Class      string    `json:"class"`
	// ResponseMinutes is call to first arrival; nil when nobody arrived.
	ResponseMinutes *float64 `json:"response_minutes"`
	// ARVsSent counts the ARVs assigned, each once.
	ARVsSent int `json:"arvs_sent"`
	// OnSceneMinutes is first arrival to stand-down; nil when nobody
	// arrived.
	OnSceneMinutes *float64 `json:"on_scene_minutes"`
	PrePlanned     bool     `json:"pre_planned"`
}

// MaxExportDays bounds an export's span of London days.
const MaxExportDays = 3660

// HistoryService exports closed incidents for planning.
type HistoryService interface {
	// ExportIncidents lists stood-down, non-demo incidents called on
	// London days from through to (inclusive), oldest first
	// (ActionViewPlanning).
	ExportIncidents(ctx context.Context, from, to Date) ([]ExportRow, error)
}

// ExportColumns are the columns of the planning export, in order; the
// names are stable (docs/operations.md).
var ExportColumns = []string{"incident_id", "call_at", "lat", "lon", "class", "response_minutes", "arvs_sent", "on_scene_minutes", "pre_planned"}

// WriteExportCSV writes rows as CSV with a header row of ExportColumns:
// call times in RFC 3339 with the London offset, minutes to 0.1, blank
// when nobody arrived.
func WriteExportCSV(w io.Writer, rows []ExportRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return err
	}
	mins := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', 1, 64)
	}
	for _, r := range rows {
		class := r.Class
		if class != "" && strings.ContainsRune("=+-@\t\r", rune(class[0])) {
			class = "'" + class
		}
		if err := cw.Write([]string{
			strconv.FormatInt(r.IncidentID, 10), r.CallAt.In(London).Format(time.RFC3339),
			strconv.FormatFloat(r.Lat, 'f', 6, 64), strconv.FormatFloat(r.Lon, 'f', 6, 64), class,
			mins(r.ResponseMinutes), strconv.Itoa(r.ARVsSent), mins(r.OnSceneMinutes), strconv.FormatBool(r.PrePlanned),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
