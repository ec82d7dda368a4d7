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
// seconds) and returns the last run's failure, if any.
func WaitForPlans(s *Server) string {
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.plans.mu.Lock()
		running, failed := s.plans.running, s.plans.failed
		s.plans.mu.Unlock()
		if running == nil || time.Now().After(deadline) {
			return failed
		}
		time.Sleep(time.Millisecond)
	}
}

// CancelPlan cancels a plan running in the background and waits for it.
func CancelPlan(s *Server) {
	s.plans.mu.Lock()
	if run := s.plans.running; run != nil && run.cancelledBy == "" {
		run.cancelledBy = "the test"
		run.cancel()
	}
	s.plans.mu.Unlock()
	WaitForPlans(s)
}
