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

// WaitForPlans waits until no plan runs in the background (at most ten
// seconds) and returns the ids of the reports kept.
func WaitForPlans(s *Server) []int {
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.plans.mu.Lock()
		running := s.plans.running
		var ids []int
		for _, rp := range s.plans.reports {
			ids = append(ids, rp.ID)
		}
		s.plans.mu.Unlock()
		if running == "" || time.Now().After(deadline) {
			return ids
		}
		time.Sleep(time.Millisecond)
	}
}
