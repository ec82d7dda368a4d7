package http

import (
	"io"
	"net/http"

	"github.com/arv-project/arv"
)

// handleExportIncidents answers GET /api/v1/incidents/export?from=
// 2026-04-01&to=2026-11-30&format=csv: the closed, non-demo incidents
// called on those London days (both included), for planning. The
// columns are arv.ExportColumns (docs/operations.md); format=json gives
// the same rows as JSON.
func (s *Server) handleExportIncidents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	from, err := arv.ParseDate(q.Get("from"))
	if err != nil {
		return arv.Errorf(arv.EINVALID, "from must be the first London day to export, YYYY-MM-DD.")
	}
	to, err := arv.ParseDate(q.Get("to"))
	if err != nil {
		return arv.Errorf(arv.EINVALID, "to must be the last London day to export, YYYY-MM-DD.")
	}
	rows, err := s.Services.ExportIncidents(r.Context(), from, to)
	if err != nil {
		return err
	}
	if !asCSV {
		return s.ok(w, r, map[string]any{"from": from, "to": to, "incidents": nonNil(rows)})
	}
	return sendCSV(w, r, "incidents-"+string(from)+"-"+string(to)+".csv", func(out io.Writer) error { return arv.WriteExportCSV(out, rows) })
}
