package http

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/arv-project/arv"
)

// Planning from the browser: the planning page runs arv plan (Planner)
// in the background on one of PlanScenarios and keeps the last reports
// in memory.

// Planner runs `arv plan` on a named scenario and returns the report's
// HTML; cmd/arv provides it. Nil: the planning page says planning is not
// available here.
type Planner func(ctx context.Context, scenario string) ([]byte, error)

// planReport is one report run from the browser, kept in memory.
type planReport struct {
	ID       int
	Scenario string
	At       time.Time
	By       string
	HTML     []byte
}

// planStore keeps the last reports run from the browser.
type planStore struct {
	mu      sync.Mutex
	next    int
	reports []*planReport
	// running describes the plan being run ("" when none): one at a
	// time, as each uses both cores.
	running string
	// failed is the last run's error, for the page.
	failed string
}

// maxPlanReports bounds the reports kept in memory.
const maxPlanReports = 10

func (s *Server) pagePlanning(w http.ResponseWriter, r *http.Request, p *page) error {
	if s.Planner == nil {
		return arv.Errorf(arv.ENOTIMPLEMENTED, "Planning is not available on this server.")
	}
	s.plans.mu.Lock()
	reports := slices.Clone(s.plans.reports)
	running, failed := s.plans.running, s.plans.failed
	s.plans.mu.Unlock()
	slices.Reverse(reports)
	p.Title, p.Data = "Planning", struct {
		Scenarios []string
		Reports   []*planReport
		Running   string
		Failed    string
	}{s.PlanScenarios, reports, running, failed}
	if running != "" {
		p.Refresh = 3
	}
	s.render(w, r, "planning", http.StatusOK, p)
	return nil
}

func (s *Server) pagePlanningRun(w http.ResponseWriter, r *http.Request, p *page) error {
	if s.Planner == nil {
		return arv.Errorf(arv.ENOTIMPLEMENTED, "Planning is not available on this server.")
	}
	scen := r.PostForm.Get("scenario")
	if !slices.Contains(s.PlanScenarios, scen) {
		return arv.Errorf(arv.EINVALID, "Scenario %q is not one of %v.", scen, s.PlanScenarios)
	}
	s.plans.mu.Lock()
	if s.plans.running != "" {
		s.plans.mu.Unlock()
		return arv.Errorf(arv.ECONFLICT, "A plan is already running (%s); try again when it has finished.", s.plans.running)
	}
	by := p.User.Username
	s.plans.running = fmt.Sprintf("%s, started %s by %s", scen, s.now().UTC().Format("15:04:05"), by)
	s.plans.failed = ""
	s.plans.mu.Unlock()
	// The plan runs in the background: it takes seconds (minutes under
	// the race detector), longer than a request should wait; the page
	// refreshes itself until the report is listed.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		html, err := s.Planner(ctx, scen)
		s.plans.mu.Lock()
		defer s.plans.mu.Unlock()
		s.plans.running = ""
		if err != nil {
			s.logger().Error("plan from the browser", "scenario", scen, "err", err)
			s.plans.failed = fmt.Sprintf("The plan for %s failed: %v", scen, err)
			return
		}
		s.plans.next++
		s.plans.reports = append(s.plans.reports, &planReport{ID: s.plans.next, Scenario: scen, At: s.now(), By: by, HTML: html})
		if len(s.plans.reports) > maxPlanReports {
			s.plans.reports = s.plans.reports[1:]
		}
	}()
	http.Redirect(w, r, "/planning", http.StatusSeeOther)
	return nil
}

// pagePlanningReport serves a report as arv plan wrote it: one
// self-contained file with inline styles and SVG and no scripts.
func (s *Server) pagePlanningReport(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	s.plans.mu.Lock()
	i := slices.IndexFunc(s.plans.reports, func(rp *planReport) bool { return int64(rp.ID) == id })
	var rep *planReport
	if i >= 0 {
		rep = s.plans.reports[i]
	}
	s.plans.mu.Unlock()
	if rep == nil {
		return arv.Errorf(arv.ENOTFOUND, "Report %d is not kept (the last %d are).", id, maxPlanReports)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Write(rep.HTML)
	return nil
}
