package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/arv-project/arv"
)

// Planning from the browser: the planning page runs the planning
// application (Planner) in the background on one of its scenarios, one
// plan at a time, and keeps each report in the operations database
// (arv.PlanReportService), so reports survive a restart and the audit
// log records who made each and its SHA-256. A running plan can be
// cancelled from the page, and Close cancels it and waits for it.

// Planner makes the planning page's reports; cmd/arv provides one over
// the plan package. Nil: the planning page says planning is not
// available here.
type Planner interface {
	// Scenarios lists the scenarios the page offers, the default first.
	Scenarios() []string
	// Plan plans the named scenario and returns its report, one
	// self-contained HTML file. It returns ctx.Err() when ctx ends
	// first.
	Plan(ctx context.Context, scenario string) (html string, err error)
}

// DefaultPlanTimeout bounds one plan run from the browser.
const DefaultPlanTimeout = 10 * time.Minute

// planListLimit is how many reports the planning page lists.
const planListLimit = 50

// planRun is the plan running in the background.
type planRun struct {
	Scenario string
	By       string
	Started  time.Time
	cancel   context.CancelFunc
	// cancelledBy names who cancelled it ("" while it runs).
	cancelledBy string
}

// planRunner runs one plan at a time in the background.
type planRunner struct {
	mu      sync.Mutex
	running *planRun
	// failed is the last run's error, for the page.
	failed string
	// closed refuses new runs once the server closes.
	closed bool
	wg     sync.WaitGroup
}

// close cancels the running plan and waits for it to stop.
func (pr *planRunner) close() {
	pr.mu.Lock()
	pr.closed = true
	if pr.running != nil {
		pr.running.cancelledBy = "the server stopping"
		pr.running.cancel()
	}
	pr.mu.Unlock()
	pr.wg.Wait()
}

// planningView is the planning page's data.
type planningView struct {
	Scenarios []string
	Reports   []*arv.PlanReport
	Running   *planRun
	Failed    string
}

func (s *Server) pagePlanning(w http.ResponseWriter, r *http.Request, p *page) error {
	if s.Planner == nil {
		return arv.Errorf(arv.ENOTIMPLEMENTED, "Planning is not available on this server.")
	}
	reports, err := s.Services.FindPlanReports(r.Context(), planListLimit)
	if err != nil {
		return err
	}
	v := &planningView{Scenarios: s.Planner.Scenarios(), Reports: reports}
	s.plans.mu.Lock()
	if run := s.plans.running; run != nil {
		cp := *run
		v.Running = &cp
	}
	v.Failed = s.plans.failed
	s.plans.mu.Unlock()
	p.Title, p.Data = "Planning", v
	if v.Running != nil {
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
	names := s.Planner.Scenarios()
	if !slices.Contains(names, scen) {
		return arv.Errorf(arv.EINVALID, "Scenario %q is not one of %v.", scen, names)
	}
	s.plans.mu.Lock()
	defer s.plans.mu.Unlock()
	if s.plans.closed {
		return arv.Errorf(arv.ECONFLICT, "The server is stopping; no plan can start.")
	}
	if run := s.plans.running; run != nil {
		return arv.Errorf(arv.ECONFLICT, "A plan is already running (%s, started %s by %s); try again when it has finished.",
			run.Scenario, arv.ClockLocal(run.Started), run.By)
	}
	// The plan runs in the background: it takes seconds (minutes under
	// the race detector), longer than a request should wait; the page
	// refreshes itself until the report is listed. Its context keeps the
	// signed-in user, for storing the report, but not the request's end.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.planTimeout())
	run := &planRun{Scenario: scen, By: p.User.Username, Started: s.now(), cancel: cancel}
	s.plans.running, s.plans.failed = run, ""
	s.plans.wg.Add(1)
	go s.planInBackground(ctx, run)
	http.Redirect(w, r, "/planning", http.StatusSeeOther)
	return nil
}

// planInBackground runs the plan and stores its report.
func (s *Server) planInBackground(ctx context.Context, run *planRun) {
	defer s.plans.wg.Done()
	defer run.cancel()
	var stored *arv.PlanReport
	html, err := s.Planner.Plan(ctx, run.Scenario)
	if err == nil {
		// A plan that finished is kept even if the server is stopping.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		stored, err = s.Services.CreatePlanReport(sctx, arv.NewPlanReport{Scenario: run.Scenario, HTML: html})
		cancel()
	}
	s.plans.mu.Lock()
	defer s.plans.mu.Unlock()
	s.plans.running = nil
	switch {
	case err == nil:
		s.logger().Info("plan from the browser", "scenario", run.Scenario, "by", run.By, "report", stored.ID)
	case run.cancelledBy != "":
		s.plans.failed = fmt.Sprintf("The plan for %s was cancelled by %s.", run.Scenario, run.cancelledBy)
	case errors.Is(err, context.DeadlineExceeded):
		s.plans.failed = fmt.Sprintf("The plan for %s took longer than %v and was stopped.", run.Scenario, s.planTimeout())
	default:
		s.logger().Error("plan from the browser", "scenario", run.Scenario, "err", err)
		s.plans.failed = fmt.Sprintf("The plan for %s failed: %s", run.Scenario, arv.ErrorMessage(err))
	}
}

// pagePlanningCancel cancels the running plan.
func (s *Server) pagePlanningCancel(w http.ResponseWriter, r *http.Request, p *page) error {
	s.plans.mu.Lock()
	run := s.plans.running
	if run != nil && run.cancelledBy == "" {
		run.cancelledBy = p.User.Username
		run.cancel()
	}
	s.plans.mu.Unlock()
	if run == nil {
		return arv.Errorf(arv.ECONFLICT, "No plan is running.")
	}
	http.Redirect(w, r, "/planning", http.StatusSeeOther)
	return nil
}

// pagePlanningReport serves a stored report as the planner wrote it: one
// self-contained file with inline styles and SVG and no scripts.
func (s *Server) pagePlanningReport(w http.ResponseWriter, r *http.Request, p *page) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.Services.FindPlanReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Write([]byte(rep.HTML))
	return nil
}

func (s *Server) planTimeout() time.Duration {
	if s.PlanTimeout <= 0 {
		return DefaultPlanTimeout
	}
	return s.PlanTimeout
}
