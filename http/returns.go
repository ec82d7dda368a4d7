package http

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// Statistics returns: the API under /api/v1/returns (JSON or CSV), and
// the returns page (GET /reports).

// wantCSV reads the format parameter: "json" (the default) or "csv".
func wantCSV(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("format") {
	case "", "json":
		return false, nil
	case "csv":
		return true, nil
	}
	return false, arv.Errorf(arv.EINVALID, "format must be json or csv.")
}

// handleAnnualReturn answers GET /api/v1/returns/annual?year=2025: the
// Home Office return for the financial year from 1 April 2025 (default:
// the financial year of today).
func (s *Server) handleAnnualReturn(w http.ResponseWriter, r *http.Request) error {
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	year := arv.FinancialYearOf(s.now())
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1970 || y > 9998 {
			return arv.Errorf(arv.EINVALID, "year must be the year a financial year starts in, such as 2025 for 2025/26.")
		}
		year = y
	}
	ret, err := s.Services.AnnualReturn(r.Context(), year)
	if err != nil {
		return err
	}
	if !asCSV {
		return s.ok(w, r, ret)
	}
	header := []string{"year", "from", "to", "firearms_operations", "arv_operations", "self_deployments",
		"incidents_firearms_discharged_at_persons", "authorised_firearms_officers", "operationally_deployable_officers", "counted_on"}
	row := []string{
		csvText(ret.Year), csvTime(ret.From), csvTime(ret.To),
		strconv.Itoa(ret.FirearmsOperations), strconv.Itoa(ret.ARVOperations), strconv.Itoa(ret.SelfDeployments),
		strconv.Itoa(ret.IncidentsDischargedAtPersons), strconv.Itoa(ret.AuthorisedFirearmsOfficers), strconv.Itoa(ret.OperationallyDeployable), csvText(string(ret.CountedOn)),
	}
	header, row = submissionCSV(ret, header, row) // returns_submit.go
	return s.writeCSV(w, r, "annual-return-"+strconv.Itoa(year)+".csv", [][]string{header, row})
}

// responseReportJSON is a response report whose figures are null when
// they are not finite (no arrivals).
type responseReportJSON struct {
	Month string            `json:"month"`
	Rows  []responseRowJSON `json:"rows"`
}

type responseRowJSON struct {
	arv.ResponseRow
	P50           *float64 `json:"p50_minutes"`
	P90           *float64 `json:"p90_minutes"`
	WithinTarget  *float64 `json:"within_target"`
	TargetMinutes *float64 `json:"target_minutes"`
}

// handleResponseReport answers GET /api/v1/returns/response-times?month=
// 2026-11 (default: this month in London).
func (s *Server) handleResponseReport(w http.ResponseWriter, r *http.Request) error {
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	month, err := localMonth(r.URL.Query().Get("month"), s.now())
	if err != nil {
		return err
	}
	rep, err := s.Services.ResponseReport(r.Context(), month)
	if err != nil {
		return err
	}
	if !asCSV {
		out := responseReportJSON{Month: rep.Month, Rows: make([]responseRowJSON, len(rep.Rows))}
		for i, row := range rep.Rows {
			out.Rows[i] = responseRowJSON{
				ResponseRow: row, P50: finite(row.P50), P90: finite(row.P90),
				WithinTarget: finite(row.WithinTarget), TargetMinutes: finite(row.TargetMinutes),
			}
		}
		return s.ok(w, r, out)
	}
	rows := [][]string{{"month", "class", "incidents", "arrived", "p50_minutes", "p90_minutes", "within_target", "target_minutes"}}
	for _, row := range rep.Rows {
		rows = append(rows, []string{
			csvText(rep.Month), csvText(row.Class), strconv.Itoa(row.Incidents), strconv.Itoa(row.Arrived),
			csvFloat(row.P50), csvFloat(row.P90), csvFloat(row.WithinTarget), csvFloat(row.TargetMinutes),
		})
	}
	return s.writeCSV(w, r, "response-times-"+month+".csv", rows)
}

func (s *Server) pageReports(w http.ResponseWriter, r *http.Request, p *page) error {
	year := arv.FinancialYearOf(p.Now)
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < arv.MinDateYear || y > arv.MaxDateYear {
			return arv.Errorf(arv.EINVALID, "Year %q is not a year from %d to %d (the year a financial year starts in).", v, arv.MinDateYear, arv.MaxDateYear)
		}
		year = y
	}
	month, err := localMonth(r.URL.Query().Get("month"), p.Now)
	if err != nil {
		return err
	}
	annual, err := s.Services.AnnualReturn(r.Context(), year)
	if err != nil {
		return err
	}
	monthly, err := s.Services.ResponseReport(r.Context(), month)
	if err != nil {
		return err
	}
	p.Title, p.Data = "Returns", struct {
		Year    int
		Annual  *arv.AnnualReturn
		Monthly *arv.ResponseReport
		// Ended is whether the year has ended (returns_submit.go).
		Ended bool
	}{year, annual, monthly, !p.Now.Before(arv.FinancialYearStart(year + 1))}
	s.render(w, r, "reports", http.StatusOK, p)
	return nil
}

// writeCSV answers with rows as a CSV attachment named filename (a name
// of the server's making: letters, digits, dots and hyphens).
func (s *Server) writeCSV(w http.ResponseWriter, r *http.Request, filename string, rows [][]string) error {
	return sendCSV(w, r, filename, func(out io.Writer) error { return csv.NewWriter(out).WriteAll(rows) })
}

// sendCSV answers with the CSV that write makes as an attachment named
// filename; the file is made whole before the status is sent, so a
// failure is an error answer, not half a file.
func sendCSV(w http.ResponseWriter, r *http.Request, filename string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	return nil
}

// csvText guards a text cell against formula injection when the file is
// opened in a spreadsheet.
func csvText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func csvTime(t time.Time) string { return csvLocal(t) }

// csvFloat writes f exactly, or empty when it is not finite.
func csvFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
