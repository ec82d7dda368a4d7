package http

import (
	"net/http"
	"time"
)

// Decode exposes the strict decoder to the fuzz test.
func Decode(r *http.Request, v any) error { return decode(r, v) }

// SetHeartbeat sets the event stream's heartbeat; call it before Handler
// or Open.
func SetHeartbeat(s *Server, d time.Duration) { s.heartbeat = d }
