package http

import (
	"math"
	"net/http"
)

// Answers, encodings and request bodies that the API handlers of several
// resources share.

// nonNil returns xs, or an empty slice for nil so that lists encode as [].
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// created answers 201 with v, and Location when the new resource has an
// address of its own.
func (s *Server) created(w http.ResponseWriter, r *http.Request, location string, v any) error {
	if location != "" {
		w.Header().Set("Location", location)
	}
	s.writeJSON(w, r, http.StatusCreated, v)
	return nil
}

// ok answers 200 with v.
func (s *Server) ok(w http.ResponseWriter, r *http.Request, v any) error {
	s.writeJSON(w, r, http.StatusOK, v)
	return nil
}

// finite returns f, or nil (JSON null) when f is infinite or NaN, which
// JSON cannot express.
func finite(f float64) *float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return &f
}

// UnitRequest is the body of POST /api/v1/incidents/{id}/assignments and
// POST /api/v1/patrols/{id}/check-ins.
type UnitRequest struct {
	UnitID int64 `json:"unit_id"`
}
