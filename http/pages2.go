package http

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/arv-project/arv"
)

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

type patrolRow struct {
	Plan   *arv.PatrolPlan
	Missed bool
	Due    time.Time
}

func (s *Server) pagePatrols(w http.ResponseWriter, r *http.Request, p *page) error {
	plans, err := s.Services.FindPatrolPlans(r.Context())
	if err != nil {
		return err
	}
	rows := make([]patrolRow, len(plans))
	for i, pl := range plans {
		due, missed := pl.MissedCheckIn(p.Now)
		rows[i] = patrolRow{Plan: pl, Missed: missed, Due: due}
	}
	p.Title, p.Data = "Key-site patrols", struct {
		Plans      []patrolRow
		CanCheckIn bool
	}{rows, arv.Permitted(p.User.Role, arv.ActionCheckIn)}
	s.render(w, r, "patrols", http.StatusOK, p)
	return nil
}

func (s *Server) pageCheckIn(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Services.CheckIn(r.Context(), id, 0); err != nil {
		return err
	}
	http.Redirect(w, r, "/patrols", http.StatusSeeOther)
	return nil
}

func (s *Server) pageReports(w http.ResponseWriter, r *http.Request, p *page) error {
	year := p.Now.Year()
	if p.Now.Month() < time.April {
		year--
	}
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			return arv.Errorf(arv.EINVALID, "Year %q is not a number.", v)
		}
		year = y
	}
	month := p.Now.UTC().Format("2006-01")
	if v := r.URL.Query().Get("month"); v != "" {
		month = v
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
	}{year, annual, monthly}
	s.render(w, r, "reports", http.StatusOK, p)
	return nil
}

func (s *Server) pagePlanning(w http.ResponseWriter, r *http.Request, p *page) error {
	if _, err := arv.Authorize(r.Context(), arv.ActionViewPlanning); err != nil {
		return err
	}
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
	if _, err := arv.Authorize(r.Context(), arv.ActionViewPlanning); err != nil {
		return err
	}
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
	if _, err := arv.Authorize(r.Context(), arv.ActionViewPlanning); err != nil {
		return err
	}
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
