package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/arv-project/arv"
)

// statusOf maps application error codes to HTTP statuses. A code missing
// from the table is answered as an internal error.
var statusOf = map[string]int{
	arv.EINVALID:        http.StatusBadRequest,
	arv.EUNAUTHORIZED:   http.StatusUnauthorized,
	arv.EFORBIDDEN:      http.StatusForbidden,
	arv.ENOTFOUND:       http.StatusNotFound,
	arv.ECONFLICT:       http.StatusConflict,
	arv.ERATELIMITED:    http.StatusTooManyRequests,
	arv.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	arv.ENOTIMPLEMENTED: http.StatusNotImplemented,
	arv.EINTERNAL:       http.StatusInternalServerError,
}

// ErrorResponse is the body of every error response.
type ErrorResponse struct {
	// Code is one of the arv.E* codes.
	Code string `json:"code"`
	// Message is a sentence for the user.
	Message string `json:"message"`
}

// statusError overrides the status of the table for one error, such as
// 415 for a body that is not JSON (code invalid) or 405 (not_found).
type statusError struct {
	status int
	err    *arv.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// withStatus returns an error of code and message answered with status.
func withStatus(status int, code, format string, args ...any) error {
	return &statusError{status: status, err: arv.Errorf(code, format, args...)}
}

// writeError answers err as {code, message}. Internal errors (any error
// that is not an *arv.Error, and unknown codes) are logged with the method
// and path and reach the client only as "Internal error.".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, message := arv.ErrorCode(err), arv.ErrorMessage(err)
	status, known := statusOf[code]
	var se *statusError
	if errors.As(err, &se) {
		status, known = se.status, true
	}
	if !known || code == arv.EINTERNAL {
		s.logger().Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		code, message, status = arv.EINTERNAL, "Internal error.", http.StatusInternalServerError
	}
	s.writeJSON(w, r, status, ErrorResponse{Code: code, Message: message})
}

// writeJSON encodes v with status. It encodes into a buffer first so that
// an encoding failure becomes a clean internal error, never a truncated
// success.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.logger().Error("encode response", "method", r.Method, "path", r.URL.Path, "err", err)
		buf.Reset()
		buf.WriteString(`{"code":"internal","message":"Internal error."}` + "\n")
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Del("Content-Length")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}
